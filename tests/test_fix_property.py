"""Property test: blocking calls injected into generated async functions are all fixed (unsafe fixes),
the fixed file parses and compiles, no longer reports those rules, and fixing again changes nothing.

Async functions are generated from statement templates (nested bodies, expression contexts with
trailers, comprehensions, f-strings, operators, CRLF/BOM files, with or without ``import asyncio``).
When ``hypothesmith`` is installed, the argument of the injected ``time.sleep`` is an arbitrary Python
expression drawn from the grammar.  Budget: ``FAKEASYNC_PROPERTY_EXAMPLES`` (default 30).
"""
import os
import tempfile
import warnings
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import libcst as cst  # noqa: E402

from fakeasync_lint.apply import apply_fixes  # noqa: E402
from fakeasync_lint.config import load_settings  # noqa: E402
from fakeasync_lint.runner import run  # noqa: E402

try:  # arbitrary expressions as call arguments
    import hypothesmith
except ImportError:  # pragma: no cover - the plain strategy below still runs
    hypothesmith = None

EXAMPLES = int(os.environ.get("FAKEASYNC_PROPERTY_EXAMPLES", "30"))
CODES = {"FAK102", "FAK103", "FAK104", "FAK105"}

SIMPLE_ARGS = st.sampled_from(["n", "1", "0.5", "n * 2", "x[0]", "(n or 1)", "-n", "f'{n}'", "len(x)", "{}"])


def _expr_strategy():
    if hypothesmith is None:
        return SIMPLE_ARGS
    grammar = hypothesmith.from_grammar(start="eval_input").map(lambda s: s.strip())
    return st.one_of(SIMPLE_ARGS, grammar.filter(lambda s: s and "\n" not in s and "\\" not in s and len(s) < 60))


ARG = _expr_strategy()

CALLS = st.one_of(
    ARG.map(lambda a: f"time.sleep({a})"),
    st.sampled_from(["u", "u + '/x'", "f'{u}?q={n}'"]).map(lambda a: f"requests.get({a})"),
    st.sampled_from(["p", "p, 'rb'", "p, encoding='utf-8'"]).map(lambda a: f"open({a}).read()"),
    st.sampled_from(["'ls'", "'ls', '-l'", "'git', 'status', p"]).map(lambda a: f"subprocess.run([{a}])"),
    st.sampled_from(["['a']", "['b'], check=True", "argv, cwd=p"]).map(lambda a: f"subprocess.run({a})"),
)

# one line, `{c}` is the blocking call
LINE = st.sampled_from([
    "{c}",
    "v = {c}",
    "v = {c}.real if False else 0",
    "v = {c}[0] if False else 0",
    "v = ({c}, 1)",
    "v = [{c}]",
    "v = -({c} or 0)",
    "v = 1 if {c} else 2",
    "v = not {c}",
    "v = str({c}) + 'x'",
    "v = {{'k': {c}}}",
    'v = f"{{{c}}}"',
    "print({c}, end='')",
    "v = [{c} for _ in range(2)]",
    "v = {{k: {c} for k in 'ab'}}",
    "await asyncio.sleep(0, {c})",
    "assert {c} or True",
    "v = x if x else {c}",
])
# a header that opens a body (indented by 4)
BLOCK = st.sampled_from([
    "if flag:",
    "for _ in range(2):",
    "while flag:",
    "with ctx():",
    "async with ctx() as c:",
    "try:",
    "async def inner():",
    "if {c}:",
    "for _ in {c}:",
    "with {c}:",
])


@st.composite
def statements(draw, depth=0):
    out = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.booleans()):
            head = draw(BLOCK)
            if "{c}" in head:
                head = head.format(c=draw(CALLS))
            out.append(head)
            body = draw(statements(depth + 1))
            out.extend("    " + ln for ln in body)
            if head == "try:":
                out.append("except Exception:")
                out.append("    pass")
            if head.startswith("while"):
                out.append("    break")
            if head == "async def inner():":
                out.append("await inner()")
        else:
            out.append(draw(LINE).format(c=draw(CALLS)))
    return out


@st.composite
def modules(draw):
    header = []
    if draw(st.booleans()):
        header.append('"""Generated."""')
    if draw(st.booleans()):
        header.append("from __future__ import annotations")
    if draw(st.booleans()):
        header.append("import asyncio")
    header += ["import subprocess", "import time", "", "import requests", "", ""]
    body = draw(statements())
    lines = header + ["async def target(u, p, n, flag, ctx, x, argv):"] + ["    " + ln for ln in body] + ["    return None", ""]
    text = "\n".join(lines)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.booleans())
    return text, newline, bom


def _analyse(path: Path, s):
    return run([str(path)], s, use_cache=False)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # generated expressions like `1()` warn when compiled
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(modules())
def test_injected_blocking_calls_are_fixed(mod):
    text, newline, bom = mod
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "gen.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        assume(False)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8")
    with tempfile.TemporaryDirectory() as d:
        old = os.getcwd()
        os.chdir(d)
        try:
            path = Path(d) / "gen.py"
            path.write_bytes(data)
            s = load_settings([str(path)], None, {}, isolated=True)
            res = _analyse(path, s)
            injected = [x for x in res.diagnostics if x.code in CODES]
            assert injected, "every generated function has at least one blocking call"
            out = apply_fixes(res, unsafe=True, write=True, settings=s, echo_errors=False)
            assert not out.errors
            fixed = path.read_bytes()
            assert fixed.startswith(b"\xef\xbb\xbf") == bom
            if newline == "\r\n":
                assert b"\n" not in fixed.replace(b"\r\n", b"")
            new_text = fixed.decode("utf-8-sig")
            cst.parse_module(new_text)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(new_text, "gen.py", "exec", dont_inherit=True)
            again = _analyse(path, s)
            left = [(x.code, x.location.row, x.statement) for x in again.diagnostics if x.code in CODES]
            assert left == [], new_text
            # idempotent
            out2 = apply_fixes(again, unsafe=True, write=True, settings=s, echo_errors=False)
            assert out2.fixed == 0 and path.read_bytes() == fixed
        finally:
            os.chdir(old)
