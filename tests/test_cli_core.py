"""The core CLI end to end: exit codes, formats, bad input, config errors (issue 2)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, run_cli

SCHEMA = json.loads((ROOT / "fakeasync_lint/schemas/diagnostics.schema.json").read_text())

BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"


def write(p: Path, text, mode="w"):
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def proj(tmp_path):
    (tmp_path / ".git").mkdir()  # project root marker
    return tmp_path


def jcheck(proj, *args, input=None):
    code, out, err = run_cli(["check", "--no-cache", "--format", "json", *args], cwd=proj, input=input)
    return code, json.loads(out) if out.strip() else None, err


def test_exit_codes_and_json_schema_on_all_fixtures():
    code, out, err = run_cli(["check", "--no-cache", "--format", "json", "fixtures"], cwd=ROOT)
    assert code == 1
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert len(data) > 200
    codes = {d["code"] for d in data}
    assert {"FAK000", "FAK101", "FAK102", "FAK103", "FAK104", "FAK105", "FAK106", "FAK107", "FAK201", "FAK401",
            "FAK403"} <= codes
    # sorted by path, line, column
    keys = [(d["path"], d["location"]["row"], d["location"]["column"]) for d in data]
    assert keys == sorted(keys)
    for d in data:
        assert os.path.isabs(d["filename"]) and not d["path"].startswith("/")
        assert d["url"] and d["fingerprint"].startswith(d["code"].lower() + ":")


def test_clean_file_exits_zero(proj):
    write(proj / "ok.py", "async def f():\n    return 1\n")
    code, out, err = run_cli(["check", "--no-cache", "."], cwd=proj)
    assert code == 0 and "All checks passed!" in out


def test_text_output_like_ruff(proj):
    write(proj / "a.py", BLOCKING)
    code, out, err = run_cli(["check", "--no-cache", "a.py"], cwd=proj)
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("a.py:5:5: FAK103 ")
    assert "time.sleep" in first and "async def f" in first
    assert "  help: " in out and "asyncio.sleep" in out
    assert "\x1b[" not in out  # no colour when not a TTY
    assert "Found 1 error (FAK103: 1)." in out


def test_rules_and_rule_commands():
    code, out, _ = run_cli(["rules"])
    assert code == 0
    for c in ["FAK000", "FAK101", "FAK108", "FAK201", "FAK401", "FAK402", "FAK403"]:
        assert c in out
    code, out, _ = run_cli(["rule", "FAK101"])
    assert code == 0 and "## Why is this bad?" in out and "## Use instead" in out and "## Fix safety" in out
    code, out, err = run_cli(["rule", "FAK999"])
    assert code == 2 and "unknown rule code" in err


def test_python_dash_m_and_console_script(proj):
    write(proj / "a.py", BLOCKING)
    r = subprocess.run([sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "a.py"], cwd=proj,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "FAK103" in r.stdout and "Traceback" not in r.stderr


@pytest.mark.parametrize("name,data,expect", [
    ("syntax.py", b"def f(:\n    pass\n", "FAK000"),
    ("binary.py", b"\x00\x01\x02PK\x03\x04", "FAK000"),
    ("badutf8.py", b"x = '\xff\xfe'\n", "FAK000"),
    ("badcookie.py", b"# -*- coding: klingon -*-\nx = 1\n", "FAK000"),
    ("empty.py", b"", None),
    ("latin1.py", "# -*- coding: latin-1 -*-\nimport time\ns = 'caf\xe9'\nasync def f():\n    time.sleep(1)\n".encode("latin-1"), "FAK103"),
    ("bom.py", b"\xef\xbb\xbf" + BLOCKING.encode(), "FAK103"),
    ("crlf.py", BLOCKING.replace("\n", "\r\n").encode(), "FAK103"),
])
def test_bad_input_never_loses_the_other_files(proj, name, data, expect):
    write(proj / name, data)
    write(proj / "good.py", BLOCKING)
    code, diags, err = jcheck(proj, ".")
    assert "Traceback" not in err
    assert code == 1
    by = {}
    for d in diags:
        by.setdefault(d["path"], []).append(d)
    assert [d["code"] for d in by["good.py"]] == ["FAK103"]
    got = [d["code"] for d in by.get(name, [])]
    assert got == ([expect] if expect else [])
    if expect == "FAK103":
        assert by[name][0]["location"] == {"row": 5, "column": 5}


def test_syntax_error_position_and_reason(proj):
    write(proj / "s.py", "x = 1\ndef broken(:\n    pass\n")
    code, diags, _ = jcheck(proj, "s.py")
    assert code == 1 and diags[0]["code"] == "FAK000" and diags[0]["location"]["row"] == 2
    assert "syntax error" in diags[0]["message"]


def test_unreadable_file(proj):
    p = write(proj / "secret.py", BLOCKING)
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reads")
        code, diags, err = jcheck(proj, ".")
        assert [d["code"] for d in diags] == ["FAK000"] and "cannot read" in diags[0]["message"]
    finally:
        p.chmod(0o644)


def test_directory_twice_and_missing_path(proj):
    write(proj / "pkg/a.py", BLOCKING)
    code, diags, err = jcheck(proj, "pkg", "pkg", "pkg/a.py")
    assert code == 1 and len(diags) == 1
    code, diags, err = jcheck(proj, "pkg", "nope.py")
    assert code == 2 and "nope.py" in err and len(diags) == 1  # the rest is still analysed


@pytest.mark.parametrize("toml,needle", [
    ("[tool.fakeasync-lint]\nselect = 'FAK101'\n", "select"),
    ("[tool.fakeasync-lint]\nselct = ['FAK101']\n", "select"),
    ("[tool.fakeasync-lint]\nignore = ['FAK999']\n", "FAK999"),
    ("[tool.fakeasync-lint\n", "pyproject.toml"),
])
def test_config_errors_exit_2(proj, toml, needle):
    write(proj / "pyproject.toml", toml)
    write(proj / "a.py", BLOCKING)
    code, out, err = run_cli(["check", "--no-cache", "a.py"], cwd=proj)
    assert code == 2 and needle in err and "Traceback" not in err


def test_select_ignore_and_noqa(proj):
    write(proj / "a.py", "import time, requests\n\n\nasync def f():\n    time.sleep(1)\n    requests.get('u')  # noqa: FAK102\n    requests.get('v')  # noqa: FAK103\n")
    code, diags, _ = jcheck(proj, "a.py")
    assert sorted((d["location"]["row"], d["code"]) for d in diags) == [(5, "FAK103"), (7, "FAK102")]
    code, diags, _ = jcheck(proj, "--ignore", "FAK103", "a.py")
    assert [d["code"] for d in diags] == ["FAK102"]
    code, diags, _ = jcheck(proj, "--select", "FAK103", "a.py")
    assert [d["code"] for d in diags] == ["FAK103"]


def test_config_blocking_calls_and_per_file_ignores(proj):
    write(proj / "pyproject.toml", '[tool.fakeasync-lint]\nblocking-calls = {"mylib.fetch" = "use mylib.afetch"}\n'
          'per-file-ignores = {"tests/**" = ["FAK103"]}\n')
    write(proj / "a.py", "import mylib\n\n\nasync def f():\n    mylib.fetch(1)\n")
    write(proj / "tests/t.py", BLOCKING)
    code, diags, _ = jcheck(proj, ".")
    assert [(d["path"], d["code"]) for d in diags] == [("a.py", "FAK108")]
    assert diags[0]["suggestion"] == "use mylib.afetch"


def test_anyio_suggestions_name_the_files_library(proj):
    write(proj / "a.py", "import anyio, time\n\n\nasync def f():\n    time.sleep(1)\n")
    code, diags, _ = jcheck(proj, "a.py")
    assert "anyio.sleep" in diags[0]["suggestion"]


def test_stdin(proj):
    code, diags, _ = jcheck(proj, "--stdin-filename", "x/y.py", "-", input=BLOCKING)
    assert code == 1 and diags[0]["path"] == "x/y.py" and diags[0]["code"] == "FAK103"
