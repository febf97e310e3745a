"""File discovery: expand the checked paths into Python files, honouring exclusions.

* Directories are walked recursively (``os.scandir``, excluded directories are pruned before
  descending) and yield ``*.py`` and ``*.pyi`` files.
* Always skipped while walking: :data:`EXCLUDED_DIR_NAMES`, ``*.egg-info``, any directory that
  contains ``pyvenv.cfg`` (a virtualenv under any name), and ``extend-exclude`` globs (relative to
  ``settings.project_root``; a glob may name a directory or a file; see ``config`` for the glob
  rules).
* Paths passed explicitly are always checked (files of any extension; directories are walked
  even if their own name is excluded) unless ``force_exclude`` is set and they are excluded.
* Directory symlinks are followed only when their target stays inside the top-level directory
  being walked and has not been visited yet (no escapes, no cycles).  File symlinks are followed.
* Files are de-duplicated by identity (device + inode; resolved path on Windows) and returned
  sorted; each file keeps the spelling of the earliest input path it was reached through (the
  smallest spelling if that input reaches it twice, e.g. through a file symlink).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Dict, Hashable, List, Optional, Sequence, Set, Tuple

from fakeasync_lint.config import PathLike, Settings, compile_glob, path_parts

EXCLUDED_DIR_NAMES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "build",
        "dist",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".fakeasync_cache",
        "site-packages",
    }
)
PYTHON_SUFFIXES = (".py", ".pyi")
_WINDOWS = os.name == "nt"


def _is_excluded_dir_name(name: str) -> bool:
    return name in EXCLUDED_DIR_NAMES or name.endswith(".egg-info")


class _Excluder:
    """The settings' ``extend-exclude`` globs, compiled into one regex per kind."""

    def __init__(self, settings: Settings) -> None:
        self.root = os.path.abspath(os.fspath(settings.project_root))
        self.root_posix = self.root.replace(os.sep, "/")
        by_kind: Dict[str, List[str]] = {"name": [], "rel": [], "abs": []}
        for glob in settings.extend_exclude:
            m = compile_glob(glob)
            by_kind[m.kind].append(m.regex.pattern)
        self.name_re = self._combine(by_kind["name"])
        self.rel_re = self._combine(by_kind["rel"])
        self.abs_re = self._combine(by_kind["abs"])
        self.any = bool(settings.extend_exclude)

    @staticmethod
    def _combine(patterns: List[str]) -> Optional["re.Pattern[str]"]:
        if not patterns:
            return None
        return re.compile("|".join(f"(?:{p})" for p in patterns))

    def matches(self, name: str, rel: Optional[str], abs_posix: str, is_dir: bool) -> bool:
        if not self.any:
            return False
        for regex, target in ((self.name_re, name), (self.rel_re, rel), (self.abs_re, abs_posix)):
            if regex is None or target is None:
                continue
            if regex.match(target) or (is_dir and regex.match(target + "/")):
                return True
        return False

    def rel_of(self, abs_path: str) -> Optional[str]:
        _, rel, _ = path_parts(abs_path, Path(self.root))
        return rel


def _path_excluded(path: PathLike, settings: Settings, excluder: _Excluder) -> bool:
    abs_posix, rel, name = path_parts(path, settings.project_root)
    if rel is None:
        # Outside the project: only the file itself and its parent directory can be judged.
        parent = os.path.dirname(os.path.abspath(os.fspath(path)))
        pname = os.path.basename(parent)
        if pname and (
            _is_excluded_dir_name(pname)
            or excluder.matches(pname, None, parent.replace(os.sep, "/"), True)
            or os.path.isfile(os.path.join(parent, "pyvenv.cfg"))
        ):
            return True
        return excluder.matches(name, None, abs_posix, False)
    parts = rel.split("/") if rel else []
    root = excluder.root
    for i in range(len(parts) - 1):
        dname = parts[i]
        drel = "/".join(parts[: i + 1])
        dabs = excluder.root_posix.rstrip("/") + "/" + drel
        if _is_excluded_dir_name(dname) or excluder.matches(dname, drel, dabs, True):
            return True
        if os.path.isfile(os.path.join(root, *parts[: i + 1], "pyvenv.cfg")):
            return True
    return excluder.matches(name, rel, abs_posix, False)


def is_excluded(path: PathLike, settings: Settings) -> bool:
    """True if ``path`` (a file, possibly nonexistent, e.g. ``--stdin-filename``) is excluded by
    the default directory exclusions, a virtualenv directory, or ``extend-exclude``.  Only the
    directories between ``project_root`` and the file are judged."""
    return _path_excluded(path, settings, _Excluder(settings))


