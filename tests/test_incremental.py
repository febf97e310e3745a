"""Incremental project analysis (``incremental.py``): after an edit, updating the saved project state gives
exactly what the whole-project analysis gives, and it falls back to that analysis whenever it cannot."""
from __future__ import annotations

import json
import os
import random
import shutil
import textwrap
from pathlib import Path

import pytest

from fakeasync_lint import incremental, runner
from fakeasync_lint.config import load_settings
from fakeasync_lint.output import render

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def lint(root: Path, paths=(".",), jobs: int = 1, **kw):
    old = os.getcwd()
    os.chdir(root)
    try:
        settings = load_settings(list(paths))
        return runner.run(list(paths), settings, cwd=str(root), jobs=jobs, **kw)
    finally:
        os.chdir(old)


def as_json(result) -> str:
    return render(result.diagnostics, "json")


def check_same(root: Path, paths=(".",)):
    """Lint with the caches, then without: identical output.  Returns the cached run."""
    cached = lint(root, paths)
    assert as_json(cached) == as_json(lint(root, paths, use_cache=False)), cached.how
    return cached


# ---- a small layered project: route -> service -> provider --------------------------------------

DB = '''import psycopg2


def fetch_user(uid):
    conn = psycopg2.connect("dbname=app")
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE id = %s", (uid,))
    return cur.fetchone()


def pure(x):
    return x + 1
'''

SERVICE = '''from app.db import fetch_user, pure


def load(uid):
    return fetch_user(uid)


def compute(x):
    return pure(x)
'''

API = '''from fastapi import FastAPI

from app.service import compute, load

app = FastAPI()


@app.get("/users/{uid}")
async def get_user(uid: int):
    return load(uid)


@app.get("/calc")
async def calc(x: int):
    return compute(x)
'''


@pytest.fixture
def layered(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "db.py").write_text(DB)
    (app / "service.py").write_text(SERVICE)
    (app / "api.py").write_text(API)
    first = lint(tmp_path)
    assert first.how == "full"
    return tmp_path


def messages(result, name):
    return [d.message for d in result.diagnostics if d.path.endswith(name)]


def test_a_line_inserted_in_the_provider_moves_the_chains_of_other_modules(layered):
    before = lint(layered)
    assert before.how == "cached"
    assert any("app/db.py:5" in m for m in messages(before, "api.py"))
    db = layered / "app" / "db.py"
    db.write_text("# a new first line\n" + DB)
    after = check_same(layered)
    assert after.how == "incremental"
    # the route's chain names the blocking line where it is now
    assert any("app/db.py:6" in m for m in messages(after, "api.py"))
    assert any("(line 9)" in m for m in messages(after, "api.py"))  # FAK403 lists the moved lines
    assert lint(layered).how == "cached"  # the updated state and run cache are consistent


def test_a_new_blocking_call_reaches_an_endpoint_in_another_module(layered):
    before = lint(layered)
    assert not messages(before, "api.py") or all("calc" not in (d.function or "") for d in before.diagnostics)
    db = layered / "app" / "db.py"
    db.write_text(DB.replace("    return x + 1\n", "    open('/etc/hostname').read()\n    return x + 1\n"))
    after = check_same(layered)
    assert after.how == "incremental"
    assert any(d.code == "FAK401" and d.function == "app.api.calc" for d in after.diagnostics)
    assert any(d.code == "FAK403" and "GET /calc" in d.message for d in after.diagnostics)
    # and removing it again clears them, still incrementally
    db.write_text(DB)
    again = check_same(layered)
    assert again.how == "incremental"
    assert as_json(again) == as_json(before)


def test_a_removed_blocking_call_leaves_the_endpoint_summary(layered):
    before = messages(lint(layered), "api.py")
    assert any("reaches 3 blocking calls" in m for m in before)
    db = layered / "app" / "db.py"
    db.write_text(DB.replace('    cur.execute("SELECT * FROM users WHERE id = %s", (uid,))\n', ""))
    after = check_same(layered)
    assert after.how == "incremental"
    assert any("reaches 2 blocking calls" in m for m in messages(after, "api.py"))


