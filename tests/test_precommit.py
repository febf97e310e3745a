"""The pre-commit hooks, run by real pre-commit in a throw-away git repository.

The hook repository is a git copy of this working tree (pre-commit clones it and ``pip install``s
it into its own virtualenv, so this needs the package index and takes a while the first time).
Set ``FAKEASYNC_SKIP_PRECOMMIT=1`` to skip these tests (e.g. offline).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT = 1500  # first commit builds the hook's virtualenv (pip install from the index)

_skip_env = os.environ.get("FAKEASYNC_SKIP_PRECOMMIT", "").strip().lower() not in ("", "0", "false", "no")
try:
    import pre_commit  # noqa: F401

    _have_pre_commit = True
except ImportError:  # pragma: no cover - test dependency missing
    _have_pre_commit = False

pytestmark = [
    pytest.mark.skipif(_skip_env, reason="FAKEASYNC_SKIP_PRECOMMIT is set"),
    pytest.mark.skipif(not _have_pre_commit, reason="pre-commit is not installed (pip install pre-commit)"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

IGNORE = shutil.ignore_patterns(
    ".git", ".ci-venv", ".venv", "venv", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis",
    ".fakeasync_cache", "build", "dist", "*.pyc",
)

BLOCKING = textwrap.dedent(
    """\
    import time


    async def handler():
        time.sleep(1)
        return 1
    """
)
FIXED = textwrap.dedent(
    """\
    import asyncio


    async def handler():
        await asyncio.sleep(1)
        return 1
    """
)


def test_manifest_is_valid():
    manifest = str(ROOT / ".pre-commit-hooks.yaml")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", manifest],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"fakeasync-lint", "fakeasync-lint-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "pyi"]
        assert hook["require_serial"] is True
        assert hook["entry"].startswith("fakeasync-lint check")
        assert "--force-exclude" in hook["entry"]
        assert hook["minimum_pre_commit_version"]
    assert "--fix" in hooks["fakeasync-lint-fix"]["entry"].split()
    assert "--fix" not in hooks["fakeasync-lint"]["entry"].split()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    base = tmp_path_factory.mktemp("precommit")
    gitconfig = base / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = fakeasync test\n\temail = test@example.invalid\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    e = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    e.update(
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="fakeasync test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="fakeasync test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return base, e


def sh(args, cwd, env, timeout=300, check=True):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def hook_repo(env):
    """A git repository holding a copy of this working tree (uncommitted changes included)."""
    base, e = env
    repo = base / "hook-repo"
    shutil.copytree(ROOT, repo, ignore=IGNORE)
    sh(["git", "init", "-q"], repo, e)
    sh(["git", "add", "-A"], repo, e)
    sh(["git", "commit", "-q", "--no-verify", "-m", "hook repo snapshot"], repo, e)
    rev = sh(["git", "rev-parse", "HEAD"], repo, e).stdout.strip()
    return repo, rev


def make_user_repo(base: Path, name: str, e, hook_repo, hook_ids):
    repo_path, rev = hook_repo
    user = base / name
    user.mkdir()
    sh(["git", "init", "-q"], user, e)
    hooks = "\n".join(f"      - id: {h}" for h in hook_ids)
    (user / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo_path}\n    rev: {rev}\n    hooks:\n{hooks}\n"
    )
    (user / "pyproject.toml").write_text('[tool.fakeasync-lint]\nextend-exclude = ["legacy"]\n')
    (user / "legacy").mkdir()
    (user / "legacy" / "old.py").write_text(BLOCKING)  # excluded by config: --force-exclude keeps it quiet
    (user / "notes.txt").write_text("time.sleep(1) in a text file is not python\n")
    return user


def test_commit_rejected_then_accepted(env, hook_repo):
    base, e = env
    user = make_user_repo(base, "user-lint", e, hook_repo, ["fakeasync-lint"])
    sh([sys.executable, "-m", "pre_commit", "install"], user, e)
    (user / "app.py").write_text(BLOCKING)
    sh(["git", "add", "-A"], user, e)

    start = time.monotonic()
    proc = sh(["git", "commit", "-m", "add a blocking call"], user, e, timeout=INSTALL_TIMEOUT, check=False)
    first = time.monotonic() - start
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "fakeasync-lint" in out and "Failed" in out, out
    assert "app.py:5:5: FAK103" in out, out
    assert "legacy/old.py" not in out, out
    assert sh(["git", "rev-parse", "--verify", "HEAD"], user, e, check=False).returncode != 0, "nothing committed"

    (user / "app.py").write_text(FIXED)
    sh(["git", "add", "-A"], user, e)
    start = time.monotonic()
    proc = sh(["git", "commit", "-m", "use asyncio.sleep"], user, e, timeout=INSTALL_TIMEOUT, check=False)
    second = time.monotonic() - start
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "fakeasync-lint" in out and "Passed" in out, out
    sh(["git", "rev-parse", "--verify", "HEAD"], user, e)
    print(f"\npre-commit: first commit (installs the hook env) {first:.1f}s, second commit {second:.1f}s")


def test_fix_hook_rewrites_the_file(env, hook_repo):
    base, e = env
    user = make_user_repo(base, "user-fix", e, hook_repo, ["fakeasync-lint-fix"])
    (user / "app.py").write_text(BLOCKING)
    sh(["git", "add", "-A"], user, e)
    run = [sys.executable, "-m", "pre_commit", "run", "fakeasync-lint-fix", "--files", "app.py", "legacy/old.py"]
    proc = sh(run, user, e, timeout=INSTALL_TIMEOUT, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out  # pre-commit fails a hook that modified files
    assert "files were modified by this hook" in out, out
    fixed = (user / "app.py").read_text()
    assert "await asyncio.sleep(1)" in fixed and "import asyncio" in fixed, fixed
    compile(fixed, "app.py", "exec")
    assert (user / "legacy" / "old.py").read_text() == BLOCKING  # excluded: untouched
    sh(["git", "add", "-A"], user, e)
    proc = sh(run, user, e, timeout=INSTALL_TIMEOUT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_precommit_output_names_the_fix_hook(monkeypatch):
    """Under pre-commit (PRE_COMMIT=1) the summary names the `fakeasync-lint-fix` hook, not a CLI flag."""
    from fakeasync_lint.models import SAFE, Diagnostic, Fix, Location
    from fakeasync_lint.output.text import summary_lines

    d = Diagnostic(code="FAK103", message="m", path="a.py", filename="/a.py", location=Location(1, 1),
                   end_location=Location(1, 2), fix=Fix(SAFE, "x", ()))
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert "fixable with --fix" in "\n".join(summary_lines([d]))
    monkeypatch.setenv("PRE_COMMIT", "1")
    text = "\n".join(summary_lines([d]))
    assert "`fakeasync-lint-fix` pre-commit hook" in text
