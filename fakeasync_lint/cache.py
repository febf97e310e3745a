"""Per-file summary cache in ``<project root>/.fakeasync_cache/`` (JSON only: nothing read from a
repository can run code).

One file per cache key (``summaries-<salt hash>.jsonl``; the salt covers the tool version, the catalog
and the settings).  Its first line is a header, then one line per file::

    <blake2b-128 of the rest of the line, hex>\\t[path, mtime_ns, size, content digest, summary digest, summary]

* **integrity**: every line carries its own checksum, so a damaged, truncated, interleaved or edited
  line is ignored (that file is analysed again) and never read as a plausible but wrong summary;
* **cheap updates**: a run that re-analysed a few files *appends* their lines (later lines win)
  instead of rewriting tens of megabytes; the file is rewritten whole (temporary file + rename) only
  when dead lines outnumber half the live ones, or when it could not be read;
* **fast reads**: a stat match (mtime, size) skips re-hashing the source; otherwise the content is
  hashed and compared.  The summary digest lets the run cache (``runcache.py``) see that an edit
  changed nothing the analysis records (a comment, trailing text).

A corrupt, foreign or unreadable cache is ignored and rebuilt; a read-only cache directory is simply
not written.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .atomic import replace_file

CACHE_DIR_NAME = ".fakeasync_cache"
FORMAT = 2
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


def _salt_hash(salt: str) -> str:
    return hashlib.blake2b(salt.encode(), digest_size=8).hexdigest()


def summaries_file(directory: Path, salt: str) -> Path:
    return Path(directory) / f"summaries-{_salt_hash(salt)}.jsonl"


def _sum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=16).hexdigest().encode()


def summary_text(summary: dict) -> str:
    return json.dumps(summary, separators=(",", ":"))


def summary_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _line(path: str, mtime: int, size: int, digest: str, sdigest: str, stext: str) -> bytes:
    payload = f"[{json.dumps(path)},{int(mtime)},{int(size)},\"{digest}\",\"{sdigest}\",{stext}]".encode("utf-8")
    return _sum(payload) + b"\t" + payload + b"\n"


def read_entries(file: Path, salt: Optional[str] = None,
                 offsets: Optional[Dict[str, int]] = None) -> Tuple[Optional[str], Dict[str, list], int]:
    """(salt hash from the header or None, {path: entry}, lines read).  Lines that fail their checksum
    or do not have the entry's shape are skipped.  ``offsets``, when given, receives the byte offset of
    each path's (last) line: :func:`read_entry_at` reads it back alone."""
    try:
        with open(file, "rb") as fh:
            data = fh.read()
    except OSError:
        return None, {}, 0
    lines = data.split(b"\n")
    head = lines[0].split(b" ")
    if len(head) != 3 or head[0] != b"fakeasync-cache" or head[1] != str(FORMAT).encode():
        return None, {}, 0
    try:
        shash = head[2].decode("ascii")
    except UnicodeDecodeError:
        return None, {}, 0
    if salt is not None and shash != _salt_hash(salt):
        return None, {}, 0
    entries: Dict[str, list] = {}
    n = 0
    pos = len(lines[0]) + 1
    for ln in lines[1:]:
        at = pos
        pos += len(ln) + 1
        if not ln:
            continue
        n += 1
        check, sep, payload = ln.partition(b"\t")
        if not sep or check != _sum(payload):
            continue
        try:
            e = json.loads(payload)
        except ValueError:  # pragma: no cover - the checksum matched a line we did not write
            continue
        if (isinstance(e, list) and len(e) == 6 and isinstance(e[0], str) and isinstance(e[1], int)
                and isinstance(e[2], int) and isinstance(e[3], str) and isinstance(e[4], str)
                and isinstance(e[5], dict)):
            entries[e[0]] = e
            if offsets is not None:
                offsets[e[0]] = at
    return shash, entries, n


def _entry_of(payload: bytes) -> Optional[list]:
    try:
        e = json.loads(payload)
    except ValueError:
        return None
    if (isinstance(e, list) and len(e) == 6 and isinstance(e[0], str) and isinstance(e[1], int)
            and isinstance(e[2], int) and isinstance(e[3], str) and isinstance(e[4], str)
            and isinstance(e[5], dict)):
        return e
    return None


def read_entry_at(file: Path, offset: int, path: str) -> Optional[list]:
    """The entry ``[path, mtime, size, digest, summary digest, summary]`` whose line starts at ``offset``;
    None when that line is not an intact line of ``path`` (the file was rewritten since, or damaged)."""
    try:
        with open(file, "rb") as fh:
            fh.seek(offset)
            ln = fh.readline().rstrip(b"\n")
    except (OSError, ValueError, OverflowError):
        return None
    check, sep, payload = ln.partition(b"\t")
    if not sep or check != _sum(payload):
        return None
    e = _entry_of(payload)
    if e is None or e[0] != path or not _well_formed(e[5]):
        return None
    return e


