"""Which labelled positives are found only through library facts (derived from libraries' code, shipped or
installed), and every report that rests on a derived fact but hits no positive (issue 14's precision).

    python bench/realworld/derived.py            # every case (all splits: this is a report, not tuning)

Reads the same cases and sources as run.py; a derived finding is one whose message names its source
("…, shipped facts, derived)" / "…, installed, derived)"), or a FAK401/403 whose chain ends in one.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as R  # noqa: E402
import score as S  # noqa: E402

API = re.compile(r"^`([^`]+)\(\)` \(([^)]*), derived\)")


def main() -> int:
    cache = R.cache_dir()
    cases = S.load_cases(HERE / "cases")
    found = {}  # api -> set of (case, path, line)
    unlabelled = []
    negatives = []
    caused = []  # (case, path, line, code, split, kind): reports that exist only with library facts
    for case in cases:
        root = R.materialise(case, cache)
        p = subprocess.run([sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "--exit-zero",
                            "--format", "json", "."], cwd=root, capture_output=True, text=True, timeout=900,
                           env=R._tool_env())
        diags = json.loads(p.stdout or "[]")
        q = subprocess.run([sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "--exit-zero",
                            "--format", "json", "."], cwd=root, capture_output=True, text=True, timeout=900,
                           env=dict(R._tool_env(), FAKEASYNC_LIBRARY_FACTS="0"))
        without = {(d["filename"], d["location"]["row"], d["code"]) for d in json.loads(q.stdout or "[]")}
        pos_keys = {(lab.path, lab.line) for lab in case.labels}
        neg_keys = {(n.path, n.line) for n in case.negatives}
        for d in diags:
            if (d["filename"], d["location"]["row"], d["code"]) in without or d["code"] == "FAK403":
                continue
            key = (R._rel(d["filename"], root), d["location"]["row"])
            kind = ("positive" if key in pos_keys else "NEGATIVE" if key in neg_keys else
                    "unlabelled (exhaustive file)" if case.files.get(key[0]) else "unlabelled")
            caused.append((case.id, *key, d["code"], case.split, kind))
        pos = {(lab.path, lab.line): lab for lab in case.labels}
        neg = {(n.path, n.line): n for n in case.negatives}
        for d in diags:
            lib = [f for f in d.get("trace") or () if f.get("library")]
            m = API.match(d["message"])
            if not lib and not m:
                continue
            api = m.group(1) if m else lib[0]["function"]
            source = m.group(2) if m else lib[0]["library"]
            key = (R._rel(d["filename"], root), d["location"]["row"])
            if key in pos:
                found.setdefault((api, source.split(",")[0]), set()).add((case.id, *key, case.split))
            elif key in neg:
                negatives.append((case.id, *key, d["code"], api))
            elif case.files.get(key[0]):
                unlabelled.append((case.id, *key, d["code"], api))
    print(f"{len(found)} distinct third-party APIs found through library facts (positives hit):")
    for (api, src), where in sorted(found.items()):
        sample = sorted(where)[0]
        splits = ",".join(sorted({w[3] for w in where}))
        print(f"  {api:55s} {src:32s} {len(where)} label(s) [{splits}], e.g. {sample[0]} {sample[1]}:{sample[2]}")
    print(f"reports that exist only with library facts (a run with FAKEASYNC_LIBRARY_FACTS=0 lacks them): "
          f"{len(caused)}")
    from collections import Counter

    for (split, kind), n in sorted(Counter((c[4], c[5]) for c in caused).items()):
        print(f"  {split:8s} {kind:30s} {n}")
    for c in caused:
        if c[4] == "dev":  # the held-out split is reported by count only
            print("   ", *c)
    print(f"derived findings on labelled negatives: {len(negatives)}")
    for n in negatives:
        print("  ", *n)
    print(f"derived findings on unlabelled lines of exhaustive files (false positives): {len(unlabelled)}")
    for u in unlabelled:
        print("  ", *u)
    return 0


if __name__ == "__main__":
    sys.exit(main())
