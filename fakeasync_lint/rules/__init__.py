"""Rule registry: every rule's metadata and documentation, in code order.

Each rule lives in its own module (``fak101.py`` ...) defining ``RULE``; this package imports them
explicitly so that the set of rules is visible here and stays importable without plugins.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Dict

import importlib

from .base import Rule

# every rule module, in code order (the one list to extend when a rule is added)
_NAMES = (
    "fak000",
    "fak101",
    "fak102",
    "fak103",
    "fak104",
    "fak105",
    "fak106",
    "fak107",
    "fak108",
    "fak201",
    "fak301",
    "fak302",
    "fak401",
    "fak402",
    "fak403",
)
_MODULES = tuple(importlib.import_module(f".{n}", __name__) for n in _NAMES)

ALL_RULES: "OrderedDict[str, Rule]" = OrderedDict((m.RULE.code, m.RULE) for m in _MODULES)

RULES_BY_NAME: Dict[str, Rule] = {r.name: r for r in ALL_RULES.values()}


# Severity by reach: the rules whose findings block a particular loop (``diagnose.REACH_CODES``)
REACH_RULES = ("FAK101", "FAK102", "FAK103", "FAK104", "FAK105", "FAK106", "FAK107", "FAK108", "FAK401")

SEVERITY_BY_REACH = """\
A blocking call matters as much as the loop it blocks. A finding of FAK101-FAK108 or FAK401 is:

* an **error** when a server entry point reaches it (the FAK403 entry points: FastAPI / Starlette /
  aiohttp / Litestar / Sanic / Quart routes, websockets, startup and lifespan handlers, Django async
  views): every request on that server waits. The message says how many entry points reach it
  ("reached from 2 entry points");
* a **warning** when only a command-line script reaches it: a coroutine run on a loop of its own
  (`asyncio.run(main())`, `loop.run_until_complete(main())`) by module-level code (typically under
  `if __name__ == "__main__":`) or by a sync function of a script module (one with such a block, or
  a `__main__.py`), where nothing else runs, so the call only slows that script. A sync function of
  any other module that starts a loop (Home Assistant's `runner.run()` starts the application's one
  loop) is not a script. The message ends with "reached only from" the runner call and its
  line, and the JSON `reach` is `script`;
* an **error** when neither is known (a handler registered in a way the analysis does not see).

Reached means: along the calls through which blocking propagates (a sync call of a blocking function,
an `await` of a fake-async one). When both an endpoint and a script reach a finding, the endpoint
decides. JSON carries `reach` (`endpoint` / `script`) and `severity`; SARIF sets `level`, GitHub
annotations `::warning`, GitLab `minor`, the language server the diagnostic severity. A warning still
counts as a violation for the exit code. `script-severity = "error"` (or `"info"`) in
`[tool.fakeasync-lint]` sets the severity of script-only findings; `"error"` turns the distinction off.
"""


def get_rule(code: str) -> Rule:
    """The rule for a code (``"FAK101"``, case-insensitive) or a name (``"blocking-sleep"``).

    Raises ``KeyError`` for an unknown code or name.
    """
    key = code.strip()
    rule = ALL_RULES.get(key.upper()) or RULES_BY_NAME.get(key.lower())
    if rule is None:
        raise KeyError(f"unknown rule: {code!r}")
    return rule


__all__ = ["ALL_RULES", "REACH_RULES", "RULES_BY_NAME", "Rule", "SEVERITY_BY_REACH", "get_rule"]


def render_rules_markdown() -> str:
    """``docs/rules.md``: every rule's documentation, generated from the rule modules (the page each
    diagnostic's documentation link points at; ``python -m fakeasync_lint.rules`` rewrites it and a
    test fails when it is stale)."""
    out = [
        "# Rules",
        "",
        "<!-- generated from fakeasync_lint/rules/*.py by `python -m fakeasync_lint.rules`; do not edit -->",
        "",
        "| code | name | summary | default | fix |",
        "|---|---|---|---|---|",
    ]
    for r in ALL_RULES.values():
        out.append(f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.summary} | "
                   f"{'on' if r.default_enabled else 'opt-in'} | {r.fix} |")
    out += ["", '<a id="severity-by-reach"></a>', "", "## Severity by reach", ""]
    out += SEVERITY_BY_REACH.rstrip("\n").splitlines()
    for r in ALL_RULES.values():
        sev = r.severity + (" (a warning when only a script's own loop reaches it: "
                            "[severity by reach](#severity-by-reach))" if r.code in REACH_RULES else "")
        out += ["", f'<a id="{r.code.lower()}"></a>', "", f"## {r.code} ({r.name})", "",
                f"*{r.summary}.* Severity: {sev}; "
                f"{'enabled by default' if r.default_enabled else 'opt-in (`--extend-select ' + r.code + '`)'}; "
                f"fix: {r.fix}.", ""]
        doc = r.doc.strip("\n")
        # the rule docs' own headings are one level below the rule's
        out += [("#" + line) if line.startswith("## ") else line for line in doc.splitlines()]
    return "\n".join(out) + "\n"

