"""Baselines: fail only on violations that are not recorded in a committed baseline file.

``fakeasync-lint baseline [PATHS]`` writes ``.fakeasync-baseline.json``; ``fakeasync-lint check
--baseline FILE`` marks every diagnostic ``new`` or ``baselined`` (see :func:`apply_baseline`).

File format (JSON, sorted, one entry per violation kind, so merge conflicts stay small)::

    {
      "version": 1,
      "tool": "fakeasync-lint",
      "entries": [
        {"code": "FAK103", "path": "app/jobs.py", "function": "app.jobs.poll",
         "statement": "time.sleep(1)", "count": 2}
      ]
    }

An entry's identity is ``(code, path, function, statement)``:

* ``path`` is POSIX and relative to the directory holding the baseline file (not the working
  directory), so ``check`` may run from any directory.
* ``function`` is the qualified name of the enclosing function (empty at module level).
* ``statement`` is the flagged code with comments and *all* whitespace outside string literals
  removed, trailing commas before a closing bracket dropped and simple string quotes unified
  (see :func:`normalise_statement`), so reformatting (black re-wrapping a call over several
  lines, magic trailing commas, ``'`` vs ``"``) keeps the identity.  Line numbers are never used:
  moving code or editing other code keeps it too.
* ``count`` is how many such violations were recorded.  Matching is a multiset: the first
  ``count`` current violations with that identity (in source order) are baselined, any further
  one is new, so a duplicated violation is reported.
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from typing import Iterable, List, Optional, Sequence, Tuple

import click

from .atomic import replace_file
from .models import Diagnostic

BASELINE_VERSION = 1
TOOL_NAME = "fakeasync-lint"
DEFAULT_BASELINE = ".fakeasync-baseline.json"

Key = Tuple[str, str, str, str]  # (code, path, function, statement)


class BaselineError(Exception):
    """The baseline file is missing, unreadable or not a fakeasync-lint baseline (exit 2)."""


# ---- identity --------------------------------------------------------------------------------

_TRAILING_COMMA_RE = re.compile(r",(?=[)\]}])")


def normalise_statement(text: str) -> str:
    """The reformatting-proof form of a statement's source text.

    Outside string literals: comments, all whitespace and backslash line continuations are
    removed, and a comma directly before ``)``, ``]`` or ``}`` is dropped.  String literals are
    kept verbatim except that a single-quoted literal without ``"`` or ``\\`` in it gets double
    quotes and its prefix is lower-cased (what black does).  Works on fragments and on text whose
    line breaks were already collapsed (an unterminated string or comment runs to the end).
    """
    out: List[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            # a string prefix (r, b, f, u, rb, ...) was already emitted as identifier characters
            k = len(out)
            while k > 0 and len(out) - k < 2 and out[k - 1].isalpha():
                k -= 1
            prefix = "".join(out[k:])
            glued = k > 0 and (out[k - 1].isalnum() or out[k - 1] == "_")
            if prefix and set(prefix.lower()) <= set("rbfu") and not glued:
                del out[k:]
                out.append(prefix.lower())
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "\'\'\'") else c
            end = i + len(quote)
            while end < n:
                if text[end] == "\\":  # escapes the next character (in raw strings too, for the quote)
                    end += 2
                    continue
                if text.startswith(quote, end):
                    end += len(quote)
                    break
                end += 1
            end = min(end, n)
            literal = text[i:end]
            if quote == "'" and literal.endswith("'") and len(literal) >= 2:
                body = literal[1:-1]
                if '"' not in body and "\\" not in body:
                    literal = f'"{body}"'
            out.append(literal)
            i = end
            continue
        if c == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if c == "\\" and (i + 1 >= n or text[i + 1].isspace()):
            i += 1
            continue
        if c.isspace():
            i += 1
            continue
        out.append(c)
        i += 1
    return _TRAILING_COMMA_RE.sub("", "".join(out))


def _base_dir(baseline_path: str) -> str:
    return os.path.dirname(os.path.abspath(baseline_path))


def _rel(target: str, base_dir: str) -> str:
    try:
        rel = os.path.relpath(target, base_dir)
    except ValueError:  # another drive (Windows)
        return target.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def relative_path(d: Diagnostic, base_dir: str) -> str:
    """The diagnostic's file, POSIX, relative to ``base_dir`` (the baseline file's directory)."""
    target = d.filename if d.filename and os.path.isabs(d.filename) else os.path.abspath(d.path)
    return _rel(target, base_dir)


_ABS_PY_PATH_RE = re.compile(r"(?<!\S)(?:/|[A-Za-z]:[\\/])\S*?\.pyi?(?!\S)")


def _relativise_paths(text: str, base_dir: str) -> str:
    """Absolute ``.py`` paths inside a statement (FAK403 names the file with the blocking calls)
    become relative to ``base_dir``, so the identity does not depend on where the project is
    checked out."""
    if not text or ("/" not in text and "\\" not in text):
        return text
    return _ABS_PY_PATH_RE.sub(lambda m: _rel(m.group(0), base_dir), text)


def baseline_key(d: Diagnostic, base_dir: str) -> Key:
    statement = d.statement or d.message or ""
    statement = normalise_statement(_relativise_paths(statement, base_dir))
    return (d.code, relative_path(d, base_dir), d.function or "", statement)


# ---- file I/O --------------------------------------------------------------------------------

def build_baseline(diagnostics: Iterable[Diagnostic], base_dir: str) -> dict:
    counts: Counter = Counter(baseline_key(d, base_dir) for d in diagnostics)
    entries = [
        {"code": code, "path": path, "function": function, "statement": statement, "count": count}
        for (code, path, function, statement), count in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0]))
    ]
    return {"version": BASELINE_VERSION, "tool": TOOL_NAME, "entries": entries}


def _file_mode(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_baseline(diagnostics: Iterable[Diagnostic], path: str) -> dict:
    """Write the baseline for ``diagnostics`` to ``path`` (atomically); returns the document."""
    doc = build_baseline(diagnostics, _base_dir(path))
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    try:
        # mkstemp makes it 0600; the file is meant to be committed
        replace_file(path, text.encode("utf-8"), prefix=".fakeasync-baseline-", mode=_file_mode(path))
    except OSError as e:
        raise BaselineError(f"cannot write baseline file {path}: {e.strerror or e}") from None
    return doc


def _bad(path: str, why: str) -> BaselineError:
    return BaselineError(
        f"{path} is not a valid fakeasync-lint baseline ({why}); "
        f"regenerate it with `fakeasync-lint baseline -o {path}`"
    )


def load_baseline(path: str) -> Counter:
    """``Counter[(code, path, function, statement)]`` read from ``path``; raises BaselineError."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise BaselineError(
            f"baseline file {path} does not exist; create it with `fakeasync-lint baseline -o {path}`"
        ) from None
    except IsADirectoryError:
        raise BaselineError(f"baseline file {path} is a directory") from None
    except OSError as e:
        raise BaselineError(f"cannot read baseline file {path}: {e.strerror or e}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _bad(path, "not UTF-8 text") from None
    except ValueError as e:
        raise _bad(path, f"invalid JSON: {e}") from None
    if not isinstance(data, dict):
        raise _bad(path, "expected a JSON object")
    if data.get("tool") not in (None, TOOL_NAME):
        raise _bad(path, f"it was written by {data.get('tool')!r}")
    version = data.get("version")
    if version != BASELINE_VERSION:
        if isinstance(version, int) and version > BASELINE_VERSION:
            raise BaselineError(
                f"baseline file {path} has version {version}, newer than this fakeasync-lint supports "
                f"({BASELINE_VERSION}); upgrade fakeasync-lint"
            )
        raise _bad(path, f"missing or unknown \"version\": {version!r}")
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise _bad(path, "\"entries\" must be a list")
    counts: Counter = Counter()
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise _bad(path, f"entry {i} is not an object")
        try:
            code, p, function, statement = e["code"], e["path"], e.get("function") or "", e.get("statement") or ""
            count = e.get("count", 1)
        except KeyError as k:
            raise _bad(path, f"entry {i} has no {k}") from None
        if not all(isinstance(x, str) for x in (code, p, function, statement)):
            raise _bad(path, f"entry {i}: code, path, function and statement must be strings")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise _bad(path, f"entry {i}: count must be a positive integer")
        counts[(code, p, function, statement)] += count
    return counts


# ---- matching --------------------------------------------------------------------------------

def apply_baseline(
    diagnostics: Sequence[Diagnostic],
    path: str,
    checked: Optional[Iterable[str]] = None,
) -> Tuple[List[Diagnostic], int]:
    """Mark each diagnostic ``d.baseline = "new" | "baselined"``; return ``(diagnostics, n_stale)``.

    ``n_stale`` counts recorded violations that no longer occur ("fixed" entries).  ``checked``
    are the files linted in this run (absolute or relative to the working directory): when
    given, only entries for those files, or for files that no longer exist, can be stale, so a
    partial run (pre-commit passes only the staged files, an editor one buffer) does not
    call the rest of the baseline fixed.  Without it every entry is in scope (a full run).
    Raises :class:`BaselineError` for a missing or malformed file.
    """
    base_dir = _base_dir(path)
    remaining = load_baseline(path)
    out = list(diagnostics)
    for d in sorted(out, key=lambda d: d.sort_key()):
        k = baseline_key(d, base_dir)
        if remaining.get(k, 0) > 0:
            remaining[k] -= 1
            d.baseline = "baselined"
        else:
            d.baseline = "new"
    scope = None
    if checked is not None:
        scope = set()
        for f in checked:
            rel = os.path.relpath(os.path.abspath(f), base_dir)
            scope.add(rel.replace(os.sep, "/"))
    stale = 0
    for (_code, p, _function, _statement), n in remaining.items():
        if n <= 0:
            continue
        if scope is not None and p not in scope and os.path.exists(os.path.join(base_dir, p)):
            continue
        stale += n
    return out, stale


def stale_message(n: int) -> str:
    return (f"{n} baseline entr{'ies are' if n != 1 else 'y is'} fixed; "
            "run `fakeasync-lint baseline` to tighten")


# ---- CLI -------------------------------------------------------------------------------------

@click.command("baseline")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=DEFAULT_BASELINE,
              show_default=True, help="Baseline file to write.")
