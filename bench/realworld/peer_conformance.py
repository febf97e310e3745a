#!/usr/bin/env python3
"""Peer conformance: flake8-async's own eval files for its blocking-call rules (ASYNC2xx), line by line.

    python bench/realworld/peer_conformance.py [--details]

flake8-async's source distribution ships ``tests/eval_files/async2*.py`` with the expected errors written
on the line (``# ASYNC210: 4, 'requests.get'``).  This script downloads that sdist (pinned below, checked
against its sha256) into the bench cache, lints each eval file alone with fakeasync-lint, and compares
the lines we report (any blocking code: FAK1xx / FAK2xx / FAK401) with the lines annotated ASYNC2xx.

Where a peer label is wrong for us (a pure function such as ``os.path.normpath``, a name that is never
imported, a call outside any async function), it is listed in ``peer_disagreements.toml`` with the
reason, and the figures are given with and without those lines.
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
from pathlib import Path
from typing import Dict, List, Set, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import run as R  # noqa: E402
from score import tomllib  # noqa: E402

PEER = "flake8-async==26.8.1"
PEER_SHA256 = "c2d9e7b318169a85d821c8b2e661959481e59db1551626b7471c6e4627c99d9b"
# the blocking-call rules: HTTP, subprocess, file and path I/O, input, sleep (ASYNC200 is user-configured)
FILES_RE = re.compile(r"^async(21\d|22x|23\d|23x|240|250|251)(_[a-z_]+)?\.py$")
ANNOT_RE = re.compile(r"#\s*(ASYNC2\d\d)(?:_[a-z_]+)?:")
SCORED = re.compile(r"^FAK(1\d\d|2\d\d|401)$")
ENABLE_RE = re.compile(r"^#\s*ARG\s+--enable=(\S+)", re.M)
# which peer rules cover each of our codes (a file that enables only some peer rules is compared only there)
PEER_CODES = {
    "FAK102": ("ASYNC210", "ASYNC211", "ASYNC212"),
    "FAK103": ("ASYNC251",),
    "FAK104": ("ASYNC230", "ASYNC231", "ASYNC232", "ASYNC240"),
    "FAK105": ("ASYNC220", "ASYNC221", "ASYNC222"),
    "FAK106": ("ASYNC250",),
}


def enabled_codes(text: str, name: str):
    """The peer codes an eval file checks: its ``# ARG --enable=`` line, else (as flake8-async's test
    harness does) the code in its file name (``async232.py`` -> ASYNC232, ``async22x.py`` -> ASYNC22*)."""
    m = ENABLE_RE.search(text)
    if m:
        return {c.strip() for c in m.group(1).split(",") if c.strip()}
    m = re.match(r"async(\d\d[\dx])", name)
    return {"ASYNC" + m.group(1).rstrip("x")} if m else None


def in_scope(code: str, enabled) -> bool:
    if enabled is None:
        return True
    return any(any(p.startswith(e) for e in enabled) for p in PEER_CODES.get(code, ("ASYNC2",)))


def expected_lines(text: str) -> Dict[int, List[str]]:
    out: Dict[int, List[str]] = {}
    for i, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue  # a whole-line comment (file options such as "# ARG --enable=...")
        codes = [c for c in ANNOT_RE.findall(line) if c != "ASYNC200"]
        if codes:
            out[i] = codes
    return out


def load_disagreements() -> Dict[Tuple[str, int], str]:
    path = HERE / "peer_disagreements.toml"
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {(d["file"], int(d["line"])): d["why"] for d in data.get("disagreement", [])}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)

    cache = R.cache_dir() / "peer"
    src = cache / "flake8-async"
    if not (src / ".complete").exists():
        shutil.rmtree(src, ignore_errors=True)
        R.fetch_pypi(PEER, PEER_SHA256, "sdist", src)
        (src / ".complete").write_text(PEER)
    evals = sorted(p for p in src.glob("*/tests/eval_files/*.py") if FILES_RE.match(p.name))
    if not evals:
        print("error: no eval files in the sdist", file=sys.stderr)
        return 2
    disagree = load_disagreements()
    tp = fn = fp = tp_d = fn_d = fp_d = 0
    details: List[str] = []
    per_file = {}
    for path in evals:
        text = path.read_text(encoding="utf-8")
        exp = expected_lines(text)
        with tempfile.TemporaryDirectory() as d:
            target = Path(d) / path.name
            shutil.copy(path, target)
            (Path(d) / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
            p = subprocess.run([sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "--exit-zero",
                                "--format", "json", "--select", "ALL", path.name], cwd=d, capture_output=True,
                               text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
            try:
                diags = json.loads(p.stdout or "[]")
            except json.JSONDecodeError:
                print(f"error: {path.name}: {p.stderr.strip()[-300:]}", file=sys.stderr)
                return 2
        got: Dict[int, Set[str]] = {}
        enabled = enabled_codes(text, path.name)
        for dg in diags:
            if SCORED.match(dg["code"]) and in_scope(dg["code"], enabled):
                got.setdefault(dg["location"]["row"], set()).add(dg["code"])
        lines = text.splitlines()
        f_tp = f_fn = f_fp = 0
        for ln in sorted(set(exp) | set(got)):
            key = (path.name, ln)
            src_line = lines[ln - 1].strip() if ln <= len(lines) else ""
            if ln in exp and ln in got:
                kind = "TP"
            elif ln in exp:
                kind = "FN"
            else:
                kind = "FP"
            documented = key in disagree
            if kind == "TP":
                tp += 1
                tp_d += 0 if documented else 1
                f_tp += 1
            elif kind == "FN":
                fn += 1
                fn_d += 0 if documented else 1
                f_fn += 1
            else:
                fp += 1
                fp_d += 0 if documented else 1
                f_fp += 1
            if kind != "TP" and (args.details or not documented):
                note = f"  [documented: {disagree[key]}]" if documented else ""
                codes = ",".join(sorted(got.get(ln, ()))) or ",".join(exp.get(ln, ()))
                details.append(f"{kind} {path.name}:{ln} {codes}: {src_line[:100]}{note}")
        per_file[path.name] = {"tp": f_tp, "fn": f_fn, "fp": f_fp}

    def fig(a, b):
        return "–" if a + b == 0 else f"{100 * a / (a + b):.1f}%"

    print(f"# flake8-async {PEER.split('==')[1]} eval files (ASYNC2xx), {len(evals)} files")
    print(f"{'file':32} {'tp':>4} {'fn':>4} {'fp':>4}")
    for name, f in per_file.items():
        print(f"{name:32} {f['tp']:>4} {f['fn']:>4} {f['fp']:>4}")
    print(f"\nall annotated lines: recall {fig(tp, fn)} ({tp}/{tp + fn}), precision {fig(tp, fp)} ({tp}/{tp + fp})")
    print(f"without the documented disagreements: recall {fig(tp_d, fn_d)} ({tp_d}/{tp_d + fn_d}), "
          f"precision {fig(tp_d, fp_d)} ({tp_d}/{tp_d + fp_d})")
    if details:
        print("\n" + "\n".join(details))
    result = {"peer": PEER, "files": per_file, "tp": tp, "fn": fn, "fp": fp,
              "documented": {"tp": tp_d, "fn": fn_d, "fp": fp_d}}
    out = args.json or (cache / "peer_result.json")
    out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
