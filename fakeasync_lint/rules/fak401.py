"""FAK401: async function calls a sync project function that blocks."""
from .base import Rule

RULE = Rule(
    code="FAK401",
    name="calls-blocking-function",
    summary="Async function calls a synchronous project function that blocks, possibly many calls deep",
    default_enabled=True,
    severity="error",
    fix="none",
    doc='''
## What it does
Flags a call, inside an `async def`, to a regular (`def`) function or method of your project whose body
reaches a blocking call: directly (a catalogued API or a `blocking-calls` pattern) or through other sync
functions, any number of calls deep, across modules. The message shows the whole chain, for example
``calls `Repo.load()`, which blocks: `Repo.load` → `Repo._query` → `cursor.execute()` (app/repo.py:42)``,
and the diagnostic carries one trace frame per step down to the blocking line.

Calls passed to a thread offloader (`asyncio.to_thread(repo.load, x)`, `loop.run_in_executor`,
`anyio.to_thread.run_sync`, `run_in_threadpool`, `sync_to_async`) are not reported.

## Why is this bad?
Wrapping I/O in a helper does not make it asynchronous: the helper still runs on the event loop
thread, and the loop is blocked for as long as the helper's slowest call takes. Because the blocking
line is in another function (often another file), rules that look only at the `async def` body miss
it; this is the most common way fake-async code survives review.

## Example
```python
class Repo:
    def load(self, key):
        with self.engine.connect() as conn:
            return conn.execute(select(Item).where(Item.key == key)).all()

async def get_item(repo: Repo, key: str):
    return repo.load(key)
```

## Use instead
```python
async def get_item(repo: Repo, key: str):
    return await asyncio.to_thread(repo.load, key)
```
or make the chain asynchronous down to the driver (`async def load`, `AsyncEngine`, `await conn.execute`).

## Fix safety
No automatic fix: whether the helper can safely run in a worker thread (shared sessions, thread-locals
such as Django's connection) or should become async depends on the code around it.

## Known limitations
Calls through values whose type is unknown (untyped parameters, `getattr`, registries) are not
followed. Dynamic dispatch picks the method defined on the statically known class.
''',
)
