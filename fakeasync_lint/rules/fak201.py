"""FAK201: synchronous engine or client built for async code."""
from .base import Rule

RULE = Rule(
    code="FAK201",
    name="sync-engine-in-async-code",
    summary="Synchronous database engine or SDK client created in (or for) async code",
    default_enabled=True,
    severity="warning",
    fix="displayonly",
    doc='''
## What it does
Flags the construction of a synchronous database engine or SDK client in a module that has async
functions, or that is imported by one:

* SQLAlchemy `create_engine(...)` / `engine_from_config(...)`. `create_engine` always builds a
  synchronous engine, whatever the URL says: `postgresql+psycopg2://`, `postgresql://`, `sqlite://`,
  `mysql+pymysql://` all give blocking drivers, and even `postgresql+asyncpg://` under `create_engine`
  only fails later with `MissingGreenlet`.
* Supabase `create_client(url, key)`, which builds a client whose every `.execute()` is a blocking
  HTTP call.

This is the architectural root that the per-call rules (FAK101, FAK106) keep reporting: fix it once here.

## Why is this bad?
Every query or request made through a synchronous engine or client blocks the event loop (see FAK101
and FAK106). As long as the application's shared engine is synchronous, each async endpoint that uses
it is fake async: it awaits nothing, runs its I/O on the loop thread and serialises the whole service.

## Example
```python
from sqlalchemy import create_engine
from supabase import create_client

engine = create_engine("postgresql+psycopg2://app@db/app", pool_size=10)
supabase = create_client(SUPABASE_URL, SUPABASE_KEY)
```

## Use instead
```python
from sqlalchemy.ext.asyncio import create_async_engine
from supabase import acreate_client

engine = create_async_engine("postgresql+asyncpg://app@db/app", pool_size=10)

async def get_supabase():
    return await acreate_client(SUPABASE_URL, SUPABASE_KEY)
```
URL rewrites suggested with the engine: `postgresql+psycopg2://`, `postgresql://` and `postgres://`
-> `postgresql+asyncpg://` (or `postgresql+psycopg://`, which keeps `%s` placeholders in raw SQL),
`sqlite://` -> `sqlite+aiosqlite://`, `mysql+pymysql://` -> `mysql+aiomysql://`.

## Fix safety
The suggestion is **display-only** and never applied: switching to `create_async_engine` changes every
use site (`async with engine.connect()`, `await conn.execute(...)`, `AsyncSession`), changes the driver
(asyncpg uses `$1` placeholders in raw SQL), and needs the async driver installed.

## Known limitations
Only literal URLs are rewritten in the suggestion; a URL read from the environment is reported with a
generic suggestion. Engines used only by sync code (scripts, Celery workers, migrations) in a package
that also has async code are reported too; suppress them with `# noqa: FAK201` or `per-file-ignores`.
''',
)
