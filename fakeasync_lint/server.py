"""``fakeasync-lint server``: a language server (LSP over stdio, pygls 2).

* Diagnostics are published on open, change (debounced) and save.  Each open document is linted
  from its buffer, exactly like ``check --stdin-filename PATH -``: the project index is read from
  disk, the settings come from the config file nearest to PATH, and excluded files stay silent
  (``--force-exclude``).  Saving a document re-lints every open document, since a saved helper
  can change what its callers report (FAK401..FAK403).
* Code actions (quick fixes): each diagnostic's fix (``Diagnostic.fix.edits``; display-only fixes
  have none) and "Disable for this line", which appends ``  # noqa: CODE`` to the reported line
  or adds the code to the ``# noqa`` comment already there.
* Positions: our columns are 1-based code points; they are converted to the position encoding
  negotiated with the client (UTF-16 unless the client offers another).

pygls is an optional dependency: ``pip install 'fakeasync-lint[server]'``.
"""
from __future__ import annotations

import asyncio
import io
import logging
import os
import re
import sys
import tokenize
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import click

from . import __version__
from .models import SAFE, Diagnostic
from .noqa import NOQA_INLINE_RE

SOURCE = "fakeasync-lint"
SERVER_NAME = "fakeasync-lint"
DEFAULT_DEBOUNCE = 0.3  # seconds after the last change before linting
INSTALL_HINT = "the language server needs pygls 2: pip install 'fakeasync-lint[server]'"

log = logging.getLogger(__name__)


# ---- pure helpers (no pygls) -----------------------------------------------------------------

def lint_source(path: str, source: str, *, jobs: Optional[int] = None,
                progress=None) -> Tuple[List[Diagnostic], Optional[str]]:
    """Lint ``source`` as the file ``path`` (the project index comes from disk).

    Returns ``(diagnostics, error)``; ``error`` is a configuration or usage problem to show to
    the user (then there are no diagnostics).
    """
    from .config import ConfigError, load_settings
    from .runner import run

    try:
        settings = load_settings([path])
    except ConfigError as e:
        return [], f"fakeasync-lint: configuration error: {e}"
    result = run([], settings, stdin_text=source, stdin_filename=path, jobs=jobs, force_exclude=True,
                 progress=progress)
    if result.errors:
        return [], "fakeasync-lint: " + "; ".join(result.errors)
    target = os.path.abspath(path)
    return [d for d in result.diagnostics if os.path.abspath(d.filename) == target], None


