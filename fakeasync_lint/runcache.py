"""Whole-run result cache: when no file of the project changed (same paths, sizes and mtimes), the
same settings and the same requested paths give the same diagnostics; reuse them without parsing
anything or rebuilding the project index.  JSON only, written atomically, ignored when unreadable."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import List, Optional

from .models import Diagnostic, Edit, Fix, Frame, Location

VERSION = 1


def run_key(salt: str, files, report, extra: str) -> Optional[str]:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{VERSION}|{salt}|{extra}".encode())
    for f in files:
        try:
            st = os.stat(f)
        except OSError:
            return None
        h.update(f"{f}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    h.update(b"\1")
    for f in sorted(report):
        h.update(f.encode() + b"\n")
    return h.hexdigest()


def _file(cache_dir: Path, report) -> Path:
    tag = hashlib.blake2b("\n".join(sorted(report)).encode(), digest_size=8).hexdigest()
    return cache_dir / f"run-{tag}.json"


def load(cache_dir: Path, report, key: str) -> Optional[List[Diagnostic]]:
    try:
        with open(_file(cache_dir, report), "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
        if data.get("key") != key:
            return None
        return [_diag(d) for d in data["diagnostics"]]
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def save(cache_dir: Path, report, key: str, diags: List[Diagnostic]) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"key": key, "diagnostics": [_dict(d) for d in diags]}, separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(dir=str(cache_dir), prefix=".tmp-run-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload)
        os.replace(tmp, _file(cache_dir, report))
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
        "trace": [[f.path, f.line, f.column, f.function, f.note] for f in d.trace],
        "noqa_row": d.noqa_row, "statement": d.statement, "fingerprint": d.fingerprint,
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
        fingerprint=x["fingerprint"],
    )
