"""The blocking-API catalog: data, not code.  This module imports nothing.

Adding a driver is a data change here plus a fixture in ``fixtures/``.

Schema
======

``FAMILIES``: family key -> dict
    code         rule code reported for calls of this family (FAK101..FAK107)
    label        short noun phrase used in messages ("psycopg2", "SQLAlchemy sync Session")
    why          why it blocks, one clause ("waits for the database server on a blocking socket")
    replacement  the async replacement in words/code; ``{to_thread}``, ``{sleep}`` and ``{lib}`` are
                 filled with the file's own async library (asyncio / anyio / trio)
    fix          default fix kind (see FIX KINDS)

``FUNCTIONS``: qualified name -> dict (all keys optional)
    family       if present, calling it blocks (family key above)
    returns      catalog type name of the result (constructors / factories), for receiver typing
    replacement  overrides the family replacement for this call
    fix          overrides the family fix kind
    sync_factory if present ("sqlalchemy" or "supabase"), the call builds a sync engine/client: FAK201
    offload      1-based position of the callable argument for thread offloaders
                 (``asyncio.to_thread`` -> 1, ``loop.run_in_executor`` -> 2); calls *passed* there are fine
    awaitable    True: the function returns an awaitable, so its result is not a sync value

Qualified names are the import path as written by users (``sqlalchemy.create_engine``,
``sqlalchemy.engine.create_engine``); list each common spelling.

``TYPES``: catalog type name -> dict (all keys optional)
    family       family of its blocking methods
    blocking     space-separated method names that block; ``"*"`` means every method not in ``local``
    local        with ``"*"``: methods that do not block (builders, pure accessors)
    returns      {method: type} result type of a method call (blocking or not)
    attrs        {attribute: type} type of an attribute read (``conn.connection``)
    iter         True: ``for x in obj`` / ``list(obj)`` blocks (cursor iteration, Django QuerySet)
    item         type of the elements produced by iteration
    with_type    type bound by ``with obj as x`` when it is not the object itself
    call         type returned by calling the object (``sessionmaker(...)()``)
    fluent       True: unknown methods return the same type (query builders)
    aliases      space-separated qualified names that denote this type in annotations and
                 constructor calls (``sqlalchemy.orm.Session``)
    fixes        {method: fix kind} per-method fix override (Django ``get`` -> ``django_async``)
    replacements {method: text} per-method replacement override

``MODULE_ROOTS``: top-level module names taken as the module when the name is used but never bound in
the file (``requests.get(...)`` without an import).

FIX KINDS
    sleep        ``time.sleep(x)`` -> ``await {lib}.sleep(x)`` (safe)
    await_arg    ``asyncio.run(c)`` -> ``await c`` (safe)
    wrap_future  ``fut.result()`` -> ``await asyncio.wrap_future(fut)`` (safe, no timeout argument)
    django_async ``qs.get(...)`` -> ``await qs.aget(...)`` (safe)
    to_thread    ``f(a, k=v)`` -> ``await {to_thread}(f, a, k=v)`` (unsafe)
    display      a suggestion only (driver or client swap), never applied
"""

FAMILIES = {
    # ---- FAK101 database drivers and ORMs -------------------------------------------------
    "psycopg2": {
        "code": "FAK101",
        "label": "psycopg2",
        "why": "waits for PostgreSQL on a blocking libpq socket",
        "replacement": "psycopg 3 async (`await psycopg.AsyncConnection.connect(...)`, same %s SQL) "
        "or asyncpg; short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "sqlalchemy": {
        "code": "FAK101",
        "label": "SQLAlchemy sync engine/connection",
        "why": "runs the query through a synchronous DB-API driver",
        "replacement": "`create_async_engine(...)` with `async with engine.connect() as conn: "
        "await conn.execute(...)`",
        "fix": "to_thread",
    },
    "sqlalchemy_session": {
        "code": "FAK101",
        "label": "SQLAlchemy sync Session",
        "why": "runs the query through a synchronous DB-API driver",
        "replacement": "`AsyncSession` from `async_sessionmaker(...)`: `await session.execute(...)`",
        "fix": "to_thread",
    },
    # ---- FAK102 HTTP --------------------------------------------------------------------------
    "requests": {
        "code": "FAK102",
        "label": "requests",
        "why": "performs the whole HTTP round trip on a blocking socket",
        "replacement": "`httpx.AsyncClient` (`await client.get(...)`) or `aiohttp.ClientSession`",
        "fix": "to_thread",
    },
    "httpx_sync": {
        "code": "FAK102",
        "label": "httpx sync client",
        "why": "performs the whole HTTP round trip on a blocking socket",
        "replacement": "`httpx.AsyncClient` (same methods, awaited)",
        "fix": "to_thread",
    },
    # ---- FAK103 sleep -------------------------------------------------------------------------
    "sleep": {
        "code": "FAK103",
        "label": "time.sleep",
        "why": "suspends the whole thread, and with it the event loop",
        "replacement": "`await {sleep}(...)`",
        "fix": "sleep",
    },
    # ---- FAK106 SDK / network clients ---------------------------------------------------------
    "supabase": {
        "code": "FAK106",
        "label": "sync Supabase client",
        "why": "sends the request with a synchronous httpx.Client",
        "replacement": "`client = await acreate_client(url, key)` and `await client.table(...)...execute()`",
        "fix": "to_thread",
    },
}

