from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from fakeasync_lint.config import Settings
from fakeasync_lint.discovery import discover, is_excluded, module_name_for


def touch(root: Path, *rels: str) -> None:
    for rel in rels:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("", encoding="utf-8")


def rels(files, root: Path):
    return [Path(os.path.abspath(f)).relative_to(root).as_posix() for f in files]


@pytest.fixture
def settings(tmp_path):
    return Settings(project_root=tmp_path)


def test_walks_py_and_pyi_sorted(tmp_path, settings):
    touch(tmp_path, "b.py", "a/z.pyi", "a/y.py", "a/readme.txt", "a/c.pyc", "a/b/x.py")
    files, errors = discover([tmp_path], settings)
    assert errors == []
    assert rels(files, tmp_path) == ["a/b/x.py", "a/y.py", "a/z.pyi", "b.py"]
    assert files == sorted(files)
    assert all(isinstance(f, Path) for f in files)


def test_default_excluded_dirs(tmp_path, settings):
    skipped = [
        ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "build", "dist", "node_modules",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".fakeasync_cache",
        "site-packages", "foo.egg-info",
    ]
    touch(tmp_path, "keep.py", *[f"{d}/x.py" for d in skipped], "pkg/build/y.py", "pkg/ok/z.py")
    files, _ = discover([tmp_path], settings)
    assert set(rels(files, tmp_path)) == {"keep.py", "pkg/ok/z.py"}


def test_pyvenv_cfg_dir_skipped_under_any_name(tmp_path, settings):
    touch(tmp_path, "env311/pyvenv.cfg", "env311/lib/python3.11/x.py", "app/main.py")
    files, _ = discover([tmp_path], settings)
    assert rels(files, tmp_path) == ["app/main.py"]
    assert is_excluded(tmp_path / "env311" / "lib" / "python3.11" / "x.py", settings)
    assert not is_excluded(tmp_path / "app" / "main.py", settings)


def test_extend_exclude(tmp_path):
    touch(
        tmp_path,
        "src/legacy/old.py", "src/legacy/sub/older.py", "src/new.py", "migrations/0001.py",
        "app/migrations/0002.py", "gen/a_pb2.py", "gen/keep.py", "docs/conf.py", "tests/deep/t.py",
    )
    s = Settings(
        project_root=tmp_path,
        extend_exclude=["src/legacy", "migrations", "*_pb2.py", "docs/conf.py", "tests/**"],
    )
    files, _ = discover([tmp_path], s)
    assert set(rels(files, tmp_path)) == {"src/new.py", "gen/keep.py"}
    assert is_excluded(tmp_path / "src" / "legacy" / "sub" / "older.py", s)
    assert is_excluded(tmp_path / "app" / "migrations" / "0002.py", s)
    assert is_excluded(tmp_path / "gen" / "a_pb2.py", s)
    assert not is_excluded(tmp_path / "gen" / "keep.py", s)
    assert is_excluded(tmp_path / "tests" / "t.py", s)


def test_extend_exclude_relative_to_project_root_not_cwd(tmp_path, monkeypatch):
    proj = tmp_path / "proj"
    touch(proj, "src/legacy/old.py", "src/new.py")
    s = Settings(project_root=proj, extend_exclude=["src/legacy"])
    monkeypatch.chdir(proj / "src")
    files, _ = discover(["."], s)
    assert [f.as_posix() for f in files] == ["new.py"]
    assert is_excluded("legacy/old.py", s)


def test_explicit_files_included_unless_force_exclude(tmp_path):
    touch(tmp_path, "build/gen.py", "src/legacy/x.py", "script")
    s = Settings(project_root=tmp_path, extend_exclude=["src/legacy"])
    explicit = [tmp_path / "build" / "gen.py", tmp_path / "src" / "legacy" / "x.py", tmp_path / "script"]
    files, errors = discover(explicit, s)
    assert errors == []
    assert set(rels(files, tmp_path)) == {"build/gen.py", "src/legacy/x.py", "script"}
    files, errors = discover(explicit, s, force_exclude=True)
    assert rels(files, tmp_path) == ["script"]


def test_explicit_excluded_directory(tmp_path, settings):
    touch(tmp_path, "build/a.py", "build/dist/b.py")
    files, _ = discover([tmp_path / "build"], settings)
    assert rels(files, tmp_path) == ["build/a.py"]  # nested default exclusions still apply
    files, _ = discover([tmp_path / "build"], settings, force_exclude=True)
    assert files == []


def test_dedupe(tmp_path, settings, monkeypatch):
    touch(tmp_path, "src/a.py", "src/sub/b.py")
    monkeypatch.chdir(tmp_path)
    files, errors = discover(["src", "src", "src/a.py", str(tmp_path / "src"), "src/sub", "."], settings)
    assert errors == []
    assert [f.as_posix() for f in files] == ["src/a.py", "src/sub/b.py"]


