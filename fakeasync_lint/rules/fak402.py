"""FAK402: awaited async function blocks the loop (fake async)."""
from .base import Rule

RULE = Rule(
    code="FAK402",
    name="awaits-fake-async-function",
    summary="Awaits an async function that blocks the event loop inside (fake async)",
    default_enabled=False,
    severity="warning",
    fix="none",
    doc='''
## What it does
Flags an `await` of a project `async def` that blocks the event loop somewhere inside: its own body,
or a function it calls, contains a blocking call. The diagnostic is placed at the await in the caller
and traces down to the blocking line.

This rule is off by default because the blocking line itself is already reported (FAK101-FAK108 in the
callee, FAK401 for sync helpers) and FAK403 summarises it per endpoint. Enable it
(`extend-select = ["FAK402"]`) to see every call site that inherits the problem, for example while
auditing which callers are affected before converting a function.

## Why is this bad?
`await fake_async()` looks asynchronous to the caller, but the awaited coroutine runs its blocking call
on the loop thread before it ever suspends, so the `await` gives no concurrency at all. The most
telling sign is an `async def` that contains no `await` and a blocking call: the `async` keyword only
hides the problem from its callers.

## Example
```python
class PostgreSQLProvider:
    async def execute_query(self, query, params):
        with self.engine.connect() as connection:
            cursor = connection.connection.cursor()
            cursor.execute(query, params)
            return cursor.fetchall()

async def get_tables(db: PostgreSQLProvider, org: str):
    return await db.execute_query("SELECT * FROM table_master WHERE org = %s", (org,))
```

## Use instead
Make the callee really asynchronous (an async driver), or offload its blocking part:
```python
class PostgreSQLProvider:
    def _execute_query_sync(self, query, params):
        with self.engine.connect() as connection:
            cursor = connection.connection.cursor()
            cursor.execute(query, params)
            return cursor.fetchall()

    async def execute_query(self, query, params):
        return await asyncio.to_thread(self._execute_query_sync, query, params)
```

## Fix safety
No fix at the await: the change belongs in the awaited function.

## Options
Opt-in: `extend-select = ["FAK402"]`, or `select` it explicitly.
''',
)
