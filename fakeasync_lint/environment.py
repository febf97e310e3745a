"""Find the project's Python environment without running anything (issue 14).

Where to look, first match wins:

1. ``--python PATH`` / ``python = "PATH"`` in the config: an interpreter (``.venv/bin/python``) or an
   environment directory;
2. ``$VIRTUAL_ENV``;
3. ``.venv/`` or ``venv/`` at the project root.

An environment directory is read, never executed: ``pyvenv.cfg`` (``home``,
``include-system-site-packages``, ``version``), the ``site-packages`` directories of its layout
(``lib/pythonX.Y/site-packages``, ``Lib/site-packages``), and the ``.pth`` files there for their path
lines only (an ``import`` line is skipped: it would run code).  Installed distributions come from their
``*.dist-info`` / ``*.egg-info`` metadata (``top_level.txt`` or ``RECORD``), which map an import root
(``stripe``) to a distribution and version (``stripe 12.1.0``).  Everything here tolerates a broken
environment: what cannot be read is left out (and listed by ``problems``).
"""
from __future__ import annotations

import glob
import hashlib
import os
import re
from typing import Dict, List, Optional, Tuple


class EnvironmentError_(ValueError):
    """A ``--python`` / ``python =`` that names no environment (exit 2)."""


class Environment:
    def __init__(self, prefix: str, search: List[str], how: str):
        self.prefix = prefix
        self.search = search  # site directories and .pth paths, in import order
        self.how = how  # how it was found, for --verbose
        self.problems: List[str] = []
        self._dists: Optional[Dict[str, Tuple[str, str]]] = None
        self._fp: Optional[str] = None

    def __repr__(self) -> str:
        return f"Environment({self.prefix!r}, {len(self.search)} paths, found by {self.how})"

    @property
    def fingerprint(self) -> str:
        """Identity of what is installed: the search path and the distributions' metadata names."""
        if self._fp is None:
            h = hashlib.sha256()
            for d in self.search:
                h.update(d.encode("utf-8", "surrogateescape") + b"\0")
                try:
                    names = sorted(n for n in os.listdir(d) if n.endswith((".dist-info", ".egg-info", ".pth")))
                except OSError:
                    names = []
                for n in names:
                    h.update(n.encode("utf-8", "surrogateescape") + b"\0")
            self._fp = h.hexdigest()[:16]
        return self._fp

    def dists(self) -> Dict[str, Tuple[str, str]]:
        """import root -> (distribution name, version); the first site directory that has it wins."""
        if self._dists is None:
            out: Dict[str, Tuple[str, str]] = {}
            for d in self.search:
                for root, dist in _dists_in(d, self.problems).items():
                    out.setdefault(root, dist)
            self._dists = out
        return self._dists

    def is_namespace(self, root: str) -> bool:
        """A namespace package (PEP 420: a directory without ``__init__.py``, shared by distributions:
        ``google``, ``azure``)."""
        for d in self.search:
            base = os.path.join(d, root)
            if os.path.isfile(os.path.join(base, "__init__.py")) or os.path.isfile(base + ".py"):
                return False
            if os.path.isdir(base):
                return True
        return False

    def has_package(self, key: str) -> bool:
        parts = key.split(".")
        return any(os.path.isfile(os.path.join(d, *parts, "__init__.py")) for d in self.search)

    def _packages(self) -> Dict[str, Tuple[str, str]]:
        """Package directories below namespace roots (``google/cloud/storage``) -> distribution, from
        the distributions' RECORD files (read once, when a namespace package is first asked for)."""
        if getattr(self, "_pkgs", None) is None:
            self._pkgs = {}
            for d in self.search:
                try:
                    names = sorted(n for n in os.listdir(d) if n.endswith(".dist-info"))
                except OSError:
                    continue
                for n in names:
                    stem = n[: -len(".dist-info")]
                    name, _, version = stem.partition("-")
                    try:
                        with open(os.path.join(d, n, "RECORD"), "r", encoding="utf-8", errors="replace") as fh:
                            for ln in fh:
                                first = ln.split(",", 1)[0]
                                if first.endswith("/__init__.py"):
                                    key = first[: -len("/__init__.py")].replace("/", ".")
                                    self._pkgs.setdefault(key, (name.replace("_", "-").lower(), version or "unknown"))
                    except OSError:
                        continue
        return self._pkgs

    def dist_of(self, root: str) -> Optional[Tuple[str, str]]:
        if "." in root:
            hit = self._packages().get(root)
            if hit is not None:
                return hit
            return (root, "unknown") if self.has_package(root) else None
        hit = self.dists().get(root)
        if hit is not None:
            return hit
        # a package without metadata (copied in, or installed oddly): derived under its own name
        for d in self.search:
            if os.path.isfile(os.path.join(d, root, "__init__.py")) or os.path.isfile(os.path.join(d, root + ".py")):
                return (root, "unknown")
        return None


_PY_DIR = re.compile(r"^python(\d+)\.(\d+)t?$")


