"""Suppression comments.

Line-level (the row where the reported node starts is the row whose comment counts):

* ``# noqa`` (blanket), ``# noqa: FAK101``, ``# noqa:FAK101,FAK102``, ``# NOQA: FAK101 FAK102``
  (flake8's case-insensitive regex; ``#noqa`` and ``# noqa : X`` are also accepted).  A
  ``# noqa:`` followed by no code-like word is a blanket ``# noqa``, as in flake8.
* ``# fakeasync: ignore[FAK101, FAK102]`` (or ``# fakeasync: ignore`` for all codes): trailing, it
  covers its own line; on a line of its own, the next line that is neither blank nor a comment.

File-level (anywhere in the file):

* ``# flake8: noqa``, ``# ruff: noqa``, ``# fakeasync: file-ignore`` (all codes),
* ``# ruff: noqa: FAK101``, ``# flake8: noqa: FAK101``, ``# fakeasync: file-ignore[FAK101]``.

Codes are matched by prefix: ``# noqa: FAK1`` suppresses FAK101..FAK108.  Only real comments
count (text in string literals is ignored): the analysis collects them during its one walk of the
parsed file (``from_comments``); ``parse_suppressions`` finds them with ``tokenize`` for a source
given alone, and if tokenizing fails scans it line by line instead.
"""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Sequence

