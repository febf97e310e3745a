"""Helpers shared by the output formats (rule lookup, severities, trace lines, sorting)."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, List, Optional, Sequence

from ..models import SAFE, UNSAFE, Diagnostic, Frame
from ..rules.base import Rule

SEVERITIES = ("info", "warning", "error", "fatal")


def get_rule_or_none(code: str) -> Optional[Rule]:
    """The registered rule for ``code``, or ``None``.

    The registry is imported lazily so that the output layer works (and can be tested) before or
    without ``fakeasync_lint.rules`` exporting ``get_rule``; tests monkeypatch this function.
    """
    try:
        from ..rules import get_rule  # lazy: the registry may not exist yet
    except ImportError:
        return None
    try:
        return get_rule(code)
    except (KeyError, LookupError, ValueError):
        return None


def rule_for(code: str) -> Rule:
    """The rule for ``code``; a placeholder rule built from the code when it is not registered."""
    rule = get_rule_or_none(code)
    if rule is not None:
        return rule
    return Rule(code=code, name=code.lower(), summary=code, doc="")


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> List[Diagnostic]:
    return sorted(diagnostics, key=lambda d: d.sort_key())


def frame_line(frame: Frame) -> str:
    """``path:line function: note`` (without indentation or arrow)."""
    where = f"[{frame.library}] {frame.path}" if frame.library else f"{frame.path}:{frame.line}"
    text = f"{where} {frame.function}"
    if frame.note:
        text += f": {frame.note}"
    return text


def fix_counts(diagnostics: Sequence[Diagnostic]) -> "tuple[int, int]":
    """(safe, unsafe) fix counts; display-only fixes are never applicable."""
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == SAFE)
    unsafe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == UNSAFE)
    return safe, unsafe


def code_counts(diagnostics: Sequence[Diagnostic]) -> "list[tuple[str, int]]":
    """``[(code, count)]`` sorted by code."""
    return sorted(Counter(d.code for d in diagnostics).items())


def one_line(text: Optional[str]) -> str:
    """Collapse line breaks so that a value fits on one output line."""
    if not text:
        return ""
    return " ".join(text.splitlines())


def last_project_frame(d: Diagnostic):
    """The blocking line at the end of a finding's chain in the project (a library's own frames, which
    follow it, are not where the project can change anything)."""
    for f in reversed(d.trace):
        if not f.library:
            return f
    return None


def root_of(d: Diagnostic) -> str:
    """Stable, line-number-free identity of a finding's root cause: the blocking call at the end of its
    chain (its own call for a local finding).  Findings with one root are fixed together."""
    import hashlib

    f = last_project_frame(d)
    if f is not None:
        key = f"{f.path}|{f.function}|{f.note}"
    else:
        key = f"{d.path}|{d.function or ''}|{d.statement or d.message}"
    return "root:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def root_label(d: Diagnostic) -> str:
    """How a root cause reads: the blocking call and where it is."""
    f = last_project_frame(d)
    if f is not None:
        return f"{f.path}:{f.line} {f.function}: {f.note}"
    return f"{d.path}:{d.location.row} {d.function or ''}: {d.message}"


def root_causes(diagnostics: Sequence[Diagnostic]) -> "list[tuple[str, str, list]]":
    """[(root id, label, findings)], the roots that explain most findings first."""
    groups: "dict[str, list]" = {}
    for d in diagnostics:
        groups.setdefault(root_of(d), []).append(d)
    return sorted(((r, root_label(ds[0]), ds) for r, ds in groups.items()), key=lambda x: (-len(x[2]), x[1]))