def test_dedupe_subdir_before_parent(tmp_path, settings, monkeypatch):
    touch(tmp_path, "src/a.py", "src/sub/b.py")
    monkeypatch.chdir(tmp_path)
    files, _ = discover(["src/sub", "src"], settings)
    assert [f.as_posix() for f in files] == ["src/a.py", "src/sub/b.py"]


def test_relative_display_paths_kept(tmp_path, settings, monkeypatch):
    touch(tmp_path, "pkg/m.py")
    monkeypatch.chdir(tmp_path)
    files, _ = discover(["./pkg/"], settings)
    assert files == [Path("pkg/m.py")]


def test_nonexistent_path_reported_rest_analysed(tmp_path, settings):
    touch(tmp_path, "a.py")
    missing = tmp_path / "nope.py"
    files, errors = discover([missing, tmp_path / "a.py", "also/missing"], settings)
    assert errors == [f"path does not exist: {missing}", "path does not exist: also/missing"]
    assert rels(files, tmp_path) == ["a.py"]


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlink_loop_and_escape(tmp_path, settings):
    touch(tmp_path, "proj/a.py", "proj/sub/b.py", "outside/secret.py")
    (tmp_path / "proj" / "sub" / "loop").symlink_to(tmp_path / "proj", target_is_directory=True)
    (tmp_path / "proj" / "self").symlink_to(".", target_is_directory=True)
    (tmp_path / "proj" / "escape").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "proj" / "alias.py").symlink_to(tmp_path / "proj" / "a.py")
    (tmp_path / "proj" / "broken.py").symlink_to(tmp_path / "proj" / "gone.py")
    files, errors = discover([tmp_path / "proj"], settings)
    assert errors == []
    # alias.py and a.py are the same file: the smaller spelling is kept
    assert rels(files, tmp_path) == ["proj/a.py", "proj/sub/b.py"]


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlinked_dir_inside_tree_followed_once(tmp_path, settings):
    touch(tmp_path, "proj/real/x.py")
    (tmp_path / "proj" / "link").symlink_to(tmp_path / "proj" / "real", target_is_directory=True)
    files, _ = discover([tmp_path / "proj"], settings)
    assert len(files) == 1


def test_is_excluded_for_stdin_filename(tmp_path):
    s = Settings(project_root=tmp_path, extend_exclude=["generated"])
    assert is_excluded(tmp_path / ".venv" / "lib" / "x.py", s)
    assert is_excluded(tmp_path / "generated" / "x.py", s)  # need not exist
    assert is_excluded(tmp_path / "a" / "generated" / "x.py", s)
    assert not is_excluded(tmp_path / "src" / "x.py", s)
    # directories above the project root do not count
    inner = Settings(project_root=tmp_path / "build" / "proj")
    assert not is_excluded(tmp_path / "build" / "proj" / "a.py", inner)


def test_many_files_fast(tmp_path, settings):
    for d in range(100):
        sub = tmp_path / f"d{d}"
        sub.mkdir()
        for f in range(100):
            (sub / f"m{f}.py").write_bytes(b"")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    for f in range(500):
        (tmp_path / ".venv" / "lib" / f"v{f}.py").write_bytes(b"")
    start = time.perf_counter()
    files, errors = discover([tmp_path], Settings(project_root=tmp_path, extend_exclude=["d1/**", "*_pb2.py"]))
    elapsed = time.perf_counter() - start
    assert errors == []
    assert len(files) == 9900
    assert elapsed < 5.0


# ------------------------------------------------------------------------------ module names


def test_module_name_nested_packages(tmp_path):
    touch(tmp_path, "app/__init__.py", "app/core/__init__.py", "app/core/db.py")
    assert module_name_for(tmp_path / "app" / "core" / "db.py", tmp_path) == "app.core.db"
    assert module_name_for(tmp_path / "app" / "core" / "__init__.py", tmp_path) == "app.core"
    assert module_name_for(tmp_path / "app" / "__init__.py", tmp_path) == "app"


def test_module_name_below_a_folder_no_import_names(tmp_path):
    # a checkout's folder with an __init__.py of its own but a name that is no identifier: its modules are
    # imported by the names below it (run from there: `python bot.py`), not by their file stems
    touch(tmp_path, "star-bot/__init__.py", "star-bot/bot.py", "star-bot/cogs/__init__.py", "star-bot/cogs/board.py",
          "star-bot/events/reactions.py")
    root = tmp_path / "star-bot"
    assert module_name_for(root / "cogs" / "board.py", root) == "cogs.board"
    assert module_name_for(root / "cogs" / "__init__.py", root) == "cogs"
    assert module_name_for(root / "events" / "reactions.py", root) == "events.reactions"
    assert module_name_for(root / "bot.py", root) == "bot"
    # an identifier-named folder is still part of the name
    touch(tmp_path, "app/__init__.py", "app/cogs/__init__.py", "app/cogs/board.py")
    assert module_name_for(tmp_path / "app" / "cogs" / "board.py", tmp_path) == "app.cogs.board"


