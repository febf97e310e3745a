"""FAK102: blocking HTTP call inside ``async def``."""
from .base import Rule

RULE = Rule(
    code="FAK102",
    name="blocking-http-call",
    summary="Synchronous HTTP client call inside an async function",
    default_enabled=True,
    severity="error",
    fix="unsafe",
    doc='''
## What it does
Flags HTTP requests made with a synchronous client inside an `async def`:

* `requests.get/post/put/patch/delete/head/options/request` and `requests.Session` methods;
* `httpx.get/post/.../request/stream` and `httpx.Client` methods;
* `urllib.request.urlopen`, `urlretrieve` and `build_opener(...).open`;
* `urllib3.request` and every request method of `PoolManager`, `ProxyManager`,
  `HTTPConnectionPool` and `HTTPSConnectionPool`;
* `http.client.HTTPConnection` / `HTTPSConnection` (`request`, `getresponse`, `send`, ...) and
  reading their responses;
* `xmlrpc.client.ServerProxy` remote calls.

`httpx.AsyncClient` and `aiohttp.ClientSession` are known to be asynchronous and are not flagged.

## Why is this bad?
A synchronous client performs the whole round trip (DNS, connect, TLS handshake, send, wait for the
response) on a blocking socket. The event loop's only thread is stuck in that call for as long as the
remote server takes, so every other coroutine in the process waits too. A slow or hanging upstream
then stalls the whole service rather than one request.

## Example
```python
import requests

async def fetch_org(org_id: str) -> dict:
    r = requests.get(f"https://api.example.com/orgs/{org_id}", timeout=10)
    return r.json()
```

## Use instead
```python
import httpx

client = httpx.AsyncClient(timeout=10)

async def fetch_org(org_id: str) -> dict:
    r = await client.get(f"https://api.example.com/orgs/{org_id}")
    return r.json()
```

## Fix safety
The fix wraps the call: `await asyncio.to_thread(requests.get, url, timeout=10)`. It is **unsafe**:
a shared `requests.Session` or `httpx.Client` is then used from several threads, and cancelling the
await does not stop the request. Switching to an async client is shown as a suggestion, because the
client's lifecycle (`async with`, `aclose()`) and response API change.

## Known limitations
Clients created far from the call (dependency injection, factories returning `Any`) are only typed
when an annotation or a traceable assignment says what they are.
''',
)
