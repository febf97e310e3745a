"""One expression, one finding (issue: three FAK104 and three nested thread hops for
`Path.cwd().absolute().resolve()`), and how entered locks are shown."""
import json

from conftest import run_cli

SRC = '''import os
import threading
from pathlib import Path

lock = threading.Lock()


async def handler(p):
    here = Path.cwd().absolute().resolve()
    data = open(p).read()
    listing = os.popen("ls").read()
    with lock:  # a section with a loop: not brief
        for _ in range(3):
            pass
    return here, data, listing
'''


def diags(tmp_path):
    (tmp_path / "m.py").write_text(SRC)
    code, out, err = run_cli(["check", "--no-cache", "--isolated", "--format", "json", "--unsafe-fixes", "m.py"],
                             cwd=tmp_path)
    assert code == 1, err
    return json.loads(out)


def test_chain_of_blocking_calls_is_one_finding_with_one_offload(tmp_path):
    ds = diags(tmp_path)
    by_line = {}
    for d in ds:
        by_line.setdefault(d["location"]["row"], []).append(d)
    # cwd() and absolute() do no disk I/O: only resolve() blocks
    assert [d["code"] for d in by_line[9]] == ["FAK104"]
    # open(p).read(): one FAK104, fixed by one worker thread for the whole expression
    assert [d["code"] for d in by_line[10]] == ["FAK104"]
    edit = "".join(e["content"] for e in by_line[10][0]["fix"]["edits"])
    assert "to_thread(lambda: " in edit and edit.count("to_thread") == 1
    # os.popen(...).read(): the subprocess keeps its own code, and only the outer finding carries the fix
    codes = sorted(d["code"] for d in by_line[11])
    assert codes == ["FAK104", "FAK105"]
    fixes = [d["fix"] for d in by_line[11] if d["fix"] and d["fix"]["edits"]]
    assert len(fixes) == 1 and "to_thread(lambda: " in "".join(e["content"] for e in fixes[0]["edits"])


def test_entered_lock_is_shown_as_a_with_statement(tmp_path):
    ds = [d for d in diags(tmp_path) if d["code"] == "FAK107"]
    assert len(ds) == 1 and "`with lock:`" in ds[0]["message"] and "lock()" not in ds[0]["message"]
