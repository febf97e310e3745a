"""Property-based robustness: generated modules never crash the analysis, the CLI or the fixer.

Generators: hypothesmith (``from_grammar``: any string the Python grammar accepts; ``from_node``: a
libcst tree built node by node) and :func:`robustness_corpus.async_programs` (async-heavy modules
with ``time.sleep`` injected at known lines, which must all be reported: no lost code).

Budget: ``FAKEASYNC_FUZZ_EXAMPLES`` examples per test (default 25, deadline none).  The long run::

    FAKEASYNC_FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py -q -p no:cacheprovider

(see docs/robustness.md for the numbers measured).
"""
from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path

import libcst as cst
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fakeasync_lint import analysis  # noqa: E402
from robustness_corpus import async_programs, cli, make_project  # noqa: E402

EXAMPLES = int(os.environ.get("FAKEASYNC_FUZZ_EXAMPLES", "25"))
_COMMON = dict(
    deadline=None,
    database=None,  # nothing written to .hypothesis/; a failure prints the falsifying example
    suppress_health_check=list(HealthCheck),
)
FUZZ = settings(max_examples=EXAMPLES, **_COMMON)
# hypothesmith.from_node() costs ~0.3 s an example: 10 in the default run, the full budget in a long one
FUZZ_SLOW = settings(max_examples=EXAMPLES if "FAKEASYNC_FUZZ_EXAMPLES" in os.environ else 10, **_COMMON)

try:  # hypothesmith is a test-only extra (see docs/robustness.md); the own strategy runs without it
    import hypothesmith
except ImportError:  # pragma: no cover
    hypothesmith = None
needs_hypothesmith = pytest.mark.skipif(hypothesmith is None, reason="hypothesmith is not installed")


def _check_summary(summary: dict, source: str) -> None:
    """A summary is well-formed; an error is a [line, column, message] triple."""
    assert summary["v"] == analysis.SUMMARY_VERSION
    err = summary["error"]
    if err is not None:
        line, col, msg = err
        assert isinstance(line, int) and isinstance(col, int) and line >= 1 and col >= 1
        assert isinstance(msg, str) and msg
    json.dumps(summary)  # the cache stores it as JSON


def _analyse_text(source: str) -> dict:
    data = source.encode("utf-8", "surrogatepass")  # hypothesmith may emit lone surrogates
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings from ast.parse on odd but valid code
        s = analysis.analyze(data, "/tmp/fuzz/mod.py", "mod")
    _check_summary(s, source)
    return s


def _valid_for_libcst(source: str) -> bool:
    """Stored as UTF-8, the bytes decode as Python reads a file (a generated coding cookie may say otherwise,
    lone surrogates do not encode), and libcst parses the result."""
    try:
        text, err = analysis.decode_source(source.encode("utf-8"))
        if err is not None:
            return False
        cst.parse_module(text)
        return True
    except Exception:
        return False


# ---- analysis.analyze on any grammatical module ----------------------------------------------------


@needs_hypothesmith
@FUZZ
@given(source=st.deferred(lambda: hypothesmith.from_grammar()))
def test_analyze_never_raises_from_grammar(source):
    s = _analyse_text(source)
    if s["error"] is not None and _valid_for_libcst(source):
        # libcst parses it, so only the walk can have failed: that is lost code
        assert "nested too deeply" in s["error"][2], s["error"]


@needs_hypothesmith
@FUZZ_SLOW
@given(source=st.deferred(lambda: hypothesmith.from_node()))
def test_analyze_never_raises_from_node(source):
    s = _analyse_text(source)
    if s["error"] is not None:
        assert "nested too deeply" in s["error"][2] or not _valid_for_libcst(source), s["error"]


# ---- own strategy: async-heavy modules, through the whole CLI ------------------------------------------


def _fak103_lines(out: str, name: str):
    return sorted(d["location"]["row"] for d in json.loads(out) if d["code"] == "FAK103" and d["path"] == name)