def test_module_name_package_in_a_namespace_portion_of_a_package(tmp_path):
    # app/ is a package, app/plugins/ has no __init__.py (PEP 420 portion), app/plugins/drive/ is a package:
    # `import app.plugins.drive.oauth` is the only import that finds it
    touch(tmp_path, "app/__init__.py", "app/plugins/drive/__init__.py", "app/plugins/drive/oauth.py",
          "app/plugins/drive/routes/__init__.py", "app/plugins/drive/routes/oauth.py")
    assert module_name_for(tmp_path / "app/plugins/drive/oauth.py", tmp_path) == "app.plugins.drive.oauth"
    assert module_name_for(tmp_path / "app/plugins/drive/routes/oauth.py", tmp_path) == "app.plugins.drive.routes.oauth"
    assert module_name_for(tmp_path / "app/plugins/drive/__init__.py", tmp_path) == "app.plugins.drive"
    # the same folders below a plain directory at the root: no package above, the package is the top
    touch(tmp_path, "backend/svc/__init__.py", "backend/svc/db.py")
    assert module_name_for(tmp_path / "backend/svc/db.py", tmp_path) == "svc.db"


def test_module_name_broken_chain(tmp_path):
    # app/ has no __init__.py: app/core is the top-level package
    touch(tmp_path, "app/core/__init__.py", "app/core/db.py")
    assert module_name_for(tmp_path / "app" / "core" / "db.py", tmp_path) == "core.db"


def test_module_name_top_level_script(tmp_path):
    # directories without __init__.py below the root are namespace packages (PEP 420): `tools.run`
    touch(tmp_path, "tools/run.py", "main.py", "my-script.py", "my-tools/run.py")
    assert module_name_for(tmp_path / "tools" / "run.py", tmp_path) == "tools.run"
    assert module_name_for(tmp_path / "main.py", tmp_path) == "main"
    assert module_name_for(tmp_path / "my-script.py", tmp_path) is None
    # a directory that is not an identifier cannot be imported: its files are scripts named by stem
    assert module_name_for(tmp_path / "my-tools" / "run.py", tmp_path) == "run"


def test_module_name_src_layout(tmp_path):
    touch(tmp_path, "src/app/__init__.py", "src/app/api/__init__.py", "src/app/api/routes.py")
    assert module_name_for(tmp_path / "src" / "app" / "api" / "routes.py", tmp_path) == "app.api.routes"
    assert module_name_for(tmp_path / "src" / "app" / "__init__.py", tmp_path) == "app"


def test_module_name_src_layout_namespace_packages(tmp_path):
    touch(tmp_path, "src/ns/plugin/__init__.py", "src/ns/plugin/mod.py", "src/loose/x.pyi")
    assert module_name_for(tmp_path / "src" / "ns" / "plugin" / "mod.py", tmp_path) == "ns.plugin.mod"
    assert module_name_for(tmp_path / "src" / "loose" / "x.pyi", tmp_path) == "loose.x"


def test_module_name_src_is_a_package(tmp_path):
    touch(tmp_path, "src/__init__.py", "src/app/__init__.py", "src/app/m.py")
    assert module_name_for(tmp_path / "src" / "app" / "m.py", tmp_path) == "src.app.m"


def test_module_name_relative_paths(tmp_path, monkeypatch):
    touch(tmp_path, "pkg/__init__.py", "pkg/m.py")
    monkeypatch.chdir(tmp_path)
    assert module_name_for("pkg/m.py", ".") == "pkg.m"


def test_runner_module_names_match_module_name_for(tmp_path):
    """runner._module_names derives siblings' names per directory; it must agree with module_name_for."""
    from fakeasync_lint import runner
    from fakeasync_lint.discovery import module_name_for

    layout = ["src/app/__init__.py", "src/app/a.py", "src/app/core/db.py", "src/app/core/x.pyi", "pkg/__init__.py",
              "pkg/m.py", "pkg/n.py", "pkg/sub/__init__.py", "pkg/sub/k.py", "pkg/ns/leaf.py", "pkg/ns/leaf2.py",
              "tools/run.py", "tools/my-script.py", "tools/other.py", "top.py", "bad-dir/x.py", "bad-dir/y.py",
              "pkg/__init__.pyi", "pkg/sub/k.pyi"]
    files = []
    for rel in layout:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("")
        files.append(str(p))
    files.sort()
    got = runner._module_names(files, tmp_path)
    used = {}
    for f in files:
        want = module_name_for(f, tmp_path) or Path(f).stem
        if want in used:
            used[want] += 1
            want = f"{want}#{used[want]}"
        else:
            used[want] = 0
        assert got[f][0] == want, f
