"""FAK103: time.sleep inside ``async def``."""
from .base import Rule

RULE = Rule(
    code="FAK103",
    name="blocking-sleep",
    summary="time.sleep() inside an async function",
    default_enabled=True,
    severity="error",
    fix="safe",
    doc='''
## What it does
Flags `time.sleep(...)` (also imported as `from time import sleep`) in the body of an `async def`.

## Why is this bad?
`time.sleep` suspends the whole thread. In a coroutine that thread is the event loop's, so nothing
else runs until the sleep ends: a one-second retry back-off freezes every other request for one
second. `asyncio.sleep` suspends only the current task and lets the loop run the others.

## Example
```python
import time

async def poll(job):
    while not await job.done():
        time.sleep(1)
```

## Use instead
```python
import asyncio

async def poll(job):
    while not await job.done():
        await asyncio.sleep(1)
```
In anyio or trio code the fix uses `await anyio.sleep(1)` / `await trio.sleep(1)`.

## Fix safety
The fix rewrites `time.sleep(x)` to `await asyncio.sleep(x)` (or the file's async library) and adds
the import. It is **safe**: the delay is the same. The only behavioural difference is the new
suspension point, where other tasks may run and where the task can now be cancelled, which is the
point of the change. The fix is offered only for calls directly in the `async def` body, not in
nested functions or lambdas.

`check --fix` (and `--diff`, and the language server's quick fix and fix-all) also removes the module's `import time` (or `from time import sleep`)
when, after all the fixes, the name it binds is used nowhere else in the file: `import time, os`
becomes `import os`, `from time import sleep, monotonic` becomes `from time import monotonic`. An
import whose name still appears anywhere (a clock read, a sync function's `sleep`, a string such as
`__all__`), one with a `noqa` comment, one that was unused before the fix, and the imports of a
package's `__init__.py` (re-exports) stay.
''',
)
