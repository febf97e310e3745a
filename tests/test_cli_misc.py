"""CLI switches used by CI and editors: --exit-zero, --statistics, --quiet, --stdin-filename,
--force-exclude."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import shutil

import pytest
from click.testing import CliRunner

from fakeasync_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
SLEEP = "fixtures/fak103_sleep.py"
HTTP = "fixtures/fak102_http.py"
CLEAN = "fixtures/seed_app_async"
PROJECT = None  # a small copy of the fixtures (the index of the whole repository is slow to build)


@pytest.fixture(scope="module", autouse=True)
def fixture_project(tmp_path_factory):
    global PROJECT
    root = tmp_path_factory.mktemp("cli")
    (root / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    for rel in (SLEEP, HTTP):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, root / rel)
    shutil.copytree(ROOT / CLEAN, root / CLEAN, ignore=shutil.ignore_patterns("__pycache__"))
    PROJECT = root
    yield root
    PROJECT = None


def invoke(args, cwd=None, input=None):
    cwd = cwd or PROJECT
    old = os.getcwd()
    try:
        os.chdir(cwd)
        res = CliRunner().invoke(main, ["check", "--no-cache", *args], input=input, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def n_diags(*paths):
    code, out, _ = invoke(["--format", "json", *paths])
    return len(json.loads(out))


# ---- exit codes ---------------------------------------------------------------------------------

def test_exit_codes():
    assert invoke([SLEEP])[0] == 1
    code, out, _ = invoke(["--exit-zero", SLEEP])
    assert code == 0 and "FAK103" in out  # still reported
    assert invoke([CLEAN])[0] == 0


def test_exit_zero_does_not_hide_usage_errors():
    code, _, err = invoke(["--exit-zero", "does/not/exist.py"])
    assert code == 2 and "does/not/exist.py" in err
    code, _, err = invoke(["--exit-zero", "--select", "XYZ123", SLEEP])
    assert code == 2 and "XYZ123" in err


# ---- --statistics ---------------------------------------------------------------------------------

def test_statistics_text():
    code, out, _ = invoke(["--statistics", SLEEP, HTTP])
    assert code == 1
    rows = [line.split("\t") for line in out.splitlines() if "\t" in line]
    counts = {r[1]: int(r[0]) for r in rows}
    assert counts == {"FAK102": n_diags(HTTP), "FAK103": n_diags(SLEEP)}
    assert "FAK103" in out and "fak103_sleep.py:" not in out  # counts, not individual violations


def test_statistics_json_and_quiet():
    code, out, _ = invoke(["--statistics", "--format", "json", SLEEP, HTTP])
    assert code == 1
    stats = json.loads(out)
    assert {s["code"]: s["count"] for s in stats} == {"FAK102": n_diags(HTTP), "FAK103": n_diags(SLEEP)}
    code, out, _ = invoke(["--statistics", "--quiet", SLEEP])
    assert code == 1 and "Found" not in out and "FAK103" in out
    code, out, _ = invoke(["--statistics", "--exit-zero", SLEEP])
    assert code == 0


def test_statistics_with_unsupported_format_is_a_usage_error():
    code, out, err = invoke(["--statistics", "--format", "sarif", SLEEP])
    assert code == 2 and "--statistics" in err and "internal error" not in err


# ---- --quiet --------------------------------------------------------------------------------------

def test_quiet_prints_only_diagnostics():
    code, loud, _ = invoke(["--format", "concise", SLEEP])
    code_q, quiet, _ = invoke(["--format", "concise", "--quiet", SLEEP])
    assert code == code_q == 1
    assert "Found" in loud and "Found" not in quiet and "fixable" not in quiet
    assert [line for line in quiet.splitlines() if line.strip()] == [
        line for line in loud.splitlines() if line.startswith("fixtures/")
    ]
    assert len(quiet.splitlines()) == n_diags(SLEEP)
    code, out, _ = invoke(["--quiet", CLEAN])
    assert code == 0 and out.strip() == ""


# ---- stdin ---------------------------------------------------------------------------------------

BUFFER = textwrap.dedent(
    """\
    from helpers import load


    async def handler():
        return load()
    """
)


@pytest.fixture
def two_modules(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fakeasync-lint]\nextend-exclude = ["vendored"]\nper-file-ignores = {"legacy/*.py" = ["FAK401"]}\n'
    )
    (tmp_path / "helpers.py").write_text("import time\n\n\ndef load():\n    time.sleep(1)\n    return 1\n")
    (tmp_path / "app.py").write_text("# the saved file is clean; the editor buffer is not\n")
    for d in ("vendored", "legacy"):
        (tmp_path / d).mkdir()
    return tmp_path


def test_stdin_buffer_uses_the_project_index(two_modules):
    code, out, err = invoke(["--format", "json", "--stdin-filename", "app.py", "-"], cwd=two_modules, input=BUFFER)
    assert code == 1, err
    diags = json.loads(out)
    assert [(d["code"], d["path"], d["location"]["row"]) for d in diags] == [("FAK401", "app.py", 5)]
    assert "helpers.py" in diags[0]["message"]
    # the trace goes into the module on disk
    assert any(f["path"] == "helpers.py" and f["line"] == 5 for f in diags[0]["trace"])
    # without '-' too
    code, out, _ = invoke(["--format", "json", "--stdin-filename", "app.py"], cwd=two_modules, input=BUFFER)
    assert code == 1 and len(json.loads(out)) == 1
    # the file on disk is clean
    assert invoke(["app.py"], cwd=two_modules)[0] == 0


def test_stdin_in_a_subdirectory_and_display_name(two_modules):
    (two_modules / "pkg").mkdir()
    code, out, _ = invoke(["--format", "concise", "--stdin-filename", "pkg/view.py", "-"], cwd=two_modules,
                          input=BUFFER.replace("from helpers", "from helpers"))
    assert code == 1
    assert out.startswith("pkg/view.py:5:")


def test_stdin_honours_config_and_force_exclude(two_modules):
    # per-file-ignores from the config apply to the stdin path
    code, out, _ = invoke(["--format", "json", "--stdin-filename", "legacy/old.py", "-"], cwd=two_modules,
                          input=BUFFER)
    assert code == 0 and json.loads(out) == []
    # an excluded path passed explicitly is still linted ...
    code, out, _ = invoke(["--format", "json", "--stdin-filename", "vendored/lib.py", "-"], cwd=two_modules,
                          input=BUFFER)
    assert code == 1 and len(json.loads(out)) == 1
    # ... unless --force-exclude (what editors and pre-commit pass)
    code, out, _ = invoke(["--format", "json", "--force-exclude", "--stdin-filename", "vendored/lib.py", "-"],
                          cwd=two_modules, input=BUFFER)
    assert code == 0 and json.loads(out) == []


def test_force_exclude_with_explicit_paths(two_modules):
    (two_modules / "vendored" / "lib.py").write_text(BUFFER)
    assert invoke(["vendored/lib.py"], cwd=two_modules)[0] == 1
    code, out, _ = invoke(["--format", "json", "--force-exclude", "vendored/lib.py"], cwd=two_modules)
    assert code == 0 and json.loads(out) == []


def test_stdin_through_a_real_process(two_modules):
    """What an editor integration runs: the console script, stdin piped, JSON on stdout."""
    exe = Path(sys.executable).with_name("fakeasync-lint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "fakeasync_lint"]
    proc = subprocess.run(
        cmd + ["check", "--force-exclude", "--quiet", "--format", "json", "--stdin-filename", "app.py", "-"],
        input=BUFFER.encode("utf-8"), capture_output=True, cwd=two_modules, timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    (diag,) = json.loads(proc.stdout)
    assert diag["code"] == "FAK401" and diag["path"] == "app.py"
    assert diag["filename"] == str(two_modules / "app.py")


def test_process_entry_flushes_and_keeps_exit_codes(tmp_path):
    """`python -m fakeasync_lint` ends with os._exit after flushing: output complete, codes kept."""
    import subprocess
    import sys

    (tmp_path / "m.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n" * 1)
    big = "".join(f"async def f{i}():\n    time.sleep(1)\n\n\n" for i in range(400))
    (tmp_path / "big.py").write_text("import time\n\n\n" + big)
    run = lambda *a: subprocess.run([sys.executable, "-m", "fakeasync_lint", *a], cwd=tmp_path,  # noqa: E731
                                    capture_output=True, timeout=120)
    p = run("check", "--no-cache", "--format", "json", ".")
    assert p.returncode == 1 and p.stderr == b""
    import json

    assert len(json.loads(p.stdout)) == 401  # every byte of a large report arrives
    assert run("check", "--no-cache", "--select", "NOPE1", ".").returncode == 2
    assert run("check", "--no-cache", "--exit-zero", ".").returncode == 0
    assert run("--version").returncode == 0
    # a reader that goes away (`| head -c 10`) is not a traceback
    proc = subprocess.Popen([sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "."], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert b"Traceback" not in err


def test_fak000_advice_depends_on_the_cause(tmp_path):
    """A syntax error asks for a fix; valid Python beyond the parser's limits asks to exclude/report."""
    import json

    from fakeasync_lint.cli import main
    from click.testing import CliRunner

    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "limits.py").write_text("x = " + "'a' " * 4000 + "\n")
    res = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(tmp_path)])
    by = {d["filename"].rsplit("/", 1)[-1]: d for d in json.loads(res.stdout)}
    assert by["broken.py"]["code"] == "FAK000" and "fix the file" in by["broken.py"]["suggestion"]
    assert by["limits.py"]["code"] == "FAK000" and "valid Python" in by["limits.py"]["message"]
    assert "report it" in by["limits.py"]["suggestion"]


def test_force_color_and_no_color(monkeypatch, tmp_path):
    """FORCE_COLOR colours output that is not a terminal (CI logs); NO_COLOR wins over it."""
    from conftest import run_cli

    (tmp_path / "a.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = run_cli(["check", "--no-cache", "--isolated", "a.py"], cwd=tmp_path)
    assert code == 1 and "\x1b[" in out
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = run_cli(["check", "--no-cache", "--isolated", "a.py"], cwd=tmp_path)
    assert code == 1 and "\x1b[" not in out
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "0")
    code, out, _ = run_cli(["check", "--no-cache", "--isolated", "a.py"], cwd=tmp_path)
    assert "\x1b[" not in out
