"""``fakeasync-lint server``: end to end with a real LSP client (pygls' LanguageClient) over stdio."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fakeasync_lint.server import client_position, noqa_edit, units

ROOT = Path(__file__).resolve().parents[1]

pygls = pytest.importorskip("pygls.lsp.client", reason="pygls 2 is needed (pip install 'fakeasync-lint[server]')")
from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

TIMEOUT = 60


# ---- pure helpers ----------------------------------------------------------------------------

def test_units_and_positions():
    assert units("a😀b", "utf-16") == 4
    assert units("a😀b", "utf-8") == 6
    assert units("a😀b", "utf-32") == 3
    lines = ['s = "😀"; time.sleep(1)\n']
    # our column 10 (1-based code points) is `time`
    assert lines[0][9:13] == "time"
    assert client_position(lines, 1, 10, "utf-16") == (0, 10)
    assert client_position(lines, 1, 10, "utf-8") == (0, 12)
    assert client_position(lines, 1, 10, "utf-32") == (0, 9)
    # the exclusive end of a whole-line edit (next row, column 1) past the last line
    assert client_position(lines, 2, 1, "utf-16") == (1, 0)


def test_noqa_edit_appends_and_merges():
    src = "x = 1\ny = f()  # noqa: FAK101\nz = g()  # a comment\nw = 'a # b'\n"
    assert noqa_edit(src, 1, "FAK103") == (1, 5, 5, "  # noqa: FAK103")
    row, c0, c1, text = noqa_edit(src, 2, "FAK103")
    assert (row, c0, c1, text) == (2, 9, 23, "# noqa: FAK101, FAK103")
    assert noqa_edit(src, 3, "FAK103") == (3, 20, 20, "  # noqa: FAK103")
    assert noqa_edit(src, 4, "FAK103") == (4, 11, 11, "  # noqa: FAK103")  # '#' inside a string is no comment
    # trailing whitespace is replaced
    assert noqa_edit("a = b()   \n", 1, "FAK1") == (1, 7, 10, "  # noqa: FAK1")
    # a line that ends inside a multi-line string cannot take a comment
    assert noqa_edit('x = f("""a\nb""")\n', 1, "FAK103") is None
    assert noqa_edit("x\n", 5, "FAK103") is None


# ---- end to end -------------------------------------------------------------------------------

APP = textwrap.dedent(
    """\
    import time

    from helpers import load


    async def handler():
        s = "😀"; time.sleep(1)
        return load()
    """
)
HELPERS = textwrap.dedent(
    """\
    import time


    def load():
        time.sleep(2)
        return 1
    """
)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.fakeasync-lint]\nextend-exclude = ["generated"]\n')
    (tmp_path / "helpers.py").write_text(HELPERS)
    (tmp_path / "app.py").write_text("# on disk: nothing yet\n")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "gen.py").write_text("")
    return tmp_path


class Client:
    """A pygls LanguageClient driving ``python -m fakeasync_lint.server`` over stdio."""

    def __init__(self, cwd: Path, encodings=None, related_information=True):
        self.cwd = cwd
        self.encodings = encodings
        self.related_information = related_information
        self.client = LanguageClient("fakeasync-test", "1")
        self.published: "asyncio.Queue[types.PublishDiagnosticsParams]" = asyncio.Queue()
        self.messages = []

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params):
            self.published.put_nowait(params)

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def on_message(params):
            self.messages.append(params.message)

    async def start(self):
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        await self.client.start_io(sys.executable, "-m", "fakeasync_lint.server", "--debounce", "0.05",
                                   "--jobs", "1", cwd=str(self.cwd), env=env)
        general = types.GeneralClientCapabilities(position_encodings=self.encodings) if self.encodings else None
        caps = types.ClientCapabilities(
            general=general,
            text_document=types.TextDocumentClientCapabilities(
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                    related_information=self.related_information),
                code_action=types.CodeActionClientCapabilities(),
            ),
        )
        result = await asyncio.wait_for(
            self.client.initialize_async(
                types.InitializeParams(process_id=os.getpid(), root_uri=self.cwd.as_uri(), capabilities=caps)
            ),
            TIMEOUT,
        )
        self.client.initialized(types.InitializedParams())
        return result

    async def stop(self):
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
            self.client.exit(None)
        finally:
            await asyncio.wait_for(self.client.stop(), TIMEOUT)

    async def diagnostics_for(self, uri: str, version=None):
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri and (version is None or params.version == version):
                return params

    def open(self, path: Path, text: str, version: int = 1):
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="python", version=version, text=text)
        ))

    def change(self, path: Path, text: str, version: int):
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        ))

    async def code_actions(self, path: Path, diagnostics):
        rng = diagnostics[0].range
        return await asyncio.wait_for(self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=rng,
            context=types.CodeActionContext(diagnostics=list(diagnostics)),
        )), TIMEOUT)


def apply_edits(text: str, edits, encoding="utf-16") -> str:
    """Apply LSP TextEdits (positions in ``encoding`` units) to ``text``, as an editor does."""
    lines = text.splitlines(True)

    def offset(pos):
        if pos.line >= len(lines):
            return len(text)
        before = sum(len(x) for x in lines[: pos.line])
        line = lines[pos.line]
        n = 0
        for i, ch in enumerate(line):
            if n >= pos.character:
                return before + i
            n += units(ch, encoding)
        return before + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def run(coro):
    return asyncio.run(coro)


def test_server_publishes_fixes_and_disables(project):
    app = project / "app.py"

    async def scenario():
        c = Client(project)
        init = await c.start()
        try:
            caps = init.capabilities
            assert caps.position_encoding in (None, types.PositionEncodingKind.Utf16)
            assert caps.code_action_provider
            c.open(app, APP, version=1)
            pub = await c.diagnostics_for(app.as_uri())
            diags = sorted(pub.diagnostics, key=lambda d: (d.range.start.line, str(d.code)))
            by_code = {d.code: d for d in diags}
            assert set(by_code) == {"FAK103", "FAK401"}, [(d.code, d.message) for d in diags]
            sleep = by_code["FAK103"]
            assert sleep.source == "fakeasync-lint"
            assert sleep.severity == types.DiagnosticSeverity.Error
            # `time.sleep(1)` on line 7 after `s = "😀"; `: code point column 15, UTF-16 column 16
            line = APP.splitlines()[6]
            cp = line.index("time.sleep")
            assert sleep.range.start == types.Position(line=6, character=cp + 1)  # the emoji is 2 UTF-16 units
            assert sleep.range.end == types.Position(line=6, character=cp + 1 + len("time.sleep(1)"))
            chain = by_code["FAK401"]
            assert chain.range.start.line == 7
            assert chain.related_information, "the FAK401 trace points into helpers.py"
            assert any(r.location.uri == (project / "helpers.py").as_uri() and r.location.range.start.line == 4
                       for r in chain.related_information)
            # virtual text stays short: the message is one line; the help is the first related entry, at the
            # finding itself, then the chain's steps where they are; `data` carries both too
            for d in (sleep, chain):
                assert "\n" not in d.message and "help:" not in d.message
                first = d.related_information[0]
                assert first.location.uri == app.as_uri() and first.location.range == d.range
                assert first.message == "help: " + d.data["help"]
            assert sleep.data["help"] == "`await asyncio.sleep(...)`" and "chain" not in sleep.data
            assert chain.message == "calls `load()`, which blocks: `load` → `time.sleep()` (helpers.py:5)"
            assert [r.message for r in chain.related_information[1:]] == [
                "handler: calls `load()`: `load()`", "load: `time.sleep(2)` blocks the event loop (time.sleep)"]
            assert [x.replace(str(project) + "/", "") for x in chain.data["chain"]] == ["app.py:8 handler: calls `load()`: `load()`",
                                           "helpers.py:5 load: `time.sleep(2)` blocks the event loop (time.sleep)"]

            actions = await c.code_actions(app, [sleep])
            titles = [a.title for a in actions]
            fix = next(a for a in actions if "asyncio.sleep" in a.title)
            assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
            disable = next(a for a in actions if a.title.endswith("Disable for this line"))
            assert len(titles) == 2, titles

            fixed = apply_edits(APP, fix.edit.changes[app.as_uri()])
            assert 's = "😀"; await asyncio.sleep(1)' in fixed
            assert "import asyncio" in fixed
            compile(fixed, "app.py", "exec")

            silenced = apply_edits(APP, disable.edit.changes[app.as_uri()])
            assert 's = "😀"; time.sleep(1)  # noqa: FAK103\n' in silenced

            # change: the fixed buffer loses FAK103 (FAK401 stays)
            c.change(app, fixed, version=2)
            pub = await c.diagnostics_for(app.as_uri(), version=2)
            assert sorted(d.code for d in pub.diagnostics) == ["FAK401"]

            # change: silence FAK401 with an existing noqa comment -> merge
            with_noqa = fixed.replace("return load()", "return load()  # noqa: FAK101")
            c.change(app, with_noqa, version=3)
            pub = await c.diagnostics_for(app.as_uri(), version=3)
            (chain,) = pub.diagnostics
            actions = await c.code_actions(app, [chain])
            disable = next(a for a in actions if a.title.endswith("Disable for this line"))
            merged = apply_edits(with_noqa, disable.edit.changes[app.as_uri()])
            assert "return load()  # noqa: FAK101, FAK401\n" in merged
            c.change(app, merged, version=4)
            pub = await c.diagnostics_for(app.as_uri(), version=4)
            assert list(pub.diagnostics) == []

            # save of the helper on disk: fixing it there clears nothing in app.py (FAK401 is noqa'd) but
            # a save re-lints the open documents
            c.client.text_document_did_save(types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=app.as_uri())))
            pub = await c.diagnostics_for(app.as_uri())
            assert list(pub.diagnostics) == []

            # close: diagnostics are cleared
            c.client.text_document_did_close(types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=app.as_uri())))
            pub = await c.diagnostics_for(app.as_uri())
            assert list(pub.diagnostics) == []
            assert not c.messages
        finally:
            await c.stop()

    run(scenario())


def test_server_help_on_a_second_line_for_clients_without_related_information(project):
    app = project / "app.py"

    async def scenario():
        c = Client(project, related_information=False)
        await c.start()
        try:
            c.open(app, APP)
            pub = await c.diagnostics_for(app.as_uri())
            sleep = next(d for d in pub.diagnostics if d.code == "FAK103")
            head, help_line = sleep.message.split("\n")
            assert head.startswith("`time.sleep()` blocks the event loop") and help_line == "help: `await asyncio.sleep(...)`"
            assert not sleep.related_information
        finally:
            await c.stop()

    run(scenario())


def test_server_severity_follows_reach(tmp_path):
    # a script's own loop (`asyncio.run(main())`) reaching a blocking call: a warning in the editor too
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    script = tmp_path / "tool.py"
    text = "import asyncio\nimport time\n\n\nasync def main():\n    time.sleep(1)\n\n\nasyncio.run(main())\n"
    script.write_text(text)

    async def scenario():
        c = Client(tmp_path)
        await c.start()
        try:
            c.open(script, text)
            (d,) = (await c.diagnostics_for(script.as_uri())).diagnostics
            assert d.code == "FAK103" and d.severity == types.DiagnosticSeverity.Warning
            assert d.data["reach"] == "script"
            assert f"reached only from `asyncio.run(main())` ({script}:9)" in d.message
        finally:
            await c.stop()

    run(scenario())


def test_server_utf8_client_and_excluded_file(project):
    app = project / "app.py"
    gen = project / "generated" / "gen.py"

    async def scenario():
        c = Client(project, encodings=[types.PositionEncodingKind.Utf8])
        init = await c.start()
        try:
            assert init.capabilities.position_encoding == types.PositionEncodingKind.Utf8
            c.open(app, APP)
            pub = await c.diagnostics_for(app.as_uri())
            sleep = next(d for d in pub.diagnostics if d.code == "FAK103")
            line = APP.splitlines()[6]
            cp = line.index("time.sleep")
            assert sleep.range.start.character == cp + 3  # the emoji is 4 UTF-8 bytes
            # an excluded file (extend-exclude in the config) stays silent, as with --force-exclude
            c.open(gen, "import time\n\nasync def f():\n    time.sleep(1)\n")
            pub = await c.diagnostics_for(gen.as_uri())
            assert list(pub.diagnostics) == []
        finally:
            await c.stop()

    run(scenario())


def test_server_reports_config_errors(project):
    (project / "pyproject.toml").write_text('[tool.fakeasync-lint]\nselect = ["NOPE1"]\n')
    app = project / "app.py"

    async def scenario():
        c = Client(project)
        await c.start()
        try:
            c.open(app, APP)
            pub = await c.diagnostics_for(app.as_uri())
            assert list(pub.diagnostics) == []
            for _ in range(50):
                if c.messages:
                    break
                await asyncio.sleep(0.1)
            assert c.messages and "NOPE1" in c.messages[0]
        finally:
            await c.stop()

    run(scenario())


def test_server_without_pygls_exits_2():
    code = (
        "import sys; sys.modules['pygls'] = None; sys.modules['pygls.lsp.server'] = None; "
        "from fakeasync_lint.server import server_command; server_command()"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "pip install 'fakeasync-lint[server]'" in proc.stderr
    assert proc.stdout == ""


def test_server_command_registered_in_cli():
    from fakeasync_lint.cli import main

    proc = subprocess.run([sys.executable, "-m", "fakeasync_lint", "server", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and "language server" in proc.stdout


TWO_SLEEPS = "import time\n\n\nasync def a():\n    time.sleep(1)\n\n\nasync def b():\n    time.sleep(2)\n"


def test_server_code_actions_without_diagnostics_and_fix_all(tmp_path):
    """A request that carries no diagnostics gets the server's own for the range; `source.fixAll` applies
    every safe fix at once (one `import asyncio`)."""
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    app = tmp_path / "two.py"
    app.write_text(TWO_SLEEPS)

    async def scenario():
        c = Client(tmp_path)
        init = await c.start()
        try:
            kinds = init.capabilities.code_action_provider.code_action_kinds
            assert "source.fixAll.fakeasync-lint" in kinds
            c.open(app, TWO_SLEEPS, version=1)
            pub = await c.diagnostics_for(app.as_uri())
            assert sorted(str(d.code) for d in pub.diagnostics) == ["FAK103", "FAK103"]
            line4 = types.Range(start=types.Position(line=4, character=6), end=types.Position(line=4, character=6))
            actions = await asyncio.wait_for(c.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=app.as_uri()), range=line4,
                context=types.CodeActionContext(diagnostics=[]))), TIMEOUT)
            assert any("asyncio.sleep" in a.title for a in actions), [a.title for a in actions]
            fix_all = await asyncio.wait_for(c.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=app.as_uri()), range=line4,
                context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]))), TIMEOUT)
            (action,) = fix_all
            fixed = apply_edits(TWO_SLEEPS, action.edit.changes[app.as_uri()])
            assert fixed.count("await asyncio.sleep(") == 2 and fixed.count("import asyncio") == 1
            compile(fixed, "two.py", "exec")
        finally:
            await c.stop()

    run(scenario())


LAST_USES = ('import time\nfrom time import monotonic, sleep\n\n\nasync def f():\n    s = "😀"; time.sleep(1)\n'
             '    sleep(2)\n    return monotonic()\n')


def test_server_fixes_remove_the_time_import_they_use_up(tmp_path):
    """As `check --fix`: the quick fix of the last `time.sleep` removes `import time`; fix-all also drops
    `sleep` from `from time import monotonic, sleep` (monotonic stays: still used)."""
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    app = tmp_path / "jobs.py"
    app.write_text(LAST_USES)

    async def scenario():
        c = Client(tmp_path)
        await c.start()
        try:
            c.open(app, LAST_USES, version=1)
            pub = await c.diagnostics_for(app.as_uri())
            first, second = sorted(pub.diagnostics, key=lambda d: d.range.start.line)
            (fix,) = [a for a in await c.code_actions(app, [first]) if "asyncio.sleep" in a.title]
            assert apply_edits(LAST_USES, fix.edit.changes[app.as_uri()]) == (
                'import asyncio\nfrom time import monotonic, sleep\n\n\nasync def f():\n'
                '    s = "😀"; await asyncio.sleep(1)\n    sleep(2)\n    return monotonic()\n')
            # the other sleep's fix alone uses up `sleep` only: `time.sleep(1)` still uses `time`
            (fix,) = [a for a in await c.code_actions(app, [second]) if "asyncio.sleep" in a.title]
            assert apply_edits(LAST_USES, fix.edit.changes[app.as_uri()]).startswith(
                "import asyncio\nimport time\nfrom time import monotonic\n\n")
            (action,) = await asyncio.wait_for(c.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=app.as_uri()), range=first.range,
                context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]))), TIMEOUT)
            assert apply_edits(LAST_USES, action.edit.changes[app.as_uri()]) == (
                'import asyncio\nfrom time import monotonic\n\n\nasync def f():\n'
                '    s = "😀"; await asyncio.sleep(1)\n    await asyncio.sleep(2)\n    return monotonic()\n')
        finally:
            await c.stop()

    run(scenario())


def test_server_keeps_last_good_diagnostics_during_a_syntax_error(tmp_path):
    """While the buffer does not parse, FAK000 is shown beside the last good findings, moved with the edit."""
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    app = tmp_path / "two.py"
    app.write_text(TWO_SLEEPS)

    async def scenario():
        c = Client(tmp_path)
        await c.start()
        try:
            c.open(app, TWO_SLEEPS, version=1)
            pub = await c.diagnostics_for(app.as_uri(), version=1)
            assert sorted(d.range.start.line for d in pub.diagnostics) == [4, 8]
            broken = "import time\ndef (:\n" + TWO_SLEEPS.split("\n", 1)[1]  # a new broken line 2
            c.change(app, broken, version=2)
            pub = await c.diagnostics_for(app.as_uri(), version=2)
            got = sorted((str(d.code), d.range.start.line) for d in pub.diagnostics)
            assert ("FAK000", 1) in got
            assert ("FAK103", 5) in got and ("FAK103", 9) in got, got  # moved down one line
            c.change(app, TWO_SLEEPS, version=3)
            pub = await c.diagnostics_for(app.as_uri(), version=3)
            assert sorted(str(d.code) for d in pub.diagnostics) == ["FAK103", "FAK103"]
        finally:
            await c.stop()

    run(scenario())
