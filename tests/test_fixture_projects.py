"""Multi-module fixture projects (`fixtures/projects/*`): every file's `# error:` annotations must equal
what the CLI reports for the whole project (default rules), exactly."""
from pathlib import Path

import pytest

from conftest import FIXTURES
from test_fixtures import expected_for, reported

PROJECTS = sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_project_exact(project):
    got = reported([str(project)])
    files = sorted(project.rglob("*.py"))
    assert files
    problems = []
    for path in files:
        exp = expected_for(path)
        have = got.get(path.resolve(), set())
        if exp != have:
            problems.append(f"{path.relative_to(project)}: missing {sorted(exp - have)}, unexpected {sorted(have - exp)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_project_has_negatives(project):
    text = "".join(p.read_text() for p in project.rglob("*.py"))
    assert "# ok:" in text and "# error:" in text