def _file_key(path: str, entry: Optional["os.DirEntry[str]"] = None, dir_dev: int = 0) -> Hashable:
    if _WINDOWS:
        return os.path.normcase(os.path.realpath(path))
    if entry is not None and not entry.is_symlink():
        return (dir_dev, entry.inode())
    st = os.stat(path)
    return (st.st_dev, st.st_ino)


def _dir_key(path: str) -> Hashable:
    if _WINDOWS:
        return os.path.normcase(os.path.realpath(path))
    st = os.stat(path)
    return (st.st_dev, st.st_ino)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def discover(
    paths: Sequence[PathLike], settings: Settings, force_exclude: bool = False
) -> Tuple[List[Path], List[str]]:
    """Expand ``paths`` into a sorted, de-duplicated list of files to check, plus error strings
    (``"path does not exist: X"``, ``"cannot read directory: X: reason"``)."""
    excluder = _Excluder(settings)
    files: Dict[Hashable, Tuple[int, Path]] = {}
    errors: List[str] = []
    visited_dirs: Set[Hashable] = set()

    for index, raw in enumerate(paths):
        given = os.fspath(raw)
        if not os.path.exists(given):
            errors.append(f"path does not exist: {given}")
            continue
        display = os.path.normpath(given)
        abs_path = os.path.abspath(given)
        if not os.path.isdir(abs_path):
            if force_exclude and _path_excluded(abs_path, settings, excluder):
                continue
            try:
                key = _file_key(abs_path)
            except OSError as exc:  # pragma: no cover - raced away
                errors.append(f"cannot read file: {given}: {exc.strerror or exc}")
                continue
            _add(files, key, index, display)
            continue
        if force_exclude and _path_excluded(os.path.join(abs_path, "_"), settings, excluder):
            continue
        try:
            top_key = _dir_key(abs_path)
        except OSError as exc:  # pragma: no cover - raced away
            errors.append(f"cannot read directory: {given}: {exc.strerror or exc}")
            continue
        if top_key in visited_dirs:
            continue
        visited_dirs.add(top_key)
        _walk(index, display, abs_path, excluder, files, visited_dirs, errors)

    result = sorted(p for _, p in files.values())
    return result, errors


def _add(files: Dict[Hashable, Tuple[int, Path]], key: Hashable, index: int, display: str) -> None:
    """Keep one spelling per file: the earliest input path, then the smallest path."""
    candidate = (index, Path(display))
    current = files.get(key)
    if current is None or candidate < current:
        files[key] = candidate


def _walk(
    index: int,
    top_display: str,
    top_abs: str,
    excluder: _Excluder,
    files: Dict[Hashable, Tuple[int, Path]],
    visited_dirs: Set[Hashable],
    errors: List[str],
) -> None:
    top_real = os.path.realpath(top_abs)
    top_rel = excluder.rel_of(top_abs) if excluder.any else None
    root_posix = excluder.root_posix.rstrip("/")
    # (display path, absolute path, posix path relative to project root or None)
    stack: List[Tuple[str, str, Optional[str]]] = [(top_display, top_abs, top_rel)]
    while stack:
        d_display, d_abs, d_rel = stack.pop()
        try:
            it = os.scandir(d_abs)
            dir_dev = 0 if _WINDOWS else os.stat(d_abs).st_dev
        except OSError as exc:
            errors.append(f"cannot read directory: {d_display}: {exc.strerror or exc}")
            continue
        subdirs: List[Tuple[str, str, Optional[str]]] = []
        with it:
            for entry in it:
                name = entry.name
                try:
                    is_dir = entry.is_dir()
                except OSError:  # pragma: no cover - raced away
                    continue
                if is_dir:
                    if _is_excluded_dir_name(name):
                        continue
                    c_abs = os.path.join(d_abs, name)
                    c_rel = None if d_rel is None else (f"{d_rel}/{name}" if d_rel else name)
                    if excluder.any:
                        c_abs_posix = f"{root_posix}/{c_rel}" if c_rel is not None else c_abs.replace(os.sep, "/")
                        if excluder.matches(name, c_rel, c_abs_posix, True):
                            continue
                    if os.path.isfile(os.path.join(c_abs, "pyvenv.cfg")):
                        continue
                    try:
                        if entry.is_symlink() and not _inside(os.path.realpath(c_abs), top_real):
                            continue
                        key = _dir_key(c_abs)
                    except OSError:  # pragma: no cover - raced away
                        continue
                    if key in visited_dirs:
                        continue
                    visited_dirs.add(key)
                    subdirs.append((os.path.join(d_display, name), c_abs, c_rel))
                elif name.endswith(PYTHON_SUFFIXES):
                    try:
                        if not entry.is_file():
                            continue
                        if excluder.any:
                            f_rel = None if d_rel is None else (f"{d_rel}/{name}" if d_rel else name)
                            f_abs = os.path.join(d_abs, name)
                            f_abs_posix = f"{root_posix}/{f_rel}" if f_rel is not None else f_abs.replace(os.sep, "/")
                            if excluder.matches(name, f_rel, f_abs_posix, False):
                                continue
                        key = _file_key(os.path.join(d_abs, name), entry, dir_dev)
                    except OSError:  # pragma: no cover - broken symlink raced away
                        continue
                    _add(files, key, index, os.path.join(d_display, name))
        # Reverse so the stack pops directories in name order (order does not affect the result).
        subdirs.sort(reverse=True)
        stack.extend(subdirs)


