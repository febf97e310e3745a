"""Human-readable formats: ``text`` (ruff-like full output), ``concise`` and ``--statistics``.

Colour uses plain ANSI escape codes (no click import) and is off unless ``color=True``.
"""
from __future__ import annotations

import os
from typing import List, Sequence

from ..models import SAFE, Diagnostic
from ._common import code_counts, fix_counts, frame_line, one_line, root_causes, rule_for

# a root cause is summarised when it explains at least this many findings
ROOT_SUMMARY_MIN = 3

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED_BOLD = "\x1b[1;31m"
_CYAN = "\x1b[36m"
_DIM = "\x1b[2m"

ARROW = "\u2192"  # →
FIX_MARKER = "[*]"


def _style(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and text else text


def diagnostic_header(d: Diagnostic, *, color: bool = False) -> str:
    """``path:row:col: CODE [*] message`` (``[*]`` only when a safe fix exists, as in ruff)."""
    where = f"{d.path}:{d.location.row}:{d.location.column}:"
    parts = [_style(where, _BOLD, color), _style(d.code, _RED_BOLD, color)]
    if d.fix is not None and d.fix.applicability == SAFE:
        parts.append(_style(FIX_MARKER, _CYAN, color))
    parts.append(one_line(d.message))
    return " ".join(parts)


def diagnostic_block(d: Diagnostic, *, color: bool = False, show_fixes: bool = False) -> List[str]:
    lines = [diagnostic_header(d, color=color)]
    if d.suggestion:
        lines.append("  " + _style(f"help: {one_line(d.suggestion)}", _CYAN, color))
    for frame in d.trace:
        lines.append(f"    {ARROW} " + one_line(frame_line(frame)))
    if show_fixes and d.fix is not None:
        fix_line = f"  fix ({d.fix.applicability})"
        if d.fix.message:
            fix_line += f": {one_line(d.fix.message)}"
        lines.append(fix_line)
    return lines


def summary_lines(diagnostics: Sequence[Diagnostic], *, color: bool = False) -> List[str]:
    """``Found N errors (CODE: n, ...).`` plus the fixable line, or ``All checks passed!``."""
    if not diagnostics:
        return [_style("All checks passed!", _BOLD, color)]
    n = len(diagnostics)
    counts = ", ".join(f"{code}: {count}" for code, count in code_counts(diagnostics))
    lines = [f"Found {n} error{'s' if n != 1 else ''} ({counts})."]
    shared = [(label, ds) for _r, label, ds in root_causes(diagnostics) if len(ds) >= ROOT_SUMMARY_MIN]
    if shared:
        total = sum(len(ds) for _l, ds in shared)
        top = "; ".join(f"{one_line(label)[:90]} ({len(ds)})" for label, ds in shared[:3])
        lines.append(f"{len(shared)} root cause{'s' if len(shared) != 1 else ''} explain{'' if len(shared) != 1 else 's'}"
                     f" {total} findings: {top}{'; ...' if len(shared) > 3 else ''} (--group-by root lists them)")
    safe, unsafe = fix_counts(diagnostics)
    if safe:
        # under pre-commit (it sets PRE_COMMIT=1 for its hooks) the way to apply them is the fix hook
        how = ("the `fakeasync-lint-fix` pre-commit hook (or `fakeasync-lint check --fix`)"
               if os.environ.get("PRE_COMMIT") == "1" else "--fix")
        line = f"{_style(FIX_MARKER, _CYAN, color)} {safe} fixable with {how}"
        if unsafe:
            line += f" ({unsafe} more with --unsafe-fixes)"
        lines.append(line)
    elif unsafe:
        lines.append(f"No safe fixes available ({unsafe} fixable with --unsafe-fixes)")
    return lines


def render_text(
    diagnostics: Sequence[Diagnostic],
    *,
    color: bool = False,
    show_fixes: bool = False,
    summary: bool = True,
) -> str:
    out: List[str] = []
    for d in diagnostics:
        out.extend(diagnostic_block(d, color=color, show_fixes=show_fixes))
        out.append("")
    if summary:
        out.extend(summary_lines(diagnostics, color=color))
    return "\n".join(out) + "\n" if out else ""


def render_grouped(diagnostics: Sequence[Diagnostic], *, color: bool = False, summary: bool = True) -> str:
    """``--group-by root``: each root cause (the blocking call at the end of the chains) once, with the
    findings it explains under it (callers, entry points, the call itself)."""
    out: List[str] = []
    for _root, label, ds in root_causes(diagnostics):
        out.append(_style(f"{label}", _BOLD, color) + f"  ({len(ds)} finding{'s' if len(ds) != 1 else ''})")
        for d in ds:
            out.append("    " + diagnostic_header(d, color=color))
        out.append("")
    if summary:
        out.extend(summary_lines(diagnostics, color=color))
    return "\n".join(out) + "\n" if out else ""


def render_concise(
    diagnostics: Sequence[Diagnostic],
    *,
    color: bool = False,
    summary: bool = True,
) -> str:
    out = [diagnostic_header(d, color=color) for d in diagnostics]
    if summary:
        out.extend(summary_lines(diagnostics, color=color))
    return "\n".join(out) + "\n" if out else ""


def statistics_rows(diagnostics: Sequence[Diagnostic]) -> List[dict]:
    """One row per code: ``{code, name, count, fixable, fixable_count}`` sorted by count, then code.

    ``fixable`` is ``"safe"`` when some diagnostic of the code has a safe fix, ``"unsafe"`` when the
    only fixes are unsafe, else ``None``.
    """
    rows = []
    for code, count in code_counts(diagnostics):
        of_code = [d for d in diagnostics if d.code == code]
        safe, unsafe = fix_counts(of_code)
        fixable = "safe" if safe else ("unsafe" if unsafe else None)
        rows.append(
            {
                "code": code,
                "name": rule_for(code).name,
                "count": count,
                "fixable": fixable,
                "fixable_count": safe + unsafe,
            }
        )
    rows.sort(key=lambda r: (-r["count"], r["code"]))
    return rows


def render_statistics(
    diagnostics: Sequence[Diagnostic],
    *,
    color: bool = False,
    summary: bool = True,
) -> str:
    """A ``ruff --statistics``-like table: ``count<TAB>code<TAB>[*] name``.

    Markers: ``[*]`` safe fix available, ``[-]`` only unsafe fixes, ``[ ]`` no fix.
    """
    rows = statistics_rows(diagnostics)
    out: List[str] = []
    if rows:
        count_w = max(len(str(r["count"])) for r in rows)
        code_w = max(len(r["code"]) for r in rows)
        for r in rows:
            marker = {"safe": "[*]", "unsafe": "[-]"}.get(r["fixable"], "[ ]")
            code = _style(r["code"].ljust(code_w), _RED_BOLD, color)
            out.append(f"{str(r['count']).rjust(count_w)}\t{code}\t{marker} {r['name']}")
    if summary:
        out.extend(summary_lines(diagnostics, color=color))
    return "\n".join(out) + "\n" if out else ""


__all__ = [
    "ARROW",
    "diagnostic_block",
    "diagnostic_header",
    "render_concise",
    "render_statistics",
    "render_text",
    "statistics_rows",
    "summary_lines",
]
