"""The summary cache (.fakeasync_cache/) and parallel analysis."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fakeasync_lint import atomic as atomic_mod
from fakeasync_lint import cache as cache_mod
from fakeasync_lint import runner
from fakeasync_lint.config import load_settings
from fakeasync_lint.output import render

N_FILES = max(30, runner.PARALLEL_THRESHOLD + 6)


def make_project(root: Path, n: int = N_FILES) -> Path:
    (root / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    pkg = root / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for i in range(n):
        nxt = (i + 1) % n
        (pkg / f"mod{i:02d}.py").write_text(
            "import time\n\nimport requests\n\n"
            f"from pkg.mod{nxt:02d} import helper{nxt:02d}\n\n\n"
            f"def helper{i:02d}():\n    return requests.get('https://example.invalid/{i}', timeout=3)\n\n\n"
            f"async def handler{i:02d}():\n"
            f"    time.sleep({i % 3})\n"
            f"    return helper{nxt:02d}()\n\n\n"
            f"async def clean{i:02d}():\n    return {i}\n"
        )
    return root


def lint(root: Path, **kw):
    old = os.getcwd()
    os.chdir(root)
    try:
        settings = load_settings(["."])
        result = runner.run(["."], settings, cwd=str(root), **kw)
    finally:
        os.chdir(old)
    return result


def as_json(result) -> str:
    return render(result.diagnostics, "json")


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


@pytest.fixture
def baseline_output(project):
    result = lint(project, use_cache=False)
    assert result.analysed == N_FILES + 1
    assert not (project / ".fakeasync_cache").exists()
    out = as_json(result)
    assert len(json.loads(out)) == 2 * N_FILES  # one FAK103 and one FAK401 per module
    return out


def cache_files(project):
    return sorted((project / ".fakeasync_cache").glob("summaries-*.jsonl"))


def drop_run_cache(project):
    """Make the next run read the summary cache (a saved run result would answer first)."""
    for f in (project / ".fakeasync_cache").glob("run-*.json"):
        f.unlink()


def assert_valid_cache(cfile, n=N_FILES + 1):
    shash, entries, _ = cache_mod.read_entries(cfile)
    assert shash is not None and len(entries) == n


# ---- layout, hits and misses ---------------------------------------------------------------------

def test_cache_layout_and_warm_run(project, baseline_output):
    cold = lint(project)
    assert cold.analysed == N_FILES + 1
    cdir = project / ".fakeasync_cache"
    assert (cdir / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert "*" in (cdir / ".gitignore").read_text().split()
    assert len(cache_files(project)) == 1
    assert as_json(cold) == baseline_output
    warm = lint(project)
    assert warm.analysed == 0
    assert as_json(warm) == baseline_output
    # a touched-but-unchanged file is a hit too (content hash)
    f = project / "pkg" / "mod03.py"
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 5_000_000_000))
    assert lint(project).analysed == 0


def test_changed_file_is_reanalysed(project, baseline_output):
    lint(project)
    f = project / "pkg" / "mod05.py"
    f.write_text(f.read_text().replace("    time.sleep(2)\n", "    pass\n"))
    result = lint(project)
    assert result.analysed == 1
    diags = json.loads(as_json(result))
    assert len(diags) == 2 * N_FILES - 1
    assert not any(d["path"] == "pkg/mod05.py" and d["code"] == "FAK103" for d in diags)
    # and the result equals a no-cache run
    assert as_json(result) == as_json(lint(project, use_cache=False))
    assert lint(project).analysed == 0


def test_settings_change_uses_another_cache(project):
    lint(project)
    (project / "pyproject.toml").write_text('[tool.fakeasync-lint]\nblocking-calls = {"pkg.mod00.helper00" = "x"}\n')
    assert lint(project).analysed == N_FILES + 1


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff garbage",
        b"{truncated",
        b"[]",
        b'{"salt": "someone-else", "files": {}}',
        b'{"salt": null, "files": []}',
        b"fakeasync-cache 2 0123456789abcdef\n",
        b"fakeasync-cache 1 x\n",
        b"fakeasync-cache\n\n\t[]\n",
    ],
    ids=["binary", "truncated", "list", "foreign-salt", "wrong-types", "other-salt-header", "other-format",
         "broken-header"],
)
def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(project, baseline_output, content):
    lint(project)
    (cfile,) = cache_files(project)
    cfile.write_bytes(content)
    drop_run_cache(project)
    result = lint(project)
    assert result.analysed == N_FILES + 1
    assert as_json(result) == baseline_output
    assert_valid_cache(cfile)  # rebuilt
    assert lint(project).analysed == 0


def test_corrupt_entries_are_ignored(project, baseline_output):
    lint(project)
    (cfile,) = cache_files(project)
    head, *lines = cfile.read_bytes().rstrip(b"\n").split(b"\n")
    lines.sort()

    def signed(entry):  # a well-signed line with bad content: the checksum alone does not save us
        payload = json.dumps(entry).encode()
        return cache_mod._sum(payload) + b"\t" + payload

    e2 = json.loads(lines[2].split(b"\t", 1)[1])
    e2[5] = {"module": "wrong.module", "path": e2[0]}
    lines[0] = signed("not an entry")
    lines[1] = signed([1, 2, 3])
    lines[2] = signed(e2)
    cfile.write_bytes(b"\n".join([head] + lines) + b"\n")
    drop_run_cache(project)
    result = lint(project)
    assert result.analysed == 3
    assert as_json(result) == baseline_output


def test_read_only_cache_directory(project, baseline_output, monkeypatch):
    lint(project)
    cdir = project / ".fakeasync_cache"
    f = project / "pkg" / "mod07.py"
    f.write_text(f.read_text() + "\n# changed\n")
    os.chmod(cdir, stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(cdir, os.W_OK):  # root ignores permission bits: make every write fail instead
            def denied(*a, **k):
                raise PermissionError(13, "Permission denied")

            monkeypatch.setattr(atomic_mod.tempfile, "mkstemp", denied)
        result = lint(project)
        assert result.analysed == 1
        expected = json.loads(baseline_output)
        assert json.loads(as_json(result)) == expected
        assert lint(project).analysed == 1  # still unwritten: re-analysed again, same result
    finally:
        os.chmod(cdir, stat.S_IRWXU)
    assert not list(cdir.glob(".tmp-*")), "no temporary files left behind"


def test_unwritable_cache_location(project, baseline_output):
    (project / ".fakeasync_cache").write_text("a file where the directory should be")
    result = lint(project)
    assert as_json(result) == baseline_output
    assert lint(project).analysed == N_FILES + 1


# ---- processes ---------------------------------------------------------------------------------------

def _cli(*args):
    exe = Path(sys.executable).with_name("fakeasync-lint")
    return ([str(exe)] if exe.exists() else [sys.executable, "-m", "fakeasync_lint"]) + ["check", *args]


def test_concurrent_runs_share_one_cache(project):
    expected = subprocess.run(_cli("--no-cache", "--format", "json", "."), cwd=project, capture_output=True,
                              timeout=300)
    assert expected.returncode == 1, expected.stderr
    assert not (project / ".fakeasync_cache").exists()
    for round_ in range(3):
        if round_ == 2:  # a changed file while two warm runs race
            f = project / "pkg" / "mod11.py"
            f.write_text(f.read_text() + "\n# edited\n")
        procs = [subprocess.Popen(_cli("--format", "json", "--jobs", "2", "."), cwd=project,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        outs = [p.communicate(timeout=300) for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert p.returncode == 1, err
            assert out == expected.stdout, "a cached run differs from --no-cache"
        (cfile,) = cache_files(project)
        assert_valid_cache(cfile)
        assert not list((project / ".fakeasync_cache").glob(".tmp-*"))
    assert lint(project).analysed == 0


class _SpyPool(runner.ProcessPoolExecutor):
    created = 0

    def __init__(self, *a, **k):
        type(self).created += 1
        super().__init__(*a, **k)


def test_jobs_1_and_2_give_identical_output(project, monkeypatch):
    monkeypatch.setattr(runner, "ProcessPoolExecutor", _SpyPool)
    _SpyPool.created = 0
    serial = lint(project, use_cache=False, jobs=1)
    assert _SpyPool.created == 0
    parallel = lint(project, use_cache=False, jobs=2)
    assert _SpyPool.created == 1, "the process pool was used"
    assert parallel.analysed == serial.analysed == N_FILES + 1
    assert as_json(parallel) == as_json(serial)
    # through the CLI: byte-identical output in every format that lists diagnostics
    for fmt in ("json", "concise", "sarif"):
        outs = [subprocess.run(_cli("--no-cache", "--jobs", j, "--format", fmt, "."), cwd=project,
                               capture_output=True, timeout=300).stdout for j in ("1", "2")]
        assert outs[0] == outs[1], fmt


def test_warm_run_with_module_level_container_attribute(tmp_path):
    """Minimal reproduction: a module-level value whose method is called from async code in another module."""
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    (tmp_path / "a.py").write_text("import collections\n\nRULES = collections.OrderedDict()\n")
    (tmp_path / "b.py").write_text("from a import RULES\n\n\nasync def f():\n    return list(RULES.values())\n")
    cold = lint(tmp_path)
    warm = lint(tmp_path)
    assert warm.analysed == 0
    assert as_json(warm) == as_json(cold)


# ---- the run cache: edits that change no recorded fact ---------------------------------------------

def _no_project_analysis(monkeypatch):
    from fakeasync_lint import project as project_mod

    def boom(*a, **k):
        raise AssertionError("the whole project analysis ran")

    monkeypatch.setattr(project_mod, "build_facts", boom)


def test_comment_only_edit_reuses_the_run_result(project, baseline_output, monkeypatch):
    lint(project)
    f = project / "pkg" / "mod04.py"
    f.write_text(f.read_text() + "# a trailing comment changes no fact\n")
    with monkeypatch.context() as m:
        _no_project_analysis(m)
        result = lint(project)
    assert result.analysed == 1
    assert as_json(result) == baseline_output
    # the new state was recorded in both caches: a warm run, and a run from the summaries alone
    assert lint(project).analysed == 0
    drop_run_cache(project)
    assert lint(project).analysed == 0


def test_edit_that_moves_lines_updates_the_project_state(project, baseline_output, monkeypatch):
    lint(project)
    f = project / "pkg" / "mod04.py"
    f.write_text("# a new first line moves every position\n" + f.read_text())
    with monkeypatch.context() as m:
        _no_project_analysis(m)
        result = lint(project)  # the saved project state is updated: no whole-project analysis
    assert result.how == "incremental"
    assert result.analysed == 1
    assert as_json(result) == as_json(lint(project, use_cache=False))
    assert as_json(result) != baseline_output


def test_edit_without_a_project_state_runs_the_project_analysis(project, baseline_output, monkeypatch):
    lint(project)
    for p in (project / ".fakeasync_cache").glob("state-*.json"):
        p.unlink()
    f = project / "pkg" / "mod04.py"
    f.write_text("# a new first line moves every position\n" + f.read_text())
    with monkeypatch.context() as m:
        _no_project_analysis(m)
        with pytest.raises(AssertionError, match="whole project analysis"):
            lint(project)
    result = lint(project)
    assert result.how == "full"
    assert result.analysed == 1  # the summary computed while revalidating is reused
    assert as_json(result) == as_json(lint(project, use_cache=False))


def test_many_changed_files_skip_revalidation(project, monkeypatch):
    lint(project)
    monkeypatch.setattr(runner, "REVALIDATE_MAX", 2)
    for i in range(3):
        f = project / "pkg" / f"mod{i:02d}.py"
        f.write_text(f.read_text() + "# comment\n")
    result = lint(project)
    assert result.analysed == 3
    assert as_json(result) == as_json(lint(project, use_cache=False))


def test_deleted_or_added_file_invalidates_the_run_result(project, monkeypatch):
    lint(project)
    (project / "pkg" / "mod02.py").unlink()
    assert as_json(lint(project)) == as_json(lint(project, use_cache=False))
    (project / "pkg" / "extra.py").write_text("import time\n\n\nasync def h():\n    time.sleep(1)\n")
    result = lint(project)
    assert result.analysed == 1
    assert as_json(result) == as_json(lint(project, use_cache=False))


def test_runs_on_different_paths_share_one_saved_result(project, monkeypatch):
    # pre-commit asks for a different set of files each time: the result saved for the whole project
    # serves them all (a file's diagnostics do not depend on which others are reported)
    full = lint(project, use_cache=False)
    old = os.getcwd()
    os.chdir(project)
    try:
        settings = load_settings(["."])
        for i in range(4):
            paths = [f"pkg/mod{i:02d}.py", f"pkg/mod{i + 10:02d}.py"]
            r = runner.run(paths, settings, cwd=str(project), jobs=1)
            assert r.how == ("full" if i == 0 else "cached")
            want = [d for d in full.diagnostics if d.path in paths]
            own = [d for d in r.diagnostics if d.path in paths]
            assert render(own, "json") == render(want, "json")
            # and the findings elsewhere whose chain runs through a given file, with the reason
            caused = [d for d in r.diagnostics if d.path not in paths]
            assert all("reported because its chain passes through" in d.message
                       and any(f.path in paths for f in d.trace) for d in caused)
            assert len(caused) == sum(1 for d in full.diagnostics if d.path not in paths
                                      and any(f.path in paths for f in d.trace))
        # an edit, then another path set: updated incrementally, still only the paths asked for
        f = project / "pkg" / "mod02.py"
        f.write_text("# moved\n" + f.read_text())
        r = runner.run(["pkg/mod01.py"], settings, cwd=str(project), jobs=1)
        assert r.how == "incremental"
        assert "pkg/mod01.py" in {d.path for d in r.diagnostics}
        assert all(d.path == "pkg/mod01.py" or "passes through pkg/mod01.py" in d.message for d in r.diagnostics)
    finally:
        os.chdir(old)
    assert len(list((project / ".fakeasync_cache").glob("run-*.json"))) == 1
    assert len(list((project / ".fakeasync_cache").glob("state-*.json"))) == 1


def test_saved_run_results_are_pruned(project, monkeypatch):
    from fakeasync_lint import runcache

    monkeypatch.setattr(runcache, "KEEP", 3)
    old = os.getcwd()
    os.chdir(project)
    try:
        for i in range(6):  # six rule selections: six saved results
            settings = load_settings(["."], None, {"select": [f"FAK10{i + 1}"]})
            runner.run(["."], settings, cwd=str(project), jobs=1)
    finally:
        os.chdir(old)
    assert len(list((project / ".fakeasync_cache").glob("run-*.json"))) == 3
    assert len(list((project / ".fakeasync_cache").glob("state-*.json"))) == 3


def test_summary_caches_of_old_keys_are_pruned(project, monkeypatch):
    cdir = project / ".fakeasync_cache"
    cdir.mkdir()
    stale = [cdir / f"summaries-{i:016x}.jsonl" for i in range(4)]
    for i, f in enumerate(stale):
        f.write_bytes(b"fakeasync-cache 2 x\n")
        os.utime(f, ns=(10**18 + i, 10**18 + i))
    (cdir / "summaries-0123456789abcdef.json").write_bytes(b"{}")  # format 1
    lint(project)
    left = sorted(p.name for p in cdir.glob("summaries-*"))
    current = cache_files(project)
    # the current cache and the two most recent others remain
    assert len(left) == cache_mod.KEEP_KEYS
    assert {f.name for f in stale[2:]} | {c.name for c in current} == set(left)


def test_chunks_cover_every_file_once_and_shrink_towards_the_end():
    todo = list(range(10916))
    chunks = runner._chunks(todo, 2)
    assert [x for c in chunks for x in c] == todo
    assert max(map(len, chunks)) == 64
    assert all(len(c) <= 2 for c in chunks[-10:]), "the last hand-overs are small: workers finish together"
    assert runner._chunks([], 2) == []
    assert [x for c in runner._chunks(list(range(5)), 8) for x in c] == list(range(5))


def test_parallel_run_with_cache_equals_warm_and_serial(project):
    """Workers send each summary marshalled (and its JSON text for the cache line): the cold parallel run,
    the warm run that reads the cache lines back, and a serial run report the same."""
    cold = lint(project, jobs=2)
    warm = lint(project, jobs=2)
    serial = lint(project, use_cache=False, jobs=1)
    assert cold.analysed == N_FILES + 1 and warm.analysed == 0
    assert as_json(cold) == as_json(warm) == as_json(serial)
