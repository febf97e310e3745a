"""Autofix: fix edits (fixes.py), applying them (apply.py) and `check --fix / --unsafe-fixes / --diff`.

Golden files: ``fixtures/fixes/NAME.py`` fixed with the flags below must equal ``NAME.py.fixed``, and a
second run must change nothing.  Regenerate them with ``FAKEASYNC_UPDATE_GOLDEN=1 pytest tests/test_fixes.py``
(then read the diff!).
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import libcst as cst
import pytest

from conftest import FIXTURES, ROOT, run_cli
from fakeasync_lint.apply import apply_fixes, unified_diff, write_atomic
from fakeasync_lint.fixes import fix_for_edge, fix_for_site
from fakeasync_lint.models import DISPLAY_ONLY, SAFE, UNSAFE, Diagnostic, Edit, Fix, Location

FIXES = FIXTURES / "fixes"
UPDATE = bool(os.environ.get("FAKEASYNC_UPDATE_GOLDEN"))

# fixture -> extra flags for `check --fix`
GOLDEN = {
    "sleep.py": [],
    "run.py": [],
    "future.py": [],
    "django.py": [],
    "to_thread.py": ["--unsafe-fixes"],
    "anyio_lib.py": ["--unsafe-fixes"],
    "loops.py": ["--unsafe-fixes"],
    "display.py": ["--unsafe-fixes"],
}
ERROR_RE = re.compile(r"#\s*error:\s*([A-Z0-9_,\s]+?)\s*(?:#|$)")


def check(args, cwd, input=None):
    return run_cli(["check", "--no-cache", "--isolated", *args], cwd=cwd, input=input)


def fix_copy(tmp_path, name, flags):
    dst = tmp_path / name
    shutil.copyfile(FIXES / name, dst)
    code, out, err = check(["--fix", *flags, name], cwd=tmp_path)
    assert code in (0, 1), err
    return dst, code, out, err


def annotated(path: Path):
    out = set()
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = ERROR_RE.search(line) if "#" in line else None
        if m:
            out |= {(i, c) for c in re.split(r"[,\s]+", m.group(1).strip()) if c}
    return out


# ---- golden files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_fixture_annotations_match(name, tmp_path):
    """The `# error:` lines of each fix fixture are exactly what is reported (so the golden is meaningful)."""
    shutil.copyfile(FIXES / name, tmp_path / name)
    code, out, err = check(["--format", "json", "--select", "FAK1,FAK2", name], cwd=tmp_path)
    assert code in (0, 1), err
    got = {(d["location"]["row"], d["code"]) for d in json.loads(out)}
    assert got == annotated(FIXES / name)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_fixed_and_idempotent(name, tmp_path):
    flags = GOLDEN[name]
    dst, code, out, err = fix_copy(tmp_path, name, flags)
    fixed = dst.read_bytes()
    golden = FIXES / (name + ".fixed")
    if UPDATE:
        golden.write_bytes(fixed)
    assert fixed.decode("utf-8") == golden.read_text(encoding="utf-8")
    cst.parse_module(fixed.decode("utf-8"))
    compile(fixed, name, "exec")
    # idempotent: a second --fix changes nothing, and --diff has nothing to show
    code2, out2, err2 = check(["--fix", *flags, name], cwd=tmp_path)
    assert dst.read_bytes() == fixed
    assert "Fixed" not in err2
    code3, out3, err3 = check(["--diff", *flags, name], cwd=tmp_path)
    assert (code3, out3) == (0, "")


def test_every_fixable_kind_has_a_golden():
    kinds = {"sleep": "sleep.py", "to_thread": "to_thread.py", "await_arg": "run.py", "wrap_future": "future.py",
             "django_async": "django.py", "display": "display.py"}
    for kind, name in kinds.items():
        assert (FIXES / name).is_file() and (FIXES / (name + ".fixed")).is_file(), kind


def test_safe_fix_exit_codes_and_summary(tmp_path):
    dst, code, out, err = fix_copy(tmp_path, "sleep.py", [])
    assert code == 0 and "Fixed 7 errors." in err and "All checks passed!" in out
    # to_thread fixes are unsafe: plain --fix leaves them, reports them and exits 1
    shutil.copyfile(FIXES / "to_thread.py", tmp_path / "t.py")
    before = (tmp_path / "t.py").read_bytes()
    code, out, err = check(["--fix", "t.py"], cwd=tmp_path)
    assert code == 1 and (tmp_path / "t.py").read_bytes() == before
    assert "fixable with --unsafe-fixes" in out
    code, out, err = check(["--fix", "--unsafe-fixes", "t.py"], cwd=tmp_path)
    assert code == 0 and "Fixed 12 errors." in err


def test_diff_changes_nothing_and_exits_1(tmp_path):
    shutil.copyfile(FIXES / "to_thread.py", tmp_path / "t.py")
    before = (tmp_path / "t.py").read_bytes()
    code, out, err = check(["--diff", "t.py"], cwd=tmp_path)
    assert code == 0 and out == ""  # only unsafe fixes: nothing safe to show
    code, out, err = check(["--diff", "--unsafe-fixes", "t.py"], cwd=tmp_path)
    assert code == 1
    assert out.startswith("--- t.py\n+++ t.py\n@@ ")
    assert "+import asyncio\n" in out
    assert "-    r = requests.get(url, timeout=5)  # error: FAK102\n" in out
    assert "+    r = await asyncio.to_thread(requests.get, url, timeout=5)  # error: FAK102\n" in out
    assert (tmp_path / "t.py").read_bytes() == before
    # the diff is exactly what --fix then writes
    check(["--fix", "--unsafe-fixes", "t.py"], cwd=tmp_path)
    assert unified_diff(before.decode(), (tmp_path / "t.py").read_text(), "t.py") == out


def test_json_carries_unsafe_fix_edits_without_fix(tmp_path):
    shutil.copyfile(FIXES / "to_thread.py", tmp_path / "t.py")
    before = (tmp_path / "t.py").read_bytes()
    code, out, err = check(["--format", "json", "t.py"], cwd=tmp_path)
    assert code == 1 and (tmp_path / "t.py").read_bytes() == before
    rows = json.loads(out)
    get = next(d for d in rows if d["location"]["row"] == 10)
    assert get["fix"]["applicability"] == "unsafe"
    assert get["fix"]["edits"] == [
        {"content": "import asyncio\n", "location": {"row": 2, "column": 1}, "end_location": {"row": 2, "column": 1}},
        {"content": "await asyncio.to_thread(", "location": {"row": 10, "column": 9},
         "end_location": {"row": 10, "column": 9}},
        {"content": ", ", "location": {"row": 10, "column": 21}, "end_location": {"row": 10, "column": 22}},
    ]
    assert all(d["fix"] and d["fix"]["edits"] for d in rows)


def test_json_display_only_has_replacement(tmp_path):
    shutil.copyfile(FIXES / "display.py", tmp_path / "d.py")
    code, out, err = check(["--format", "json", "--select", "FAK201", "d.py"], cwd=tmp_path)
    rows = json.loads(out)
    eng = next(d for d in rows if "SQLAlchemy" in d["message"])
    assert eng["fix"]["applicability"] == "displayonly"
    assert "create_async_engine(\"postgresql+asyncpg://" in eng["fix"]["message"]
    assert [e["content"] for e in eng["fix"]["edits"]] == ["create_async_engine", "postgresql+asyncpg"]


def test_json_after_fix_reports_what_is_left(tmp_path):
    shutil.copyfile(FIXES / "future.py", tmp_path / "f.py")
    code, out, err = check(["--fix", "--format", "json", "f.py"], cwd=tmp_path)
    rows = json.loads(out)
    assert code == 1 and [(d["code"], d["fix"]["applicability"]) for d in rows] == [("FAK107", "unsafe")]


# ---- files: encodings, newlines, modes, links, read-only, syntax errors -----------------------------

SRC = '"""Doc."""\nimport time\n\n\nasync def f():\n    time.sleep(1)\n    return "caf\u00e9"\n'
FIXED = '"""Doc."""\nimport asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n    return "caf\u00e9"\n'


def test_crlf_and_bom_kept(tmp_path):
    # crlf_bom.py: written here, since git may normalise CRLF in committed fixtures
    p = tmp_path / "crlf_bom.py"
    p.write_bytes(b"\xef\xbb\xbf" + SRC.replace("\n", "\r\n").encode("utf-8"))
    code, out, err = check(["--fix", "crlf_bom.py"], cwd=tmp_path)
    assert code == 0, out + err
    data = p.read_bytes()
    assert data == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode("utf-8")
    assert b"\n" not in data.replace(b"\r\n", b"")
    code, out, err = check(["--fix", "crlf_bom.py"], cwd=tmp_path)
    assert p.read_bytes() == data


def test_crlf_multiline_fix(tmp_path):
    p = tmp_path / "m.py"
    src = "import requests\n\n\nasync def f(u):\n    return requests.get(  # why\n        u,\n    )\n"
    p.write_bytes(src.replace("\n", "\r\n").encode())
    code, out, err = check(["--fix", "--unsafe-fixes", "m.py"], cwd=tmp_path)
    assert code == 0, out + err
    want = ("import asyncio\nimport requests\n\n\nasync def f(u):\n"
            "    return await asyncio.to_thread(requests.get,  # why\n        u,\n    )\n")
    assert p.read_bytes() == want.replace("\n", "\r\n").encode()


def test_latin1_coding_cookie_kept(tmp_path):
    p = tmp_path / "latin.py"
    src = "# -*- coding: latin-1 -*-\n" + SRC
    p.write_bytes(src.encode("latin-1"))
    code, out, err = check(["--fix", "latin.py"], cwd=tmp_path)
    assert code == 0, out + err
    data = p.read_bytes()
    assert data == ("# -*- coding: latin-1 -*-\n" + FIXED).encode("latin-1")
    assert b"caf\xe9" in data


def test_bom_with_latin1_cookie_is_never_written(tmp_path):
    # a BOM and a non-UTF-8 cookie together is a SyntaxError for Python: reported, never touched
    p = tmp_path / "bad.py"
    data = b"\xef\xbb\xbf# -*- coding: latin-1 -*-\n" + SRC.encode("utf-8")
    p.write_bytes(data)
    code, out, err = check(["--fix", "bad.py"], cwd=tmp_path)
    assert code == 1 and "FAK000" in out and p.read_bytes() == data


def test_syntax_error_file_untouched(tmp_path):
    bad = tmp_path / "bad.py"
    good = tmp_path / "good.py"
    bad_src = b"import time\n\n\nasync def f():\n    time.sleep(1)\n    x = (\n"
    bad.write_bytes(bad_src)
    good.write_text(SRC, encoding="utf-8")
    code, out, err = check(["--fix", "."], cwd=tmp_path)
    assert code == 1 and "FAK000" in out
    assert bad.read_bytes() == bad_src
    assert good.read_text(encoding="utf-8") == FIXED


def test_mode_kept(tmp_path):
    p = tmp_path / "script.py"
    p.write_text("#!/usr/bin/env python\n" + SRC.split("\n", 1)[1], encoding="utf-8")
    os.chmod(p, 0o751)
    check(["--fix", "script.py"], cwd=tmp_path)
    assert "await asyncio.sleep(1)" in p.read_text()
    assert stat.S_IMODE(p.stat().st_mode) == 0o751
    assert sorted(x.name for x in tmp_path.iterdir()) == ["script.py"]  # no temporary file left


def test_symlink_written_through(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "target.py"
    target.write_text(SRC, encoding="utf-8")
    os.chmod(target, 0o640)
    link = tmp_path / "link.py"
    link.symlink_to(target)
    code, out, err = check(["--fix", "link.py"], cwd=tmp_path)
    assert code == 0, out + err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(x.name for x in real_dir.iterdir()) == ["target.py"]


def test_read_only_file_clear_error_no_write(tmp_path):
    p = tmp_path / "ro.py"
    p.write_text(SRC, encoding="utf-8")
    os.chmod(p, 0o444)
    try:
        code, out, err = check(["--fix", "ro.py"], cwd=tmp_path)
        # documented: the file is reported as not written and its diagnostics stay (exit 1; 2 once the
        # CLI maps apply errors to exit 2)
        assert code in (1, 2)
        assert "fakeasync-lint: error: cannot write ro.py: file is read-only" in err
        assert "Fixed" not in err
        assert p.read_text(encoding="utf-8") == SRC
        assert stat.S_IMODE(p.stat().st_mode) == 0o444
        assert sorted(x.name for x in tmp_path.iterdir()) == ["ro.py"]
        assert "FAK103" in out
    finally:
        os.chmod(p, 0o644)


def test_stdin_fix_prints_fixed_text(tmp_path):
    code, out, err = check(["--fix", "--stdin-filename", "mod.py", "-"], cwd=tmp_path, input=SRC)
    assert out == FIXED and code == 0
    code, out, err = check(["--fix", "--stdin-filename", "mod.py", "-"], cwd=tmp_path,
                           input="import requests\n\n\nasync def f(u):\n    return requests.get(u)\n")
    assert out == "import requests\n\n\nasync def f(u):\n    return requests.get(u)\n" and code == 1
    assert not (tmp_path / "mod.py").exists()


def test_real_process_fix(tmp_path):
    """Through a real interpreter process (`python -m fakeasync_lint`)."""
    shutil.copyfile(FIXES / "to_thread.py", tmp_path / "to_thread.py")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "--isolated"]
    p = subprocess.run(cmd + ["--diff", "--unsafe-fixes", "to_thread.py"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 1 and p.stdout.startswith("--- to_thread.py")
    p = subprocess.run(cmd + ["--fix", "--unsafe-fixes", "to_thread.py"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Fixed 12 errors." in p.stderr
    assert (tmp_path / "to_thread.py").read_text() == (FIXES / "to_thread.py.fixed").read_text()
    p = subprocess.run(cmd + ["--fix", "--unsafe-fixes", "to_thread.py"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and "Fixed" not in p.stderr


# ---- the seed-like app --------------------------------------------------------------------------


def test_seed_app_unsafe_fix_leaves_only_display_only(tmp_path):
    app = tmp_path / "seed_app"
    shutil.copytree(FIXTURES / "seed_app", app)
    code, out, err = check(["--format", "json", "seed_app"], cwd=tmp_path)
    before = json.loads(out)
    code, out, err = check(["--fix", "--unsafe-fixes", "--format", "json", "seed_app"], cwd=tmp_path)
    assert code in (0, 1), err
    for f in app.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        cst.parse_module(text)
        compile(text, str(f), "exec")
    left = json.loads(out)
    # blocking-call findings (FAK1xx, FAK4xx) must all be gone; what stays is display-only (FAK201 driver
    # swaps) or a loop-performance finding (FAK3xx) whose gather rewrite does not apply to that loop
    not_display = [(d["code"], d["filename"], d["location"]["row"]) for d in left
                   if not (d["fix"] and d["fix"]["applicability"] == "displayonly") and not d["code"].startswith("FAK3")]
    assert not_display == []
    assert {d["code"] for d in left} <= {"FAK201", "FAK301", "FAK302"}
    assert all(d["fix"] is None or d["fix"]["applicability"] == "displayonly" for d in left)
    # and a second run changes nothing
    snap = {f: f.read_bytes() for f in app.rglob("*.py")}
    check(["--fix", "--unsafe-fixes", "seed_app"], cwd=tmp_path)
    assert {f: f.read_bytes() for f in app.rglob("*.py")} == snap


# ---- fixes.py units ----------------------------------------------------------------------------------


def site(text, fix="to_thread", line=5, col=5, **kw):
    nl = text.count("\n")
    end_col = (col + len(text)) if not nl else len(text) - text.rfind("\n")
    base = dict(func="m.f", module="m", path="/x/m.py", line=line, col=col, end_line=line + nl, end_col=end_col,
                text=text, label="x", family="requests", api="requests.get", fix=fix, replacement=None,
                awaited=False, in_loop=False, iteration=False, user_pattern=None, trailer=False)
    base.update(kw)
    return SimpleNamespace(**base)


SUMMARY = {"imports": {"time": "time"}, "import_line": 2}


def content(fx: Fix, text: str, line=5, col=5) -> str:
    """Apply a fix's edits (without the import) to the call text alone."""
    body = [e for e in fx.edits if not e.content.startswith("import ")]
    offs = []
    for e in body:
        for loc in (e.location, e.end_location):
            assert loc.row == line, "single-line texts only"
        offs.append((e.location.column - col, e.end_location.column - col, e.content))
    out, last = [], 0
    for s, t, c in sorted(offs):
        out.append(text[last:s] + c)
        last = t
    return "".join(out) + text[last:]


