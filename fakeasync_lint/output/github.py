"""``github``: GitHub Actions workflow commands (``::error file=…,line=…::message``).

Escaping follows ``@actions/core``: data escapes ``%``, ``\\r``, ``\\n``; property values also
escape ``:`` and ``,``.
"""
from __future__ import annotations

from typing import List, Sequence

from ..models import Diagnostic
from ._common import frame_line, rule_for

COMMANDS = {"error": "error", "fatal": "error", "warning": "warning", "info": "notice"}
ARROW = "\u2192"


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    rule = rule_for(d.code)
    props = [
        ("file", d.path),
        ("line", str(d.location.row)),
        ("col", str(d.location.column)),
        ("endLine", str(d.end_location.row)),
        ("endColumn", str(d.end_location.column)),
        ("title", f"{d.code} ({rule.name})"),
    ]
    body: List[str] = [d.message]
    if d.suggestion:
        body.append(f"help: {d.suggestion}")
    body.extend(f"{ARROW} {frame_line(frame)}" for frame in d.trace)
    command = COMMANDS.get(d.severity, "warning")
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{command} {properties}::{escape_data(chr(10).join(body))}"


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(annotation(d) + "\n" for d in diagnostics)


__all__ = ["annotation", "escape_data", "escape_property", "render_github"]
