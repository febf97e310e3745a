"""FAK403: an entry point reaches blocking code."""
from .base import Rule

RULE = Rule(
    code="FAK403",
    name="blocking-entry-point",
    summary="HTTP/websocket endpoint or startup handler reaches blocking code",
    default_enabled=True,
    severity="warning",
    fix="none",
    doc='''
## What it does
Reports, on the definition of an entry point, every blocking call the entry point reaches through its
call graph, with one trace per blocking line. Entry points are `async def` functions that are:

* HTTP routes: decorated with a call whose name ends in an HTTP verb, `route`, `api_route` or `view`
  and whose first argument is a path (`@app.get("/items")`, `@router.post("/x")`,
  `@app.route("/", methods=["POST"])`, `@bp.get(...)`), which covers FastAPI, Starlette, Flask/Quart
  and similar routers; router prefixes (`APIRouter(prefix="/api")`) are added to the path;
* websocket handlers: `@app.websocket("/ws")`, `@app.websocket_route(...)`;
* startup and shutdown handlers: `@app.on_event("startup")` / `("shutdown")`, and a module-level
  `lifespan` function;
* Django async views: public module-level `async def` functions in a `views` module.

The message names the route (`GET /tables`) and the path through the code
(`get_tables` → `FileProcessingService.get_tables` → `PostgreSQLProvider.execute_query`), then lists the
blocking lines in each file, so one diagnostic answers "why is this endpoint slow under load".

## Why is this bad?
An async endpoint runs on the event loop that serves every other request of the worker. A blocking call
anywhere below it, however many calls deep, stalls all concurrent requests, websockets and background
tasks of that process, so the tail latency of the whole service is set by its slowest blocking path.
FastAPI runs plain `def` endpoints in a thread pool, but `async def` endpoints run on the loop: declaring
an endpoint `async` is what makes the blocking code below it harmful.

## Example
```python
@router.get("/tables")
async def get_tables(user=Depends(current_user)):
    return await file_processing_service.get_tables(org_slug=user.org_slug)
    # ... -> PostgreSQLProvider.execute_query -> cursor.execute() (blocking)
```

## Use instead
Fix the blocking lines listed in the diagnostic (see FAK101-FAK108 for each family), for example by
making the provider really asynchronous:
```python
class PostgreSQLProvider:
    async def execute_query(self, query, params):
        async with self.pool.connection() as conn:  # psycopg_pool.AsyncConnectionPool
            cur = await conn.execute(query, params)
            return await cur.fetchall()
```
When the whole chain below the endpoint is synchronous, declaring the endpoint with plain `def` is also
a valid fix in FastAPI/Starlette: it then runs in the thread pool and no longer blocks the loop.
```python
@router.get("/tables")
def get_tables(user=Depends(current_user)):
    return file_processing_service.get_tables_sync(org_slug=user.org_slug)
```

## Fix safety
No fix: this diagnostic summarises the blocking calls, which carry their own fixes.

## Known limitations
Entry points are recognised from decorators and naming conventions only; routes registered with
calls (`app.add_api_route(...)`, aiohttp route tables, loops over handler tables) are not seen, and
class-based views are not treated as entry points. Each entry point is reported once per
file containing blocking calls, with up to six lines listed.
''',
)