@pytest.mark.parametrize("text,kind,kw,want,app", [
    ("time.sleep(1)", "sleep", {}, "await asyncio.sleep(1)", SAFE),
    ("time.sleep(1)", "sleep", {"trailer": True}, "(await asyncio.sleep(1))", SAFE),
    ("time.sleep(secs=1)", "sleep", {}, "await asyncio.to_thread(time.sleep, secs=1)", UNSAFE),
    ("cursor.execute(q, p)", "to_thread", {}, "await asyncio.to_thread(cursor.execute, q, p)", UNSAFE),
    ("cursor.fetchall()", "to_thread", {"trailer": True}, "(await asyncio.to_thread(cursor.fetchall))", UNSAFE),
    ("f (x, *a, **k)", "to_thread", {}, "await asyncio.to_thread(f, x, *a, **k)", UNSAFE),
    ("f( x)", "to_thread", {}, "await asyncio.to_thread(f, x)", UNSAFE),
    ("asyncio.run(main())", "await_arg", {}, "await main()", SAFE),
    ("asyncio.run(a or b)", "await_arg", {}, "await (a or b)", SAFE),
    ("loop.run_until_complete(c).x", None, {}, None, None),
    ("fut.result()", "wrap_future", {}, "await asyncio.wrap_future(fut)", SAFE),
    ("fut.result(timeout=3)", "wrap_future", {}, "await asyncio.wait_for(asyncio.wrap_future(fut), 3)", UNSAFE),
    ("User.objects.get(pk=1)", "django_async", {}, "await User.objects.aget(pk=1)", SAFE),
    ("obj.save()", "django_async", {"trailer": True}, "(await obj.asave())", SAFE),
    ("qs.iterator()", "django_async", {}, None, DISPLAY_ONLY),
    ("lock.acquire()", "display", {}, None, DISPLAY_ONLY),
    ("time.sleep(1)", "sleep", {"in_loop": True}, "await asyncio.sleep(1)", UNSAFE),  # loop or genexp? unknown
    ("time.sleep(1)", "sleep", {"in_loop": True, "in_genexp": False}, "await asyncio.sleep(1)", SAFE),
    ("time.sleep(1)", "sleep", {"in_loop": True, "in_genexp": True}, None, DISPLAY_ONLY),
    ("x.y(" + "a, " * 1000 + "\u2026", "to_thread", {}, None, DISPLAY_ONLY),  # cut by the analysis
    ("log.write('wait\u2026')", "to_thread", {}, "await asyncio.to_thread(log.write, 'wait\u2026')", UNSAFE),
])
def test_fix_for_site_shapes(text, kind, kw, want, app):
    if kind is None:
        return
    fx = fix_for_site(site(text, kind, **kw), "asyncio", "sugg", SUMMARY)
    assert fx.applicability == app
    if want is None:
        assert fx.edits == ()
        return
    assert content(fx, text) == want
    assert fx.edits[0] == Edit("import asyncio\n", Location(2, 1), Location(2, 1)) or kind in ("await_arg", "django_async")


