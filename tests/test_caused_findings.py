"""Findings caused by the given paths (a pre-commit run on the staged files): a helper that starts to block
makes its async callers in other files report, with the reason, with or without the cache."""
import json

import pytest

from conftest import run_cli

SVC_OK = "def compute(x):\n    return x * 2\n"
SVC_BLOCKING = "import time\n\n\ndef compute(x):\n    time.sleep(1)\n    return x * 2\n"
API = "from svc import compute\n\n\nasync def handler():\n    return compute(1)\n"
OTHER = "async def unrelated():\n    return 1\n"


@pytest.fixture
def proj(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    (tmp_path / "svc.py").write_text(SVC_OK)
    (tmp_path / "api.py").write_text(API)
    (tmp_path / "other.py").write_text(OTHER)
    return tmp_path


def check(cwd, *args):
    code, out, err = run_cli(["check", "--format", "json", *args], cwd=cwd)
    assert code in (0, 1), err
    return json.loads(out)


@pytest.mark.parametrize("cache", [True, False])
def test_staged_helper_reports_its_callers(proj, cache):
    flags = [] if cache else ["--no-cache"]
    assert check(proj, *flags, "svc.py") == []
    (proj / "svc.py").write_text(SVC_BLOCKING)
    diags = check(proj, *flags, "svc.py")
    assert [(d["path"], d["code"]) for d in diags] == [("api.py", "FAK401")]
    assert "reported because its chain passes through svc.py" in diags[0]["message"]
    # a file whose chains do not pass through the given one adds nothing
    assert check(proj, *flags, "other.py") == []
    # the caller's own file reports it as usual, without the note
    own = check(proj, *flags, "api.py")
    assert [(d["path"], d["code"]) for d in own] == [("api.py", "FAK401")]
    assert "reported because" not in own[0]["message"]


def test_baselined_caused_finding_stays_baselined(proj):
    (proj / "svc.py").write_text(SVC_BLOCKING)
    code, _out, err = run_cli(["baseline", "--no-cache"], cwd=proj)
    assert code == 0, err
    code, out, err = run_cli(["check", "--no-cache", "--baseline", ".fakeasync-baseline.json", "svc.py"], cwd=proj)
    assert code == 0, out + err
