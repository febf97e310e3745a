"""`python -m fakeasync_lint.rules`: regenerate docs/rules.md from the rule modules."""
import pathlib

from . import render_rules_markdown

target = pathlib.Path(__file__).resolve().parents[2] / "docs" / "rules.md"
target.write_text(render_rules_markdown(), encoding="utf-8")
print(f"wrote {target}")
