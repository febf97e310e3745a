"""FAK106: blocking SDK / network client call inside ``async def``."""
from .base import Rule

RULE = Rule(
    code="FAK106",
    name="blocking-network-client",
    summary="Synchronous SDK, cache, broker or socket call inside an async function",
    default_enabled=True,
    severity="error",
    fix="unsafe",
    doc='''
## What it does
Flags network calls made through synchronous SDKs and clients inside an `async def`:

* Supabase sync client (`create_client`): `.execute()` at the end of `table(...)` / `from_(...)` /
  `rpc(...)` chains, `client.storage.from_(bucket).upload/download/list/...`, `client.auth.*`
  (`sign_in_with_password`, `get_user`, ...), `client.functions.invoke`, and `postgrest.SyncPostgrestClient`;
* redis-py `Redis` / `StrictRedis` / `from_url` / `RedisCluster` commands, `pipeline().execute()`,
  pub/sub and locks;
* PyMongo `MongoClient` -> database -> collection operations (`find_one`, `insert_one`, `aggregate`,
  ...) and iterating a `find()` cursor;
* boto3 clients and resources (every API operation; paginators and waiters), Elasticsearch,
  google-cloud-storage, Firestore, Azure Blob/Cosmos sync clients;
* `smtplib`, `imaplib`, `poplib`, `ftplib`, `paramiko` SSH/SFTP, pika `BlockingConnection`,
  kafka-python and confluent-kafka, pymemcache, the Django cache API;
* blocking sockets (`socket.socket` connect/accept/recv/send, `socket.create_connection`), DNS
  lookups (`socket.getaddrinfo`, `gethostbyname`, ...), TLS certificate loading
  (`ssl.create_default_context`, `SSLContext.load_verify_locations`, `load_cert_chain`, ...);
* console input: `input()`, `getpass.getpass()`, `sys.stdin.readline()`.

The async clients (`acreate_client`, `redis.asyncio`, `AsyncMongoClient`, Motor, aioboto3,
`AsyncElasticsearch`) are known and never flagged.

## Why is this bad?
Each of these calls waits for a remote server (or the user) on the calling thread. Inside a coroutine
that thread runs the event loop, so the wait is added to every other task in the process: a 50 ms Redis
call in a hot path caps the whole service at 20 such calls per second, however many requests are
waiting. Reading certificate files and resolving names look cheap but also hit the disk or the network.

## Example
```python
supabase = create_client(SUPABASE_URL, SUPABASE_KEY)

async def run_sql(sql: str):
    return supabase.rpc("exec_sql_fetch", {"query": sql}).execute()
```

## Use instead
```python
from supabase import acreate_client

async def run_sql(sql: str):
    client = await get_client()  # `await acreate_client(url, key)`, created once
    return await client.rpc("exec_sql_fetch", {"query": sql}).execute()
```
For Redis use `redis.asyncio.Redis` (redis-py 4.2+), for MongoDB `pymongo.AsyncMongoClient`
(stable from PyMongo 4.13), for AWS aioboto3, for input `await asyncio.to_thread(input, prompt)`.

## Fix safety
The fix wraps the single call in `await asyncio.to_thread(...)` (anyio/trio equivalents in those
files). It is **unsafe**: SDK clients are generally not safe to share across threads while other tasks
use them, and cancelling the await does not cancel the request. Client swaps to the async SDKs are shown
as suggestions, because the client is created differently (often with `await` or `async with`).

## Known limitations
Clients built by helper functions are typed only when the helper's return annotation or its `return`
statement says what they are. boto3 operations are generated at runtime, so every public client method
is treated as blocking except the local helpers (`get_paginator`, `get_waiter`, `generate_presigned_url`,
...).
''',
)
