"""Per-file summary cache in ``<project root>/.fakeasync_cache/`` (JSON only: nothing read from a
repository can run code).

Keyed by the salt (tool version + catalog + settings fingerprint) in the file name, then per file by
path, module name and content hash.  A stat match (mtime, size) skips re-hashing; otherwise the content
is hashed and compared.  Written atomically (temporary file + rename); a corrupt, foreign or
unreadable cache is ignored and rebuilt; a read-only cache directory is simply not written.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Dict, Optional

CACHE_DIR_NAME = ".fakeasync_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by fakeasync-lint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


_SUMMARY_KEYS = {"v": int, "functions": dict, "classes": dict, "globals": dict, "imports": dict,
                 "module_calls": list, "noqa": dict, "lib": str}


def _well_formed(summary: dict) -> bool:
    for k, t in _SUMMARY_KEYS.items():
        if not isinstance(summary.get(k), t):
            return False
    for f in summary["functions"].values():
        if not isinstance(f, dict) or not isinstance(f.get("calls"), list) or "async" not in f:
            return False
    return True


def summaries_file(directory: Path, salt: str) -> Path:
    return Path(directory) / f"summaries-{hashlib.blake2b(salt.encode(), digest_size=8).hexdigest()}.json"


class Cache:
    def __init__(self, root: Path, salt: str, directory: Optional[Path] = None):
        self.dir = Path(directory) if directory else Path(root) / CACHE_DIR_NAME
        self.salt = salt
        self.file = summaries_file(self.dir, salt)
        self.entries: Dict[str, list] = {}
        self.dirty = False
        self._load()

    def _load(self) -> None:
        try:
            with open(self.file, "rb") as fh:
                data = json.loads(fh.read().decode("utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return
        if not isinstance(data, dict) or data.get("salt") != self.salt or not isinstance(data.get("files"), dict):
            return
        self.entries = data["files"]

    def digest(self, data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=16, key=self.salt.encode()[:64]).hexdigest()

    def get(self, path: str, module: str) -> Optional[dict]:
        e = self.entries.get(path)
        if not isinstance(e, list) or len(e) != 4 or not isinstance(e[3], dict):
            return None
        mtime, size, digest, summary = e
        if summary.get("module") != module or summary.get("path") != path:
            return None
        if not _well_formed(summary):
            return None  # a damaged entry: analyse the file again
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None  # replaced by a FIFO/device: never open it here
        if st.st_mtime_ns == mtime and st.st_size == size:
            return summary
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        if self.digest(data) == digest:
            e[0], e[1] = st.st_mtime_ns, st.st_size
            self.dirty = True
            return summary
        return None

    def put(self, path: str, digest: str, summary: dict) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        self.entries[path] = [st.st_mtime_ns, st.st_size, digest, summary]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tag = self.dir / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(CACHEDIR_TAG, encoding="utf-8")
            gi = self.dir / ".gitignore"
            if not gi.exists():
                gi.write_text("# Automatically created by fakeasync-lint.\n*\n", encoding="utf-8")
            payload = json.dumps({"salt": self.salt, "files": self.entries}, separators=(",", ":"))
            fd, tmp = tempfile.mkstemp(dir=str(self.dir), prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(payload)
                os.replace(tmp, self.file)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return  # read-only or full disk: run without a cache
        self.dirty = False
