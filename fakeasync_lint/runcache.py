"""Whole-run result cache.

The diagnostics of a run are a pure function of the per-file summaries, the settings and the
requested paths.  The run cache stores them with, for every file of the project index, its
``[mtime_ns, size, content digest, summary digest]`` (and the module name when the table of names
made it unique: ``app#1``).  A later run with the same settings and paths:

* when every file has the same stat -> reuse the diagnostics without parsing anything or loading the
  summaries (the warm path);
* when a few files changed on disk -> hash them; a file with the same content was only touched; a file
  with new content is analysed, and if its summary is the same (the edit changed no fact the analysis
  records: a comment, a trailing line) the diagnostics are still valid.  Otherwise the caller runs the
  whole project analysis, reusing the summaries it just computed.

JSON only, written atomically behind a checksum line, ignored when damaged, unreadable or not of the
expected shape.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .atomic import replace_file
from .models import Diagnostic, Edit, Fix, Frame, Location

VERSION = 4


def _check(payload: bytes) -> bytes:
    return b"fakeasync-run " + hashlib.blake2b(payload, digest_size=16).hexdigest().encode()


def run_key(salt: str, files, report, extra: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{VERSION}|{salt}|{extra}".encode())
    for f in files:
        h.update(f.encode() + b"\n")
    h.update(b"\1")
    for f in sorted(report):
        h.update(f.encode() + b"\n")
    return h.hexdigest()


def _file(cache_dir: Path, key: str) -> Path:
    """One saved result per run key (settings, and the files outside the project root): runs with other
    settings (an editor's and a hook's selection) keep their own instead of replacing each other's.  The
    files of the project are not part of the key: a file added or deleted is a change of the saved
    result (``incremental.py``), not another result."""
    return Path(cache_dir) / f"run-{key[:16]}.json"


class Saved:
    def __init__(self, files: Dict[str, list], diagnostics: list, token: str = ""):
        self.token = token  # names this result: the project state saved with it carries the same token
        self.files = files
        self.raw_diagnostics = diagnostics

    def diagnostics(self) -> List[Diagnostic]:
        return [_diag(d) for d in self.raw_diagnostics]


def load(cache_dir: Path, key: str) -> Optional[Saved]:
    try:
        with open(_file(cache_dir, key), "rb") as fh:
            raw = fh.read()
        check, _, raw = raw.partition(b"\n")
        if check != _check(raw):
            return None  # damaged (a changed digit must not become a plausible wrong diagnostic)
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        files, diags = data["files"], data["diagnostics"]
        if not isinstance(files, dict) or not isinstance(diags, list):
            return None
        for e in files.values():
            if not (isinstance(e, list) and 4 <= len(e) <= 5 and isinstance(e[0], int) and isinstance(e[1], int)
                    and isinstance(e[2], str) and isinstance(e[3], str) and isinstance(e[-1], str)):
                return None
        token = data.get("token", "")
        return Saved(files, diags, token if isinstance(token, str) else "")
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def stale(saved: Saved, files) -> Optional[List[Tuple[str, int, int]]]:
    """Files whose stat differs from the saved one: ``[(path, mtime_ns, size)]``; None when the file
    set differs or a file cannot be stat'ed."""
    d = diff(saved, files)
    if d is None or d[1] or d[2]:
        return None
    return d[0]


def diff(saved: Saved, files) -> Optional[Tuple[List[Tuple[str, int, int]], List[str], List[str]]]:
    """``(files whose stat differs from the saved one as [(path, mtime_ns, size)], files added, files
    deleted)``; None when a file cannot be stat'ed."""
    out = []
    added = []
    for f in files:
        e = saved.files.get(f)
        if e is None:
            added.append(f)
            continue
        try:
            st = os.stat(f)
        except OSError:
            return None
        if st.st_mtime_ns != e[0] or st.st_size != e[1]:
            out.append((f, st.st_mtime_ns, st.st_size))
    deleted = []
    if len(files) - len(added) != len(saved.files):
        have = set(files)
        deleted = [f for f in saved.files if f not in have]
    return out, added, deleted


def save(cache_dir: Path, key: str, files: Dict[str, list], diags, token: str = "") -> None:
    """``diags``: Diagnostic objects, or the raw list of a loaded ``Saved``.  ``token``: shared with the
    project state saved beside it (``incremental.py``), so that a state written by another, concurrent
    run is never combined with this result."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        raw = [d if isinstance(d, dict) else _dict(d) for d in diags]
        payload = json.dumps({"key": key, "token": token, "files": files, "diagnostics": raw},
                             separators=(",", ":")).encode("utf-8")
        replace_file(_file(cache_dir, key), _check(payload) + b"\n" + payload, prefix=".tmp-run-", suffix=".json")
    except OSError:
        return
    _prune(cache_dir)


# one saved result per set of requested paths: a pre-commit hook asks for a different set on every
# commit, so keep only the most recently used few
KEEP = 8


def _prune(cache_dir: Path) -> None:
    try:
        runs = []
        states = []
        for entry in os.scandir(cache_dir):
            if entry.name.endswith(".json"):
                if entry.name.startswith("run-"):
                    runs.append((entry.stat().st_mtime_ns, entry.path))
                elif entry.name.startswith("state-"):  # incremental.py's project state beside a run
                    states.append(entry.path)
        runs.sort(reverse=True)
        for _, path in runs[KEEP:]:
            os.unlink(path)
        kept = {os.path.basename(p)[4:] for _, p in runs[:KEEP]}
        for path in states:
            if os.path.basename(path)[6:] not in kept:
                os.unlink(path)
    except OSError:
        return


def _loc(l: Location):
    return [l.row, l.column]


def _dict(d: Diagnostic) -> dict:
    return {
        "code": d.code, "message": d.message, "path": d.path, "filename": d.filename,
        "location": _loc(d.location), "end_location": _loc(d.end_location), "severity": d.severity,
        "suggestion": d.suggestion, "function": d.function,
        "fix": None if d.fix is None else {
            "applicability": d.fix.applicability, "message": d.fix.message,
            "edits": [[e.content, _loc(e.location), _loc(e.end_location)] for e in d.fix.edits],
            "imports": list(d.fix.imports),
        },
        "trace": [[f.path, f.line, f.column, f.function, f.note] + ([f.library] if f.library else [])
                  for f in d.trace],
        "noqa_row": d.noqa_row, "statement": d.statement, "fingerprint": d.fingerprint, "reach": d.reach,
    }


def _diag(x: dict) -> Diagnostic:
    fix = None
    if x["fix"] is not None:
        fx = x["fix"]
        fix = Fix(fx["applicability"], fx["message"],
                  tuple(Edit(c, Location(*a), Location(*b)) for c, a, b in fx["edits"]), tuple(fx.get("imports") or ()))
    return Diagnostic(
        code=x["code"], message=x["message"], path=x["path"], filename=x["filename"],
        location=Location(*x["location"]), end_location=Location(*x["end_location"]), severity=x["severity"],
        suggestion=x["suggestion"], function=x["function"], fix=fix,
        trace=[Frame(*f) for f in x["trace"]], noqa_row=x["noqa_row"], statement=x["statement"],
        fingerprint=x["fingerprint"], reach=x.get("reach"),
    )
