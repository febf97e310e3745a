"""Apply fix edits to files: ``check --fix``, ``--unsafe-fixes`` and ``--diff``.

How it works, per file:

1. The file's bytes are decoded as Python does (BOM, coding cookie, UTF-8), and its newline style
   is noted.  Fix edits use ``"\\n"``; inserted text is converted to the file's newline.
2. The applicable fixes (safe; with ``unsafe`` also unsafe; never display-only) are checked against
   the text (the reported range must still hold the reported statement) and sorted outermost
   first.  A fix whose edits overlap an already accepted fix is *deferred* — with one exception:
   two calls of one chain (``open(p).read()``) both insert at the chain's start, and the outer
   insertion simply goes first, which nests the two rewrites correctly.  An edit at the same spot as
   another (two insertions, or an insertion where a replacement starts) counts as overlapping, as in
   ruff.  ``import asyncio`` edits are de-duplicated.
3. Fixes whose rewrite would land inside a generator expression are dropped (an ``await`` there
   turns it into an async generator).
4. The new text must parse with libcst, and, when the original compiles, must compile too
   (``await`` outside an async function is caught there).  If the combined result does not, the
   fixes are tried one at a time and only those that keep the file valid are kept.
5. Passes: when some fixes were deferred or dropped and ``settings`` is given, the fixed text is
   analysed again *in memory* (``runner.run`` with the text as stdin) and the next pass applies
   what is fixable now, up to ``max_passes``.  Without ``settings`` one pass is made; the caller's
   re-check reports what is left.  Intermediate states are never written.
6. Writing (``write=True``): only changed files; never a file whose original does not parse; never a
   read-only file or one that changed on disk since it was read; atomically (a temporary file in
   the target's directory, then ``os.replace``), through symlinks (the link is kept, its target is
   rewritten), with the file's mode (and owner, when allowed), encoding, BOM and newlines kept.

``--diff`` (``write=False``) computes the same result and returns it as a unified diff.
"""
from __future__ import annotations

import difflib
import io
import os
import re
import stat
import sys
import tokenize
import warnings
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst

from .atomic import replace_file
from .models import SAFE, UNSAFE, Diagnostic

MAX_PASSES = 6
_WS = re.compile(r"\s+")
_IMPORT = re.compile(r"(?:import [\w.]+(?: as \w+)?|from [\w.]+ import [\w, ]+)\n")


@dataclass
class FixOutcome:
    fixed: int = 0  # diagnostics whose fix was applied (written, or in the diff)
    remaining: int = 0  # diagnostics left (exact when the fixed text was re-analysed)
    diff: str = ""  # unified diff of every change ("" when nothing changes)
    stdin_output: Optional[str] = None  # the fixed text of a --stdin-filename run
    stdin_bytes: Optional[bytes] = None  # the same in the buffer's own encoding (the input when unchanged)
    errors: List[str] = field(default_factory=list)  # files that could not be fixed or written, and why
    changed_files: List[str] = field(default_factory=list)  # absolute paths changed (or that would change)
    deferred: int = 0  # fixes not applied because they overlapped or broke the file
    passes: int = 0  # most passes used for one file


# ---- reading and writing ---------------------------------------------------------------------------


@dataclass
class _Source:
    path: str  # absolute (as reported)
    display: str
    data: bytes
    encoding: str
    text: str
    newline: str


def _decode(data: bytes) -> Tuple[Optional[str], str, str]:
    """(text or None, encoding, error)."""
    if b"\x00" in data:
        return None, "", "file contains null bytes"
    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as e:
        return None, "", f"cannot detect its encoding: {e}"
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as e:
        return None, enc, f"cannot decode it as {enc}: {e}"
    if text.startswith("\ufeff"):  # utf-8-sig strips it already; a BOM inside another codec is kept as is
        text = text[1:]
        if enc != "utf-8-sig":
            enc = "utf-8-sig"
    return text, enc, ""


from .fixes import _newline_of as _newline  # noqa: E402  (one definition of "the newline a text uses")


def _encode(text: str, enc: str) -> bytes:
    return text.encode(enc)


