"""``gitlab``: GitLab Code Quality report (a JSON array of Code Climate-style issues)."""
from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, List, Sequence, Set

from ..models import Diagnostic

SEVERITIES = {"info": "info", "warning": "minor", "error": "major", "fatal": "blocker"}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - identity, not security


def base_fingerprint(d: Diagnostic) -> str:
    """md5 of our line-free fingerprint, or of path + code + message when it was not computed."""
    source = d.fingerprint or f"{d.path}\0{d.code}\0{d.message}"
    return _md5(source)


def _last_row(d: Diagnostic) -> int:
    """Last line touched: an exclusive end at column 1 of a later row ends on the row before."""
    end = d.end_location
    if end.column <= 1 and end.row > d.location.row:
        return end.row - 1
    return max(end.row, d.location.row)


def build_gitlab(diagnostics: Sequence[Diagnostic]) -> List[Dict[str, Any]]:
    """Code Quality issues; fingerprints are unique (GitLab merges equal ones): the n-th duplicate
    (in output order) gets ``md5(<base>:<n>)``."""
    seen: Set[str] = set()
    issues = []
    for d in diagnostics:
        base = base_fingerprint(d)
        fingerprint, n = base, 0
        while fingerprint in seen:
            n += 1
            fingerprint = _md5(f"{base}:{n}")
        seen.add(fingerprint)
        issues.append(
            {
                "description": f"{d.code}: {d.message}",
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": SEVERITIES.get(d.severity, "minor"),
                "location": {
                    "path": d.path,
                    "lines": {"begin": d.location.row, "end": _last_row(d)},
                },
            }
        )
    return issues


def render_gitlab(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps(build_gitlab(diagnostics), indent=2, ensure_ascii=False) + "\n"


__all__ = ["base_fingerprint", "build_gitlab", "render_gitlab"]
