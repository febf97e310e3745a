"""FAK302: independent network awaits run one after another in a loop."""
from .base import LOOP_FACTS_DOC, Rule

RULE = Rule(
    code="FAK302",
    name="sequential-awaits-in-loop",
    summary="Independent network calls awaited one after another in a loop",
    default_enabled=True,
    severity="warning",
    fix="unsafe",
    doc='''
## What it does
Flags a loop in an `async def` that awaits a network call (HTTP, SDK, or a project coroutine that makes
one) once per element, when the iterations are independent: the call depends on the loop variable, and
no iteration uses a result of an earlier one. Database queries are reported by FAK301 instead. A value
assigned earlier in the same iteration (`url = f".../{path}"`, then `await get(url)`) is that iteration's
own, even when the name was also set before the loop. A loop that awaits one `asyncio.gather` batch per
iteration (`tasks = [fetch(u) for u in urls]`, then `await asyncio.gather(*tasks)`) runs its batches one
after another: reported as *sequential batches* when the batch makes network round trips.

Loops that carry state between iterations (pagination tokens, `while has_more`), sleep, retry or break on
the first success, and `async for` loops, are not reported.

''' + LOOP_FACTS_DOC + '''## Why is this bad?
`await` suspends the coroutine until the response arrives, so the loop sends request 2 only after
response 1: total time is the sum of N round trips instead of roughly the slowest one. The event loop
is idle in between, although it could have had all requests in flight at once. With 50 organisations
and 100 ms per call, the endpoint takes 5 s instead of about 100-200 ms.

## Example
```python
async def org_details(client: httpx.AsyncClient, orgs):
    results = []
    for org in orgs:
        r = await client.get(f"https://api.example.com/orgs/{org.id}")
        results.append(r.json())
    return results
```

## Use instead
Prefer a batch endpoint if the API has one. Otherwise run the calls concurrently, bounded by a
semaphore so that the API's rate limit and the client's connection pool (httpx: 100 connections by
default; aiohttp: 100) are respected:
```python
async def org_details(client: httpx.AsyncClient, orgs):
    sem = asyncio.Semaphore(10)

    async def one(org):
        async with sem:
            r = await client.get(f"https://api.example.com/orgs/{org.id}")
            return r.json()

    return await asyncio.gather(*(one(org) for org in orgs))
```
On Python 3.11+ an `asyncio.TaskGroup` works as well; with anyio use a task group and a
`CapacityLimiter`.

## Fix safety
For the accumulate shapes (`out.append(await f(x))`, `out[k] = await f(x)`,
`[await f(x) for x in xs]`) the fix rewrites the loop to `await asyncio.gather(*(f(x) for x in xs))`.
It is **unsafe**: the calls now run concurrently, so the order of side effects changes, the first
failure no longer stops the remaining calls, and an unbounded gather may exceed rate limits or the
connection pool. Other loop shapes get a suggestion only. The message says whether `gather` is safe:
when each iteration talks to its own receiver (`for peer in peers: await peer.ping()`) the calls share
nothing; when they share one client it is safe for clients that pool or multiplex connections (httpx,
aiohttp, redis.asyncio, a gRPC channel) and not for one raw connection or websocket.

## Known limitations
Independence is decided syntactically (the loop variable flows into the call, no value flows between
iterations); calls with hidden shared state, such as writes that must stay ordered, can still be
reported. Suppress those with `# noqa: FAK302`.
''',
)
