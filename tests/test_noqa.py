from __future__ import annotations

import textwrap

import pytest

from fakeasync_lint import analysis, fastgen
from fakeasync_lint.noqa import EMPTY, Suppressions, parse_suppressions


def _from_walk(src: str):
    """What the analysis records for ``src``: the suppressions built from the comments its walk met
    (``noqa.from_comments``), or None when the source does not parse."""
    s = analysis.analyze(src.encode(), "m.py", "m")
    if s["error"]:
        return None
    return s["noqa"], s["file_noqa"]


def _as_summary(sup: Suppressions):
    return ({str(k): (sorted(v) if v is not None else None) for k, v in sup.by_line.items()},
            "*" if sup.file_codes is None else (sorted(sup.file_codes) if sup.file_codes else None))


def parse(src: str) -> Suppressions:
    """The tokenizing scan, checked against the walk's comments on every source that parses: both
    paths must find the same suppressions."""
    src = textwrap.dedent(src)
    sup = parse_suppressions(src)
    walked = _from_walk(src)
    if walked is not None:
        assert walked == _as_summary(sup)
    return sup


def test_walk_collects_comments():
    assert fastgen.installed()
    src = "import time\n# fakeasync: ignore[FAK103]\n\n# other\ntime.sleep(1)  # noqa: FAK101\ns = '# noqa'\n"
    assert _from_walk(src) == ({"5": ["FAK101", "FAK103"]}, None)


def test_no_comments_shortcut():
    s = parse_suppressions("import time\n\nasync def f():\n    time.sleep(1)\n")
    assert s is EMPTY
    assert s.by_line == {} and s.file_codes == frozenset()
    assert not s.is_suppressed("FAK103", 4)


def test_blanket_noqa():
    s = parse("x = 1\ny = 2  # noqa\n")
    assert s.by_line == {2: None}
    assert s.is_suppressed("FAK101", 2) and s.is_suppressed("FAK403", 2)
    assert not s.is_suppressed("FAK101", 1)


@pytest.mark.parametrize(
    "comment,codes",
    [
        ("# noqa: FAK101", {"FAK101"}),
        ("# noqa:FAK101,FAK102", {"FAK101", "FAK102"}),
        ("# NOQA: FAK101 FAK102", {"FAK101", "FAK102"}),
        ("# noqa: FAK101, FAK102", {"FAK101", "FAK102"}),
        ("# noqa : fak103", {"FAK103"}),
        ("#noqa:FAK104", {"FAK104"}),
        ("# type: ignore  # noqa: FAK105", {"FAK105"}),
        ("# noqa: E501,FAK106 because reasons", {"E501", "FAK106"}),
    ],
)
def test_noqa_code_forms(comment, codes):
    s = parse(f"x = f()  {comment}\n")
    assert s.by_line == {1: frozenset(codes)}


def test_noqa_codes_only_suppress_listed():
    s = parse("x = f()  # noqa: FAK101\n")
    assert s.is_suppressed("FAK101", 1)
    assert not s.is_suppressed("FAK102", 1)


def test_noqa_other_tool_codes_do_not_suppress_ours():
    s = parse("x = f()  # noqa: E501\n")
    assert not s.is_suppressed("FAK101", 1)


def test_noqa_prefix():
    s = parse("x = f()  # noqa: FAK1\n")
    assert s.is_suppressed("FAK101", 1) and s.is_suppressed("FAK108", 1)
    assert not s.is_suppressed("FAK201", 1)


def test_noqa_colon_without_codes_is_blanket_like_flake8():
    s = parse("x = f()  # noqa: see ticket\n")
    assert s.by_line == {1: None}


def test_noqa_in_string_literal_does_not_count():
    s = parse(
        '''\
        a = "# noqa"
        b = 'x  # noqa: FAK101'
        c = """
        # noqa
        # fakeasync: ignore[FAK102]
        # ruff: noqa
        """
        d = f"{a}  # noqa"
        e = 1
        '''
    )
    assert s.by_line == {}
    assert s.file_codes == frozenset()
    assert not s.is_suppressed("FAK101", 2)
    assert not s.is_suppressed("FAK102", 8)


def test_fakeasync_ignore_trailing():
    s = parse("x = f()  # fakeasync: ignore[FAK101, FAK102]\ny = g()\n")
    assert s.by_line == {1: frozenset({"FAK101", "FAK102"})}
    assert s.is_suppressed("FAK102", 1)
    assert not s.is_suppressed("FAK101", 2)


