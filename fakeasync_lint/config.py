"""Configuration: discovery, parsing, validation and rule selection.

No output formatting and no click here: every problem is raised as :class:`ConfigError` with a
message that names the file, the key and what was expected; the CLI prints it and exits 2.

Config files
============

* ``pyproject.toml`` with a ``[tool.fakeasync-lint]`` table (a ``pyproject.toml`` without that
  table is skipped during discovery), or
* a standalone ``.fakeasync-lint.toml`` / ``fakeasync-lint.toml`` with the keys at top level.
  In one directory ``.fakeasync-lint.toml`` beats ``fakeasync-lint.toml``, which beats
  ``pyproject.toml`` (ruff's order).

Discovery walks up from the common parent of the checked paths (a file's directory for a file)
to the filesystem root and takes the nearest match; there is no merging. ``--config FILE``
overrides discovery; it may be either kind (a file named ``pyproject.toml``, or any file whose
top level has a ``[tool]`` table, is read as a pyproject).

Keys (kebab-case, flat)::

    select = ["FAK1", "FAK201"]          # base selection; default: every rule except FAK402
    extend-select = ["FAK402"]           # added to the selection
    ignore = ["FAK105"]                  # removed from the selection
    per-file-ignores = {"tests/**" = ["FAK1"], "__init__.py" = ["FAK301"], "!src/**" = ["FAK"]}
    extend-exclude = ["migrations", "src/legacy/**"]
    blocking-calls = {"mylib.fetch" = "use `await mylib.afetch()`", "*.sync_get" = "..."}
    allowed-calls = ["mylib.cached_read", "mylib.pure.*"]
    target-version = "py39"              # or "3.9"; else inferred from [project] requires-python
    script-severity = "warning"          # findings reached only from a script's asyncio.run(...)

Selectors are exact codes or prefixes of known codes (``FAK1`` = FAK101..FAK108, ``FAK`` and
``ALL`` = every rule, including the opt-in FAK402).  Resolution follows ruff:

* Layers: the config file, then the command line.  A layer that has ``select`` replaces the
  whole selection of the layers below it, including their ``extend-select`` and ``ignore``
  (ruff: with config ``select=["E","F"], ignore=["F401"]``, ``--select F401`` enforces F401).
  Without ``select``, a layer's ``extend-select`` and ``ignore`` add to the layer below.
* Within the flattened selection, more specific selectors win (``select=["FAK101"]`` +
  ``ignore=["FAK1"]`` keeps FAK101); with equal specificity ``ignore`` wins.

Globs (per-file-ignores, extend-exclude) are relative to the config file's directory
(``project_root``); globs given on the command line that contain a ``/`` are relative to the
current directory.  ``**`` matches across directories, ``*`` and ``?`` do not cross ``/``,
``[...]`` is a character class.  A glob without ``/`` (``__init__.py``, ``*.pyi``) matches the
file name at any depth.  A leading ``!`` negates a per-file-ignores glob (the codes are ignored
for every file that does NOT match).
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

if sys.version_info >= (3, 11):  # pragma: no cover - version dependent
    import tomllib as _toml
else:  # pragma: no cover - version dependent
    import tomli as _toml

PathLike = Union[str, "os.PathLike[str]"]

KNOWN_CODES: Tuple[str, ...] = (
    "FAK000",
    "FAK101",
    "FAK102",
    "FAK103",
    "FAK104",
    "FAK105",
    "FAK106",
    "FAK107",
    "FAK108",
    "FAK201",
    "FAK301",
    "FAK302",
    "FAK401",
    "FAK402",
    "FAK403",
)
DEFAULT_DISABLED: FrozenSet[str] = frozenset({"FAK402"})
DEFAULT_SELECTED: FrozenSet[str] = frozenset(KNOWN_CODES) - DEFAULT_DISABLED

TOOL_TABLE = "fakeasync-lint"
PYPROJECT = "pyproject.toml"
STANDALONE_NAMES: Tuple[str, ...] = (".fakeasync-lint.toml", "fakeasync-lint.toml")

KNOWN_KEYS: Tuple[str, ...] = (
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "extend-exclude",
    "index-exclude",
    "blocking-calls",
    "allowed-calls",
    "target-version",
    "script-severity",
    "python",
)
# `script-severity`: the severity of a blocking finding reached only from a command-line script's
# `asyncio.run(...)` (nothing else runs on that loop); "error" turns severity by reach off
SCRIPT_SEVERITIES: Tuple[str, ...] = ("error", "warning", "info")
CLI_OVERRIDE_KEYS: Tuple[str, ...] = ("select", "ignore", "extend_select", "extend_exclude", "per_file_ignores")

_ALL_PREFIXES: FrozenSet[str] = frozenset(c[:i] for c in KNOWN_CODES for i in range(3, len(c) + 1))
_CALL_PATTERN_RE = re.compile(r"^[A-Za-z0-9_.*?\[\]!-]+$")
_TARGET_RE = re.compile(r"^(?:py3(\d{1,2})|3\.(\d{1,2}))$", re.IGNORECASE)
_SPEC_RE = re.compile(r"^\s*(~=|===|==|>=|>|<=|<|!=)\s*v?(\d+)(?:\.(\d+|\*))?")


class ConfigError(Exception):
    """Invalid configuration or command-line selection; the CLI exits with code 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------------------------
