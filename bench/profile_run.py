#!/usr/bin/env python3
"""Where the time goes: run ``fakeasync-lint check`` in-process with ``--jobs 1`` under cProfile.

    python bench/profile_run.py [TREE] [--mode cold|warm|changed|all] [--top 25] [--save DIR]

TREE defaults to the HA quick scratch tree that ``python bench/run.py --quick --corpus ha`` leaves in
the bench cache.  ``cold`` runs with ``--no-cache``; ``warm`` first fills the cache, then profiles a run
with nothing changed; ``changed`` appends a comment to one mid-size file, then profiles.  Prints the top
functions by cumulative and by own time; ``--save DIR`` also writes ``<mode>.prof`` for snakeviz /
``python -m pstats``.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (bench/run.py)


def cli(tree: Path, extra) -> None:
    from fakeasync_lint.cli import main

    old = os.getcwd()
    os.chdir(tree)
    try:
        main(["check", str(tree), "--format", "json", "--exit-zero", "-o", os.devnull, "--jobs", "1", *extra],
             standalone_mode=False)
    except SystemExit:
        pass
    finally:
        os.chdir(old)


def profile(label: str, tree: Path, extra, top: int, save) -> None:
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    cli(tree, extra)
    prof.disable()
    wall = time.perf_counter() - t0
    print(f"\n===== {label}: {wall:.2f}s in-process under cProfile (--jobs 1) =====")
    if save:
        Path(save).mkdir(parents=True, exist_ok=True)
        prof.dump_stats(str(Path(save) / f"{label}.prof"))
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        st = pstats.Stats(prof, stream=buf)
        st.strip_dirs().sort_stats(key).print_stats(top)
        text = buf.getvalue()
        start = text.find("   ncalls")
        print(f"--- top {top} by {key} ---")
        print(text[start:].rstrip() if start >= 0 else text)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tree", nargs="?", default=None)
    ap.add_argument("--mode", choices=["cold", "warm", "changed", "all"], default="all")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--save", default=None)
    args = ap.parse_args(argv)
    tree = Path(args.tree) if args.tree else bench.cache_root() / "work" / "ha-quick" / "tree"
    if not tree.is_dir():
        raise SystemExit(f"{tree}: not a directory (run `python bench/run.py --quick --corpus ha` first)")
    tree = tree.resolve()
    modes = ["cold", "warm", "changed"] if args.mode == "all" else [args.mode]
    if "cold" in modes:
        profile("cold", tree, ["--no-cache"], args.top, args.save)
    if "warm" in modes or "changed" in modes:
        cli(tree, [])  # fill the cache
        cli(tree, [])
    if "warm" in modes:
        profile("warm", tree, [], args.top, args.save)
    if "changed" in modes:
        rels = bench.list_sources(tree)
        changed = bench.pick_changed_file(tree, rels)
        with open(tree / changed, "a", encoding="utf-8") as fh:
            fh.write("# fakeasync-bench: changed\n")
        profile("changed", tree, [], args.top, args.save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