@pytest.mark.parametrize("edit", [
    pytest.param(lambda t: t.replace("import psycopg2\n", "import psycopg2\nimport os\n"), id="new-import"),
    pytest.param(lambda t: t + "\n\ndef extra():\n    return 1\n", id="new-function"),
    pytest.param(lambda t: t.replace("def pure(x):", "async def pure(x):"), id="made-async"),
    pytest.param(lambda t: t.replace("def pure(x):\n    return x + 1\n", "").replace(
        "def fetch_user", "def pure(x):\n    return x + 1\n\n\ndef fetch_user"), id="functions-reordered"),
    pytest.param(lambda t: t.replace("def pure(x):\n    return x + 1\n", ""), id="imported-function-removed"),
    pytest.param(lambda t: t.replace("def pure(x):\n    return x + 1\n",
                                     "def pure(x):\n    return fetch_user(x)\n"), id="return-changed"),
])
def test_interface_changes_resolve_the_modules_that_read_it_again(layered, edit):
    # the edited module offers something new (a name, a signature, a return value): the modules whose
    # resolution read it (recorded in the state) are resolved again, the rest is reused
    db = layered / "app" / "db.py"
    db.write_text(edit(DB))
    after = check_same(layered)
    assert after.how == "incremental"
    assert lint(layered).how == "cached"


def test_an_interface_change_read_by_too_many_modules_runs_the_whole_analysis(layered, monkeypatch):
    monkeypatch.setattr(incremental, "MAX_DEPENDENTS", 0)
    made_async = DB.replace("def pure(x):", "async def pure(x):")
    (layered / "app" / "db.py").write_text(made_async)  # service.py reads `pure`
    assert check_same(layered).how == "full"
    # an edit that keeps the interface needs no dependents
    (layered / "app" / "db.py").write_text("# moved\n" + made_async)
    assert check_same(layered).how == "incremental"
    # nor does a change to names nobody reads: a new import, a new function
    (layered / "app" / "db.py").write_text("import os\n" + made_async + "\n\ndef extra():\n    return 1\n")
    assert check_same(layered).how == "incremental"


def test_a_syntax_error_runs_the_whole_analysis(layered):
    (layered / "app" / "db.py").write_text(DB + "\ndef broken(:\n")
    after = check_same(layered)
    assert after.how == "full"
    assert any(d.code == "FAK000" for d in after.diagnostics)


def test_two_files_edited_at_once(layered):
    (layered / "app" / "db.py").write_text("\n\n" + DB)
    (layered / "app" / "api.py").write_text(API.replace("    return compute(x)\n", "    y = compute(x)\n    return y\n"))
    assert check_same(layered).how == "incremental"


def test_a_pre_commit_run_on_one_file(layered):
    lint(layered, ["app/api.py"])
    (layered / "app" / "db.py").write_text("# moved\n" + DB)
    result = check_same(layered, ["app/api.py"])
    assert result.how == "incremental"
    assert {d.path for d in result.diagnostics} == {"app/api.py"}


# ---- the saved state is checked, never trusted ----------------------------------------------------

def _state(root: Path) -> Path:
    (f,) = sorted((root / ".fakeasync_cache").glob("state-*.json"))
    return f


