"""The real-world bench's scorer (bench/realworld/score.py) and the committed case files."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "realworld"
sys.path.insert(0, str(BENCH))
import score as S  # noqa: E402


def case(files, **extra):
    data = {
        "id": "demo-case",
        "project": "demo",
        "backing": "https://example.invalid/fix",
        "source": {"pypi": "demo==1.0", "sha256": "0" * 64},
        "file": files,
    }
    data.update(extra)
    return S.parse_case(data)


APP = {
    "path": "app/api.py",
    "exhaustive": True,
    "label": [
        {"line": 10, "text": "requests.get(", "family": "http", "kind": "direct", "code": "FAK102", "function": "f"},
        {"line": 20, "text": "load()", "family": "db", "kind": "indirect", "code": "FAK401", "function": "g"},
        {"line": 30, "text": "await s.get(", "family": "loop-n+1", "kind": "loop", "code": "FAK301", "function": "h"},
    ],
    "negative": [
        {"line": 40, "text": "await asyncio.to_thread(", "family": "http", "what": "offloaded"},
        {"line": 50, "text": "await page(", "family": "loop-sequential", "what": "pagination"},
    ],
}
OTHER = {"path": "app/other.py", "exhaustive": False,
         "label": [{"line": 5, "text": "open(", "family": "file", "kind": "direct", "code": "FAK104"}]}


def test_line_level_match_found_and_exact():
    c = case([APP, OTHER])
    s = S.score_case(c, [
        ("app/api.py", 10, "FAK102"),   # exact
        ("app/api.py", 20, "FAK101"),   # found, wrong code
        ("app/api.py", 31, "FAK301"),   # the next line: a miss
        ("app/other.py", 5, "FAK403"),  # a roll-up code is not scored: a miss
    ])
    got = {(r.label.line, r.found, r.exact) for r in s.labels}
    assert got == {(10, True, True), (20, True, False), (30, False, False), (5, False, False)}


def test_groups_do_not_cross():
    """A blocking code on a loop label's line does not find it, and a loop code does not find a call."""
    c = case([APP])
    s = S.score_case(c, [("app/api.py", 30, "FAK101"), ("app/api.py", 10, "FAK302")])
    assert not any(r.found for r in s.labels)


def test_exhaustive_file_false_positive_and_unknown_elsewhere():
    c = case([APP, OTHER])
    s = S.score_case(c, [
        ("app/api.py", 10, "FAK102"),
        ("app/api.py", 12, "FAK104"),    # unlabelled line of an exhaustive file: FP
        ("app/other.py", 9, "FAK104"),   # unlabelled line of a non-exhaustive file: unknown
        ("app/unlabelled.py", 1, "FAK101"),  # a file without labels: not counted at all
    ])
    assert (s.tp, s.fp, s.unknown) == (1, 1, 1)
    assert s.false_positives == [("app/api.py", 12, ("FAK104",))]


def test_negative_reported_is_a_false_positive_even_in_a_non_exhaustive_file():
    f = dict(APP, exhaustive=False)
    c = case([f])
    s = S.score_case(c, [("app/api.py", 40, "FAK102"), ("app/api.py", 50, "FAK104")])
    reported = {n.negative.line: n.reported for n in s.negatives}
    # line 40 is a blocking negative: reported; line 50 is a loop negative: a blocking code is not its group
    assert reported == {40: True, 50: False}
    assert s.fp == 1 and s.unknown == 1


def test_peer_codes_are_scored_in_the_blocking_group():
    c = case([APP])
    s = S.score_case(c, [("app/api.py", 10, "ASYNC210"), ("app/api.py", 20, "ASYNC910")])
    assert [(r.label.line, r.found) for r in s.labels] == [(10, True), (20, False), (30, False)]


def test_summary_figures():
    c = case([APP, OTHER])
    s = S.score_case(c, [("app/api.py", 10, "FAK102"), ("app/api.py", 30, "FAK301"), ("app/api.py", 40, "FAK102")])
    out = S.summarise([c], {c.id: s})
    assert out["recall"]["all"]["found"] == 2 and out["recall"]["all"]["total"] == 4
    assert out["recall"]["kind:loop"]["recall"] == 1.0
    assert out["recall"]["kind:indirect"]["recall"] == 0.0
    assert out["precision"] == {"tp": 2, "fp": 1, "unknown": 0, "precision": pytest.approx(2 / 3)}
    assert out["negatives"]["by_group"]["blocking"] == {"reported": 1, "total": 1, "rate": 1.0}


def test_bad_labels_are_refused():
    bad_family = dict(APP, label=[dict(APP["label"][0], family="network")])
    with pytest.raises(S.CaseError, match="unknown family"):
        case([bad_family])
    loop_kind_mismatch = dict(APP, label=[dict(APP["label"][2], kind="direct")])
    with pytest.raises(S.CaseError, match="loop families"):
        case([loop_kind_mismatch])
    with pytest.raises(S.CaseError, match="sha256"):
        case([APP], source={"pypi": "demo==1.0"})
    with pytest.raises(S.CaseError, match="commit"):
        case([APP], source={"git": "https://github.com/a/b", "commit": "abc"})
    with pytest.raises(S.CaseError, match="relative"):
        case([dict(APP, path="../escape.py")])


def test_pins_are_checked(tmp_path):
    c = case([APP])
    (tmp_path / "app").mkdir()
    lines = ["x = 1"] * 60
    lines[9] = "    r = requests.get(url)"
    (tmp_path / "app" / "api.py").write_text("\n".join(lines))
    problems = S.check_pins(c, tmp_path)
    assert any(":20:" in p for p in problems)      # 'load()' is not on line 20
    assert not any(":10:" in p for p in problems)  # line 10 is right


def test_split_is_by_project_and_stable():
    assert S.split_of("demo") == S.split_of("Demo ")
    splits = {S.split_of(f"project-{i}") for i in range(40)}
    assert splits == {"dev", "heldout"}


def test_committed_cases_are_valid():
    cases = S.load_cases(BENCH / "cases")
    assert len(cases) >= 1
    for c in cases:
        assert c.labels or c.negatives, c.id
        for lab in c.labels:
            assert lab.path in c.files and lab.line > 0 and lab.text
