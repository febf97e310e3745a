"""Human-readable formats: ``text``, ``full`` (``text`` with a code frame), ``concise`` and ``--statistics``.

Colour uses plain ANSI escape codes (no click import) and is off unless ``color=True``.
"""
from __future__ import annotations

import os
import unicodedata
from typing import Callable, List, Optional, Sequence

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


# lines of source shown before and after a finding's range in ``--format full`` (ruff shows 2)
FRAME_CONTEXT = 2


def _cells(ch: str) -> int:
    """Terminal cells of one character: wide East Asian characters take two, combining marks none."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _display(line: str) -> "tuple[str, List[int]]":
    """A source line as printed (tabs expanded to 4 spaces) and, for each code point, the cell where it
    starts (one more entry: the cell after the line)."""
    out, cells, at = [], [], 0
    for ch in line:
        cells.append(at)
        if ch == "\t":
            w = 4 - at % 4
            out.append(" " * w)
        else:
            w = _cells(ch)
            out.append(ch)
        at += w
    cells.append(at)
    return "".join(out), cells


def code_frame(d: Diagnostic, lines: Sequence[str], *, color: bool = False) -> List[str]:
    """ruff's code frame: the lines of the finding's range (and ``FRAME_CONTEXT`` lines around them) in a
    numbered gutter, each line of the range underlined with ``^`` from the start column to the end
    column (exclusive; a multi-line range: the rest of the first line, the text of the middle lines, the
    last line up to the end), the last underline followed by the code.  [] when the range is not in
    ``lines`` (a file changed since it was analysed)."""
    first, last = d.location.row, max(d.end_location.row, d.location.row)
    if last == first + 1 and d.end_location.column == 1 and d.end_location.row > d.location.row:
        last = first  # a range that ends at the start of the next line covers its first line only
    if not (1 <= first <= len(lines)):
        return []
    last = min(last, len(lines))
    lo = max(1, first - FRAME_CONTEXT)
    hi = min(len(lines), last + FRAME_CONTEXT)
    while lo < first and not lines[lo - 1].strip():
        lo += 1
    while hi > last and not lines[hi - 1].strip():
        hi -= 1
    width = len(str(hi))
    bar = _style("|", _CYAN, color)
    out = [" " * (width + 1) + bar]
    for n in range(lo, hi + 1):
        raw = lines[n - 1].rstrip("\r\n")
        shown, cells = _display(raw)
        num = _style(str(n).rjust(width), _CYAN, color)
        out.append(f"{num} {bar}" + (f" {shown}" if shown else ""))
        if first <= n <= last:
            start = d.location.column - 1 if n == first else len(raw) - len(raw.lstrip())
            end = d.end_location.column - 1 if n == d.end_location.row else len(raw.rstrip())
            start = min(max(start, 0), len(raw))
            end = min(max(end, start), len(raw))
            a, b = cells[start], cells[end]
            marks = "^" * max(1, b - a)
            tail = f" {d.code}" if n == last else ""
            out.append(" " * (width + 1) + bar + " " + " " * a + _style(marks + tail, _RED_BOLD, color))
    out.append(" " * (width + 1) + bar)
    return out


def full_block(d: Diagnostic, lines: Optional[Sequence[str]], *, color: bool = False,
               show_fixes: bool = False) -> List[str]:
    """``--format full``: the header, the code frame, then the help and the chain (as ``text``)."""
    block = diagnostic_block(d, color=color, show_fixes=show_fixes)
    frame = code_frame(d, lines, color=color) if lines else []
    return block[:1] + frame + block[1:]


def render_full(
    diagnostics: Sequence[Diagnostic],
    source_lines: Callable[[Diagnostic], Optional[Sequence[str]]],
    *,
    color: bool = False,
    show_fixes: bool = False,
    summary: bool = True,
) -> str:
    """``--format full``: ``text`` with a code frame under each header.  ``source_lines(d)``: the lines of
    ``d``'s file as analysed (None when unavailable: the frame is left out)."""
    out: List[str] = []
    for d in diagnostics:
        out.extend(full_block(d, source_lines(d), color=color, show_fixes=show_fixes))
        out.append("")
    if summary:
        out.extend(summary_lines(diagnostics, color=color))
    return "\n".join(out) + "\n" if out else ""


def summary_lines(diagnostics: Sequence[Diagnostic], *, color: bool = False) -> List[str]:
    """``Found N errors (CODE: n, ...).`` plus the fixable line, or ``All checks passed!``."""
    if not diagnostics:
        return [_style("All checks passed!", _BOLD, color)]
    n = len(diagnostics)
    counts = ", ".join(f"{code}: {count}" for code, count in code_counts(diagnostics))
    lines = [f"Found {n} error{'s' if n != 1 else ''} ({counts})."]
    lesser = [d for d in diagnostics if d.severity in ("warning", "info")]
    if lesser:
        nw = sum(1 for d in lesser if d.severity == "warning")
        ni = len(lesser) - nw
        parts = ([f"{nw} {'is a warning' if nw == 1 else 'are warnings'}"] if nw else []) + (
            [f"{ni} {'is' if ni == 1 else 'are'} info"] if ni else [])
        why = (f" (only a command-line script's own event loop reaches {'it' if len(lesser) == 1 else 'them'}: "
               "severity by reach)" if all(d.reach == "script" for d in lesser) else "")
        lines.append(f"Of these, {' and '.join(parts)}{why}.")
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
    "code_frame",
    "diagnostic_block",
    "diagnostic_header",
    "render_concise",
    "render_full",
    "render_statistics",
    "render_text",
    "statistics_rows",
    "summary_lines",
]