@pytest.mark.parametrize("damage", ["digit", "truncated", "garbage", "empty", "other-key", "other-token"])
def test_a_damaged_state_is_ignored(layered, damage):
    sf = _state(layered)
    data = sf.read_bytes()
    if damage == "digit":  # a line number of an edge: would move a chain silently
        i = data.index(b",7,")
        bad = data[:i] + b",8," + data[i + 3:]
    elif damage == "truncated":
        bad = data[: len(data) // 2]
    elif damage == "garbage":
        bad = random.Random(3).randbytes(len(data))
    elif damage == "empty":
        bad = b""
    else:  # a valid state of another run (another key, or a concurrent run's): re-signed, so only the
        # key or the token shared with the run cache catches it
        head, _, body = data.partition(b"\n")
        field = b'"key": "' if damage == "other-key" else b'"token": "'
        assert field in body
        body = body.replace(field, field + b"0", 1)
        import hashlib
        bad = incremental.MAGIC + b" " + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b"\n" + body
    assert bad != data
    sf.write_bytes(bad)
    (layered / "app" / "db.py").write_text("# moved\n" + DB)
    assert check_same(layered).how == "full"


def test_a_rewritten_summary_cache_is_noticed(layered):
    # the state points into the summary cache by byte offset: after the cache is rewritten (compacted),
    # the offsets are stale and the lines they point at fail their checks
    (cfile,) = (layered / ".fakeasync_cache").glob("summaries-*.jsonl")
    head, _, rest = cfile.read_bytes().partition(b"\n")
    lines = [ln for ln in rest.split(b"\n") if ln]
    cfile.write_bytes(head + b"\n" + b"\n".join(reversed(lines)) + b"\n")
    (layered / "app" / "service.py").write_text("# moved\n" + SERVICE)
    assert check_same(layered).how == "full"


def test_a_summary_of_another_version_is_not_used(layered):
    # the line the state points at is intact and of the right file, but not the version the saved
    # diagnostics were computed from (its summary digest differs): the whole analysis runs
    from fakeasync_lint import cache as cache_mod

    (cfile,) = (layered / ".fakeasync_cache").glob("summaries-*.jsonl")
    data = cfile.read_bytes()
    db = str(layered / "app" / "db.py")
    offsets = {}
    cache_mod.read_entries(cfile, None, offsets)
    at = offsets[db]
    end = data.index(b"\n", at)
    e = cache_mod.read_entry_at(cfile, at, db)
    summary = dict(e[5], lib="trio")
    stext = cache_mod.summary_text(summary)
    line = cache_mod._line(db, e[1], e[2], e[3], cache_mod.summary_digest(stext), stext)
    cfile.write_bytes(data[:at] + line + data[end + 1:])
    assert cache_mod.read_entry_at(cfile, at, db)[5]["lib"] == "trio"
    (layered / "app" / "db.py").write_text("# moved\n" + DB)
    assert check_same(layered).how == "full"


# ---- random edits on the fixture projects ---------------------------------------------------------

def _edit(rnd: random.Random, text: str) -> str:
    lines = text.split("\n")
    kind = rnd.choice(["blank", "comment", "dup", "delete", "swap", "import", "function", "async"])
    if kind == "import":  # interface edits: what other modules resolve against changes
        lines.insert(0, rnd.choice(["import os", "import time", "from app.core import config", "import requests"]))
    elif kind == "function":
        lines.append(f"\n\ndef extra_{rnd.randrange(1000)}():\n    return {rnd.randrange(9)}\n")
    elif kind == "async":
        idx = [i for i, ln in enumerate(lines) if ln.lstrip().startswith(("def ", "async def "))]
        if idx:
            i = rnd.choice(idx)
            lines[i] = (lines[i].replace("async def ", "def ", 1) if "async def " in lines[i]
                        else lines[i].replace("def ", "async def ", 1))
    elif kind == "blank":
        lines.insert(rnd.randrange(len(lines) + 1), "")
    elif kind == "comment":
        lines.insert(rnd.randrange(len(lines) + 1), "# x")
    elif kind == "dup":
        j = rnd.randrange(len(lines))
        lines.insert(j, lines[j])
    elif kind == "delete" and len(lines) > 1:
        del lines[rnd.randrange(len(lines))]
    elif len(lines) > 1:
        j = rnd.randrange(len(lines) - 1)
        lines[j], lines[j + 1] = lines[j + 1], lines[j]
    return "\n".join(lines)


@pytest.mark.parametrize("name,seed,n,select", [
    ("project_app", 1, 30, None), ("seed_app", 2, 20, None), (".", 3, 30, None), ("project_app", 4, 30, None),
    # every rule, FAK402 (opt-in) included: the affected modules depend on the selection
    ("project_app", 5, 30, "ALL"), ("seed_app_async", 6, 20, "ALL"), (".", 7, 20, "ALL"),
    # property reads (edges to getters) and offload decorators across modules
    ("projects/properties", 8, 20, None), ("projects/offload_decorators", 9, 12, None),
    # mixin methods resolved in their host class, `-> Self` classmethods, `list[Peer]` attributes
    ("projects/repositories", 10, 16, None),
])
def test_random_edits_give_the_whole_analysis_result(tmp_path, name, seed, n, select):
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / name, root, ignore=shutil.ignore_patterns(".fakeasync_cache", "__pycache__"))
    if select:
        (root / ".fakeasync-lint.toml").write_text(f'select = ["{select}"]\n')
    lint(root)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    rnd = random.Random(seed)
    hows = []
    iface_hows = []
    for _ in range(n):
        f = root / rnd.choice(files)
        before = _interface(f, root)
        f.write_text(_edit(rnd, f.read_text()))
        after = _interface(f, root)
        cached = lint(root)
        full = lint(root, use_cache=False)
        assert as_json(cached) == as_json(full), (f, cached.how)
        hows.append(cached.how)
        if before == after and before is not None:
            # the interface was kept: the saved state must have been used (no silent fallback)
            assert cached.how in ("incremental", "cached"), (f, cached.how)
        elif before is not None and after is not None:
            iface_hows.append(cached.how)
    # the incremental path was really taken, also for edits that change an interface
    assert hows.count("incremental") >= n // 3, hows
    assert iface_hows.count("incremental") >= len(iface_hows) // 2, iface_hows


def _interface(f: Path, root: Path):
    from fakeasync_lint import analysis
    from fakeasync_lint.discovery import module_name_for

    s = analysis.analyze(f.read_bytes(), str(f), module_name_for(str(f), root) or f.stem,
                         f.name == "__init__.py")
    return None if s.get("error") else incremental.interface(s)


# ---- abstract methods: the implementations live in other modules --------------------------------

