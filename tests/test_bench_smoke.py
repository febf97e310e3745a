"""Keep bench/run.py from rotting: run its measurements end to end on a tiny generated corpus.

No download, no timing assertions: only that every step runs, reads its tool's output and renders.
"""
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "run.py"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the harness uses wait4 and /proc")


def load_bench():
    spec = importlib.util.spec_from_file_location("fakeasync_bench_run", BENCH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def make_corpus(root: Path, n: int = 30) -> None:
    pkg = root / "app"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "db.py").write_text(
        "import sqlite3\n\n\ndef fetch(q):\n    return sqlite3.connect('x.db').execute(q).fetchall()\n",
        encoding="utf-8",
    )
    for i in range(n):
        (pkg / f"mod{i:02d}.py").write_text(
            "import time\nimport requests\n\nfrom app.db import fetch\n\n\n"
            f"async def handler{i}(url):\n"
            "    time.sleep(0.1)\n"
            "    rows = fetch('select 1')\n"
            "    return requests.get(url), rows\n\n\n"
            f"def helper{i}(x):\n    return [y * 2 for y in range(x)]\n",
            encoding="utf-8",
        )
    (pkg / "broken.py").write_text("async def f(:\n    pass\n", encoding="utf-8")


@pytest.fixture(scope="module")
def bench():
    return load_bench()


def test_measure_reports_the_process_tree(bench, tmp_path):
    code = (
        "import subprocess, sys\n"
        "subprocess.run([sys.executable, '-c', 'import time; x = bytearray(30_000_000); time.sleep(0.4)'])\n"
        "print('done')\n"
    )
    m = bench.measure("child", [sys.executable, "-c", code], cwd=tmp_path)
    assert m.returncode == 0
    assert m.stdout.strip() == "done"
    assert m.wall > 0 and m.cpu > 0
    assert m.ru_maxrss >= 30_000_000  # the grandchild's bytearray, seen through wait4
    if m.peak_tree_rss is not None:  # sampled: /proc or psutil
        assert m.peak_tree_rss >= m.max_proc_rss >= 30_000_000


def test_helpers(bench, tmp_path):
    make_corpus(tmp_path / "src", n=5)
    rels = bench.list_sources(tmp_path / "src")
    assert rels == sorted(rels) and "app/db.py" in rels and len(rels) == 8
    assert bench.evenly_spaced(rels, 3) == [rels[0], rels[2], rels[5]]
    assert bench.evenly_spaced(rels, 50) == rels
    tree = bench.make_tree(tmp_path / "src", rels, tmp_path / "tree")
    assert (tree / ".fakeasync-lint.toml").is_file()
    assert bench.read_all(tree, rels)["files"] == 8
    assert bench.pick_changed_file(tree, rels) in rels


def test_full_harness_on_a_tiny_corpus(bench, tmp_path):
    make_corpus(tmp_path / "src")
    out = tmp_path / "results.md"
    argv = ["--corpus-dir", str(tmp_path / "src"), "--jobs", "2", "--out", str(out),
            "--cache-dir", str(tmp_path / "cache"), "--repeat", "1", "--quiet-wait", "0", "--flake8-files", "4",
            "--snapshot"]
    assert bench.main(argv) == 0
    text = out.read_text(encoding="utf-8")
    for row in ("libcst parse floor", "fakeasync-lint cold (--no-cache)", "fakeasync-lint cold, writing the cache",
                "fakeasync-lint warm (nothing changed)", "fakeasync-lint, 1 file changed",
                "fakeasync-lint cold (4-file subset)", "cold / libcst-parse floor (wall)",
                "1 file changed (a comment appended), wall s", "fakeasync-lint, 1 file edited (a line inserted: facts move)",
                "fakeasync-lint, 1 file edited (a blocking call added/removed)",
                "fakeasync-lint, pre-commit: 3 edited files passed (a new set each run)",
                "1 file edited, a line inserted (facts move), wall s",
                "incremental = whole-project result (the report after the last edit equals a --no-cache run on the same "
                "tree): yes"):
        assert row in text, row
    assert "crash-free (every fakeasync-lint run exited 0/1 with a readable report): yes" in text
    assert "cache consistency (populate, warm, 1-changed report the same diagnostics as cold): yes" in text
    assert "libcst could not parse 1 of 33 files" in text  # broken.py
    assert "FAK000 (files not analysable): 1" in text
    assert "FAK103" in text  # time.sleep in async def
    # the scratch copy was changed, never the corpus itself
    assert "fakeasync-bench" not in "".join(p.read_text() for p in (tmp_path / "src").rglob("*.py"))