def _is_package_dir(directory: Path) -> bool:
    return (directory / "__init__.py").is_file() or (directory / "__init__.pyi").is_file()


def _strip_suffix(name: str) -> str:
    for suffix in PYTHON_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return os.path.splitext(name)[0]


def module_name_for(path: PathLike, project_root: PathLike) -> Optional[str]:
    """Dotted module name of ``path``, or None if it cannot be imported by name.

    Rules, in order:

    1. ``src`` layout: if the file is under ``<project_root>/src/`` and ``src`` is not itself a
       package (no ``src/__init__.py``), the module path is relative to ``src``, whether or not
       the directories have ``__init__.py`` (namespace packages):
       ``src/app/core/db.py`` -> ``app.core.db``; ``src/app/__init__.py`` -> ``app``.
    2. Otherwise walk up while the parent directory is a package (has ``__init__.py`` or
       ``__init__.pyi``): ``app/core/db.py`` with ``app/__init__.py`` and
       ``app/core/__init__.py`` -> ``app.core.db``; ``pkg/__init__.py`` -> ``pkg``.  The walk
       is not limited by ``project_root``; it stops below a package folder whose name is not an
       identifier (``Starboard-1/cogs/db.py`` with ``Starboard-1/__init__.py`` -> ``cogs.db``: no import
       names that folder, its contents are imported with it on ``sys.path``).
    3. No package parent: below the project root, the directories are namespace packages (PEP 420):
       ``tools/run.py`` -> ``tools.run``; a directory that is not an identifier (``my-tools/run.py``),
       or a file outside the root: the file stem, ``run`` (a script; its sibling imports resolve
       through the importer's packages, see ``Resolver.qual``).

    ``.py`` / ``.pyi`` suffixes are stripped; ``__init__`` names the package itself.  Returns
    None when a component is not a Python identifier (``my-script.py``).
    """
    p = Path(os.path.abspath(os.fspath(path)))
    root = Path(os.path.abspath(os.fspath(project_root)))
    stem = _strip_suffix(p.name)

    src = root / "src"
    try:
        rel = p.relative_to(src)
    except ValueError:
        rel = None
    if rel is not None and not _is_package_dir(src):
        parts = list(rel.parts[:-1])
        if stem != "__init__":
            parts.append(stem)
        if parts and all(part.isidentifier() for part in parts):
            return ".".join(parts)
        # fall through to the __init__ chain (e.g. a non-identifier directory under src)

    parts = [] if stem == "__init__" else [stem]
    directory = p.parent
    if not _is_package_dir(directory):
        # PEP 420 namespace portions inside a regular package (``open_webui/internal/db.py`` with
        # ``open_webui/__init__.py`` but no ``internal/__init__.py``): name them from that package
        portion = []
        d = directory
        while d != root and d.name and d.name.isidentifier() and not _is_package_dir(d):
            portion.insert(0, d.name)
            if d.parent == d:
                break
            d = d.parent
        if portion and _is_package_dir(d) and d != root:
            parts = portion + parts
            directory = d
        elif portion and d == root:
            # PEP 420 namespace packages from the project root (``services/db.py`` without
            # ``services/__init__.py`` -> ``services.db``): ``import services.db`` finds it
            return ".".join(portion + parts) if parts else ".".join(portion)
    while True:
        while _is_package_dir(directory) and directory.name:
            if not directory.name.isidentifier() and parts:
                # a folder no import can name (`Starboard-1/__init__.py`, a checkout's directory): its
                # contents are imported with it on sys.path (`python bot.py` there), by the names below it
                break
            parts.insert(0, directory.name)
            parent = directory.parent
            if parent == directory:
                break
            directory = parent
        # a package in a namespace portion of a regular package (`app/__init__.py`, no
        # `app/plugins/__init__.py`, `app/plugins/drive/__init__.py`): `import app.plugins.drive.oauth`
        portion = []
        d = directory
        while d != root and d.name and d.name.isidentifier() and not _is_package_dir(d) and d.parent != d:
            portion.insert(0, d.name)
            d = d.parent
        if not (portion and parts and _is_package_dir(d) and d.name.isidentifier()):
            break
        parts = portion + parts
        directory = d
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)
