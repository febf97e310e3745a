"""`check --watch`: check, then check again after each change to a project file (a real process, a real
edit, Ctrl-C), using the incremental state."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

from conftest import run_cli

DB = "def load(key):\n    return {'key': key}\n"
API = "from app.db import load\n\n\nasync def handler(key):\n    return load(key)\n"


def _project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "db.py").write_text(DB)
    (tmp_path / "app" / "api.py").write_text(API)
    return tmp_path


class _Lines:
    """The process's output lines, read on a thread so that every wait has a deadline."""

    def __init__(self, stream):
        self.q: "queue.Queue[str]" = queue.Queue()
        self.seen: list = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in iter(stream.readline, ""):
            self.q.put(line)
        self.q.put(None)

    def rest(self, timeout=10.0) -> str:
        """Everything until the end of the output."""
        while True:
            line = self.q.get(timeout=timeout)
            if line is None:
                return "".join(self.seen)
            self.seen.append(line)

    def until(self, predicate, timeout=30.0) -> list:
        got = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"timed out; output so far: {''.join(self.seen)!r}"
            try:
                line = self.q.get(timeout=left)
            except queue.Empty:
                continue
            assert line is not None, f"the process ended; output: {''.join(self.seen)!r}"
            self.seen.append(line)
            got.append(line)
            if predicate(line):
                return got


def test_watch_checks_again_after_an_edit_and_ctrl_c_exits_0(tmp_path):
    root = _project(tmp_path)
    env = dict(os.environ, NO_COLOR="1", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "fakeasync_lint", "check", "--watch", "app/api.py"], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        out = _Lines(proc.stdout)
        first = out.until(lambda ln: ln.startswith(("All checks passed!", "Found ")))
        assert first[0].startswith("[") and "Watching app/api.py for changes (Ctrl-C to stop)." in first[0]
        assert first[-1] == "All checks passed!\n"
        # a file that was not given changes: the helper now blocks, so the given file's handler reports
        time.sleep(0.05)
        (root / "app" / "db.py").write_text("import time\n\n\n" + DB.replace("    return", "    time.sleep(1)\n    return"))
        second = out.until(lambda ln: ln.startswith(("All checks passed!", "Found ")))
        sep = [ln for ln in second if "changed" in ln]
        assert len(sep) == 1 and "1 file changed (app/db.py): checking again" in sep[0] and sep[0].startswith("-")
        assert any(ln.startswith("app/api.py:5:12: FAK401 calls `load()`, which blocks") for ln in second)
        assert second[-1] == "Found 1 error (FAK401: 1).\n"
        # and back
        (root / "app" / "db.py").write_text(DB)
        third = out.until(lambda ln: ln.startswith(("All checks passed!", "Found ")))
        assert third[-1] == "All checks passed!\n"
        # a broken config while watching: the error, then the check again once it is fixed
        config = root / "pyproject.toml"
        config.write_text("[tool.fakeasync-lint]\nselect = 5\n")
        broken = out.until(lambda ln: ln.startswith("fakeasync-lint: error:"))
        assert "1 file changed (pyproject.toml)" in "".join(broken)
        config.write_text("[tool.fakeasync-lint]\nselect = [\"FAK1\"]\n")
        fixed = out.until(lambda ln: ln.startswith(("All checks passed!", "Found ")))
        assert "1 file changed (pyproject.toml)" in "".join(fixed) and fixed[-1] == "All checks passed!\n"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        everything = out.rest()
        assert everything.endswith("Stopped watching.\n") and "Traceback" not in everything
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_watch_refuses_stdin_and_diff(tmp_path):
    root = _project(tmp_path)
    code, out, err = run_cli(["check", "--watch", "--stdin-filename", "app/api.py", "-"], cwd=root, input=API)
    assert code == 2 and "--watch checks files on disk" in err
    code, out, err = run_cli(["check", "--watch", "--diff", "."], cwd=root)
    assert code == 2 and "--watch cannot be used with --diff" in err


def test_watch_sees_a_new_file(tmp_path):
    root = _project(tmp_path)
    env = dict(os.environ, NO_COLOR="1", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "fakeasync_lint", "check", "--watch", "."], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        out = _Lines(proc.stdout)
        assert out.until(lambda ln: ln.startswith(("All checks passed!", "Found ")))[-1] == "All checks passed!\n"
        (root / "app" / "jobs.py").write_text("import time\n\n\nasync def poll():\n    time.sleep(1)\n")
        second = out.until(lambda ln: ln.startswith(("All checks passed!", "Found ")))
        assert any("1 file changed (app/jobs.py)" in ln for ln in second)
        assert second[-1] == "Found 1 error (FAK103: 1).\n"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