# Selectors
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def expand_selector(selector: str) -> FrozenSet[str]:
    """Codes matched by one selector (``ALL``, ``FAK``, ``FAK1``, ``FAK101``); empty if none."""
    sel = selector.strip().upper()
    if sel == "ALL":
        return frozenset(KNOWN_CODES)
    if not sel.startswith("FAK"):
        return frozenset()
    return frozenset(c for c in KNOWN_CODES if c.startswith(sel))


def _specificity(selector: str) -> int:
    sel = selector.strip().upper()
    return 0 if sel == "ALL" else len(sel)


def resolve_selection(
    select: Optional[Sequence[str]], extend_select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> FrozenSet[str]:
    """Enabled codes for one flattened layer (``select`` None means the default selection)."""
    enabled = set(DEFAULT_SELECTED if select is None else ())
    actions: List[Tuple[int, int, FrozenSet[str]]] = []
    # (specificity, 0 = enable / 1 = disable, codes): applied least specific first, ignore last on ties
    for sel in list(select or ()) + list(extend_select):
        actions.append((_specificity(sel), 0, expand_selector(sel)))
    for sel in ignore:
        actions.append((_specificity(sel), 1, expand_selector(sel)))
    actions.sort(key=lambda a: (a[0], a[1]))
    for _, kind, codes in actions:
        if kind == 0:
            enabled |= codes
        else:
            enabled -= codes
    return frozenset(enabled)


def _suggest(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _validate_selector(raw: Any, where: str) -> str:
    if not isinstance(raw, str):
        raise ConfigError(f"{where}: expected a rule code or prefix (string), got {_describe(raw)}")
    sel = raw.strip().upper()
    if not sel:
        raise ConfigError(f"{where}: empty rule code")
    if sel == "ALL" or (sel.startswith("FAK") and expand_selector(sel)):
        return sel
    candidates = sorted(set(KNOWN_CODES) | {"ALL", "FAK", "FAK1", "FAK2", "FAK3", "FAK4"})
    raise ConfigError(
        f"{where}: unknown rule code or prefix {raw!r}; expected one of {', '.join(KNOWN_CODES)}, "
        f"a prefix such as 'FAK1', or 'ALL'{_suggest(sel, candidates)}"
    )


# --------------------------------------------------------------------------------------------
# Globs
# --------------------------------------------------------------------------------------------


def _glob_to_regex(pattern: str) -> str:
    out: List[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            if j - i >= 2:
                at_start = i == 0 or pattern[i - 1] == "/"
                if at_start and j < n and pattern[j] == "/":
                    out.append("(?:.*/)?")
                    i = j + 1
                    continue
                out.append(".*")
            else:
                out.append("[^/]*")
            i = j
            continue
        if c == "?":
            out.append("[^/]")
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] in "!^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : j]
                neg = body[:1] in ("!", "^")
                if neg:
                    body = body[1:]
                body = body.replace("\\", "\\\\")
                out.append(("[^" if neg else "[") + body + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "(?s:" + "".join(out) + r")\Z"


@dataclass(frozen=True)
class GlobMatcher:
    """One compiled glob.  ``kind``: ``name`` (file/dir name at any depth), ``rel`` (relative to
    the project root) or ``abs`` (absolute path)."""

    pattern: str
    kind: str
    regex: "re.Pattern[str]"

    def matches(self, abs_posix: str, rel_posix: Optional[str], name: str, is_dir: bool = False) -> bool:
        if self.kind == "name":
            target: Optional[str] = name
        elif self.kind == "rel":
            target = rel_posix
        else:
            target = abs_posix
        if target is None:
            return False
        if self.regex.match(target):
            return True
        return is_dir and bool(self.regex.match(target + "/"))


@lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> GlobMatcher:
    """Compile a (non-negated) glob; see the module docstring for the rules."""
    pat = pattern.replace("\\", "/") if os.sep == "\\" else pattern
    while pat.startswith("./"):
        pat = pat[2:]
    if os.path.isabs(pattern) or pat.startswith("/"):
        kind = "abs"
        pat = pat.replace("\\", "/")
    elif "/" in pat.rstrip("/"):
        kind = "rel"
    else:
        kind = "name"
    return GlobMatcher(pattern, kind, re.compile(_glob_to_regex(pat)))


def path_parts(path: PathLike, project_root: Path) -> Tuple[str, Optional[str], str]:
    """``(absolute posix path, posix path relative to project_root or None, file name)``."""
    abs_path = os.path.abspath(os.fspath(path))
    root = os.path.abspath(os.fspath(project_root))
    rel = _relpath_under(abs_path, root)
    if rel is None:
        # Symlinked temp dirs and the like: try the resolved spellings too.
        try:
            rel = _relpath_under(os.path.realpath(abs_path), os.path.realpath(root))
        except OSError:  # pragma: no cover - defensive
            rel = None
    return abs_path.replace(os.sep, "/"), rel, os.path.basename(abs_path)


def _relpath_under(path: str, root: str) -> Optional[str]:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # different drives on Windows
        return None
    if rel == os.curdir:
        return ""
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------


@dataclass
class Settings:
    """Resolved settings for one run.

    ``select`` is None for the default selection (every rule except FAK402).  After
    :func:`load_settings` the selection fields are already flattened across config file and
    command line (see the module docstring); ``per_file_ignores`` holds ``(glob, codes)`` with
    the codes as written (selectors, upper-cased).
    """

    select: Optional[List[str]] = None
    ignore: List[str] = field(default_factory=list)
    extend_select: List[str] = field(default_factory=list)
    per_file_ignores: List[Tuple[str, Tuple[str, ...]]] = field(default_factory=list)
    extend_exclude: List[str] = field(default_factory=list)
    # dropped from the project index entirely (generated code, vendored trees); `extend-exclude` files are
    # only not reported: they stay in the index when project code calls into them (pyright's rule)
    index_exclude: List[str] = field(default_factory=list)
    blocking_calls: Dict[str, str] = field(default_factory=dict)
    allowed_calls: List[str] = field(default_factory=list)
    target_version: Optional[str] = None
    script_severity: str = "warning"
    # the project's environment (an interpreter or a venv directory): library facts derived from the
    # installed packages (``environment.py``); None: $VIRTUAL_ENV, else .venv/ or venv/ at the root
    python: Optional[str] = None
    project_root: Path = field(default_factory=Path.cwd)
    config_path: Optional[Path] = None
    # no config and no project marker above the checked paths: files given one by one are linted alone
    # (a loose script in ~/Downloads does not index its whole directory)
    loose: bool = False

    _selected: Optional[FrozenSet[str]] = field(default=None, init=False, repr=False, compare=False)
    _pfi: Optional[List[Tuple[GlobMatcher, bool, FrozenSet[str]]]] = field(
        default=None, init=False, repr=False, compare=False
    )
    _enabled_cache: Dict[str, FrozenSet[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if not name.startswith("_") and "_enabled_cache" in self.__dict__:
            # A public field changed after use: drop the derived caches.
            object.__setattr__(self, "_selected", None)
            object.__setattr__(self, "_pfi", None)
            self._enabled_cache.clear()

    # -- selection ---------------------------------------------------------------------------

    @property
    def selected_codes(self) -> FrozenSet[str]:
        """Codes enabled before per-file-ignores."""
        if self._selected is None:
            self._selected = resolve_selection(self.select, self.extend_select, self.ignore)
        return self._selected

    def _compiled_pfi(self) -> List[Tuple[GlobMatcher, bool, FrozenSet[str]]]:
        if self._pfi is None:
            compiled = []
            for glob, codes in self.per_file_ignores:
                negated = glob.startswith("!")
                expanded = frozenset().union(*(expand_selector(c) for c in codes)) if codes else frozenset()
                compiled.append((compile_glob(glob[1:] if negated else glob), negated, expanded))
            self._pfi = compiled
        return self._pfi

    def enabled_codes(self, path: Optional[PathLike] = None) -> FrozenSet[str]:
        """Selection minus per-file-ignores that match ``path`` (None: no per-file-ignores)."""
        selected = self.selected_codes
        if path is None or not self.per_file_ignores:
            return selected
        key = os.fspath(path)
        cached = self._enabled_cache.get(key)
        if cached is not None:
            return cached
        abs_posix, rel, name = path_parts(path, self.project_root)
        removed: set = set()
        for matcher, negated, codes in self._compiled_pfi():
            if matcher.matches(abs_posix, rel, name) != negated:
                removed |= codes
        result = selected - removed if removed else selected
        if len(self._enabled_cache) < 100_000:
            self._enabled_cache[key] = result
        return result

    def is_enabled(self, code: str, path: Optional[PathLike] = None) -> bool:
        return code in self.enabled_codes(path)

    # -- cache key ---------------------------------------------------------------------------

    def fingerprint(self) -> str:
        """Stable hash of what changes per-file analysis results (not the rule selection)."""
        payload = {
            "blocking_calls": sorted(self.blocking_calls.items()),
            "allowed_calls": sorted(self.allowed_calls),
            "target_version": self.target_version,
            "index_exclude": sorted(self.index_exclude),
        }
        data = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


# --------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------


def _start_dir(paths: Sequence[PathLike]) -> Path:
    dirs = []
    for p in paths:
        s = os.fspath(p)
        if s == "-":
            continue
        a = os.path.abspath(s)
        dirs.append(a if os.path.isdir(a) else os.path.dirname(a))
    if not dirs:
        return Path.cwd()
    try:
        return Path(os.path.commonpath(dirs))
    except ValueError:  # different drives
        return Path(dirs[0])


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config file is not valid UTF-8: {exc}") from None
    try:
        return _toml.loads(text)
    except _toml.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _pyproject_has_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if TOOL_TABLE not in text:  # fast path; also tolerates unrelated broken pyprojects
        return False
    data = _read_toml(path)
    tool = data.get("tool")
    return isinstance(tool, dict) and TOOL_TABLE in tool


def find_config(start_paths: Sequence[PathLike], explicit: Optional[PathLike] = None) -> Optional[Path]:
    """The config file for ``start_paths``: ``explicit`` if given, else the nearest
    ``.fakeasync-lint.toml`` / ``fakeasync-lint.toml`` / ``pyproject.toml`` with a
    ``[tool.fakeasync-lint]`` table, walking up from the common parent of the paths.
    Raises ConfigError if a candidate pyproject.toml that mentions the table is invalid TOML."""
    if explicit is not None:
        path = Path(os.path.abspath(os.fspath(explicit)))
        if not path.is_file():
            raise ConfigError(f"{explicit}: config file not found (--config)")
        return path
    current = _start_dir(start_paths)
    while True:
        for name in STANDALONE_NAMES:
            candidate = current / name
            if candidate.is_file():
                return candidate
        candidate = current / PYPROJECT
        if candidate.is_file() and _pyproject_has_table(candidate):
            return candidate
        parent = current.parent
        if parent == current:
            return None
        current = parent


ROOT_MARKERS = (PYPROJECT, "setup.cfg", "setup.py", ".git")


def find_project_root(start: Path) -> Path:
    return _project_root(start)[0]


def _project_root(start: Path) -> Tuple[Path, bool]:
    """(root, whether a project marker was found)."""
    """The project root for checked paths whose common directory is ``start`` (no config file found):
    the nearest directory at or above ``start`` holding a project marker (``pyproject.toml`` with or
    without our table, ``setup.cfg``, ``setup.py``, ``.git``), else ``start`` itself, never the working
    directory when it does not contain the paths (run from ``/``, that indexed the whole file system)."""
    current = start
    while True:
        for marker in ROOT_MARKERS:
            try:
                if (current / marker).exists():
                    return current, True
            except OSError:  # an unreadable directory: not a marker
                pass
        parent = current.parent
        if parent == current:
            return start, False
        current = parent


def find_git_root(start: Path) -> Optional[Path]:
    current = start
    while True:
        if (current / ".git").exists():
            return current
        parent = current.parent
        if parent == current:
            return None
        current = parent


# --------------------------------------------------------------------------------------------
# Parsing and validation
# --------------------------------------------------------------------------------------------


def _describe(value: Any) -> str:
    names = {str: "string", bool: "boolean", int: "integer", float: "float", list: "array", dict: "table"}
    kind = names.get(type(value), type(value).__name__)
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{kind} {text}"


def _flatten_table(value: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
    """Turn TOML dotted bare keys (``mylib.fetch = ...`` parsed as nested tables) back into
    dotted strings."""
    out: Dict[str, Any] = {}
    for k, v in value.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.update(_flatten_table(v, key))
        else:
            out[key] = v
    return out


def _str_list(value: Any, where: str, what: str) -> List[str]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of {what}, got {_describe(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ConfigError(f"{where}[{i}]: expected {what[:-1] if what.endswith('s') else what} "
                              f"(string), got {_describe(item)}")
    return list(value)


def parse_target_version(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f'{where}: expected a Python version string like "py39" or "3.9", got {_describe(value)}')
    m = _TARGET_RE.match(value.strip())
    if not m:
        raise ConfigError(f'{where}: invalid Python version {value!r}; expected a form like "py39" or "3.9"')
    return f"3.{int(m.group(1) or m.group(2))}"


def infer_target_version(requires_python: Any) -> Optional[str]:
    """Lower bound ``3.N`` of a ``requires-python`` specifier set, or None."""
    if not isinstance(requires_python, str):
        return None
    best: Optional[Tuple[int, int]] = None
    for spec in requires_python.split(","):
        m = _SPEC_RE.match(spec)
        if not m:
            if spec.strip():
                return None
            continue
        op, major_s, minor_s = m.groups()
        if op in ("<", "<=", "!="):
            continue
        major = int(major_s)
        minor = 0 if minor_s in (None, "*") else int(minor_s)
        if major != 3:
            if major > 3:
                return None
            continue
        if best is None or (major, minor) > best:
            best = (major, minor)
    return f"{best[0]}.{best[1]}" if best else None


def _parse_table(table: Dict[str, Any], where: str) -> Dict[str, Any]:
    """Validate a config table; returns normalised values keyed by snake_case names."""
    out: Dict[str, Any] = {}
    for key, value in table.items():
        if key not in KNOWN_KEYS:
            hint = ""
            if key.replace("_", "-") in KNOWN_KEYS:
                hint = f" (did you mean {key.replace('_', '-')!r}?)"
            else:
                hint = _suggest(key, KNOWN_KEYS)
            raise ConfigError(
                f"{where}: unknown key {key!r}{hint}; known keys: {', '.join(KNOWN_KEYS)}"
            )
        kwhere = f"{where} key {key!r}"
        if key in ("select", "ignore", "extend-select"):
            items = _str_list(value, kwhere, "rule codes")
            out[key.replace("-", "_")] = [_validate_selector(s, f"{kwhere}") for s in items]
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(
                    f"{kwhere}: expected a table of glob = [rule codes], got {_describe(value)}"
                )
            pfi = []
            for glob, codes in _flatten_table(value).items():
                gwhere = f"{kwhere} entry {glob!r}"
                items = _str_list(codes, gwhere, "rule codes")
                pfi.append((glob, tuple(_validate_selector(c, gwhere) for c in items)))
            out["per_file_ignores"] = pfi
        elif key == "extend-exclude":
            out["extend_exclude"] = _str_list(value, kwhere, "globs")
        elif key == "index-exclude":
            out["index_exclude"] = _str_list(value, kwhere, "globs")
        elif key == "blocking-calls":
            if not isinstance(value, dict):
                raise ConfigError(
                    f"{kwhere}: expected a table of call pattern = suggestion string, got {_describe(value)}"
                )
            calls: Dict[str, str] = {}
            for pattern, suggestion in _flatten_table(value).items():
                _check_call_pattern(pattern, f"{kwhere} entry")
                if not isinstance(suggestion, str):
                    raise ConfigError(
                        f"{kwhere} entry {pattern!r}: expected a suggestion string, got {_describe(suggestion)}"
                    )
                calls[pattern] = suggestion
            out["blocking_calls"] = calls
        elif key == "allowed-calls":
            items = _str_list(value, kwhere, "call patterns")
            for item in items:
                _check_call_pattern(item, kwhere)
            out["allowed_calls"] = items
        elif key == "target-version":
            out["target_version"] = parse_target_version(value, kwhere)
        elif key == "python":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{kwhere}: expected the path of an interpreter or an environment directory, "
                                  f"got {_describe(value)}")
            out["python"] = value
        elif key == "script-severity":
            if not isinstance(value, str) or value not in SCRIPT_SEVERITIES:
                raise ConfigError(f"{kwhere}: expected one of {', '.join(repr(v) for v in SCRIPT_SEVERITIES)}, "
                                  f"got {_describe(value) if not isinstance(value, str) else repr(value)}")
            out["script_severity"] = value
    return out


def _check_call_pattern(pattern: str, where: str) -> None:
    if not pattern or not _CALL_PATTERN_RE.match(pattern) or pattern.startswith(".") or pattern.endswith("."):
        raise ConfigError(
            f"{where} {pattern!r}: expected a qualified name like 'mylib.fetch' or an fnmatch pattern "
            f"like '*.sync_get' / 'mylib.*'"
        )


def _is_pyproject_kind(path: Path, data: Dict[str, Any]) -> bool:
    return path.name == PYPROJECT or isinstance(data.get("tool"), dict)


def _extract_table(path: Path, data: Dict[str, Any]) -> Tuple[Dict[str, Any], str]:
    if _is_pyproject_kind(path, data):
        tool = data.get("tool")
        if not isinstance(tool, dict) or TOOL_TABLE not in tool:
            raise ConfigError(f"{path}: no [tool.{TOOL_TABLE}] table")
        table = tool[TOOL_TABLE]
        where = f"{path}: [tool.{TOOL_TABLE}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: expected a table, got {_describe(table)}")
        return table, where
    return data, str(path)


def _requires_python_near(path: Path, data: Optional[Dict[str, Any]]) -> Optional[str]:
    if data is None:
        try:
            data = _toml.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, _toml.TOMLDecodeError):
            return None
    project = data.get("project")
    if isinstance(project, dict):
        return infer_target_version(project.get("requires-python"))
    return None


def _nearest_pyproject_target(start: Path, stop: Path) -> Optional[str]:
    """requires-python of the nearest pyproject.toml with a [project] table (up to ``stop``)."""
    current = start
    while True:
        candidate = current / PYPROJECT
        if candidate.is_file():
            try:
                data = _toml.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, _toml.TOMLDecodeError):
                data = {}
            if isinstance(data.get("project"), dict):
                return infer_target_version(data["project"].get("requires-python"))
        if current == stop:
            return None
        parent = current.parent
        if parent == current:
            return None
        current = parent


def _split_cli_list(value: Any, name: str) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    out: List[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ConfigError(f"command line option --{name}: expected strings, got {_describe(item)}")
        out.extend(p for p in re.split(r"[,\s]+", item) if p)
    return out


def _cli_pfi(value: Any, cwd: str) -> List[Tuple[str, Tuple[str, ...]]]:
    where = "command line option --per-file-ignores"
    if value is None:
        return []
    if isinstance(value, Mapping):
        pairs: List[Tuple[Any, Any]] = list(value.items())
    else:
        if isinstance(value, str):
            value = [value]
        pairs = []
        for item in value:
            if isinstance(item, str):
                if ":" not in item:
                    raise ConfigError(f"{where}: expected GLOB:CODE[,CODE...], got {item!r}")
                glob, _, codes = item.rpartition(":")
                pairs.append((glob, codes))
            elif isinstance(item, (tuple, list)) and len(item) == 2:
                pairs.append((item[0], item[1]))
            else:
                raise ConfigError(f"{where}: expected GLOB:CODE[,CODE...], got {_describe(item)}")
    out = []
    for glob, codes in pairs:
        if not isinstance(glob, str) or not glob.strip():
            raise ConfigError(f"{where}: expected a glob, got {_describe(glob)}")
        code_list = _split_cli_list(codes, "per-file-ignores")
        if not code_list:
            raise ConfigError(f"{where}: no rule codes given for {glob!r}")
        validated = tuple(_validate_selector(c, f"{where} {glob!r}") for c in code_list)
        out.append((_cli_glob(glob.strip(), cwd), validated))
    return out


def _cli_glob(glob: str, cwd: str) -> str:
    """CLI globs containing '/' are relative to the current directory: make them absolute."""
    negated = glob.startswith("!")
    body = glob[1:] if negated else glob
    if "/" in body.rstrip("/") and not os.path.isabs(body):
        body = os.path.join(cwd, body).replace(os.sep, "/")
    return ("!" if negated else "") + body


def load_settings(
    paths: Sequence[PathLike],
    config_file: Optional[PathLike] = None,
    cli_overrides: Optional[Mapping[str, Any]] = None,
    *,
    isolated: bool = False,
) -> Settings:
    """Find (or take ``config_file``), parse and validate the config, then apply CLI overrides.

    ``paths`` are the checked paths (or the ``--stdin-filename``); ``"-"`` is ignored.
    ``cli_overrides`` keys: ``select`` (replaces the config's selection layer), ``ignore``,
    ``extend_select``, ``extend_exclude``, ``per_file_ignores`` (extend).  Values are lists of
    strings (items may be comma-separated); None or empty means "not given".
    ``per_file_ignores`` may be a mapping glob -> codes, or a list of ``"GLOB:CODES"`` strings
    or ``(glob, codes)`` pairs.  ``isolated``: ignore every config file.
    """
    overrides = dict(cli_overrides or {})
    unknown = sorted(set(overrides) - set(CLI_OVERRIDE_KEYS))
    if unknown:
        raise ConfigError(f"unknown command line override(s): {', '.join(unknown)}")

    start = _start_dir(paths)
    config_path = None if isolated else find_config(paths, config_file)
    loose = False
    parsed: Dict[str, Any] = {}
    target: Optional[str] = None
    if config_path is not None:
        data = _read_toml(config_path)
        table, where = _extract_table(config_path, data)
        parsed = _parse_table(table, where)
        project_root = config_path.parent
        target = parsed.get("target_version")
        if target is None:
            if _is_pyproject_kind(config_path, data):
                target = _requires_python_near(config_path, data)
            elif (config_path.parent / PYPROJECT).is_file():
                target = _requires_python_near(config_path.parent / PYPROJECT, None)
    else:
        project_root, marked = _project_root(start)
        loose = not marked
        if not isolated:
            stop = project_root if _relpath_under(str(start), str(project_root)) is not None else start.anchor
            target = _nearest_pyproject_target(start, Path(stop))

    cwd = os.getcwd()
    cli_select = [
        _validate_selector(s, "command line option --select") for s in _split_cli_list(overrides.get("select"), "select")
    ]
    cli_extend = [
        _validate_selector(s, "command line option --extend-select")
        for s in _split_cli_list(overrides.get("extend_select"), "extend-select")
    ]
    cli_ignore = [
        _validate_selector(s, "command line option --ignore") for s in _split_cli_list(overrides.get("ignore"), "ignore")
    ]
    cli_exclude = [_cli_glob(g, cwd) for g in _split_cli_list(overrides.get("extend_exclude"), "extend-exclude")]
    cli_pfi = _cli_pfi(overrides.get("per_file_ignores"), cwd)

    if cli_select:
        # A higher layer's select resets the selection of the layers below (ruff semantics).
        select: Optional[List[str]] = cli_select
        extend_select = cli_extend
        ignore = cli_ignore
    else:
        select = parsed.get("select")
        extend_select = list(parsed.get("extend_select", [])) + cli_extend
        # A CLI --extend-select of an exact code re-enables a code the config ignores exactly.
        ignore = [c for c in parsed.get("ignore", []) if c not in cli_extend] + cli_ignore

    return Settings(
        select=select,
        ignore=ignore,
        extend_select=extend_select,
        per_file_ignores=list(parsed.get("per_file_ignores", [])) + cli_pfi,
        extend_exclude=list(parsed.get("extend_exclude", [])) + cli_exclude,
        index_exclude=list(parsed.get("index_exclude", [])),
        blocking_calls=dict(parsed.get("blocking_calls", {})),
        allowed_calls=list(parsed.get("allowed_calls", [])),
        target_version=target,
        script_severity=parsed.get("script_severity", "warning"),
        python=(str((Path(project_root) / os.path.expanduser(parsed["python"])))
                if parsed.get("python") else None),
        project_root=Path(project_root),
        config_path=config_path,
        loose=loose,
    )


def split_codes(values) -> Optional[List[str]]:
    """Repeated, comma-separated command-line values (``--select A,B --select C``) -> a list, or None."""
    if not values:
        return None
    out: List[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out or None


def settings_from_cli(paths: Sequence[PathLike], config_file: Optional[PathLike] = None, *, isolated: bool = False,
                      select=(), extend_select=(), ignore=(), per_file_ignores=(), extend_exclude=()) -> "Settings":
    """The settings of a command run: the config found from ``paths`` (or ``config_file``) with the
    command-line options over it.  Raises ``ConfigError`` (exit 2 in every command)."""
    overrides = {
        "select": split_codes(select),
        "extend_select": split_codes(extend_select),
        "ignore": split_codes(ignore),
        "per_file_ignores": list(per_file_ignores) or None,
        "extend_exclude": split_codes(extend_exclude),
    }
    return load_settings(paths, config_file, {k: v for k, v in overrides.items() if v}, isolated=isolated)
