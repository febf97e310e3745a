"""FAK301: N+1 queries through awaits in a loop."""
from .base import LOOP_FACTS_DOC, Rule

RULE = Rule(
    code="FAK301",
    name="n-plus-one-query",
    summary="Database query awaited once per loop iteration with loop-dependent arguments (N+1)",
    default_enabled=True,
    severity="warning",
    fix="displayonly",
    doc='''
## What it does
Flags an `await` inside a loop (`for`, `while`, or a comprehension in an `async def`) whose callee
reaches a database query, directly or through project functions (`self.database.execute_query`), when
the call's arguments depend on the loop variable (`table`, `org["id"]`, `(table,)`, `f"... {org.id}"`).
The classic shape is "1 + N": one query for the list, then one more query per element. The same
queries started together are reported too: `await asyncio.gather(*(load(x) for x in items))`, or
`coros = [load(x) for x in items]` then `await asyncio.gather(*coros)` (still N queries; requests
gathered that way are the fix FAK302 asks for, and stay silent). An awaited library coroutine counts
as a query or a request when the library's own code shows it (see *Libraries* in the README).

A query run in a thread per item is one round trip per item all the same: `await sync_to_async(task.save)()`,
`await sync_to_async(load_rows)(key)`, `await asyncio.to_thread(fetch_row, key)` in a loop are reported when the
callable runs a query (a request run that way is left to FAK302's sequential awaits of async clients).

A blocking query per item is reported too, beside its FAK101 (`for r in qs: r.author.name`, a lazy
relation read per row; `Model.objects.filter(...).exists()` per item): made async, the N round trips
stay. An awaited read whose arguments do not change in a `for` loop or comprehension is reported as a
*repeated query* (the same answer N times: run it once before the loop); not for `for _ in range(n)`.

It is not reported when the loop carries a value from one iteration to the next (pagination cursors,
`while has_more`), when the loop body sleeps or retries, for `async for` over a stream, when the loop
exits on the first success, or when the loop body yields (a generator handing each result on in order).

A write per item is reported as *N+1 writes* (`await row.asave()`, `await Model.objects.acreate(...)`,
`await conn.execute("INSERT ...", row)`, `coll.insert_one(doc)`): one round trip per row, where
`bulk_create` / `bulk_update` / `insert_many` / `executemany` send them in one. Not reported: a project
function that writes (`await set_state(run)` per run: its own steps, often an ordered protocol), the same
write on every iteration (a counter, a status), a blocking write (its FAK101 says it), a `while` loop that
drains a table, a write per chunk (`filter(pk__in=batch).adelete()`, `for i in range(0, len(ids), size)`),
`session.add(row)` (queued until the flush sends them together), migrations, and writes under
`async with lock/transaction` or in a loop that sleeps between them (throttled on purpose).

''' + LOOP_FACTS_DOC + '''## Why is this bad?
Each iteration waits for a full round trip to the database before the next one starts, so the latency
grows linearly with the data: 200 tables at 5 ms each is a one-second request, and with a synchronous
driver underneath (FAK101) that second is spent blocking the event loop. Databases answer one query for
all keys much faster than N queries for one key each.

Running the N queries concurrently with `asyncio.gather` over **one** connection is not a fix: asyncpg
raises `InterfaceError: cannot perform operation: another operation is in progress`, a shared
SQLAlchemy `AsyncSession` raises `IllegalStateChangeError` (concurrent operations are not permitted),
and psycopg 3 or aiosqlite connections silently serialise the queries. Django's async ORM runs through
`sync_to_async`, so gathering gives little parallelism either.

## Example
```python
async def table_files(self, tables: list[str]):
    out = {}
    for table in tables:
        out[table] = await self.database.execute_query(
            "SELECT * FROM files WHERE table_name = %s", (table,)
        )
    return out
```

## Use instead
One query for every key, grouped back in Python:
```python
async def table_files(self, tables: list[str]):
    rows = await self.database.execute_query(
        "SELECT * FROM files WHERE table_name = ANY(%s)", (tables,)
    )
    out = {t: [] for t in tables}
    for row in rows:
        out[row["table_name"]].append(row)
    return out
```
* PostgreSQL: `= ANY(%s)` with a list (psycopg), `= any($1::text[])` (asyncpg), `IN %s` with a tuple
  (psycopg2; `IN ()` is a syntax error for an empty list, `ANY` is not);
* SQLAlchemy: `column.in_(ids)`, or `text("... = ANY(:ids)")`; for relationships `selectinload()` /
  `joinedload()`;
* Django: `filter(pk__in=ids)`, `in_bulk(ids)`, `select_related()` / `prefetch_related()`;
* when the loop variable is an identifier (a different table per iteration), one `UNION ALL` statement
  with safely quoted identifiers (`psycopg.sql.Identifier`), or one query on the catalog tables.

If the queries really cannot be merged, run them concurrently with **one connection per task**
(`async with pool.acquire() as conn` inside each task), bounded by the pool size.

## Fix safety
Display-only: batching changes the result shape, the ordering, the error behaviour (one failure fails
all) and the load on the database, so the rewrite needs a human.

## Known limitations
Whether a project function reaches a query is decided from its body (interprocedurally); functions
whose query is built dynamically or hidden behind an unresolved call are not seen as queries. Small
constant loops (`for t in ("a", "b")`) are reported too.
''',
)