@FUZZ
@given(progs=st.lists(async_programs(), min_size=1, max_size=3))
def test_generated_async_programs_through_cli(progs):
    with tempfile.TemporaryDirectory() as tmp:
        files = {f"pkg/mod{i}.py": p.text.encode() for i, p in enumerate(progs)}
        files["pkg/__init__.py"] = b""
        root = make_project(Path(tmp), files)
        for i, p in enumerate(progs):
            s = _analyse_text(p.text)
            assert s["error"] is None, (s["error"], p.text)
        code, out, err = cli(["check", "--no-cache", "--format", "json", "-j", "1", "."], cwd=root)
        assert "Traceback" not in err, err
        assert code in (0, 1), err
        assert code == (1 if json.loads(out) else 0)
        for i, p in enumerate(progs):
            reported = _fak103_lines(out, f"pkg/mod{i}.py")
            missing = sorted(set(p.expected) - set(reported))
            assert not missing, f"blocking calls not reported at lines {missing}:\n{p.text}"
        assert not [d for d in json.loads(out) if d["code"] == "FAK000"], out


@FUZZ
@given(prog=async_programs(max_items=4))
def test_fixer_on_generated_programs(prog):
    """``check --fix --unsafe-fixes``: every fixed file still parses (and compiles when it did before)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp), {"mod.py": prog.text.encode(), "plain.py": b"x = 1\n"})
        compiled_before = _compiles(prog.text)
        code, out, err = cli(["check", "--no-cache", "--fix", "--unsafe-fixes", "-j", "1", "--format", "json", "."],
                             cwd=root)
        assert "Traceback" not in err, err
        assert code in (0, 1), err
        fixed = (root / "mod.py").read_text(encoding="utf-8")
        cst.parse_module(fixed)  # raises on a broken fix
        if compiled_before:
            assert _compiles(fixed), f"the fixed file no longer compiles:\n{fixed}"
        assert (root / "plain.py").read_bytes() == b"x = 1\n"
        # a second pass is stable: the result still parses and the CLI is still clean of tracebacks
        code2, _, err2 = cli(["check", "--no-cache", "--fix", "--unsafe-fixes", "-j", "1", "."], cwd=root)
        assert "Traceback" not in err2 and code2 in (0, 1), err2
        cst.parse_module((root / "mod.py").read_text(encoding="utf-8"))


def _compiles(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "mod.py", "exec", dont_inherit=True)
        return True
    except (SyntaxError, ValueError):
        return False


@needs_hypothesmith
@FUZZ
# hypothesmith compiles what it generates ("<string>"): odd but valid code makes CPython warn there
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@given(source=st.deferred(lambda: hypothesmith.from_grammar(auto_target=False)))
def test_cli_and_fixer_never_crash_on_grammar_modules(source):
    """Any grammatical module with a blocking async function appended: CLI and fixer stay well-behaved."""
    text = source + ("\n" if source and not source.endswith("\n") else "") + \
        "import time\n\n\nasync def injected():\n    time.sleep(1)\n"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates: covered by the analysis-level test
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp), {"mod.py": data})
        code, out, err = cli(["check", "--no-cache", "--format", "json", "-j", "1", "."], cwd=root)
        assert "Traceback" not in err, err
        assert code == 1, err  # the injected call, or FAK000 when the combined text does not parse
        diags = json.loads(out)
        assert any(d["code"] in ("FAK103", "FAK000") for d in diags), diags
        code, _, err = cli(["check", "--no-cache", "--fix", "--unsafe-fixes", "-j", "1", "."], cwd=root)
        assert "Traceback" not in err and code in (0, 1), err
        after = (root / "mod.py").read_bytes()
        if after != data:
            cst.parse_module(after.decode("utf-8"))


# ---- mutated real files -------------------------------------------------------------------------------------


def _seeds():
    from robustness_corpus import seed_sources

    return sorted((n, d) for n, d in seed_sources().items() if len(d) < 40_000)


@FUZZ
@given(seed=st.sampled_from(_seeds()), mutations=st.lists(st.sampled_from(sorted(__import__(
    "robustness_corpus").MUTATIONS)), min_size=1, max_size=3), rnd=st.randoms(use_true_random=False))
def test_mutated_seed_files(seed, mutations, rnd):
    from robustness_corpus import MUTATIONS

    data = seed[1]
    for m in mutations:
        data = MUTATIONS[m](data, rnd)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = analysis.analyze(data, "/tmp/fuzz/mut.py", "mut")
    _check_summary(s, "")
    text, derr = analysis.decode_source(data)
    if derr is None and s["error"] is None:
        cst.parse_module(text)  # an error-free summary only for text that parses