def split_lines(source: str) -> List[str]:
    """Lines as LSP counts them (``\\n``, ``\\r\\n`` and ``\\r`` end a line), with their endings."""
    return source.splitlines(True)


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in the code units of a position encoding (utf-8, utf-16, utf-32)."""
    enc = str(encoding).lower()
    if enc == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    if enc == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def client_position(lines: Sequence[str], row: int, column: int, encoding: str) -> Tuple[int, int]:
    """(line, character) for the client from our 1-based row and 1-based code-point column."""
    line = max(0, row - 1)
    char = max(0, column - 1)
    if line >= len(lines):
        return len(lines), 0
    text = lines[line].rstrip("\r\n")
    return line, units(text[:char], encoding) + max(0, char - len(text))


def _lsp_offset(source: str, lines: Sequence[str], starts: Sequence[int], pos: dict, encoding: str) -> int:
    """The text offset of an LSP position (``{"line", "character"}`` in ``encoding`` units)."""
    line = pos["line"]
    if line >= len(lines):
        return len(source)
    text = lines[line]
    n = 0
    for i, ch in enumerate(text):
        if n >= pos["character"] or ch in "\r\n":
            return starts[line] + i
        n += units(ch, encoding)
    return starts[line] + len(text.rstrip("\r\n"))


def import_removal_edits(source: str, edits: Sequence[dict], path: str, encoding: str) -> List[dict]:
    """LSP edits (``{"range", "newText"}``, beside ``edits``) that remove the ``time`` imports the fix
    ``edits`` use up, as ``check --fix`` does (``apply.fixed_away_import_edits``); [] when none, or when
    the result would not be valid Python.  Only sleep fixes are considered."""
    if not any(".sleep" in e.get("newText", "") for e in edits) or not re.search(
            r"^(?:import|from)\s+time\b", source, re.M):
        return []
    from . import parseguard
    from .apply import _Checker, apply_offset_edits, fixed_away_import_edits

    lines = split_lines(source)
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln))
    spans = [(_lsp_offset(source, lines, starts, e["range"]["start"], encoding),
              _lsp_offset(source, lines, starts, e["range"]["end"], encoding), e["newText"]) for e in edits]
    new = apply_offset_edits(source, spans)
    removals = parseguard.call(fixed_away_import_edits, source, new, path, source)
    if not removals:
        return []
    for a, b, _ in removals:
        if any(a < e and s < b for s, e, _c in spans if s != e) or any(a < s < b for s, e, _c in spans):
            return []  # beside an edit of the fix: leave it
    final = apply_offset_edits(source, spans + removals)
    if not parseguard.call(_Checker(source, path).ok, final):
        return []

    def position(off: int) -> dict:
        import bisect

        line = bisect.bisect_right(starts, off) - 1
        if line >= len(lines):
            return {"line": len(lines), "character": 0}
        return {"line": line, "character": units(lines[line][:off - starts[line]], encoding)}

    return [{"range": {"start": position(a), "end": position(b)}, "newText": c} for a, b, c in removals]


def noqa_edit(source: str, row: int, code: str) -> Optional[Tuple[int, int, int, str]]:
    """The edit that suppresses ``code`` on ``row`` (1-based).

    Returns ``(row, start_col, end_col, new_text)`` with 0-based code-point columns on that row,
    or None when the row's end lies inside a string (a comment cannot go there).
    An existing ``# noqa: CODES`` comment gets the code added; otherwise ``  # noqa: CODE`` is
    appended (after any other comment on the line).
    """
    lines = split_lines(source)
    if row < 1 or row > len(lines):
        return None
    body = lines[row - 1].rstrip("\r\n")
    comment: Optional[Tuple[int, str]] = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            (srow, scol), (erow, _) = tok.start, tok.end
            if srow > row:
                break
            if tok.type == tokenize.COMMENT and srow == row:
                comment = (scol, tok.string)
            elif srow <= row < erow and tok.type not in (tokenize.NL, tokenize.NEWLINE):
                return None  # the line ends inside a multi-line string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        hash_at = body.find("#")
        comment = (hash_at, body[hash_at:]) if hash_at >= 0 and '"' not in body and "'" not in body else None
    if comment is not None:
        col, text = comment
        m = NOQA_INLINE_RE.search(text)
        if m is not None:
            codes = m.group("codes")
            if not codes:
                return None  # a blanket noqa already covers every code
            kept = codes.rstrip(", \t")
            new = text[: m.start("codes")] + kept + ", " + code + codes[len(kept):] + text[m.end("codes"):]
            return row, col, col + len(text), new
    end = len(body)
    start = len(body.rstrip())
    return row, start, end, f"  # noqa: {code}"


# ---- the server --------------------------------------------------------------------------------

def _import_pygls():
    try:
        from lsprotocol import types
        from pygls.lsp.server import LanguageServer
    except ImportError as e:  # pygls missing, or pygls 1.x (no pygls.lsp.server)
        raise ImportError(INSTALL_HINT) from e
    return types, LanguageServer


def _path_of(uri: str) -> Optional[str]:
    from pygls.uris import to_fs_path

    if not uri.startswith("file:"):
        return None
    return to_fs_path(uri)


def _is_python(path: str, language_id: Optional[str]) -> bool:
    return language_id == "python" or path.endswith((".py", ".pyi", ".pyw"))


def create_server(debounce: float = DEFAULT_DEBOUNCE, jobs: Optional[int] = None):
    """Build the pygls ``LanguageServer`` (raises ImportError with an install hint without pygls)."""
    types, LanguageServer = _import_pygls()

    class FakeasyncServer(LanguageServer):
        pass

    ls = FakeasyncServer(SERVER_NAME, __version__)
    ls.debounce = debounce
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fakeasync-lint")  # one lint at a time
    pending: Dict[str, "asyncio.Task[None]"] = {}
    languages: Dict[str, Optional[str]] = {}
    published: Dict[str, List[Any]] = {}  # uri -> the LSP diagnostics last published (code actions use them)
    last_good: Dict[str, Tuple[str, List[Any]]] = {}  # uri -> (source, diagnostics) of the last parsable buffer

    def moved_diagnostics(old_source: str, new_source: str, items: List[Any]) -> List[Any]:
        """``items`` of ``old_source`` whose lines are unchanged in ``new_source``, moved to their new lines
        (stale fixes and noqa edits are dropped: the buffer they were made for is gone)."""
        import copy
        import difflib

        old_lines, new_lines = split_lines(old_source), split_lines(new_source)
        where: Dict[int, int] = {}
        sm = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, j1, _j2 in sm.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    where[i1 + k] = j1 + k
        out = []
        for d in items:
            s0, s1 = d.range.start.line, d.range.end.line
            if s0 not in where or s1 not in where or where[s1] - where[s0] != s1 - s0:
                continue
            m = copy.deepcopy(d)
            delta = where[s0] - s0
            m.range.start.line += delta
            m.range.end.line += delta
            m.data = {"code": (d.data or {}).get("code") if isinstance(d.data, dict) else str(d.code)}
            m.related_information = None
            out.append(m)
        return out

    def encoding() -> str:
        try:
            enc = ls.workspace.position_codec.encoding
        except Exception:  # pragma: no cover - before initialize
            enc = None
        return str(enc or "utf-16")

    def to_range(lines, start, end, enc):
        sl, sc = client_position(lines, start.row, start.column, enc)
        el, ec = client_position(lines, end.row, end.column, enc)
        return types.Range(start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec))

    def related(d: Diagnostic, doc_path: str, doc_lines, enc) -> List[Any]:
        out = []
        cache: Dict[str, Sequence[str]] = {}
        for frame in d.trace:
            fpath = os.path.abspath(frame.path)
            if fpath == os.path.abspath(doc_path):
                flines = doc_lines
            else:
                if fpath not in cache:
                    try:
                        cache[fpath] = split_lines(Path(fpath).read_text(encoding="utf-8", errors="replace"))
                    except OSError:
                        cache[fpath] = []
                flines = cache[fpath]
            line, char = client_position(flines, frame.line, max(1, frame.column), enc)
            pos = types.Position(line=line, character=char)
            out.append(types.DiagnosticRelatedInformation(
                location=types.Location(uri=Path(fpath).as_uri(), range=types.Range(start=pos, end=pos)),
                message=f"{frame.function}: {frame.note}" if frame.note else frame.function,
            ))
        return out

    def to_lsp(d: Diagnostic, path: str, source: str, lines, enc) -> Any:
        severity = {
            "error": types.DiagnosticSeverity.Error,
            "fatal": types.DiagnosticSeverity.Error,
            "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information,
        }.get(d.severity, types.DiagnosticSeverity.Warning)
        # the message is one short line (what virtual text shows); the help and the chain go to
        # relatedInformation (the help at the finding itself, then each step of the chain where it is) and
        # to `data`; a client that cannot show relatedInformation gets the help as a second line
        drange = to_range(lines, d.location, d.end_location, enc)
        message = " ".join(d.message.splitlines())
        rel = related(d, path, lines, enc)
        if d.suggestion:
            if related_supported():
                rel.insert(0, types.DiagnosticRelatedInformation(
                    location=types.Location(uri=Path(os.path.abspath(path)).as_uri(), range=drange),
                    message=f"help: {' '.join(d.suggestion.splitlines())}"))
            else:
                message += f"\nhelp: {d.suggestion}"
        data: Dict[str, Any] = {"code": d.code}
        if d.suggestion:
            data["help"] = d.suggestion
        if d.trace:
            from .output._common import frame_line

            data["chain"] = [frame_line(f) for f in d.trace]
        if d.reach:
            data["reach"] = d.reach
        if d.fix is not None and d.fix.edits:
            data["fix"] = {
                "title": d.fix.message or f"Fix {d.code}",
                "applicability": d.fix.applicability,
                "edits": [
                    {"range": _range_json(to_range(lines, e.location, e.end_location, enc)), "newText": e.content}
                    for e in d.fix.edits
                ],
            }
        if d.noqa_row:
            ne = noqa_edit(source, d.noqa_row, d.code)
            if ne is not None:
                row, c0, c1, text = ne
                rng = to_range(lines, _Loc(row, c0 + 1), _Loc(row, c1 + 1), enc)
                data["noqa_edit"] = {"range": _range_json(rng), "newText": text}
        rule_url = None
        try:
            from .output._common import rule_for

            rule_url = rule_for(d.code).url
        except Exception:  # pragma: no cover - rule registry unavailable
            pass
        return types.Diagnostic(
            range=drange,
            message=message,
            severity=severity,
            code=d.code,
            code_description=types.CodeDescription(href=rule_url) if rule_url else None,
            source=SOURCE,
            related_information=rel or None,
            data=data,
        )

    def related_supported() -> bool:
        """The client shows ``relatedInformation`` (``publishDiagnostics.relatedInformation``)."""
        try:
            return bool(ls.client_capabilities.text_document.publish_diagnostics.related_information)
        except Exception:  # noqa: BLE001 - no such capability declared
            return False

    def progress_reporter(loop, path: str):
        """A `progress(done, total)` callback for the runner (called on the lint thread) that shows the
        indexing as LSP work-done progress, when the client supports it, and logs when it is done."""
        try:
            supported = bool(ls.client_capabilities.window.work_done_progress)
        except Exception:  # noqa: BLE001 - no window capabilities
            supported = False
        # every LSP message goes out from the event loop, in order: create -> begin -> reports -> end
        state = {"token": None, "last": -1, "total": 0, "begun": False, "ended": False, "pending": None}

        def post(fn, *args):
            loop.call_soon_threadsafe(fn, *args)

        def on_loop_begin(total: int) -> None:
            token = state["token"]

            def created(*_args) -> None:
                ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                    title="fakeasync-lint: indexing the project", message=f"0/{total} files",
                    percentage=0, cancellable=False))
                state["begun"] = True
                if state["pending"] is not None:
                    ls.work_done_progress.report(token, state["pending"])
                if state["ended"]:
                    ls.work_done_progress.end(token, types.WorkDoneProgressEnd(
                        message=f"indexed {state['total']} files"))
            ls.work_done_progress.create(token, created)

        def on_loop_report(value) -> None:
            if state["begun"]:
                ls.work_done_progress.report(state["token"], value)
            else:
                state["pending"] = value

        def on_loop_end() -> None:
            state["ended"] = True
            if state["begun"]:
                ls.work_done_progress.end(state["token"], types.WorkDoneProgressEnd(
                    message=f"indexed {state['total']} files"))

        def report(done: int, total: int) -> None:
            state["total"] = total
            if not supported:
                return
            if state["token"] is None:
                state["token"] = f"fakeasync-lint-index-{os.getpid()}-{id(state)}"
                post(on_loop_begin, total)
            pct = int(100 * done / max(1, total))
            if pct >= state["last"] + 5:
                state["last"] = pct
                post(on_loop_report, types.WorkDoneProgressReport(message=f"{done}/{total} files", percentage=pct))

        def library(what: str) -> None:
            # deriving a package's facts reads its code once per installed version: say so (a first run on
            # a new environment takes seconds more than the project's files alone)
            post(ls.window_log_message, types.LogMessageParams(
                type=types.MessageType.Info,
                message=f"fakeasync-lint: reading {what} to learn what blocks in it (once per version)"))
            if supported and state["token"] is not None and not state["ended"]:
                post(on_loop_report, types.WorkDoneProgressReport(message=f"reading {what}"))

        report.library = library

        def finish() -> None:
            if not state["total"]:
                return  # nothing was analysed (everything came from the cache)
            if supported and state["token"] is not None:
                post(on_loop_end)
            post(ls.window_log_message, types.LogMessageParams(
                type=types.MessageType.Info,
                message=f"fakeasync-lint: indexed {state['total']} files for {os.path.basename(path)}"))

        return report, finish

    def lint_and_publish(uri: str, version: Optional[int], source: str, loop=None) -> None:
        path = _path_of(uri)
        if path is None or not _is_python(path, languages.get(uri)):
            return
        report, finish = progress_reporter(loop, path) if loop is not None else (None, lambda: None)
        try:
            diags, error = lint_source(path, source, jobs=jobs, progress=report)
            finish()
        except Exception as e:  # never take the server down
            log.exception("linting %s failed", path)
            diags, error = [], f"fakeasync-lint: internal error while linting {path}: {type(e).__name__}: {e}"
        if error:
            ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=error))
        enc = encoding()
        lines = split_lines(source)
        items = [to_lsp(d, path, source, lines, enc) for d in diags]
        if any(d.code == "FAK000" for d in diags):
            # a syntax error while typing: keep the last good findings, moved with the edits (pyright and
            # ruff keep reporting too); those on changed lines are dropped
            prev = last_good.get(uri)
            if prev is not None:
                items += moved_diagnostics(prev[0], source, prev[1])
        else:
            last_good[uri] = (source, items)
        published[uri] = items
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=items)
        )

    async def lint_soon(uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            doc = ls.workspace.get_text_document(uri)
        except Exception:  # closed meanwhile
            return
        source, version = doc.source, doc.version
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(executor, lint_and_publish, uri, version, source, loop)

    def schedule(uri: str, delay: float) -> None:
        old = pending.pop(uri, None)
        if old is not None and not old.done():
            old.cancel()
        task = asyncio.ensure_future(lint_soon(uri, delay))
        pending[uri] = task
        task.add_done_callback(lambda t, u=uri: pending.pop(u, None) if pending.get(u) is t else None)

    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenTextDocumentParams) -> None:
        languages[params.text_document.uri] = params.text_document.language_id
        schedule(params.text_document.uri, 0)

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeTextDocumentParams) -> None:
        schedule(params.text_document.uri, ls.debounce)

    @ls.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        schedule(params.text_document.uri, 0)
        for uri in list(languages):
            if uri != params.text_document.uri:
                schedule(uri, 0)

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        languages.pop(uri, None)
        published.pop(uri, None)
        last_good.pop(uri, None)
        task = pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    fix_all_kind = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"

    def overlaps(d, rng) -> bool:
        a, b = d.range, rng
        return not ((a.end.line, a.end.character) < (b.start.line, b.start.character)
                    or (b.end.line, b.end.character) < (a.start.line, a.start.character))

    def removed_imports(uri: str, edits: List[dict]) -> List[dict]:
        """The `import time` removals that go with these safe fix edits in the open document."""
        try:
            doc = ls.workspace.get_text_document(uri)
            path = _path_of(uri) or ""
            return import_removal_edits(doc.source, edits, path, encoding())
        except Exception:  # noqa: BLE001 - a closed document, an unparsable buffer: the fix alone
            log.debug("import removal skipped", exc_info=True)
            return []

    def fix_all(uri: str) -> Optional[Any]:
        """One action with every safe fix of the document whose edits do not overlap (as `--fix` applies
        them in one pass; a second request picks up the rest).  An insertion that several fixes share
        (`import asyncio`) is made once."""
        def span(e):
            r = e["range"]
            return (r["start"]["line"], r["start"]["character"]), (r["end"]["line"], r["end"]["character"])

        edits: List[dict] = []
        n = 0
        for d in published.get(uri, ()):
            fix = d.data.get("fix") if isinstance(d.data, dict) else None
            if not isinstance(fix, dict) or fix.get("applicability") != SAFE or not fix.get("edits"):
                continue
            new = [e for e in fix["edits"] if e not in edits]  # a shared insertion: once
            if any(span(a)[0] < span(b)[1] and span(b)[0] < span(a)[1] for a in new for b in edits):
                continue  # overlaps a fix already taken
            edits.extend(new)
            n += 1
        if not edits:
            return None
        edits = edits + removed_imports(uri, edits)
        return types.CodeAction(
            title=f"{SOURCE}: fix all safely fixable problems ({n})",
            kind=fix_all_kind,
            edit=types.WorkspaceEdit(changes={uri: [_text_edit(types, e) for e in edits]}),
        )

    @ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, fix_all_kind],
                                resolve_provider=False),
    )
    def code_action(params: types.CodeActionParams) -> List[Any]:
        uri = params.text_document.uri
        only = params.context.only
        wants_fix_all = bool(only) and any(
            fix_all_kind.startswith(str(k)) or str(k).startswith(fix_all_kind) for k in only)
        if only and not any(str(k).startswith(types.CodeActionKind.QuickFix) for k in only):
            action = fix_all(uri) if wants_fix_all else None
            return [action] if action is not None else []
        actions = []
        diagnostics = list(params.context.diagnostics)
        if not diagnostics:
            # a client that sends no diagnostics (a cursor-position request): the server's own for the range
            diagnostics = [d for d in published.get(uri, ()) if overlaps(d, params.range)]
        for diag in diagnostics:
            if diag.source != SOURCE or not isinstance(diag.data, dict):
                continue
            code = diag.data.get("code") or str(diag.code)
            fix = diag.data.get("fix")
            if isinstance(fix, dict) and fix.get("edits"):
                edits = list(fix["edits"])
                if fix.get("applicability") == SAFE:
                    edits += removed_imports(uri, edits)
                actions.append(types.CodeAction(
                    title=f"{SOURCE} ({code}): {fix.get('title')}"
                          + (" (unsafe)" if fix.get("applicability") != SAFE else ""),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=fix.get("applicability") == SAFE,
                    edit=types.WorkspaceEdit(changes={uri: [_text_edit(types, e) for e in edits]}),
                ))
            ne = diag.data.get("noqa_edit")
            if isinstance(ne, dict):
                actions.append(types.CodeAction(
                    title=f"{SOURCE} ({code}): Disable for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=types.WorkspaceEdit(changes={uri: [_text_edit(types, ne)]}),
                ))
        return actions

    @ls.feature(types.SHUTDOWN)
    def shutdown(*args) -> None:
        executor.shutdown(wait=False)

    return ls


class _Loc:
    __slots__ = ("row", "column")

    def __init__(self, row: int, column: int):
        self.row, self.column = row, column


def _range_json(r) -> dict:
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}


def _text_edit(types, e: dict):
    r = e["range"]
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=r["start"]["line"], character=r["start"]["character"]),
            end=types.Position(line=r["end"]["line"], character=r["end"]["character"]),
        ),
        new_text=e["newText"],
    )


@click.command("server")
@click.option("--stdio", is_flag=True, help="Talk LSP over stdin/stdout (the default and only transport).")
@click.option("--debounce", type=click.FloatRange(min=0), default=DEFAULT_DEBOUNCE, show_default=True,
              help="Seconds to wait after the last edit before linting.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for indexing the project (default: usable CPUs).")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None, help="Write a debug log here.")
def server_command(stdio, debounce, jobs, log_file):
    """Run the language server (LSP over stdio): diagnostics, quick fixes and "disable for this line"."""
    if log_file:
        logging.basicConfig(filename=log_file, level=logging.DEBUG)
    try:
        server = create_server(debounce=debounce, jobs=jobs)
    except ImportError:
        click.echo(f"fakeasync-lint: error: {INSTALL_HINT}", err=True)
        sys.exit(2)
    serve_stdio(server)


def serve_stdio(server) -> None:
    """Serve LSP on stdin/stdout until the client says ``exit`` or goes away (end of stdin), then stop
    every worker process and leave at once (a lint still running in the background is abandoned).

    Worker processes are started by a fork server: forking this process, whose reader thread sits in
    ``sys.stdin.read`` holding the buffer's lock, gave children that deadlocked in multiprocessing's
    start-up (``_close_stdin``) once a run was big enough to use the pool.
    """
    import multiprocessing

    from . import runner

    methods = multiprocessing.get_all_start_methods()
    runner.use_start_method("forkserver" if "forkserver" in methods else "spawn")
    try:
        server.start_io()
    finally:
        stop_children()
        try:
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 - the client is gone
            pass
        os._exit(0)


def stop_children(timeout: float = 2.0) -> None:
    """Terminate (then kill) every process this one started through multiprocessing."""
    import multiprocessing
    import time

    children = multiprocessing.active_children()
    for p in children:
        try:
            p.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
    deadline = time.monotonic() + timeout
    for p in children:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            try:
                p.kill()
            except Exception:  # noqa: BLE001
                pass


__all__ = ["client_position", "create_server", "lint_source", "noqa_edit", "server_command", "units"]


if __name__ == "__main__":  # pragma: no cover - `python -m fakeasync_lint.server`
    server_command()
