"""parseguard: the big-stack parse thread and the CPython pre-check (see docs/robustness.md, bug 1)."""
from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from fakeasync_lint import analysis, parseguard, runner
from robustness_corpus import nested_brackets, seed_sources


def _where():
    return threading.current_thread().name


def test_call_runs_on_one_big_stack_thread_and_returns():
    assert parseguard.call(_where) == "fakeasync-parse"
    assert parseguard.call(_where) == "fakeasync-parse"  # the same thread, not one per call
    assert parseguard.stack_size() >= 64 << 20
    assert parseguard.call(parseguard.call, _where) == "fakeasync-parse"  # already on it: no deadlock


def test_call_raises_the_exception_of_the_function():
    def boom():
        raise KeyError("x")

    with pytest.raises(KeyError):
        parseguard.call(boom)
    assert parseguard.call(_where) == "fakeasync-parse"  # the thread survives


def _analyse_in_child(_):
    s = analysis.analyze(b"x = a" + b" and a" * 9000 + b"\n", "/virtual/c.py", "c")
    return s["error"], parseguard.call(_where)


def test_forked_child_gets_its_own_parse_thread():
    """A pool forked after the parent started its parse thread: the child starts its own (no deadlock)."""
    parseguard.call(_where)
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as ex:
        err, name = ex.submit(_analyse_in_child, 0).result(timeout=60)
    assert err is None and name == "fakeasync-parse"


def test_ordinary_files_are_not_prechecked():
    """The pre-check (a CPython parse, ~8 % of libcst's) is for suspicious files only."""
    flagged = [name for name, data in seed_sources().items() if parseguard.suspicious(data)]
    assert flagged == []


@pytest.mark.parametrize("data", [
    nested_brackets(201),
    b"x = " + b"-" * 2500 + b"a\n",  # a long line
    b"x = (a\n" + b"    + a\n" * 12000 + b")\n",  # a long statement inside brackets (96 KB)
    b"x = 1\n" * (parseguard.stack_size() // parseguard.STACK_PER_BYTE // 6 + 1),  # big for the stack
], ids=["brackets_201", "long_line", "long_statement", "big"])
def test_suspicious(data):
    assert parseguard.suspicious(data)


@pytest.mark.parametrize("data", [
    nested_brackets(150),
    b"x = (a\n" + b"    + a\n" * 2000 + b")\n",
    b"# " + b"(" * 300 + b"\n" + b"x = 1\n",  # brackets in a comment count: suspicious, but Python accepts it
], ids=["brackets_150", "short_statement", "comment"])
def test_precheck_passes_what_python_accepts(data):
    text = data.decode()
    assert parseguard.precheck(data, text, "m.py") is None


@pytest.mark.parametrize("data, reason", [
    (nested_brackets(1500), "too many nested parentheses"),
    (b"x = " + b"not " * 16000 + b"a\n", "too complex"),
    (b"x = (a\n" + b"    + a\n" * 12000 + b")\n", "recursion"),
])
def test_precheck_reports_what_python_refuses_for_depth(data, reason):
    t0 = time.monotonic()
    s = analysis.analyze(data, "/virtual/m.py", "m")
    assert time.monotonic() - t0 < 5  # libcst: minutes (the multi-line chain), or a crash
    line, col, msg = s["error"]
    assert msg.startswith("nested too deeply for the parser") and reason in msg, msg


def test_syntax_errors_are_still_libcst_or_python_syntax_errors():
    s = analysis.analyze(b"x = (\n" + b"(" * 300 + b"\n", "/virtual/m.py", "m")  # suspicious, not too deep
    assert s["error"] is not None and "nested too deeply" not in s["error"][2]


# ---- stdin as text (the language server, the fixer's further passes) -------------------------------------


def test_stdin_text_is_encoded_as_its_coding_cookie_says():
    text = "# -*- coding: latin-1 -*-\nGREETING = 'caf\u00e9'\n"
    assert runner._stdin_bytes(text) == text.encode("latin-1")
    assert runner._stdin_bytes("x = '\u20ac'\n") == "x = '\u20ac'\n".encode()
    # not representable in the declared encoding: UTF-8 (decoding then reports it)
    assert runner._stdin_bytes("# coding: latin-1\nx = '\u20ac'\n") == "# coding: latin-1\nx = '\u20ac'\n".encode()
    assert runner._stdin_bytes(b"\xff") == b"\xff" and runner._stdin_bytes(None) == b""
