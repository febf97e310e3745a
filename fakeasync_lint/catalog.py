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
    returns      catalog type name of the result (constructors / factories), for receiver typing;
                 with ``awaitable`` it is the type of the *awaited* result
    replacement  overrides the family replacement for this call
    fix          overrides the family fix kind
    sync_factory if present ("sqlalchemy" or "supabase"), the call builds a sync engine/client: FAK201
    offload      1-based position of the callable argument for thread offloaders
                 (``asyncio.to_thread`` -> 1, ``loop.run_in_executor`` -> 2); calls *passed* there are fine
    awaitable    True: the function returns an awaitable, so its result is not a sync value
    returns_class catalog type of the *class* the function returns (``get_user_model()`` is a Django
                 model class: ``get_user_model().objects.get(...)``)

Qualified names are the import path as written by users (``sqlalchemy.create_engine``,
``sqlalchemy.engine.create_engine``); list each common spelling.  Builtins are listed bare and with
``builtins.`` (``open``, ``builtins.open``).  Classmethods are listed under the class spelling users
write (``pathlib.Path.cwd``, ``redis.Redis.from_url``).

``TYPES``: catalog type name -> dict (all keys optional)
    family       family of its blocking methods; a type without ``family`` never blocks (async clients
                 are listed that way so that their methods are known not to block)
    blocking     space-separated method names that block; ``"*"`` means every public method (not
                 starting with ``_``) that is not in ``local``.  Explicit lists may name two dunders:
                 ``__enter__`` (entering ``with obj:`` blocks: ``with lock:``) and ``__call__`` (calling
                 the object itself blocks: ``async_to_sync(f)(x)``)
    local        with ``"*"``: methods that do not block (builders, pure accessors)
    returns      {method: type} result type of a method call (blocking or not)
    attrs        {attribute: type} type of an attribute read (``conn.connection``).  The key ``"*"``
                 gives the type of any *other* attribute that is used as an object rather than called:
                 ``client.mydb.users.find_one()`` (``mydb`` and ``users`` are read, then used as a base);
                 a call ``client.close()`` is still a method call of the type itself
    truediv      type of ``obj / x`` (``Path(base) / "x"`` is a Path)
    subclassed   True: the framework hands back the project's own subclass of this type (the bot a handler
                 is given: ``ctx.bot``): a member the type does not declare is the member of the one project
                 class deriving from it that has it (``Resolver._own_subclass``)
    class_attrs  {attribute: type} type of an attribute read on a *class* that derives from this type
                 (an alias of it is among the class's bases): ``Book.objects`` -> ``django.Manager``.
                 Instances of such project classes fall back to this type for members they do not
                 define (``book.save()``)
    base         True: a value of this type is a class that project classes derive from (`db.Model` of a
                 Flask-SQLAlchemy ``SQLAlchemy()``): such a class gets its ``class_attrs``
    class_methods space-separated names callable on a *class* that derives from this type (its
                 classmethods: peewee ``User.get(...)``, ``User.select()``); they are judged and typed as
                 methods of this type (``blocking``, ``returns``)
    subscript    type of ``obj[key]`` (``client["db"]`` -> database, ``qs[0]`` -> a row); a slice ``obj[a:b]`` is
                 the value itself (``qs[:10]`` is the QuerySet)
    iter         True: ``for x in obj`` / ``list(obj)`` blocks (cursor iteration, Django QuerySet)
    item         type of the elements produced by iteration
    with_type    type bound by ``with obj as x`` when it is not the object itself
    call         type returned by calling the object (``sessionmaker(...)()``)
    fluent       True: unknown methods return the same type (query builders)
    aliases      space-separated qualified names that denote this type in annotations and
                 constructor calls (``sqlalchemy.orm.Session``); the type's own key counts as one
    fixes        {method: fix kind} per-method fix override (Django ``get`` -> ``django_async``)
    replacements {method: text} per-method replacement override; the key ``"__iter__"`` is the text
                 for iterating the object (only on types with ``iter``)
    instance     True: a value of this type is an instance of the model class it is about (``peewee.Model``;
                 ``django.Model`` is one too): a model-carrying value typed so is that project class's instance
    model        True: a value of this type carries the model class it is about (Django managers and
                 querysets): ``Book.objects.filter(...)`` is a QuerySet *of Book*, and what it yields or
                 returns as ``django.Model`` (``get``, ``aget``, ``first``, iteration) is a ``Book``
                 instance, whose own fields and methods are then known (foreign keys, ``save``)
    getitem      True: reading or writing an item (``x[key]``) or testing membership runs a query (Django's
                 ``request.session`` loads itself on first use); ``replacements`` ``"__getitem__"`` /
                 ``"__contains__"`` word the fix
    truth        True: testing a value of this type for truth runs a query (``if qs:``, ``not qs``,
                 ``qs or []``, ``bool(qs)``: a Django QuerySet fetches every row); with ``iter``; the key
                 ``"__bool__"`` of ``replacements`` is the text for it
    props        space-separated properties whose getter blocks: reading one is a blocking site (derived
                 library facts write it too; Django's ``Paginator.count``)
    user_methods space-separated methods whose result is an instance of the project's user model (its one
                 class deriving from Django's ``AbstractUser`` / ``AbstractBaseUser``): ``await request.auser()``
    lazy         True: reading any attribute of a value of this type runs a query (Django's lazy
                 ``request.user``: the first read loads the session and the user)
    field_read   True: reading this class attribute on an instance of a project class runs a query
                 (a Django ``ForeignKey`` / ``OneToOneField`` descriptor loads the related row)
    offload_methods {method: position} methods that run a callable argument in a worker thread or
                 process (``loop.run_in_executor`` -> 2, ``executor.submit`` -> 1): the callable passed
                 at that 1-based position is not called on the loop (same meaning as ``offload``)

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
    # ==== FAK101 database drivers and ORMs ======================================================
    "psycopg2": {
        "code": "FAK101",
        "label": "psycopg2",
        "why": "waits for PostgreSQL on a blocking libpq socket",
        "replacement": "psycopg 3 async (`await psycopg.AsyncConnection.connect(...)`, same %s SQL) "
        "or asyncpg; short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "psycopg": {
        "code": "FAK101",
        "label": "psycopg 3 sync connection",
        "why": "waits for PostgreSQL on a blocking socket",
        "replacement": "`conn = await psycopg.AsyncConnection.connect(...)` (same method names, awaited; "
        "`psycopg_pool.AsyncConnectionPool` for pools); short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "dbapi": {
        "code": "FAK101",
        "label": "DB-API driver connection",
        "why": "the raw driver connection talks to the database on a blocking socket",
        "replacement": "the async engine: `await conn.exec_driver_sql(sql, params)` on an `AsyncConnection`, "
        "or `raw = await conn.get_raw_connection()` for the async driver; short term move the whole "
        "block into a sync function and `await {to_thread}(fn, ...)`",
        "fix": "to_thread",
    },
    "sqlite3": {
        "code": "FAK101",
        "label": "sqlite3",
        "why": "reads and writes the database file on the calling thread",
        "replacement": "aiosqlite (`async with aiosqlite.connect(path) as db: await db.execute(...)`); "
        "short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "pymysql": {
        "code": "FAK101",
        "label": "PyMySQL",
        "why": "waits for MySQL on a blocking socket",
        "replacement": "aiomysql (same API, awaited: `conn = await aiomysql.connect(...)`) or asyncmy; "
        "short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "mysqlclient": {
        "code": "FAK101",
        "label": "mysqlclient (MySQLdb)",
        "why": "waits for MySQL inside libmysqlclient on the calling thread",
        "replacement": "aiomysql or asyncmy (`conn = await aiomysql.connect(...)`); "
        "short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "mysql_connector": {
        "code": "FAK101",
        "label": "mysql-connector-python",
        "why": "waits for MySQL on a blocking socket",
        "replacement": "`mysql.connector.aio` (mysql-connector-python 8.3+): "
        "`conn = await mysql.connector.aio.connect(...)`; or aiomysql; short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "pyodbc": {
        "code": "FAK101",
        "label": "pyodbc",
        "why": "waits for the database inside the ODBC driver on the calling thread",
        "replacement": "no native async API: `await {to_thread}(...)` around the whole block, "
        "or aioodbc (wraps pyodbc in an executor)",
        "fix": "to_thread",
    },
    "oracledb": {
        "code": "FAK101",
        "label": "python-oracledb sync connection",
        "why": "waits for Oracle on a blocking socket",
        "replacement": "`conn = await oracledb.connect_async(...)` / `oracledb.create_pool_async(...)` "
        "(python-oracledb 2.0+, thin mode); short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "cx_oracle": {
        "code": "FAK101",
        "label": "cx_Oracle",
        "why": "waits for Oracle inside the Oracle client libraries on the calling thread",
        "replacement": "python-oracledb async (`await oracledb.connect_async(...)`, thin mode; "
        "cx_Oracle has no async API); short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "pymssql": {
        "code": "FAK101",
        "label": "pymssql",
        "why": "waits for SQL Server inside FreeTDS on the calling thread",
        "replacement": "no native async API: `await {to_thread}(...)` around the whole block, or aioodbc",
        "fix": "to_thread",
    },
    "duckdb": {
        "code": "FAK101",
        "label": "DuckDB",
        "why": "runs the query in-process (CPU and disk) on the calling thread",
        "replacement": "no async API: `await {to_thread}(...)`, with one `con.cursor()` per thread "
        "(a DuckDB connection is not thread-safe)",
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
    "django": {
        "code": "FAK101",
        "label": "Django ORM",
        "why": "runs the query synchronously (and raises SynchronousOnlyOperation in an event loop)",
        "replacement": "the `a`-prefixed async twin (Django 4.1+: `await qs.aget(...)`, `afirst`, `acount`, "
        "`async for obj in qs`), or `await sync_to_async(fn)()` for a sync block",
        "fix": "display",
    },
    "peewee": {
        "code": "FAK101",
        "label": "peewee sync database",
        "why": "runs the query through a synchronous DB-API driver",
        "replacement": "peewee 4 `playhouse.pwasyncio` (`AsyncPostgresqlDatabase`, `await db.aexecute(...)`); "
        "short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "pandas_sql": {
        "code": "FAK101",
        "label": "pandas SQL reader/writer",
        "why": "runs the query through a synchronous driver and builds the frame on the calling thread",
        "replacement": "fetch the rows with an async driver, then `pandas.DataFrame(rows)`; "
        "or `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    # ==== FAK102 HTTP ==========================================================================
    "requests": {
        "code": "FAK102",
        "label": "requests",
        "why": "performs the whole HTTP round trip on a blocking socket",
        "replacement": "`httpx.AsyncClient` (`await client.get(...)`) or `aiohttp.ClientSession`",
        "fix": "to_thread",
    },
    "curl_cffi": {
        "code": "FAK102",
        "label": "curl_cffi",
        "why": "performs the whole HTTP round trip through libcurl on the calling thread",
        "replacement": "`curl_cffi.requests.AsyncSession` (`async with AsyncSession() as s: await s.get(...)`)",
        "fix": "to_thread",
    },
    "httpx_sync": {
        "code": "FAK102",
        "label": "httpx sync client",
        "why": "performs the whole HTTP round trip on a blocking socket",
        "replacement": "`httpx.AsyncClient` (same methods, awaited)",
        "fix": "to_thread",
    },
    "urllib": {
        "code": "FAK102",
        "label": "urllib.request",
        "why": "performs the whole HTTP round trip on a blocking socket",
        "replacement": "`httpx.AsyncClient` (`await client.get(url)`) or `aiohttp.ClientSession`",
        "fix": "to_thread",
    },
    "urllib3": {
        "code": "FAK102",
        "label": "urllib3",
        "why": "performs the whole HTTP round trip on a blocking socket",
        "replacement": "`httpx.AsyncClient` (`await client.request(method, url)`) or `aiohttp.ClientSession`",
        "fix": "to_thread",
    },
    "http_client": {
        "code": "FAK102",
        "label": "http.client",
        "why": "sends and receives on a blocking socket",
        "replacement": "`httpx.AsyncClient` / `aiohttp.ClientSession`, or `await asyncio.open_connection(...)` "
        "for raw streams",
        "fix": "to_thread",
    },
    "xmlrpc": {
        "code": "FAK102",
        "label": "xmlrpc.client",
        "why": "performs each remote call as a blocking HTTP round trip",
        "replacement": "`await {to_thread}(proxy.method, ...)` (a fresh ServerProxy per thread), "
        "or an async XML-RPC client such as aiohttp-xmlrpc",
        "fix": "to_thread",
    },
    # ==== FAK103 sleep =========================================================================
    "sleep": {
        "code": "FAK103",
        "label": "time.sleep",
        "why": "suspends the whole thread, and with it the event loop",
        "replacement": "`await {sleep}(...)`",
        "fix": "sleep",
    },
    # ==== FAK104 file and OS I/O ===============================================================
    "file_io": {
        "code": "FAK104",
        "label": "file I/O",
        "why": "reads or writes the file on the calling thread",
        "replacement": "`await anyio.Path(p).read_text()` / `write_text(...)`, "
        "`async with await anyio.open_file(p) as f`, `aiofiles.open`, or `await {to_thread}(...)` "
        "around the whole block",
        "fix": "to_thread",
    },
    "pathlib": {
        "code": "FAK104",
        "label": "pathlib.Path I/O",
        "why": "touches the file system on the calling thread",
        "replacement": "`anyio.Path` has awaitable versions of the same methods "
        "(`await anyio.Path(p).exists()`); or `await {to_thread}(p.method, ...)`",
        "fix": "to_thread",
    },
    "os_fs": {
        "code": "FAK104",
        "label": "os file-system call",
        "why": "makes a file-system system call on the calling thread",
        "replacement": "`await {to_thread}(os.func, ...)`, `aiofiles.os.*` or `anyio.Path`",
        "fix": "to_thread",
    },
    "os_path": {
        "code": "FAK104",
        "label": "os.path disk query",
        "why": "stats the file system on the calling thread",
        "replacement": "`await {to_thread}(os.path.func, p)`, `aiofiles.ospath.*` or "
        "`await anyio.Path(p).exists()`",
        "fix": "to_thread",
    },
    "shutil": {
        "code": "FAK104",
        "label": "shutil",
        "why": "copies, moves or deletes files on the calling thread",
        "replacement": "`await {to_thread}(shutil.func, ...)`",
        "fix": "to_thread",
    },
    "glob": {
        "code": "FAK104",
        "label": "glob",
        "why": "lists directories on the calling thread",
        "replacement": "`await {to_thread}(glob.glob, pattern)` or `[p async for p in anyio.Path(d).glob(pat)]`",
        "fix": "to_thread",
    },
    "tempfile": {
        "code": "FAK104",
        "label": "tempfile",
        "why": "creates (and later deletes) files on the calling thread",
        "replacement": "`aiofiles.tempfile` (`async with aiofiles.tempfile.NamedTemporaryFile() as f`) "
        "or `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "serializer": {
        "code": "FAK104",
        "label": "json/pickle file load/dump",
        "why": "reads or writes the whole file object on the calling thread",
        "replacement": "read asynchronously, then parse: `json.loads(await anyio.Path(p).read_text())`; "
        "or `await {to_thread}(...)` around the whole load/dump",
        "fix": "to_thread",
    },
    "pandas_io": {
        "code": "FAK104",
        "label": "pandas file reader",
        "why": "reads and parses the whole file (or URL) on the calling thread",
        "replacement": "`await {to_thread}(pandas.read_csv, path, ...)`",
        "fix": "to_thread",
    },
    "pil_io": {
        "code": "FAK104",
        "label": "Pillow image file",
        "why": "reads (or writes) and decodes the image file on the calling thread",
        "replacement": "read the bytes asynchronously, then decode them: "
        "`Image.open(io.BytesIO(await anyio.Path(p).read_bytes()))`; or `await {to_thread}(Image.open, p)` "
        "(and `await {to_thread}(image.save, p)`); in-memory buffers (`io.BytesIO`) do not block",
        "fix": "to_thread",
    },
    # ==== FAK105 subprocess ====================================================================
    "subprocess": {
        "code": "FAK105",
        "label": "subprocess",
        "why": "spawns the child and waits for it on the calling thread",
        "replacement": "`proc = await asyncio.create_subprocess_exec(...)` then `await proc.communicate()` "
        "(anyio: `await anyio.run_process([...])`); short term `await {to_thread}(subprocess.run, ...)`",
        "fix": "to_thread",
    },
    "os_process": {
        "code": "FAK105",
        "label": "os process call",
        "why": "spawns or waits for a child process on the calling thread",
        "replacement": "`await asyncio.create_subprocess_shell(cmd)` / `create_subprocess_exec(...)` then "
        "`await proc.wait()`; short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    # ==== FAK106 SDKs and network clients ======================================================
    "supabase": {
        "code": "FAK106",
        "label": "sync Supabase client",
        "why": "sends the request with a synchronous httpx.Client",
        "replacement": "`client = await acreate_client(url, key)` and `await client.table(...)...execute()`",
        "fix": "to_thread",
    },
    "redis": {
        "code": "FAK106",
        "label": "redis-py sync client",
        "why": "waits for the Redis server on a blocking socket",
        "replacement": "`redis.asyncio.Redis` / `redis.asyncio.from_url` (redis-py 4.2+): "
        "`await r.get(...)`, `await pipe.execute()`, `await r.aclose()`",
        "fix": "to_thread",
    },
    "pymongo": {
        "code": "FAK106",
        "label": "PyMongo sync client",
        "why": "waits for MongoDB on a blocking socket",
        "replacement": "`pymongo.AsyncMongoClient` (stable from PyMongo 4.13): the same methods, awaited; "
        "`find()` returns an async cursor (`async for` / `await cursor.to_list(None)`)",
        "fix": "to_thread",
    },
    "boto3": {
        "code": "FAK106",
        "label": "boto3",
        "why": "performs the AWS API call as a blocking HTTP round trip",
        "replacement": "aioboto3: `async with aioboto3.Session().client(\"s3\") as s3: await s3.get_object(...)`; "
        "short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "elasticsearch": {
        "code": "FAK106",
        "label": "Elasticsearch sync client",
        "why": "performs the request as a blocking HTTP round trip",
        "replacement": "`elasticsearch.AsyncElasticsearch` (elasticsearch-py 7.8+, `[async]` extra): "
        "`await es.search(...)`; helpers `async_bulk`, `async_scan`",
        "fix": "to_thread",
    },
    "gcs": {
        "code": "FAK106",
        "label": "google-cloud-storage",
        "why": "performs the Cloud Storage request as a blocking HTTP round trip",
        "replacement": "`await {to_thread}(...)`, or gcloud-aio-storage (the library has no general async client)",
        "fix": "to_thread",
    },
    "firestore": {
        "code": "FAK106",
        "label": "Firestore sync client",
        "why": "performs the RPC on the calling thread",
        "replacement": "`google.cloud.firestore.AsyncClient` (same API, awaited)",
        "fix": "to_thread",
    },
    "azure": {
        "code": "FAK106",
        "label": "Azure SDK sync client",
        "why": "performs the request as a blocking HTTP round trip",
        "replacement": "the same client from the `.aio` subpackage (`azure.storage.blob.aio.BlobServiceClient`, "
        "`azure.cosmos.aio.CosmosClient`), used with `async with` and `await`",
        "fix": "to_thread",
    },
    "smtplib": {
        "code": "FAK106",
        "label": "smtplib",
        "why": "talks to the mail server on a blocking socket",
        "replacement": "aiosmtplib (`await aiosmtplib.send(message, hostname=...)`); "
        "short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "django_mail": {
        "code": "FAK106",
        "label": "Django mail (SMTP backend)",
        "why": "opens an SMTP connection and sends on a blocking socket (the configured email backend)",
        "replacement": "`await sync_to_async(send_mail)(...)` (or a task queue); with aiosmtplib for the "
        "transport, build the message with `EmailMessage(...).message()`",
        "fix": "to_thread",
    },
    "mail_fetch": {
        "code": "FAK106",
        "label": "imaplib/poplib",
        "why": "talks to the mail server on a blocking socket",
        "replacement": "aioimaplib, or `await {to_thread}(...)` around the whole session",
        "fix": "to_thread",
    },
    "ftplib": {
        "code": "FAK106",
        "label": "ftplib",
        "why": "talks to the FTP server on a blocking socket",
        "replacement": "aioftp, or `await {to_thread}(...)` around the whole session",
        "fix": "to_thread",
    },
    "socket": {
        "code": "FAK106",
        "label": "blocking socket",
        "why": "waits on a blocking socket",
        "replacement": "`reader, writer = await asyncio.open_connection(host, port)` "
        "(anyio: `await anyio.connect_tcp(host, port)`), or `await loop.sock_recv(...)` on a "
        "non-blocking socket",
        "fix": "to_thread",
    },
    "dns": {
        "code": "FAK106",
        "label": "DNS lookup",
        "why": "resolves the name synchronously (network round trip) on the calling thread",
        "replacement": "`await asyncio.get_running_loop().getaddrinfo(...)` / `getnameinfo(...)` "
        "(anyio: `await anyio.getaddrinfo(...)`); dnspython: `dns.asyncresolver.resolve`",
        "fix": "to_thread",
    },
    "ssl": {
        "code": "FAK106",
        "label": "ssl certificate loading",
        "why": "reads certificate files from disk (or does a TLS handshake) on the calling thread",
        "replacement": "build the `SSLContext` once at startup (outside the event loop), or "
        "`await {to_thread}(...)`",
        "fix": "to_thread",
    },
    # ==== library APIs derived from the libraries' own code (``libfacts.py``) ====================
    # one family per rule code: the message names the library, its version and the chain down to the
    # primitive it reaches (``libfacts.ORIGINS``); the label and reason here are the fallback
    "lib_db": {
        "code": "FAK101",
        "label": "library call",
        "why": "reaches a synchronous database driver",
        "replacement": "the library's async client if it has one, else `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "lib_http": {
        "code": "FAK102",
        "label": "library call",
        "why": "makes a synchronous HTTP request",
        "replacement": "the library's async client if it has one, else `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "lib_sleep": {
        "code": "FAK103",
        "label": "library call",
        "why": "sleeps on the calling thread",
        "replacement": "the library's async API if it has one, else `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "lib_file": {
        "code": "FAK104",
        "label": "library call",
        "why": "does blocking file-system I/O",
        "replacement": "`await {to_thread}(...)` (or load it once at startup)",
        "fix": "to_thread",
    },
    "lib_subprocess": {
        "code": "FAK105",
        "label": "library call",
        "why": "runs a subprocess and waits for it",
        "replacement": "`await {to_thread}(...)`, or `asyncio.create_subprocess_exec`",
        "fix": "to_thread",
    },
    "lib_net": {
        "code": "FAK106",
        "label": "library call",
        "why": "waits on a blocking socket",
        "replacement": "the library's async client if it has one, else `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "lib_wait": {
        "code": "FAK107",
        "label": "library call",
        "why": "waits for a thread, lock or queue",
        "replacement": "`await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "console": {
        "code": "FAK106",
        "label": "console input",
        "why": "waits for the user to type a line",
        "replacement": "`await {to_thread}(input, prompt)`",
        "fix": "to_thread",
    },
    "openai_v0": {
        "code": "FAK106",
        "label": "OpenAI Python library < 1.0 (module-level API)",
        "why": "sends the HTTPS request through `requests` on the calling thread",
        "replacement": "the `acreate` twin of 0.27+ (`await openai.ChatCompletion.acreate(...)`), or the 1.x async "
        "client (`client = AsyncOpenAI()`; `await client.chat.completions.create(...)`)",
        "fix": "to_thread",
    },
    "pika": {
        "code": "FAK106",
        "label": "pika BlockingConnection",
        "why": "waits for RabbitMQ on a blocking socket",
        "replacement": "aio-pika (`await aio_pika.connect_robust(url)`), or pika's "
        "`AsyncioConnection` adapter",
        "fix": "to_thread",
    },
    "kafka": {
        "code": "FAK106",
        "label": "sync Kafka client",
        "why": "waits for the Kafka brokers on the calling thread (`send` can block up to max_block_ms)",
        "replacement": "aiokafka: `AIOKafkaProducer` / `AIOKafkaConsumer` (`await producer.send_and_wait(...)`, "
        "`async for msg in consumer`)",
        "fix": "to_thread",
    },
    "memcache": {
        "code": "FAK106",
        "label": "pymemcache",
        "why": "waits for memcached on a blocking socket",
        "replacement": "aiomcache, or `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "paramiko": {
        "code": "FAK106",
        "label": "paramiko SSH client",
        "why": "talks to the SSH server on a blocking socket",
        "replacement": "asyncssh (`async with asyncssh.connect(host) as conn: await conn.run(cmd)`); "
        "short term `await {to_thread}(...)`",
        "fix": "to_thread",
    },
    "django_cache": {
        "code": "FAK106",
        "label": "Django cache",
        "why": "talks to the cache backend (Redis, memcached, database, files) synchronously",
        "replacement": "the `a`-prefixed twin (Django 4.0+): `await cache.aget(key)`, `await cache.aset(...)`",
        "fix": "django_async",
    },
    # ==== FAK107 thread waits and nested event loops ===========================================
    "celery_result": {
        "code": "FAK107",
        "label": "Celery result",
        "why": "waits on the calling thread until the task has run, polling the result backend",
        "replacement": "do not wait for the task in a request: return its id and let the client poll, or "
        "`await {to_thread}(result.get, timeout=...)`",
        "fix": "to_thread",
    },
    "thread_lock": {
        "code": "FAK107",
        "label": "threading lock",
        "why": "waits for another thread to release the lock, freezing the event loop meanwhile",
        "replacement": "`asyncio.Lock()` with `async with lock:` when only coroutines use it; when threads "
        "share it, keep the critical section short or take it with `acquire(blocking=False)` and retry",
        "fix": "display",
    },
    "thread_wait": {
        "code": "FAK107",
        "label": "thread synchronisation wait",
        "why": "waits for another thread (or process) on the calling thread",
        "replacement": "`await {to_thread}(obj.wait)` / `await {to_thread}(t.join)`; `asyncio.Event` "
        "when only coroutines set it",
        "fix": "to_thread",
    },
    "thread_queue": {
        "code": "FAK107",
        "label": "thread queue",
        "why": "waits for another thread to put or take an item",
        "replacement": "`asyncio.Queue` (`await q.get()`) between coroutines; `await {to_thread}(q.get)` or "
        "the janus library between threads and coroutines; `get_nowait()` when it must not wait",
        "fix": "to_thread",
    },
    "futures": {
        "code": "FAK107",
        "label": "concurrent.futures wait",
        "why": "waits for a worker thread or process to finish",
        "replacement": "`await asyncio.wrap_future(fut)`, `await loop.run_in_executor(executor, fn, *args)`, "
        "or `asyncio.wait` over wrapped futures",
        "fix": "to_thread",
    },
    "multiprocessing": {
        "code": "FAK107",
        "label": "multiprocessing pool",
        "why": "waits for worker processes to finish",
        "replacement": "`await loop.run_in_executor(ProcessPoolExecutor(), fn, arg)` "
        "(anyio: `await anyio.to_process.run_sync(fn, arg)`)",
        "fix": "to_thread",
    },
    "asyncio_nested": {
        "code": "FAK107",
        "label": "nested event loop",
        "why": "tries to run a second event loop inside the running one (RuntimeError, or a frozen loop)",
        "replacement": "`await coro` directly: the event loop is already running",
        "fix": "display",
    },
}

# ---- shared method lists (referenced by several TYPES entries) ---------------------------------

_DBAPI_CURSOR = "execute executemany callproc fetchone fetchmany fetchall scroll nextset"
_SA_SESSION = (
    "execute scalar scalars get get_one commit rollback flush refresh merge merge_all delete delete_all "
    "close connection invalidate reset prepare begin_nested bulk_save_objects bulk_insert_mappings "
    "bulk_update_mappings"
)
_SA_SESSION_RETURNS = {
    "query": "sqlalchemy.orm.Query",
    "connection": "sqlalchemy.Connection",
    "get": "sqlalchemy.orm.Instance",
    "get_one": "sqlalchemy.orm.Instance",
    "merge": "sqlalchemy.orm.Instance",
}
_MYSQL_CONN = "commit rollback begin ping select_db query next_result kill close show_warnings autocommit"
_ORACLE_CONN = (
    "commit rollback close ping begin prepare cancel changepassword startup shutdown tpc_begin "
    "tpc_commit tpc_end tpc_forget tpc_prepare tpc_recover tpc_rollback"
)
_ORACLE_CURSOR = "execute executemany callproc callfunc fetchone fetchmany fetchall parse scroll"
_DUCKDB_FETCH = (
    "fetchone fetchmany fetchall fetchdf fetch_df fetch_df_chunk df fetchnumpy arrow to_arrow_table "
    "fetch_arrow_table fetch_record_batch pl torch tf"
)

# Django QuerySet/Manager terminal methods and their `a`-prefixed twins (all added in Django 4.1).
_DJANGO_TERMINAL = (
    "get create get_or_create update_or_create bulk_create bulk_update count in_bulk iterator latest "
    "earliest first last aggregate exists contains update explain"
)
_DJANGO_LAZY = {
    # the async twins (awaited): what they give is known too, so the loop rules and FK reads see it
    "aget": "django.Model",
    "acreate": "django.Model",
    "afirst": "django.Model",
    "alast": "django.Model",
    "alatest": "django.Model",
    "aearliest": "django.Model",
    "all": "django.QuerySet",
    "aiterator": "django.QuerySet",  # `async for row in qs.aiterator()`: its rows, like `async for row in qs`
    "filter": "django.QuerySet",
    "exclude": "django.QuerySet",
    "order_by": "django.QuerySet",
    "select_related": "django.QuerySet",
    "prefetch_related": "django.QuerySet",
    "values": "django.QuerySet",
    "values_list": "django.QuerySet",
    "annotate": "django.QuerySet",
    "alias": "django.QuerySet",
    "only": "django.QuerySet",
    "defer": "django.QuerySet",
    "using": "django.QuerySet",
    "none": "django.QuerySet",
    "distinct": "django.QuerySet",
    "reverse": "django.QuerySet",
    "select_for_update": "django.QuerySet",
    "complex_filter": "django.QuerySet",
    "union": "django.QuerySet",
    "intersection": "django.QuerySet",
    "difference": "django.QuerySet",
    "extra": "django.QuerySet",
    "dates": "django.QuerySet",
    "datetimes": "django.QuerySet",
    "get_queryset": "django.QuerySet",
    "raw": "django.RawQuerySet",
    "get": "django.Model",
    "create": "django.Model",
    "first": "django.Model",
    "last": "django.Model",
    "latest": "django.Model",
    "earliest": "django.Model",
    # `obj, created = Book.objects.get_or_create(...)`: the instance and a flag (``resolve``: a ",bool" pair)
    "get_or_create": "django.Model,bool",
    "update_or_create": "django.Model,bool",
    "aget_or_create": "django.Model,bool",
    "aupdate_or_create": "django.Model,bool",
}
_DJANGO_FIXES = {
    "get": "django_async",
    "create": "django_async",
    "get_or_create": "django_async",
    "update_or_create": "django_async",
    "bulk_create": "django_async",
    "bulk_update": "django_async",
    "count": "django_async",
    "in_bulk": "django_async",
    "iterator": "display",  # aiterator() is an async iterator, not an awaitable
    "latest": "django_async",
    "earliest": "django_async",
    "first": "django_async",
    "last": "django_async",
    "aggregate": "django_async",
    "exists": "django_async",
    "contains": "django_async",
    "update": "django_async",
    "explain": "django_async",
}
_DJANGO_PERMS = "has_perm has_perms has_module_perms get_all_permissions get_user_permissions get_group_permissions"
_DJANGO_REPLACEMENTS = {
    "get": "`await qs.aget(...)` (Django 4.1+)",
    "create": "`await Model.objects.acreate(...)` (Django 4.1+)",
    "get_or_create": "`await qs.aget_or_create(...)` (Django 4.1+)",
    "update_or_create": "`await qs.aupdate_or_create(...)` (Django 4.1+)",
    "bulk_create": "`await qs.abulk_create(objs)` (Django 4.1+)",
    "bulk_update": "`await qs.abulk_update(objs, fields)` (Django 4.1+)",
    "count": "`await qs.acount()` (Django 4.1+)",
    "in_bulk": "`await qs.ain_bulk(ids)` (Django 4.1+)",
    "iterator": "`async for obj in qs.aiterator(): ...` (Django 4.1+)",
    "latest": "`await qs.alatest(...)` (Django 4.1+)",
    "earliest": "`await qs.aearliest(...)` (Django 4.1+)",
    "first": "`await qs.afirst()` (Django 4.1+)",
    "last": "`await qs.alast()` (Django 4.1+)",
    "aggregate": "`await qs.aaggregate(...)` (Django 4.1+)",
    "exists": "`await qs.aexists()` (Django 4.1+)",
    "contains": "`await qs.acontains(obj)` (Django 4.1+)",
    "update": "`await qs.aupdate(...)` (Django 4.1+)",
    "delete": "`await qs.adelete()` (Django 4.1+)",
    "explain": "`await qs.aexplain()` (Django 4.1+)",
    "__iter__": "`async for obj in qs:` or `[obj async for obj in qs]` (Django 4.1+)",
    "__bool__": "`await qs.aexists()` (Django 4.1+) when only emptiness matters, or fetch the rows once with "
                "`rows = [obj async for obj in qs]` and test the list",
    "__contains__": "`await qs.acontains(obj)` (Django 4.1+), or `await qs.filter(pk=obj.pk).aexists()`",
}

FUNCTIONS = {
    # ==== FAK101 ===============================================================================
    # ---- psycopg2 ----
    "psycopg2.connect": {"family": "psycopg2", "returns": "psycopg2.connection"},
    "psycopg2.extras.execute_batch": {"family": "psycopg2"},
    "psycopg2.extras.execute_values": {"family": "psycopg2"},
    # pool constructors open `minconn` connections immediately
    "psycopg2.pool.SimpleConnectionPool": {"family": "psycopg2", "returns": "psycopg2.pool"},
    "psycopg2.pool.ThreadedConnectionPool": {"family": "psycopg2", "returns": "psycopg2.pool"},
    "psycopg2.pool.AbstractConnectionPool": {"family": "psycopg2", "returns": "psycopg2.pool"},
    # ---- psycopg 3 (sync) ----
    "psycopg.connect": {"family": "psycopg", "returns": "psycopg.Connection"},
    "psycopg.Connection.connect": {"family": "psycopg", "returns": "psycopg.Connection"},
    "psycopg.connection.Connection.connect": {"family": "psycopg", "returns": "psycopg.Connection"},
    "psycopg_pool.ConnectionPool": {"returns": "psycopg_pool.ConnectionPool"},
    "psycopg_pool.NullConnectionPool": {"returns": "psycopg_pool.ConnectionPool"},
    # ---- psycopg 3 (async: not blocking) ----
    "psycopg.AsyncConnection.connect": {"returns": "psycopg.AsyncConnection", "awaitable": True},
    "psycopg.connection_async.AsyncConnection.connect": {"returns": "psycopg.AsyncConnection", "awaitable": True},
    "psycopg_pool.AsyncConnectionPool": {"returns": "psycopg_pool.AsyncConnectionPool"},
    "psycopg_pool.AsyncNullConnectionPool": {"returns": "psycopg_pool.AsyncConnectionPool"},
    # ---- asyncpg (async) ----
    "asyncpg.connect": {"returns": "asyncpg.Connection", "awaitable": True},
    "asyncpg.create_pool": {"returns": "asyncpg.Pool", "awaitable": True},
    # ---- sqlite3 ----
    "sqlite3.connect": {"family": "sqlite3", "returns": "sqlite3.Connection"},
    "sqlite3.dbapi2.connect": {"family": "sqlite3", "returns": "sqlite3.Connection"},
    "aiosqlite.connect": {"returns": "aiosqlite.Connection", "awaitable": True},
    # aiosql loads SQL files into an object of query functions; whether they block depends on the driver
    # adapter named at load time (not judged: only awaited calls count, as round trips for the loop rules)
    "aiosql.from_path": {"returns": "aiosql.Queries"},
    "aiosql.from_str": {"returns": "aiosql.Queries"},
    # ---- PyMySQL ----
    "pymysql.connect": {"family": "pymysql", "returns": "pymysql.Connection"},
    "pymysql.Connect": {"family": "pymysql", "returns": "pymysql.Connection"},
    "pymysql.Connection": {"family": "pymysql", "returns": "pymysql.Connection"},
    "pymysql.connections.Connection": {"family": "pymysql", "returns": "pymysql.Connection"},
    # ---- mysqlclient ----
    "MySQLdb.connect": {"family": "mysqlclient", "returns": "MySQLdb.Connection"},
    "MySQLdb.Connect": {"family": "mysqlclient", "returns": "MySQLdb.Connection"},
    "MySQLdb.Connection": {"family": "mysqlclient", "returns": "MySQLdb.Connection"},
    "MySQLdb.connections.Connection": {"family": "mysqlclient", "returns": "MySQLdb.Connection"},
    # ---- aiomysql / asyncmy (async) ----
    "aiomysql.connect": {"returns": "aiomysql.Connection", "awaitable": True},
    "aiomysql.create_pool": {"returns": "aiomysql.Pool", "awaitable": True},
    "asyncmy.connect": {"returns": "aiomysql.Connection", "awaitable": True},
    "asyncmy.create_pool": {"returns": "aiomysql.Pool", "awaitable": True},
    # ---- mysql-connector-python ----
    "mysql.connector.connect": {"family": "mysql_connector", "returns": "mysql.connector.Connection"},
    "mysql.connector.Connect": {"family": "mysql_connector", "returns": "mysql.connector.Connection"},
    "mysql.connector.MySQLConnection": {"family": "mysql_connector", "returns": "mysql.connector.Connection"},
    "mysql.connector.connection.MySQLConnection": {
        "family": "mysql_connector",
        "returns": "mysql.connector.Connection",
    },
    "mysql.connector.connection_cext.CMySQLConnection": {
        "family": "mysql_connector",
        "returns": "mysql.connector.Connection",
    },
    # the pool constructor opens `pool_size` connections
    "mysql.connector.pooling.MySQLConnectionPool": {
        "family": "mysql_connector",
        "returns": "mysql.connector.pooling.MySQLConnectionPool",
    },
    "mysql.connector.aio.connect": {"returns": "mysql.connector.aio.Connection", "awaitable": True},
    # ---- pyodbc ----
    "pyodbc.connect": {"family": "pyodbc", "returns": "pyodbc.Connection"},
    "aioodbc.connect": {"returns": "aioodbc.Connection", "awaitable": True},
    "aioodbc.create_pool": {"returns": "aioodbc.Pool", "awaitable": True},
    # ---- oracledb / cx_Oracle ----
    "oracledb.connect": {"family": "oracledb", "returns": "oracledb.Connection"},
    "oracledb.Connection": {"family": "oracledb", "returns": "oracledb.Connection"},
    "oracledb.create_pool": {"family": "oracledb", "returns": "oracledb.ConnectionPool"},
    "oracledb.SessionPool": {"family": "oracledb", "returns": "oracledb.ConnectionPool"},
    "oracledb.connect_async": {"returns": "oracledb.AsyncConnection", "awaitable": True},
    "oracledb.create_pool_async": {"returns": "oracledb.AsyncConnectionPool"},
    "cx_Oracle.connect": {"family": "cx_oracle", "returns": "cx_Oracle.Connection"},
    "cx_Oracle.Connection": {"family": "cx_oracle", "returns": "cx_Oracle.Connection"},
    "cx_Oracle.SessionPool": {"family": "cx_oracle", "returns": "cx_Oracle.SessionPool"},
    # ---- pymssql ----
    "pymssql.connect": {"family": "pymssql", "returns": "pymssql.Connection"},
    "pymssql._pymssql.connect": {"family": "pymssql", "returns": "pymssql.Connection"},
    # ---- DuckDB (module-level functions use the default in-process connection) ----
    "duckdb.connect": {"family": "duckdb", "returns": "duckdb.DuckDBPyConnection"},
    "duckdb.sql": {"family": "duckdb", "returns": "duckdb.DuckDBPyRelation"},
    "duckdb.query": {"family": "duckdb", "returns": "duckdb.DuckDBPyRelation"},
    "duckdb.execute": {"family": "duckdb", "returns": "duckdb.DuckDBPyConnection"},
    "duckdb.executemany": {"family": "duckdb", "returns": "duckdb.DuckDBPyConnection"},
    "duckdb.read_csv": {"family": "duckdb", "returns": "duckdb.DuckDBPyRelation"},
    "duckdb.read_parquet": {"family": "duckdb", "returns": "duckdb.DuckDBPyRelation"},
    "duckdb.read_json": {"family": "duckdb", "returns": "duckdb.DuckDBPyRelation"},
    "duckdb.from_csv_auto": {"family": "duckdb", "returns": "duckdb.DuckDBPyRelation"},
    "duckdb.from_parquet": {"family": "duckdb", "returns": "duckdb.DuckDBPyRelation"},
    "duckdb.fetchall": {"family": "duckdb"},
    "duckdb.fetchone": {"family": "duckdb"},
    "duckdb.fetchmany": {"family": "duckdb"},
    "duckdb.fetchdf": {"family": "duckdb"},
    "duckdb.df": {"family": "duckdb"},
    # ---- SQLAlchemy ----
    "sqlalchemy.create_engine": {"returns": "sqlalchemy.Engine", "sync_factory": "sqlalchemy"},
    "sqlalchemy.engine.create_engine": {"returns": "sqlalchemy.Engine", "sync_factory": "sqlalchemy"},
    "sqlalchemy.engine.create.create_engine": {"returns": "sqlalchemy.Engine", "sync_factory": "sqlalchemy"},
    "sqlalchemy.engine_from_config": {"returns": "sqlalchemy.Engine", "sync_factory": "sqlalchemy"},
    "sqlalchemy.engine.engine_from_config": {"returns": "sqlalchemy.Engine", "sync_factory": "sqlalchemy"},
    "sqlalchemy.ext.asyncio.create_async_engine": {"returns": "sqlalchemy.AsyncEngine"},
    "sqlalchemy.ext.asyncio.engine.create_async_engine": {"returns": "sqlalchemy.AsyncEngine"},
    "sqlalchemy.ext.asyncio.async_engine_from_config": {"returns": "sqlalchemy.AsyncEngine"},
    "sqlalchemy.orm.Session": {"returns": "sqlalchemy.orm.Session"},
    "sqlalchemy.orm.session.Session": {"returns": "sqlalchemy.orm.Session"},
    "sqlalchemy.orm.sessionmaker": {"returns": "sqlalchemy.orm.sessionmaker"},
    "sqlalchemy.orm.session.sessionmaker": {"returns": "sqlalchemy.orm.sessionmaker"},
    "sqlalchemy.orm.scoped_session": {"returns": "sqlalchemy.orm.scoped_session"},
    "sqlalchemy.orm.scoping.scoped_session": {"returns": "sqlalchemy.orm.scoped_session"},
    "sqlalchemy.ext.asyncio.AsyncSession": {"returns": "sqlalchemy.AsyncSession"},
    # a SQLModel session is a SQLAlchemy session, with `exec(select(...))`
    "sqlmodel.Session": {"returns": "sqlmodel.Session"},
    "sqlmodel.orm.session.Session": {"returns": "sqlmodel.Session"},
    "sqlmodel.ext.asyncio.session.AsyncSession": {"returns": "sqlalchemy.AsyncSession"},
    # Celery: the result of a task, fetched from the result backend
    "celery.result.AsyncResult": {"returns": "celery.AsyncResult"},
    "celery.result.GroupResult": {"returns": "celery.AsyncResult"},
    "sqlalchemy.ext.asyncio.async_sessionmaker": {"returns": "sqlalchemy.async_sessionmaker"},
    "sqlalchemy.ext.asyncio.async_scoped_session": {"returns": "sqlalchemy.async_sessionmaker"},
    # Flask-SQLAlchemy's `db.session` is a scoped_session
    "flask_sqlalchemy.SQLAlchemy": {"returns": "flask_sqlalchemy.SQLAlchemy"},
    # ---- Django ORM ----
    "django.db.models.Manager": {"returns": "django.Manager"},
    # the configured user model: a model class (its `objects` is a Manager)
    "django.contrib.auth.get_user_model": {"returns_class": "django.Model"},
    "django.shortcuts.get_object_or_404": {
        "family": "django",
        "returns": "django.Model",
        "replacement": "`await aget_object_or_404(...)` from django.shortcuts (Django 5.0+)",
    },
    "django.core.management.call_command": {
        "family": "django",
        "replacement": "`await sync_to_async(call_command)(...)` (a management command runs the sync ORM: "
        "`migrate`, `loaddata`, ...)",
    },
    "django.shortcuts.get_list_or_404": {
        "family": "django",
        "replacement": "`await aget_list_or_404(...)` from django.shortcuts (Django 5.0+)",
    },
    "django.contrib.auth.authenticate": {
        "family": "django",
        "returns": "django.Model",
        "replacement": "`await aauthenticate(request, ...)` from django.contrib.auth (Django 5.0+)",
    },
    "django.contrib.auth.login": {
        "family": "django",
        "replacement": "`await alogin(request, user)` from django.contrib.auth (Django 5.0+)",
    },
    "django.contrib.auth.logout": {
        "family": "django",
        "replacement": "`await alogout(request)` from django.contrib.auth (Django 5.0+)",
    },
    "django.contrib.auth.get_user": {
        "family": "django",
        "returns": "django.Model",
        "replacement": "`await aget_user(request)` from django.contrib.auth (Django 5.0+)",
    },
    "django.contrib.auth.update_session_auth_hash": {
        "family": "django",
        "replacement": "`await aupdate_session_auth_hash(request, user)` (Django 5.0+)",
    },
    # django.core.mail: every sender goes through the configured backend's send_messages()
    "django.core.mail.send_mail": {"family": "django_mail"},
    "django.core.mail.send_mass_mail": {"family": "django_mail"},
    "django.core.mail.mail_admins": {"family": "django_mail"},
    "django.core.mail.mail_managers": {"family": "django_mail"},
    "django.core.mail.EmailMessage": {"returns": "django.EmailMessage"},
    "django.core.mail.EmailMultiAlternatives": {"returns": "django.EmailMessage"},
    "django.core.mail.message.EmailMessage": {"returns": "django.EmailMessage"},
    "django.core.mail.get_connection": {"returns": "django.EmailMessage"},
    # Paginator.page() / get_page() validate the number against `count`: a COUNT query
    "django.core.paginator.Paginator": {"returns": "django.Paginator"},
    "django.db.transaction.atomic": {
        "family": "django",
        "replacement": "transactions do not work in async mode: move the block into one sync function "
        "and call it with `await sync_to_async(fn)()`",
    },
    "django.db.connection.cursor": {"family": "django", "returns": "django.CursorWrapper"},
    # ---- peewee (minimal: database objects only; model classes are not typed statically) ----
    "peewee.SqliteDatabase": {"returns": "peewee.Database"},
    "peewee.PostgresqlDatabase": {"returns": "peewee.Database"},
    "peewee.MySQLDatabase": {"returns": "peewee.Database"},
    "playhouse.pool.PooledSqliteDatabase": {"returns": "peewee.Database"},
    "playhouse.pool.PooledPostgresqlDatabase": {"returns": "peewee.Database"},
    "playhouse.pool.PooledMySQLDatabase": {"returns": "peewee.Database"},
    "playhouse.postgres_ext.PostgresqlExtDatabase": {"returns": "peewee.Database"},
    "playhouse.pwasyncio.AsyncSqliteDatabase": {"returns": "peewee.AsyncDatabase"},
    "playhouse.pwasyncio.AsyncPostgresqlDatabase": {"returns": "peewee.AsyncDatabase"},
    "playhouse.pwasyncio.AsyncMySQLDatabase": {"returns": "peewee.AsyncDatabase"},
    # ---- pandas SQL ----
    "pandas.read_sql": {"family": "pandas_sql", "returns": "pandas.DataFrame"},
    "pandas.read_sql_query": {"family": "pandas_sql", "returns": "pandas.DataFrame"},
    "pandas.read_sql_table": {"family": "pandas_sql", "returns": "pandas.DataFrame"},
    # ==== FAK102 HTTP ===========================================================================
    # ---- requests ----
    "requests.get": {"family": "requests"},
    "requests.options": {"family": "requests"},
    "requests.head": {"family": "requests"},
    "requests.post": {"family": "requests"},
    "requests.put": {"family": "requests"},
    "requests.patch": {"family": "requests"},
    "requests.delete": {"family": "requests"},
    "requests.request": {"family": "requests"},
    "requests.api.get": {"family": "requests"},
    "requests.api.options": {"family": "requests"},
    "requests.api.head": {"family": "requests"},
    "requests.api.post": {"family": "requests"},
    "requests.api.put": {"family": "requests"},
    "requests.api.patch": {"family": "requests"},
    "requests.api.delete": {"family": "requests"},
    "requests.api.request": {"family": "requests"},
    # ---- curl_cffi (a C extension over libcurl: nothing to derive below it) ----
    "curl_cffi.requests.request": {"family": "curl_cffi"},
    "curl_cffi.requests.get": {"family": "curl_cffi"},
    "curl_cffi.requests.post": {"family": "curl_cffi"},
    "curl_cffi.requests.put": {"family": "curl_cffi"},
    "curl_cffi.requests.patch": {"family": "curl_cffi"},
    "curl_cffi.requests.delete": {"family": "curl_cffi"},
    "curl_cffi.requests.head": {"family": "curl_cffi"},
    "curl_cffi.requests.options": {"family": "curl_cffi"},
    "curl_cffi.requests.Session": {"returns": "curl_cffi.requests.Session"},
    "curl_cffi.requests.session.Session": {"returns": "curl_cffi.requests.Session"},
    "requests.Session": {"returns": "requests.Session"},
    "requests.session": {"returns": "requests.Session"},
    "requests.sessions.Session": {"returns": "requests.Session"},
    "requests.sessions.session": {"returns": "requests.Session"},
    # ---- httpx ----
    "httpx.get": {"family": "httpx_sync"},
    "httpx.post": {"family": "httpx_sync"},
    "httpx.put": {"family": "httpx_sync"},
    "httpx.patch": {"family": "httpx_sync"},
    "httpx.delete": {"family": "httpx_sync"},
    "httpx.head": {"family": "httpx_sync"},
    "httpx.options": {"family": "httpx_sync"},
    "httpx.request": {"family": "httpx_sync"},
    "httpx.stream": {
        "family": "httpx_sync",
        "replacement": "`async with httpx.AsyncClient() as c, c.stream(method, url) as r:` "
        "(`AsyncClient.stream` is an async context manager)",
    },
    "httpx.Client": {"returns": "httpx.Client"},
    "httpx.HTTPTransport": {"returns": "httpx.HTTPTransport"},
    "requests.adapters.HTTPAdapter": {"returns": "requests.adapters.HTTPAdapter"},
    "httpx.AsyncClient": {"returns": "httpx.AsyncClient"},
    # httpx2 (the httpx fork used by Home Assistant; flake8-async ASYNC210/212 cover it)
    "httpx2.get": {"family": "httpx_sync"},
    "httpx2.post": {"family": "httpx_sync"},
    "httpx2.put": {"family": "httpx_sync"},
    "httpx2.patch": {"family": "httpx_sync"},
    "httpx2.delete": {"family": "httpx_sync"},
    "httpx2.head": {"family": "httpx_sync"},
    "httpx2.options": {"family": "httpx_sync"},
    "httpx2.request": {"family": "httpx_sync"},
    "httpx2.stream": {"family": "httpx_sync"},
    "httpx2.Client": {"returns": "httpx.Client"},
    "httpx2.AsyncClient": {"returns": "httpx.AsyncClient"},
    # ---- aiohttp (async) ----
    "aiohttp.ClientSession": {"returns": "aiohttp.ClientSession"},
    # ---- urllib.request ----
    "urllib.request.urlopen": {"family": "urllib", "returns": "http.client.HTTPResponse"},
    "urllib.request.urlretrieve": {"family": "urllib"},
    "urllib.request.build_opener": {"returns": "urllib.request.OpenerDirector"},
    "urllib.request.OpenerDirector": {"returns": "urllib.request.OpenerDirector"},
    "urllib2.urlopen": {"family": "urllib", "returns": "http.client.HTTPResponse"},
    # ---- urllib3 ----
    "urllib3.request": {"family": "urllib3"},
    "urllib3.PoolManager": {"returns": "urllib3.PoolManager"},
    "urllib3.ProxyManager": {"returns": "urllib3.PoolManager"},
    "urllib3.poolmanager.PoolManager": {"returns": "urllib3.PoolManager"},
    "urllib3.poolmanager.ProxyManager": {"returns": "urllib3.PoolManager"},
    "urllib3.proxy_from_url": {"returns": "urllib3.PoolManager"},
    "urllib3.poolmanager.proxy_from_url": {"returns": "urllib3.PoolManager"},
    "urllib3.HTTPConnectionPool": {"returns": "urllib3.HTTPConnectionPool"},
    "urllib3.HTTPSConnectionPool": {"returns": "urllib3.HTTPConnectionPool"},
    "urllib3.connectionpool.HTTPConnectionPool": {"returns": "urllib3.HTTPConnectionPool"},
    "urllib3.connectionpool.HTTPSConnectionPool": {"returns": "urllib3.HTTPConnectionPool"},
    "urllib3.connection_from_url": {"returns": "urllib3.HTTPConnectionPool"},
    "urllib3.connectionpool.connection_from_url": {"returns": "urllib3.HTTPConnectionPool"},
    # ---- http.client ----
    "http.client.HTTPConnection": {"returns": "http.client.HTTPConnection"},
    "http.client.HTTPSConnection": {"returns": "http.client.HTTPConnection"},
    # ---- xmlrpc ----
    "xmlrpc.client.ServerProxy": {"returns": "xmlrpc.client.ServerProxy"},
    "xmlrpc.client.Server": {"returns": "xmlrpc.client.ServerProxy"},
    # ==== FAK103 sleep ==========================================================================
    "time.sleep": {"family": "sleep"},
    # ==== FAK104 file and OS I/O ================================================================
    # ---- open() and friends return a file object ----
    "open": {"family": "file_io", "returns": "io.file"},
    "builtins.open": {"family": "file_io", "returns": "io.file"},
    "io.open": {"family": "file_io", "returns": "io.file"},
    "io.open_code": {"family": "file_io", "returns": "io.file"},
    "os.fdopen": {"family": "file_io", "returns": "io.file"},
    "codecs.open": {"family": "file_io", "returns": "io.file"},
    "gzip.open": {"family": "file_io", "returns": "io.file"},
    "bz2.open": {"family": "file_io", "returns": "io.file"},
    "lzma.open": {"family": "file_io", "returns": "io.file"},
    # ---- pathlib ----
    "pathlib.Path": {"returns": "pathlib.Path"},
    "pathlib.PosixPath": {"returns": "pathlib.Path"},
    "pathlib.WindowsPath": {"returns": "pathlib.Path"},
    "pathlib.PurePath": {"returns": "pathlib.Path"},
    "pathlib.PurePosixPath": {"returns": "pathlib.Path"},
    "pathlib.PureWindowsPath": {"returns": "pathlib.Path"},
    "pathlib.Path.cwd": {"returns": "pathlib.Path"},  # os.getcwd(): no disk I/O
    "pathlib.Path.home": {"returns": "pathlib.Path"},  # $HOME (or the passwd entry): no file-system access
    "pathlib.PosixPath.cwd": {"returns": "pathlib.Path"},
    "pathlib.PosixPath.home": {"returns": "pathlib.Path"},
    "anyio.Path": {"returns": "anyio.Path"},
    "trio.Path": {"returns": "anyio.Path"},
    "anyio.open_file": {"returns": "anyio.AsyncFile", "awaitable": True},
    "trio.open_file": {"returns": "anyio.AsyncFile", "awaitable": True},
    "aiofiles.open": {"returns": "anyio.AsyncFile"},
    # ---- os file-system calls ----
    "os.stat": {"family": "os_fs"},
    "os.lstat": {"family": "os_fs"},
    "os.fstat": {"family": "os_fs"},
    "os.listdir": {"family": "os_fs"},
    "os.scandir": {"family": "os_fs"},
    "os.walk": {"family": "os_fs"},
    "os.fwalk": {"family": "os_fs"},
    "os.mkdir": {"family": "os_fs"},
    "os.makedirs": {"family": "os_fs"},
    "os.remove": {"family": "os_fs"},
    "os.unlink": {"family": "os_fs"},
    "os.rmdir": {"family": "os_fs"},
    "os.removedirs": {"family": "os_fs"},
    "os.rename": {"family": "os_fs"},
    "os.renames": {"family": "os_fs"},
    "os.replace": {"family": "os_fs"},
    "os.link": {"family": "os_fs"},
    "os.symlink": {"family": "os_fs"},
    "os.readlink": {"family": "os_fs"},
    "os.access": {"family": "os_fs"},
    "os.statvfs": {"family": "os_fs"},
    # not listed: os.getcwd / os.getcwdb (getcwd(2) reads the working directory from memory, no disk I/O)
    "os.sendfile": {"family": "os_fs"},
    "os.open": {"family": "os_fs"},
    "os.read": {"family": "os_fs"},
    "os.write": {"family": "os_fs"},
    "os.truncate": {"family": "os_fs"},
    "os.ftruncate": {"family": "os_fs"},
    "os.fsync": {"family": "os_fs"},
    "os.chmod": {"family": "os_fs"},
    "os.chown": {"family": "os_fs"},
    "os.lchown": {"family": "os_fs"},
    "os.utime": {"family": "os_fs"},
    # ---- os.path disk queries (not the pure string functions join/basename/dirname/...) ----
    "os.path.exists": {"family": "os_path"},
    "os.path.isfile": {"family": "os_path"},
    "os.path.isdir": {"family": "os_path"},
    "os.path.islink": {"family": "os_path"},
    "os.path.isjunction": {"family": "os_path"},
    "os.path.lexists": {"family": "os_path"},
    "os.path.ismount": {"family": "os_path"},
    "os.path.realpath": {"family": "os_path"},
    "os.path.getsize": {"family": "os_path"},
    "os.path.getmtime": {"family": "os_path"},
    "os.path.getatime": {"family": "os_path"},
    "os.path.getctime": {"family": "os_path"},
    "os.path.samefile": {"family": "os_path"},
    "os.path.sameopenfile": {"family": "os_path"},
    # not listed: abspath / relpath join the working directory (os.getcwd: a system call that reads the
    # process's state in memory, no disk access) and normalise the string; no I/O (checked against
    # CPython's posixpath.py; flake8-async's ASYNC240 does not flag them either)
    # ---- shutil ----
    "shutil.copy": {"family": "shutil"},
    "shutil.copy2": {"family": "shutil"},
    "shutil.copyfile": {"family": "shutil"},
    "shutil.copyfileobj": {"family": "shutil"},
    "shutil.copymode": {"family": "shutil"},
    "shutil.copystat": {"family": "shutil"},
    "shutil.copytree": {"family": "shutil"},
    "shutil.rmtree": {"family": "shutil"},
    "shutil.move": {"family": "shutil"},
    "shutil.make_archive": {"family": "shutil"},
    "shutil.unpack_archive": {"family": "shutil"},
    "shutil.disk_usage": {"family": "shutil"},
    "shutil.chown": {"family": "shutil"},
    "shutil.which": {"family": "shutil"},
    # ---- glob ----
    "glob.glob": {"family": "glob"},
    "glob.iglob": {"family": "glob"},
    # ---- tempfile ----
    "tempfile.NamedTemporaryFile": {"family": "tempfile", "returns": "io.file"},
    "tempfile.TemporaryFile": {"family": "tempfile", "returns": "io.file"},
    "tempfile.mkstemp": {"family": "tempfile"},
    "tempfile.mkdtemp": {"family": "tempfile"},
    "tempfile.TemporaryDirectory": {"family": "tempfile"},
    # ---- loaders that read/write a whole file object ----
    "json.load": {"family": "serializer"},
    "json.dump": {"family": "serializer"},
    "pickle.load": {"family": "serializer"},
    "pickle.dump": {"family": "serializer"},
    "cloudpickle.load": {"family": "serializer"},
    "cloudpickle.dump": {"family": "serializer"},
    "dill.load": {"family": "serializer"},
    "dill.dump": {"family": "serializer"},
    "joblib.load": {"family": "serializer"},
    "joblib.dump": {"family": "serializer"},
    "marshal.load": {"family": "serializer"},
    "marshal.dump": {"family": "serializer"},
    "tomllib.load": {"family": "serializer"},
    "toml.load": {"family": "serializer"},
    "toml.dump": {"family": "serializer"},
    "msgpack.unpack": {"family": "serializer"},
    "msgpack.pack": {"family": "serializer"},
    # the OpenAI library before 1.0 (2023's bots): module-level resources whose `create` posts with `requests`;
    # the shipped facts are derived from 1.x, which has none of them (their `acreate` twins are coroutines)
    **{f"openai.{r}.{m}": {"family": "openai_v0"} for r, ms in (
        ("Completion", "create"), ("ChatCompletion", "create"), ("Edit", "create"), ("Embedding", "create"),
        ("Moderation", "create"), ("Image", "create create_edit create_variation"), ("Audio", "transcribe translate"),
        ("File", "create retrieve delete list download"), ("FineTune", "create retrieve list cancel"),
        ("Model", "list retrieve")) for m in ms.split()},
    # importing again reads the module's source (or bytecode) from disk and runs it
    "importlib.reload": {"family": "file_io", "replacement": "`await {to_thread}(importlib.reload, module)`"},
    # ---- Pillow: a C extension that opens the file itself (its derived facts stop at `isinstance(fp, str)`) ----
    "PIL.Image.open": {"family": "pil_io", "returns": "PIL.Image.Image"},
    "PIL.Image.new": {"returns": "PIL.Image.Image"},
    "PIL.ImageFont.truetype": {"family": "pil_io"},
    # ---- pandas file readers (path or URL) ----
    "pandas.read_csv": {"family": "pandas_io", "returns": "pandas.DataFrame"},
    "pandas.read_table": {"family": "pandas_io", "returns": "pandas.DataFrame"},
    "pandas.read_parquet": {"family": "pandas_io", "returns": "pandas.DataFrame"},
    "pandas.read_excel": {"family": "pandas_io", "returns": "pandas.DataFrame"},
    "pandas.read_feather": {"family": "pandas_io", "returns": "pandas.DataFrame"},
    "pandas.read_pickle": {"family": "pandas_io", "returns": "pandas.DataFrame"},
    "pandas.read_hdf": {"family": "pandas_io", "returns": "pandas.DataFrame"},
    # ==== FAK105 subprocess =====================================================================
    "subprocess.run": {"family": "subprocess"},
    "subprocess.call": {"family": "subprocess"},
    "subprocess.check_call": {"family": "subprocess"},
    "subprocess.check_output": {"family": "subprocess"},
    "subprocess.getoutput": {"family": "subprocess"},
    "subprocess.getstatusoutput": {"family": "subprocess"},
    "subprocess.Popen": {
        "family": "subprocess",
        "returns": "subprocess.Popen",
        "replacement": "`proc = await asyncio.create_subprocess_exec(...)`; `await proc.wait()` / "
        "`await proc.communicate()`",
    },
    "os.system": {"family": "os_process"},
    "os.popen": {"family": "os_process", "returns": "io.file"},
    "os.posix_spawn": {"family": "os_process"},
    "os.posix_spawnp": {"family": "os_process"},
    "os.spawnl": {"family": "os_process"},
    "os.spawnle": {"family": "os_process"},
    "os.spawnlp": {"family": "os_process"},
    "os.spawnlpe": {"family": "os_process"},
    "os.spawnv": {"family": "os_process"},
    "os.spawnve": {"family": "os_process"},
    "os.spawnvp": {"family": "os_process"},
    "os.spawnvpe": {"family": "os_process"},
    "os.wait": {"family": "os_process"},
    "os.wait3": {"family": "os_process"},
    "os.wait4": {"family": "os_process"},
    "os.waitid": {"family": "os_process"},
    "os.waitpid": {"family": "os_process"},
    "asyncio.create_subprocess_exec": {"returns": "asyncio.subprocess.Process", "awaitable": True},
    "asyncio.create_subprocess_shell": {"returns": "asyncio.subprocess.Process", "awaitable": True},
    # ==== FAK106 SDKs and network clients =======================================================
    # ---- Supabase ----
    "supabase.create_client": {"returns": "supabase.Client", "sync_factory": "supabase"},
    "supabase.client.create_client": {"returns": "supabase.Client", "sync_factory": "supabase"},
    "supabase._sync.client.create_client": {"returns": "supabase.Client", "sync_factory": "supabase"},
    "supabase.Client": {"returns": "supabase.Client", "sync_factory": "supabase"},
    "supabase.client.Client": {"returns": "supabase.Client", "sync_factory": "supabase"},
    "supabase.acreate_client": {"returns": "supabase.AsyncClient", "awaitable": True},
    "supabase.create_async_client": {"returns": "supabase.AsyncClient", "awaitable": True},
    "supabase.client.acreate_client": {"returns": "supabase.AsyncClient", "awaitable": True},
    "supabase._async.client.create_client": {"returns": "supabase.AsyncClient", "awaitable": True},
    "postgrest.SyncPostgrestClient": {"returns": "postgrest.SyncPostgrestClient"},
    "postgrest.AsyncPostgrestClient": {"returns": "postgrest.AsyncPostgrestClient"},
    # ---- redis-py ----
    "redis.Redis": {"returns": "redis.Redis"},
    "redis.StrictRedis": {"returns": "redis.Redis"},
    "redis.client.Redis": {"returns": "redis.Redis"},
    "redis.client.StrictRedis": {"returns": "redis.Redis"},
    "redis.from_url": {"returns": "redis.Redis"},
    "redis.Redis.from_url": {"returns": "redis.Redis"},
    # django-redis: the raw client behind Django's cache (a sync redis.Redis)
    "django_redis.get_redis_connection": {"returns": "redis.Redis"},
    "redis.StrictRedis.from_url": {"returns": "redis.Redis"},
    "redis.client.Redis.from_url": {"returns": "redis.Redis"},
    # the cluster constructor connects to discover the slot layout
    "redis.RedisCluster": {"family": "redis", "returns": "redis.Redis"},
    "redis.cluster.RedisCluster": {"family": "redis", "returns": "redis.Redis"},
    "redis.RedisCluster.from_url": {"family": "redis", "returns": "redis.Redis"},
    "redis.sentinel.Sentinel": {"returns": "redis.sentinel.Sentinel"},
    "redis.Sentinel": {"returns": "redis.sentinel.Sentinel"},
    "redis.asyncio.Redis": {"returns": "redis.asyncio.Redis"},
    "redis.asyncio.StrictRedis": {"returns": "redis.asyncio.Redis"},
    "redis.asyncio.from_url": {"returns": "redis.asyncio.Redis"},
    "redis.asyncio.Redis.from_url": {"returns": "redis.asyncio.Redis"},
    "redis.asyncio.client.Redis": {"returns": "redis.asyncio.Redis"},
    "redis.asyncio.RedisCluster": {"returns": "redis.asyncio.Redis"},
    "redis.asyncio.cluster.RedisCluster": {"returns": "redis.asyncio.Redis"},
    # ---- PyMongo / Motor ----
    "pymongo.MongoClient": {"returns": "pymongo.MongoClient"},
    "pymongo.mongo_client.MongoClient": {"returns": "pymongo.MongoClient"},
    "pymongo.synchronous.mongo_client.MongoClient": {"returns": "pymongo.MongoClient"},
    "pymongo.AsyncMongoClient": {"returns": "pymongo.AsyncMongoClient"},
    "pymongo.asynchronous.mongo_client.AsyncMongoClient": {"returns": "pymongo.AsyncMongoClient"},
    "motor.motor_asyncio.AsyncIOMotorClient": {"returns": "pymongo.AsyncMongoClient"},
    # ---- boto3 ----
    "boto3.client": {"returns": "boto3.client"},
    "boto3.resource": {"returns": "boto3.resource"},
    "boto3.Session": {"returns": "boto3.Session"},
    "boto3.session.Session": {"returns": "boto3.Session"},
    "aioboto3.Session": {"returns": "aioboto3.Session"},
    # ---- Elasticsearch ----
    "elasticsearch.Elasticsearch": {"returns": "elasticsearch.Elasticsearch"},
    "elasticsearch.client.Elasticsearch": {"returns": "elasticsearch.Elasticsearch"},
    "elasticsearch.helpers.bulk": {"family": "elasticsearch"},
    "elasticsearch.helpers.streaming_bulk": {"family": "elasticsearch"},
    "elasticsearch.helpers.parallel_bulk": {"family": "elasticsearch"},
    "elasticsearch.helpers.scan": {"family": "elasticsearch"},
    "elasticsearch.helpers.reindex": {"family": "elasticsearch"},
    "elasticsearch.AsyncElasticsearch": {"returns": "elasticsearch.AsyncElasticsearch"},
    "elasticsearch.helpers.async_bulk": {"awaitable": True},
    "elasticsearch.helpers.async_reindex": {"awaitable": True},
    # ---- Google Cloud ----
    "google.cloud.storage.Client": {"returns": "google.cloud.storage.Client"},
    "google.cloud.storage.client.Client": {"returns": "google.cloud.storage.Client"},
    "google.cloud.firestore.Client": {"returns": "google.cloud.firestore.Client"},
    "google.cloud.firestore_v1.Client": {"returns": "google.cloud.firestore.Client"},
    "google.cloud.firestore.AsyncClient": {"returns": "google.cloud.firestore.AsyncClient"},
    # ---- Azure ----
    "azure.storage.blob.BlobServiceClient": {"returns": "azure.storage.blob.BlobServiceClient"},
    "azure.storage.blob.BlobServiceClient.from_connection_string": {
        "returns": "azure.storage.blob.BlobServiceClient"
    },
    "azure.storage.blob.ContainerClient": {"returns": "azure.storage.blob.ContainerClient"},
    "azure.storage.blob.ContainerClient.from_connection_string": {
        "returns": "azure.storage.blob.ContainerClient"
    },
    "azure.storage.blob.ContainerClient.from_container_url": {"returns": "azure.storage.blob.ContainerClient"},
    "azure.storage.blob.BlobClient": {"returns": "azure.storage.blob.BlobClient"},
    "azure.storage.blob.BlobClient.from_connection_string": {"returns": "azure.storage.blob.BlobClient"},
    "azure.storage.blob.BlobClient.from_blob_url": {"returns": "azure.storage.blob.BlobClient"},
    # the Cosmos constructor reads the database account over the network
    "azure.cosmos.CosmosClient": {"family": "azure", "returns": "azure.cosmos.CosmosClient"},
    "azure.cosmos.CosmosClient.from_connection_string": {"family": "azure", "returns": "azure.cosmos.CosmosClient"},
    "azure.storage.blob.aio.BlobServiceClient": {"returns": "azure.aio.Client"},
    "azure.storage.blob.aio.BlobServiceClient.from_connection_string": {"returns": "azure.aio.Client"},
    "azure.cosmos.aio.CosmosClient": {"returns": "azure.aio.Client"},
    # ---- stdlib mail / ftp (the constructors connect when given a host) ----
    "smtplib.SMTP": {"family": "smtplib", "returns": "smtplib.SMTP"},
    "smtplib.SMTP_SSL": {"family": "smtplib", "returns": "smtplib.SMTP"},
    "smtplib.LMTP": {"family": "smtplib", "returns": "smtplib.SMTP"},
    "imaplib.IMAP4": {"family": "mail_fetch", "returns": "imaplib.IMAP4"},
    "imaplib.IMAP4_SSL": {"family": "mail_fetch", "returns": "imaplib.IMAP4"},
    "poplib.POP3": {"family": "mail_fetch", "returns": "poplib.POP3"},
    "poplib.POP3_SSL": {"family": "mail_fetch", "returns": "poplib.POP3"},
    "ftplib.FTP": {"family": "ftplib", "returns": "ftplib.FTP"},
    "ftplib.FTP_TLS": {"family": "ftplib", "returns": "ftplib.FTP"},
    # ---- sockets and DNS ----
    "socket.socket": {"returns": "socket.socket"},
    "socket.fromfd": {"returns": "socket.socket"},
    "socket.create_server": {"returns": "socket.socket"},
    "socket.create_connection": {"family": "socket", "returns": "socket.socket"},
    "socket.getaddrinfo": {"family": "dns"},
    "socket.gethostbyname": {"family": "dns"},
    "socket.gethostbyname_ex": {"family": "dns"},
    "socket.gethostbyaddr": {"family": "dns"},
    "socket.getnameinfo": {"family": "dns"},
    "socket.getfqdn": {"family": "dns"},
    "dns.resolver.resolve": {"family": "dns"},
    "dns.resolver.query": {"family": "dns"},
    "dns.asyncresolver.resolve": {"awaitable": True},
    "asyncio.open_connection": {"awaitable": True},
    # ---- ssl: certificate loading and handshakes ----
    "ssl.create_default_context": {"family": "ssl", "returns": "ssl.SSLContext"},
    "ssl.SSLContext": {"returns": "ssl.SSLContext"},
    "ssl.get_server_certificate": {"family": "ssl"},
    # ---- console input ----
    "input": {"family": "console"},
    "builtins.input": {"family": "console"},
    "getpass.getpass": {"family": "console", "replacement": "`await {to_thread}(getpass.getpass, prompt)`"},
    "sys.stdin.read": {"family": "console", "replacement": "`await {to_thread}(sys.stdin.read)`"},
    "sys.stdin.readline": {"family": "console", "replacement": "`await {to_thread}(sys.stdin.readline)`"},
    "sys.stdin.readlines": {"family": "console", "replacement": "`await {to_thread}(sys.stdin.readlines)`"},
    # ---- RabbitMQ ----
    "pika.BlockingConnection": {"family": "pika", "returns": "pika.BlockingConnection"},
    "pika.adapters.blocking_connection.BlockingConnection": {"family": "pika", "returns": "pika.BlockingConnection"},
    # ---- Kafka (kafka-python bootstraps and probes the broker version in the constructor) ----
    "kafka.KafkaProducer": {"family": "kafka", "returns": "kafka.KafkaProducer"},
    "kafka.KafkaConsumer": {"family": "kafka", "returns": "kafka.KafkaConsumer"},
    "kafka.producer.KafkaProducer": {"family": "kafka", "returns": "kafka.KafkaProducer"},
    "kafka.consumer.KafkaConsumer": {"family": "kafka", "returns": "kafka.KafkaConsumer"},
    "confluent_kafka.Producer": {"returns": "confluent_kafka.Producer"},
    "confluent_kafka.Consumer": {"returns": "confluent_kafka.Consumer"},
    "aiokafka.AIOKafkaProducer": {"returns": "aiokafka.Client"},
    "aiokafka.AIOKafkaConsumer": {"returns": "aiokafka.Client"},
    # ---- memcached ----
    "pymemcache.Client": {"returns": "pymemcache.Client"},
    "pymemcache.client.Client": {"returns": "pymemcache.Client"},
    "pymemcache.client.base.Client": {"returns": "pymemcache.Client"},
    "pymemcache.client.base.PooledClient": {"returns": "pymemcache.Client"},
    "pymemcache.client.hash.HashClient": {"returns": "pymemcache.Client"},
    "pymemcache.client.retrying.RetryingClient": {"returns": "pymemcache.Client"},
    "pymemcache.HashClient": {"returns": "pymemcache.Client"},
    "pymemcache.PooledClient": {"returns": "pymemcache.Client"},
    "pymemcache.RetryingClient": {"returns": "pymemcache.Client"},
    # ---- SSH ----
    "paramiko.SSHClient": {"returns": "paramiko.SSHClient"},
    "paramiko.client.SSHClient": {"returns": "paramiko.SSHClient"},
    "paramiko.SFTPClient.from_transport": {"family": "paramiko", "returns": "paramiko.SFTPClient"},
    # ---- Django cache (method calls on the module-level `cache` object) ----
    "django.core.cache.cache.get": {"family": "django_cache"},
    "django.core.cache.cache.set": {"family": "django_cache"},
    "django.core.cache.cache.add": {"family": "django_cache"},
    "django.core.cache.cache.delete": {"family": "django_cache"},
    "django.core.cache.cache.get_many": {"family": "django_cache"},
    "django.core.cache.cache.set_many": {"family": "django_cache"},
    "django.core.cache.cache.delete_many": {"family": "django_cache"},
    "django.core.cache.cache.get_or_set": {"family": "django_cache"},
    "django.core.cache.cache.has_key": {"family": "django_cache"},
    "django.core.cache.cache.incr": {"family": "django_cache"},
    "django.core.cache.cache.decr": {"family": "django_cache"},
    "django.core.cache.cache.touch": {"family": "django_cache"},
    "django.core.cache.cache.clear": {"family": "django_cache"},
    # ==== FAK107 thread waits and nested event loops ============================================
    # ---- threading / multiprocessing primitives (constructors do not block) ----
    "threading.Lock": {"returns": "threading.Lock"},
    "threading.RLock": {"returns": "threading.Lock"},
    "multiprocessing.Lock": {"returns": "threading.Lock"},
    "multiprocessing.RLock": {"returns": "threading.Lock"},
    "threading.Semaphore": {"returns": "threading.Semaphore"},
    "threading.BoundedSemaphore": {"returns": "threading.Semaphore"},
    "multiprocessing.Semaphore": {"returns": "threading.Semaphore"},
    "multiprocessing.BoundedSemaphore": {"returns": "threading.Semaphore"},
    "threading.Event": {"returns": "threading.Event"},
    "multiprocessing.Event": {"returns": "threading.Event"},
    "threading.Condition": {"returns": "threading.Condition"},
    "multiprocessing.Condition": {"returns": "threading.Condition"},
    "threading.Barrier": {"returns": "threading.Barrier"},
    "multiprocessing.Barrier": {"returns": "threading.Barrier"},
    "threading.Thread": {"returns": "threading.Thread"},
    "threading.Timer": {"returns": "threading.Thread"},
    "multiprocessing.Process": {"returns": "threading.Thread"},
    "queue.Queue": {"returns": "queue.Queue"},
    "queue.LifoQueue": {"returns": "queue.Queue"},
    "queue.PriorityQueue": {"returns": "queue.Queue"},
    "queue.SimpleQueue": {"returns": "queue.SimpleQueue"},
    "multiprocessing.Queue": {"returns": "queue.Queue"},
    "multiprocessing.JoinableQueue": {"returns": "queue.Queue"},
    "multiprocessing.SimpleQueue": {"returns": "queue.Queue"},
    # ---- concurrent.futures ----
    "concurrent.futures.ThreadPoolExecutor": {"returns": "concurrent.futures.Executor"},
    "concurrent.futures.ProcessPoolExecutor": {"returns": "concurrent.futures.Executor"},
    "concurrent.futures.thread.ThreadPoolExecutor": {"returns": "concurrent.futures.Executor"},
    "concurrent.futures.process.ProcessPoolExecutor": {"returns": "concurrent.futures.Executor"},
    "concurrent.futures.Future": {"returns": "concurrent.futures.Future"},
    "concurrent.futures.wait": {
        "family": "futures",
        "replacement": "`await asyncio.wait([asyncio.wrap_future(f) for f in fs])`",
    },
    "concurrent.futures.as_completed": {
        "family": "futures",
        "replacement": "`for fut in asyncio.as_completed([asyncio.wrap_future(f) for f in fs]): await fut`",
    },
    # ---- multiprocessing pools ----
    "multiprocessing.Pool": {"returns": "multiprocessing.Pool"},
    "multiprocessing.pool.Pool": {"returns": "multiprocessing.Pool"},
    "multiprocessing.pool.ThreadPool": {"returns": "multiprocessing.Pool"},
    # ---- nested event loops ----
    "asyncio.run": {"family": "asyncio_nested", "fix": "await_arg"},
    "asyncio.runners.run": {"family": "asyncio_nested", "fix": "await_arg"},
    "asyncio.Runner": {"returns": "asyncio.Runner"},
    "asyncio.get_event_loop": {"returns": "asyncio.AbstractEventLoop"},
    "asyncio.new_event_loop": {"returns": "asyncio.AbstractEventLoop"},
    "asyncio.get_running_loop": {"returns": "asyncio.AbstractEventLoop"},
    "asyncio.events.get_event_loop": {"returns": "asyncio.AbstractEventLoop"},
    "asyncio.events.get_running_loop": {"returns": "asyncio.AbstractEventLoop"},
    "asyncio.run_coroutine_threadsafe": {"returns": "concurrent.futures.Future"},
    "asgiref.sync.async_to_sync": {"returns": "asgiref.AsyncToSync"},
    "asgiref.sync.AsyncToSync": {"returns": "asgiref.AsyncToSync"},
    "anyio.from_thread.run": {
        "family": "asyncio_nested",
        "replacement": "`await fn(...)` directly: `from_thread.run` is only for worker threads",
    },
    "anyio.from_thread.run_sync": {
        "family": "asyncio_nested",
        "replacement": "call `fn(...)` directly: `from_thread.run_sync` is only for worker threads",
    },
    "trio.from_thread.run": {
        "family": "asyncio_nested",
        "replacement": "`await fn(...)` directly: `from_thread.run` is only for worker threads",
    },
    "trio.from_thread.run_sync": {
        "family": "asyncio_nested",
        "replacement": "call `fn(...)` directly: `from_thread.run_sync` is only for worker threads",
    },
    # ==== thread offloaders: the callable passed at position `offload` runs in a worker ===========
    "asyncio.to_thread": {"offload": 1, "awaitable": True},
    "asyncio.threads.to_thread": {"offload": 1, "awaitable": True},
    "anyio.to_thread.run_sync": {"offload": 1, "awaitable": True},
    "anyio.to_process.run_sync": {"offload": 1, "awaitable": True},
    "trio.to_thread.run_sync": {"offload": 1, "awaitable": True},
    "starlette.concurrency.run_in_threadpool": {"offload": 1, "awaitable": True},
    "fastapi.concurrency.run_in_threadpool": {"offload": 1, "awaitable": True},
    "asgiref.sync.sync_to_async": {"offload": 1},
    "asgiref.sync.SyncToAsync": {"offload": 1},
    "channels.db.database_sync_to_async": {"offload": 1},
}

# `request.session`: a SessionStore that loads itself on first use (the database backend by default) and
# writes on save / flush / cycle_key; Django 5.0+ has the `a`-prefixed twins (`aget`, `aset`, `apop`, ...)
_DJANGO_SESSION_STORE = {
    "family": "django",
    "getitem": True,  # `request.session["cart"]` (read or written) and `"cart" in request.session` load it too
    "blocking": "get pop setdefault update keys values items has_key clear flush cycle_key save delete "
    "create exists set_expiry get_expiry_age get_expiry_date get_session_cookie_age",
    "replacements": {m: f"`await request.session.a{m}(...)` (Django 5.0+)" for m in (
        "get pop setdefault update keys values items has_key clear flush cycle_key save delete create exists "
        "set_expiry get_expiry_age get_expiry_date get_session_cookie_age").split()} | {
        "__getitem__": "`await request.session.aget(key)` to read, `await request.session.aset(key, value)` to "
                       "write (Django 5.0+)",
        "__contains__": "`await request.session.ahas_key(key)` (Django 5.0+)"},
    "aliases": "django.contrib.sessions.backends.base.SessionBase "
    "django.contrib.sessions.backends.db.SessionStore",
}
# `Book.objects.raw(sql)`: evaluated when iterated (or indexed, which lists it first)
_DJANGO_RAW_QUERYSET = {
    "family": "django",
    "iter": True,
    "item": "django.Model",
    "subscript": "django.Model",
    "model": True,
    "replacements": {"__iter__": "`rows = await sync_to_async(list)(Model.objects.raw(...))`"},
    "aliases": "django.db.models.query.RawQuerySet django.db.models.RawQuerySet",
}
_DJANGO_PAGINATOR = {
    "family": "django",
    "blocking": "page get_page",
    # `paginator.count` / `.num_pages` / `.page_range` are cached properties that count the queryset
    "props": "count num_pages page_range",
    "replacements": {"count": "`await qs.acount()` on the queryset (Django 4.1+), or "
                              "`await sync_to_async(lambda: paginator.count)()`",
                     "num_pages": "`await sync_to_async(lambda: paginator.num_pages)()`, or count with "
                                  "`await qs.acount()` and divide",
                     "page_range": "`await sync_to_async(lambda: paginator.page_range)()`",
                     "page": "count and slice with the async ORM (`await qs.acount()`, "
                             "`[x async for x in qs[start:stop]]`), or `await sync_to_async(paginator.page)(n)`",
                     "get_page": "`await sync_to_async(paginator.get_page)(n)`, or count and slice with the "
                                 "async ORM"},
}

_DJANGO_MODEL = {
    "family": "django",
    # a user's permission checks load its user and group permissions (ModelBackend queries, cached on the
    # instance); a superuser's are answered without a query, but which user it is is not known here
    "blocking": "save delete refresh_from_db " + _DJANGO_PERMS,
    "fixes": {"save": "django_async", "delete": "django_async", "refresh_from_db": "django_async"},
    "replacements": {
        "save": "`await obj.asave()` (Django 4.2+)",
        "delete": "`await obj.adelete()` (Django 4.2+)",
        "refresh_from_db": "`await obj.arefresh_from_db()` (Django 4.2+)",
        **{m: f"`await user.a{m}(...)` (Django 5.2+), or `await sync_to_async(user.{m})(...)`"
           for m in _DJANGO_PERMS.split()},
    },
    "class_attrs": {"objects": "django.Manager", "_default_manager": "django.Manager"},
    # Django's own concrete models (contrib apps) are models too: `User.objects.get(...)`, `Session`
    "aliases": "django.db.models.Model django.db.models.base.Model "
    "django.contrib.auth.models.AbstractUser django.contrib.auth.models.AbstractBaseUser "
    "django.contrib.auth.base_user.AbstractBaseUser django.contrib.auth.models.User "
    "django.contrib.auth.models.Group django.contrib.auth.models.Permission "
    "django.contrib.auth.models.PermissionsMixin django.contrib.sessions.models.Session "
    "django.contrib.sessions.base_session.AbstractBaseSession "
    "django.contrib.contenttypes.models.ContentType django.contrib.sites.models.Site "
    "django.contrib.admin.models.LogEntry django.contrib.flatpages.models.FlatPage "
    "django.contrib.redirects.models.Redirect",
}

TYPES = {
    # ==== FAK101: psycopg2 ======================================================================
    "psycopg2.connection": {
        "family": "psycopg2",
        "blocking": "commit rollback close reset set_session set_isolation_level set_client_encoding "
        "tpc_begin tpc_prepare tpc_commit tpc_rollback tpc_recover lobject cancel",
        "returns": {"cursor": "psycopg2.cursor"},
        "aliases": "psycopg2.extensions.connection psycopg2.extras.DictConnection "
        "psycopg2.extras.RealDictConnection psycopg2.extras.NamedTupleConnection "
        "psycopg2.extras.LoggingConnection",
    },
    "psycopg2.cursor": {
        "family": "psycopg2",
        "blocking": "execute executemany callproc fetchone fetchmany fetchall scroll copy_from copy_to "
        "copy_expert nextset close",
        "iter": True,
        "aliases": "psycopg2.extensions.cursor psycopg2.extras.DictCursor psycopg2.extras.RealDictCursor "
        "psycopg2.extras.NamedTupleCursor psycopg2.extras.LoggingCursor",
    },
    "psycopg2.pool": {
        "family": "psycopg2",
        "blocking": "getconn putconn closeall",
        "returns": {"getconn": "psycopg2.connection"},
        "aliases": "psycopg2.pool.AbstractConnectionPool psycopg2.pool.SimpleConnectionPool "
        "psycopg2.pool.ThreadedConnectionPool",
    },
    # ==== FAK101: psycopg 3 =====================================================================
    "psycopg.Connection": {
        "family": "psycopg",
        "blocking": "execute commit rollback close transaction pipeline set_autocommit set_isolation_level "
        "set_read_only set_deferrable tpc_begin tpc_prepare tpc_commit tpc_rollback tpc_recover notifies "
        "cancel_safe",
        "returns": {"cursor": "psycopg.Cursor", "execute": "psycopg.Cursor"},
        "aliases": "psycopg.connection.Connection",
    },
    "psycopg.Cursor": {
        "family": "psycopg",
        "blocking": "execute executemany fetchone fetchmany fetchall scroll copy stream",
        "returns": {"execute": "psycopg.Cursor"},
        "iter": True,
        "aliases": "psycopg.cursor.Cursor psycopg.ClientCursor psycopg.ServerCursor psycopg.RawCursor",
    },
    "psycopg_pool.ConnectionPool": {
        "family": "psycopg",
        "blocking": "connection getconn putconn open close wait check resize drain",
        "returns": {"connection": "psycopg.Connection", "getconn": "psycopg.Connection"},
        "aliases": "psycopg_pool.NullConnectionPool psycopg_pool.pool.ConnectionPool",
    },
    "psycopg.AsyncConnection": {
        "returns": {"cursor": "psycopg.AsyncCursor"},
        "aliases": "psycopg.connection_async.AsyncConnection",
    },
    "psycopg.AsyncCursor": {
        "aliases": "psycopg.cursor_async.AsyncCursor psycopg.AsyncClientCursor psycopg.AsyncServerCursor",
    },
    "psycopg_pool.AsyncConnectionPool": {
        "returns": {"connection": "psycopg.AsyncConnection"},
        "aliases": "psycopg_pool.AsyncNullConnectionPool",
    },
    "asyncpg.Connection": {"aliases": "asyncpg.connection.Connection"},
    "asyncpg.Pool": {
        "returns": {"acquire": "asyncpg.Connection"},
        "aliases": "asyncpg.pool.Pool",
    },
    # ---- a DB-API connection whose driver is not known statically (SQLAlchemy raw connections) ----
    "dbapi.connection": {
        "family": "dbapi",
        "blocking": "commit rollback close",
        "returns": {"cursor": "dbapi.cursor"},
        "attrs": {"dbapi_connection": "dbapi.connection", "driver_connection": "dbapi.connection"},
        "aliases": "sqlalchemy.pool.PoolProxiedConnection sqlalchemy.engine.interfaces.DBAPIConnection",
    },
    "dbapi.cursor": {
        "family": "dbapi",
        "blocking": "execute executemany callproc fetchone fetchmany fetchall scroll nextset "
        "copy_from copy_to copy_expert close",
        "iter": True,
        "aliases": "sqlalchemy.engine.interfaces.DBAPICursor",
    },
    # ==== FAK101: sqlite3 =======================================================================
    "sqlite3.Connection": {
        "family": "sqlite3",
        "blocking": "execute executemany executescript commit rollback close backup iterdump blobopen",
        "returns": {
            "cursor": "sqlite3.Cursor",
            "execute": "sqlite3.Cursor",
            "executemany": "sqlite3.Cursor",
            "executescript": "sqlite3.Cursor",
        },
        "aliases": "sqlite3.dbapi2.Connection",
    },
    "sqlite3.Cursor": {
        "family": "sqlite3",
        "blocking": "execute executemany executescript fetchone fetchmany fetchall",
        "returns": {"execute": "sqlite3.Cursor", "executemany": "sqlite3.Cursor", "executescript": "sqlite3.Cursor"},
        "iter": True,
        "aliases": "sqlite3.dbapi2.Cursor",
    },
    "aiosqlite.Connection": {"aliases": "aiosqlite.core.Connection"},
    "aiosql.Queries": {"aliases": "aiosql.queries.Queries"},
    # ==== FAK101: MySQL =========================================================================
    "pymysql.Connection": {
        "family": "pymysql",
        "blocking": _MYSQL_CONN + " connect set_charset",
        "returns": {"cursor": "pymysql.Cursor"},
        "aliases": "pymysql.connections.Connection",
    },
    "pymysql.Cursor": {
        "family": "pymysql",
        "blocking": _DBAPI_CURSOR,
        "iter": True,
        "aliases": "pymysql.cursors.Cursor pymysql.cursors.DictCursor pymysql.cursors.SSCursor "
        "pymysql.cursors.SSDictCursor",
    },
    "MySQLdb.Connection": {
        "family": "mysqlclient",
        "blocking": _MYSQL_CONN + " set_character_set store_result use_result",
        "returns": {"cursor": "MySQLdb.Cursor"},
        "aliases": "MySQLdb.connections.Connection",
    },
    "MySQLdb.Cursor": {
        "family": "mysqlclient",
        "blocking": _DBAPI_CURSOR,
        "iter": True,
        "aliases": "MySQLdb.cursors.Cursor MySQLdb.cursors.DictCursor MySQLdb.cursors.SSCursor "
        "MySQLdb.cursors.SSDictCursor",
    },
    "mysql.connector.Connection": {
        "family": "mysql_connector",
        "blocking": "commit rollback close disconnect cmd_query cmd_query_iter ping reconnect is_connected "
        "start_transaction reset_session cmd_change_user cmd_init_db cmd_statistics cmd_reset_connection",
        "returns": {"cursor": "mysql.connector.Cursor"},
        "aliases": "mysql.connector.connection.MySQLConnection mysql.connector.connection_cext.CMySQLConnection "
        "mysql.connector.pooling.PooledMySQLConnection mysql.connector.abstracts.MySQLConnectionAbstract",
    },
    "mysql.connector.Cursor": {
        "family": "mysql_connector",
        "blocking": _DBAPI_CURSOR + " stored_results",
        "iter": True,
        "aliases": "mysql.connector.cursor.MySQLCursor mysql.connector.cursor_cext.CMySQLCursor "
        "mysql.connector.abstracts.MySQLCursorAbstract",
    },
    "mysql.connector.pooling.MySQLConnectionPool": {
        "family": "mysql_connector",
        "blocking": "get_connection add_connection set_config",
        "returns": {"get_connection": "mysql.connector.Connection"},
    },
    "mysql.connector.aio.Connection": {},
    "aiomysql.Connection": {"aliases": "aiomysql.connection.Connection asyncmy.connection.Connection"},
    "aiomysql.Pool": {"aliases": "aiomysql.pool.Pool asyncmy.pool.Pool"},
    # ==== FAK101: pyodbc, Oracle, SQL Server ====================================================
    "pyodbc.Connection": {
        "family": "pyodbc",
        "blocking": "execute commit rollback close getinfo",
        "returns": {"cursor": "pyodbc.Cursor", "execute": "pyodbc.Cursor"},
    },
    "pyodbc.Cursor": {
        "family": "pyodbc",
        "blocking": "execute executemany fetchone fetchmany fetchall fetchval skip nextset commit rollback "
        "cancel tables columns statistics primaryKeys foreignKeys procedures procedureColumns getTypeInfo "
        "rowIdColumns rowVerColumns tablePrivileges",
        "returns": {"execute": "pyodbc.Cursor"},
        "iter": True,
    },
    "aioodbc.Connection": {"aliases": "aioodbc.connection.Connection"},
    "aioodbc.Pool": {"aliases": "aioodbc.pool.Pool"},
    "oracledb.Connection": {
        "family": "oracledb",
        "blocking": _ORACLE_CONN + " fetch_df_all fetch_df_batches",
        "returns": {"cursor": "oracledb.Cursor"},
        "aliases": "oracledb.connection.Connection",
    },
    "oracledb.Cursor": {
        "family": "oracledb",
        "blocking": _ORACLE_CURSOR,
        "iter": True,
        "aliases": "oracledb.cursor.Cursor",
    },
    "oracledb.ConnectionPool": {
        "family": "oracledb",
        "blocking": "acquire release close drop reconfigure",
        "returns": {"acquire": "oracledb.Connection"},
        "aliases": "oracledb.pool.ConnectionPool",
    },
    "oracledb.AsyncConnection": {"aliases": "oracledb.connection.AsyncConnection"},
    "oracledb.AsyncConnectionPool": {
        "returns": {"acquire": "oracledb.AsyncConnection"},
        "aliases": "oracledb.pool.AsyncConnectionPool",
    },
    "cx_Oracle.Connection": {
        "family": "cx_oracle",
        "blocking": _ORACLE_CONN,
        "returns": {"cursor": "cx_Oracle.Cursor"},
    },
    "cx_Oracle.Cursor": {"family": "cx_oracle", "blocking": _ORACLE_CURSOR, "iter": True},
    "cx_Oracle.SessionPool": {
        "family": "cx_oracle",
        "blocking": "acquire release close drop reconfigure",
        "returns": {"acquire": "cx_Oracle.Connection"},
    },
    "pymssql.Connection": {
        "family": "pymssql",
        "blocking": "commit rollback close bulk_copy autocommit",
        "returns": {"cursor": "pymssql.Cursor"},
        "aliases": "pymssql._pymssql.Connection",
    },
    "pymssql.Cursor": {
        "family": "pymssql",
        "blocking": "execute executemany callproc fetchone fetchmany fetchall nextset",
        "iter": True,
        "aliases": "pymssql._pymssql.Cursor",
    },
    # ==== FAK101: DuckDB ========================================================================
    "duckdb.DuckDBPyConnection": {
        "family": "duckdb",
        "blocking": "execute executemany sql query commit rollback begin checkpoint install_extension "
        "load_extension read_csv read_parquet read_json from_csv_auto from_parquet register close "
        + _DUCKDB_FETCH,
        "returns": {
            "execute": "duckdb.DuckDBPyConnection",
            "executemany": "duckdb.DuckDBPyConnection",
            "cursor": "duckdb.DuckDBPyConnection",
            "sql": "duckdb.DuckDBPyRelation",
            "query": "duckdb.DuckDBPyRelation",
            "table": "duckdb.DuckDBPyRelation",
            "read_csv": "duckdb.DuckDBPyRelation",
            "read_parquet": "duckdb.DuckDBPyRelation",
            "read_json": "duckdb.DuckDBPyRelation",
            "from_csv_auto": "duckdb.DuckDBPyRelation",
            "from_parquet": "duckdb.DuckDBPyRelation",
        },
    },
    "duckdb.DuckDBPyRelation": {
        "family": "duckdb",
        "blocking": "show execute write_csv write_parquet to_csv to_parquet to_table create insert "
        "insert_into update record_batch " + _DUCKDB_FETCH,
        "fluent": True,
    },
    # ==== FAK101: SQLAlchemy ====================================================================
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
        "attrs": {
            "connection": "dbapi.connection",
            "dbapi_connection": "dbapi.connection",
            "engine": "sqlalchemy.Engine",
        },
        "aliases": "sqlalchemy.engine.Connection sqlalchemy.engine.base.Connection",
    },
    "sqlalchemy.orm.Session": {
        "family": "sqlalchemy_session",
        "blocking": _SA_SESSION,
        "returns": _SA_SESSION_RETURNS,
        "attrs": {"bind": "sqlalchemy.Engine"},
        "aliases": "sqlalchemy.orm.session.Session",
    },
    "sqlalchemy.orm.sessionmaker": {
        "call": "sqlalchemy.orm.Session",
        "returns": {"begin": "sqlalchemy.orm.Session"},
        "aliases": "sqlalchemy.orm.session.sessionmaker",
    },
    # a scoped_session proxies the Session methods *and* is callable (returns the thread's Session)
    "sqlalchemy.orm.scoped_session": {
        "family": "sqlalchemy_session",
        "blocking": _SA_SESSION + " remove",
        "returns": _SA_SESSION_RETURNS,
        "call": "sqlalchemy.orm.Session",
        "aliases": "sqlalchemy.orm.scoping.scoped_session",
    },
    # legacy Query: a lazy fluent builder; the terminals and iteration run the SQL
    "sqlalchemy.orm.Query": {
        "family": "sqlalchemy_session",
        "blocking": "all first one one_or_none scalar count get update delete paginate",
        "fluent": True,
        "iter": True,
        "item": "sqlalchemy.orm.Instance",
        "returns": {
            "first": "sqlalchemy.orm.Instance",
            "one": "sqlalchemy.orm.Instance",
            "one_or_none": "sqlalchemy.orm.Instance",
            "get": "sqlalchemy.orm.Instance",
        },
        "aliases": "sqlalchemy.orm.query.Query",
    },
    # A mapped instance.  Lazy-loaded relationship attributes also block, but are not typed statically.
    "sqlalchemy.orm.Instance": {},
    "flask_sqlalchemy.SQLAlchemy": {
        "attrs": {"session": "sqlalchemy.orm.scoped_session", "engine": "sqlalchemy.Engine",
                  "Model": "flask_sqlalchemy.Model"},
        "aliases": "flask_sqlalchemy.extension.SQLAlchemy",
    },
    # `class User(db.Model)`: `User.query.filter_by(...).first()` runs a query on the scoped session
    "flask_sqlalchemy.Model": {
        "base": True,
        "class_attrs": {"query": "sqlalchemy.orm.Query"},
        "aliases": "flask_sqlalchemy.model.Model",
    },
    "sqlalchemy.AsyncEngine": {
        "returns": {"connect": "sqlalchemy.AsyncConnection", "begin": "sqlalchemy.AsyncConnection"},
        "aliases": "sqlalchemy.ext.asyncio.AsyncEngine sqlalchemy.ext.asyncio.engine.AsyncEngine",
    },
    "sqlalchemy.AsyncConnection": {
        "offload_methods": {"run_sync": 1},
        "aliases": "sqlalchemy.ext.asyncio.AsyncConnection sqlalchemy.ext.asyncio.engine.AsyncConnection",
    },
    "sqlmodel.Session": {
        "family": "sqlalchemy_session",
        "blocking": _SA_SESSION + " exec",
        "returns": _SA_SESSION_RETURNS,
        "attrs": {"bind": "sqlalchemy.Engine"},
        "aliases": "sqlmodel.orm.session.Session",
    },
    "celery.AsyncResult": {
        "family": "celery_result",
        "blocking": "get wait join join_native collect forget revoke",
        "aliases": "celery.result.AsyncResult celery.result.GroupResult celery.result.ResultSet "
                   "celery.result.EagerResult",
    },
    "sqlalchemy.AsyncSession": {
        "offload_methods": {"run_sync": 1},
        "aliases": "sqlalchemy.ext.asyncio.AsyncSession sqlalchemy.ext.asyncio.session.AsyncSession",
    },
    "sqlalchemy.async_sessionmaker": {
        "call": "sqlalchemy.AsyncSession",
        "returns": {"begin": "sqlalchemy.AsyncSession"},
        "aliases": "sqlalchemy.ext.asyncio.async_sessionmaker sqlalchemy.ext.asyncio.session.async_sessionmaker "
        "sqlalchemy.ext.asyncio.async_scoped_session",
    },
    # ==== FAK101: Django ORM ====================================================================
    "django.Manager": {
        "family": "django",
        "blocking": _DJANGO_TERMINAL + " create_user create_superuser",
        "returns": _DJANGO_LAZY,
        "fluent": True,
        "fixes": _DJANGO_FIXES,
        "replacements": {
            "get": _DJANGO_REPLACEMENTS["get"],
            "create": _DJANGO_REPLACEMENTS["create"],
            "get_or_create": _DJANGO_REPLACEMENTS["get_or_create"],
            "update_or_create": _DJANGO_REPLACEMENTS["update_or_create"],
            "bulk_create": _DJANGO_REPLACEMENTS["bulk_create"],
            "bulk_update": _DJANGO_REPLACEMENTS["bulk_update"],
            "count": _DJANGO_REPLACEMENTS["count"],
            "in_bulk": _DJANGO_REPLACEMENTS["in_bulk"],
            "iterator": _DJANGO_REPLACEMENTS["iterator"],
            "latest": _DJANGO_REPLACEMENTS["latest"],
            "earliest": _DJANGO_REPLACEMENTS["earliest"],
            "first": _DJANGO_REPLACEMENTS["first"],
            "last": _DJANGO_REPLACEMENTS["last"],
            "aggregate": _DJANGO_REPLACEMENTS["aggregate"],
            "exists": _DJANGO_REPLACEMENTS["exists"],
            "contains": _DJANGO_REPLACEMENTS["contains"],
            "update": _DJANGO_REPLACEMENTS["update"],
            "explain": _DJANGO_REPLACEMENTS["explain"],
            "create_user": "`await User.objects.acreate_user(...)` (Django 5.2+)",
            "create_superuser": "`await User.objects.acreate_superuser(...)` (Django 5.2+)",
        },
        "model": True,
        "aliases": "django.db.models.manager.Manager django.db.models.manager.BaseManager "
        "django.contrib.auth.models.UserManager django.contrib.auth.base_user.BaseUserManager",
    },
    "django.QuerySet": {
        "family": "django",
        "blocking": _DJANGO_TERMINAL + " delete",
        "returns": _DJANGO_LAZY,
        "fluent": True,
        "iter": True,
        "truth": True,
        "item": "django.Model",
        "subscript": "django.Model",  # `qs[0]` (a slice `qs[:10]` is the queryset itself: analysis keeps its term)
        "fixes": {**_DJANGO_FIXES, "delete": "django_async"},
        "replacements": _DJANGO_REPLACEMENTS,
        "model": True,
        "aliases": "django.db.models.QuerySet django.db.models.query.QuerySet",
    },
    "django.RawQuerySet": _DJANGO_RAW_QUERYSET,
    "django.ForeignKey": {
        "family": "django",
        "field_read": True,
        "aliases": "django.db.models.ForeignKey django.db.models.OneToOneField "
        "django.db.models.fields.related.ForeignKey django.db.models.fields.related.OneToOneField",
    },
    # A Django request: `request.user` is the lazy user AuthenticationMiddleware sets
    # (`SimpleLazyObject(lambda: get_user(request))`): the first attribute read or method call on it loads the
    # session and the user from the database (SynchronousOnlyOperation in async code); `await
    # request.auser()` (Django 5.0+) is the async way.  Typed by annotation, and for a parameter named
    # `request` in a module that imports Django (not Django REST framework, whose Request authenticates
    # in its own dispatch): ``analysis._django_request``.
    "django.HttpRequest": {
        "attrs": {"user": "django.LazyUser", "session": "django.SessionStore"},
        "returns": {"auser": "django.Model"},  # `user = await request.auser()`: the user, loaded
        "user_methods": "auser",  # ... an instance of the project's user model, when it has one
        "aliases": "django.http.HttpRequest django.http.request.HttpRequest django.core.handlers.asgi.ASGIRequest "
        "django.core.handlers.wsgi.WSGIRequest",
    },
    # Django class-based views: `self.request` is the request being handled (`self.request.user` is lazy)
    "django.View": {
        "attrs": {"request": "django.HttpRequest"},
        "aliases": "django.views.View django.views.generic.View django.views.generic.base.View "
        "django.views.generic.TemplateView django.views.generic.base.TemplateView "
        "django.views.generic.RedirectView django.views.generic.base.RedirectView",
    },
    "django.SessionStore": _DJANGO_SESSION_STORE,
    "django.LazyUser": {
        "family": "django",
        "blocking": "*",
        "lazy": True,  # reading any attribute evaluates it (``project._resolve_calls``)
        "replacements": {"*": "`user = await request.auser()` (Django 5.0+) and use that user, or read it in "
                              "`sync_to_async`"},
    },
    # Django REST framework generic views (and their mixins, which always run on one): `get_object()` looks
    # the object up (get_object_or_404 on the queryset), `filter_queryset()` runs the filter backends
    # (django-filter validates its form, which evaluates ModelChoice querysets), `paginate_queryset()`
    # counts and slices with Django's Paginator.  adrf offers `aget_object` / `afilter_queryset`.
    "drf.GenericAPIView": {
        "family": "django",
        "blocking": "get_object filter_queryset paginate_queryset",
        "replacements": {
            "get_object": "adrf's `await self.aget_object()`, or `await sync_to_async(self.get_object)()`",
            "filter_queryset": "adrf's `await self.afilter_queryset(qs)`, or `await sync_to_async(self.filter_queryset)(qs)`",
            "paginate_queryset": "`await sync_to_async(self.paginate_queryset)(qs)` (adrf's async paginators)",
        },
        "aliases": "rest_framework.generics.GenericAPIView rest_framework.generics.ListAPIView "
        "rest_framework.generics.RetrieveAPIView rest_framework.generics.CreateAPIView "
        "rest_framework.generics.UpdateAPIView rest_framework.generics.DestroyAPIView "
        "rest_framework.generics.ListCreateAPIView rest_framework.generics.RetrieveUpdateAPIView "
        "rest_framework.generics.RetrieveDestroyAPIView rest_framework.generics.RetrieveUpdateDestroyAPIView "
        "rest_framework.viewsets.GenericViewSet rest_framework.viewsets.ModelViewSet "
        "rest_framework.viewsets.ReadOnlyModelViewSet rest_framework.mixins.ListModelMixin "
        "rest_framework.mixins.RetrieveModelMixin rest_framework.mixins.CreateModelMixin "
        "rest_framework.mixins.UpdateModelMixin rest_framework.mixins.DestroyModelMixin",
    },
    "django.ManyToManyField": {
        # a ManyToManyField read on an instance is its related manager (``project`` / ``resolve`` "REL")
        "aliases": "django.db.models.ManyToManyField django.db.models.fields.related.ManyToManyField",
    },
    # The manager of a relation's other side, read on an instance: ``author.books`` (a ForeignKey to Author
    # with related_name="books", declared on Book), ``author.book_set`` (the default name), ``book.tags``
    # (a ManyToManyField) and its reverse.  A Manager whose queries are filtered to the instance; it also
    # changes the relation (add / remove / clear / set each run a query).
    "django.RelatedManager": {
        "family": "django",
        "blocking": _DJANGO_TERMINAL + " add remove clear set",
        "returns": _DJANGO_LAZY,
        "fluent": True,
        "fixes": {**_DJANGO_FIXES, "add": "django_async", "remove": "django_async", "clear": "django_async",
                  "set": "django_async"},
        "replacements": {**{m: r for m, r in _DJANGO_REPLACEMENTS.items() if m not in ("__iter__", "__bool__", "__contains__", "delete")},
                         "add": "`await obj.<relation>.aadd(...)` (Django 4.2+)",
                         "remove": "`await obj.<relation>.aremove(...)` (Django 4.2+)",
                         "clear": "`await obj.<relation>.aclear()` (Django 4.2+)",
                         "set": "`await obj.<relation>.aset(objs)` (Django 4.2+)"},
        "model": True,
    },
    "django.Model": _DJANGO_MODEL,
    # a ModelForm saves its model instance (and its many-to-many data): `form.save()` writes on the loop
    "django.ModelForm": {
        "family": "django",
        "blocking": "save",
        "fixes": {"save": "display"},
        "replacements": {"save": "`await sync_to_async(form.save)()` (forms have no async twin)"},
        "aliases": "django.forms.ModelForm django.forms.models.ModelForm django.forms.models.BaseModelForm",
    },
    "django.EmailMessage": {
        "family": "django_mail",
        "blocking": "send send_messages open",
        "replacements": {"send": "`await sync_to_async(message.send)()` (or a task queue)"},
    },
    "django.Paginator": _DJANGO_PAGINATOR,
    "django.CursorWrapper": {
        "family": "django",
        "blocking": "execute executemany callproc fetchone fetchmany fetchall",
        "iter": True,
        "aliases": "django.db.backends.utils.CursorWrapper",
    },
    # ==== FAK101: peewee / pandas ===============================================================
    "peewee.Database": {
        "family": "peewee",
        "blocking": "connect close execute_sql execute atomic transaction create_tables drop_tables "
        "get_tables table_exists get_columns get_indexes",
        "aliases": "peewee.SqliteDatabase peewee.PostgresqlDatabase peewee.MySQLDatabase",
    },
    # peewee models: classes deriving from `peewee.Model` (directly or through project bases).  What runs
    # a query (peewee 3.x source, `Model` / `BaseQuery`): the classmethods get / get_or_none / get_by_id /
    # set_by_id / delete_by_id / get_or_create / create / bulk_create / bulk_update, DDL, and on instances
    # save / delete_instance; select / update / insert / delete / raw / filter only build a query (lazy),
    # which runs on execute / get / first / scalar / count / exists / peek / iterator, iteration, len().
    "peewee.Model": {
        "family": "peewee",
        "blocking": "get get_or_none get_by_id set_by_id delete_by_id get_or_create create bulk_create "
        "bulk_update create_table drop_table table_exists truncate_table save delete_instance",
        "class_methods": "get get_or_none get_by_id set_by_id delete_by_id get_or_create create bulk_create "
        "bulk_update create_table drop_table table_exists truncate_table select update insert insert_many "
        "insert_from replace replace_many delete raw filter noop",
        "returns": dict({m: "peewee.Query" for m in
                         "select update insert insert_many insert_from replace replace_many delete raw filter noop"
                         .split()}, **{m: "peewee.Model" for m in "get get_or_none get_by_id create".split()}),
        "instance": True,
        "aliases": "playhouse.signals.Model playhouse.postgres_ext.Model",
    },
    "peewee.Query": {
        "family": "peewee",
        "blocking": "execute get get_or_none first scalar count exists peek iterator aggregate",
        "fluent": True,
        "iter": True,
        "model": True,
        "item": "peewee.Model",
        "returns": {m: "peewee.Model" for m in "get get_or_none first peek".split()},
        "aliases": "peewee.ModelSelect peewee.Select peewee.SelectQuery peewee.ModelUpdate peewee.ModelDelete "
        "peewee.ModelInsert peewee.ModelRaw",
    },
    # Tortoise ORM (async): nothing blocks, but every awaited query is one round trip (``ASYNC_IO``, the loop
    # rules); `await User.filter(...)` runs the query it built
    "tortoise.Model": {
        "class_methods": "get get_or_none filter all exclude create get_or_create update_or_create bulk_create "
        "bulk_update first exists annotate in_bulk",
        "returns": dict({m: "tortoise.QuerySet" for m in "filter all exclude annotate".split()},
                        **{m: "tortoise.Model" for m in "get get_or_none create first".split()}),
        "instance": True,
        "aliases": "tortoise.models.Model",
    },
    "tortoise.QuerySet": {
        "fluent": True,
        "returns": {m: "tortoise.Model" for m in "first get get_or_none".split()},
        "item": "tortoise.Model",  # the rows of `await qs` (iterating it without `await` is an error)
        "aliases": "tortoise.queryset.QuerySet",
    },
    "peewee.AsyncDatabase": {
        "aliases": "playhouse.pwasyncio.AsyncSqliteDatabase playhouse.pwasyncio.AsyncPostgresqlDatabase "
        "playhouse.pwasyncio.AsyncMySQLDatabase",
    },
    # only the writers that always touch a path or a database (to_csv()/to_json() without a path
    # return a string)
    "PIL.Image.Image": {
        "family": "pil_io",
        "blocking": "save show",  # `show()` writes a temporary file and starts a viewer
        "returns": {m: "PIL.Image.Image" for m in "resize convert rotate crop copy transpose filter".split()},
        "aliases": "PIL.ImageFile.ImageFile PIL.JpegImagePlugin.JpegImageFile PIL.PngImagePlugin.PngImageFile",
    },
    "pandas.DataFrame": {
        "family": "pandas_io",
        "blocking": "to_parquet to_excel to_pickle to_feather to_hdf to_stata to_sql",
        "fluent": True,
        "aliases": "pandas.core.frame.DataFrame",
    },
}
# (one literal up to here, the rest below: a statement of more than 64 KB is a file the parse guard pre-checks)
TYPES.update({
    # ==== FAK102: HTTP ==========================================================================
    "curl_cffi.requests.Session": {
        "family": "curl_cffi",
        "blocking": "get options head post put patch delete request stream ws_connect",
        "aliases": "curl_cffi.requests.session.Session",
    },
    "requests.Session": {
        "family": "requests",
        "blocking": "get options head post put patch delete request send",
        "aliases": "requests.sessions.Session",
    },
    "httpx.Client": {
        "family": "httpx_sync",
        "blocking": "close delete get head options patch post put request send stream",
        "aliases": "httpx2.Client",
        # the transport a client sends through (`self._client._transport.handle_request(req)`: SDKs that
        # skip `send` on their hot path, pinecone)
        "attrs": {"_transport": "httpx.HTTPTransport"},
    },
    # the layer below `Client.send`: a transport sends one request on the connection pool
    "httpx.HTTPTransport": {
        "family": "httpx_sync",
        "blocking": "handle_request",
        "aliases": "httpx.BaseTransport httpx._transports.default.HTTPTransport httpx._transports.base.BaseTransport "
                   "httpx2.HTTPTransport httpx2.BaseTransport",
    },
    "requests.adapters.HTTPAdapter": {
        "family": "requests",
        "blocking": "send",
        "aliases": "requests.adapters.BaseAdapter requests.HTTPAdapter",
    },
    "httpx.AsyncClient": {"aliases": "httpx2.AsyncClient"},
    # ---- web frameworks: the objects that carry an application's shared state (never blocking): what a
    # start-up hook stores on `app.state` is what a route reads on `request.app.state` (``Resolver._stored``)
    "starlette.Starlette": {
        "attrs": {"state": "starlette.State"},
        "aliases": "starlette.applications.Starlette fastapi.FastAPI fastapi.applications.FastAPI",
    },
    "starlette.Request": {
        "attrs": {"app": "starlette.Starlette", "state": "starlette.State"},
        "aliases": "starlette.requests.Request starlette.requests.HTTPConnection starlette.websockets.WebSocket "
                   "fastapi.Request fastapi.WebSocket fastapi.requests.Request fastapi.websockets.WebSocket",
    },
    "starlette.State": {"aliases": "starlette.datastructures.State"},
    "aiohttp.ClientSession": {"aliases": "aiohttp.client.ClientSession"},
    # ---- chat platforms: async clients whose methods are HTTP requests (loop rules; never blocking) ----
    # discord.py and its forks (nextcord, disnake, py-cord share the `discord` names or mirror them)
    "discord.Client": {
        # the bot a handler is given (`ctx.bot`, `interaction.client`) is the project's own subclass when it has
        # one (`class MyBot(commands.Bot)` with `self.db = ...`): its members are that class's
        "subclassed": True,
        "attrs": {"user": "discord.Member"},
        "returns": {"get_guild": "discord.Guild", "get_channel": "discord.TextChannel", "get_user": "discord.Member",
                    "fetch_guild": "discord.Guild", "fetch_channel": "discord.TextChannel",
                    "fetch_user": "discord.Member"},
        "aliases": "discord.ext.commands.Bot discord.ext.commands.AutoShardedBot discord.AutoShardedClient "
        "discord.Bot nextcord.Client nextcord.ext.commands.Bot disnake.Client disnake.ext.commands.Bot "
        "discord.ext.commands.bot.Bot discord.client.Client",
    },
    "discord.Guild": {
        "returns": {"get_member": "discord.Member", "get_channel": "discord.TextChannel", "get_role": "discord.Role",
                    "fetch_member": "discord.Member", "fetch_channel": "discord.TextChannel",
                    "create_role": "discord.Role", "create_text_channel": "discord.TextChannel"},
        "attrs": {"owner": "discord.Member", "me": "discord.Member", "system_channel": "discord.TextChannel"},
        "aliases": "discord.guild.Guild nextcord.Guild disnake.Guild",
    },
    "discord.Member": {
        "attrs": {"guild": "discord.Guild"},
        "returns": {"create_dm": "discord.TextChannel", "fetch_message": "discord.Message", "send": "discord.Message"},
        "aliases": "discord.member.Member discord.User discord.user.User discord.abc.User discord.ClientUser "
        "nextcord.Member nextcord.User disnake.Member disnake.User",
    },
    "discord.TextChannel": {
        "attrs": {"guild": "discord.Guild"},
        "returns": {"fetch_message": "discord.Message", "send": "discord.Message"},
        "aliases": "discord.abc.Messageable discord.abc.GuildChannel discord.channel.TextChannel discord.Thread "
        "discord.DMChannel discord.VoiceChannel discord.ForumChannel discord.StageChannel discord.PartialMessageable "
        "nextcord.TextChannel nextcord.abc.Messageable disnake.TextChannel disnake.abc.Messageable",
    },
    "discord.Message": {
        "attrs": {"guild": "discord.Guild", "channel": "discord.TextChannel", "author": "discord.Member"},
        "returns": {"reply": "discord.Message"},
        "aliases": "discord.message.Message discord.PartialMessage nextcord.Message disnake.Message",
    },
    "discord.Role": {"attrs": {"guild": "discord.Guild"}, "aliases": "discord.role.Role nextcord.Role disnake.Role"},
    "discord.ext.commands.Context": {
        "attrs": {"guild": "discord.Guild", "author": "discord.Member", "channel": "discord.TextChannel",
                  "message": "discord.Message", "bot": "discord.Client", "me": "discord.Member"},
        "returns": {"send": "discord.Message", "reply": "discord.Message"},
        "aliases": "discord.ext.commands.context.Context discord.ApplicationContext nextcord.ext.commands.Context "
        "disnake.ext.commands.Context",
    },
    "discord.Interaction": {
        "attrs": {"guild": "discord.Guild", "user": "discord.Member", "channel": "discord.TextChannel",
                  "message": "discord.Message", "client": "discord.Client"},
        "aliases": "discord.interactions.Interaction nextcord.Interaction disnake.Interaction "
        "disnake.ApplicationCommandInteraction disnake.MessageInteraction",
    },
    # python-telegram-bot and aiogram
    "telegram.Bot": {"aliases": "telegram.ext.ExtBot aiogram.Bot aiogram.client.bot.Bot"},
    "telegram.ext.CallbackContext": {
        "attrs": {"bot": "telegram.Bot"},
        "aliases": "telegram.ext.ContextTypes.DEFAULT_TYPE telegram.ext.callbackcontext.CallbackContext",
    },
    "telegram.Message": {
        "aliases": "telegram.message.Message aiogram.types.Message aiogram.types.message.Message",
    },
    "urllib.request.OpenerDirector": {
        "family": "urllib",
        "blocking": "open",
        "returns": {"open": "http.client.HTTPResponse"},
    },
    "urllib3.PoolManager": {
        "family": "urllib3",
        "blocking": "*",
        "local": "connection_from_url connection_from_host connection_from_context connection_from_pool_key "
        "clear",
        "returns": {
            "connection_from_url": "urllib3.HTTPConnectionPool",
            "connection_from_host": "urllib3.HTTPConnectionPool",
            "connection_from_context": "urllib3.HTTPConnectionPool",
            "connection_from_pool_key": "urllib3.HTTPConnectionPool",
        },
        "aliases": "urllib3.ProxyManager urllib3.poolmanager.PoolManager urllib3.poolmanager.ProxyManager "
        "urllib3.request.RequestMethods urllib3._request_methods.RequestMethods",
    },
    "urllib3.HTTPConnectionPool": {
        "family": "urllib3",
        "blocking": "*",
        "local": "is_same_host",
        "aliases": "urllib3.HTTPSConnectionPool urllib3.connectionpool.HTTPConnectionPool "
        "urllib3.connectionpool.HTTPSConnectionPool urllib3.connectionpool.ConnectionPool",
    },
    "http.client.HTTPConnection": {
        "family": "http_client",
        "blocking": "connect request getresponse send putrequest endheaders",
        "returns": {"getresponse": "http.client.HTTPResponse"},
        "aliases": "http.client.HTTPSConnection",
    },
    "http.client.HTTPResponse": {
        "family": "http_client",
        "blocking": "read read1 readline readlines readinto peek",
        "iter": True,
        "aliases": "urllib.response.addinfourl",
    },
    "xmlrpc.client.ServerProxy": {
        "family": "xmlrpc",
        "blocking": "*",
        "aliases": "xmlrpc.client.Server",
    },
    # ==== FAK104: files =========================================================================
    "io.file": {
        "family": "file_io",
        "blocking": "read read1 readall readinto readline readlines write writelines seek flush truncate close",
        "iter": True,
        "aliases": "io.TextIOWrapper io.BufferedReader io.BufferedWriter io.BufferedRandom io.FileIO "
        "io.BufferedIOBase io.RawIOBase io.TextIOBase io.IOBase typing.TextIO typing.BinaryIO typing.IO "
        "_io.TextIOWrapper _io.BufferedReader _io.BufferedWriter gzip.GzipFile",
    },
    "pathlib.Path": {
        "family": "pathlib",
        "truediv": "pathlib.Path",
        "blocking": "read_text read_bytes write_text write_bytes open exists is_file is_dir is_symlink "
        "is_mount is_socket is_fifo is_block_device is_char_device is_junction stat lstat mkdir rmdir "
        "unlink rename replace touch iterdir glob rglob walk resolve samefile chmod lchmod owner group "
        "readlink symlink_to hardlink_to link_to copy copy_into move move_into",
        "returns": {
            "open": "io.file",
            "with_suffix": "pathlib.Path",
            "with_name": "pathlib.Path",
            "with_stem": "pathlib.Path",
            "with_segments": "pathlib.Path",
            "joinpath": "pathlib.Path",
            "relative_to": "pathlib.Path",
            "resolve": "pathlib.Path",
            "absolute": "pathlib.Path",
            "expanduser": "pathlib.Path",
            "readlink": "pathlib.Path",
            "rename": "pathlib.Path",
            "replace": "pathlib.Path",
            "cwd": "pathlib.Path",
            "home": "pathlib.Path",
            "copy": "pathlib.Path",
            "move": "pathlib.Path",
        },
        "attrs": {"parent": "pathlib.Path"},
        "aliases": "pathlib.PosixPath pathlib.WindowsPath pathlib.PurePath pathlib.PurePosixPath "
        "pathlib.PureWindowsPath",
    },
    "anyio.Path": {"aliases": "trio.Path"},
    "anyio.AsyncFile": {"aliases": "aiofiles.threadpool.text.AsyncTextIOWrapper"},
    # ==== FAK105: subprocess ====================================================================
    "subprocess.Popen": {
        "family": "subprocess",
        "blocking": "wait communicate",
        "attrs": {"stdout": "io.file", "stderr": "io.file", "stdin": "io.file"},
    },
    "asyncio.subprocess.Process": {},
    # ==== FAK106: Supabase ======================================================================
    "supabase.Client": {
        "family": "supabase",
        "returns": {
            "table": "postgrest.SyncBuilder",
            "from_": "postgrest.SyncBuilder",
            "schema": "supabase.Client",
            "rpc": "postgrest.SyncBuilder",
        },
        "attrs": {
            "storage": "storage3.SyncStorageClient",
            "auth": "supabase_auth.SyncGoTrueClient",
            "functions": "supabase_functions.SyncFunctionsClient",
            "postgrest": "postgrest.SyncPostgrestClient",
        },
        "aliases": "supabase.client.Client supabase._sync.client.SyncClient supabase.SyncClient",
    },
    # postgrest request builders: table/select/insert/eq/order/limit/... build; execute() sends
    "postgrest.SyncBuilder": {
        "family": "supabase",
        "blocking": "execute",
        "fluent": True,
        "aliases": "postgrest.SyncRequestBuilder postgrest.SyncQueryRequestBuilder "
        "postgrest.SyncSelectRequestBuilder postgrest.SyncFilterRequestBuilder "
        "postgrest.SyncSingleRequestBuilder postgrest.SyncMaybeSingleRequestBuilder "
        "postgrest.SyncRPCFilterRequestBuilder postgrest._sync.request_builder.SyncRequestBuilder "
        "postgrest._sync.request_builder.SyncSelectRequestBuilder "
        "postgrest._sync.request_builder.SyncFilterRequestBuilder",
    },
    "postgrest.SyncPostgrestClient": {
        "family": "supabase",
        "returns": {
            "table": "postgrest.SyncBuilder",
            "from_": "postgrest.SyncBuilder",
            "from_table": "postgrest.SyncBuilder",
            "rpc": "postgrest.SyncBuilder",
            "schema": "postgrest.SyncPostgrestClient",
        },
        "aliases": "postgrest._sync.client.SyncPostgrestClient",
    },
    "storage3.SyncStorageClient": {
        "family": "supabase",
        "blocking": "list_buckets get_bucket create_bucket update_bucket empty_bucket delete_bucket",
        "returns": {"from_": "storage3.SyncBucket"},
        "aliases": "storage3._sync.client.SyncStorageClient "
        "supabase._sync.client.SyncStorageClient",
    },
    "storage3.SyncBucket": {
        "family": "supabase",
        "blocking": "upload download list list_v remove move copy info exists update create_signed_url "
        "create_signed_urls create_signed_upload_url upload_to_signed_url",
        "aliases": "storage3._sync.file_api.SyncBucketProxy storage3._sync.file_api.SyncBucket",
    },
    "supabase_auth.SyncGoTrueClient": {
        "family": "supabase",
        "blocking": "sign_in_with_password sign_up get_user get_session refresh_session sign_out "
        "sign_in_with_otp sign_in_with_id_token sign_in_anonymously sign_in_with_sso verify_otp "
        "reset_password_for_email reset_password_email update_user set_session exchange_code_for_session "
        "get_user_identities link_identity unlink_identity get_claims reauthenticate resend",
        "attrs": {"admin": "supabase_auth.SyncGoTrueAdminAPI"},
        "aliases": "supabase_auth._sync.gotrue_client.SyncGoTrueClient gotrue.SyncGoTrueClient "
        "supabase._sync.auth_client.SyncSupabaseAuthClient",
    },
    "supabase_auth.SyncGoTrueAdminAPI": {
        "family": "supabase",
        "blocking": "*",
        "local": "close",
        "aliases": "supabase_auth._sync.gotrue_admin_api.SyncGoTrueAdminAPI",
    },
    "supabase_functions.SyncFunctionsClient": {
        "family": "supabase",
        "blocking": "invoke",
        "aliases": "supabase_functions._sync.functions_client.SyncFunctionsClient",
    },
    "supabase.AsyncClient": {
        "fluent": True,  # builders; the awaited `.execute()` is the round trip (loop rules)
        "aliases": "supabase.client.AsyncClient supabase._async.client.AsyncClient",
    },
    "postgrest.AsyncPostgrestClient": {
        "fluent": True,  # builders; the awaited `.execute()` is the round trip (loop rules)
        "aliases": "postgrest._async.client.AsyncPostgrestClient",
    },
    # ==== FAK106: Redis =========================================================================
    "redis.Redis": {
        "family": "redis",
        "blocking": "*",
        "local": "pipeline pubsub lock get_encoder register_script get_connection_kwargs "
        "set_response_callback get_retry set_retry json ft ts bf cf cms topk tdigest",
        "returns": {
            "pipeline": "redis.Pipeline",
            "pubsub": "redis.PubSub",
            "lock": "redis.Lock",
            "json": "redis.Module",
            "ft": "redis.Module",
            "ts": "redis.Module",
            "bf": "redis.Module",
            "cf": "redis.Module",
            "cms": "redis.Module",
            "topk": "redis.Module",
            "tdigest": "redis.Module",
        },
        "aliases": "redis.client.Redis redis.StrictRedis redis.client.StrictRedis redis.RedisCluster "
        "redis.cluster.RedisCluster",
    },
    "redis.Module": {
        "family": "redis",
        "blocking": "*",
        "local": "pipeline",
        "aliases": "redis.commands.json.JSON redis.commands.search.Search",
    },
    # commands on a pipeline are queued; execute() (and watch/unwatch) talk to the server
    "redis.Pipeline": {
        "family": "redis",
        "blocking": "execute watch unwatch",
        "fluent": True,
        "aliases": "redis.client.Pipeline redis.cluster.ClusterPipeline",
    },
    "redis.PubSub": {
        "family": "redis",
        "blocking": "subscribe psubscribe unsubscribe punsubscribe get_message listen ping close",
        "aliases": "redis.client.PubSub",
    },
    "redis.Lock": {
        "family": "redis",
        "blocking": "acquire release extend reacquire locked owned __enter__",
        "aliases": "redis.lock.Lock",
    },
    "redis.sentinel.Sentinel": {
        "family": "redis",
        "blocking": "discover_master discover_slaves",
        "returns": {"master_for": "redis.Redis", "slave_for": "redis.Redis"},
    },
    "redis.asyncio.Redis": {
        "aliases": "redis.asyncio.client.Redis redis.asyncio.StrictRedis redis.asyncio.RedisCluster "
        "redis.asyncio.cluster.RedisCluster",
    },
    # ==== FAK106: MongoDB =======================================================================
    "pymongo.MongoClient": {
        "family": "pymongo",
        "blocking": "*",
        "local": "get_database get_default_database with_options",
        "returns": {"get_database": "pymongo.Database", "get_default_database": "pymongo.Database"},
        "subscript": "pymongo.Database",
        "attrs": {"*": "pymongo.Database"},
        "aliases": "pymongo.mongo_client.MongoClient pymongo.synchronous.mongo_client.MongoClient",
    },
    "pymongo.Database": {
        "family": "pymongo",
        "blocking": "*",
        "local": "get_collection with_options",
        "returns": {"get_collection": "pymongo.Collection", "with_options": "pymongo.Database"},
        "subscript": "pymongo.Collection",
        "attrs": {"*": "pymongo.Collection", "client": "pymongo.MongoClient"},
        "aliases": "pymongo.database.Database pymongo.synchronous.database.Database",
    },
    "pymongo.Collection": {
        "family": "pymongo",
        "blocking": "*",
        "local": "find find_raw_batches with_options get_collection",
        "returns": {
            "find": "pymongo.Cursor",
            "find_raw_batches": "pymongo.Cursor",
            "aggregate": "pymongo.CommandCursor",
            "list_indexes": "pymongo.CommandCursor",
            "list_search_indexes": "pymongo.CommandCursor",
            "with_options": "pymongo.Collection",
            "get_collection": "pymongo.Collection",
        },
        "subscript": "pymongo.Collection",
        "attrs": {"*": "pymongo.Collection", "database": "pymongo.Database"},
        "aliases": "pymongo.collection.Collection pymongo.synchronous.collection.Collection",
    },
    # find() is lazy: the query runs on iteration / next / to_list
    "pymongo.Cursor": {
        "family": "pymongo",
        "blocking": "next to_list distinct explain try_next",
        "fluent": True,
        "iter": True,
        "aliases": "pymongo.cursor.Cursor pymongo.synchronous.cursor.Cursor",
    },
    "pymongo.CommandCursor": {
        "family": "pymongo",
        "blocking": "next to_list try_next close",
        "iter": True,
        "aliases": "pymongo.command_cursor.CommandCursor pymongo.synchronous.command_cursor.CommandCursor",
    },
    "pymongo.AsyncMongoClient": {
        "fluent": True,
        "attrs": {"*": "pymongo.AsyncMongoClient"},
        "subscript": "pymongo.AsyncMongoClient",
        "aliases": "pymongo.asynchronous.mongo_client.AsyncMongoClient motor.motor_asyncio.AsyncIOMotorClient",
    },
    # ==== FAK106: AWS ===========================================================================
    "boto3.client": {
        "family": "boto3",
        "blocking": "*",
        "local": "get_paginator get_waiter can_paginate meta exceptions generate_presigned_url "
        "generate_presigned_post close",
        "returns": {"get_paginator": "boto3.Paginator", "get_waiter": "boto3.Waiter",
                    "get_object": "boto3.ObjectResponse"},
        "aliases": "botocore.client.BaseClient mypy_boto3_s3.S3Client mypy_boto3_s3.client.S3Client "
        "mypy_boto3_dynamodb.DynamoDBClient mypy_boto3_sqs.SQSClient mypy_boto3_sns.SNSClient "
        "mypy_boto3_lambda.LambdaClient mypy_boto3_secretsmanager.SecretsManagerClient",
    },
    "boto3.Paginator": {
        "family": "boto3",
        "returns": {"paginate": "boto3.PageIterator"},
        "aliases": "botocore.paginate.Paginator",
    },
    "boto3.PageIterator": {
        "family": "boto3",
        "blocking": "build_full_result search",
        "iter": True,
        "aliases": "botocore.paginate.PageIterator",
    },
    "boto3.Waiter": {"family": "boto3", "blocking": "wait", "aliases": "botocore.waiter.Waiter"},
    # `s3.get_object(...)` / `bucket.Object(k).get()` return a dict whose "Body" streams the object from the
    # open HTTP response: reading it is network I/O too (`resp["Body"].read()`)
    "boto3.ObjectResponse": {"subscript": "boto3.StreamingBody", "aliases": "mypy_boto3_s3.type_defs.GetObjectOutputTypeDef"},
    "boto3.StreamingBody": {
        "family": "boto3",
        "blocking": "read readlines iter_lines iter_chunks",
        "iter": True,
        "aliases": "botocore.response.StreamingBody",
    },
    "boto3.Session": {
        "returns": {"client": "boto3.client", "resource": "boto3.resource"},
        "aliases": "boto3.session.Session",
    },
    "boto3.resource": {
        "family": "boto3",
        "blocking": "*",
        "local": "meta get_available_subresources Bucket Object ObjectSummary Table Queue Topic "
        "Subscription PlatformApplication Instance Volume Image KeyPair SecurityGroup Subnet Vpc User "
        "Role Group Policy Stack Vault",
        "returns": {
            "Bucket": "boto3.ResourceObject",
            "Object": "boto3.ResourceObject",
            "ObjectSummary": "boto3.ResourceObject",
            "Table": "boto3.ResourceObject",
            "Queue": "boto3.ResourceObject",
            "Topic": "boto3.ResourceObject",
            "Instance": "boto3.ResourceObject",
        },
        "attrs": {"*": "boto3.ResourceCollection", "meta": "boto3.ResourceMeta"},
        "aliases": "boto3.resources.base.ServiceResource mypy_boto3_s3.S3ServiceResource "
        "mypy_boto3_dynamodb.DynamoDBServiceResource",
    },
    "boto3.ResourceObject": {
        "family": "boto3",
        "blocking": "*",
        "local": "meta get_available_subresources Object ObjectSummary ObjectAcl BucketPolicy",
        "returns": {"Object": "boto3.ResourceObject", "ObjectSummary": "boto3.ResourceObject",
                    "get": "boto3.ObjectResponse"},
        "attrs": {"*": "boto3.ResourceCollection", "meta": "boto3.ResourceMeta"},
        "aliases": "mypy_boto3_s3.service_resource.Bucket mypy_boto3_dynamodb.service_resource.Table",
    },
    # `bucket.objects.filter(...)`: lazy; iteration (and batch actions) call the API
    "boto3.ResourceCollection": {
        "family": "boto3",
        "blocking": "delete",
        "fluent": True,
        "iter": True,
        "item": "boto3.ResourceObject",
    },
    "boto3.ResourceMeta": {"attrs": {"client": "boto3.client"}},
    "aioboto3.Session": {"aliases": "aioboto3.session.Session"},
    # ==== FAK106: Elasticsearch =================================================================
    "elasticsearch.Elasticsearch": {
        "family": "elasticsearch",
        "blocking": "*",
        "local": "options",
        "returns": {"options": "elasticsearch.Elasticsearch"},
        "attrs": {
            "indices": "elasticsearch.Namespace",
            "cluster": "elasticsearch.Namespace",
            "cat": "elasticsearch.Namespace",
            "nodes": "elasticsearch.Namespace",
            "snapshot": "elasticsearch.Namespace",
            "ingest": "elasticsearch.Namespace",
            "tasks": "elasticsearch.Namespace",
            "security": "elasticsearch.Namespace",
            "ml": "elasticsearch.Namespace",
            "transform": "elasticsearch.Namespace",
            "sql": "elasticsearch.Namespace",
            "esql": "elasticsearch.Namespace",
            "eql": "elasticsearch.Namespace",
            "async_search": "elasticsearch.Namespace",
            "ilm": "elasticsearch.Namespace",
            "license": "elasticsearch.Namespace",
            "watcher": "elasticsearch.Namespace",
            "inference": "elasticsearch.Namespace",
        },
        "aliases": "elasticsearch.client.Elasticsearch",
    },
    "elasticsearch.Namespace": {"family": "elasticsearch", "blocking": "*"},
    "elasticsearch.AsyncElasticsearch": {"aliases": "elasticsearch._async.client.AsyncElasticsearch"},
    # ==== FAK106: Google Cloud ==================================================================
    "google.cloud.storage.Client": {
        "family": "gcs",
        "blocking": "get_bucket list_blobs list_buckets create_bucket lookup_bucket "
        "get_service_account_email download_blob_to_file",
        "returns": {
            "bucket": "google.cloud.storage.Bucket",
            "get_bucket": "google.cloud.storage.Bucket",
            "create_bucket": "google.cloud.storage.Bucket",
            "lookup_bucket": "google.cloud.storage.Bucket",
        },
        "aliases": "google.cloud.storage.client.Client",
    },
    "google.cloud.storage.Bucket": {
        "family": "gcs",
        "blocking": "get_blob list_blobs reload patch update delete exists create delete_blob delete_blobs "
        "copy_blob rename_blob make_public make_private get_iam_policy set_iam_policy",
        "returns": {"blob": "google.cloud.storage.Blob", "get_blob": "google.cloud.storage.Blob"},
        "aliases": "google.cloud.storage.bucket.Bucket",
    },
    "google.cloud.storage.Blob": {
        "family": "gcs",
        "blocking": "download_as_bytes download_as_string download_as_text download_to_filename "
        "download_to_file upload_from_string upload_from_filename upload_from_file exists reload delete "
        "patch update compose rewrite make_public make_private open create_resumable_upload_session",
        "returns": {"open": "io.file"},
        "aliases": "google.cloud.storage.blob.Blob",
    },
    "google.cloud.firestore.Client": {
        "family": "firestore",
        "blocking": "*",
        "local": "collection document collection_group batch transaction bulk_writer field_path write_option",
        "returns": {
            "collection": "google.cloud.firestore.Query",
            "collection_group": "google.cloud.firestore.Query",
            "document": "google.cloud.firestore.DocumentReference",
            "batch": "google.cloud.firestore.WriteBatch",
        },
        "aliases": "google.cloud.firestore_v1.client.Client",
    },
    # CollectionReference and Query: builders are lazy; get/stream/add run the RPC
    "google.cloud.firestore.Query": {
        "family": "firestore",
        "blocking": "get stream add list_documents",
        "fluent": True,
        "returns": {"document": "google.cloud.firestore.DocumentReference"},
        "aliases": "google.cloud.firestore.CollectionReference google.cloud.firestore_v1.query.Query "
        "google.cloud.firestore_v1.collection.CollectionReference",
    },
    "google.cloud.firestore.DocumentReference": {
        "family": "firestore",
        "blocking": "get set update delete create collections",
        "returns": {"collection": "google.cloud.firestore.Query"},
        "aliases": "google.cloud.firestore_v1.document.DocumentReference",
    },
    "google.cloud.firestore.WriteBatch": {
        "family": "firestore",
        "blocking": "commit",
        "aliases": "google.cloud.firestore_v1.batch.WriteBatch",
    },
    "google.cloud.firestore.AsyncClient": {"aliases": "google.cloud.firestore_v1.async_client.AsyncClient"},
    # ==== FAK106: Azure =========================================================================
    "azure.storage.blob.BlobServiceClient": {
        "family": "azure",
        "blocking": "*",
        "local": "get_container_client get_blob_client close",
        "returns": {
            "get_container_client": "azure.storage.blob.ContainerClient",
            "get_blob_client": "azure.storage.blob.BlobClient",
        },
    },
    "azure.storage.blob.ContainerClient": {
        "family": "azure",
        "blocking": "*",
        "local": "get_blob_client close",
        "returns": {"get_blob_client": "azure.storage.blob.BlobClient"},
    },
    "azure.storage.blob.BlobClient": {
        "family": "azure",
        "blocking": "*",
        "local": "close",
        "returns": {"download_blob": "azure.storage.blob.StorageStreamDownloader"},
    },
    "azure.storage.blob.StorageStreamDownloader": {
        "family": "azure",
        "blocking": "readall read readinto content_as_bytes content_as_text download_to_stream chunks",
    },
    "azure.cosmos.CosmosClient": {
        "family": "azure",
        "blocking": "*",
        "local": "get_database_client close",
        "returns": {"get_database_client": "azure.cosmos.DatabaseProxy"},
    },
    "azure.cosmos.DatabaseProxy": {
        "family": "azure",
        "blocking": "*",
        "local": "get_container_client",
        "returns": {"get_container_client": "azure.cosmos.ContainerProxy"},
    },
    "azure.cosmos.ContainerProxy": {"family": "azure", "blocking": "*"},
    "azure.aio.Client": {
        "aliases": "azure.storage.blob.aio.BlobServiceClient azure.storage.blob.aio.ContainerClient "
        "azure.storage.blob.aio.BlobClient azure.cosmos.aio.CosmosClient",
    },
    # ==== FAK106: stdlib network clients ========================================================
    "smtplib.SMTP": {
        "family": "smtplib",
        "blocking": "connect helo ehlo ehlo_or_helo_if_needed starttls login auth sendmail send_message "
        "mail rcpt data rset noop quit verify docmd expn",
        "aliases": "smtplib.SMTP_SSL smtplib.LMTP",
    },
    "imaplib.IMAP4": {
        "family": "mail_fetch",
        "blocking": "*",
        "local": "debug",
        "aliases": "imaplib.IMAP4_SSL",
    },
    "poplib.POP3": {"family": "mail_fetch", "blocking": "*", "local": "set_debuglevel", "aliases": "poplib.POP3_SSL"},
    "ftplib.FTP": {
        "family": "ftplib",
        "blocking": "*",
        "local": "set_pasv set_debuglevel debug getwelcome sanitize",
        "aliases": "ftplib.FTP_TLS",
    },
    "socket.socket": {
        "family": "socket",
        "blocking": "connect connect_ex accept recv recv_into recvfrom recvfrom_into recvmsg recvmsg_into "
        "send sendall sendto sendmsg sendfile",
        "returns": {"makefile": "io.file"},
        "aliases": "socket.SocketType",
    },
    "ssl.SSLContext": {
        "family": "ssl",
        "blocking": "load_verify_locations load_cert_chain load_default_certs set_default_verify_paths "
        "wrap_socket",
        "returns": {"wrap_socket": "ssl.SSLSocket"},
    },
    "ssl.SSLSocket": {
        "family": "socket",
        "blocking": "connect connect_ex accept recv recv_into recvfrom recvfrom_into send sendall sendto "
        "sendfile read write do_handshake unwrap",
        "returns": {"makefile": "io.file"},
    },
    # ==== FAK106: messaging, caches, SSH ========================================================
    "pika.BlockingConnection": {
        "family": "pika",
        "blocking": "channel process_data_events sleep close",
        "returns": {"channel": "pika.BlockingChannel"},
        "aliases": "pika.adapters.blocking_connection.BlockingConnection",
    },
    "pika.BlockingChannel": {
        "family": "pika",
        "blocking": "basic_publish basic_consume basic_cancel basic_get basic_ack basic_nack basic_reject "
        "basic_qos basic_recover start_consuming stop_consuming consume cancel queue_declare queue_delete "
        "queue_purge queue_bind queue_unbind exchange_declare exchange_delete exchange_bind exchange_unbind "
        "confirm_delivery tx_select tx_commit tx_rollback close flow get_waiting_message_count",
        "aliases": "pika.adapters.blocking_connection.BlockingChannel",
    },
    "kafka.KafkaProducer": {
        "family": "kafka",
        "blocking": "send flush close partitions_for bootstrap_connected",
        "returns": {"send": "kafka.Future"},
        "aliases": "kafka.producer.KafkaProducer",
    },
    "kafka.Future": {
        "family": "kafka",
        "blocking": "get",
        "aliases": "kafka.producer.future.FutureRecordMetadata",
    },
    "kafka.KafkaConsumer": {
        "family": "kafka",
        "blocking": "poll commit committed position beginning_offsets end_offsets offsets_for_times topics "
        "partitions_for_topic close bootstrap_connected",
        "iter": True,
        "aliases": "kafka.consumer.KafkaConsumer",
    },
    "confluent_kafka.Producer": {"family": "kafka", "blocking": "flush poll list_topics"},
    "confluent_kafka.Consumer": {
        "family": "kafka",
        "blocking": "poll consume commit committed position list_topics close get_watermark_offsets "
        "offsets_for_times",
    },
    "aiokafka.Client": {"aliases": "aiokafka.AIOKafkaProducer aiokafka.AIOKafkaConsumer"},
    "pymemcache.Client": {
        "family": "memcache",
        "blocking": "get get_many get_multi gets gets_many set set_many set_multi add replace append prepend "
        "cas delete delete_many delete_multi incr decr touch stats version flush_all quit close "
        "raw_command cache_memlimit shutdown",
        "aliases": "pymemcache.client.base.Client pymemcache.client.base.PooledClient "
        "pymemcache.client.hash.HashClient pymemcache.client.retrying.RetryingClient",
    },
    "paramiko.SSHClient": {
        "family": "paramiko",
        "blocking": "connect exec_command open_sftp invoke_shell load_system_host_keys load_host_keys "
        "save_host_keys close",
        "returns": {"open_sftp": "paramiko.SFTPClient"},
        "aliases": "paramiko.client.SSHClient",
    },
    "paramiko.SFTPClient": {
        "family": "paramiko",
        "blocking": "*",
        "local": "get_channel",
        "aliases": "paramiko.sftp_client.SFTPClient",
    },
    # ==== FAK107: threads, queues, futures ======================================================
    "threading.Lock": {
        "family": "thread_lock",
        "blocking": "acquire acquire_lock __enter__",
        "aliases": "threading.RLock _thread.LockType _thread.lock _thread.RLock threading._RLock "
        "multiprocessing.synchronize.Lock multiprocessing.synchronize.RLock",
    },
    "threading.Semaphore": {
        "family": "thread_lock",
        "blocking": "acquire __enter__",
        "aliases": "threading.BoundedSemaphore multiprocessing.synchronize.Semaphore "
        "multiprocessing.synchronize.BoundedSemaphore",
    },
    "threading.Event": {
        "family": "thread_wait",
        "blocking": "wait",
        "aliases": "multiprocessing.synchronize.Event",
    },
    # Condition.wait must run in the thread that holds the lock: no to_thread rewrite
    "threading.Condition": {
        "family": "thread_wait",
        "blocking": "wait wait_for acquire __enter__",
        "fixes": {"wait": "display", "wait_for": "display", "acquire": "display", "__enter__": "display"},
        "aliases": "multiprocessing.synchronize.Condition",
    },
    "threading.Barrier": {
        "family": "thread_wait",
        "blocking": "wait",
        "aliases": "multiprocessing.synchronize.Barrier",
    },
    "threading.Thread": {
        "family": "thread_wait",
        "blocking": "join",
        "aliases": "threading.Timer multiprocessing.Process multiprocessing.process.BaseProcess",
    },
    "queue.Queue": {
        "family": "thread_queue",
        "blocking": "get put join",
        "aliases": "queue.LifoQueue queue.PriorityQueue multiprocessing.queues.Queue "
        "multiprocessing.queues.JoinableQueue multiprocessing.queues.SimpleQueue",
    },
    # unbounded: `put()` never blocks (Python docs), only `get()` waits
    "queue.SimpleQueue": {
        "family": "thread_queue",
        "blocking": "get",
    },
    "concurrent.futures.Future": {
        "family": "futures",
        "blocking": "result exception",
        "fixes": {"result": "wrap_future"},
        "replacements": {"result": "`await asyncio.wrap_future(fut)`"},
        "aliases": "concurrent.futures._base.Future",
    },
    "concurrent.futures.Executor": {
        "family": "futures",
        "blocking": "shutdown",
        "returns": {"submit": "concurrent.futures.Future", "map": "concurrent.futures.MapIterator"},
        "offload_methods": {"submit": 1, "map": 1},
        "aliases": "concurrent.futures.ThreadPoolExecutor concurrent.futures.ProcessPoolExecutor "
        "concurrent.futures.thread.ThreadPoolExecutor concurrent.futures.process.ProcessPoolExecutor "
        "concurrent.futures._base.Executor",
    },
    # executor.map() submits everything at once; iterating its result waits for each one
    "concurrent.futures.MapIterator": {"family": "futures", "iter": True},
    "multiprocessing.Pool": {
        "family": "multiprocessing",
        "blocking": "map starmap apply join",
        "returns": {
            "apply_async": "multiprocessing.AsyncResult",
            "map_async": "multiprocessing.AsyncResult",
            "starmap_async": "multiprocessing.AsyncResult",
            "imap": "concurrent.futures.MapIterator",
            "imap_unordered": "concurrent.futures.MapIterator",
        },
        "offload_methods": {
            "map": 1,
            "starmap": 1,
            "apply": 1,
            "apply_async": 1,
            "map_async": 1,
            "starmap_async": 1,
            "imap": 1,
            "imap_unordered": 1,
        },
        "aliases": "multiprocessing.pool.Pool multiprocessing.pool.ThreadPool",
    },
    "multiprocessing.AsyncResult": {
        "family": "multiprocessing",
        "blocking": "get wait",
        "aliases": "multiprocessing.pool.AsyncResult multiprocessing.pool.ApplyResult "
        "multiprocessing.pool.MapResult",
    },
    # ==== FAK107: event loops ===================================================================
    "asyncio.AbstractEventLoop": {
        "family": "asyncio_nested",
        "blocking": "run_until_complete run_forever",
        "fixes": {"run_until_complete": "await_arg", "run_forever": "display"},
        "replacements": {
            "run_forever": "remove it: the event loop is already running; keep a reference to the task "
            "or `await` an `asyncio.Event` instead",
        },
        "offload_methods": {"run_in_executor": 2},
        "aliases": "asyncio.BaseEventLoop asyncio.base_events.BaseEventLoop asyncio.events.AbstractEventLoop "
        "asyncio.SelectorEventLoop asyncio.ProactorEventLoop asyncio.unix_events.SelectorEventLoop",
    },
    "asyncio.Runner": {
        "family": "asyncio_nested",
        "blocking": "run",
        "fixes": {"run": "await_arg"},
        "aliases": "asyncio.runners.Runner",
    },
    # async_to_sync(f) builds a wrapper; calling the wrapper inside the loop raises RuntimeError
    "asgiref.AsyncToSync": {
        "family": "asyncio_nested",
        "blocking": "__call__",
        "replacements": {"__call__": "`await f(...)` directly instead of `async_to_sync(f)(...)`"},
        "aliases": "asgiref.sync.AsyncToSync",
    },
})

MODULE_ROOTS = (
    "time requests httpx urllib urllib3 http xmlrpc os shutil glob tempfile subprocess socket ssl smtplib "
    "ftplib imaplib poplib psycopg2 psycopg psycopg_pool sqlite3 pymysql MySQLdb mysql pyodbc oracledb "
    "cx_Oracle pymssql duckdb sqlalchemy django peewee redis pymongo boto3 elasticsearch supabase postgrest "
    "pika kafka pymemcache paramiko threading queue concurrent multiprocessing asyncio asgiref io pathlib "
    "builtins json pickle codecs gzip bz2 lzma sys getpass"
).split()

# ---- Async I/O sinks, for the loop rules --------------------------------------------------------
# type -> (kind, methods that do one round trip when awaited).  kind "db" feeds FAK301 (N+1 query),
# "net" feeds FAK302 (sequential network awaits).  Blocking families count too (IO_KIND_OF_CODE).
ASYNC_IO = {
    # aiosql: every attribute of the loaded queries is one SQL statement (`await queries.get_user(conn,
    # id=x)` with an async adapter); "*": any public method
    "aiosql.Queries": ("db", "*"),
    "psycopg.AsyncConnection": ("db", "execute"),
    "psycopg.AsyncCursor": ("db", "execute executemany fetchone fetchmany fetchall"),
    "psycopg_pool.AsyncConnectionPool": ("db", ""),
    "asyncpg.Connection": ("db", "execute executemany fetch fetchrow fetchval fetchmany copy_records_to_table"),
    "asyncpg.Pool": ("db", "execute executemany fetch fetchrow fetchval fetchmany"),
    "aiosqlite.Connection": ("db", "execute execute_fetchall execute_insert executemany"),
    "mysql.connector.aio.Connection": ("db", "execute"),
    "aiomysql.Connection": ("db", "query"),
    "aioodbc.Connection": ("db", "execute"),
    "oracledb.AsyncConnection": ("db", "execute fetchall fetchone fetchmany"),
    "sqlalchemy.AsyncConnection": ("db", "execute exec_driver_sql scalar scalars stream stream_scalars"),
    "sqlalchemy.AsyncSession": ("db", "execute scalar scalars get get_one stream stream_scalars refresh merge"),
    "peewee.AsyncDatabase": ("db", "aexecute list get first scalar count exists run"),
    "supabase.AsyncClient": ("net", ""),
    "postgrest.AsyncPostgrestClient": ("net", ""),
    "pymongo.AsyncMongoClient": ("db", ""),
    "redis.asyncio.Redis": ("net", "get set hget hset hgetall mget mset incr expire delete exists publish lpush rpush lrange sadd smembers zadd zrange"),
    "elasticsearch.AsyncElasticsearch": ("net", "search get index update delete count mget msearch bulk"),
    "httpx.AsyncClient": ("net", "get post put patch delete head options request send stream"),
    "aiohttp.ClientSession": ("net", "get post put patch delete head options request ws_connect"),
    # chat platforms: every listed method is one HTTP request to the platform's API
    "discord.Client": ("net", "fetch_user fetch_channel fetch_guild fetch_invite fetch_webhook application_info"),
    "discord.Guild": ("net", "send reply edit delete fetch fetch_message fetch_messages fetch_member fetch_members fetch_ban fetch_user fetch_channel fetch_channels fetch_guild fetch_roles fetch_role fetch_webhooks add_roles remove_roles ban unban kick timeout move_to create_role create_text_channel create_dm add_reaction remove_reaction clear_reactions pin unpin purge delete_messages set_permissions create_thread create_invite publish edit_role_positions webhooks invites pins"),
    "discord.Member": ("net", "send reply edit delete fetch fetch_message fetch_messages fetch_member fetch_members fetch_ban fetch_user fetch_channel fetch_channels fetch_guild fetch_roles fetch_role fetch_webhooks add_roles remove_roles ban unban kick timeout move_to create_role create_text_channel create_dm add_reaction remove_reaction clear_reactions pin unpin purge delete_messages set_permissions create_thread create_invite publish edit_role_positions webhooks invites pins"),
    "discord.TextChannel": ("net", "send reply edit delete fetch fetch_message fetch_messages fetch_member fetch_members fetch_ban fetch_user fetch_channel fetch_channels fetch_guild fetch_roles fetch_role fetch_webhooks add_roles remove_roles ban unban kick timeout move_to create_role create_text_channel create_dm add_reaction remove_reaction clear_reactions pin unpin purge delete_messages set_permissions create_thread create_invite publish edit_role_positions webhooks invites pins"),
    "discord.Message": ("net", "send reply edit delete fetch fetch_message fetch_messages fetch_member fetch_members fetch_ban fetch_user fetch_channel fetch_channels fetch_guild fetch_roles fetch_role fetch_webhooks add_roles remove_roles ban unban kick timeout move_to create_role create_text_channel create_dm add_reaction remove_reaction clear_reactions pin unpin purge delete_messages set_permissions create_thread create_invite publish edit_role_positions webhooks invites pins"),
    "discord.Role": ("net", "edit delete"),
    "discord.ext.commands.Context": ("net", "send reply fetch_message"),
    "telegram.Bot": ("net", "send_message send_photo send_document send_audio send_video send_voice "
                            "send_sticker send_media_group forward_message copy_message edit_message_text "
                            "edit_message_reply_markup delete_message get_chat get_chat_member get_file "
                            "answer_callback_query ban_chat_member unban_chat_member pin_chat_message "
                            "get_chat_administrators set_chat_title leave_chat get_me"),
    "telegram.Message": ("net", "reply_text reply answer reply_photo reply_document edit_text delete forward "
                                "copy pin answer_photo answer_document"),
    # Django's async ORM: each awaited read is one query.  `aget_or_create` is a read first (a SELECT, an INSERT
    # only for a missing row): one per item of a loop is an N+1 (one `filter(key__in=...)` and a `bulk_create` of
    # the missing ones); `aupdate_or_create` always writes (SELECT FOR UPDATE, then UPDATE or INSERT): ordered
    # (and the writes: a write per item is an N+1 too, ``loops``)
    "django.Manager": ("db", "aget afirst alast acount aexists aaggregate alatest aearliest ain_bulk acontains "
                             "aget_or_create acreate aupdate_or_create aupdate adelete"),
    "django.QuerySet": ("db", "aget afirst alast acount aexists aaggregate alatest aearliest ain_bulk acontains "
                              "aget_or_create acreate aupdate_or_create aupdate adelete"),
    "django.Model": ("db", "arefresh_from_db asave adelete"),
    "google.cloud.firestore.AsyncClient": ("db", ""),
    "tortoise.Model": ("db", "get get_or_none filter all exclude create get_or_create update_or_create bulk_create "
                             "bulk_update first exists in_bulk save delete fetch_related refresh_from_db"),
    "tortoise.QuerySet": ("db", "first get get_or_none count exists update delete values values_list all filter "
                                "exclude order_by limit offset prefetch_related select_related"),
    "aioboto3.Session": ("net", ""),
}

# Shapes of awaited round trips on receivers that cannot be typed (loop rules only; the receiver names and
# SQL test are in project.shape_io): database methods, and HTTP verbs on client-like receivers
SHAPE_DB_METHODS = ("execute fetch fetchrow fetchval fetch_one fetch_all fetch_val scalar scalars scalar_one "
                    "scalar_one_or_none find_one find count_documents")
SHAPE_NET_METHODS = "get post put patch delete request"
# ... and API-client methods named for what they fetch (`await evnex_client.get_charge_point_detail(id)`,
# `await api.fetch_devices()`), on receivers named like an API client (not `session`: an ORM's too)
SHAPE_NET_PREFIXES = "get_ fetch_ list_ retrieve_ download_ query_ search_ lookup_"

# Awaited sends whose *receiver* is the destination (a channel, a member, a chat message): sending to one
# destination in a loop keeps the messages in order (chunks of a long text), so FAK302 reports such a loop
# only when the receiver changes with the loop variable (one DM per member).
ORDERED_SENDS = {
    "discord.TextChannel": "send", "discord.Member": "send", "discord.ext.commands.Context": "send reply",
    "discord.Message": "reply edit add_reaction remove_reaction", "telegram.Message": "reply_text reply answer",
}

# Blocking families -> I/O kind for the loop rules (a fake-async callee in a loop is still one
# round trip per iteration).
IO_KIND_OF_CODE = {"FAK101": "db", "FAK102": "net"}
# FAK106 families that are real round trips (not ssl context loading, console input, ...)
IO_KIND_OF_FAMILY = {
    "supabase": "net", "redis": "net", "pymongo": "db", "boto3": "net", "elasticsearch": "net",
    "smtplib": "net", "ftplib": "net", "socket": "net", "dns": "net", "gcs": "net", "firestore": "db",
    "azure": "net", "kafka": "net", "pika": "net", "memcache": "net", "xmlrpc": "net", "paramiko": "net",
    "mail_fetch": "net",
}

# ---- what makes a blocking-looking call not block ----------------------------------------------------

# keyword arguments with these literal values make the call return at once (`q.get(block=False)`,
# `lock.acquire(blocking=False)`, `ev.wait(timeout=0)`); a positional `False` first argument counts too
NONBLOCKING_KEYWORDS = {"blocking": ("False", "0"), "block": ("False", "0"), "timeout": ("0", "0.0")}

# `sock.setblocking(False)` / `sock.settimeout(0)`: the receiver's later calls in the same function raise
# BlockingIOError instead of waiting
NONBLOCKING_MODE_METHODS = {"setblocking": ("False", "0"), "settimeout": ("0", "0.0")}

# memoising decorators: a function they wrap that module-level code calls is warmed at import time, so its
# blocking work does not reach the event loop
MEMOISING_DECORATORS = frozenset(("functools.cache", "functools.lru_cache"))