def test_fakeasync_ignore_own_line_covers_next_code_line():
    s = parse(
        """\
        async def f():
            # fakeasync: ignore[FAK103]

            # an explanation
            time.sleep(1)
            time.sleep(2)
        """
    )
    assert s.by_line == {5: frozenset({"FAK103"})}
    assert s.is_suppressed("FAK103", 5)
    assert not s.is_suppressed("FAK103", 6)
    assert not s.is_suppressed("FAK103", 2)


def test_fakeasync_ignore_own_line_before_dedent():
    s = parse(
        """\
        async def f():
            if x:
                pass
            # fakeasync: ignore[FAK103]
            time.sleep(1)
        """
    )
    assert s.by_line == {5: frozenset({"FAK103"})}


def test_fakeasync_ignore_blanket_and_prefix():
    s = parse("x = f()  # fakeasync: ignore\ny = g()  # fakeasync: ignore[FAK2]\n")
    assert s.by_line == {1: None, 2: frozenset({"FAK2"})}
    assert s.is_suppressed("FAK201", 2) and not s.is_suppressed("FAK101", 2)


def test_fakeasync_ignore_after_multiline_string_is_trailing():
    s = parse('x = """\nabc"""  # fakeasync: ignore[FAK101]\ny = 1\n')
    assert s.by_line == {2: frozenset({"FAK101"})}


def test_combined_noqa_and_tool_comment_merge():
    s = parse("x = f()  # noqa: FAK101  # fakeasync: ignore[FAK102]\n")
    assert s.by_line == {1: frozenset({"FAK101", "FAK102"})}
    s = parse("# fakeasync: ignore[FAK102]\nx = f()  # noqa\n")
    assert s.by_line == {2: None}


@pytest.mark.parametrize("comment", ["# flake8: noqa", "# ruff: noqa", "# FLAKE8: NOQA", "# fakeasync: file-ignore"])
def test_file_level_blanket(comment):
    s = parse(f"{comment}\nimport time\n")
    assert s.file_codes is None
    assert s.is_suppressed("FAK103", 2) and s.is_suppressed("FAK000", 99)


@pytest.mark.parametrize(
    "comment,codes",
    [
        ("# ruff: noqa: FAK101", {"FAK101"}),
        ("# flake8: noqa: FAK101,FAK102", {"FAK101", "FAK102"}),
        ("# fakeasync: file-ignore[FAK101, FAK3]", {"FAK101", "FAK3"}),
    ],
)
def test_file_level_codes(comment, codes):
    s = parse(f"{comment}\nimport time\n")
    assert s.file_codes == frozenset(codes)
    assert s.by_line == {}
    assert s.is_suppressed("FAK101", 10)
    assert not s.is_suppressed("FAK201", 10)


def test_file_level_comment_is_not_a_line_noqa():
    s = parse("import x\n# ruff: noqa: FAK101\ny = 1  # noqa: FAK102\n")
    assert s.file_codes == frozenset({"FAK101"})
    assert s.by_line == {3: frozenset({"FAK102"})}


def test_file_level_in_string_does_not_count():
    s = parse("doc = '# flake8: noqa'\nz = '# fakeasync: file-ignore'\n")
    assert s.file_codes == frozenset()
    assert not s.is_suppressed("FAK101", 1)


def test_multiline_statement_only_start_row_recorded():
    s = parse(
        """\
        result = call(  # noqa: FAK101
            arg,
        )
        other = call(
            arg,
        )  # noqa: FAK102
        """
    )
    assert s.by_line == {1: frozenset({"FAK101"}), 6: frozenset({"FAK102"})}
    assert s.is_suppressed("FAK101", 1)
    assert not s.is_suppressed("FAK102", 4)  # the comment is on the closing row, not the start row


def test_syntax_error_falls_back_to_line_scan():
    src = "def f(:\n    x = (  # noqa: FAK101\n# fakeasync: ignore[FAK102]\n\ny = '''\n"
    s = parse(src)
    assert s.by_line == {2: frozenset({"FAK101"}), 5: frozenset({"FAK102"})}


def test_unterminated_triple_quote_fallback_still_reads_comments():
    s = parse_suppressions("x = 1  # noqa: FAK103\ny = '''\n")
    assert s.is_suppressed("FAK103", 1)


def test_indentation_error_fallback():
    s = parse_suppressions("if x:\n        a = 1\n    b = 2  # noqa: FAK104\n")
    assert s.by_line == {3: frozenset({"FAK104"})}


def test_crlf_and_no_trailing_newline():
    s = parse("x = 1\r\ny = f()  # noqa: FAK101")
    assert s.by_line == {2: frozenset({"FAK101"})}


def test_noqa_word_in_identifier_only():
    # "noqa" appears, but not in a comment: nothing suppressed (and no crash)
    s = parse("noqa = 1\nprint(noqa)\n")
    assert s.by_line == {} and s.file_codes == frozenset()
