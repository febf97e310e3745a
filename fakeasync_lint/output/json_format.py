"""``json`` / ``json-lines``: a ruff-compatible superset (see ``schemas/diagnostics.schema.json``)."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Sequence

from ..models import Diagnostic
from ._common import root_of, rule_for


def diagnostic_to_json(d: Diagnostic) -> Dict[str, Any]:
    """The JSON object for one diagnostic, keys in the documented order."""
    rule = rule_for(d.code)
    obj: Dict[str, Any] = {
        "code": d.code,
        "name": rule.name,
        "message": d.message,
        "severity": d.severity,
        "filename": d.filename,
        "path": d.path,
        "location": d.location.to_json(),
        "end_location": d.end_location.to_json(),
        "fix": d.fix.to_json() if d.fix is not None else None,
        "noqa_row": d.noqa_row,
        "url": rule.url,
        "cell": None,
        "suggestion": d.suggestion,
        "function": d.function,
        "trace": [frame.to_json() for frame in d.trace],
        "fingerprint": d.fingerprint,
        "root": root_of(d),
    }
    if d.reach is not None:
        obj["reach"] = d.reach
    if d.baseline is not None:
        obj["baseline"] = d.baseline
    return obj


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A JSON array indented by 2 spaces, non-ASCII kept, trailing newline (``[]`` when empty)."""
    data = [diagnostic_to_json(d) for d in diagnostics]
    if len(data) > 500:  # large outputs: the C encoder (indentation forces the pure-Python one)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_json_lines(diagnostics: Sequence[Diagnostic]) -> str:
    """One compact JSON object per line (empty string when there are no diagnostics)."""
    return "".join(
        json.dumps(diagnostic_to_json(d), ensure_ascii=False, separators=(",", ":")) + "\n"
        for d in diagnostics
    )


def render_json_statistics(diagnostics: Sequence[Diagnostic], *, lines: bool = False) -> str:
    """``--statistics`` as JSON: ``[{code, name, count, fixable, fixable_count}]``."""
    from .text import statistics_rows

    rows: List[Dict[str, Any]] = statistics_rows(diagnostics)
    if lines:
        return "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows
        )
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


__all__ = ["diagnostic_to_json", "render_json", "render_json_lines", "render_json_statistics"]
