"""FAK101: blocking database call inside ``async def``."""
from .base import Rule

RULE = Rule(
    code="FAK101",
    name="blocking-database-call",
    summary="Synchronous database driver or ORM call inside an async function",
    default_enabled=True,
    severity="error",
    fix="sometimes",
    doc='''
## What it does
Flags calls that talk to a database through a synchronous driver or ORM, made directly in the body
of an `async def`:

* DB-API drivers: psycopg2 (`connect`, connection and cursor methods, `psycopg2.extras.execute_values`,
  pool `getconn`), psycopg 3 sync `Connection`/`Cursor`/`ConnectionPool`, sqlite3, PyMySQL,
  mysqlclient (`MySQLdb`), mysql-connector-python, pyodbc, python-oracledb and cx_Oracle, pymssql,
  DuckDB; iterating over one of their cursors.
* SQLAlchemy sync objects: `Engine` (`create_engine`, `engine_from_config`), `Connection`, the raw
  DB-API connection behind `conn.connection` / `engine.raw_connection()`, the ORM `Session`
  (`Session(...)`, `sessionmaker(...)()`, `scoped_session`) and the legacy `session.query(...)` terminals.
* Django ORM: `Manager`/`QuerySet` terminal methods (`get`, `first`, `count`, `create`, `update`, ...),
  iterating over a QuerySet (also through `list()`, `len()`, `sorted()`, `enumerate()`, ...), indexing it
  (`qs[0]`; slices stay lazy), `Paginator.page()` and its counting properties (`paginator.count`,
  `.num_pages`, `.page_range`) or testing it for truth (`if qs:`, `not qs`, `qs or []`, `x if qs else y`,
  `bool(qs)`: it fetches every row; `await qs.aexists()`; a model instance, a manager or a list is tested
  without a query), a membership test (`obj in qs`: `await qs.acontains(obj)`), iterating a raw queryset
  (`Book.objects.raw(sql)`), `Model.save()` / `delete()` / `refresh_from_db()`, a user's permission checks (`user.has_perm(...)`,
  `get_all_permissions()`, ... on `await request.auser()`: `await user.ahas_perm(...)`, Django 5.2+),
  `get_object_or_404`,
  `authenticate`/`login`/`logout`, raw `connection.cursor()`. Managers and querysets carry their model
  (`await Book.objects.filter(...).aget()` gives a `Book`, also through custom managers and custom querysets
  used as managers, `objects = BookQuerySet.as_manager()` or `Manager.from_queryset(BookQuerySet)`, and so does
  `await aget_object_or_404(Book, ...)` / `get_object_or_404(Book.objects..., ...)`, and the items of
  `[b async for b in Book.objects.filter(...)]`, and a value given as a relation field's keyword argument,
  `Review.objects.acreate(book=chat)`, `Review(book=chat)` or `get_object_or_404(Review, book=chat)`, even
  one typed `Any`), so reading a
  `ForeignKey` / `OneToOneField` on such an instance (`book.author`) is reported as the lazy query it
  is, unless the queryset preloaded relations (`select_related` / `prefetch_related`); `book.author_id`
  and plain columns are not queries. The other side of a relation declared on another model (in any
  module) is known too: `author.books` (`related_name="books"`), `author.book_set`, a reverse
  `OneToOneField`, and `ManyToManyField` managers, whose terminals, iteration and `add` / `remove` /
  `clear` / `set` run queries. Django's lazy `request.user`: its first attribute read or method call in
  a function (`request.user.is_authenticated`) loads the session and the user (`await request.auser()`,
  Django 5.0+), and `request.session` methods, items and membership tests (the session loads itself from the database
  backend: `await request.session.aget(key)`, `aset`, `ahas_key`); `request` is a parameter annotated `HttpRequest`, or named `request` in a module that
  imports Django and not Django REST framework (whose `Request` authenticates in its dispatch).
  `get_user_model()` (the project's one class deriving from `AbstractUser` / `AbstractBaseUser`, which
  `ForeignKey(settings.AUTH_USER_MODEL, ...)` names too), Django's own models (`User`, `Group`, `Session`, ...) and a third-party app's
  `models` classes used through `.objects` are models too, and so is a class whose body declares model fields
  (`models.CharField(...)`, a relation, a manager) when its base cannot be followed (a third-party abstract
  model such as django-extensions' `TimeStampedModel`, not installed where the linter runs). A relation read
  gives the related row: reading that row's own relation (`watcher.competition.association`) loads another.
  A queryset held by a local and evaluated before on every path to a later evaluation (`len(qs)`, iteration,
  `bool(qs)`, `[x async for x in qs]`, the name not bound again since) is served from its result cache: the
  later `for x in qs` / `len(qs)` / `qs[0]` is not reported. Django REST framework generic views and
  their mixins: `self.get_object()`, `self.filter_queryset(...)`, `self.paginate_queryset(...)` (adrf has
  `aget_object` / `afilter_queryset`).
* peewee database objects and `pandas.read_sql`.

Receivers are typed from constructors, annotations, `with ... as x`, attribute chains
(`self.engine.connect()`), module globals (also when an initialiser assigns them: `global conn` then
`conn = psycopg2.connect(...)`) and instance attributes; an attribute stored on an object from outside
its class is what reading it on an object of that kind gives: `app.state.db = sqlite3.connect(...)` at
start-up is `request.app.state.db` in a route, `bot.db = ...` is `self.bot.db` in a cog; an `__init__`
parameter without annotation is what the project constructs the class with (`Repo(Database(path))`);
`import redis` then `redis = redis.Redis(...)` makes the module's name the client. Async drivers (asyncpg, psycopg
`AsyncConnection`, aiosqlite, aiomysql, `AsyncEngine`/`AsyncSession`) are known and never flagged.

## Why is this bad?
An event loop runs every coroutine on one thread. A synchronous driver waits for the database
server on a blocking socket (or inside a C library such as libpq), so for the whole round trip the
loop cannot run anything else: every other request, heartbeat and timeout on the process stalls.
A 200 ms query in a request handler adds up to 200 ms of latency to every request in flight.
Django goes further and raises `SynchronousOnlyOperation` when ORM code runs on the loop thread.

## Example
```python
engine = create_engine("postgresql+psycopg2://app@db/app")

async def list_tables(org: str):
    with engine.connect() as conn:
        cur = conn.connection.cursor()
        cur.execute("SELECT name FROM tables WHERE org = %s", (org,))
        return cur.fetchall()

async def book_detail(pk: int):
    return Book.objects.get(pk=pk)
```

## Use instead
```python
engine = create_async_engine("postgresql+asyncpg://app@db/app")

async def list_tables(org: str):
    async with engine.connect() as conn:
        result = await conn.execute(text("SELECT name FROM tables WHERE org = :org"), {"org": org})
        return result.all()

async def book_detail(pk: int):
    return await Book.objects.aget(pk=pk)  # Django 4.1+
```

Short term, move the whole synchronous block into a plain function and run it in a worker thread:
`return await asyncio.to_thread(_list_tables_sync, org)`.

## Fix safety
* Django terminal methods that have an `a`-prefixed twin (`get` -> `aget`, `first` -> `afirst`,
  `save` -> `asave`, ...) are rewritten to `await obj.aname(...)`. This fix is **safe**: the twin has
  the same arguments and result. It needs Django 4.1 (4.2 for `Model.asave`). Review calls inside
  `transaction.atomic()` by hand: transactions do not work in async mode, so move such a block into one
  sync function called with `await sync_to_async(fn)()`. `qs.iterator()` becomes
  `async for obj in qs.aiterator()` by hand, since `aiterator()` is not awaitable.
* Other calls get an **unsafe** fix that wraps the single call in `await asyncio.to_thread(f, ...)`
  (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio or trio code). It is unsafe
  because connections, cursors and sessions are not thread-safe: another task may use the same object
  while the thread runs, and a cancelled await leaves the thread running. Offloading the whole block
  in one function is usually better.
* Driver swaps (psycopg2 -> psycopg 3 async or asyncpg, `Session` -> `AsyncSession`) are shown as
  suggestions only.

## Options
* `blocking-calls`: add your own database helpers (reported as FAK108).
* `allowed-calls`: qualified names or patterns that are never reported, for calls you know are fast.

## Known limitations
Lazy-loaded SQLAlchemy relationship attributes also run a query but are not typed, so they are not
reported; Django relation reads are reported only on values known to be model instances (an untyped
parameter is not one). A QuerySet evaluated by `if qs:` is not reported (`list(qs)`, `len(qs)`,
`sorted(qs)`, `enumerate(qs)` and `qs[0]` are). Peewee model classes are not typed statically; only
database objects are.
''',
)
