"""Library probe (issue 14): quickstart-style uses of sync SDKs inside `async def`, each beside a
look-alike that must stay quiet (the library's async client awaited, the call offloaded with
`asyncio.to_thread`, or a pure method that builds an object).

Each snippet in `snippets/` marks lines with `# expect: block` (the call must be reported) or
`# expect: ok` (nothing may be reported on that line).  The snippets are checked with the shipped
library facts only (no environment: `$VIRTUAL_ENV` is unset and the copy has no `.venv/`), the way
pre-commit or a lint-only CI job runs the tool.

    python bench/libprobe/run.py            # found/total and negatives reported
    python bench/libprobe/run.py -v         # and every miss / false positive
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = re.compile(r"#\s*expect:\s*(block|ok)\b")


def expectations(tree):
    out = {}
    for name in sorted(os.listdir(tree)):
        if name.endswith(".py"):
            with open(os.path.join(tree, name), encoding="utf-8") as fh:
                for i, line in enumerate(fh, 1):
                    m = MARK.search(line)
                    if m:
                        out[(name, i)] = (m.group(1), line.strip())
    return out


def run(verbose: bool = False, snippets: str = os.path.join(HERE, "snippets")) -> dict:
    with tempfile.TemporaryDirectory(prefix="libprobe-") as tmp:
        tree = os.path.join(tmp, "tree")
        shutil.copytree(snippets, tree)
        with open(os.path.join(tree, ".fakeasync-lint.toml"), "w") as fh:
            fh.write("")
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        env.pop("FAKEASYNC_LIBRARY_FACTS", None)
        p = subprocess.run([sys.executable, "-m", "fakeasync_lint", "check", tree, "--no-cache", "--exit-zero",
                            "--format", "json"], cwd=tree, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"fakeasync-lint failed ({p.returncode}): {p.stderr}")
        diags = json.loads(p.stdout)
        want = expectations(tree)
    got = {}
    for d in diags:
        got.setdefault((os.path.basename(d["filename"]), d["location"]["row"]), []).append(d)
    pos = [k for k, v in want.items() if v[0] == "block"]
    neg = [k for k, v in want.items() if v[0] == "ok"]
    found = [k for k in pos if k in got]
    false = [k for k in neg if k in got]
    res = {"found": len(found), "total": len(pos), "negatives": len(neg), "negatives_reported": len(false),
           "missed": [f"{k[0]}:{k[1]}: {want[k][1]}" for k in pos if k not in got],
           "false_positives": [f"{k[0]}:{k[1]}: {got[k][0]['message'][:160]}" for k in false]}
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and false positive")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    a = ap.parse_args()
    res = run(a.verbose)
    if a.json:
        print(json.dumps(res, indent=2))
        return
    print(f"found {res['found']}/{res['total']}; negatives reported {res['negatives_reported']}/{res['negatives']}")
    if a.verbose:
        for m in res["missed"]:
            print("  missed:", m)
        for m in res["false_positives"]:
            print("  false positive:", m)


if __name__ == "__main__":
    main()