def _site_dirs(prefix: str) -> List[str]:
    out = []
    for pat in ("lib/python*/site-packages", "lib64/python*/site-packages", "Lib/site-packages",
                "lib/python*/dist-packages"):
        for d in sorted(glob.glob(os.path.join(glob.escape(prefix), pat)), reverse=True):
            if os.path.isdir(d) and d not in out:
                out.append(d)
    return out


def _pth_paths(site: str, problems: List[str]) -> List[str]:
    """The directories a site directory's ``.pth`` files add: path lines only.  Lines starting with
    ``import`` are code (run by ``site`` at start-up): they are never run here."""
    out = []
    try:
        names = sorted(n for n in os.listdir(site) if n.endswith(".pth"))
    except OSError:
        return out
    for n in names:
        try:
            with open(os.path.join(site, n), "r", encoding="utf-8", errors="replace") as fh:
                lines = fh.read(200_000).splitlines()
        except OSError:
            continue
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#") or line.startswith(("import ", "import\t")):
                continue
            p = line if os.path.isabs(line) else os.path.join(site, line)
            p = os.path.normpath(p)
            if os.path.isdir(p) and p not in out:
                out.append(p)
    return out


def _read_cfg(path: str) -> Dict[str, str]:
    cfg = {}
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if "=" in line:
                    k, v = line.split("=", 1)
                    cfg[k.strip().lower()] = v.strip()
    except OSError:
        pass
    return cfg


def from_prefix(prefix: str, how: str) -> Environment:
    """The environment rooted at ``prefix`` (a venv, or an interpreter's installation prefix)."""
    prefix = os.path.abspath(prefix)
    problems: List[str] = []
    sites = _site_dirs(prefix)
    cfg_path = os.path.join(prefix, "pyvenv.cfg")
    if os.path.isfile(cfg_path):
        cfg = _read_cfg(cfg_path)
        if cfg.get("include-system-site-packages", "false").lower() == "true" and cfg.get("home"):
            base = os.path.dirname(os.path.abspath(cfg["home"]))
            for d in _site_dirs(base):
                if d not in sites:
                    sites.append(d)
    if not sites:
        problems.append(f"no site-packages directory under {prefix}")
    search: List[str] = []
    for s in sites:
        if s not in search:
            search.append(s)
        for p in _pth_paths(s, problems):
            if p not in search:
                search.append(p)
    env = Environment(prefix, search, how)
    env.problems.extend(problems)
    return env


def from_python(path: str, how: str) -> Environment:
    """``--python PATH``: an interpreter (its environment is the directory above its ``bin/``) or an
    environment directory."""
    p = os.path.expanduser(path)
    if not os.path.exists(p):
        raise EnvironmentError_(f"--python {path}: no such interpreter or environment directory")
    if os.path.isdir(p):
        return from_prefix(p, how)
    d = os.path.dirname(os.path.abspath(p))
    prefix = os.path.dirname(d) if os.path.basename(d).lower() in ("bin", "scripts") else d
    return from_prefix(prefix, how)


def find(root: str, python: Optional[str] = None) -> Optional[Environment]:
    """The project's environment (see the module docstring), or None."""
    if python:
        return from_python(python, "--python")
    venv = os.environ.get("VIRTUAL_ENV")
    if venv and os.path.isdir(venv):
        return from_prefix(venv, "$VIRTUAL_ENV")
    for name in (".venv", "venv"):
        d = os.path.join(root, name)
        if os.path.isfile(os.path.join(d, "pyvenv.cfg")):
            return from_prefix(d, name + "/ at the project root")
    return None


def _dists_in(site: str, problems: List[str]) -> Dict[str, Tuple[str, str]]:
    out: Dict[str, Tuple[str, str]] = {}
    try:
        names = sorted(os.listdir(site))
    except OSError:
        return out
    for n in names:
        if not n.endswith((".dist-info", ".egg-info")):
            continue
        meta_dir = os.path.join(site, n)
        stem = n.rsplit(".", 1)[0]
        name, _, version = stem.partition("-")
        version = version.split("-")[0] if version else "unknown"
        roots: List[str] = []
        top = os.path.join(meta_dir, "top_level.txt")
        try:
            if os.path.isfile(top):
                with open(top, "r", encoding="utf-8", errors="replace") as fh:
                    roots = [ln.strip().replace("/", ".").split(".")[0] for ln in fh if ln.strip()]
            else:
                rec = os.path.join(meta_dir, "RECORD")
                if os.path.isfile(rec):
                    with open(rec, "r", encoding="utf-8", errors="replace") as fh:
                        for ln in fh:
                            first = ln.split(",", 1)[0]
                            if first.endswith(".py") and ".dist-info" not in first and not first.startswith(".."):
                                r = first.split("/", 1)[0]
                                r = r[:-3] if r.endswith(".py") else r
                                if r.isidentifier() and r not in roots:
                                    roots.append(r)
        except OSError as e:
            problems.append(f"unreadable metadata {meta_dir}: {e}")
            continue
        for r in roots:
            if r and r.isidentifier():
                out.setdefault(r, (name.replace("_", "-").lower(), version))
    return out
