"""Every rule module defines complete, consistent metadata and ruff-style Markdown docs."""
from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

from fakeasync_lint import catalog, rules
from fakeasync_lint.rules import ALL_RULES, get_rule
from fakeasync_lint.rules.base import Rule

REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety")
OPTIONAL_SECTIONS = ("## Options", "## Known limitations")
FIX_VALUES = {"safe", "unsafe", "displayonly", "sometimes", "none"}
SEVERITIES = {"info", "warning", "error"}
# rules that are not driven by catalog families
NON_CATALOG = {"FAK000", "FAK108", "FAK201", "FAK301", "FAK302", "FAK401", "FAK402", "FAK403"}
EXPECTED = {
    # code: (name, fix, default_enabled)
    "FAK000": ("unanalysable-file", "none", True),
    "FAK101": ("blocking-database-call", "sometimes", True),
    "FAK102": ("blocking-http-call", "unsafe", True),
    "FAK103": ("blocking-sleep", "safe", True),
    "FAK104": ("blocking-file-io", "unsafe", True),
    "FAK105": ("blocking-subprocess", "unsafe", True),
    "FAK106": ("blocking-network-client", "unsafe", True),
    "FAK107": ("blocking-thread-wait", "sometimes", True),
    "FAK108": ("user-configured-blocking-call", "none", True),
    "FAK201": ("sync-engine-in-async-code", "displayonly", True),
    "FAK301": ("n-plus-one-query", "displayonly", True),
    "FAK302": ("sequential-awaits-in-loop", "unsafe", True),
    "FAK401": ("calls-blocking-function", "none", True),
    "FAK402": ("awaits-fake-async-function", "none", False),
    "FAK403": ("blocking-entry-point", "none", True),
}
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

RULE_LIST = list(ALL_RULES.values())


def test_codes_match_catalog_families_plus_non_catalog_rules():
    family_codes = {f["code"] for f in catalog.FAMILIES.values()}
    assert set(ALL_RULES) == family_codes | NON_CATALOG
    assert not (family_codes & (NON_CATALOG - {"FAK108"})), "a catalog family uses a non-catalog code"


def test_every_rule_module_is_registered():
    found = set()
    for info in pkgutil.iter_modules(rules.__path__):
        if re.fullmatch(r"fak\d{3}", info.name):
            mod = importlib.import_module(f"fakeasync_lint.rules.{info.name}")
            assert isinstance(mod.RULE, Rule)
            assert mod.RULE.code == info.name.upper(), f"{info.name} defines {mod.RULE.code}"
            assert ALL_RULES[mod.RULE.code] is mod.RULE
            found.add(mod.RULE.code)
    assert found == set(ALL_RULES)


def test_order_and_expected_metadata():
    assert list(ALL_RULES) == sorted(ALL_RULES)
    assert set(ALL_RULES) == set(EXPECTED)
    for code, (name, fix, default) in EXPECTED.items():
        r = ALL_RULES[code]
        assert (r.name, r.fix, r.default_enabled) == (name, fix, default), code


def test_names_unique_kebab_case():
    names = [r.name for r in RULE_LIST]
    assert len(names) == len(set(names))
    for n in names:
        assert KEBAB.match(n), n


@pytest.mark.parametrize("rule", RULE_LIST, ids=lambda r: r.code)
def test_rule_fields(rule):
    assert re.fullmatch(r"FAK\d{3}", rule.code)
    assert rule.fix in FIX_VALUES
    assert rule.severity in SEVERITIES
    assert rule.summary.strip() and "\n" not in rule.summary and len(rule.summary) <= 100
    assert not rule.summary.endswith(".")
    assert rule.url.endswith("#" + rule.code.lower())


@pytest.mark.parametrize("rule", RULE_LIST, ids=lambda r: r.code)
def test_doc_sections(rule):
    doc = rule.doc
    headings = re.findall(r"^## .*$", doc, re.M)
    for section in REQUIRED_SECTIONS:
        assert headings.count(section) == 1, f"{rule.code}: missing or repeated {section!r}"
    for h in headings:
        assert h in REQUIRED_SECTIONS + OPTIONAL_SECTIONS, f"{rule.code}: unexpected heading {h!r}"
    # required sections in the documented order
    positions = [headings.index(s) for s in REQUIRED_SECTIONS]
    assert positions == sorted(positions), f"{rule.code}: sections out of order"
    # every section has a body
    parts = re.split(r"^## .*$", doc, flags=re.M)[1:]
    for heading, body in zip(headings, parts):
        assert body.strip(), f"{rule.code}: empty section {heading}"
    # fenced code blocks are balanced
    assert doc.count("```") % 2 == 0, f"{rule.code}: unbalanced code fence"


@pytest.mark.parametrize("rule", RULE_LIST, ids=lambda r: r.code)
def test_example_sections_contain_code(rule):
    doc = rule.doc
    for section in ("## Example", "## Use instead"):
        start = doc.index(section)
        nxt = doc.find("\n## ", start + 1)
        body = doc[start: nxt if nxt != -1 else len(doc)]
        assert "```" in body, f"{rule.code}: {section} has no code block"


@pytest.mark.parametrize("rule", RULE_LIST, ids=lambda r: r.code)
def test_fix_safety_text_agrees_with_fix_field(rule):
    body = rule.doc.split("## Fix safety", 1)[1].split("\n## ", 1)[0].lower()
    if rule.fix == "safe":
        assert "safe" in body and "unsafe" not in body
    elif rule.fix == "unsafe":
        assert "unsafe" in body
    elif rule.fix == "sometimes":
        assert "safe" in body and "unsafe" in body
    elif rule.fix == "displayonly":
        assert "display" in body
    else:
        assert "no " in body or "never" in body


def test_get_rule():
    assert get_rule("FAK103") is ALL_RULES["FAK103"]
    assert get_rule("fak103") is ALL_RULES["FAK103"]
    assert get_rule("blocking-sleep") is ALL_RULES["FAK103"]
    with pytest.raises(KeyError):
        get_rule("FAK999")


def test_docs_rules_md_is_generated_and_current():
    """Every diagnostic's documentation link (JSON `url`, SARIF `helpUri`, LSP `codeDescription`) points at
    docs/rules.md#<code>: the page must exist, hold an anchor per rule, and equal what the rule modules
    generate (run `python -m fakeasync_lint.rules` after editing a rule)."""
    from pathlib import Path

    from fakeasync_lint.rules import ALL_RULES, render_rules_markdown

    page = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert page.exists(), "docs/rules.md is missing: run `python -m fakeasync_lint.rules`"
    text = page.read_text(encoding="utf-8")
    assert text == render_rules_markdown(), "docs/rules.md is stale: run `python -m fakeasync_lint.rules`"
    for rule in ALL_RULES.values():
        anchor = rule.url.rsplit("#", 1)[1]
        assert rule.url.split("#")[0].endswith("docs/rules.md")
        assert f'<a id="{anchor}"></a>' in text, rule.code
