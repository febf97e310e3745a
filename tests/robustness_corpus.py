"""Inputs for the robustness and fuzz tests, generated at test time (nothing third-party is stored).

* :func:`hostile_files` -- named byte strings that stress decoding, parsing and nesting limits.
* :func:`seed_sources` / mutation helpers -- real repository files, cut, shuffled and re-indented.
* :func:`async_programs` -- a hypothesis strategy for whole modules full of async code (loops,
  comprehensions, nested defs, decorators, ``match``, PEP 695 syntax) with ``time.sleep`` calls
  injected at known lines; ``Program.expected`` lists the lines that must be reported as FAK103.
* :func:`cli` -- the real click CLI run in-process; :func:`cli_subprocess` -- the installed CLI in
  a child process with a timeout (for inputs that could hang or kill the process).
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

GOOD_SOURCE = b"import time\n\n\nasync def good_handler():\n    time.sleep(1)\n"
GOOD_LINE = 5  # the FAK103 line of GOOD_SOURCE


# ---- running the CLI ------------------------------------------------------------------------------


def cli(args: Sequence[str], cwd, input=None) -> Tuple[int, str, str]:
    """Run ``fakeasync-lint`` in-process (click's CliRunner); (exit code, stdout, stderr).  ``input``: str or
    bytes for standard input.

    Exceptions are *caught* by the runner and turned into a failing exit code plus the traceback on
    stderr, so a crash shows up as a test failure with the traceback, not as an error in the harness.
    """
    import traceback

    from click.testing import CliRunner

    from fakeasync_lint.cli import main

    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = CliRunner().invoke(main, list(args), input=input, catch_exceptions=True)
    finally:
        os.chdir(old)
    err = res.stderr
    if res.exc_info is not None and not issubclass(res.exc_info[0], SystemExit):
        err += "\nTraceback (from CliRunner):\n" + "".join(traceback.format_exception(*res.exc_info))
    return res.exit_code, res.stdout, err


def cli_exe() -> List[str]:
    exe = Path(sys.executable).with_name("fakeasync-lint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "fakeasync_lint"]


def cli_subprocess(args: Sequence[str], cwd, timeout: float = 120) -> subprocess.CompletedProcess:
    """The installed CLI in a child process; raises ``subprocess.TimeoutExpired`` on a hang."""
    env = dict(os.environ)
    env.pop("FAKEASYNC_DEBUG", None)
    return subprocess.run([*cli_exe(), *args], cwd=str(cwd), capture_output=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def make_project(root: Path, files: Dict[str, bytes]) -> Path:
    """A tmp project: ``pyproject.toml`` with an empty tool table plus ``files`` (relative path -> bytes)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


# ---- hostile single files ---------------------------------------------------------------------------


def nested_brackets(n: int = 1000) -> bytes:
    return b"x = " + b"[" * n + b"]" * n + b"\n"


def nested_blocks(n: int = 99, async_: bool = True) -> bytes:
    """``n`` nested blocks (CPython allows at most 100 indentation levels) with a blocking call at the bottom."""
    kinds = [b"if x:", b"for i in y:", b"while z:", b"with a:", b"try:"]
    out = [b"import time\n\n\nasync def deep():\n" if async_ else b"import time\n\n\ndef deep():\n"]
    depth = 1
    for i in range(n - 1):
        k = kinds[i % len(kinds)]
        out.append(b"    " * depth + k + b"\n")
        depth += 1
    out.append(b"    " * depth + b"time.sleep(1)\n")
    # close the try: blocks
    for i in reversed(range(n - 1)):
        if kinds[i % len(kinds)] == b"try:":
            out.append(b"    " * (i + 1) + b"finally:\n" + b"    " * (i + 2) + b"pass\n")
    return b"".join(out)


def nested_blocks_line(n: int = 99) -> int:
    return 4 + (n - 1) + 1


def big_file(lines: int = 50_000, dense: bool = False) -> Tuple[bytes, int]:
    """A plausible module of ``lines`` lines; returns (bytes, line of the one blocking call at the end).

    The default mix (comment, docstring, two statements per handler; ~1 MB) is what the default test run
    uses; ``dense=True`` (loops and arithmetic on every line; ~1.1 MB) costs about twice as much.
    """
    parts = ['"""A generated module of many small handlers."""\nimport asyncio\nimport time\n']
    count, i = 3, 0
    while count < lines - 4:
        if dense:
            block = (
                f"\n\nasync def handler_{i}(request, n: int = {i}):\n"
                f"    total = 0\n"
                f"    for k in range(n):\n"
                f"        total += k * {i % 7}\n"
                f"    await asyncio.sleep(0)\n"
                f"    return {{'id': {i}, 'total': total}}\n"
            )
        else:
            block = (f"\n\n# ---- handler {i} ----\nasync def handler_{i}(request):\n"
                     f"    \"\"\"Handle request {i}.\"\"\"\n    await asyncio.sleep(0)\n    return {i}\n")
        parts.append(block)
        count += block.count("\n")
        i += 1
    parts.append("\n\nasync def last():\n    time.sleep(1)\n")
    text = "".join(parts)
    return text.encode(), text.count("\n")


def hostile_files() -> Dict[str, Tuple[bytes, str]]:
    """name -> (bytes, expectation), expectation one of:

    ``"fak000"``   the file must be reported as FAK000 (nothing else from it is required);
    ``"clean"``    analysed, no diagnostic;
    ``"report:N"`` analysed, a FAK103 at line N (no lost code; ``report:any``: at any line);
    ``"either:N"`` FAK000, or analysed with a FAK103 at line N (syntax newer than this Python, or a
                   limit of the parser: either way never silently dropped).
    """
    sleep = b"import time\n\n\nasync def f():\n    time.sleep(1)\n"
    latin1 = "# -*- coding: latin-1 -*-\nimport time\n\n\nasync def caf\u00e9():\n    s = 'd\u00e9j\u00e0 vu'\n    time.sleep(1)\n"
    return {
        "empty.py": (b"", "clean"),
        "only_comment.py": (b"# nothing here", "clean"),
        "only_ws.py": (b"   \n\t\n\x0c\n", "clean"),
        "null_bytes.py": (b"import time\nx = 1\x00\nasync def f():\n    time.sleep(1)\n", "fak000"),
        "bad_utf8.py": (b"import time\nx = '\xff\xfe\xc3('\n", "fak000"),
        "bad_utf8_cookie.py": (b"# -*- coding: utf-8 -*-\nx = '\xc3\x28'\n", "fak000"),
        "unknown_cookie.py": (b"# -*- coding: klingon -*-\nx = 1\n", "fak000"),
        "bom_with_latin1_cookie.py": (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "fak000"),
        "latin1_cookie.py": (latin1.encode("latin-1"), "report:7"),
        "bom.py": (b"\xef\xbb\xbf" + sleep, "report:5"),
        "bom_only.py": (b"\xef\xbb\xbf", "clean"),
        "crlf.py": (sleep.replace(b"\n", b"\r\n"), "report:5"),
        "cr_only.py": (sleep.replace(b"\n", b"\r"), "report:any"),  # row: see test_cr_only_newlines_rows
        "no_final_newline.py": (sleep.rstrip(b"\n"), "report:5"),
        "form_feed.py": (b"\x0c" + sleep, "report:5"),
        "tabs_only.py": (sleep.replace(b"    ", b"\t"), "report:5"),
        "mixed_tabs_spaces.py": (b"async def f():\n\tif x:\n        pass\n", "fak000"),
        "mixed_tabs_spaces2.py": (b"async def f():\n        if x:\n\t    pass\n", "fak000"),
        "tab_then_spaces_consistent.py": (b"import time\nasync def f():\n\tif 1:\n\t    time.sleep(1)\n", "report:4"),
        "trailing_backslash.py": (b"x = 1 \\", "fak000"),
        "unterminated_string.py": (b"x = '''abc\n", "fak000"),
        "unicode_idents.py": ("import time\n\n\nasync def \u00fcber():\n    \u00e9t\u00e9 = 1\n    time.sleep(\u00e9t\u00e9)\n".encode(), "report:6"),
        "deep_blocks_99.py": (nested_blocks(99), f"report:{nested_blocks_line(99)}"),
        "deep_blocks_101.py": (nested_blocks(101), "fak000"),  # CPython: too many levels of indentation
        "deep_brackets_1000.py": (nested_brackets(1000), "fak000"),  # CPython: "too many nested parentheses"
        "deep_brackets_150.py": (nested_brackets(150), "clean"),
        "long_and_chain_300.py": (b"import time\n\n\nasync def f(a):\n    time.sleep(1)\n    return a"
                                  + b" and a" * 300 + b"\n", "report:5"),
        # valid only on Python 3.14 (PEP 758: except without parentheses; PEP 750: template strings)
        "py314_except.py": (b"import time\n\n\nasync def f():\n    try:\n        pass\n    except ValueError, TypeError:\n"
                            b"        pass\n    time.sleep(1)\n", "either:9"),
        "py314_tstring.py": (b"import time\n\n\nasync def f(name):\n    x = t'hello {name}'\n    time.sleep(1)\n",
                             "either:6"),
        "py312_pep695.py": (b"import time\n\ntype Alias[T] = list[T]\n\n\nclass Box[T]:\n    async def get[U](self, x: U) -> U:\n"
                            b"        time.sleep(1)\n        return x\n", "either:8"),
        "random_bytes.py": (random.Random(1234).randbytes(4096), "fak000"),
    }


# ---- mutations of real files ------------------------------------------------------------------------


def seed_paths() -> List[Path]:
    seeds = sorted((FIXTURES / "seed_app").rglob("*.py"))
    seeds += sorted(p for p in FIXTURES.glob("*.py"))
    seeds += sorted((ROOT / "fakeasync_lint").glob("*.py"))[:8]
    return [p for p in seeds if p.is_file()]


def seed_sources() -> Dict[str, bytes]:
    return {str(p.relative_to(ROOT)): p.read_bytes() for p in seed_paths()}


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(0, max(1, len(data)))]


