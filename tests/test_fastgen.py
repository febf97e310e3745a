"""The walk's fast paths (fakeasync_lint/fastgen.py) must not change a single fact, and must not
change libcst's own code generation for any other state."""
from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import libcst as cst
import pytest

from fakeasync_lint import analysis, fastgen

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(asyncio.__file__).resolve().parent.parent


def _sources():
    files = sorted(ROOT.joinpath("fixtures").rglob("*.py"))
    files += sorted(STDLIB.joinpath("asyncio").glob("*.py"))[:25]
    files += [STDLIB / n for n in ("typing.py", "dataclasses.py", "argparse.py", "tokenize.py", "inspect.py")
              if (STDLIB / n).exists()]
    return files


HOSTILE = [
    b"x = (((a)))\ny = [ (b) , ( c ) ]\n",
    b"x = 1 + \\\n    2\nif (a and\n    b):\n    pass\n",
    b"def f(a, b=(1), *c, **d):\n    return ((a))(b)[c]\n",
    b"async def g():\n    await (x.y)( z )\n    async with (a as b, c as d):\n        pass\n",
    b"x = 1\r\ny = (2 +\r\n 3)\rz = 4\n",
    b"class C((B)):\n    x: (int) = (1)\n",
    b"l = [(i) for (i) in (range(3)) if (i)]\n",
    b"f(*(a), **(b))\n",
]


def _summaries(paths, extra):
    out = []
    for p in paths:
        out.append(analysis.analyze(p.read_bytes(), str(p), "m"))
    for i, data in enumerate(extra):
        out.append(analysis.analyze(data, f"h{i}.py", "h"))
    return json.dumps(out, sort_keys=True, default=list)


def test_fast_paths_are_installed():
    assert fastgen.installed()


def test_summaries_identical_with_and_without_fast_paths():
    paths = _sources()
    assert len(paths) > 40
    fast = _summaries(paths, HOSTILE)
    fastgen.uninstall()
    try:
        assert not fastgen.installed()
        slow = _summaries(paths, HOSTILE)
    finally:
        assert fastgen.install(analysis._Walker, (analysis._BEFORE, analysis._AFTER))
    assert fast == slow


@pytest.mark.parametrize("src", HOSTILE)
def test_libcst_codegen_unchanged_for_other_states(src):
    text = src.decode()
    assert fastgen.installed()
    assert cst.parse_module(text).code == text
    # a position provider (another CodegenState subclass) still sees every whitespace node
    wrapper = cst.metadata.MetadataWrapper(cst.parse_module(text))
    pos = wrapper.resolve(cst.metadata.WhitespaceInclusivePositionProvider)
    assert any(isinstance(n, cst.SimpleWhitespace) for n in pos)


def test_parse_without_revalidation_leaves_other_nodes_validated():
    import threading

    text = "async def f():\n    await g(x, y=(1))\n"
    tree = fastgen.parse_module(text)
    assert tree.code == text
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")  # built outside the parse: still validated
    with pytest.raises(cst.CSTValidationError):
        cst.Name("x", lpar=[cst.LeftParen()])  # unbalanced parentheses
    errors = []

    def other_thread():
        try:
            cst.Name("")
        except cst.CSTValidationError:
            errors.append("validated")

    t = threading.Thread(target=other_thread)
    t.start()
    t.join()
    assert errors == ["validated"]
    # and the parser output equals what libcst builds with validation
    assert fastgen.parse_module(text).deep_equals(cst.parse_module(text))
