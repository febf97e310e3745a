"""Baselines: `fakeasync-lint baseline` + `check --baseline FILE` fail only on new violations."""
from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakeasync_lint.baseline import (
    DEFAULT_BASELINE,
    BaselineError,
    apply_baseline,
    baseline_command,
    baseline_key,
    load_baseline,
    normalise_statement,
    write_baseline,
)
from fakeasync_lint.cli import main
from fakeasync_lint.config import load_settings
from fakeasync_lint.runner import run

ROOT = Path(__file__).resolve().parents[1]

JOBS = textwrap.dedent(
    """\
    import time

    import requests


    async def poll(url):
        time.sleep(1)
        return requests.get(url, timeout=3)


    async def other():
        time.sleep(1)
    """
)


def invoke(command, args, cwd):
    old = os.getcwd()
    try:
        os.chdir(cwd)
        res = CliRunner().invoke(command, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def check(cwd, *args):
    code, out, err = invoke(main, ["check", "--no-cache", *args], cwd)
    return code, out, err


def check_json(cwd, *args):
    code, out, err = check(cwd, "--format", "json", *args)
    return code, json.loads(out), err


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "jobs.py").write_text(JOBS)
    return tmp_path


def write(project, text):
    (project / "app" / "jobs.py").write_text(textwrap.dedent(text))


def make_baseline(project, *args):
    code, out, err = invoke(baseline_command, ["--no-cache", *args], project)
    assert code == 0, err
    return json.loads((project / DEFAULT_BASELINE).read_text())


# ---- the file -----------------------------------------------------------------------------------

def test_baseline_file_format(project):
    doc = make_baseline(project)
    assert doc["version"] == 1 and doc["tool"] == "fakeasync-lint"
    entries = doc["entries"]
    assert {(e["code"], e["path"], e["function"], e["statement"], e["count"]) for e in entries} == {
        ("FAK102", "app/jobs.py", "app.jobs.poll", 'requests.get(url,timeout=3)', 1),
        ("FAK103", "app/jobs.py", "app.jobs.poll", "time.sleep(1)", 1),
        ("FAK103", "app/jobs.py", "app.jobs.other", "time.sleep(1)", 1),
    }
    # stable, sorted output: writing it twice gives the same bytes
    first = (project / DEFAULT_BASELINE).read_bytes()
    make_baseline(project)
    assert (project / DEFAULT_BASELINE).read_bytes() == first
    assert first.endswith(b"\n") and b"\r" not in first


def test_baseline_output_option_and_message(project):
    code, out, err = invoke(baseline_command, ["--no-cache", "-o", "ci/base.json", "app"], project)
    assert code == 2 and "cannot write baseline file" in err  # the directory does not exist
    (project / "ci").mkdir()
    code, out, err = invoke(baseline_command, ["--no-cache", "-o", "ci/base.json", "app"], project)
    assert code == 0
    assert "3 violations" in err and "ci/base.json" in err
    doc = json.loads((project / "ci" / "base.json").read_text())
    # paths are relative to the baseline file's directory
    assert {e["path"] for e in doc["entries"]} == {"../app/jobs.py"}
    assert check(project, "--baseline", "ci/base.json")[0] == 0


def test_baseline_command_select_and_errors(project):
    doc = make_baseline(project, "--select", "FAK102")
    assert [e["code"] for e in doc["entries"]] == ["FAK102"]
    code, _, err = invoke(baseline_command, ["--no-cache", "--select", "NOPE9"], project)
    assert code == 2 and "NOPE9" in err
    code, _, err = invoke(baseline_command, ["--no-cache", "missing_dir"], project)
    assert code == 2 and "missing_dir" in err and "not written" in err


# ---- matching -----------------------------------------------------------------------------------

def test_everything_baselined_passes(project):
    make_baseline(project)
    code, diags, err = check_json(project, "--baseline", DEFAULT_BASELINE)
    assert code == 0, err
    assert len(diags) == 3 and {d["baseline"] for d in diags} == {"baselined"}
    # without the baseline the same run fails
    assert check(project)[0] == 1


def test_survives_line_shifts_unrelated_edits_and_reformatting(project):
    make_baseline(project)
    write(project, '''\
        """A docstring and a new helper push everything down."""
        import os
        import time

        import requests

        LIMIT = 10


        def unrelated(x):
            return os.path.join("a", x)


        async def poll(url):
            # black-style re-wrapping, quotes and a magic trailing comma
            time.sleep( 1 )
            return requests.get(
                url,
                timeout=3,
            )


        async def other():
            value = 1
            time.sleep(1)
            return value
        ''')
    code, diags, err = check_json(project, "--baseline", DEFAULT_BASELINE)
    assert code == 0, [(d["code"], d["location"], d.get("baseline")) for d in diags]
    assert [d["baseline"] for d in diags] == ["baselined"] * 3
    assert "fixed" not in err


