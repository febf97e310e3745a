"""Output formats: pure functions from ``list[Diagnostic]`` to ``str`` (no I/O, no click).

``render(diagnostics, fmt, ...)`` is the single entry point used by the CLI; the per-format
functions are re-exported for callers that need one format directly.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from ..models import Diagnostic
from ._common import sorted_diagnostics
from .github import render_github
from .gitlab import render_gitlab
from .json_format import render_json, render_json_lines, render_json_statistics
from .mermaid import render_mermaid
from .sarif import render_sarif
from .text import render_concise, render_full, render_statistics, render_text

FORMATS = ("text", "full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "mermaid")
STATISTICS_FORMATS = ("text", "full", "concise", "json", "json-lines")


def render(
    diagnostics: Sequence[Diagnostic],
    fmt: str,
    *,
    color: bool = False,
    show_fixes: bool = False,
    statistics: bool = False,
    cwd: Optional[str] = None,
    tool_version: str = "0.1.0",
    summary: bool = True,
    source_lines: Optional[Callable[[Diagnostic], Optional[Sequence[str]]]] = None,
) -> str:
    """Render ``diagnostics`` (sorted by path, row, column, code) in format ``fmt``.

    ``color``/``show_fixes``/``summary`` apply to ``text``, ``full`` and ``concise``; ``source_lines(d)``
    (the lines of ``d``'s file, or None) gives ``full`` its code frames; ``cwd`` and
    ``tool_version`` to ``sarif``. ``statistics`` replaces the output by per-code counts: a table
    for ``text``/``concise``, JSON for ``json``/``json-lines``.

    Raises ``ValueError`` for an unknown format, or for ``statistics`` with another format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    items = sorted_diagnostics(diagnostics)
    if statistics:
        if fmt in ("text", "full", "concise"):
            return render_statistics(items, color=color, summary=summary)
        if fmt in ("json", "json-lines"):
            return render_json_statistics(items, lines=fmt == "json-lines")
        raise ValueError(f"--statistics is not supported with output format {fmt!r}")
    if fmt == "text":
        return render_text(items, color=color, show_fixes=show_fixes, summary=summary)
    if fmt == "full":
        return render_full(items, source_lines or (lambda d: None), color=color, show_fixes=show_fixes,
                           summary=summary)
    if fmt == "concise":
        return render_concise(items, color=color, summary=summary)
    if fmt == "json":
        return render_json(items)
    if fmt == "json-lines":
        return render_json_lines(items)
    if fmt == "sarif":
        return render_sarif(items, cwd=cwd, tool_version=tool_version)
    if fmt == "github":
        return render_github(items)
    if fmt == "gitlab":
        return render_gitlab(items)
    return render_mermaid(items)


__all__ = [
    "FORMATS",
    "STATISTICS_FORMATS",
    "render",
    "render_concise",
    "render_full",
    "render_github",
    "render_gitlab",
    "render_json",
    "render_json_lines",
    "render_json_statistics",
    "render_mermaid",
    "render_sarif",
    "render_statistics",
    "render_text",
]
