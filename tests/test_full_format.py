"""`--format full`: ruff's full output, the finding's source lines in a numbered gutter with the range
underlined, then the help and the chain."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_cli

from fakeasync_lint.models import Diagnostic, Frame, Location
from fakeasync_lint.output import render
from fakeasync_lint.output.text import code_frame

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "full_frame.py"

EXPECTED = """\
full_frame.py:9:19: FAK103 [*] `time.sleep()` blocks the event loop in `async def poll`: it suspends the whole thread, and with it the event loop
   |
 8 | async def poll(url):
 9 |     label = "数据"; time.sleep(1)  # error: FAK103
   |                     ^^^^^^^^^^^^^ FAK103
10 |     return requests.get(  # error: FAK102
11 |         url,
   |
  help: `await asyncio.sleep(...)`

full_frame.py:10:12: FAK102 `requests.get()` blocks the event loop in `async def poll`: it performs the whole HTTP round trip on a blocking socket
   |
 8 | async def poll(url):
 9 |     label = "数据"; time.sleep(1)  # error: FAK103
10 |     return requests.get(  # error: FAK102
   |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
11 |         url,
   |         ^^^^
12 |         timeout=5,
   |         ^^^^^^^^^^
13 |     ), label
   |     ^ FAK102
   |
  help: `httpx.AsyncClient` (`await client.get(...)`) or `aiohttp.ClientSession`

Found 2 errors (FAK102: 1, FAK103: 1).
[*] 1 fixable with --fix (1 more with --unsafe-fixes)
"""


def _project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    shutil.copy(FIXTURE, tmp_path / "full_frame.py")
    return tmp_path


def test_full_prints_a_code_frame_under_each_finding(tmp_path):
    # the wide characters before `time.sleep` take two cells each: the carets stay under the call
    code, out, err = run_cli(["check", "--format", "full", "--no-cache", "--color", "never", "full_frame.py"],
                             cwd=_project(tmp_path))
    assert code == 1, err
    assert out == EXPECTED


def test_text_has_no_frame_and_full_is_text_plus_the_frames(tmp_path):
    p = _project(tmp_path)
    _, text, _ = run_cli(["check", "--no-cache", "--color", "never", "full_frame.py"], cwd=p)
    _, full, _ = run_cli(["check", "--format", "full", "--no-cache", "--color", "never", "full_frame.py"], cwd=p)
    assert " | " not in text
    frame_lines = [ln for ln in full.splitlines() if ln.lstrip().startswith(("|",)) or " | " in ln[:6]]
    assert [ln for ln in full.splitlines() if ln not in frame_lines] == text.splitlines()


def test_full_frames_the_buffer_not_the_file_on_disk(tmp_path):
    p = _project(tmp_path)
    buffer = "import time\n\n\nasync def f():\n    time.sleep(2)  # from the buffer\n"
    code, out, _ = run_cli(["check", "--format", "full", "--no-cache", "--stdin-filename", "full_frame.py", "-"],
                           cwd=p, input=buffer)
    assert code == 1
    assert "\n4 | async def f():\n5 |     time.sleep(2)  # from the buffer\n  |     ^^^^^^^^^^^^^ FAK103\n" in out
    assert "数据" not in out


def test_full_works_with_group_by_and_statistics(tmp_path):
    p = _project(tmp_path)
    code, out, err = run_cli(["check", "--format", "full", "--no-cache", "--statistics", "full_frame.py"], cwd=p)
    assert code == 1 and "FAK103" in out and " | " not in out, err
    code, out, err = run_cli(["check", "--format", "full", "--no-cache", "--group-by", "root", "full_frame.py"], cwd=p)
    assert code == 1 and "full_frame.py:9:19: FAK103" in out, err


def _diag(row, col, end_row, end_col, code="FAK104"):
    return Diagnostic(code=code, message="m", path="a.py", filename="/x/a.py", location=Location(row, col),
                      end_location=Location(end_row, end_col),
                      trace=[Frame("b.py", 3, 5, "helper", "`open(p)` blocks")])


def test_tabs_are_expanded_and_the_carets_follow():
    lines = ["async def f():", "\tx = open(p)"]
    assert code_frame(_diag(2, 6, 2, 13), lines) == [
        "  |",
        "1 | async def f():",
        "2 |     x = open(p)",
        "  |         ^^^^^^^ FAK104",
        "  |",
    ]


def test_a_range_outside_the_file_gives_no_frame_but_the_rest_of_the_block():
    # the file changed (shrank) after the analysis: header, help and chain, no frame
    out = render([_diag(40, 1, 40, 5)], "full", source_lines=lambda d: ["x = 1"], summary=False)
    assert out == "a.py:40:1: FAK104 m\n    \u2192 b.py:3 helper: `open(p)` blocks\n\n"
    # an unreadable file: the same
    assert render([_diag(1, 1, 1, 2)], "full", source_lines=lambda d: None, summary=False) == (
        "a.py:1:1: FAK104 m\n    \u2192 b.py:3 helper: `open(p)` blocks\n\n")


def test_context_stops_at_blank_lines_and_gutter_widens():
    lines = [""] * 97 + ["", "def g():", "    y = read()", "", ""]
    frame = code_frame(_diag(100, 9, 100, 15), lines)
    assert frame == [
        "    |",
        " 99 | def g():",
        "100 |     y = read()",
        "    |         ^^^^^^ FAK104",
        "    |",
    ]
