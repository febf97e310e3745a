"""Rule metadata: one module per rule (``fak101.py`` ...), each defining ``RULE``."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str  # "FAK101"
    name: str  # kebab-case, e.g. "blocking-database-call"
    summary: str  # one line, shown by `fakeasync-lint rules`
    doc: str  # Markdown: what it does, why it blocks, example, use instead, fix safety
    default_enabled: bool = True
    severity: str = "error"  # info | warning | error
    fix: str = "none"  # "safe" | "unsafe" | "displayonly" | "sometimes" | "none"

    @property
    def url(self) -> str:
        return f"https://github.com/fakeasync-lint/fakeasync-lint/blob/main/docs/rules.md#{self.code.lower()}"


# what the loop rules (FAK301, FAK302) count as a round trip, and the loops they leave alone
LOOP_FACTS_DOC = """What counts as one round trip per iteration: an awaited call of an async database or network client
(asyncpg, SQLAlchemy `AsyncSession`, aiosqlite, psycopg 3 async, motor, redis.asyncio, httpx /
aiohttp, Django's async ORM `aget` / `afirst` / `acount` ..., discord.py guilds, members, channels and
messages, python-telegram-bot / aiogram `Bot` methods), `async with session.get(url)`, or a project
function that reaches one, any number of calls deep. Where the receiver cannot be typed, these
*shapes* count: `await x.execute|fetch|fetchrow|fetchval|scalar(s)(...)` whose first argument is SQL
text or a SQL builder (`select(...)`, `text(...)`), or whose receiver is named like a database handle
(`cursor`, `conn`, `db`, `session`, `pool`, ...); `await x.get|post|put|patch|delete|request(...)` on a
receiver named like an HTTP client (`client`, `session`, `http`, `api`); `await x.get_*|fetch_*|
list_*|retrieve_*|download_*|query_*|search_*|lookup_*(...)` on a receiver named like an API client
(`client`, `http`, `api`: `evnex_client.get_charge_point_detail(cp.id)`). aiosql query functions
(`await queries.get_user(conn, id=x)`) are queries. An abstract method reaches its implementations.
`async for` over a Django queryset is one query, so an awaited query per row inside it is an N+1. A
comprehension of queries handed to `asyncio.gather(*[...])` is still N queries, and on one session or
connection they cannot run concurrently: reported as FAK301 with that reason (gathered *requests* are
FAK302's fix, not a finding).

Left alone: loops over a literal, loops over a batching helper (`for chunk in chunked(ids, 1000)`),
values carried to the next iteration (also through in-place changes: `params["page"] = nxt`,
`outputs.update(step)`), loops that drain a queue (`q.popleft()`, `q.get_nowait()`), messages sent to
one destination in order (`channel.send(chunk)`; a send to a receiver that changes with the loop,
`member.send(...)`, is reported), retries and sleeps, `break` (or `return`) on the first result,
`async for` over a stream. A `break` or `return` in a failure branch (`if not data:`, `if x is None:`,
`if x is False:`, an `except` block) gives up on an error: every good iteration still waits, so the
loop is reported.

"""
