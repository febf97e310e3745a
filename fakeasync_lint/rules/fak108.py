"""FAK108: call configured as blocking by the user."""
from .base import Rule

RULE = Rule(
    code="FAK108",
    name="user-configured-blocking-call",
    summary="Call matching a `blocking-calls` pattern from the configuration inside an async function",
    default_enabled=True,
    severity="error",
    fix="none",
    doc='''
## What it does
Flags calls inside an `async def` that match a pattern from the `blocking-calls` setting. Use it for
your own or third-party blocking APIs that the built-in catalog does not know.

A pattern without wildcards is compared with the resolved qualified name of the callee (imports and
aliases are followed, so `from mylib import fetch as f; f()` matches `mylib.fetch`). A pattern with `*`
or `?` (fnmatch syntax) is also matched against the call as written (`self.client.sync_get`), so
`*.sync_get` matches every method named `sync_get`. The configured text is shown as the suggestion.
Calls that a built-in rule (FAK101-FAK107) already reports keep that rule's code.

## Why is this bad?
A call you know to be blocking stalls the event loop for its whole duration, exactly like the catalogued
drivers and clients: no other coroutine runs until it returns.

## Example
```toml
[tool.fakeasync-lint]
blocking-calls = {"mylib.fetch" = "use mylib.afetch", "*.sync_get" = "use .get_async"}
```
```python
import mylib

async def handler(key):
    return mylib.fetch(key)
```

## Use instead
```python
async def handler(key):
    return await mylib.afetch(key)
```

## Fix safety
No fix is offered: the replacement is free text from your configuration.

## Options
* `blocking-calls`: table of `pattern = "suggestion"`, in `[tool.fakeasync-lint]` (pyproject.toml) or
  at the top level of `.fakeasync-lint.toml`.
* `allowed-calls`: patterns that are never reported, by this or any other blocking rule.

## Known limitations
Awaited calls are not matched (an awaited call returns an awaitable, so it is not the blocking API).
Calls that reach a configured function through a sync helper are reported by FAK401.
''',
)