def _linted_copy(tmp_path, name: str):
    """A copy of ``fixtures/projects/<name>`` (no cache, no bytecode), linted once in full; (root, first run)."""
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "projects" / name, root,
                    ignore=shutil.ignore_patterns(".fakeasync_cache", "__pycache__"))
    first = lint(root)
    assert first.how == "full"
    return root, first


@pytest.fixture
def interfaces(tmp_path):
    return _linted_copy(tmp_path, "interfaces")[0]


def test_an_implementation_that_stops_blocking_clears_its_interface_callers(interfaces):
    f = interfaces / "notes" / "infra" / "sqlite_repo.py"
    f.write_text(f.read_text().replace("conn = sqlite3.connect(self.path)", "conn = None"))
    r = check_same(interfaces)
    assert r.how == "incremental", r.how
    assert not any(d.code == "FAK401" for d in r.diagnostics)


def test_an_implementation_that_starts_blocking_reaches_the_callers_of_the_interface(interfaces):
    f = interfaces / "notes" / "infra" / "sqlite_repo.py"
    f.write_text(f.read_text().replace("return task_id > 0  # ok: no I/O in this implementation",
                                       "return bool(sqlite3.connect(self.path))"))
    r = check_same(interfaces)
    assert [d.location.row for d in r.diagnostics if d.code == "FAK401" and d.filename.endswith("controller.py")] \
        == [15, 19]


def test_a_new_implementation_in_a_new_module_and_a_removed_one(interfaces):
    (interfaces / "notes" / "infra" / "http_repo.py").write_text(
        "import requests\nfrom notes.domain.repository import NotesRepository\n\n\n"
        "class HttpNotesRepository(NotesRepository):\n"
        "    def has_notes(self, task_id):\n"
        "        return requests.get('http://notes/%d' % task_id).ok\n")
    r = check_same(interfaces)
    assert any(d.code == "FAK401" and d.location.row == 19 for d in r.diagnostics)
    (interfaces / "notes" / "infra" / "http_repo.py").unlink()
    r = check_same(interfaces)
    assert not any(d.code == "FAK401" and d.location.row == 19 for d in r.diagnostics)


# ---- added and deleted files, several files at once ------------------------------------------------

def test_a_new_file_nobody_read_is_incremental(layered):
    (layered / "app" / "jobs.py").write_text("from app.service import load\n\n\nasync def job(uid):\n"
                                              "    return load(uid)\n")
    after = check_same(layered)
    assert after.how == "incremental"
    assert any(d.code == "FAK401" and d.function == "app.jobs.job" for d in after.diagnostics)
    assert lint(layered).how == "cached"


def test_a_new_file_makes_an_unresolved_import_resolve(layered):
    # api.py imports a module that does not exist yet: its call resolves to nothing, until the file is added
    (layered / "app" / "api.py").write_text(API.replace("from app.service import compute, load\n",
                                                        "from app.service import compute, load\n"
                                                        "from app.helpers import slow\n")
                                            + '\n\n@app.get("/slow")\nasync def slow_route():\n    return slow()\n')
    before = check_same(layered)
    assert not any(d.function == "app.api.slow_route" for d in before.diagnostics)
    (layered / "app" / "helpers.py").write_text("import time\n\n\ndef slow():\n    time.sleep(1)\n")
    after = check_same(layered)
    assert after.how == "incremental"
    assert any(d.code == "FAK401" and d.function == "app.api.slow_route" for d in after.diagnostics)
    # a module imported as a whole (``import app.extra``) and a submodule read as a package attribute
    (layered / "app" / "api.py").write_text(API + "\nimport app.extra\nfrom app import more\n\n\n"
                                            "async def both():\n    app.extra.go()\n    more.go()\n")
    check_same(layered)
    for name in ("extra", "more"):
        (layered / "app" / f"{name}.py").write_text("import time\n\n\ndef go():\n    time.sleep(1)\n")
        after = check_same(layered)
        assert after.how == "incremental", name
    assert sum(d.function == "app.api.both" for d in after.diagnostics) == 2


def test_a_deleted_file_redoes_exactly_its_readers(layered):
    before = lint(layered)
    assert any(d.path.endswith("api.py") for d in before.diagnostics)
    (layered / "app" / "service.py").unlink()
    after = check_same(layered)
    assert after.how == "incremental"
    assert not any(d.path.endswith(("api.py", "service.py")) for d in after.diagnostics)
    (layered / "app" / "service.py").write_text(SERVICE)  # and back
    again = check_same(layered)
    assert again.how == "incremental"
    assert as_json(again) == as_json(before)


def test_a_package_file_added_or_deleted_runs_the_whole_analysis(layered):
    # an __init__.py renames the modules beside it
    (layered / "tools").mkdir()
    (layered / "tools" / "run.py").write_text("import time\n\n\nasync def main():\n    time.sleep(1)\n")
    assert check_same(layered).how == "incremental"
    (layered / "tools" / "__init__.py").write_text("")
    assert check_same(layered).how == "full"
    (layered / "tools" / "__init__.py").unlink()
    assert check_same(layered).how == "full"


