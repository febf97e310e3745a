"""``mermaid``: one ``graph TB`` flowchart per traced diagnostic (endpoint → … → blocking line).

Plain Mermaid source (no Markdown fences); blocks are separated by blank lines and each is headed
by a ``%% CODE path:line message`` comment. Diagnostics without a trace are skipped.
"""
from __future__ import annotations

from typing import List, Sequence

from ..models import Diagnostic, Frame
from ._common import one_line

BLOCKING_STYLE = "fill:#ff6b6b,stroke:#c92a2a,color:#fff"

# Mermaid entity codes; '#' first so that the entities introduced later are not re-escaped.
_ESCAPES = (
    ("#", "#35;"),
    ('"', "#quot;"),
    ("&", "#amp;"),
    ("<", "#lt;"),
    (">", "#gt;"),
    ("`", "#96;"),
)


def escape_label(text: str) -> str:
    """Make ``text`` safe inside a quoted Mermaid node label (``N["…"]``)."""
    text = one_line(text)
    for raw, entity in _ESCAPES:
        text = text.replace(raw, entity)
    return text


def node_label(frame: Frame) -> str:
    # a library's frames are the last nodes: marked with the library, without a line
    parts = [f"{frame.library}: {frame.path}" if frame.library else f"{frame.path}:{frame.line}", frame.function]
    if frame.note:
        parts.append(frame.note)
    return "<br/>".join(escape_label(part) for part in parts)


def mermaid_block(d: Diagnostic) -> str:
    lines: List[str] = [
        f"%% {d.code} {one_line(d.path)}:{d.location.row} {one_line(d.message)}",
        "graph TB",
    ]
    for i, frame in enumerate(d.trace):
        lines.append(f'    N{i}["{node_label(frame)}"]')
    for i in range(len(d.trace) - 1):
        lines.append(f"    N{i} --> N{i + 1}")
    lines.append(f"    style N{len(d.trace) - 1} {BLOCKING_STYLE}")
    return "\n".join(lines) + "\n"


def render_mermaid(diagnostics: Sequence[Diagnostic]) -> str:
    return "\n".join(mermaid_block(d) for d in diagnostics if d.trace)


__all__ = ["escape_label", "mermaid_block", "render_mermaid"]