FUNCTIONS = {
    # sleep
    "time.sleep": {"family": "sleep"},
    # psycopg2
    "psycopg2.connect": {"family": "psycopg2", "returns": "psycopg2.connection"},
    # SQLAlchemy
    "sqlalchemy.create_engine": {"returns": "sqlalchemy.Engine", "sync_factory": "sqlalchemy"},
    "sqlalchemy.engine.create_engine": {"returns": "sqlalchemy.Engine", "sync_factory": "sqlalchemy"},
    "sqlalchemy.ext.asyncio.create_async_engine": {"returns": "sqlalchemy.AsyncEngine"},
    # requests
    "requests.get": {"family": "requests"},
    "requests.post": {"family": "requests"},
    "requests.Session": {"returns": "requests.Session"},
    "requests.session": {"returns": "requests.Session"},
    # httpx
    "httpx.get": {"family": "httpx_sync"},
    # supabase
    "supabase.create_client": {"returns": "supabase.Client", "sync_factory": "supabase"},
    "supabase.acreate_client": {"returns": "supabase.AsyncClient", "awaitable": True},
    # thread offloaders: the callable passed at position `offload` runs in a worker thread
    "asyncio.to_thread": {"offload": 1, "awaitable": True},
}

TYPES = {
    "psycopg2.connection": {
        "family": "psycopg2",
        "blocking": "commit rollback close reset set_session set_isolation_level set_client_encoding "
        "tpc_begin tpc_prepare tpc_commit tpc_rollback tpc_recover lobject cancel",
        "returns": {"cursor": "psycopg2.cursor"},
        "aliases": "psycopg2.extensions.connection",
    },
    "psycopg2.cursor": {
        "family": "psycopg2",
        "blocking": "execute executemany callproc fetchone fetchmany fetchall scroll copy_from copy_to "
        "copy_expert nextset",
        "iter": True,
        "aliases": "psycopg2.extensions.cursor",
    },
    # A DB-API connection whose driver is not known statically (SQLAlchemy raw connections).
    "dbapi.connection": {
        "family": "psycopg2",
        "blocking": "commit rollback close",
        "returns": {"cursor": "dbapi.cursor"},
    },
    "dbapi.cursor": {
        "family": "psycopg2",
        "blocking": "execute executemany callproc fetchone fetchmany fetchall scroll nextset "
        "copy_from copy_to copy_expert",
        "iter": True,
    },
    "sqlalchemy.Engine": {
        "family": "sqlalchemy",
        "blocking": "connect begin raw_connection dispose execute",
        "returns": {
            "connect": "sqlalchemy.Connection",
            "begin": "sqlalchemy.Connection",
            "raw_connection": "dbapi.connection",
        },
        "aliases": "sqlalchemy.engine.Engine sqlalchemy.engine.base.Engine",
    },
    "sqlalchemy.Connection": {
        "family": "sqlalchemy",
        "blocking": "execute exec_driver_sql scalar scalars commit rollback begin begin_nested close "
        "invalidate get_isolation_level",
        "attrs": {"connection": "dbapi.connection", "dbapi_connection": "dbapi.connection"},
        "aliases": "sqlalchemy.engine.Connection sqlalchemy.engine.base.Connection",
    },
    "sqlalchemy.AsyncEngine": {},
    "requests.Session": {
        "family": "requests",
        "blocking": "get options head post put patch delete request send",
        "aliases": "requests.sessions.Session",
    },
    "supabase.Client": {
        "family": "supabase",
        "returns": {
            "table": "postgrest.SyncBuilder",
            "from_": "postgrest.SyncBuilder",
            "schema": "supabase.Client",
            "rpc": "postgrest.SyncBuilder",
        },
        "aliases": "supabase.client.Client supabase._sync.client.SyncClient",
    },
    "postgrest.SyncBuilder": {
        "family": "supabase",
        "blocking": "execute",
        "fluent": True,
    },
    "supabase.AsyncClient": {},
}

MODULE_ROOTS = (
    "time requests httpx urllib urllib3 http os shutil glob subprocess socket ssl smtplib ftplib "
    "psycopg2 psycopg sqlite3 pymysql MySQLdb mysql pyodbc oracledb cx_Oracle pymssql duckdb "
    "sqlalchemy redis pymongo boto3 elasticsearch supabase threading queue concurrent asyncio io "
    "pathlib builtins"
).split()
