"""Replace a file atomically: write a temporary file beside it, then rename it over the target.

A reader (a concurrent run, an editor) sees the old file or the new one, never a partial write; on any
error the temporary file is removed and the error raised.  ``apply.write_atomic`` (fixes to source
files) adds the checks a user's file needs on top: a regular, writable file, unchanged since it was
read; it keeps mode and owner and asks for a durable write."""
from __future__ import annotations

import os
import tempfile
from typing import Optional, Tuple


def replace_file(path, data: bytes, *, prefix: str = ".tmp-", suffix: str = ".tmp",
                 mode: Optional[int] = None, owner: Optional[Tuple[int, int]] = None, durable: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (``mode``: permission bits, mkstemp's default is 0600;
    ``owner``: (uid, gid) to keep when allowed; ``durable``: fsync before the rename, for a user's file)."""
    directory = os.path.dirname(os.path.abspath(os.fspath(path)))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if owner is not None and hasattr(os, "chown"):
            try:
                os.chown(tmp, *owner)
            except OSError:
                pass  # not allowed to give it away: keep our own owner
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
