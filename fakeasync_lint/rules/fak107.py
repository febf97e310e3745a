"""FAK107: thread waits and nested event loops inside ``async def``."""
from .base import Rule

RULE = Rule(
    code="FAK107",
    name="blocking-thread-wait",
    summary="Thread lock/queue/future wait or nested event loop inside an async function",
    default_enabled=True,
    severity="error",
    fix="sometimes",
    doc='''
## What it does
Flags calls that wait for another thread or process, or that try to run an event loop, inside an
`async def`:

* `threading.Lock` / `RLock` / `Semaphore` / `BoundedSemaphore` `acquire()` (and `with lock:`),
  `threading.Event.wait()`, `Condition.wait()`, `Barrier.wait()`, `Thread.join()`, and the
  `multiprocessing` equivalents;
* `queue.Queue` / `LifoQueue` / `PriorityQueue` / `SimpleQueue` `get()`, `put()` and `join()`
  (`get_nowait()` / `put_nowait()` are fine);
* `concurrent.futures.Future.result()` / `exception()` (including futures from `executor.submit` and
  `asyncio.run_coroutine_threadsafe`), `concurrent.futures.wait`, `as_completed`, iterating
  `executor.map(...)`, `executor.shutdown()`, `multiprocessing.Pool.map/apply` and `AsyncResult.get()`;
* `asyncio.run(...)`, `loop.run_until_complete(...)`, `loop.run_forever()`, `asyncio.Runner.run`,
  `asgiref.sync.async_to_sync(f)(...)`, `anyio.from_thread.run` / `trio.from_thread.run`.

## Why is this bad?
A thread wait holds the event loop thread until some other thread acts. While it waits, no coroutine
runs, including the ones that may be needed to make progress, so a wait on the loop thread for work
scheduled on the same loop deadlocks (`asyncio.run_coroutine_threadsafe(coro, loop).result()` from the
loop itself never returns). Starting a loop inside a running loop fails outright:
`asyncio.run()` raises `RuntimeError: asyncio.run() cannot be called from a running event loop`, and
`run_until_complete` raises `This event loop is already running`.

## Example
```python
async def handler(job_id):
    result = executor.submit(compute, job_id).result()
    asyncio.run(notify(job_id))
    return result
```

## Use instead
```python
async def handler(job_id):
    result = await asyncio.wrap_future(executor.submit(compute, job_id))
    await notify(job_id)
    return result
```
Between coroutines use `asyncio.Lock`, `asyncio.Event` and `asyncio.Queue`; between threads and
coroutines, `await asyncio.to_thread(q.get)` or a library such as janus.

## Fix safety
* `asyncio.run(coro)` and `loop.run_until_complete(coro)` -> `await coro`: **safe** when the argument is
  a coroutine call; the call could never have worked inside a running loop.
* `fut.result()` -> `await asyncio.wrap_future(fut)`: **safe** when no `timeout` argument is passed
  (wrap the await in `asyncio.wait_for` to keep one).
* Event, barrier, join and queue waits get an **unsafe** `await asyncio.to_thread(obj.wait)` fix: a
  cancelled await leaves the worker thread waiting (and a queue item may be consumed by a task that no
  longer exists).
* Lock acquisition and `Condition.wait` have no automatic fix: a lock acquired in a worker thread is
  owned by that thread (`RLock`, `Condition`), and a cancelled acquisition would leave the lock held.
  The suggestion is to switch to `asyncio.Lock` when only coroutines use it.

## Known limitations
A `with lock:` on a `threading.Lock` / `RLock` whose critical section is brief is not reported: the
section makes no blocking call, calls nothing in the project, calls no method of a third-party object
(`self._client = pyads.Connection(...)`: what it does is unknown) and runs no loop (`with self._lock:
self._events.pop(key, None)`), so the lock is held for microseconds. Only that section is read: a thread
that holds the same lock across slow work elsewhere can still make the event loop wait here, and that is
not seen (the slow section is reported where it runs on the event loop). Sections that call into the
project are reported even when the callee is quick; suppress those with `# noqa: FAK107` after review.
`lock.acquire()` outside a `with` is always reported.
''',
)
