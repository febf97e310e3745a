"""Shape checks for ``fakeasync_lint.catalog`` (pure data; the analysis engine trusts these invariants)."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from fakeasync_lint import catalog

FIX_KINDS = {"sleep", "await_arg", "wrap_future", "django_async", "to_thread", "display"}
CODES = {f"FAK10{i}" for i in range(1, 9)}
PLACEHOLDERS = {"to_thread", "sleep", "lib"}
SYNC_FACTORIES = {"sqlalchemy", "supabase"}

FAMILY_KEYS = {"code", "label", "why", "replacement", "fix"}
FUNCTION_KEYS = {"family", "returns", "replacement", "fix", "sync_factory", "offload", "awaitable", "returns_class"}
TYPE_KEYS = {
    "subclassed",
    "model",
    "base",
    "getitem",
    "props",
    "truth",
    "lazy",
    "user_methods",
    "instance",
    "class_methods",
    "field_read",
    "family",
    "blocking",
    "local",
    "returns",
    "attrs",
    "class_attrs",
    "truediv",
    "subscript",
    "iter",
    "item",
    "with_type",
    "call",
    "fluent",
    "aliases",
    "fixes",
    "replacements",
    "offload_methods",
}
# keys whose value is one catalog type name
TYPE_REF_KEYS = ("subscript", "item", "with_type", "call", "truediv")
# keys whose value is {name: catalog type name}
TYPE_MAP_KEYS = ("returns", "attrs", "class_attrs")
ALLOWED_DUNDERS = {"__enter__", "__call__"}

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
QUALNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

FAMILIES = catalog.FAMILIES
FUNCTIONS = catalog.FUNCTIONS
TYPES = catalog.TYPES


def _words(s):
    return s.split() if s else []


def _placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _format(text):
    return text.format(to_thread="asyncio.to_thread", sleep="asyncio.sleep", lib="asyncio")


def _blocking_set(spec):
    return set(_words(spec.get("blocking")))


def _is_blocking_method(spec, method):
    b = spec.get("blocking")
    if b == "*":
        return not method.startswith("_") and method not in _words(spec.get("local"))
    return method in _words(b)


# ---- module ---------------------------------------------------------------------------------------


def test_module_imports_nothing():
    tree = ast.parse(Path(catalog.__file__).read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert imports == [], "catalog.py must stay pure data (no imports)"


def test_top_level_shapes():
    assert isinstance(FAMILIES, dict) and FAMILIES
    assert isinstance(FUNCTIONS, dict) and FUNCTIONS
    assert isinstance(TYPES, dict) and TYPES
    roots = list(catalog.MODULE_ROOTS)
    assert all(IDENT.match(r) for r in roots), roots
    assert len(roots) == len(set(roots)), "duplicate MODULE_ROOTS"


def test_docstring_documents_every_key_and_fix_kind():
    doc = catalog.__doc__ or ""
    for key in sorted(FAMILY_KEYS | FUNCTION_KEYS | TYPE_KEYS):
        assert re.search(rf"^\s+{re.escape(key)}\s", doc, re.M), f"schema key {key!r} not documented"
    for kind in sorted(FIX_KINDS):
        assert re.search(rf"^\s+{kind}\s", doc, re.M), f"fix kind {kind!r} not documented"


# ---- FAMILIES -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_family(name):
    fam = FAMILIES[name]
    assert set(fam) == FAMILY_KEYS, f"{name}: keys {sorted(set(fam) ^ FAMILY_KEYS)}"
    assert fam["code"] in CODES, f"{name}: code {fam['code']}"
    assert fam["fix"] in FIX_KINDS, f"{name}: fix {fam['fix']}"
    for key in ("label", "why", "replacement"):
        assert isinstance(fam[key], str) and fam[key].strip(), f"{name}: empty {key}"
    assert _placeholders(fam["replacement"]) <= PLACEHOLDERS, f"{name}: unknown placeholder"
    _format(fam["replacement"])
    assert "{" not in fam["why"] and "{" not in fam["label"]


def test_every_family_is_used():
    from fakeasync_lint.libfacts import LIB_FAMILIES, LIB_FAMILY_OF_CODE

    used = {f.get("family") for f in FUNCTIONS.values()} | {t.get("family") for t in TYPES.values()}
    unused = sorted(set(FAMILIES) - used - LIB_FAMILIES)
    assert not unused, f"families never referenced: {unused}"
    # the families of derived library APIs: one per rule code, each with that code
    for code, fam in LIB_FAMILY_OF_CODE.items():
        assert FAMILIES[fam]["code"] == code
    assert LIB_FAMILIES <= set(FAMILIES)


# ---- FUNCTIONS ------------------------------------------------------------------------------------


@pytest.mark.parametrize("qual", sorted(FUNCTIONS))
def test_function(qual):
    spec = FUNCTIONS[qual]
    assert QUALNAME.match(qual), qual
    assert isinstance(spec, dict)
    unknown = set(spec) - FUNCTION_KEYS
    assert not unknown, f"{qual}: unknown keys {sorted(unknown)}"
    assert spec, f"{qual}: empty entry says nothing"
    assert set(spec) - {"replacement", "fix"}, f"{qual}: only overrides, no meaning"
    if "family" in spec:
        assert spec["family"] in FAMILIES, f"{qual}: unknown family {spec['family']}"
    if "returns" in spec:
        assert spec["returns"] in TYPES, f"{qual}: unknown returned type {spec['returns']}"
    if "returns_class" in spec:
        assert spec["returns_class"] in TYPES, f"{qual}: unknown returned class {spec['returns_class']}"
    if "fix" in spec:
        assert spec["fix"] in FIX_KINDS, f"{qual}: unknown fix {spec['fix']}"
        assert "family" in spec, f"{qual}: fix override on a non-blocking function"
    if "replacement" in spec:
        assert "family" in spec, f"{qual}: replacement on a non-blocking function"
        assert _placeholders(spec["replacement"]) <= PLACEHOLDERS
        _format(spec["replacement"])
    if "sync_factory" in spec:
        assert spec["sync_factory"] in SYNC_FACTORIES
    if "offload" in spec:
        assert isinstance(spec["offload"], int) and spec["offload"] >= 1
        assert "family" not in spec, f"{qual}: an offloader cannot block"
    if "awaitable" in spec:
        assert spec["awaitable"] is True
        assert "family" not in spec, f"{qual}: awaitable functions do not block"


# ---- TYPES ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TYPES))
def test_type(name):
    spec = TYPES[name]
    assert QUALNAME.match(name), name
    unknown = set(spec) - TYPE_KEYS
    assert not unknown, f"{name}: unknown keys {sorted(unknown)}"
    fam = spec.get("family")
    if fam is not None:
        assert fam in FAMILIES, f"{name}: unknown family {fam}"

    blocking = spec.get("blocking")
    if blocking is not None:
        assert isinstance(blocking, str) and blocking.strip()
        assert fam is not None, f"{name}: blocking methods but no family"
        if blocking != "*":
            words = blocking.split()
            assert len(words) == len(set(words)), f"{name}: duplicate blocking methods"
            for m in words:
                assert IDENT.match(m), f"{name}: bad method {m!r}"
                assert not m.startswith("__") or m in ALLOWED_DUNDERS, f"{name}: dunder {m}"
    if "local" in spec:
        assert blocking == "*", f"{name}: `local` only makes sense with blocking '*'"
        assert all(IDENT.match(m) for m in _words(spec["local"]))
    if spec.get("iter"):
        assert fam is not None, f"{name}: iteration blocks but no family"
    if spec.get("lazy"):
        assert fam is not None, f"{name}: reading it blocks but no family"
    if spec.get("truth"):
        assert spec.get("iter"), f"{name}: a truth test is an evaluation of an iterable type"

    for key in TYPE_REF_KEYS:
        if key in spec:
            assert spec[key] in TYPES, f"{name}.{key}: unknown type {spec[key]}"
    for key in TYPE_MAP_KEYS:
        for member, target in (spec.get(key) or {}).items():
            assert member == "*" and key == "attrs" or IDENT.match(member), f"{name}.{key}: {member!r}"
            if key == "returns" and target.endswith(",bool"):  # a pair: the value and a flag
                target = target[:-5]
            assert target in TYPES, f"{name}.{key}[{member}]: unknown type {target}"
    for key in ("iter", "fluent", "model", "field_read", "lazy", "truth", "getitem"):
        if key in spec:
            assert spec[key] is True, f"{name}.{key} must be True when present"

    for method, kind in (spec.get("fixes") or {}).items():
        assert kind in FIX_KINDS, f"{name}.fixes[{method}]: {kind}"
        assert _is_blocking_method(spec, method), f"{name}.fixes[{method}]: not a blocking method"
    for method, text in (spec.get("replacements") or {}).items():
        if method == "__iter__":
            assert spec.get("iter"), f"{name}: __iter__ replacement on a non-iterable type"
        elif method == "__contains__":
            assert spec.get("iter") or spec.get("getitem"), f"{name}: __contains__ replacement on a type whose " \
                "membership test does not query"
        elif method == "__getitem__":
            assert spec.get("getitem"), f"{name}: __getitem__ replacement on a type whose items do not query"
        elif method == "__bool__":
            assert spec.get("truth"), f"{name}: __bool__ replacement on a type whose truth test does not block"
        elif method in _words(spec.get("props")):
            assert fam is not None, f"{name}: a blocking property but no family"
        else:
            assert _is_blocking_method(spec, method), f"{name}.replacements[{method}]: not blocking"
        assert _placeholders(text) <= PLACEHOLDERS
        _format(text)
    for method, pos in (spec.get("offload_methods") or {}).items():
        assert IDENT.match(method)
        assert isinstance(pos, int) and pos >= 1
    for alias in _words(spec.get("aliases")):
        assert QUALNAME.match(alias), f"{name}: bad alias {alias!r}"
        assert alias != name, f"{name}: aliases itself"


def test_aliases_are_unique():
    seen = {}
    for name, spec in TYPES.items():
        for alias in _words(spec.get("aliases")):
            assert alias not in TYPES, f"{alias} is a type key and an alias of {name}"
            assert alias not in seen, f"{alias} aliases both {seen[alias]} and {name}"
            seen[alias] = name


def test_constructor_functions_agree_with_aliases():
    # a FUNCTIONS entry spelled like a type (or its alias) must return that type
    alias_of = {}
    for name, spec in TYPES.items():
        alias_of[name] = name
        for alias in _words(spec.get("aliases")):
            alias_of[alias] = name
    for qual, spec in FUNCTIONS.items():
        if qual in alias_of and "returns" in spec:
            assert spec["returns"] == alias_of[qual], f"{qual} returns {spec['returns']}, type says {alias_of[qual]}"


# ---- coverage: the peers' lists and the brief's must-haves -----------------------------------------

MUST_BLOCK_FUNCTIONS = """
time.sleep
requests.get requests.options requests.head requests.post requests.put requests.patch requests.delete
requests.request httpx.get httpx.post httpx.put httpx.patch httpx.delete httpx.head httpx.options
httpx.request httpx.stream urllib3.request urllib.request.urlopen urllib.request.urlretrieve
subprocess.Popen os.popen subprocess.run subprocess.call subprocess.check_call subprocess.check_output
subprocess.getoutput subprocess.getstatusoutput os.system os.posix_spawn os.posix_spawnp
os.spawnl os.spawnle os.spawnlp os.spawnlpe os.spawnv os.spawnve os.spawnvp os.spawnvpe
os.wait os.wait3 os.wait4 os.waitid os.waitpid
open builtins.open io.open io.open_code os.fdopen
os.path.islink os.path.lexists os.path.ismount os.path.realpath os.path.exists os.path.isdir
os.path.isfile os.path.getatime os.path.getctime os.path.getmtime os.path.getsize os.path.samefile
os.path.sameopenfile
input builtins.input
os.access os.link os.listdir os.mkdir os.read os.readlink os.remove os.rename os.replace
os.rmdir os.scandir os.sendfile os.stat os.statvfs os.symlink os.unlink os.write os.walk os.lstat
os.makedirs os.removedirs os.renames os.open os.truncate os.chmod os.chown os.utime
glob.glob glob.iglob
shutil.copy shutil.copy2 shutil.copyfile shutil.copyfileobj shutil.copytree shutil.rmtree shutil.move
shutil.make_archive shutil.unpack_archive shutil.disk_usage shutil.chown shutil.which
tempfile.NamedTemporaryFile tempfile.TemporaryFile tempfile.mkstemp tempfile.mkdtemp
tempfile.TemporaryDirectory
psycopg2.connect psycopg2.extras.execute_batch psycopg2.extras.execute_values psycopg.connect
psycopg.Connection.connect sqlite3.connect pymysql.connect pymysql.Connect pymysql.Connection
MySQLdb.connect mysql.connector.connect pyodbc.connect oracledb.connect cx_Oracle.connect
pymssql.connect duckdb.connect duckdb.sql duckdb.execute
django.shortcuts.get_object_or_404 django.shortcuts.get_list_or_404
django.contrib.auth.authenticate django.contrib.auth.login django.contrib.auth.logout
socket.create_connection socket.getaddrinfo socket.gethostbyname socket.gethostbyname_ex
socket.gethostbyaddr socket.getnameinfo ssl.create_default_context
smtplib.SMTP smtplib.SMTP_SSL ftplib.FTP ftplib.FTP_TLS pika.BlockingConnection
kafka.KafkaProducer kafka.KafkaConsumer elasticsearch.helpers.bulk
concurrent.futures.wait concurrent.futures.as_completed asyncio.run
""".split()

# (type reached from a constructor/annotation spelling, method)
MUST_BLOCK_METHODS = [
    ("httpx.Client", m) for m in "close delete get head options patch post put request send stream".split()
] + [
    ("requests.Session", m) for m in "get options head post put patch delete request send".split()
] + [
    ("urllib3.PoolManager", "request"),
    ("urllib3.PoolManager", "urlopen"),
    ("urllib3.HTTPSConnectionPool", "request"),
    ("urllib3.ProxyManager", "urlopen"),
    ("http.client.HTTPSConnection", "getresponse"),
    ("http.client.HTTPConnection", "putrequest"),
    ("io.TextIOWrapper", "read"),
    ("io.TextIOWrapper", "write"),
    ("io.BufferedReader", "read"),
    ("io.BufferedWriter", "write"),
    ("io.BufferedRandom", "read"),
    ("typing.TextIO", "readline"),
    ("sqlite3.Cursor", "execute"),
    ("sqlite3.Cursor", "executemany"),
    ("sqlite3.Cursor", "executescript"),
    ("sqlite3.Cursor", "fetchall"),
    ("sqlite3.Cursor", "fetchmany"),
    ("sqlite3.Cursor", "fetchone"),
    ("sqlite3.Connection", "commit"),
    ("sqlite3.Connection", "execute"),
    ("sqlite3.Connection", "executemany"),
    ("sqlite3.Connection", "executescript"),
    ("sqlite3.Connection", "rollback"),
    ("socket.socket", "connect"),
    ("socket.socket", "accept"),
    ("socket.socket", "recv"),
    ("socket.socket", "sendall"),
    ("ssl.SSLSocket", "read"),
    ("ssl.SSLSocket", "write"),
    ("ssl.SSLContext", "load_default_certs"),
    ("ssl.SSLContext", "load_verify_locations"),
    ("ssl.SSLContext", "load_cert_chain"),
    ("ssl.SSLContext", "set_default_verify_paths"),
    ("threading.Lock", "acquire"),
    ("threading.RLock", "acquire"),
    ("threading.BoundedSemaphore", "acquire"),
    ("threading.Event", "wait"),
    ("threading.Condition", "wait"),
    ("threading.Barrier", "wait"),
    ("threading.Thread", "join"),
    ("queue.Queue", "get"),
    ("queue.Queue", "put"),
    ("queue.LifoQueue", "join"),
    ("concurrent.futures.Future", "result"),
    ("concurrent.futures.ThreadPoolExecutor", "shutdown"),
    ("asyncio.AbstractEventLoop", "run_until_complete"),
    ("asyncio.AbstractEventLoop", "run_forever"),
    ("subprocess.Popen", "wait"),
    ("subprocess.Popen", "communicate"),
    ("pathlib.Path", "read_text"),
    ("pathlib.Path", "write_bytes"),
    ("pathlib.Path", "open"),
    ("pathlib.Path", "exists"),
    ("pathlib.Path", "iterdir"),
    ("pathlib.PurePath", "glob"),
    ("psycopg2.extensions.cursor", "execute"),
    ("psycopg2.extensions.cursor", "fetchall"),
    ("psycopg2.extensions.connection", "commit"),
    ("psycopg.Connection", "execute"),
    ("psycopg.Cursor", "fetchall"),
    ("psycopg_pool.ConnectionPool", "getconn"),
    ("sqlalchemy.engine.Engine", "connect"),
    ("sqlalchemy.engine.Connection", "execute"),
    ("sqlalchemy.orm.Session", "execute"),
    ("sqlalchemy.orm.Session", "commit"),
    ("sqlalchemy.orm.Session", "get"),
    ("sqlalchemy.orm.scoped_session", "scalars"),
    ("sqlalchemy.orm.Query", "all"),
    ("sqlalchemy.orm.Query", "first"),
    ("django.db.models.QuerySet", "get"),
    ("django.db.models.QuerySet", "count"),
    ("django.db.models.Model", "save"),
    ("redis.Redis", "get"),
    ("redis.Redis", "hset"),
    ("redis.client.Pipeline", "execute"),
    ("pymongo.MongoClient", "list_database_names"),
    ("pymongo.collection.Collection", "find_one"),
    ("pymongo.collection.Collection", "insert_one"),
    ("pymongo.collection.Collection", "aggregate"),
    ("boto3.client", "get_object"),
    ("boto3.client", "put_object"),
    ("elasticsearch.Elasticsearch", "search"),
    ("smtplib.SMTP", "sendmail"),
    ("postgrest.SyncBuilder", "execute"),
    ("storage3.SyncBucket", "upload"),
    ("supabase_auth.SyncGoTrueClient", "sign_in_with_password"),
    ("supabase_functions.SyncFunctionsClient", "invoke"),
    ("pika.BlockingChannel", "basic_publish"),
    ("pymemcache.Client", "get"),
    ("google.cloud.storage.Blob", "download_as_bytes"),
    ("paramiko.SSHClient", "connect"),
    ("xmlrpc.client.ServerProxy", "anything"),
]

# (type, method) that must NOT be classified as blocking
MUST_NOT_BLOCK_METHODS = [
    ("sqlalchemy.orm.Session", m) for m in "add add_all expire expire_all expunge expunge_all begin query".split()
] + [
    ("queue.Queue", "get_nowait"),
    ("queue.Queue", "put_nowait"),
    ("redis.Redis", "pipeline"),
    ("redis.Redis", "pubsub"),
    ("redis.Redis", "lock"),
    ("redis.Redis", "get_encoder"),
    ("redis.client.Pipeline", "set"),
    ("boto3.client", "get_paginator"),
    ("boto3.client", "generate_presigned_url"),
    ("boto3.client", "meta"),
    ("pymongo.collection.Collection", "find"),
    ("pathlib.Path", "with_suffix"),
    ("pathlib.Path", "joinpath"),
    ("pathlib.Path", "relative_to"),
    ("pathlib.Path", "expanduser"),  # reads $HOME (or the passwd entry): no file-system access
    ("django.db.models.QuerySet", "filter"),
    ("django.db.models.QuerySet", "select_related"),
    ("django.db.models.QuerySet", "values_list"),
    ("postgrest.SyncBuilder", "select"),
    ("postgrest.SyncBuilder", "eq"),
    ("psycopg2.extensions.connection", "cursor"),
    ("sqlite3.Connection", "cursor"),
    ("asyncio.AbstractEventLoop", "run_in_executor"),
    ("concurrent.futures.ThreadPoolExecutor", "submit"),
]

MUST_NOT_BLOCK_FUNCTIONS = """
os.getcwd os.getcwdb os.path.abspath os.path.relpath pathlib.Path.cwd pathlib.Path.home os.path.expanduser
os.path.join os.path.basename os.path.dirname os.path.splitext os.path.normpath os.path.isabs
functools.partial asyncio.sleep asyncio.to_thread sqlalchemy.create_engine supabase.create_client
httpx.AsyncClient requests.Session threading.Lock queue.Queue redis.Redis pymongo.MongoClient
""".split()

OFFLOADERS = {
    "asyncio.to_thread": 1,
    "anyio.to_thread.run_sync": 1,
    "starlette.concurrency.run_in_threadpool": 1,
    "fastapi.concurrency.run_in_threadpool": 1,
    "asgiref.sync.sync_to_async": 1,
    "trio.to_thread.run_sync": 1,
}

ASYNC_TYPES_NEVER_BLOCK = """
asyncpg.Connection psycopg.AsyncConnection aiosqlite.Connection aiomysql.Connection
sqlalchemy.AsyncEngine sqlalchemy.AsyncSession sqlalchemy.async_sessionmaker redis.asyncio.Redis
pymongo.AsyncMongoClient httpx.AsyncClient aiohttp.ClientSession supabase.AsyncClient
elasticsearch.AsyncElasticsearch
""".split()


def _type_of(spelling):
    if spelling in TYPES:
        return spelling
    for name, spec in TYPES.items():
        if spelling in _words(spec.get("aliases")):
            return name
    raise AssertionError(f"no catalog type for {spelling}")


@pytest.mark.parametrize("qual", MUST_BLOCK_FUNCTIONS)
def test_must_block_function(qual):
    assert qual in FUNCTIONS, f"{qual} missing"
    assert FUNCTIONS[qual].get("family"), f"{qual} does not block"


@pytest.mark.parametrize("qual", MUST_NOT_BLOCK_FUNCTIONS)
def test_must_not_block_function(qual):
    assert not FUNCTIONS.get(qual, {}).get("family"), f"{qual} must not block"


@pytest.mark.parametrize("spelling,method", MUST_BLOCK_METHODS)
def test_must_block_method(spelling, method):
    spec = TYPES[_type_of(spelling)]
    assert spec.get("family") and _is_blocking_method(spec, method), f"{spelling}.{method} should block"


@pytest.mark.parametrize("spelling,method", MUST_NOT_BLOCK_METHODS)
def test_must_not_block_method(spelling, method):
    spec = TYPES[_type_of(spelling)]
    assert not _is_blocking_method(spec, method), f"{spelling}.{method} must not block"


@pytest.mark.parametrize("name", ASYNC_TYPES_NEVER_BLOCK)
def test_async_clients_have_no_family(name):
    spec = TYPES[_type_of(name)]
    assert "family" not in spec and "blocking" not in spec


def test_offloaders():
    for qual, pos in OFFLOADERS.items():
        assert FUNCTIONS[qual].get("offload") == pos, qual
    assert "functools.partial" not in FUNCTIONS
    loop = TYPES["asyncio.AbstractEventLoop"]
    assert loop["offload_methods"]["run_in_executor"] == 2
    for factory in ("asyncio.get_event_loop", "asyncio.new_event_loop", "asyncio.get_running_loop"):
        assert FUNCTIONS[factory]["returns"] == "asyncio.AbstractEventLoop"


def test_special_fix_kinds():
    assert FUNCTIONS["time.sleep"]["family"] == "sleep" and FAMILIES["sleep"]["fix"] == "sleep"
    assert FUNCTIONS["asyncio.run"]["fix"] == "await_arg"
    assert TYPES["asyncio.AbstractEventLoop"]["fixes"]["run_until_complete"] == "await_arg"
    assert TYPES["concurrent.futures.Future"]["fixes"]["result"] == "wrap_future"
    qs = TYPES["django.QuerySet"]
    for m in "get first count exists aggregate update delete".split():
        assert qs["fixes"][m] == "django_async", m
    assert qs["fixes"]["iterator"] != "django_async", "aiterator() is not awaitable"
    model = TYPES["django.Model"]
    assert {model["fixes"][m] for m in ("save", "delete", "refresh_from_db")} == {"django_async"}


def test_sqlalchemy_chains():
    assert FUNCTIONS["sqlalchemy.create_engine"]["sync_factory"] == "sqlalchemy"
    assert FUNCTIONS["sqlalchemy.engine_from_config"]["sync_factory"] == "sqlalchemy"
    engine = TYPES["sqlalchemy.Engine"]
    assert engine["returns"]["connect"] == "sqlalchemy.Connection"
    assert engine["returns"]["raw_connection"] == "dbapi.connection"
    assert TYPES["sqlalchemy.Connection"]["attrs"]["connection"] == "dbapi.connection"
    assert TYPES["dbapi.connection"]["returns"]["cursor"] == "dbapi.cursor"
    assert TYPES["sqlalchemy.orm.sessionmaker"]["call"] == "sqlalchemy.orm.Session"
    scoped = TYPES["sqlalchemy.orm.scoped_session"]
    assert scoped["call"] == "sqlalchemy.orm.Session"
    assert _blocking_set(TYPES["sqlalchemy.orm.Session"]) <= _blocking_set(scoped)
    assert TYPES["sqlalchemy.orm.Session"]["returns"]["query"] == "sqlalchemy.orm.Query"
    assert TYPES["sqlalchemy.orm.Query"].get("fluent") and TYPES["sqlalchemy.orm.Query"].get("iter")
    for spelling in ("sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session"):
        assert FUNCTIONS[spelling]["returns"] == "sqlalchemy.orm.Session"


def test_supabase_chain():
    client = TYPES["supabase.Client"]
    assert client["returns"]["rpc"] == "postgrest.SyncBuilder"
    assert TYPES[client["attrs"]["storage"]]["returns"]["from_"] == "storage3.SyncBucket"
    assert "invoke" in _blocking_set(TYPES[client["attrs"]["functions"]])
    assert FUNCTIONS["supabase.acreate_client"]["awaitable"] is True


def test_pymongo_subscript_chain():
    client = TYPES["pymongo.MongoClient"]
    db = TYPES[client["subscript"]]
    coll = TYPES[db["subscript"]]
    assert coll["returns"]["find"] == "pymongo.Cursor"
    assert TYPES["pymongo.Cursor"].get("iter")
