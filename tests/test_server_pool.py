"""The language server with its default worker pool (no ``--jobs 1``), driven by real stdio clients.

Regression for the deadlock where the pool was forked while pygls' reader thread held stdin: with 24 or
more files to analyse, the forked workers hung in multiprocessing's start-up and no diagnostics came.
Also: no process is left behind when the client exits, or dies without a word.
"""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls.lsp.client", reason="pygls 2 is needed (pip install 'fakeasync-lint[server]')")
from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 90
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree in /proc")


def make_project(tmp_path: Path, n: int = 50) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for i in range(n):
        (pkg / f"mod{i}.py").write_text(
            f"import time\n\n\ndef helper{i}():\n    time.sleep({i})\n\n\nasync def handler{i}():\n    return helper{i}()\n"
        )
    return tmp_path


def descendants(pid: int) -> set:
    """Every live process below ``pid`` (children, grandchildren: a fork server's workers)."""
    parent = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            continue
        parent[int(entry)] = int(fields[1])
    out, frontier = set(), {pid}
    while frontier:
        nxt = {p for p, pp in parent.items() if pp in frontier and p not in out}
        out |= nxt
        frontier = nxt
    return out


def alive(pids) -> set:
    live = set()
    for p in pids:
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[0] != "Z":
            live.add(p)
    return live


def wait_gone(pids, timeout=15.0) -> set:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = alive(pids)
        if not left:
            return left
        time.sleep(0.1)
    return alive(pids)


def server_env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def new_client(name: str):
    """A pygls client whose published diagnostics land in the returned queue."""
    client = LanguageClient(name, "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params):
        published.put_nowait(params)

    return client, published


def test_default_jobs_cold_project_then_many_changed_files(tmp_path):
    """50 files, cold cache, default jobs: diagnostics arrive; 30 files change on disk: they arrive again;
    after shutdown/exit no worker is left."""
    project = make_project(tmp_path)
    target = project / "app" / "mod7.py"
    seen: set = set()

    async def scenario():
        client, published = new_client("fakeasync-pool-test")

        await client.start_io(sys.executable, "-m", "fakeasync_lint.server", "--debounce", "0.05",
                              cwd=str(project), env=server_env())
        server_pid = client._server.pid
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            process_id=os.getpid(), root_uri=project.as_uri(), capabilities=types.ClientCapabilities())), TIMEOUT)
        client.initialized(types.InitializedParams())

        async def diagnostics_for(uri, version):
            while True:
                seen.update(descendants(server_pid))
                try:
                    params = await asyncio.wait_for(published.get(), 0.5)
                except asyncio.TimeoutError:
                    continue
                if params.uri == uri and params.version == version:
                    return params

        text = target.read_text()
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=target.as_uri(), language_id="python", version=1, text=text)))
        first = await asyncio.wait_for(diagnostics_for(target.as_uri(), 1), TIMEOUT)
        assert sorted(str(d.code) for d in first.diagnostics) == ["FAK401"]

        # a `git pull` changing 30 files: each helper now also reads a file; the open file is saved
        for i in range(30):
            p = project / "app" / f"mod{i}.py"
            p.write_text(p.read_text().replace("    time.sleep(", "    open('x').read()\n    time.sleep("))
        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=target.as_uri())))
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=target.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=target.read_text())]))
        second = await asyncio.wait_for(diagnostics_for(target.as_uri(), 2), TIMEOUT)
        assert [str(d.code) for d in second.diagnostics] == ["FAK401"]
        assert "open" in second.diagnostics[0].message

        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
        await asyncio.wait_for(client.stop(), TIMEOUT)
        return server_pid

    server_pid = asyncio.run(asyncio.wait_for(scenario(), 3 * TIMEOUT))
    assert len(seen) >= 2, f"the pool was expected to start workers, saw {seen}"
    assert not wait_gone(seen | {server_pid}), "processes left behind after exit"


def _frame(obj: dict) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read_message(stream) -> dict:
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise EOFError
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))


def test_client_dies_mid_run_leaves_nothing_behind(tmp_path):
    """The client opens a file in a cold 60-file project and dies (stdin closed, no shutdown) while the
    pool is indexing: the server and every worker exit."""
    project = make_project(tmp_path, 60)
    target = project / "app" / "mod3.py"
    proc = subprocess.Popen([sys.executable, "-m", "fakeasync_lint.server", "--debounce", "0"],
                            cwd=str(project), env=server_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": project.as_uri(), "capabilities": {}}}))
        proc.stdin.flush()
        assert _read_message(proc.stdout)["id"] == 1
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": target.as_uri(), "languageId": "python", "version": 1, "text": target.read_text()}}}))
        proc.stdin.flush()
        seen: set = set()
        deadline = time.monotonic() + TIMEOUT
        while len(seen) < 2 and time.monotonic() < deadline:  # wait for the pool's workers to appear
            seen |= descendants(proc.pid)
            time.sleep(0.02)
        assert len(seen) >= 2, "the pool never started"
        proc.stdin.close()  # the client is gone
        proc.wait(TIMEOUT)
        assert not wait_gone(seen), "workers left behind after the client died"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_indexing_shows_work_done_progress_and_logs(tmp_path):
    """Indexing a cold project shows `$/progress` (begin ... end) to a client that supports it, and logs
    a line when it is done; reading an installed library's code the first time (library facts) is logged
    too."""
    from test_libfacts import make_env

    project = make_project(tmp_path, 30)
    make_env(project, libs={"slowsdk/__init__.py": "import time\n\n\ndef fetch():\n    time.sleep(1)\n"})
    (project / "app" / "uses_sdk.py").write_text("import slowsdk\n\n\nasync def handler():\n    slowsdk.fetch()\n")
    target = project / "app" / "mod1.py"
    events: list = []
    logs: list = []

    async def scenario():
        client, published = new_client("fakeasync-progress-test")

        @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def on_create(params):
            events.append(("create", params.token))
            return None

        @client.feature(types.PROGRESS)
        def on_progress(params):
            kind = params.value.get("kind") if isinstance(params.value, dict) else getattr(params.value, "kind", None)
            events.append((str(kind), params.token))

        @client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params):
            logs.append(params.message)

        env = dict(server_env(), XDG_CACHE_HOME=str(tmp_path / "xdg"))
        env.pop("VIRTUAL_ENV", None)
        await client.start_io(sys.executable, "-m", "fakeasync_lint.server", "--debounce", "0",
                              cwd=str(project), env=env)
        caps = types.ClientCapabilities(window=types.WindowClientCapabilities(work_done_progress=True))
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            process_id=os.getpid(), root_uri=project.as_uri(), capabilities=caps)), TIMEOUT)
        client.initialized(types.InitializedParams())
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=target.as_uri(), language_id="python", version=1, text=target.read_text())))
        while True:
            params = await asyncio.wait_for(published.get(), TIMEOUT)
            if params.uri == target.as_uri():
                break
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (logs and any(e[0] == "end" for e in events)):
            await asyncio.sleep(0.05)
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
        await asyncio.wait_for(client.stop(), TIMEOUT)

    asyncio.run(asyncio.wait_for(scenario(), 3 * TIMEOUT))
    kinds = [e[0] for e in events]
    assert kinds[0] == "create" and "begin" in kinds and kinds[-1] == "end", events
    assert any("indexed" in m and "files" in m for m in logs), logs
    assert any("reading slowsdk 1.0" in m for m in logs), logs