def test_imports_only_when_missing():
    fx = fix_for_site(site("time.sleep(1)", "sleep"), "asyncio", None, {"imports": {"asyncio": "asyncio"}, "import_line": 3})
    assert [e.content for e in fx.edits] == ["await ", "asyncio.sleep"]
    assert fx.imports == ("asyncio",)
    # `from asyncio import sleep` only, or `import asyncio as aio`: still `import asyncio`
    for imports in ({"sleep": "asyncio.sleep"}, {"aio": "asyncio"}):
        fx = fix_for_site(site("time.sleep(1)", "sleep"), "asyncio", None, {"imports": imports, "import_line": 3})
        assert fx.edits[0] == Edit("import asyncio\n", Location(3, 1), Location(3, 1))


def test_anyio_and_trio_libraries():
    fx = fix_for_site(site("requests.get(u)"), "anyio", None, {"imports": {"anyio": "anyio"}, "import_line": 1})
    assert content(fx, "requests.get(u)") == "await anyio.to_thread.run_sync(requests.get, u)"
    assert not any(e.content.startswith("import") for e in fx.edits)
    fx = fix_for_site(site("time.sleep(2)", "sleep"), "trio", None, {"imports": {}, "import_line": 1})
    assert content(fx, "time.sleep(2)") == "await trio.sleep(2)" and fx.edits[0].content == "import trio\n"
    fx = fix_for_site(site("requests.get(u, timeout=1)"), "trio", "sugg", SUMMARY)
    assert fx.applicability == DISPLAY_ONLY  # run_sync passes no keyword arguments
    fx = fix_for_site(site("fut.result()", "wrap_future"), "trio", None, SUMMARY)
    assert content(fx, "fut.result()") == "await trio.to_thread.run_sync(fut.result)" and fx.applicability == UNSAFE


