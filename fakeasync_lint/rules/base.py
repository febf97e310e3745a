"""Rule metadata: one module per rule (``fak101.py`` ...), each defining ``RULE``."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str  # "FAK101"
    name: str  # kebab-case, e.g. "blocking-database-call"
    summary: str  # one line, shown by `fakeasync-lint rules`
    doc: str  # Markdown: what it does, why it blocks, example, use instead, fix safety
    default_enabled: bool = True
    severity: str = "error"  # info | warning | error
    fix: str = "none"  # "safe" | "unsafe" | "displayonly" | "sometimes" | "none"

    @property
    def url(self) -> str:
        return f"https://github.com/fakeasync-lint/fakeasync-lint/blob/main/docs/rules.md#{self.code.lower()}"