CLIENT = '''import requests


class Client:
    def fetch(self, url):
        return requests.get(url)

    def close(self):
        return None
'''

READER = '''from app.client import Client


async def use_{n}(url):
    c = Client()
    return c.fetch(url)
'''


def test_a_renamed_method_with_its_readers_changed(layered):
    (layered / "app" / "client.py").write_text(CLIENT)
    for n in range(5):
        (layered / "app" / f"reader_{n}.py").write_text(READER.format(n=n))
    before = check_same(layered)
    assert sum(d.code == "FAK401" and "reader_" in d.path for d in before.diagnostics) == 5
    (layered / "app" / "client.py").write_text(CLIENT.replace("def fetch", "def get_page"))
    for n in range(5):
        (layered / "app" / f"reader_{n}.py").write_text(READER.format(n=n).replace("c.fetch", "c.get_page"))
    after = check_same(layered)
    assert after.how == "incremental"
    assert sum(d.code == "FAK401" and "reader_" in d.path for d in after.diagnostics) == 5
    # renamed without the readers: their calls no longer resolve
    (layered / "app" / "client.py").write_text(CLIENT.replace("def fetch", "def fetch_page"))
    after = check_same(layered)
    assert after.how == "incremental"
    assert not any("reader_" in d.path for d in after.diagnostics)


def test_duplicate_module_names_stay_incremental(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    for d in ("one-tool", "two-tool"):  # not identifiers: each script is module "run"
        (tmp_path / d).mkdir()
        (tmp_path / d / "run.py").write_text("import time\n\n\nasync def main():\n    time.sleep(1)\n")
    assert lint(tmp_path).how == "full"
    (tmp_path / "two-tool" / "run.py").write_text("import time\n\n\n\nasync def main():\n    time.sleep(2)\n")
    after = check_same(tmp_path)
    assert after.how == "incremental"
    assert sorted((d.code, d.location.row) for d in after.diagnostics) == [("FAK103", 5), ("FAK103", 6)]


# ---- random project-level edits: new, deleted and renamed files and functions, several at once --------

def _project_edit(rnd: random.Random, root: Path, step: int) -> str:
    import re

    files = sorted(p for p in root.rglob("*.py") if ".fakeasync_cache" not in p.parts)
    plain = [p for p in files if p.name != "__init__.py"]
    kind = rnd.choice(["new-file", "new-file", "delete", "rename", "multi", "multi", "single", "restore"])
    if kind == "new-file" or (kind == "delete" and len(plain) < 4):
        from fakeasync_lint.discovery import module_name_for

        src = rnd.choice(files)
        funcs = re.findall(r"^def (\w+)\(", src.read_text(), re.M)
        mod = module_name_for(str(src), root)
        target = rnd.choice(files).parent / f"gen_{step}.py"
        if funcs and mod:
            f = rnd.choice(funcs)
            body = (f"from {mod} import {f}\n\n\nasync def gen_{step}(*a):\n    return {f}(*a)\n\n\n"
                    f"def sync_{step}(*a):\n    return {f}(*a)\n")
        else:
            body = f"import time\n\n\ndef gen_{step}():\n    time.sleep(1)\n"
        target.write_text(body)
        return kind
    if kind == "delete":
        victim = rnd.choice(plain)
        _DELETED.setdefault(root, []).append((victim, victim.read_text()))
        victim.unlink()
        return kind
    if kind == "restore" and _DELETED.get(root):
        victim, text = _DELETED[root].pop(rnd.randrange(len(_DELETED[root])))
        if victim.parent.is_dir():
            victim.write_text(text)
        return kind
    if kind == "rename":
        src = rnd.choice(files)
        names = re.findall(r"^\s*(?:async )?def (\w+)\(", src.read_text(), re.M)
        names = [n for n in names if not n.startswith("__")]
        if names:
            old = rnd.choice(names)
            new = f"{old}_r{step}"
            pat = re.compile(rf"\b{old}\b")
            readers = [p for p in files if pat.search(p.read_text())]
            for p in readers if rnd.random() < 0.7 else [src]:  # sometimes the readers are left behind
                p.write_text(pat.sub(new, p.read_text()))
        return kind
    picked = rnd.sample(files, min(len(files), rnd.randint(2, 5))) if kind == "multi" else [rnd.choice(files)]
    for p in picked:
        p.write_text(_edit(rnd, p.read_text()))
    return kind


_DELETED: dict = {}


@pytest.mark.parametrize("name,seed,n,select", [
    ("project_app", 11, 25, None), ("seed_app", 12, 25, None), ("seed_app_async", 13, 20, "ALL"),
    ("project_app", 14, 25, "ALL"), (".", 15, 15, None),
])
def test_random_project_edits_give_the_whole_analysis_result(tmp_path, name, seed, n, select):
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / name, root, ignore=shutil.ignore_patterns(".fakeasync_cache", "__pycache__"))
    if select:
        (root / ".fakeasync-lint.toml").write_text(f'select = ["{select}"]\n')
    lint(root)
    rnd = random.Random(seed)
    hows = []
    for step in range(n):
        kind = _project_edit(rnd, root, step)
        cached = lint(root)
        full = lint(root, use_cache=False)
        assert as_json(cached) == as_json(full), (step, kind, cached.how)
        hows.append((kind, cached.how))
    _DELETED.pop(root, None)
    assert sum(h == "incremental" for _k, h in hows) >= n // 2, hows
    assert any(k == "new-file" and h == "incremental" for k, h in hows), hows