class Cache:
    def __init__(self, root: Path, salt: str, directory: Optional[Path] = None):
        self.dir = Path(directory) if directory else Path(root) / CACHE_DIR_NAME
        self.salt = salt
        self.file = summaries_file(self.dir, salt)
        self.entries: Dict[str, list] = {}
        self.lines_on_disk = 0
        self.readable = False
        self.new: Dict[str, bytes] = {}  # path -> line to append
        self.offsets: Dict[str, int] = {}  # path -> byte offset of its line on disk (read_entry_at)
        self._load()

    @property
    def dirty(self) -> bool:
        return bool(self.new)

    def _load(self) -> None:
        shash, entries, n = read_entries(self.file, self.salt, self.offsets)
        if shash is None:
            return
        self.readable = True
        self.entries = entries
        self.lines_on_disk = n

    def digest(self, data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=16, key=self.salt.encode()[:64]).hexdigest()

    def entry(self, path: str) -> Optional[list]:
        return self.entries.get(path)

    def get(self, path: str, module: str) -> Optional[dict]:
        e = self.entries.get(path)
        if e is None:
            return None
        _, mtime, size, digest, sdigest, summary = e
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
            e[1], e[2] = st.st_mtime_ns, st.st_size  # touched, not changed: record the new stat
            self.new[path] = _line(path, st.st_mtime_ns, st.st_size, digest, sdigest, summary_text(summary))
            return summary
        return None

    def put(self, path: str, digest: str, summary: dict, stext: Optional[str] = None) -> Optional[str]:
        """Record a fresh summary; returns its summary digest (None when the file cannot be stat'ed)."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        if stext is None:
            stext = summary_text(summary)
        sdigest = summary_digest(stext)
        self.entries[path] = [path, st.st_mtime_ns, st.st_size, digest, sdigest, summary]
        self.new[path] = _line(path, st.st_mtime_ns, st.st_size, digest, sdigest, stext)
        return sdigest

    def _prepare_dir(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tag = self.dir / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(CACHEDIR_TAG, encoding="utf-8")
        gi = self.dir / ".gitignore"
        if not gi.exists():
            gi.write_text("# Automatically created by fakeasync-lint.\n*\n", encoding="utf-8")

    def save(self) -> None:
        if not self.new:
            return
        try:
            self._prepare_dir()
            live = len(self.entries)
            if self.readable and self.lines_on_disk + len(self.new) <= live + live // 2 + 16:
                self._append()
            else:
                self._rewrite()
        except OSError:
            return  # read-only or full disk: run without a cache
        self.new = {}

    def _header(self) -> bytes:
        return f"fakeasync-cache {FORMAT} {_salt_hash(self.salt)}\n".encode()

    def _append(self) -> None:
        # one write on an O_APPEND descriptor; the leading newline ends a line a crashed or concurrent
        # writer may have left half-written (that line then fails its checksum; ours does not)
        fd = os.open(self.file, os.O_WRONLY | os.O_APPEND)
        try:
            at = os.fstat(fd).st_size + 1  # a concurrent writer makes these wrong: read_entry_at then says so
            os.write(fd, b"\n" + b"".join(self.new.values()))
        finally:
            os.close(fd)
        for path, line in self.new.items():
            self.offsets[path] = at
            at += len(line)
        self.lines_on_disk += len(self.new)

    def _rewrite(self) -> None:
        parts: List[bytes] = [self._header()]
        offsets: Dict[str, int] = {}
        at = len(parts[0])
        for path, e in self.entries.items():
            line = self.new.get(path)
            if line is None:
                line = _line(path, e[1], e[2], e[3], e[4], summary_text(e[5]))
            parts.append(line)
            offsets[path] = at
            at += len(line)
        replace_file(self.file, b"".join(parts), suffix=".jsonl")
        self.offsets = offsets
        _prune_other_keys(self.dir, self.file.name)
        self.lines_on_disk = len(self.entries)
        self.readable = True


# summary caches of other keys (other settings, older tool versions) kept beside the current one: a
# project linted with two configurations keeps both warm; older ones (~100 MB each on a large project)
# are removed when a new one is written
KEEP_KEYS = 3


def _prune_other_keys(directory: Path, current: str) -> None:
    try:
        found = []
        for entry in os.scandir(directory):
            name = entry.name
            if name == current or not name.startswith("summaries-"):
                continue
            if name.endswith(".json"):  # format 1 (before checksummed lines): never read again
                os.unlink(entry.path)
            elif name.endswith(".jsonl"):
                found.append((entry.stat().st_mtime_ns, entry.path))
        found.sort(reverse=True)
        for _, path in found[KEEP_KEYS - 1:]:
            os.unlink(path)
    except OSError:
        return


def append_entries(directory: Path, salt: str, items) -> Dict[str, int]:
    """Append ``(path, digest, summary, summary text)`` lines to an existing, readable cache file of
    this salt without loading it (the next full load compacts it if needed).  Returns the byte offset
    of each appended line."""
    if not items:
        return {}
    file = summaries_file(directory, salt)
    header = f"fakeasync-cache {FORMAT} {_salt_hash(salt)}".encode()
    lines = []
    for path, digest, summary, stext in items:
        try:
            st = os.stat(path)
        except OSError:
            continue
        lines.append((path, _line(path, st.st_mtime_ns, st.st_size, digest, summary_digest(stext), stext)))
    offsets: Dict[str, int] = {}
    try:
        with open(file, "rb") as fh:
            if fh.readline().rstrip(b"\n") != header:
                return {}
        fd = os.open(file, os.O_WRONLY | os.O_APPEND)
        try:
            at = os.fstat(fd).st_size + 1
            os.write(fd, b"\n" + b"".join(ln for _p, ln in lines))
        finally:
            os.close(fd)
    except OSError:
        return {}
    for path, ln in lines:
        offsets[path] = at
        at += len(ln)
    return offsets
