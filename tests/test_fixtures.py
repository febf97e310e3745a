"""Every fixture's `# error: CODE` annotations must equal what the CLI reports, exactly (line, code)."""
import json
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli

ERROR_RE = re.compile(r"#\s*error:\s*([A-Z0-9_,\s]+?)\s*(?:#|$)")
LOCAL_SELECT = "FAK0,FAK1,FAK2,FAK3"


def expected_for(path: Path):
    out = set()
    for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if "#" not in line:
            continue
        m = ERROR_RE.search(line)
        if m:
            for code in re.split(r"[,\s]+", m.group(1).strip()):
                if code:
                    out.add((i, code))
    return out


def reported(args, cwd=ROOT):
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", *args], cwd=cwd)
    assert code in (0, 1), err
    by_file = {}
    for d in json.loads(out):
        by_file.setdefault(Path(d["filename"]).resolve(), set()).add((d["location"]["row"], d["code"]))
    return by_file


LOCAL_FILES = sorted(p for p in FIXTURES.glob("*.py"))
SEED_FILES = sorted(p for d in ("seed_app", "seed_app_async") for p in (FIXTURES / d).rglob("*.py"))


@pytest.fixture(scope="module")
def local_results():
    return reported(["--select", LOCAL_SELECT, "fixtures"])


@pytest.mark.parametrize("path", LOCAL_FILES + SEED_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_exact(path, local_results):
    exp = expected_for(path)
    got = local_results.get(path.resolve(), set())
    missing = sorted(exp - got)
    extra = sorted(got - exp)
    assert not missing and not extra, f"missing (line, code): {missing}\nunexpected: {extra}"


def test_fixtures_have_negatives_and_positives():
    for path in LOCAL_FILES:
        exp = expected_for(path)
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("fak000") or "# fixture: negatives-only" in text:
            assert not exp or path.name.startswith("fak000")
            continue
        assert exp, f"{path.name} has no positive case"
        assert "# ok" in text, f"{path.name} has no annotated negative case"


def test_configured_calls_fixture():
    d = FIXTURES / "fak108"
    res = reported(["--select", LOCAL_SELECT, "."], cwd=d)
    for path in d.rglob("*.py"):
        assert res.get(path.resolve(), set()) == expected_for(path), path.name


def test_async_twin_is_clean():
    res = reported(["fixtures/seed_app_async"])
    assert not any(res.values()), res
