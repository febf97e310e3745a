"""Severity by reach: a blocking finding an endpoint reaches is an error; one reached only from a command-line
script's own `asyncio.run(...)` loop is a warning (`script-severity`), shown in the message, the JSON
`reach` and `severity`, SARIF `level`; kept by incremental runs."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, run_cli

from fakeasync_lint import runner
from fakeasync_lint.config import load_settings

PROJECT = FIXTURES / "projects" / "reach"
SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "fakeasync_lint" / "schemas"
                     / "diagnostics.schema.json").read_text())
REACH_RE = re.compile(r"#\s*reach:\s*(endpoint|script|none)\b")


@pytest.fixture
def project(tmp_path):
    dst = tmp_path / "reach"
    shutil.copytree(PROJECT, dst, ignore=shutil.ignore_patterns("__pycache__", ".fakeasync_cache"))
    return dst


def expected_reach(root: Path):
    out = {}
    for path in root.rglob("*.py"):
        for i, line in enumerate(path.read_text().splitlines(), 1):
            m = REACH_RE.search(line)
            if m:
                out[(path.relative_to(root).as_posix(), i)] = m.group(1)
    return out


def check_json(root: Path, *args):
    code, out, err = run_cli(["check", "--format", "json", *args, "."], cwd=root)
    assert code == 1, err
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    return data


def test_endpoint_findings_are_errors_and_script_only_findings_warnings(project):
    data = check_json(project, "--no-cache")
    want = expected_reach(project)
    got = {(d["path"], d["location"]["row"]): d for d in data}
    assert set(got) == set(want)
    assert {w for w in want.values()} == {"endpoint", "script", "none"}
    for key, reach in want.items():
        d = got[key]
        assert d.get("reach") == (None if reach == "none" else reach), key
        assert d["severity"] == ("warning" if reach == "script" else "error"), key
        # the message says why: the script's runner and where it is
        assert ("reached only from" in d["message"]) == (reach == "script"), key
        # and an endpoint's: how many entry points reach it (FAK403 is the entry point itself)
        assert ("(reached from 1 entry point)" in d["message"]) == (reach == "endpoint" and d["code"] != "FAK403"), key
    export = got[("orders_cli/export.py", 9)]["message"]
    assert export.endswith("; reached only from `asyncio.run(main())` (orders_cli/export.py:19): a command-line "
                           "script's own event loop, where nothing else runs (so a warning, `script-severity`)")
    nightly = got[("orders_cli/nightly.py", 8)]["message"]
    assert "`asyncio.get_event_loop().run_until_complete(nightly())` (orders_cli/nightly.py:12)" in nightly


def test_text_sarif_and_gitlab_carry_the_severity(project):
    code, out, _ = run_cli(["check", "--no-cache", "--format", "sarif", "."], cwd=project)
    assert code == 1
    levels = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["locations"][0]["physicalLocation"]["region"]["startLine"]): r["level"]
              for r in json.loads(out)["runs"][0]["results"]}
    assert levels[("orders_cli/export.py", 10)] == "warning"
    assert levels[("orders_app/api.py", 11)] == "error"
    code, out, _ = run_cli(["check", "--no-cache", "--format", "github", "."], cwd=project)
    assert "::warning file=orders_cli/export.py,line=10," in out and "::error file=orders_app/api.py,line=11," in out
    code, out, _ = run_cli(["check", "--no-cache", "."], cwd=project)
    assert "Found 9 errors (FAK103: 1, FAK401: 7, FAK403: 1).\nOf these, 3 are warnings (only a command-line " \
           "script's own event loop reaches them: severity by reach).\n" in out
    code, out, _ = run_cli(["check", "--no-cache", "orders_cli/export.py"], cwd=project)
    assert code == 1 and "orders_cli/export.py:10:5: FAK103" in out and "reached only from `asyncio.run(main())`" in out


@pytest.mark.parametrize("value", ["error", "info"])
def test_script_severity_is_configurable(project, value):
    (project / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n[tool.fakeasync-lint]\nscript-severity = "{value}"\n')
    data = check_json(project, "--no-cache")
    scripts = [d for d in data if d.get("reach") == "script"]
    assert len(scripts) == 3 and all(d["severity"] == value for d in scripts)
    assert all(f"(so a {value}, `script-severity`)" in d["message"] for d in scripts)
    assert all(d["severity"] == "error" for d in data if d.get("reach") != "script")


@pytest.mark.parametrize("bad, why", [('"warn"', "got 'warn'"), ("1", "got integer 1"), ('["warning"]', "got array")])
def test_a_bad_script_severity_is_a_usage_error(project, bad, why):
    (project / "pyproject.toml").write_text(f"[tool.fakeasync-lint]\nscript-severity = {bad}\n")
    code, out, err = run_cli(["check", "--no-cache", "."], cwd=project)
    assert code == 2 and out == ""
    assert "key 'script-severity': expected one of 'error', 'warning', 'info'" in err and why in err
    assert "Traceback" not in err


def _lint(root: Path, **kw):
    import os

    old = os.getcwd()
    os.chdir(root)
    try:
        return runner.run(["."], load_settings(["."]), cwd=str(root), jobs=1, **kw)
    finally:
        os.chdir(old)


def _by_line(result):
    return {(d.path, d.location.row): (d.severity, d.reach, d.message) for d in result.diagnostics}


def test_incremental_runs_follow_a_script_that_stops_or_starts_running_the_loop(project):
    first = _lint(project)
    assert first.how == "full"
    assert _by_line(first)[("orders_cli/export.py", 9)][:2] == ("warning", "script")
    script = project / "orders_cli" / "export.py"
    text = script.read_text()
    # the script no longer runs `main` itself: nothing known reaches `export` any more
    script.write_text(text.replace("    asyncio.run(main())", "    print(main)"))
    after = _lint(project)
    assert after.how == "incremental"
    assert _by_line(after) == _by_line(_lint(project, use_cache=False))
    assert _by_line(after)[("orders_cli/export.py", 9)][:2] == ("error", None)
    # and back
    script.write_text(text)
    again = _lint(project)
    assert again.how == "incremental"
    assert _by_line(again) == _by_line(first)
