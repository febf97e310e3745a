#!/usr/bin/env python3
"""The speed floor for a libcst-based linter: read every file and ``libcst.parse_module`` it, with the
same number of worker processes (and the same chunking) as ``fakeasync-lint --jobs N``.

    python bench/parse_floor.py --jobs 2 --files-from LIST

LIST holds one path per line (relative to the current directory or absolute).  Prints one JSON object:
``{"files": N, "failed": K}``.  Nothing is returned from the workers but a flag, so this measures the
parse alone: fakeasync-lint's extra cost over it is the walk, pickling summaries back, the project
index, the rules and the report.
"""
from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor

import libcst

PARALLEL_THRESHOLD = 24  # as fakeasync_lint.runner: fewer files are parsed in-process


def parse_one(path: str) -> int:
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        libcst.parse_module(data)
    except Exception:  # syntax errors, odd encodings, recursion: count, do not stop
        return 0
    return 1


def parse_all(paths, jobs: int) -> dict:
    if jobs > 1 and len(paths) >= PARALLEL_THRESHOLD:
        chunk = max(1, min(64, len(paths) // (jobs * 8) or 1))
        with ProcessPoolExecutor(max_workers=jobs) as ex:
            ok = sum(ex.map(parse_one, paths, chunksize=chunk))
    else:
        ok = sum(parse_one(p) for p in paths)
    return {"files": len(paths), "failed": len(paths) - ok}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--files-from", required=True)
    args = ap.parse_args(argv)
    with open(args.files_from, encoding="utf-8") as fh:
        paths = [line.rstrip("\n") for line in fh if line.strip()]
    print(json.dumps(parse_all(paths, args.jobs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