def test_duplicated_violation_is_new(project):
    make_baseline(project)
    once = "    time.sleep(1)\n    return requests"
    doubled = JOBS.replace(once, "    time.sleep(1)\n" + once)
    write(project, doubled)
    code, diags, err = check_json(project, "--baseline", DEFAULT_BASELINE)
    assert code == 1
    new = [d for d in diags if d["baseline"] == "new"]
    assert [(d["code"], d["location"]["row"]) for d in new] == [("FAK103", 8)]
    # the text output still shows the new one and fails
    code, out, _ = check(project, "--baseline", DEFAULT_BASELINE, "--format", "concise")
    assert code == 1 and "app/jobs.py:8:5: FAK103" in out


def test_same_call_in_another_function_is_new(project):
    make_baseline(project)
    write(project, JOBS + "\n\nasync def third():\n    time.sleep(1)\n")
    code, diags, _ = check_json(project, "--baseline", DEFAULT_BASELINE)
    assert code == 1
    assert [(d["code"], d["location"]["row"]) for d in diags if d["baseline"] == "new"] == [("FAK103", 16)]


def test_edited_statement_is_new(project):
    make_baseline(project)
    write(project, JOBS.replace("requests.get(url, timeout=3)", "requests.get(url, timeout=30)"))
    code, diags, err = check_json(project, "--baseline", DEFAULT_BASELINE)
    assert code == 1
    assert [d["code"] for d in diags if d["baseline"] == "new"] == ["FAK102"]


def test_human_and_annotation_output_list_only_new_violations(project):
    make_baseline(project)
    write(project, JOBS + "\n\nasync def third():\n    time.sleep(1)\n")
    code, out, err = check(project, "--baseline", DEFAULT_BASELINE, "--format", "concise")
    assert code == 1
    assert [line.split(" ")[0] for line in out.splitlines() if line.startswith("app/")] == ["app/jobs.py:16:5:"]
    code, out, _ = check(project, "--baseline", DEFAULT_BASELINE, "--format", "github")
    assert code == 1 and len(out.splitlines()) == 1 and "line=16" in out
    code, out, err = check(project, "--baseline", DEFAULT_BASELINE)
    assert "3 baselined violations not shown" in err


def test_fixed_entries_are_stale(project):
    make_baseline(project)
    write(project, JOBS.replace("async def other():\n    time.sleep(1)\n", "async def other():\n    return 1\n"))
    code, out, err = check(project, "--baseline", DEFAULT_BASELINE)
    assert code == 0
    assert "1 baseline entry is fixed; run `fakeasync-lint baseline` to tighten" in err
    code, out, err = check(project, "--baseline", DEFAULT_BASELINE, "--strict-baseline")
    assert code == 1
    # after tightening, strict passes again
    make_baseline(project)
    assert check(project, "--baseline", DEFAULT_BASELINE, "--strict-baseline")[0] == 0


def test_baseline_check_from_a_subdirectory(project):
    make_baseline(project)
    code, diags, err = check_json(project / "app", "--baseline", "../" + DEFAULT_BASELINE, ".")
    assert code == 0, err
    assert {d["baseline"] for d in diags} == {"baselined"}
    assert diags[0]["path"] == "jobs.py"


def test_baseline_survives_another_checkout_location(tmp_path):
    """FAK403/FAK401 statements name other files: the identity must not contain absolute paths."""
    src = ROOT / "fixtures" / "seed_app"
    a = tmp_path / "checkout-a" / "seed_app"
    b = tmp_path / "elsewhere" / "deeper" / "seed_app"
    for dest in (a, b):
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", ".fakeasync_cache"))
        (dest.parent / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    assert invoke(baseline_command, ["--no-cache"], a.parent)[0] == 0
    doc = json.loads((a.parent / DEFAULT_BASELINE).read_text())
    assert any(e["code"] == "FAK403" for e in doc["entries"])
    assert str(tmp_path) not in json.dumps(doc)
    shutil.copy(a.parent / DEFAULT_BASELINE, b.parent / DEFAULT_BASELINE)
    code, diags, err = check_json(b.parent, "--baseline", DEFAULT_BASELINE)
    assert code == 0, [(d["code"], d["path"]) for d in diags if d.get("baseline") == "new"]
    assert diags and {d["baseline"] for d in diags} == {"baselined"}


# ---- errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "content, needle",
    [
        (None, "does not exist"),
        (b"{not json", "invalid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[]", "expected a JSON object"),
        (b'{"version": 1, "tool": "fakeasync-lint"}', '"entries" must be a list'),
        (b'{"version": 7, "tool": "fakeasync-lint", "entries": []}', "newer than this fakeasync-lint"),
        (b'{"tool": "fakeasync-lint", "entries": []}', "version"),
        (b'{"version": 1, "tool": "other-tool", "entries": []}', "other-tool"),
        (b'{"version": 1, "entries": [{"code": "FAK103"}]}', "has no 'path'"),
        (b'{"version": 1, "entries": [{"code": "FAK103", "path": "a.py", "count": 0}]}', "positive integer"),
        (b'{"version": 1, "entries": [{"code": 3, "path": "a.py"}]}', "must be strings"),
    ],
)
def test_bad_baseline_files_exit_2(project, content, needle):
    path = project / "base.json"
    if content is not None:
        path.write_bytes(content)
    code, out, err = check(project, "--baseline", "base.json")
    assert code == 2
    assert needle in err and "base.json" in err
    assert "Traceback" not in err
    with pytest.raises(BaselineError):
        load_baseline(str(path))


