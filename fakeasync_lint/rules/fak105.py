"""FAK105: blocking subprocess call inside ``async def``."""
from .base import Rule

RULE = Rule(
    code="FAK105",
    name="blocking-subprocess",
    summary="Synchronous subprocess or process-wait call inside an async function",
    default_enabled=True,
    severity="error",
    fix="unsafe",
    doc='''
## What it does
Flags process management that waits on the calling thread inside an `async def`:
`subprocess.run`, `call`, `check_call`, `check_output`, `getoutput`, `getstatusoutput`,
`subprocess.Popen` and its `wait()` / `communicate()` / pipe reads, `os.system`, `os.popen`,
`os.posix_spawn[p]`, the eight `os.spawn*` variants and `os.wait`, `wait3`, `wait4`, `waitid`, `waitpid`.

## Why is this bad?
These calls fork and exec a child, then block until it exits or produces output. A command that runs
for a second freezes the event loop for a second; one that hangs freezes it forever. asyncio, anyio
and trio all provide subprocess APIs that wait for the child without blocking the loop.

## Example
```python
async def convert(src: str, dst: str) -> None:
    subprocess.run(["ffmpeg", "-i", src, dst], check=True)
```

## Use instead
```python
async def convert(src: str, dst: str) -> None:
    proc = await asyncio.create_subprocess_exec("ffmpeg", "-i", src, dst)
    if await proc.wait() != 0:
        raise RuntimeError("ffmpeg failed")
```
With anyio: `await anyio.run_process(["ffmpeg", "-i", src, dst])`.

## Fix safety
The fix wraps the call: `await asyncio.to_thread(subprocess.run, [...], check=True)`. It keeps
`check=`, `timeout=`, `capture_output=` and `text=`, but it is **unsafe**: cancelling the await does not
kill the child, and the default thread pool is small, so many concurrent children can exhaust it. The
rewrite to `asyncio.create_subprocess_exec` is suggested only, because `check`, `text` and `timeout`
have no direct equivalent there.
''',
)