def splice_garbage(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(0, max(1, len(data)))
    return data[:i] + rng.randbytes(rng.randrange(1, 16)) + data[i:]


def flip_bytes(data: bytes, rng: random.Random, n: int = 3) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def retab(data: bytes, rng: random.Random) -> bytes:
    """Replace the indentation of random lines by tabs (or tabs+spaces): mixed indentation."""
    out = []
    for line in data.split(b"\n"):
        stripped = line.lstrip(b" ")
        n = len(line) - len(stripped)
        if n and rng.random() < 0.3:
            line = b"\t" * (n // 8) + b" " * (n % 8) if rng.random() < 0.5 else b"\t" * (n // 4) + stripped
            if not line.endswith(stripped):
                line += stripped
        out.append(line)
    return b"\n".join(out)


def shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i, j = sorted(rng.sample(range(len(lines)), 2)) if len(lines) > 2 else (0, 0)
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


MUTATIONS = {
    "truncate": truncate,
    "splice": splice_garbage,
    "flip": flip_bytes,
    "retab": retab,
    "shuffle": shuffle_lines,
    "crlf": lambda d, rng: d.replace(b"\n", b"\r\n"),
    "bom": lambda d, rng: b"\xef\xbb\xbf" + d,
}


# ---- generated async programs (hypothesis) -------------------------------------------------------


@dataclass
class Program:
    """A generated module: its text and the lines whose ``time.sleep`` must be reported (FAK103)."""

    lines: List[str] = field(default_factory=list)
    expected: List[int] = field(default_factory=list)  # 1-based lines of directly-async blocking calls
    pep695: bool = False  # uses syntax newer than 3.11 (compile() may reject it on this Python)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def add(self, indent: int, line: str, blocking: bool = False) -> None:
        self.lines.append("    " * indent + line)
        if blocking:
            self.expected.append(len(self.lines))


HEADER = [
    "import asyncio",
    "import functools",
    "import subprocess",
    "import time",
    "import requests",
    "",
    "",
    "def deco(fn):",
    "    return fn",
    "",
    "",
    "def param_deco(*a, **k):",
    "    return deco",
    "",
    "",
    "class app:",
    "    get = staticmethod(param_deco)",
    "    post = staticmethod(param_deco)",
    "",
    "",
    "async def agen():",
    "    yield 1",
    "",
    "",
    "class actx:",
    "    async def __aenter__(self):",
    "        return self",
    "",
    "    async def __aexit__(self, *exc):",
    "        return False",
    "",
]


def async_programs(max_items: int = 5, max_depth: int = 3):
    """Hypothesis strategy of :class:`Program`; built lazily so importing this module needs no hypothesis."""
    from hypothesis import strategies as st

    names = st.sampled_from(["a", "b", "c", "item", "row", "value", "n_", "x1", "data", "\u00e9t\u00e9"])
    small = st.integers(min_value=0, max_value=5)
    exprs = st.one_of(
        small.map(str),
        names,
        st.sampled_from([
            "None", "'text'", "f'{a!r:>10}'", "[a, *b]", "{'k': a, **c}", "(a if b else c)", "a[1:2, ...]",
            "lambda q: q + 1", "(y := 3)", "not a", "a @ b", "-a ** 2", "b'bytes'", "{a for a in range(2)}",
            "await asyncio.sleep(0)", "requests.Session", "subprocess.PIPE", "functools.partial(time.sleep, 1)",
        ]),
    )

    @st.composite
    def program(draw):
        prog = Program(lines=list(HEADER))
        counter = [0]

        def fresh(prefix):
            counter[0] += 1
            return f"{prefix}{counter[0]}"

        def decorators(indent):
            for d in draw(st.lists(st.sampled_from(
                    ["@deco", "@param_deco(1, key='v')", "@app.get('/items/{id}')", "@app.post('/x')",
                     "@functools.wraps(deco)"]), max_size=2)):
                prog.add(indent, d)

        def type_params():
            if draw(st.booleans()) and draw(st.booleans()):
                prog.pep695 = True
                return draw(st.sampled_from(["[T]", "[T: int]", "[T, *Ts]", "[**P]", "[T: (int, str), U]"]))
            return ""

        def block(indent, depth, in_async, in_loop, no_return=False):
            """At least one statement at ``indent``; ``in_async``: the code runs directly in an async def."""
            n = draw(st.integers(min_value=1, max_value=3))
            for _ in range(n):
                stmt(indent, depth, in_async, in_loop, no_return)

        def stmt(indent, depth, in_async, in_loop, no_return=False):
            kinds = ["sleep", "assign", "expr", "pass"] + ([] if no_return else ["return"])
            if in_async:
                kinds += ["await", "comp", "sleep", "sleep_arg"]
            if in_loop:
                kinds += ["break", "continue"]
            if depth < max_depth:
                kinds += ["for", "while", "if", "with", "try", "nested_sync", "nested_async", "match", "lambda"]
                if in_async:
                    kinds += ["async_for", "async_with"]
            kind = draw(st.sampled_from(kinds))
            if kind == "sleep":
                prog.add(indent, "time.sleep(1)", blocking=in_async)
            elif kind == "sleep_arg":
                prog.add(indent, f"{draw(names)} = time.sleep({draw(exprs)})", blocking=in_async)
            elif kind == "assign":
                e = draw(exprs)
                prog.add(indent, f"{draw(names)} = {e if in_async or 'await' not in e else 0}")
            elif kind == "expr":
                e = draw(exprs)
                prog.add(indent, e if in_async or "await" not in e else "...")
            elif kind == "pass":
                prog.add(indent, "pass")
            elif kind == "return":
                prog.add(indent, "return" if draw(st.booleans()) else "return None")
            elif kind == "await":
                prog.add(indent, "await asyncio.sleep(0)")
            elif kind == "comp":
                shape = draw(st.sampled_from(["[{} for _ in range(2)]", "{{{} for _ in range(2)}}",
                                              "{{k: {} for k in range(2)}}", "[[{} for _ in r] for r in ([1],)]"]))
                prog.add(indent, f"{draw(names)} = " + shape.format("time.sleep(0)"), blocking=True)
            elif kind == "lambda":
                prog.add(indent, f"{draw(names)} = lambda: time.sleep(0)")  # not run here: not required
            elif kind == "break":
                prog.add(indent, "break")
            elif kind == "continue":
                prog.add(indent, "continue")
            elif kind in ("for", "async_for"):
                head = "async for" if kind == "async_for" else "for"
                src = "agen()" if kind == "async_for" else draw(st.sampled_from(["range(3)", "[a, b]", "data"]))
                prog.add(indent, f"{head} {draw(names)} in {src}:")
                block(indent + 1, depth + 1, in_async, True, no_return)
                if draw(st.booleans()):
                    prog.add(indent, "else:")
                    block(indent + 1, depth + 1, in_async, in_loop, no_return)
            elif kind == "while":
                prog.add(indent, f"while {draw(names)}:")
                block(indent + 1, depth + 1, in_async, True, no_return)
            elif kind == "if":
                prog.add(indent, f"if {draw(exprs) if in_async else draw(names)}:")
                block(indent + 1, depth + 1, in_async, in_loop, no_return)
                if draw(st.booleans()):
                    prog.add(indent, f"elif {draw(names)}:")
                    block(indent + 1, depth + 1, in_async, in_loop, no_return)
                if draw(st.booleans()):
                    prog.add(indent, "else:")
                    block(indent + 1, depth + 1, in_async, in_loop, no_return)
            elif kind == "with":
                prog.add(indent, f"with {draw(st.sampled_from(['deco(a)', 'open(a)', 'x1']))} as {draw(names)}:")
                block(indent + 1, depth + 1, in_async, in_loop, no_return)
            elif kind == "async_with":
                prog.add(indent, f"async with actx() as {draw(names)}:")
                block(indent + 1, depth + 1, in_async, in_loop, no_return)
            elif kind == "try":
                prog.add(indent, "try:")
                block(indent + 1, depth + 1, in_async, in_loop, no_return)
                handler = draw(st.sampled_from(["except Exception:", "except (ValueError, KeyError) as e:",
                                                "except* OSError:", "finally:"]))
                prog.add(indent, handler)
                # no break/continue/return in an except* block (a SyntaxError), nor in nested blocks of it
                block(indent + 1, depth + 1, in_async, False, no_return=no_return or handler.startswith("except*"))
            elif kind == "match":
                prog.add(indent, f"match {draw(names)}:")
                pats = draw(st.lists(st.sampled_from(["1", "[a, *rest]", "{'k': v}", "str() as s", "_"]),
                                     min_size=1, max_size=3, unique=True))
                for pat in sorted(pats, key=lambda p: p == "_"):  # the wildcard must come last
                    prog.add(indent + 1, f"case {pat}:")
                    block(indent + 2, depth + 1, in_async, in_loop, no_return)
            elif kind in ("nested_sync", "nested_async"):
                is_async = kind == "nested_async"
                decorators(indent)
                name = fresh("inner")
                prog.add(indent, f"{'async ' if is_async else ''}def {name}{type_params()}(a, *args, b=1, **kw):")
                block(indent + 1, depth + 1, is_async, False)

        def top_item():
            kind = draw(st.sampled_from(["async_def", "async_def", "sync_def", "class", "type_alias", "global"]))
            if kind == "global":
                prog.add(0, f"{fresh('G')} = {draw(small)}")
            elif kind == "type_alias":
                prog.pep695 = True
                prog.add(0, f"type {fresh('Alias')} = int" if draw(st.booleans())
                         else f"type {fresh('Alias')}[T, *Ts] = dict[T, tuple[*Ts]]")
            elif kind == "class":
                prog.add(0, f"class {fresh('C')}{type_params()}:")
                prog.add(1, "attr = 1")
                for _ in range(draw(st.integers(min_value=0, max_value=2))):
                    is_async = draw(st.booleans())
                    decorators(1)
                    prog.add(1, f"{'async ' if is_async else ''}def {fresh('m')}{type_params()}(self, a=None):")
                    block(2, 1, is_async, False)
            else:
                is_async = kind == "async_def"
                decorators(0)
                prog.add(0, f"{'async ' if is_async else ''}def {fresh('f')}{type_params()}(a=None, b=None, *, c=0):")
                block(1, 1, is_async, False)
            prog.add(0, "")
            prog.add(0, "")

        for _ in range(draw(st.integers(min_value=1, max_value=max_items))):
            top_item()
        return prog

    return program()