def test_target_version():
    s = site("requests.get(u)")
    assert content(fix_for_site(s, "asyncio", None, SUMMARY, target_version="3.9"), "requests.get(u)") == \
        "await asyncio.to_thread(requests.get, u)"
    fx = fix_for_site(s, "asyncio", None, SUMMARY, target_version="3.8")
    assert content(fx, "requests.get(u)") == "await asyncio.get_running_loop().run_in_executor(None, requests.get, u)"
    fx = fix_for_site(site("requests.get(u, timeout=1)"), "asyncio", "sugg", SUMMARY, target_version="3.8")
    assert fx.applicability == DISPLAY_ONLY and fx.edits == ()
    assert fix_for_site(s, "asyncio", "s", SUMMARY, target_version="3.6").applicability == DISPLAY_ONLY
    # the safe rewrites need nothing new
    fx = fix_for_site(site("time.sleep(1)", "sleep"), "asyncio", None, SUMMARY, target_version="3.7")
    assert fx.applicability == SAFE


def test_multiline_call_keeps_comments_and_positions():
    text = "time.sleep(  # why\n    0.25\n)"
    fx = fix_for_site(site(text, "sleep", line=7, col=9), "asyncio", None, SUMMARY)
    assert fx.applicability == SAFE
    assert fx.edits[1:] == (Edit("await ", Location(7, 9), Location(7, 9)),
                            Edit("asyncio.sleep", Location(7, 9), Location(7, 19)))
    text = "cur.execute(\n    q,  # the query\n    p,\n)"
    fx = fix_for_site(site(text, line=3, col=5), "asyncio", None, SUMMARY)
    assert fx.edits[1:] == (Edit("await asyncio.to_thread(", Location(3, 5), Location(3, 5)),
                            Edit(",", Location(3, 16), Location(3, 17)))
    # a rewrite that would drop a comment is not offered: the worker-thread one keeps it
    fx = fix_for_site(site("fut.result(  # c\n)", "wrap_future"), "asyncio", "s", SUMMARY)
    assert fx.applicability == UNSAFE
    assert [e.content for e in fx.edits] == ["import asyncio\n", "await asyncio.to_thread(", ""]
    text = "asyncio.run(\n    job()  # c\n)"
    fx = fix_for_site(site(text, "await_arg", line=2, col=9), "asyncio", None, SUMMARY)
    assert fx.edits == (Edit("await ", Location(2, 9), Location(2, 20)),)


