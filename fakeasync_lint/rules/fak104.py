"""FAK104: blocking file or OS I/O inside ``async def``."""
from .base import Rule

RULE = Rule(
    code="FAK104",
    name="blocking-file-io",
    summary="Synchronous file-system call inside an async function",
    default_enabled=True,
    severity="error",
    fix="unsafe",
    doc='''
## What it does
Flags file and file-system I/O done synchronously inside an `async def`:

* `open`, `io.open`, `io.open_code`, `os.fdopen`, `gzip.open`, ... and the methods of the file object
  they return (`read`, `write`, `readline`, `seek`, `flush`, ..., iteration over the file);
* `pathlib.Path` methods that touch the disk (`read_text`, `write_bytes`, `exists`, `stat`, `mkdir`,
  `iterdir`, `glob`, `resolve`, ...) and `Path.cwd()` / `Path.home()`; pure path arithmetic
  (`with_suffix`, `joinpath`, `parent`) is not flagged;
* `os` file-system calls (`stat`, `listdir`, `scandir`, `walk`, `makedirs`, `remove`, `rename`, ...)
  and the `os.path` functions that query the disk (`exists`, `isfile`, `getsize`, `realpath`,
  `abspath`, ...), but not the string helpers (`join`, `basename`, `dirname`, `splitext`);
* `shutil` copies, moves and deletes, `glob.glob`, `tempfile` files and directories;
* `json.load/dump`, `pickle.load/dump` and `pandas.read_csv`-style readers.

## Why is this bad?
Disk access is blocking I/O: a system call that can take milliseconds on a local SSD and much longer
on a network file system, a busy disk or a cold cache. The event loop thread waits for it and runs
nothing else meanwhile. Operating systems offer no portable non-blocking file I/O, which is why async
libraries run file operations in worker threads.

## Example
```python
async def load_config(path: str) -> dict:
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)
```

## Use instead
```python
import anyio

async def load_config(path: str) -> dict:
    p = anyio.Path(path)
    if not await p.exists():
        return {}
    return json.loads(await p.read_text())
```
`aiofiles.open(...)` and `await asyncio.to_thread(_load_config_sync, path)` work as well.

## Fix safety
The fix wraps a single call in `await asyncio.to_thread(...)` (or the anyio/trio equivalent). It is
**unsafe**: a file object is not safe to use from several threads at once, a cancelled await leaves the
operation running, and wrapping the `open()` alone does not help the reads and writes that follow. The
usual manual fix is to move the whole open-read-close block into one function and offload that.

## Options
`allowed-calls` silences calls known to be cheap in your deployment, for example reads under
`/proc` or from an in-memory file system.

## Known limitations
A parameter annotated `typing.TextIO` / `IO[bytes]` is assumed to be a real file even when callers pass
an `io.StringIO`. Small reads at startup are reported like any other; suppress them with
`# noqa: FAK104` when they are deliberate.
''',
)
