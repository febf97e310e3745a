"""Where the project is: the root comes from the checked paths, never from an unrelated working directory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fakeasync_lint.config import find_project_root, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_run_from_filesystem_root_on_a_loose_directory(tmp_path):
    """Regression: run from `/` on files in a directory without git or config, the whole file system was
    indexed and the run ended in `internal error: PermissionError`."""
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "a.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    (loose / "b.py").write_text("from a import f\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "--format", "json",
                        str(loose / "a.py")], cwd="/", env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 1, p.stderr
    diags = json.loads(p.stdout)
    assert [(d["code"], d["location"]["row"]) for d in diags] == [("FAK103", 5)]
    assert "internal error" not in p.stderr


def test_root_is_the_nearest_marker_above_the_paths(tmp_path):
    proj = tmp_path / "proj"
    (proj / "src" / "pkg").mkdir(parents=True)
    (proj / "setup.cfg").write_text("[metadata]\nname = x\n")
    f = proj / "src" / "pkg" / "m.py"
    f.write_text("")
    assert find_project_root(f.parent) == proj
    # a pyproject.toml without our table is a marker too, and the nearest one wins
    (proj / "src" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_project_root(f.parent) == proj / "src"
    assert load_settings([str(f)]).project_root == proj / "src"


def test_root_without_markers_is_the_common_directory_of_the_paths(tmp_path, monkeypatch):
    a = tmp_path / "x" / "a"
    b = tmp_path / "x" / "b"
    a.mkdir(parents=True)
    b.mkdir()
    (a / "m.py").write_text("")
    (b / "n.py").write_text("")
    monkeypatch.chdir("/")
    assert load_settings([str(a / "m.py"), str(b / "n.py")]).project_root == tmp_path / "x"


def test_loose_file_outside_any_project_is_linted_alone(tmp_path, monkeypatch):
    """No config and no marker above it: a file given alone (or a buffer) does not index its directory."""
    from fakeasync_lint import runner

    loose = tmp_path / "downloads"
    loose.mkdir()
    for i in range(40):
        (loose / f"other{i}.py").write_text("import time\n\n\nasync def g():\n    time.sleep(1)\n")
    (loose / "script.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    monkeypatch.chdir(loose)
    settings = load_settings([str(loose / "script.py")])
    assert settings.loose
    r = runner.run([str(loose / "script.py")], settings, use_cache=False, jobs=1)
    assert r.files_indexed == 1 and [d.code for d in r.diagnostics] == ["FAK103"]
    r = runner.run([], settings, stdin_text=(loose / "script.py").read_text(),
                   stdin_filename=str(loose / "script.py"), use_cache=False, jobs=1)
    assert r.files_indexed == 1
    # a directory given is still checked whole
    settings = load_settings([str(loose)])
    r = runner.run([str(loose)], settings, use_cache=False, jobs=1)
    assert r.files_indexed == 41
    # inside a project (a marker above), the whole project is indexed as before
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    settings = load_settings([str(loose / "script.py")])
    assert not settings.loose
    r = runner.run([str(loose / "script.py")], settings, use_cache=False, jobs=1)
    assert r.files_indexed == 41


def test_an_archived_copy_of_a_package_does_not_shadow_the_package(tmp_path):
    """`_archive/pkg/` (an old copy kept in the repository) and `src/pkg/` both give module `pkg.tools`: the one
    the import system finds (`src/`) keeps the name, so `from pkg.tools import Loader` resolves to it, whichever
    sorts first; the copy is `pkg.tools#1`."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'pkg'\n")
    for top, body in (("_archive", "class Loader:\n    def load(self):\n        return 1\n"),
                      ("src", "import time\n\n\nclass Loader:\n    def load(self):\n        time.sleep(1)\n")):
        pkg = tmp_path / top / "pkg"
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "tools.py").write_text(body)
    (tmp_path / "src" / "pkg" / "app.py").write_text(
        "from pkg.tools import Loader\n\n\nasync def handler():\n    return Loader().load()\n")
    from fakeasync_lint import runner

    files = sorted(str(p) for p in tmp_path.rglob("*.py"))
    names = runner._module_names(files, tmp_path)
    assert names[str(tmp_path / "src" / "pkg" / "tools.py")][0] == "pkg.tools"
    assert names[str(tmp_path / "_archive" / "pkg" / "tools.py")][0] == "pkg.tools#1"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "--format", "json", "."],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    diags = json.loads(p.stdout)
    assert ("FAK401", "app.py", 5) in [(d["code"], Path(d["filename"]).name, d["location"]["row"]) for d in diags]