def test_iteration_and_user_sites():
    fx = fix_for_site(site("cursor", "none", iteration=True), "asyncio", None, SUMMARY)
    assert fx.applicability == UNSAFE and content(fx, "cursor") == "await asyncio.to_thread(list, cursor)"
    fx = fix_for_site(site("a, b", "none", iteration=True), "asyncio", "s", SUMMARY)
    assert fx.applicability == DISPLAY_ONLY
    # a multi-line evaluation is reported at its call (`ids = set(\n    qs\n)`): the call runs in the thread
    text = "set(\n    qs.values_list(\"id\", flat=True)\n)"
    fx = fix_for_site(site(text, "none", iteration=True, line=4, col=11), "asyncio", None, SUMMARY)
    assert fx.applicability == UNSAFE
    assert fx.edits[1:] == (Edit("await asyncio.to_thread(set,", Location(4, 11), Location(4, 15)),)
    fx = fix_for_site(site("sorted(qs)", "none", iteration=True), "asyncio", None, SUMMARY)
    assert content(fx, "sorted(qs)") == "await asyncio.to_thread(sorted, qs)"
    # a truth test (`if qs:`, `qs or []`): materialising the queryset would change what `or` gives
    fx = fix_for_site(site("qs", "none", iteration=True, family="django", api="truth test of django.QuerySet"),
                      "asyncio", "`await qs.aexists()`", SUMMARY)
    assert fx.applicability == DISPLAY_ONLY and fx.edits == () and fx.message == "`await qs.aexists()`"
    fx = fix_for_site(site("legacy.fetch(x)", "none", family="user"), "asyncio", "s", SUMMARY)
    assert fx.applicability == UNSAFE and content(fx, "legacy.fetch(x)") == "await asyncio.to_thread(legacy.fetch, x)"
    assert fix_for_site(site("x.y()", awaited=True), "asyncio", "s", SUMMARY) is None