def test_a_star_import_added_brings_a_name(layered):
    (layered / "app" / "names.py").write_text("X = 1\n")
    (layered / "app" / "api.py").write_text(API + "\nfrom app.names import fetch_user\n\n\n"
                                            "async def star():\n    return fetch_user(1)\n")
    before = check_same(layered)
    assert not any(d.function == "app.api.star" for d in before.diagnostics)
    (layered / "app" / "names.py").write_text("from app.db import *\nX = 1\n")
    after = check_same(layered)
    assert after.how == "incremental"
    assert any(d.code == "FAK401" and d.function == "app.api.star" for d in after.diagnostics)


def test_a_module_added_below_a_plain_module_of_the_same_name(layered):
    # app/db.py and a directory app/db/: lookups below a plain module are not recorded, so the whole
    # analysis decides
    (layered / "app" / "api.py").write_text(API + "\nimport app.db.extra.deep\n\n\nasync def deep():\n"
                                            "    app.db.extra.deep.go()\n")
    check_same(layered)
    (layered / "app" / "db" / "extra").mkdir(parents=True)
    (layered / "app" / "db" / "extra" / "deep.py").write_text("import time\n\n\ndef go():\n    time.sleep(1)\n")
    assert check_same(layered).how in ("full", "incremental")


def test_a_checkout_of_many_files_is_analysed_in_parallel_and_stays_incremental(tmp_path):
    # 40 modules in a chain of imports; a "checkout" edits 30 of them (positions move, functions are added),
    # adds one and deletes one: worker processes analyse them, the state is updated
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "m0.py").write_text("import time\n\n\ndef f0():\n    time.sleep(1)\n")
    for i in range(1, 40):
        (pkg / f"m{i}.py").write_text(f"from pkg.m{i - 1} import f{i - 1}\n\n\ndef f{i}():\n    return f{i - 1}()\n\n\n"
                                      f"async def a{i}():\n    return f{i}()\n")

    def run(**kw):
        return lint(tmp_path, jobs=2, **kw)

    assert run().how == "full"
    for i in range(5, 35):
        p = pkg / f"m{i}.py"
        p.write_text("# checkout\n" + p.read_text() + f"\n\ndef extra{i}():\n    return {i}\n")
    (pkg / "m39.py").unlink()
    (pkg / "new.py").write_text("from pkg.m3 import f3\n\n\nasync def n():\n    return f3()\n")
    after = run()
    assert after.how == "incremental"
    assert as_json(after) == as_json(run(use_cache=False))


def _die(items):
    os._exit(3)