def test_baseline_is_a_directory(project):
    (project / "dir.json").mkdir()
    code, _, err = check(project, "--baseline", "dir.json")
    assert code == 2 and "directory" in err


def test_exit_zero_and_baseline(project):
    make_baseline(project)
    write(project, JOBS + "\n\nasync def third():\n    time.sleep(1)\n")
    assert check(project, "--baseline", DEFAULT_BASELINE)[0] == 1
    assert check(project, "--baseline", DEFAULT_BASELINE, "--exit-zero")[0] == 0


def test_sarif_baseline_state(project):
    make_baseline(project)
    write(project, JOBS + "\n\nasync def third():\n    time.sleep(1)\n")
    code, out, _ = check(project, "--baseline", DEFAULT_BASELINE, "--format", "sarif")
    assert code == 1
    states = sorted(r["baselineState"] for r in json.loads(out)["runs"][0]["results"])
    assert states == ["new", "unchanged", "unchanged", "unchanged"]


# ---- the API: partial runs -------------------------------------------------------------------------

def _run(project, paths):
    old = os.getcwd()
    os.chdir(project)
    try:
        settings = load_settings(paths)
        return run(paths, settings, use_cache=False)
    finally:
        os.chdir(old)


def test_partial_run_does_not_call_other_files_stale(project):
    (project / "app" / "more.py").write_text("import time\n\n\nasync def g():\n    time.sleep(3)\n")
    make_baseline(project)
    result = _run(project, ["app/more.py"])
    base = str(project / DEFAULT_BASELINE)
    diags, stale = apply_baseline(result.diagnostics, base, checked=[str(project / "app" / "more.py")])
    assert [d.baseline for d in diags] == ["baselined"] and stale == 0
    # without knowing which files were checked, every other entry looks fixed
    _, stale_all = apply_baseline(result.diagnostics, base)
    assert stale_all == 3
    # a file that was deleted is stale even in a partial run
    (project / "app" / "jobs.py").unlink()
    _, stale = apply_baseline(result.diagnostics, base, checked=[str(project / "app" / "more.py")])
    assert stale == 3


def test_partial_cli_run_with_strict_baseline(project):
    (project / "app" / "more.py").write_text("import time\n\n\nasync def g():\n    time.sleep(3)\n")
    make_baseline(project)
    code, out, err = check(project, "--baseline", DEFAULT_BASELINE, "--strict-baseline", "app/more.py")
    assert code == 0, err
    assert "fixed" not in err


def test_write_and_apply_roundtrip_api(project):
    result = _run(project, ["."])
    base = str(project / "b.json")
    doc = write_baseline(result.diagnostics, base)
    assert sum(e["count"] for e in doc["entries"]) == len(result.diagnostics)
    diags, stale = apply_baseline(result.diagnostics, base)
    assert stale == 0 and all(d.baseline == "baselined" for d in diags)
    key = baseline_key(result.diagnostics[0], str(project))
    assert key[1] == "app/jobs.py" and not os.path.isabs(key[1])


# ---- normalisation --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "a, b",
    [
        ("time.sleep(1)", "time.sleep( 1 )"),
        ("time.sleep(1)", "time.sleep(\n    1,\n)"),
        ("requests.get('http://x', timeout=3)", 'requests.get(\n    "http://x",\n    timeout = 3,\n)'),
        ("open(R'a')", 'open(r"a")'),
        ("f(a, b)", "f(a, \\\n  b)"),
        ("f(a)  # trailing comment", "f(a)"),
        ("f(  # why\n    a\n)", "f(a)"),
    ],
)
def test_normalisation_ignores_formatting(a, b):
    assert normalise_statement(a) == normalise_statement(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("time.sleep(1)", "time.sleep(2)"),
        ('f("a b")', 'f("ab")'),  # whitespace inside strings matters
        ('f("#x")', 'f("")'),  # a '#' in a string is no comment
        ("f('it\\'s')", 'f("its")'),
    ],
)
def test_normalisation_keeps_meaning(a, b):
    assert normalise_statement(a) != normalise_statement(b)


def test_baseline_registered_in_cli():
    code, out, _ = invoke(main, ["baseline", "--help"], ROOT)
    assert code == 0 and "--output" in out


def test_baseline_file_is_world_readable(project):
    make_baseline(project)
    mode = (project / DEFAULT_BASELINE).stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()
    assert not list(project.glob(".fakeasync-baseline-*.tmp"))


def _umask():
    u = os.umask(0)
    os.umask(u)
    return u
