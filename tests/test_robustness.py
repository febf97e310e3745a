"""Robustness: no crash, no hang, no lost code, on any input (issue 8).

Every hostile input must give a FAK000 diagnostic or a clean result, the other files of the same run must
still be analysed, the exit code must be the documented one (1 for FAK000 or violations, 2 only for usage
errors), and stderr must never hold a traceback.  Inputs are generated at test time by
``robustness_corpus``.  Tests marked ``xfail(strict=True)`` pin bugs found here (see docs/robustness.md).
"""
from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import libcst as cst
import pytest

from fakeasync_lint import cache as cache_mod
from fakeasync_lint import analysis, apply as apply_mod, runner
from fakeasync_lint.config import load_settings
from fakeasync_lint.output import render
from robustness_corpus import (
    FIXTURES,
    GOOD_LINE,
    GOOD_SOURCE,
    MUTATIONS,
    big_file,
    cli,
    cli_subprocess,
    hostile_files,
    make_project,
    nested_brackets,
    seed_sources,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SLOW_HOSTILE: set = set()  # files too slow for every test (1,000 nested brackets took ~8 s before parseguard)


def analyse(data: bytes, name: str = "mod.py") -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analysis.analyze(data, f"/virtual/{name}", name[:-3].replace(".", "_"))


def diags_by_path(out: str):
    by = {}
    for d in json.loads(out):
        by.setdefault(d["path"], []).append(d)
    return by


def assert_expectation(name: str, expect: str, diags: list) -> None:
    codes = [d["code"] for d in diags]
    fak103 = sorted(d["location"]["row"] for d in diags if d["code"] == "FAK103")
    if expect == "fak000":
        assert codes == ["FAK000"], (name, diags)
    elif expect == "clean":
        assert codes == [], (name, diags)
    elif expect == "report:any":
        assert "FAK000" not in codes and len(fak103) == 1, (name, diags)
    elif expect.startswith("report:"):
        assert "FAK000" not in codes and fak103 == [int(expect[7:])], (name, diags)
    elif expect.startswith("either:"):
        assert codes == ["FAK000"] or fak103 == [int(expect[7:])], (name, diags)
    else:  # pragma: no cover
        raise AssertionError(expect)


def assert_clean_exit(code: int, err: str, expected=(0, 1)) -> None:
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert code in ((expected,) if isinstance(expected, int) else expected), (code, err)


# ---- single hostile files -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(set(hostile_files()) - SLOW_HOSTILE))
def test_hostile_file_analysis(name):
    data, expect = hostile_files()[name]
    t0 = time.monotonic()
    s = analyse(data, name)
    assert time.monotonic() - t0 < 30, "no file may take this long"
    json.dumps(s)
    if expect == "fak000":
        assert s["error"] is not None
        line, col, msg = s["error"]
        assert line >= 1 and col >= 1 and msg
    elif expect in ("clean",) or expect.startswith("report:"):
        assert s["error"] is None, s["error"]


def test_hostile_directory_through_cli(tmp_path):
    """All hostile files, a directory named x.py, a FIFO, a symlink loop and a dangling symlink in one run
    (a child process: a hang or a crash fails the test instead of killing pytest).  > 24 files, so the
    worker pool is used too."""
    files = {name: data for name, (data, _) in hostile_files().items()}
    files["good.py"] = GOOD_SOURCE
    root = make_project(tmp_path / "proj", files)
    (root / "x.py").mkdir()
    (root / "x.py" / "inside.py").write_bytes(GOOD_SOURCE)
    os.symlink("loop_b.py", root / "loop_a.py")
    os.symlink("loop_a.py", root / "loop_b.py")
    os.symlink("does_not_exist.py", root / "dangling.py")
    os.symlink(".", root / "self_dir")  # a directory symlink cycle
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "fifo.py")
    proc = cli_subprocess(["check", "--no-cache", "--format", "json", "."], cwd=root, timeout=240)
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 1, (proc.returncode, err)
    assert "Traceback" not in err, err
    by = diags_by_path(proc.stdout.decode())
    assert [d["location"]["row"] for d in by.get("good.py", [])] == [GOOD_LINE]
    assert [d["location"]["row"] for d in by.get("x.py/inside.py", [])] == [GOOD_LINE]
    for name, (_, expect) in hostile_files().items():
        assert_expectation(name, expect, by.get(name, []))
    assert not {"loop_a.py", "loop_b.py", "dangling.py", "fifo.py"} & set(by)


