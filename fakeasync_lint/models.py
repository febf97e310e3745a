"""The one diagnostic model shared by every layer (analysis facts never format output).

Positions follow ruff's JSON contract: ``row`` is 1-based, ``column`` is 1-based and counted in
Unicode code points, ``end_location`` is exclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

SAFE = "safe"
UNSAFE = "unsafe"
DISPLAY_ONLY = "displayonly"
APPLICABILITIES = (SAFE, UNSAFE, DISPLAY_ONLY)


@dataclass(frozen=True)
class Location:
    row: int
    column: int

    def to_json(self) -> dict:
        return {"row": self.row, "column": self.column}


@dataclass(frozen=True)
class Edit:
    """Replace the text between ``location`` and ``end_location`` (original file) by ``content``."""

    content: str
    location: Location
    end_location: Location

    def to_json(self) -> dict:
        return {
            "content": self.content,
            "location": self.location.to_json(),
            "end_location": self.end_location.to_json(),
        }


@dataclass(frozen=True)
class Fix:
    applicability: str  # one of APPLICABILITIES
    message: Optional[str]
    edits: tuple = ()  # tuple[Edit, ...], non-overlapping, sorted, relative to the original text
    # Imports the fix needs, e.g. ("asyncio",); added once, in the file's import style.
    imports: tuple = ()

    def to_json(self) -> dict:
        return {
            "applicability": self.applicability,
            "message": self.message,
            "edits": [e.to_json() for e in self.edits],
        }


@dataclass(frozen=True)
class Frame:
    """One step of a chain from the reported place down to the blocking line."""

    path: str
    line: int
    column: int
    function: str
    note: str
    library: Optional[str] = None  # a frame inside a library ("stripe 16.1.0, shipped facts"): no exact line

    def to_json(self) -> dict:
        out = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "function": self.function,
            "note": self.note,
        }
        if self.library:
            out["library"] = self.library
        return out


@dataclass
class Diagnostic:
    code: str
    message: str
    path: str  # POSIX, relative to the working directory (or as given for stdin)
    filename: str  # absolute path, or the --stdin-filename value
    location: Location
    end_location: Location
    severity: str = "error"  # info | warning | error | fatal
    suggestion: Optional[str] = None  # the async replacement, in words
    function: Optional[str] = None  # qualified name of the enclosing function
    fix: Optional[Fix] = None
    trace: List[Frame] = field(default_factory=list)
    noqa_row: Optional[int] = None
    statement: str = ""  # normalised text of the reported statement (for fingerprints)
    fingerprint: str = ""
    baseline: Optional[str] = None  # "new" | "baselined" when --baseline is active
    # what reaches a blocking finding: "endpoint" (a server entry point), "script" (only a command-line
    # script's asyncio.run), None (neither is known)
    reach: Optional[str] = None

    def sort_key(self):
        return (self.path, self.location.row, self.location.column, self.code)