def test_a_worker_that_dies_while_many_files_are_revalidated_runs_the_whole_analysis(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    for i in range(30):
        (tmp_path / f"m{i}.py").write_text(f"import time\n\n\nasync def a{i}():\n    time.sleep(1)\n")

    def run(**kw):
        return lint(tmp_path, jobs=2, **kw)

    run()
    for i in range(30):
        (tmp_path / f"m{i}.py").write_text(f"import time\n\n\n\nasync def a{i}():\n    time.sleep(1)\n")
    monkeypatch.setattr(runner, "_analyse_text_chunk", _die)  # in the forked workers
    after = run()
    assert after.how == "full"
    assert as_json(after) == as_json(run(use_cache=False))


def test_lines_inserted_above_an_abstract_method_move_its_chains(interfaces):
    f = interfaces / "notes" / "domain" / "repository.py"
    f.write_text("import logging\n\n" + f.read_text())
    r = check_same(interfaces)
    assert r.how == "incremental", r.how
    frames = [fr for d in r.diagnostics if d.code == "FAK401" for fr in (d.trace or ())]
    assert any(fr.path.endswith("repository.py") and fr.line == 10 for fr in frames), frames


def test_lines_inserted_above_an_inherited_method_touch_nobody(tmp_path):
    root, _first = _linted_copy(tmp_path, "peewee_services")
    f = root / "pwapp" / "services" / "common.py"
    f.write_text("import logging\n" + f.read_text())
    r = check_same(root)
    assert r.how == "incremental", r.how


# ---- properties: a read in another module runs the getter ---------------------------------------------

@pytest.fixture
def properties(tmp_path):
    return _linted_copy(tmp_path, "properties")[0]


def _api_401_rows(r):
    return sorted(d.location.row for d in r.diagnostics if d.code == "FAK401" and d.filename.endswith("api.py"))


def test_a_getter_that_stops_blocking_clears_the_reads_in_other_modules(properties):
    before = _api_401_rows(lint(properties))
    f = properties / "propshop" / "settings.py"
    f.write_text(f.read_text().replace("        with open(self.path) as f:  # ok: a sync getter", "        if False:  # ok:")
                 .replace("            return json.load(f)\n", "            return {}\n", 1))
    r = check_same(properties)
    assert r.how == "incremental", r.how
    assert _api_401_rows(r) == [x for x in before if x not in (14, 19, 25, 29)], _api_401_rows(r)


def test_a_plain_property_that_starts_blocking_reaches_its_readers(properties):
    f = properties / "propshop" / "settings.py"
    f.write_text(f.read_text().replace("return self._name  # a plain attribute", "return open(self._name).read()  #"))
    r = check_same(properties)
    assert 15 in _api_401_rows(r)


def test_a_property_turned_into_a_method_is_no_longer_read(properties):
    f = properties / "propshop" / "settings.py"
    f.write_text(f.read_text().replace("    @functools.cached_property\n", ""))
    r = check_same(properties)
    assert 16 not in _api_401_rows(r)


def test_an_edit_of_the_reader_alone_keeps_the_property_wording(properties):
    """The getter's module is not resolved again: the read is still worded as a read (the edge says so,
    not the getter's record, which the saved state keeps small)."""
    f = properties / "propshop" / "api.py"
    f.write_text(f.read_text().replace("    y = s.name  # ok: returns an attribute\n",
                                       "    y = s.name  # ok: returns an attribute\n    y = y or 1\n"))
    r = check_same(properties)
    assert r.how == "incremental", r.how
    assert any(d.message.startswith("reads `s.remote`, the property `Settings.remote` (computed on the first read")
               for d in r.diagnostics)


# ---- Django relations: the reverse side is declared in another module ----------------------------

def _relation_counts(r):
    return sorted((Path(d.path).name, d.location.row, d.code) for d in r.diagnostics if "relations" in d.path)


@pytest.mark.parametrize("edit", [
    ('related_name="loans"', 'related_name="lendings"'),  # the reverse accessor renamed
    ('related_name="loans"', 'related_name="+"'),  # no reverse accessor any more
    ("class Shelf(models.Model):", "class Shelving(models.Model):"),  # a class renamed
    ("class Reader(AbstractUser):", "class Reader(models.Model):"),  # no user model any more
])
def test_reverse_relations_follow_edits_in_another_module(tmp_path, edit):
    root, first = _linted_copy(tmp_path, "django_shop")
    assert any(line == 25 for _n, line, _c in _relation_counts(first))  # `book.loans.filter(...).exists()`
    f = root / "library" / "models.py"
    f.write_text(f.read_text().replace(*edit))
    r = check_same(root)
    assert r.how == "incremental", r.how
    if "loans" in edit[0]:
        assert not any(line == 25 for _n, line, _c in _relation_counts(r))
    # and back
    f.write_text(f.read_text().replace(edit[1], edit[0]))
    r = check_same(root)
    assert any(line == 25 for _n, line, _c in _relation_counts(r))


def _tools_lines(r):
    return sorted(d.location.row for d in r.diagnostics if Path(d.path).name == "tools.py")


def test_a_field_keyword_typing_follows_an_edit_of_the_model(tmp_path):
    """`Review.objects.acreate(book=chat)` types `chat` by the field `Review.book` (another module): a field that
    stops being a foreign key stops typing it, in an incremental run as in a full one."""
    root, first = _linted_copy(tmp_path, "django_shop")
    assert {14, 15, 31} <= set(_tools_lines(first))  # `chat.publisher`, `chat.author`, `book.author`
    f = root / "shop" / "models.py"
    old = "    book = models.ForeignKey(Book, on_delete=models.CASCADE)\n"
    assert old in f.read_text()
    f.write_text(f.read_text().replace(old, "    book = models.IntegerField()\n"))
    r = check_same(root)
    assert r.how == "incremental", r.how
    assert not {14, 15, 31} & set(_tools_lines(r))
    f.write_text(f.read_text().replace("    book = models.IntegerField()\n", old))
    r = check_same(root)
    assert {14, 15, 31} <= set(_tools_lines(r))


def test_positions_are_not_interface():
    """Inserting a line above every function (a new import) changes no name's interface: positions,
    call records and callable arguments (``cargs``, with their spans) are the function's own. Measured on
    Home Assistant: a new import in helpers/entity.py re-resolved every reader (5.9 s) while ``cargs``
    were part of the interface."""
    from fakeasync_lint import analysis, incremental

    src = textwrap.dedent('''
        import asyncio


        def run(cb):
            return cb()


        class Entity:
            def name(self):
                return run(self._name)

            def _name(self):
                return "x"

            async def update(self):
                await asyncio.to_thread(run, self.name)
    ''').encode()
    a = analysis.analyze(src, "m.py", "m")
    b = analysis.analyze(b"import logging as _x\n" + src, "m.py", "m")
    assert any(f.get("cargs") for f in a["functions"].values())  # the shape this guards
    ka, _ = incremental.key_digests(a)
    kb, _ = incremental.key_digests(b)
    assert {k: v for k, v in kb.items() if k != "_x"} == ka


# ---- attributes stored on other objects: `app.state.db = ...` in one module, read in another --------------

def _state_lines(r, name):
    return sorted(d.location.row for d in r.diagnostics if Path(d.path).name == name and d.code == "FAK101")


@pytest.mark.parametrize("edit", [
    ('    app.state.db = sqlite3.connect("app.db")  # error: FAK101\n', ""),  # the store removed
    ("app.state.db = sqlite3.connect", "app.state.dbx = sqlite3.connect"),  # stored under another name
    ("bot.db = sqlite3.connect", "settings.db = sqlite3.connect"),  # stored on another object
])
def test_stored_attributes_follow_edits_in_another_module(tmp_path, edit):
    root, first = _linted_copy(tmp_path, "shared_state")
    f = root / "service" / ("bot.py" if "bot.db" in edit[0] else "app.py")
    line = 20 if "bot.db" in edit[0] else 30
    assert line in _state_lines(first, f.name)
    f.write_text(f.read_text().replace(*edit))
    r = check_same(root)
    assert r.how == "incremental", r.how
    assert line not in _state_lines(r, f.name)
    f.write_text(f.read_text().replace(edit[1], edit[0]) if edit[1] else first_text(root, f, edit))
    r = check_same(root)
    assert line in _state_lines(r, f.name)


def first_text(root, f, edit):
    return (FIXTURES / "projects" / "shared_state" / f.relative_to(root)).read_text()


def test_a_store_added_in_a_new_module_reaches_its_readers(tmp_path):
    root, first = _linted_copy(tmp_path, "shared_state")
    reader = [(Path(d.path).name, d.location.row) for d in first.diagnostics]
    assert ("app.py", 50) not in reader  # `request.app.state.reports.get(...)`: nothing stores `reports` on a state
    boot = root / "service" / "boot.py"
    boot.write_text("import requests\nfrom fastapi import Request\n\n\n"
                    "async def cache_middleware(request: Request, call_next):\n"
                    "    request.state.reports = requests.Session()\n    return await call_next(request)\n")
    r = check_same(root)
    assert r.how == "incremental", r.how
    assert ("app.py", 50, "FAK102") in [(Path(d.path).name, d.location.row, d.code) for d in r.diagnostics]
    boot.unlink()
    r = check_same(root)
    assert r.how == "incremental", r.how
    assert ("app.py", 50) not in [(Path(d.path).name, d.location.row) for d in r.diagnostics]


def test_constructor_arguments_follow_edits_in_another_module(tmp_path):
    """`Repo(Database("app.db"))` in routes.py types `Repo.__init__`'s untyped `database` (repos.py): constructed
    with something else, `Repo.rows` stops blocking, in an incremental run as in a full one."""
    root, first = _linted_copy(tmp_path, "shared_state")
    rows = lambda r: sorted(d.location.row for d in r.diagnostics  # noqa: E731
                            if Path(d.path).name == "routes.py" and d.code == "FAK401")
    assert rows(first) == [14, 19]
    f = root / "service" / "routes.py"
    f.write_text(f.read_text().replace('users = Repo(Database("app.db"))', "users = Repo(make_cache())")
                 .replace('OrderRepo(Database("orders.db"), table="orders")', 'OrderRepo(make_cache(), table="orders")'))
    r = check_same(root)
    assert r.how == "incremental", r.how
    assert rows(r) == []
    f.write_text((FIXTURES / "projects" / "shared_state" / "service" / "routes.py").read_text())
    r = check_same(root)
    assert rows(r) == [14, 19]