def test_explicit_symlink_loop_is_a_clear_usage_error(tmp_path):
    root = make_project(tmp_path, {"good.py": GOOD_SOURCE})
    os.symlink("loop_b.py", root / "loop_a.py")
    os.symlink("loop_a.py", root / "loop_b.py")
    code, out, err = cli(["check", "--no-cache", "--format", "json", "good.py", "loop_a.py"], cwd=root)
    assert_clean_exit(code, err, expected=2)  # a path that cannot be opened is a usage error
    assert "loop_a.py" in err
    assert [d["location"]["row"] for d in json.loads(out)] == [GOOD_LINE], "the good file is still checked"


def test_directory_named_x_py_passed_explicitly(tmp_path):
    root = make_project(tmp_path, {"x.py/mod.py": GOOD_SOURCE, "x.py/empty.py": b""})
    code, out, err = cli(["check", "--no-cache", "--format", "json", "x.py"], cwd=root)
    assert_clean_exit(code, err, expected=1)
    assert [(d["path"], d["location"]["row"]) for d in json.loads(out)] == [("x.py/mod.py", GOOD_LINE)]


@pytest.mark.skipif(IS_ROOT, reason="running as root: chmod 000 does not make a file unreadable")
def test_unreadable_file_chmod_000(tmp_path):
    root = make_project(tmp_path, {"good.py": GOOD_SOURCE, "secret.py": b"x = 1\n"})
    os.chmod(root / "secret.py", 0)
    try:
        code, out, err = cli(["check", "--no-cache", "--format", "json", "."], cwd=root)
    finally:
        os.chmod(root / "secret.py", stat.S_IRUSR | stat.S_IWUSR)
    assert_clean_exit(code, err, expected=1)
    by = diags_by_path(out)
    assert [d["code"] for d in by["secret.py"]] == ["FAK000"]
    assert [d["location"]["row"] for d in by["good.py"]] == [GOOD_LINE]


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    """EACCES while reading one file (runs as root too): FAK000 for it, the rest analysed."""
    root = make_project(tmp_path, {"good.py": GOOD_SOURCE, "secret.py": b"x = 1\n"})
    real_open = open

    def guarded_open(path, *a, **k):
        if str(path).endswith("secret.py"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(runner, "open", guarded_open, raising=False)
    code, out, err = cli(["check", "--no-cache", "-j", "1", "--format", "json", "."], cwd=root)
    assert_clean_exit(code, err, expected=1)
    by = diags_by_path(out)
    assert [d["code"] for d in by["secret.py"]] == ["FAK000"]
    assert "Permission denied" in by["secret.py"][0]["message"]
    assert [d["location"]["row"] for d in by["good.py"]] == [GOOD_LINE]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_passed_explicitly_does_not_hang(tmp_path):
    root = make_project(tmp_path, {"good.py": GOOD_SOURCE})
    os.mkfifo(root / "fifo.py")
    try:
        proc = cli_subprocess(["check", "--no-cache", "--format", "json", "good.py", "fifo.py"], cwd=root,
                              timeout=6)  # a normal run of these two files takes well under a second
    except subprocess.TimeoutExpired:
        pytest.fail("the run hung on a FIFO")
    err = proc.stderr.decode()
    assert "Traceback" not in err
    assert proc.returncode in (1, 2), err
    assert [d["location"]["row"] for d in json.loads(proc.stdout) if d["path"] == "good.py"] == [GOOD_LINE]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_replacing_a_cached_file_does_not_hang(tmp_path):
    root = make_project(tmp_path, {"good.py": GOOD_SOURCE, "x.py": b"x = 1\n"})
    warm = cli_subprocess(["check", "--format", "json", "."], cwd=root, timeout=60)  # caches x.py
    assert warm.returncode == 1, warm.stderr
    (root / "x.py").unlink()
    os.mkfifo(root / "x.py")
    try:
        proc = cli_subprocess(["check", "--format", "json", "x.py", "good.py"], cwd=root, timeout=6)
    except subprocess.TimeoutExpired:
        pytest.fail("the run hung on a FIFO that replaced a cached file")
    assert "Traceback" not in proc.stderr.decode()
    assert [d["location"]["row"] for d in json.loads(proc.stdout) if d["path"] == "good.py"] == [GOOD_LINE]


def test_empty_file_and_bom_only_file_are_clean(tmp_path):
    root = make_project(tmp_path, {"empty.py": b"", "bom.py": b"\xef\xbb\xbf", "__init__.py": b""})
    code, out, err = cli(["check", "--no-cache", "--format", "json", "."], cwd=root)
    assert_clean_exit(code, err, expected=0)
    assert json.loads(out) == []


# ---- size and nesting limits -----------------------------------------------------------------------------


def test_fifty_thousand_line_file(tmp_path):
    data, last_line = big_file(50_000)
    assert data.count(b"\n") >= 50_000
    root = make_project(tmp_path, {"big.py": data, "good.py": GOOD_SOURCE})
    t0 = time.monotonic()
    code, out, err = cli(["check", "--no-cache", "-j", "1", "--format", "json", "."], cwd=root)
    elapsed = time.monotonic() - t0
    assert_clean_exit(code, err, expected=1)
    by = diags_by_path(out)
    assert [d["location"]["row"] for d in by["big.py"]] == [last_line]
    assert [d["location"]["row"] for d in by["good.py"]] == [GOOD_LINE]
    assert elapsed < 90, f"50,000 lines took {elapsed:.1f} s"


def test_nesting_limits_of_cpython_are_respected(tmp_path):
    """99 nested blocks (the most CPython allows) are analysed; 101 are a FAK000 with CPython's reason."""
    from robustness_corpus import nested_blocks, nested_blocks_line

    root = make_project(tmp_path, {"deep99.py": nested_blocks(99), "deep101.py": nested_blocks(101)})
    code, out, err = cli(["check", "--no-cache", "--format", "json", "."], cwd=root)
    assert_clean_exit(code, err, expected=1)
    by = diags_by_path(out)
    assert [d["location"]["row"] for d in by["deep99.py"] if d["code"] == "FAK103"] == [nested_blocks_line(99)]
    (d101,) = by["deep101.py"]
    assert d101["code"] == "FAK000" and "indentation" in d101["message"]


def _chain(op: str, n: int) -> bytes:
    first = b"'x'" if op.strip().startswith("'") else b"a"
    return b"import time\n\n\nasync def handler(a):\n    time.sleep(1)\n    return " + first + op.encode() * n + b"\n"


@pytest.mark.parametrize("op", [" and a", " + a", " 'x'"])
def test_long_flat_chains_are_analysed(op):
    s = analyse(_chain(op, 600))
    assert s["error"] is None, s["error"]


def test_long_elif_chain_is_analysed():
    src = b"import time\n\n\nasync def dispatch(a):\n    time.sleep(1)\n    if a == -1:\n        pass\n"
    src += b"".join(b"    elif a == %d:\n        pass\n" % i for i in range(600))
    s = analyse(src)
    assert s["error"] is None, s["error"]


def test_parser_limit_is_not_called_a_syntax_error():
    src = b"x = " + b"'a' " * 4000 + b"\n"
    compile(src, "m.py", "exec")  # valid Python
    s = analyse(src)
    assert s["error"] is None or "syntax error" not in s["error"][2], s["error"]


CRASHERS = {  # each one ended the process with SIGSEGV in libcst's parser (8 MB stack) before parseguard
    "and_chain_16000": b"x = a" + b" and a" * 16000 + b"\n",  # valid Python (96 KB)
    "brackets_1500": nested_brackets(1500),  # 3 KB; CPython: more than 200 nested parentheses
    "not_16000": b"x = " + b"not " * 16000 + b"a\n",  # 64 KB; with a big enough stack: 97 s and 14 GB
    "elif_16000": b"if a:\n    pass\n" + b"elif a:\n    pass\n" * 16000,  # 272 KB; also crashed the walk
}


@pytest.mark.parametrize("crasher", sorted(CRASHERS))
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_parser_stack_overflow_does_not_kill_the_run(tmp_path, jobs, crasher):
    files = {f"m{i:02d}.py": b"x = %d\n" % i for i in range(runner.PARALLEL_THRESHOLD)}
    files["good.py"] = GOOD_SOURCE
    files["crasher.py"] = CRASHERS[crasher]
    root = make_project(tmp_path, files)
    t0 = time.monotonic()
    proc = cli_subprocess(["check", "--no-cache", "-j", jobs, "--format", "json", "."], cwd=root, timeout=120)
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 1, (proc.returncode, -signal.SIGSEGV, err)
    assert "Traceback" not in err and "warning" not in err, err  # no crash, so no fallback either
    by = diags_by_path(proc.stdout.decode())
    assert [d["location"]["row"] for d in by["good.py"]] == [GOOD_LINE]
    assert [d["code"] for d in by.get("crasher.py", [])] in (["FAK000"], [])  # unanalysable, or analysed
    assert time.monotonic() - t0 < 30


DEEP_VALID = {  # valid Python deeper than libcst could parse (or walk) on the 8 MB main-thread stack
    "and_chain_9000": (b"import time\n\n\nasync def f(a):\n    time.sleep(1)\n    return a"
                       + b" and a" * 9000 + b"\n", 5),
    "elif_9000": (b"import time\n\n\nasync def f(a):\n    if a:\n        pass\n"
                  + b"    elif a:\n        pass\n" * 9000 + b"    time.sleep(1)\n", 9000 * 2 + 7),
}


@pytest.mark.parametrize("name", sorted(DEEP_VALID))
def test_deep_valid_file_is_analysed_on_the_big_stack(tmp_path, name):
    """Beyond what the 8 MB main-thread stack takes (~7,000 operands, ~8,000 elifs): analysed for real on
    parseguard's thread, the blocking call after the deep part reported (in a child process: a crash fails
    the test instead of killing pytest)."""
    data, row = DEEP_VALID[name]
    root = make_project(tmp_path, {"deep.py": data})
    proc = cli_subprocess(["check", "--no-cache", "-j", "1", "--format", "json", "."], cwd=root, timeout=120)
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 1, (proc.returncode, err)
    assert [(d["code"], d["location"]["row"]) for d in json.loads(proc.stdout)] == [("FAK103", row)]
    # --fix parses and regenerates the file as deeply (it crashed too, in the main thread)
    fixed = cli_subprocess(["check", "--no-cache", "-j", "1", "--fix", "."], cwd=root, timeout=120)
    assert fixed.returncode == 0, (fixed.returncode, fixed.stderr.decode(errors="replace"))
    after = (root / "deep.py").read_bytes()
    assert b"await asyncio.sleep(1)" in after and after.count(b"\n") == data.count(b"\n") + 1  # + the import


_CRASHING_WORKER = """
import multiprocessing, os, sys
from fakeasync_lint import runner

multiprocessing.set_start_method("fork", force=True)  # the workers must inherit the patch below

real = runner._analyse_job


def _analyse_job(job):  # stands for a crash in native code, whatever the input
    if job[0].endswith("crasher.py"):
        os.abort()
    return real(job)


_analyse_job.__module__ = "fakeasync_lint.runner"  # pickled by reference: the forked workers have it too
runner._analyse_job = _analyse_job
from fakeasync_lint.cli import entry

sys.argv = ["fakeasync-lint", *sys.argv[1:]]
entry()
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the patched job reaches the workers by fork")
def test_worker_crash_marks_only_that_file(tmp_path):
    """A worker that dies (here: SIGABRT on one file, with parseguard out of the way) costs that file only:
    FAK000 "the parser crashed", every other file analysed, nothing re-run in the main process (which would
    abort it)."""
    files = {f"m{i:02d}.py": GOOD_SOURCE for i in range(runner.PARALLEL_THRESHOLD + 8)}
    files["crasher.py"] = b"x = 1\n"
    root = make_project(tmp_path, files)
    env = dict(os.environ)
    env.pop("FAKEASYNC_DEBUG", None)
    proc = subprocess.run([sys.executable, "-c", _CRASHING_WORKER, "check", "--no-cache", "-j", "2", "--format",
                           "json", "."], cwd=root, capture_output=True, timeout=120, env=env)
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 1, (proc.returncode, err)
    assert "Traceback" not in err, err
    by = diags_by_path(proc.stdout.decode())
    (crash,) = by["crasher.py"]
    assert crash["code"] == "FAK000" and "the parser crashed on this file" in crash["message"], crash
    assert "SIGABRT" in crash["message"], crash
    for i in range(runner.PARALLEL_THRESHOLD + 8):
        assert [d["location"]["row"] for d in by[f"m{i:02d}.py"]] == [GOOD_LINE], i


# ---- mutations of real files --------------------------------------------------------------------------------


def _seed_items():
    return sorted(seed_sources().items())


def test_mutants_of_real_files_analyse_without_exceptions():
    """Every seed file cut at random points, spliced with garbage, byte-flipped, re-tabbed, re-ordered."""
    rng = random.Random(20260408)
    seeds = [(n, d) for n, d in _seed_items() if len(d) < 40_000]
    count = 0
    for name, data in seeds:
        for mname in ("truncate", "truncate", "splice", "flip", "retab", "shuffle"):
            mutant = MUTATIONS[mname](data, rng)
            s = analyse(mutant, "mutant.py")
            count += 1
            json.dumps(s)
            if s["error"] is not None:
                continue
            # analysed without error: then libcst must accept the text too (no silently empty summary)
            text, _ = analysis.decode_source(mutant)
            cst.parse_module(text)
    assert count >= 100


def test_mutants_in_one_run_keep_the_good_files(tmp_path):
    rng = random.Random(7)
    files = {}
    for i, (name, data) in enumerate(_seed_items()):
        mname = rng.choice(sorted(MUTATIONS))
        files[f"mut/{i:02d}_{mname}.py"] = MUTATIONS[mname](data, rng)
    files["mut/zz_good.py"] = GOOD_SOURCE
    root = make_project(tmp_path, files)
    code, out, err = cli(["check", "--no-cache", "--format", "json", "-j", "1", "."], cwd=root)
    assert_clean_exit(code, err, expected=1)
    by = diags_by_path(out)
    assert [d["location"]["row"] for d in by["mut/zz_good.py"]] == [GOOD_LINE]


def _seed_app_report(root: Path) -> list:
    code, out, err = cli(["check", "--no-cache", "--format", "json", "-j", "1", "."], cwd=root)
    assert_clean_exit(code, err, expected=1)
    return sorted((d["path"], d["code"], d["location"]["row"], d["location"]["column"]) for d in json.loads(out))


CR_ONLY_BUG = ("BUG: with classic-Mac CR-only newlines every diagnostic is reported on row 1 (column = offset in "
               "the file): analysis._Walker.add_token() counts only '\\n'; see docs/robustness.md")


def test_cr_only_newlines_rows(tmp_path):
    data, _ = hostile_files()["cr_only.py"]
    root = make_project(tmp_path, {"cr.py": data})
    code, out, err = cli(["check", "--no-cache", "--format", "json", "."], cwd=root)
    assert_clean_exit(code, err, expected=1)
    assert [(d["location"]["row"], d["location"]["column"]) for d in json.loads(out)] == [(5, 5)]


@pytest.mark.parametrize("mutation", ["crlf", "bom", "cr_only", "tabs"])
def test_meaning_preserving_mutations_give_the_same_report(tmp_path, mutation):
    """CRLF / CR newlines, a BOM, or tab indentation change nothing in what is reported (no lost code)."""
    src = FIXTURES / "seed_app"
    plain = tmp_path / "plain"
    shutil.copytree(src, plain / "seed_app")
    (plain / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    mutated = tmp_path / "mutated"
    shutil.copytree(plain, mutated)
    for p in (mutated / "seed_app").rglob("*.py"):
        d = p.read_bytes()
        if mutation == "crlf":
            d = d.replace(b"\n", b"\r\n")
        elif mutation == "cr_only":
            d = d.replace(b"\n", b"\r")
        elif mutation == "bom":
            d = b"\xef\xbb\xbf" + d
        elif mutation == "tabs":
            d = b"\n".join(_tabify(line) for line in d.split(b"\n"))
        p.write_bytes(d)
    expected = _seed_app_report(plain)
    got = _seed_app_report(mutated)
    if mutation == "tabs":  # columns move with the indentation; rows and rules must not
        expected = [e[:3] for e in expected]
        got = [g[:3] for g in got]
    assert got == expected


def _tabify(line: bytes) -> bytes:
    stripped = line.lstrip(b" ")
    n = len(line) - len(stripped)
    return (b"\t" * (n // 4) + b" " * (n % 4) + stripped) if stripped else line


# ---- the cache under abuse -------------------------------------------------------------------------------------


N_CACHE_FILES = runner.PARALLEL_THRESHOLD + 4


def _cache_project(root: Path) -> Path:
    files = {"pkg/__init__.py": b""}
    for i in range(N_CACHE_FILES):
        nxt = (i + 1) % N_CACHE_FILES
        files[f"pkg/m{i:02d}.py"] = (
            f"import time\nimport subprocess\n\nfrom pkg.m{nxt:02d} import helper{nxt:02d}\n\n\n"
            f"def helper{i:02d}():\n    return subprocess.run(['true'])\n\n\n"
            f"async def handler{i:02d}():\n    time.sleep({i})\n    return helper{nxt:02d}()\n"
        ).encode()
    return make_project(root, files)


def _lint_json(root: Path, use_cache: bool) -> str:
    old = os.getcwd()
    os.chdir(root)
    try:
        settings = load_settings(["."])
        result = runner.run(["."], settings, cwd=str(root), jobs=1, use_cache=use_cache)
    finally:
        os.chdir(old)
    return render(result.diagnostics, "json")


def _cache_file(root: Path) -> Path:
    (f,) = sorted((root / ".fakeasync_cache").glob("summaries-*.jsonl"))
    return f


def _drop_run_cache(root: Path) -> None:
    for f in (root / ".fakeasync_cache").glob("run-*.json"):
        f.unlink()


def _assert_valid_cache(cfile: Path) -> None:
    shash, entries, _ = cache_mod.read_entries(cfile)
    assert shash is not None and len(entries) == N_CACHE_FILES + 1


def test_cache_truncated_or_garbage_is_ignored(tmp_path):
    root = _cache_project(tmp_path)
    expected = _lint_json(root, use_cache=False)
    _lint_json(root, use_cache=True)
    cfile = _cache_file(root)
    good = cfile.read_bytes()
    rng = random.Random(99)
    corruptions = [good[:n] for n in sorted({0, 1, len(good) // 2, len(good) - 1, *rng.sample(range(len(good)), 6)})]
    corruptions += [rng.randbytes(len(good)), b"\x00" * 4096, b"\xff\xfe" + good[2:], good + b"garbage",
                    good.replace(b'"files"', b'"filez"'), b"[]", b"null", b'{"salt": 1}', good[::-1]]
    for i, bad in enumerate(corruptions):
        cfile.write_bytes(bad)
        _drop_run_cache(root)
        assert _lint_json(root, use_cache=True) == expected, f"corruption #{i}"
        _assert_valid_cache(cfile)  # rebuilt
    assert not list(cfile.parent.glob(".tmp-*"))




@pytest.mark.parametrize("damage", [
    # one renamed key -> KeyError 'functions' in build_facts -> exit 2 'internal error'
    "renamed-key",
    # one changed digit -> a wrong line reported, silently
    # one changed digit -> a wrong line reported, silently (caught by the per-line checksum)
    "changed-line",
])
def test_cache_single_byte_damage_is_detected(tmp_path, damage):
    root = _cache_project(tmp_path)
    expected = _lint_json(root, use_cache=False)
    _lint_json(root, use_cache=True)
    cfile = _cache_file(root)
    data = cfile.read_text()
    if damage == "renamed-key":
        bad = data.replace('"functions"', '"functionz"', 1)
    else:
        # the start row of a recorded `time.sleep(i)` call (line 12 of every module): 12 -> 13
        bad = data.replace("[[12,5,12,", "[[13,5,12,", 1)
    assert bad != data and len(bad) == len(data)
    cfile.write_text(bad)
    _drop_run_cache(root)
    assert _lint_json(root, use_cache=True) == expected
    _assert_valid_cache(cfile)


def test_concurrent_runs_with_a_cache_vandal(tmp_path):
    """4 CLI processes at once share one cache (each with a 2-worker pool) while a thread keeps truncating and
    garbling the cache file: every run prints exactly the --no-cache report, and the cache ends up valid."""
    root = _cache_project(tmp_path)
    expected = cli_subprocess(["check", "--no-cache", "--format", "json", "."], cwd=root)
    assert expected.returncode == 1, expected.stderr
    cdir = root / ".fakeasync_cache"
    stop = threading.Event()

    def vandal():
        rng = random.Random(5)
        while not stop.is_set():
            for f in (list(cdir.glob("summaries-*.jsonl")) + list(cdir.glob("run-*.json"))
                      + list(cdir.glob("state-*.json"))) if cdir.exists() else []:
                try:
                    data = f.read_bytes()
                    f.write_bytes(data[: rng.randrange(len(data) + 1)] if rng.random() < 0.5
                                  else rng.randbytes(64))
                except OSError:
                    pass
            time.sleep(0.01)

    t = threading.Thread(target=vandal, daemon=True)
    t.start()
    try:
        for round_ in range(2):
            if round_ == 1:
                f = root / "pkg" / "m03.py"
                f.write_bytes(f.read_bytes() + b"\n# edited while others run\n")
            procs = [subprocess.Popen(_exe(["check", "--format", "json", "-j", "2", "."]), cwd=root,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
            outs = [p.communicate(timeout=240) for p in procs]
            for p, (out, err) in zip(procs, outs):
                assert p.returncode == 1, err
                assert b"Traceback" not in err, err
                assert out == expected.stdout
    finally:
        stop.set()
        t.join()
    # after the vandal: one clean run rewrites the cache, the next one is fully warm and identical
    _drop_run_cache(root)
    final = cli_subprocess(["check", "--format", "json", "."], cwd=root)
    assert final.stdout == expected.stdout
    _assert_valid_cache(_cache_file(root))
    old = os.getcwd()
    os.chdir(root)
    try:
        warm = runner.run(["."], load_settings(["."]), cwd=str(root), jobs=1)
    finally:
        os.chdir(old)
    assert warm.analysed == 0
    assert render(warm.diagnostics, "json") == expected.stdout.decode()
    assert not list(cdir.glob(".tmp-*"))


def _exe(args):
    from robustness_corpus import cli_exe

    return [*cli_exe(), *args]


# ---- --fix on hostile targets --------------------------------------------------------------------------------------

FIXABLE = b"import time\n\n\nasync def handler():\n    time.sleep(1)\n"
# a fix that cannot be written: a clear error on stderr, exit 1 (the diagnostic is left) or 2 (cli.py counts
# the failed write as an error, as it does today)
WRITE_FAILED = (1, 2)


def _fix(root, *paths, extra=()):
    return cli(["check", "--no-cache", "--fix", "-j", "1", *extra, *(paths or ["."])], cwd=root)


def test_fix_sanity():
    """The fixer exists and fixes FIXABLE (the other --fix tests rely on it)."""
    assert hasattr(apply_mod, "apply_fixes") and hasattr(apply_mod, "write_atomic")


def test_fix_read_only_file(tmp_path):
    root = make_project(tmp_path, {"ro.py": FIXABLE, "rw.py": FIXABLE})
    os.chmod(root / "ro.py", 0o444)
    try:
        code, out, err = _fix(root)
    finally:
        os.chmod(root / "ro.py", 0o644)
    assert_clean_exit(code, err, expected=WRITE_FAILED)  # ro.py's diagnostic remains, and an error
    assert "ro.py" in err and "read-only" in err
    assert (root / "ro.py").read_bytes() == FIXABLE
    assert b"await asyncio.sleep(1)" in (root / "rw.py").read_bytes()
    assert not [p for p in root.iterdir() if "fakeasync-tmp" in p.name]


def test_fix_file_changed_between_read_and_write(tmp_path, monkeypatch):
    root = make_project(tmp_path, {"race.py": FIXABLE})
    edited = FIXABLE + b"\n# edited by someone else meanwhile\n"
    real_fix_file = apply_mod._fix_file

    def racing_fix_file(src, *a, **k):
        res = real_fix_file(src, *a, **k)
        Path(src.path).write_bytes(edited)  # the user saves the file while we compute the fix
        return res

    monkeypatch.setattr(apply_mod, "_fix_file", racing_fix_file)
    code, out, err = _fix(root)
    assert_clean_exit(code, err, expected=WRITE_FAILED)
    assert "changed" in err
    assert (root / "race.py").read_bytes() == edited, "the concurrent edit is kept, never overwritten"


def test_fix_through_symlink_keeps_the_link(tmp_path):
    root = make_project(tmp_path, {"real/target.py": FIXABLE})
    os.symlink(os.path.join("real", "target.py"), root / "link.py")
    code, out, err = _fix(root, "link.py")
    assert_clean_exit(code, err, expected=0)
    assert (root / "link.py").is_symlink()
    fixed = (root / "real" / "target.py").read_bytes()
    assert b"await asyncio.sleep(1)" in fixed
    cst.parse_module(fixed.decode())


@pytest.mark.parametrize("failing", ["fsync", "replace", "write"])
def test_fix_never_writes_partially(tmp_path, monkeypatch, failing):
    """A failure while writing (disk full, rename refused) leaves the original bytes and no temp file."""
    root = make_project(tmp_path, {"victim.py": FIXABLE.replace(b"\n", b"\r\n")})

    def boom(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "fsync":
        monkeypatch.setattr(apply_mod.os, "fsync", boom)
    elif failing == "replace":
        monkeypatch.setattr(apply_mod.os, "replace", boom)
    else:
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()
                return False

            def write(self, data):
                self.fh.write(data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")

            def __getattr__(self, name):
                return getattr(self.fh, name)

        monkeypatch.setattr(apply_mod.os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    code, out, err = _fix(root)
    assert_clean_exit(code, err, expected=WRITE_FAILED)
    assert "No space left on device" in err
    assert (root / "victim.py").read_bytes() == FIXABLE.replace(b"\n", b"\r\n")
    assert not [p.name for p in root.iterdir() if "fakeasync-tmp" in p.name], "a temporary file was left"


@pytest.mark.parametrize("name", ["latin1_cookie.py", "bom.py", "crlf.py", "cr_only.py", "tabs_only.py",
                                  "form_feed.py", "py312_pep695.py", "unicode_idents.py"])
def test_fix_keeps_encoding_and_newlines(tmp_path, name):
    data, _ = hostile_files()[name]
    root = make_project(tmp_path, {name: data})
    code, out, err = _fix(root, extra=["--unsafe-fixes"])
    assert_clean_exit(code, err)
    after = (root / name).read_bytes()
    text, decode_err = analysis.decode_source(after)
    assert decode_err is None, decode_err
    cst.parse_module(text)
    assert after.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in after) == (b"\r\n" in data)
    if after != data:
        assert b"await asyncio.sleep" in after


def test_fix_on_unanalysable_files_changes_nothing(tmp_path):
    files = {name: data for name, (data, expect) in hostile_files().items()
             if expect == "fak000" and name not in SLOW_HOSTILE}
    files["good.py"] = FIXABLE
    root = make_project(tmp_path, files)
    code, out, err = _fix(root, extra=["--unsafe-fixes", "--format", "json"])
    assert_clean_exit(code, err, expected=1)
    for name, data in files.items():
        if name != "good.py":
            assert (root / name).read_bytes() == data, name
    assert b"await asyncio.sleep(1)" in (root / "good.py").read_bytes()


# ---- standard input (editor integrations) -------------------------------------------------------------------


def _stdin_run(args, data: bytes, cwd) -> subprocess.CompletedProcess:
    from robustness_corpus import cli_exe

    return subprocess.run([*cli_exe(), "check", "--no-cache", "--isolated", *args], input=data, cwd=str(cwd),
                          capture_output=True, timeout=60)


@pytest.mark.parametrize("name", sorted(set(hostile_files()) - SLOW_HOSTILE))
def test_hostile_bytes_on_stdin(tmp_path, name):
    data, _ = hostile_files()[name]
    code, out, err = cli(["check", "--no-cache", "--isolated", "--format", "json", "--stdin-filename", "snippet.py"],
                         cwd=tmp_path, input=data)
    assert_clean_exit(code, err)
    diags = json.loads(out)
    assert all(d["path"] == "snippet.py" for d in diags)


LATIN1_CLEAN = "# -*- coding: latin-1 -*-\nGREETING = 'caf\u00e9'\n".encode("latin-1")
LATIN1_FIXABLE = ("# -*- coding: latin-1 -*-\nimport time\n\n\nasync def caf\u00e9():\n    s = 'd\u00e9j\u00e0'\n"
                  "    time.sleep(1)\n").encode("latin-1")


def test_stdin_fix_echoes_an_unfixed_latin1_buffer_byte_for_byte(tmp_path):
    proc = _stdin_run(["--fix", "--stdin-filename", "m.py"], LATIN1_CLEAN, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == LATIN1_CLEAN  # was 'caf\xc3\xa9' (UTF-8 under a latin-1 cookie)


def test_stdin_fix_keeps_the_latin1_encoding(tmp_path):
    proc = _stdin_run(["--fix", "--stdin-filename", "m.py"], LATIN1_FIXABLE, tmp_path)
    text, derr = analysis.decode_source(proc.stdout)
    assert derr is None, derr
    assert "d\u00e9j\u00e0" in text and "await asyncio.sleep(1)" in text  # was 'd\xc3\x83\xc2\xa9j...'
    assert proc.returncode == 0, proc.stderr


def test_stdin_invalid_utf8_is_fak000_as_for_a_file(tmp_path):
    data = b"import time\nx = '\xff'\n"
    (tmp_path / "m.py").write_bytes(data)
    as_file = _stdin_run(["--format", "json", "m.py"], b"", tmp_path)
    as_stdin = _stdin_run(["--format", "json", "--stdin-filename", "m.py"], data, tmp_path)
    assert [d["code"] for d in json.loads(as_file.stdout)] == ["FAK000"]
    assert [d["code"] for d in json.loads(as_stdin.stdout)] == ["FAK000"]  # was clean (read as latin-1)


def test_walk_uses_the_big_stack_for_very_long_chains():
    """16,000 `and` operands: valid Python that CPython accepts; parsed and walked on the parse thread,
    whose stack lets the walk recurse past the 30,000-frame limit that is safe on an 8 MB stack."""
    src = b"import time\n\n\nasync def f(a):\n    time.sleep(1)\n    return a" + b" and a" * 16000 + b"\n"
    s = analyse(src)
    assert s["error"] is None, s["error"]
    (fn,) = s["functions"].values()
    assert any(c[0] == 5 for c in fn["calls"])  # the time.sleep call, line 5