def test_fix_for_edge():
    e = SimpleNamespace(text="database.close()", line=22, col=9, end_line=22, end_col=25, awaited=False, in_loop=False)
    assert fix_for_edge(e, "asyncio", SUMMARY) is None  # no trailer information: no fix
    e.trailer = False
    fx = fix_for_edge(e, "asyncio", SUMMARY)
    assert fx.applicability == UNSAFE
    assert content(fx, "database.close()", 22, 9) == "await asyncio.to_thread(database.close)"
    e.trailer = True
    assert content(fix_for_edge(e, "asyncio", SUMMARY), "database.close()", 22, 9) == \
        "(await asyncio.to_thread(database.close))"
    e.awaited = True
    assert fix_for_edge(e, "asyncio", SUMMARY) is None


# ---- apply.py units ----------------------------------------------------------------------------------


def _diag(path, code, row, col, erow, ecol, fix, statement):
    return Diagnostic(code=code, message="m", path=path.name, filename=str(path), location=Location(row, col),
                      end_location=Location(erow, ecol), fix=fix, statement=statement)


def test_overlapping_fixes_are_deferred_never_half_applied(tmp_path):
    p = tmp_path / "o.py"
    src = "async def f(x):\n    g(x)\n"
    p.write_text(src)
    a = Fix(SAFE, "a", (Edit("h", Location(2, 5), Location(2, 6)), Edit("y", Location(2, 7), Location(2, 8))))
    b = Fix(SAFE, "b", (Edit("k(x)", Location(2, 5), Location(2, 9)),))
    res = SimpleNamespace(diagnostics=[_diag(p, "FAK101", 2, 5, 2, 9, a, "g(x)"),
                                       _diag(p, "FAK102", 2, 5, 2, 9, b, "g(x)")], sources={})
    out = apply_fixes(res, write=True, echo_errors=False)
    assert out.fixed == 1 and out.deferred == 1
    assert p.read_text() in ("async def f(x):\n    h(y)\n", "async def f(x):\n    k(x)\n")