def _read_only(path: str, st: os.stat_result) -> bool:
    return not (st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(path, os.W_OK)


def write_atomic(path: str, data: bytes, expect: Optional[bytes] = None) -> None:
    """Replace ``path``'s content by ``data`` atomically, through symlinks, keeping mode and owner.

    Raises ``OSError`` (with a readable ``strerror``) when it cannot: the original is then untouched.
    """
    real = os.path.realpath(path)
    st = os.stat(real)
    if not stat.S_ISREG(st.st_mode):
        raise OSError(0, "not a regular file")
    if _read_only(real, st):
        raise OSError(0, "file is read-only")
    if expect is not None:
        with open(real, "rb") as fh:
            if fh.read() != expect:
                raise OSError(0, "file changed on disk while fixing")
    replace_file(real, data, prefix=f".{os.path.basename(real)}.", suffix=".fakeasync-tmp",
                 mode=stat.S_IMODE(st.st_mode), owner=(st.st_uid, st.st_gid), durable=True)


# ---- fixes as offsets ------------------------------------------------------------------------------


class _Cand:
    """One distinct fix (possibly shared by several diagnostics) as offsets into the text."""

    __slots__ = ("diags", "body", "imports", "start", "end", "rank")

    def __init__(self, diags, body, imports):
        self.diags: List[Diagnostic] = diags
        self.body: List[Tuple[int, int, str]] = body
        self.imports: List[Tuple[int, str]] = imports
        self.start = min(s for s, _, _ in body)
        self.end = max(e for _, e, _ in body)
        self.rank = 0


def _line_starts(text: str) -> List[int]:
    starts = [0]
    i = text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _offset(starts: List[int], text: str, row: int, col: int) -> Optional[int]:
    if row < 1 or col < 1:
        return None
    if row > len(starts):
        return len(text) if (row == len(starts) + 1 and col == 1 and text.endswith("\n")) else None
    line_end = (starts[row] - 1) if row < len(starts) else len(text)
    off = starts[row - 1] + col - 1
    return off if off <= line_end else None


def _candidates(src: _Source, diags: Sequence[Diagnostic], allowed) -> Tuple[List[_Cand], int]:
    """Applicable fixes as offsets; (candidates, number skipped because the text no longer matches)."""
    text = src.text
    starts = _line_starts(text)
    groups: Dict[tuple, List[Diagnostic]] = {}
    for d in diags:
        f = d.fix
        if f is None or f.applicability not in allowed or not f.edits:
            continue
        groups.setdefault(tuple(f.edits), []).append(d)
    out: List[_Cand] = []
    stale = 0
    for edits, ds in groups.items():
        d = ds[0]
        body, imports, ok = [], [], True
        for e in edits:
            s = _offset(starts, text, e.location.row, e.location.column)
            t = _offset(starts, text, e.end_location.row, e.end_location.column)
            if s is None or t is None or t < s:
                ok = False
                break
            content = e.content.replace("\n", src.newline) if src.newline != "\n" else e.content
            if s == t and e.location.column == 1 and _IMPORT.fullmatch(e.content):
                imports.append((s, content))
            else:
                body.append((s, t, content))
        if ok and body and d.statement:
            s = _offset(starts, text, d.location.row, d.location.column)
            t = _offset(starts, text, d.end_location.row, d.end_location.column)
            ok = s is not None and t is not None and _WS.sub(" ", text[s:t]).strip() == d.statement
        if not ok or not body:
            stale += len(ds)
            continue
        out.append(_Cand(ds, body, imports))
    out.sort(key=lambda c: (c.start, -c.end, min(d.sort_key() for d in c.diags)))
    for i, c in enumerate(out):
        c.rank = i
    return out, stale


def _conflict(a: Tuple[int, int, str], b: Tuple[int, int, str]) -> bool:
    s1, e1, _ = a
    s2, e2, _ = b
    if s1 < e2 and s2 < e1:
        return True  # real overlap
    if s1 == e1 and s2 == e2:
        return s1 == s2  # two insertions at one spot
    if s1 == e1:
        return s1 == s2  # an insertion where a replacement starts
    if s2 == e2:
        return s2 == s1
    return False


def _nests(outer: _Cand, inner: _Cand, a, b) -> bool:
    """Both insert at the start of a call chain they share, the accepted one enclosing the other."""
    return (a[0] == a[1] == b[0] == b[1] == inner.start == outer.start and outer.end >= inner.end)


def _select(cands: List[_Cand]) -> Tuple[List[_Cand], List[_Cand]]:
    accepted: List[_Cand] = []
    deferred: List[_Cand] = []
    for c in cands:
        clash = False
        for other in accepted:
            if other.end < c.start or c.end < other.start:
                continue
            for a in c.body:
                for b in other.body:
                    if _conflict(a, b) and not _nests(other, c, b, a):
                        clash = True
                        break
                if clash:
                    break
            if clash:
                break
        (deferred if clash else accepted).append(c)
    return accepted, deferred


def _apply(text: str, cands: Sequence[_Cand]) -> str:
    edits = []
    seen_imports = set()
    for c in cands:
        for s, content in c.imports:
            if (s, content) not in seen_imports:
                seen_imports.add((s, content))
                edits.append((s, s, -1, content, 0))
        for i, (s, e, content) in enumerate(c.body):
            edits.append((s, e, c.rank, content, i))
    # by position; at one spot insertions first, then the outer fix (lower rank) before the inner one
    edits.sort(key=lambda x: (x[0], x[1], x[2], x[4], x[3]))
    out, last = [], 0
    for s, e, _, content, _ in edits:
        if s < last:  # cannot happen after _select; never corrupt the text if it does
            raise ValueError("overlapping edits")
        out.append(text[last:s])
        out.append(content)
        last = e
    out.append(text[last:])
    return "".join(out)


# ---- validity --------------------------------------------------------------------------------------


def _parses(text: str) -> bool:
    try:
        cst.parse_module(text)
        return True
    except Exception:
        return False


def _compiles(text: str, path: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the user's SyntaxWarnings are not ours to print
            compile(text, path, "exec", dont_inherit=True)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def _genexp_ranges(text: str) -> List[Tuple[int, int]]:
    """Offsets of every generator expression (an ``await`` inside one makes it an async generator)."""
    if "for" not in text:
        return []
    try:
        mod = cst.parse_module(text)
    except Exception:
        return []

    class _Find(cst.CSTVisitor):
        found = False

        def visit_GeneratorExp(self, node):
            _Find.found = True
            return False

    mod.visit(_Find())
    if not _Find.found:
        return []
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(mod, unsafe_skip_copy=True)
    pos = wrapper.resolve(PositionProvider)
    starts = _line_starts(text)
    out = []
    for node, rng in pos.items():
        if isinstance(node, cst.GeneratorExp):
            s = _offset(starts, text, rng.start.line, rng.start.column + 1)
            e = _offset(starts, text, rng.end.line, rng.end.column + 1)
            if s is not None and e is not None:
                out.append((s, e))
    return out


class _Checker:
    def __init__(self, text: str, path: str):
        self.path = path
        self.strict = _compiles(text, path)

    def ok(self, text: str) -> bool:
        return _parses(text) and (not self.strict or _compiles(text, self.path))


# ---- imports the fixes left unused ------------------------------------------------------------------

# modules whose imports a fix can make unused: `time.sleep(x)` -> `await asyncio.sleep(x)`
_FIXED_AWAY = ("time",)


def _name_uses(text: str, skip: List[Tuple[int, int]]) -> Optional[Dict[str, int]]:
    """Identifier -> uses outside the ``skip`` offset ranges (the module's import statements).  A word
    inside a string counts as a use too (``__all__``, ``globals()["time"]``, f-strings, string
    annotations): an import is only ever removed when its name appears nowhere else.  None when the text
    does not tokenize."""
    starts = _line_starts(text)
    uses: Dict[str, int] = {}
    fstring_middle = getattr(tokenize, "FSTRING_MIDDLE", None)  # Python 3.12+: f-string text
    skip_types = (tokenize.NL, tokenize.COMMENT)
    try:
        toks = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type not in skip_types]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    line_start = (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
    for i, tok in enumerate(toks):
        if tok.type != tokenize.NAME and tok.type != tokenize.STRING and tok.type != fstring_middle:
            continue
        if tok.type == tokenize.NAME and i and toks[i - 1].string == ".":
            continue  # `x.sleep`: an attribute, not the name `sleep`
        if tok.type == tokenize.STRING and (i == 0 or toks[i - 1].type in line_start) and \
                i + 1 < len(toks) and toks[i + 1].type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            continue  # a docstring (a string statement alone) names nothing
        off = starts[tok.start[0] - 1] + tok.start[1] if tok.start[0] <= len(starts) else len(text)
        if any(a <= off < b for a, b in skip):
            continue
        if tok.type == tokenize.NAME:
            uses[tok.string] = uses.get(tok.string, 0) + 1
        else:
            for w in re.findall(r"[A-Za-z_]\w*", tok.string):
                uses[w] = uses.get(w, 0) + 1
    return uses


def _module_imports(text: str):
    """The module's top-level import statements: (module, wrapper positions, [(line statement, small
    statement)])."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    mod = cst.parse_module(text)
    wrapper = MetadataWrapper(mod, unsafe_skip_copy=True)
    pos = wrapper.resolve(PositionProvider)
    out = []
    for stmt in mod.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    out.append((stmt, small))
    return mod, pos, out


def _dotted(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return _dotted(node.value) + "." + node.attr.value
    return ""


def _bound(alias: cst.ImportAlias, from_import: bool) -> Optional[str]:
    """The name an import alias binds (``import a.b`` binds ``a``)."""
    if alias.asname is not None:
        return alias.asname.name.value if isinstance(alias.asname.name, cst.Name) else None
    name = _dotted(alias.name)
    return name if from_import else name.split(".")[0]


def fixed_away_import_edits(old: str, new: str, path: str = "",
                            target: Optional[str] = None) -> List[Tuple[int, int, str]]:
    """The edits that remove the top-level imports of ``time`` whose names the fixes used up (``new`` is
    ``old`` after the fixes): a name used in ``old`` (outside the imports) and nowhere in ``new``.
    ``import time, os`` loses ``time`` only; ``from time import sleep, monotonic`` loses ``sleep``
    only.  Left alone: an import on a line with other statements or a ``noqa`` comment,
    ``__init__.py`` (a package re-exports), and any name still written somewhere, even in a string.
    The edits are ``(start, end, content)`` offsets into ``target`` (``new`` by default; ``old`` for
    edits that go beside the fix edits, as the language server's), sorted."""
    target = new if target is None else target
    if os.path.basename(path) == "__init__.py" or not any(m in old for m in _FIXED_AWAY):
        return []
    try:
        parsed = {}
        for text in {old, new, target}:
            parsed[text] = _module_imports(text)
    except Exception:
        return []

    def spans(text):
        _m, p, ims = parsed[text]
        st = _line_starts(text)
        out = []
        for _line, small in ims:
            r = p[small]
            a = _offset(st, text, r.start.line, r.start.column + 1)
            b = _offset(st, text, r.end.line, r.end.column + 1)
            if a is not None and b is not None:
                out.append((a, b))
        return out

    before = _name_uses(old, spans(old))
    after = _name_uses(new, spans(new))
    if before is None or after is None:
        return []
    mod, pos, imps = parsed[target]
    starts = _line_starts(target)
    edits: List[Tuple[int, int, str]] = []
    for line, small in imps:
        if len(line.body) != 1 or (line.trailing_whitespace.comment is not None
                                   and "noqa" in line.trailing_whitespace.comment.value.lower()):
            continue
        if isinstance(small, cst.ImportFrom):
            if small.relative or small.module is None or _dotted(small.module) not in _FIXED_AWAY \
                    or isinstance(small.names, cst.ImportStar):
                continue
        gone = []
        for a in small.names:
            if isinstance(small, cst.Import) and _dotted(a.name).split(".")[0] not in _FIXED_AWAY:
                continue
            b = _bound(a, isinstance(small, cst.ImportFrom))
            if b and before.get(b, 0) > 0 and after.get(b, 0) == 0:
                gone.append(a)
        if not gone:
            continue
        r = pos[line]
        if len(gone) == len(small.names):  # the whole line goes (with its trailing comment and newline)
            a = starts[r.start.line - 1]
            b = starts[r.end.line] if r.end.line < len(starts) else len(target)
            edits.append((a, b, ""))
            continue
        kept = [a for a in small.names if a not in gone]
        if small.names[-1] in gone:  # the new last name ends as the old last one did (comma or not)
            kept[-1] = kept[-1].with_changes(comma=small.names[-1].comma)
        rs = pos[small]
        a = _offset(starts, target, rs.start.line, rs.start.column + 1)
        b = _offset(starts, target, rs.end.line, rs.end.column + 1)
        if a is None or b is None:
            continue
        edits.append((a, b, mod.code_for_node(small.with_changes(names=kept))))
    return sorted(edits)


def apply_offset_edits(text: str, edits: Sequence[Tuple[int, int, str]]) -> str:
    out, last = [], 0
    for a, b, content in sorted(edits):
        out.append(text[last:a])
        out.append(content)
        last = b
    out.append(text[last:])
    return "".join(out)


def drop_fixed_away_imports(old: str, new: str, path: str = "") -> str:
    """``new`` without the ``time`` imports the fixes used up (:func:`fixed_away_import_edits`), when the
    result is still valid Python."""
    edits = fixed_away_import_edits(old, new, path)
    if not edits:
        return new
    result = apply_offset_edits(new, edits)
    return result if _Checker(new, path or "<fixed>").ok(result) else new


# ---- one file ---------------------------------------------------------------------------------------


def _one_pass(src: _Source, text: str, diags, allowed) -> Tuple[str, List[_Cand], int]:
    """Apply what can be applied to ``text``: (new text, applied candidates, deferred count)."""
    view = _Source(src.path, src.display, src.data, src.encoding, text, src.newline)
    cands, stale = _candidates(view, diags, allowed)
    if not cands:
        return text, [], stale
    gen = _genexp_ranges(text)
    if gen:
        keep = []
        for c in cands:
            if any(s <= c.start < e for s, e in gen):
                stale += len(c.diags)
            else:
                keep.append(c)
        cands = keep
    accepted, deferred = _select(cands)
    n_deferred = stale + sum(len(c.diags) for c in deferred)
    if not accepted:
        return text, [], n_deferred
    checker = _Checker(text, src.path)
    new = _apply(text, accepted)
    if checker.ok(new):
        return new, accepted, n_deferred
    # some fix breaks the file: keep only those that do not, one at a time
    kept: List[_Cand] = []
    for c in accepted:
        trial = _apply(text, kept + [c])
        if checker.ok(trial):
            kept.append(c)
        else:
            n_deferred += len(c.diags)
    return (_apply(text, kept) if kept else text), kept, n_deferred


def _reanalyse(src: _Source, text: str, settings, use_cache: bool) -> Optional[List[Diagnostic]]:
    from .runner import run

    try:
        try:
            data = _encode(text, src.encoding)  # bytes, so that the buffer's coding cookie still holds
        except (UnicodeError, LookupError):
            data = text
        res = run([], settings, stdin_text=data, stdin_filename=src.path, use_cache=use_cache)
    except Exception:
        return None
    return [d for d in res.diagnostics if d.filename == src.path]


def _fix_file(src: _Source, diags, allowed, settings, use_cache, max_passes):
    """(final text, fixed count, deferred count, passes, remaining or None)."""
    text = src.text
    fixed = 0
    deferred = 0
    passes = 0
    remaining: Optional[int] = None  # exact count, known once the text was re-analysed
    current = list(diags)
    while passes < max_passes:
        new, applied, deferred = _one_pass(src, text, current, allowed)
        if not applied:
            break
        passes += 1
        text = new
        n = sum(len(c.diags) for c in applied)
        fixed += n
        if remaining is not None:
            remaining -= n
        if settings is None or not deferred:
            break
        again = _reanalyse(src, text, settings, use_cache)
        if again is None:
            break
        current = again
        remaining = len(again)
    if fixed:
        text = drop_fixed_away_imports(src.text, text, src.path)
    return text, fixed, deferred, passes, remaining


def _split_lines(text: str) -> List[str]:
    lines = text.split("\n")
    out = [ln + "\n" for ln in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified_diff(old: str, new: str, name: str) -> str:
    out = []
    for line in difflib.unified_diff(_split_lines(old), _split_lines(new), fromfile=name, tofile=name):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


# ---- entry point -----------------------------------------------------------------------------------


def apply_fixes(result, unsafe: bool = False, write: bool = True, stdin: bool = False, settings=None,
                use_cache: bool = False, max_passes: int = MAX_PASSES, echo_errors: bool = True) -> FixOutcome:
    """Apply the fixes of ``result`` (a :class:`~fakeasync_lint.runner.RunResult`).

    ``write``: write changed files (``--fix``); otherwise only compute (``--diff``).  ``stdin``: the
    reported file came from standard input (``result.sources``): its fixed text is returned in
    ``stdin_output`` and nothing is written.  ``settings``: the run's settings; with them, fixes
    deferred in one pass are applied in further in-memory passes and ``remaining`` is exact.
    ``echo_errors``: also print each error to stderr as ``fakeasync-lint: error: ...``.

    Runs on the parse thread: libcst parses and regenerates every fixed file, as deeply as the analysis
    did (see ``parseguard``).
    """
    from . import parseguard

    return parseguard.call(_apply_fixes, result, unsafe, write, stdin, settings, use_cache, max_passes, echo_errors)


def _apply_fixes(result, unsafe, write, stdin, settings, use_cache, max_passes, echo_errors) -> FixOutcome:
    allowed = (SAFE, UNSAFE) if unsafe else (SAFE,)
    outcome = FixOutcome()
    diags: List[Diagnostic] = list(result.diagnostics)
    by_file: Dict[str, List[Diagnostic]] = {}
    for d in diags:
        by_file.setdefault(d.filename, []).append(d)
    sources = getattr(result, "sources", None) or {}
    diffs: List[Tuple[str, str]] = []
    remaining = len(diags)
    for path in sorted(by_file, key=lambda p: by_file[p][0].path):
        ds = by_file[path]
        display = ds[0].path
        fixable = [d for d in ds if d.fix is not None and d.fix.applicability in allowed and d.fix.edits]
        if stdin and path in sources:
            data = sources[path]
        elif stdin:
            continue
        else:
            if not fixable:
                continue
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError as e:
                outcome.errors.append(f"cannot fix {display}: {e.strerror or e}")
                continue
        text, enc, err = _decode(data)
        if text is None:
            if fixable:
                outcome.errors.append(f"cannot fix {display}: {err}")
            continue
        src = _Source(path, display, data, enc, text, _newline(text))
        if stdin:
            outcome.stdin_output = text
            outcome.stdin_bytes = data
        if not fixable:
            continue
        if not _parses(text):
            outcome.errors.append(f"cannot fix {display}: it does not parse")
            continue
        new, fixed, deferred, passes, rem = _fix_file(src, ds, allowed, settings, use_cache, max_passes)
        outcome.deferred += deferred
        outcome.passes = max(outcome.passes, passes)
        if new == text or not fixed:
            continue
        try:
            out_bytes = _encode(new, enc)
            check, enc2, _ = _decode(out_bytes)
            if check != new or enc2 != enc:
                raise ValueError("the encoding would change")
        except (UnicodeError, ValueError) as e:
            outcome.errors.append(f"cannot fix {display}: the fixed text cannot be saved as {enc} ({e})")
            continue
        if stdin:
            outcome.stdin_output = new
            outcome.stdin_bytes = out_bytes
        elif write:
            try:
                write_atomic(path, out_bytes, expect=data)
            except OSError as e:
                outcome.errors.append(f"cannot write {display}: {e.strerror or e}")
                continue
        outcome.fixed += fixed
        outcome.changed_files.append(path)
        diffs.append((display, unified_diff(text, new, display)))
        if rem is not None:
            remaining -= len(ds) - rem
        else:
            remaining -= fixed
    if stdin and settings is not None and outcome.fixed and outcome.stdin_output is not None:
        for path in by_file:
            if path in sources:
                enc = _decode(sources[path])[1] or "utf-8"
                src = _Source(path, path, b"", enc, outcome.stdin_output, _newline(outcome.stdin_output))
                again = _reanalyse(src, outcome.stdin_output, settings, use_cache)
                if again is not None:
                    remaining = len(diags) - len(by_file[path]) + len(again)
    outcome.remaining = max(0, remaining)
    outcome.diff = "".join(d for _, d in diffs)
    if echo_errors:
        for e in outcome.errors:
            sys.stderr.write(f"fakeasync-lint: error: {e}\n")
    return outcome


__all__ = ["FixOutcome", "apply_fixes", "unified_diff", "write_atomic", "MAX_PASSES"]