@click.option("--config", "config_file", type=click.Path(), default=None, help="Use this config file.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the config's selection).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--per-file-ignores", multiple=True, help="GLOB:CODES pairs, e.g. 'tests/**:FAK103'.")
@click.option("--extend-exclude", multiple=True, help="Extra globs to exclude from discovery.")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to files passed explicitly too.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
def baseline_command(paths, output, config_file, isolated, select, extend_select, ignore, per_file_ignores,
                     extend_exclude, force_exclude, no_cache, jobs, quiet):
    """Record the current violations in PATHS (default: .) so that `check --baseline FILE` fails
    only on new ones.  The file is replaced; paths in it are relative to its directory."""
    from .config import ConfigError, settings_from_cli
    from .runner import run

    paths = list(paths) or ["."]
    try:
        settings = settings_from_cli(paths, config_file, isolated=isolated, select=select,
                                     extend_select=extend_select, ignore=ignore,
                                     per_file_ignores=per_file_ignores, extend_exclude=extend_exclude)
    except ConfigError as e:
        click.echo(f"fakeasync-lint: error: {e}", err=True)
        sys.exit(2)
    result = run(paths, settings, jobs=jobs, use_cache=not no_cache, force_exclude=force_exclude)
    if result.errors:
        for err in result.errors:
            click.echo(f"fakeasync-lint: error: {err}", err=True)
        click.echo("fakeasync-lint: error: baseline not written", err=True)
        sys.exit(2)
    try:
        doc = write_baseline(result.diagnostics, output)
    except BaselineError as e:
        click.echo(f"fakeasync-lint: error: {e}", err=True)
        sys.exit(2)
    if not quiet:
        n = len(result.diagnostics)
        click.echo(f"Wrote {output}: {n} violation{'s' if n != 1 else ''} "
                   f"({len(doc['entries'])} entr{'ies' if len(doc['entries']) != 1 else 'y'}) "
                   f"in {result.files_checked} file{'s' if result.files_checked != 1 else ''}.", err=True)
    sys.exit(0)


__all__ = [
    "BaselineError",
    "DEFAULT_BASELINE",
    "apply_baseline",
    "baseline_command",
    "baseline_key",
    "build_baseline",
    "load_baseline",
    "normalise_statement",
    "stale_message",
    "write_baseline",
]