def test_fix_that_breaks_the_file_is_dropped(tmp_path):
    p = tmp_path / "b.py"
    src = "async def f(x):\n    g(x)\n    h(x)\n"
    p.write_text(src)
    bad = Fix(SAFE, "bad", (Edit("g(x", Location(2, 5), Location(2, 9)),))
    good = Fix(SAFE, "good", (Edit("await k(x)", Location(3, 5), Location(3, 9)),))
    res = SimpleNamespace(diagnostics=[_diag(p, "FAK101", 2, 5, 2, 9, bad, "g(x)"),
                                       _diag(p, "FAK101", 3, 5, 3, 9, good, "h(x)")], sources={})
    out = apply_fixes(res, write=True, echo_errors=False)
    assert out.fixed == 1 and p.read_text() == "async def f(x):\n    g(x)\n    await k(x)\n"


def test_await_outside_async_function_is_refused(tmp_path):
    p = tmp_path / "s.py"
    src = "def f(x):\n    g(x)\n"
    p.write_text(src)
    fx = Fix(SAFE, "x", (Edit("await ", Location(2, 5), Location(2, 5)),))
    res = SimpleNamespace(diagnostics=[_diag(p, "FAK101", 2, 5, 2, 9, fx, "g(x)")], sources={})
    out = apply_fixes(res, write=True, echo_errors=False)
    assert out.fixed == 0 and p.read_text() == src


def test_stale_positions_are_not_applied(tmp_path):
    p = tmp_path / "st.py"
    p.write_text("async def f(x):\n    other(x)\n")
    fx = Fix(SAFE, "x", (Edit("await ", Location(2, 5), Location(2, 5)),))
    res = SimpleNamespace(diagnostics=[_diag(p, "FAK101", 2, 5, 2, 9, fx, "g(x)")], sources={})
    out = apply_fixes(res, write=True, echo_errors=False)
    assert out.fixed == 0 and p.read_text() == "async def f(x):\n    other(x)\n"


def test_multi_pass_with_settings(tmp_path):
    """Deferred fixes are applied in further in-memory passes when the run's settings are given."""
    from fakeasync_lint.config import load_settings
    from fakeasync_lint.runner import run

    p = tmp_path / "mp.py"
    p.write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n    time.sleep(2)\n")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        settings = load_settings([str(p)], None, {}, isolated=True)
        res = run([str(p)], settings, use_cache=False)
        d1, d2 = res.diagnostics
        # a competing fix on the first call makes its real fix wait for the next pass
        rival = Fix(SAFE, "rival", (Edit("time.sleep(1) or None", Location(5, 5), Location(5, 18)),))
        res.diagnostics.append(_diag(p, "FAK103", 5, 5, 5, 18, rival, d1.statement))
        one = apply_fixes(res, write=False, echo_errors=False)
        assert one.passes == 1 and one.deferred == 1
        out = apply_fixes(res, write=True, settings=settings, echo_errors=False)
        assert out.passes == 2 and out.remaining == 0
        text = p.read_text()
        assert "await asyncio.sleep(2)" in text and "time.sleep(" not in text.replace("import time", "")
        again = run([str(p)], settings, use_cache=False)
        assert [d.code for d in again.diagnostics] == []
    finally:
        os.chdir(old)