NOQA_INLINE_RE = re.compile(
    r"#\s*noqa(?!\w)(?:\s*:\s?(?P<codes>(?:[A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
FILE_NOQA_RE = re.compile(
    r"#\s*(?:flake8|ruff)\s*[:=]\s*noqa(?!\w)(?:\s*:\s?(?P<codes>(?:[A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
TOOL_RE = re.compile(
    r"#\s*fakeasync\s*:\s*(?P<kind>file-ignore|ignore)(?![\w-])(?:\s*\[(?P<codes>[^\]]*)\])?",
    re.IGNORECASE,
)
_CODE_SPLIT_RE = re.compile(r"[,\s]+")

Codes = Optional[FrozenSet[str]]  # None = every code


def _parse_codes(text: Optional[str]) -> Codes:
    if text is None:
        return None
    codes = frozenset(c.upper() for c in _CODE_SPLIT_RE.split(text) if c)
    return codes if codes else None


def _merge(a: Codes, b: Codes) -> Codes:
    if a is None or b is None:
        return None
    return a | b


def _matches(code: str, codes: Codes) -> bool:
    if codes is None:
        return True
    return any(code.startswith(prefix) for prefix in codes)


@dataclass(frozen=True)
class Suppressions:
    """Parsed suppression comments of one file.

    ``by_line``: 1-based row -> codes (prefixes, upper-case) suppressed on that row, or None for
    a blanket suppression.  ``file_codes``: codes suppressed in the whole file, None for a
    blanket file-level suppression, empty when there is none.
    """

    by_line: Dict[int, Codes] = field(default_factory=dict)
    file_codes: Codes = frozenset()

    def is_suppressed(self, code: str, row: int) -> bool:
        if self.file_codes is None or (self.file_codes and _matches(code, self.file_codes)):
            return True
        if row in self.by_line:
            return _matches(code, self.by_line[row])
        return False

    @property
    def empty(self) -> bool:
        return not self.by_line and self.file_codes == frozenset()


EMPTY = Suppressions()


class _Builder:
    def __init__(self) -> None:
        self.by_line: Dict[int, Codes] = {}
        self.file_codes: Codes = frozenset()
        self.pending: List[Codes] = []  # own-line `# fakeasync: ignore` waiting for the next line

    def add_line(self, row: int, codes: Codes) -> None:
        if row in self.by_line:
            self.by_line[row] = _merge(self.by_line[row], codes)
        else:
            self.by_line[row] = codes

    def add_file(self, codes: Codes) -> None:
        self.file_codes = _merge(self.file_codes, codes)

    def comment(self, text: str, row: int, own_line: bool) -> None:
        low = text.lower()
        if "noqa" in low:
            fm = FILE_NOQA_RE.search(text)
            if fm:
                self.add_file(_parse_codes(fm.group("codes")))
            else:
                m = NOQA_INLINE_RE.search(text)
                if m:
                    self.add_line(row, _parse_codes(m.group("codes")))
        if "fakeasync" in low:
            for m in TOOL_RE.finditer(text):
                codes = _parse_codes(m.group("codes"))
                if m.group("kind").lower() == "file-ignore":
                    self.add_file(codes)
                elif own_line:
                    self.pending.append(codes)
                else:
                    self.add_line(row, codes)

    def code_line(self, row: int) -> None:
        if self.pending:
            for codes in self.pending:
                self.add_line(row, codes)
            self.pending = []

    def build(self) -> Suppressions:
        if not self.by_line and self.file_codes == frozenset():
            return EMPTY
        return Suppressions(by_line=self.by_line, file_codes=self.file_codes)


_SKIP_TOKENS = frozenset(
    {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
)
_ENCODING = getattr(tokenize, "ENCODING", -1)


def _scan_tokens(source: str) -> Suppressions:
    builder = _Builder()
    last_code_row = 0
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        ttype = tok.type
        if ttype == tokenize.COMMENT:
            row, col = tok.start
            own_line = row != last_code_row and not tok.line[:col].strip()
            builder.comment(tok.string, row, own_line)
        elif ttype not in _SKIP_TOKENS and ttype != _ENCODING:
            row = tok.start[0]
            if row != last_code_row:
                builder.code_line(row)
            last_code_row = tok.end[0]
    return builder.build()


def _scan_lines(source: str) -> Suppressions:
    """Fallback for sources that do not tokenize: a plain per-line regex scan."""
    builder = _Builder()
    for row, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        hash_at = line.find("#")
        if stripped.startswith("#"):
            builder.comment(stripped, row, own_line=True)
            continue
        builder.code_line(row)
        if hash_at >= 0:
            builder.comment(line[hash_at:], row, own_line=False)
    return builder.build()


def needs_scan(source: str) -> bool:
    """Whether ``source`` can hold a suppression comment at all (the cheap test before any scan)."""
    lowered = source.lower()
    return "noqa" in lowered or "fakeasync" in lowered


def from_comments(comments, lines: Sequence[str]) -> Suppressions:
    """The suppressions of a parsed file from its comments, as the walk met them: ``(line, col, text)``
    in source order (1-based line, 0-based column), ``lines`` its lines split as the walk counts them.
    The same result as ``parse_suppressions`` on the source, without tokenizing it a second time: a
    comment is on its own line when only blanks precede it, and an own-line ``fakeasync: ignore`` applies
    to the next line that starts a token (the next line that is neither blank nor a comment: a comment
    is never inside a string, so the lines between it and the next token are blank or comments)."""
    builder = _Builder()
    n = len(lines)
    for row, col, text in comments:
        low = text.lower()
        if "noqa" not in low and "fakeasync" not in low:
            continue
        line = lines[row - 1] if 0 < row <= n else ""
        builder.comment(text, row, not line[:col].strip())
        if builder.pending:
            nxt = row + 1
            while nxt <= n:
                stripped = lines[nxt - 1].strip()
                if stripped and not stripped.startswith("#"):
                    break
                nxt += 1
            if nxt <= n:
                builder.code_line(nxt)
            else:  # nothing follows: tokenize never meets a code line either
                builder.pending = []
    return builder.build()


def parse_suppressions(source: str) -> Suppressions:
    """Parse the suppression comments of ``source`` (see the module docstring)."""
    lowered = source.lower()
    if "noqa" not in lowered and "fakeasync" not in lowered:
        return EMPTY
    try:
        return _scan_tokens(source)
    except Exception:  # TokenError, IndentationError, SyntaxError, null bytes...: never crash
        return _scan_lines(source)