def test_write_atomic_refuses_changed_file(tmp_path):
    p = tmp_path / "c.py"
    p.write_bytes(b"x = 1\n")
    with pytest.raises(OSError):
        write_atomic(str(p), b"x = 2\n", expect=b"x = 0\n")
    assert p.read_bytes() == b"x = 1\n" and sorted(x.name for x in tmp_path.iterdir()) == ["c.py"]
    write_atomic(str(p), b"x = 2\n", expect=b"x = 1\n")
    assert p.read_bytes() == b"x = 2\n"


def test_unified_diff_no_newline_at_end():
    d = unified_diff("a\nb", "a\nc", "f.py")
    assert d.endswith("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n")


# ---- the sleep fix removes the `time` import it used up ---------------------------------------------

_BODY = "\n\nasync def f():\n    time.sleep(1)\n    sleep(2)\n"
IMPORT_CASES = {
    # the fixed calls were the last uses: the import goes
    "last_use": ("import time\nfrom time import sleep\n" + _BODY,
                 "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n"),
    # `import time, os`: only `time` goes; `from time import sleep, monotonic`: only `sleep`
    "shared_lines": ("import time, os\nfrom time import (\n    monotonic,\n    sleep,\n)\n" + _BODY
                     + "    return os.sep, monotonic()\n",
                     "import asyncio\nimport os\nfrom time import (\n    monotonic,\n)\n\n\nasync def f():\n"
                     "    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n    return os.sep, monotonic()\n"),
    # negatives: another use remains (a clock read, a sync function's sleep that is not fixed, a string)
    "other_use": ("import time\nfrom time import sleep\n" + _BODY + "    return time.monotonic()\n\n\n"
                  "def later():\n    sleep(3)\n",
                  "import asyncio\nimport time\nfrom time import sleep\n\n\nasync def f():\n"
                  "    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n    return time.monotonic()\n\n\n"
                  "def later():\n    sleep(3)\n"),
    "exported": ('import time\nfrom time import sleep\n__all__ = ["sleep", "time"]\n' + _BODY,
                 'import asyncio\nimport time\nfrom time import sleep\n__all__ = ["sleep", "time"]\n\n\n'
                 "async def f():\n    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n"),
    # an import that is kept on purpose, or was unused before the fix, is not ours to remove
    "noqa_and_unused": ("import time  # noqa: F401\nfrom time import sleep\nimport time as clock\n" + _BODY,
                        "import asyncio\nimport time  # noqa: F401\nimport time as clock\n\n\nasync def f():\n"
                        "    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n"),
}


@pytest.mark.parametrize("case", sorted(IMPORT_CASES))
def test_sleep_fix_removes_the_time_import_it_used_up(case, tmp_path):
    src, want = IMPORT_CASES[case]
    p = tmp_path / "jobs.py"
    p.write_text(src)
    code, out, err = check(["--fix", "jobs.py"], cwd=tmp_path)
    assert code == 0, out + err
    assert p.read_text() == want


def test_import_removal_shows_in_the_diff_and_keeps_crlf(tmp_path):
    p = tmp_path / "jobs.py"
    src = "import time\n\n\nasync def f():\n    time.sleep(1)\n".replace("\n", "\r\n")
    p.write_bytes(src.encode())
    code, out, _ = check(["--diff", "jobs.py"], cwd=tmp_path)
    assert code == 1 and "\n-import time" in out and "\n+import asyncio" in out
    assert p.read_bytes() == src.encode()  # --diff writes nothing
    check(["--fix", "jobs.py"], cwd=tmp_path)
    assert p.read_bytes() == b"import asyncio\r\n\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)\r\n"


def test_a_package_init_keeps_its_time_import(tmp_path):
    # `__init__.py` re-exports: another module may import `sleep` from it
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from time import sleep\n\n\nasync def f():\n    sleep(1)\n")
    check(["--fix", "pkg/__init__.py"], cwd=tmp_path)
    assert (pkg / "__init__.py").read_text() == (
        "import asyncio\nfrom time import sleep\n\n\nasync def f():\n    await asyncio.sleep(1)\n")
