"""Find files, reuse cached summaries, analyse the rest in worker processes, run the project rules.

The index always covers the whole project root (so a pre-commit run on one changed file still
resolves calls into the rest of the project); diagnostics are reported only for the paths given.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

from . import __version__, catalog
import stat as _stat

from .cache import CACHE_DIR_NAME, Cache
from .config import Settings
from .discovery import discover, is_excluded, module_name_for
from .models import Diagnostic

# libcst (analysis), the project index and the rules are imported only when something must be analysed:
# a warm run that reuses the whole-run cache never pays for them.

# Below this many files to analyse, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 24

# How worker processes start: None = the platform default (fork on Linux: the CLI pays no start-up).
# The language server sets "forkserver" (see ``use_start_method``): forking a process whose other
# threads hold locks (pygls' reader thread blocked in ``sys.stdin.read`` holds the stdin buffer's lock)
# copies those locks held, and the child deadlocks in multiprocessing's start-up (``_close_stdin``).
_START_METHOD: Optional[str] = None


def use_start_method(method: Optional[str]) -> None:
    """Start worker processes with ``method`` ("fork", "forkserver", "spawn"; None = default) from now on."""
    global _START_METHOD
    _START_METHOD = method


def _watch_parent(pid: int) -> None:
    """Worker initializer: exit when the process that started the run is gone (killed, or its client died),
    so no worker outlives it, whatever the start method made of the process tree."""
    import threading
    import time as _time

    def watch() -> None:
        while True:
            _time.sleep(0.5)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:  # e.g. EPERM: it exists
                pass

    threading.Thread(target=watch, name="fakeasync-lint-parent-watch", daemon=True).start()


_SEND_TEXT = True  # in a worker: also send each summary's JSON text (the main process writes the cache)


def _worker_init(pid: int, send_text: bool) -> None:
    global _SEND_TEXT
    _SEND_TEXT = send_text
    _watch_parent(pid)


def _pool(max_workers: int, send_text: bool = True) -> ProcessPoolExecutor:
    """A worker pool started with the chosen start method; its workers exit with the run's process.
    ``send_text=False``: the run keeps no cache, so workers send only the summary itself."""
    ctx = None
    if _START_METHOD is not None:
        import multiprocessing

        ctx = multiprocessing.get_context(_START_METHOD)
        if _START_METHOD == "forkserver":
            ctx.set_forkserver_preload(["fakeasync_lint.runner"])
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=ctx,
                               initializer=_worker_init, initargs=(os.getpid(), send_text))


@dataclass
class RunResult:
    diagnostics: List[Diagnostic]
    errors: List[str] = field(default_factory=list)  # usage-level problems (exit 2)
    files_checked: int = 0
    files_indexed: int = 0
    analysed: int = 0  # files analysed this run (cache misses)
    facts: Optional[object] = None  # project.Facts
    sources: Dict[str, bytes] = field(default_factory=dict)  # path -> bytes for reported files
    checked: List[str] = field(default_factory=list)  # absolute paths of the files reported on
    # how the result was obtained: "full" (the project analysis ran), "incremental" (the saved project
    # state was updated for a few edited files), "cached" (the saved diagnostics still held)
    how: str = "full"


def user_cache_dir() -> str:
    """Where facts shared by every project are kept (library facts): ``$XDG_CACHE_HOME/fakeasync-lint``,
    the platform's equivalent elsewhere."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        return os.path.join(base, "fakeasync-lint", "Cache")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Caches"), "fakeasync-lint")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "fakeasync-lint")


LAST_ENV = {}  # what the last run used (``--verbose``, ``explain``)


def _project_roots(index_files, root: Path) -> set:
    """The project's own top-level names (a library root of the same name is the project's code: an
    editable install of the project itself, or a local module that shadows a package)."""
    out = set()
    pre = str(root) + os.sep
    for f in index_files:
        if not f.startswith(pre):
            continue
        parts = f[len(pre):].split(os.sep)
        first = parts[0][:-3] if parts[0].endswith(".py") else parts[0]
        out.add(first)
        if len(parts) > 2 and first in ("src", "lib", "python", "packages"):
            out.add(parts[1])
    return out


def _library_facts(settings, root: Path, index_files, use_cache: bool, progress=None):
    """Find the project's environment (never run) and tell ``libfacts`` where library facts come from:
    installed packages (derived once per version, kept in the user cache), else the shipped facts."""
    from . import environment, libfacts

    # FAKEASYNC_LIBRARY_FACTS=0: the catalog's hand entries only (no environment, no shipped facts), e.g.
    # to see which findings library facts add (bench/realworld/derived.py)
    off = os.environ.get("FAKEASYNC_LIBRARY_FACTS", "1") == "0"
    env = None if off else environment.find(str(root), settings.python)  # EnvironmentError_: exit 2
    cache_dir = os.path.join(user_cache_dir(), "libs") if use_cache else None
    # a progress callback may carry `.library(what)`: told before each package is derived (the language
    # server shows it: the first run on a new environment reads the libraries' code)
    libfacts.configure(env, cache_dir=cache_dir, shipped=not off,
                       project_roots=_project_roots(index_files, root),
                       on_derive=getattr(progress, "library", None))
    libfacts.STATE.derive = lambda data, path, mod, is_pkg: _safe_analyze(data, path, mod, is_pkg, ())
    LAST_ENV.clear()
    LAST_ENV["env"] = env
    return env


def _lib_chunk(jobs) -> list:
    """In a worker: summaries of library modules ``[(path, module, is_pkg)]`` (marshalled)."""
    import marshal

    out = []
    for path, mod, is_pkg in jobs:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            out.append(None)
            continue
        out.append(marshal.dumps(_safe_analyze(data, path, mod, is_pkg, ())))
    return out


def _prefetch_libraries(summaries, n_jobs: int) -> None:
    """A first run on a new environment reads the code of each installed package the project calls
    (library facts).  Read those modules ahead, in wave after wave of parallel jobs (a package's modules,
    then what they import), so that deriving each package in the project phase finds them all read."""
    from . import libfacts

    roots = libfacts.called_roots(summaries)
    if not roots:
        return
    st = libfacts.STATE
    for r in roots:
        if st.on_derive is not None:
            where = libfacts._env_entry(r)
            if where is not None:
                st.on_derive(f"{where[0]} {where[1]}")
    import marshal

    try:
        with _pool(n_jobs, send_text=False) as ex:
            def many(jobs):
                per = max(1, min(64, len(jobs) // (n_jobs * 4) or 1))
                chunks = [jobs[i:i + per] for i in range(0, len(jobs), per)]
                out = []
                for rs in ex.map(_lib_chunk, chunks):
                    out.extend(None if b is None else marshal.loads(b) for b in rs)
                return out

            libfacts.prefetch_modules(roots, many)
    except (BrokenProcessPool, OSError, RuntimeError, ImportError):  # read on first use instead
        pass


def libfacts_on() -> bool:
    return os.environ.get("FAKEASYNC_LIBRARY_FACTS", "1") != "0"


def _catalog_fingerprint() -> str:
    from . import libfacts

    h = hashlib.blake2b(digest_size=8)
    # the hand catalog and the shipped library facts' index (which holds each data file's checksum);
    # library facts installed by earlier runs of this process are not part of it
    h.update(libfacts.catalog_fingerprint().encode() + libfacts.data_fingerprint().encode())
    h.update(__version__.encode())
    # the tool's own code: any change to the analysis or the rules (a development install, a patched
    # release) starts fresh caches instead of replaying results computed by other code (~1 ms)
    pkg = os.path.dirname(os.path.abspath(__file__))
    for dirpath, dirnames, filenames in os.walk(pkg):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "libfacts"))
        for name in sorted(filenames):
            if name.endswith((".py", ".json")):
                try:
                    with open(os.path.join(dirpath, name), "rb") as fh:
                        h.update(name.encode() + b"\0" + fh.read())
                except OSError:
                    pass
    return h.hexdigest()


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_jobs_done = 0


def _analyse_job(job) -> Tuple[str, str, dict]:
    from . import analysis

    # in a worker process: libcst trees are acyclic and die by reference counting (measured: 0 objects
    # left for the collector after 200 files), so pause the collector and sweep now and then anyway
    global _jobs_done
    _jobs_done += 1
    if _jobs_done % 500 == 0 and not gc.isenabled():
        gc.collect()
    gc.disable()

    path, module, is_pkg, patterns, salt = job
    import stat as _stat

    try:
        st = os.stat(path)
        if not _stat.S_ISREG(st.st_mode):
            s = _safe_analyze(b"", path, module, is_pkg, patterns)
            s["error"] = [1, 1, "not a regular file (a FIFO, device or socket is never read)"]
            return path, "", s
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        s = analysis.analyze(b"", path, module, is_pkg)
        s["error"] = [1, 1, f"cannot read file: {e.strerror or e}"]
        return path, "", s
    digest = hashlib.blake2b(data, digest_size=16, key=salt.encode()[:64]).hexdigest()
    summary = _safe_analyze(data, path, module, is_pkg, patterns)
    if _in_worker():
        # serialise here, in parallel: ``marshal`` (the same objects a serial run has, tuples and all;
        # loading it back in the main process costs a quarter of ``json.loads``, measured on Home
        # Assistant: the main process's serial part is what keeps the cold run above its parse floor),
        # and the JSON text of the cache line when the run keeps a cache.  Only ever between this run's
        # own processes: nothing read from disk is unmarshalled.
        import marshal

        from .cache import summary_text

        return path, digest, (marshal.dumps(summary), summary_text(summary) if _SEND_TEXT else None)
    return path, digest, summary


def _in_worker() -> bool:
    import multiprocessing

    return multiprocessing.parent_process() is not None


def _safe_analyze(data, path, module, is_pkg, patterns) -> dict:
    from . import analysis

    try:
        return analysis.analyze(data, path, module, is_pkg, patterns)
    except RecursionError:
        s = analysis.analyze(b"", path, module, is_pkg)
        s["error"] = [1, 1, "file is nested too deeply to analyse"]
        return s
    except Exception as e:  # an analyser bug must not lose the other files
        s = analysis.analyze(b"", path, module, is_pkg)
        s["error"] = [1, 1, f"internal error while analysing ({type(e).__name__}: {e}); please report it"]
        return s


def _chain_through(frame_paths, report_set, cwd: str) -> Optional[str]:
    """The first given file a diagnostic's chain runs through (frame paths are display paths), or None."""
    for p in frame_paths:
        ap = p if os.path.isabs(p) else os.path.normpath(os.path.join(cwd, p))
        if ap in report_set:
            return ap
    return None


def _caused_note(path: str, display) -> str:
    return f" (reported because its chain passes through {display(path)})"


def _chunks(todo: list, n_jobs: int) -> list:
    """``todo`` cut into chunks for ``n_jobs`` workers: up to 64 files a chunk (one hand-over each), then
    smaller and smaller towards the end (a chunk is an eighth of what is left for each worker), so the
    workers finish together instead of one waiting for the other's last 64 files."""
    out, k, n = [], 0, len(todo)
    while k < n:
        size = max(2, min(64, (n - k) // (n_jobs * 8)))
        out.append(todo[k:k + size])
        k += size
    return out


def _analyse_chunk(jobs, progress=None) -> list:
    """Analyse ``jobs`` in order on the parse thread (see ``parseguard``): one hand-over for the chunk
    instead of one a file (measured: 13-80 us each, +0.5-4 % on 500 Home Assistant files)."""
    from . import parseguard

    return parseguard.call(_analyse_jobs, jobs, progress)


def _unpacked(rs) -> list:
    """A worker's results, its summaries unmarshalled: ``(path, digest, summary or (summary, text))``."""
    import marshal

    out = []
    for path, digest, s in rs:
        if isinstance(s, tuple):  # from a worker: the summary marshalled, and its JSON text for the cache
            s = (marshal.loads(s[0]), s[1]) if s[1] is not None else marshal.loads(s[0])
        out.append((path, digest, s))
    return out


def _analyse_jobs(jobs, progress=None) -> list:
    out = []
    for j in jobs:
        out.append(_analyse_job(j))
        if progress is not None:
            progress(len(out), len(jobs))
    return out


def _analyse_isolated(jobs, n_workers: int) -> list:
    """Analyse ``jobs`` after a worker process died: in single-worker pools with one job in flight each, so
    a crash marks exactly the file that caused it (a FAK000, not cached) and only its pool is replaced.
    Results in the order of ``jobs``."""
    from concurrent.futures import FIRST_COMPLETED, wait

    out: Dict[int, Tuple[str, str, dict]] = {}
    pending = list(enumerate(jobs))[::-1]
    idle = [_pool(1) for _ in range(max(1, min(n_workers, len(jobs))))]
    running: dict = {}  # future -> (pool, index, job, worker processes)
    try:
        while pending or running:
            while idle and pending:
                ex = idle.pop()
                i, job = pending.pop()
                try:
                    fut = ex.submit(_analyse_job, job)
                except BrokenProcessPool:
                    ex.shutdown(wait=False)
                    out[i] = _crashed_job(job, [])
                    idle.append(_pool(1))
                    continue
                running[fut] = (ex, i, job, list(getattr(ex, "_processes", {}).values()))
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for fut in done:
                ex, i, job, procs = running.pop(fut)
                try:
                    out[i] = fut.result()
                    idle.append(ex)
                except BrokenProcessPool:
                    ex.shutdown(wait=True)
                    out[i] = _crashed_job(job, procs)
                    idle.append(_pool(1))
                except Exception as e:  # e.g. a result that cannot be pickled: that file only
                    out[i] = _crashed_job(job, [], f"{type(e).__name__}: {e}")
                    idle.append(ex)
    finally:
        for ex, _i, _job, procs in running.values():  # only when interrupted: stop what still runs
            for p in procs:
                try:
                    p.terminate()
                except Exception:  # noqa: BLE001 - already gone
                    pass
            ex.shutdown(wait=False, cancel_futures=True)
        for ex in idle:  # wait for the idle workers to exit: none may outlive the run
            ex.shutdown(wait=True)
    return [out[i] for i in range(len(jobs))]


def _crashed_job(job, procs, why: str = "") -> Tuple[str, str, dict]:
    """The result of a job whose worker process died: a FAK000 with the signal, built without analysing
    anything here."""
    from . import analysis

    path, module, is_pkg, _patterns, _salt = job
    if not why:
        for p in procs:
            code = getattr(p, "exitcode", None)
            if code is not None and code < 0:
                try:
                    import signal

                    why = f"the worker process was killed by {signal.Signals(-code).name}"
                except ValueError:
                    why = f"the worker process was killed by signal {-code}"
                break
            if code is not None:
                why = f"the worker process exited with status {code}"
                break
        else:
            why = "the worker process died"
    s = analysis.analyze(b"", path, module, is_pkg)
    s["error"] = [1, 1, f"the parser crashed on this file ({why}); please report it"]
    return path, "", s


# At most this many changed, added or deleted files are re-checked against the run cache before falling
# back to the whole project analysis (each costs a read, a hash and, when its content changed, an
# analysis: a switch of branch that changes tens of files stays incremental).
REVALIDATE_MAX = 64


def _revalidate(saved, index_files, root: Path, patterns, salt: str, pre: dict, memo: dict, n_jobs: int = 1):
    """Compare the files on disk with the run cache ``saved``.  None: the whole analysis must run (too
    many files changed, a file cannot be read).  Otherwise ``(updated, changed, added, deleted)``:
    ``updated``, files whose stat changed but not any fact the analysis records (touched, or a comment
    edited: the saved diagnostics still hold for them); ``changed``, files whose summary changed (an
    incremental update may handle them, see ``incremental.py``); ``added``, files new to the project
    (analysed); ``deleted``, files gone.  ``saved.files`` gets the new state of all of them; the summaries
    computed here are left in ``pre``, the saved entries of changed and deleted files in ``memo["old"]``.
    Many files to analyse (a switch of branch) are analysed by ``n_jobs`` worker processes."""
    from .cache import summary_digest

    d = runcache_diff(saved, index_files)
    if d is None:
        return None
    st, added, deleted = d
    if not st and not added and not deleted:
        return [], [], [], []
    if len(st) + len(added) + len(deleted) > REVALIDATE_MAX:
        return None
    key = salt.encode()[:64]
    updated = []
    changed = []
    for f in deleted:
        memo.setdefault("old", {})[f] = saved.files.pop(f)
    todo = []  # (path, data, module, is package, digest, stat or None for an added file)
    for f in added:
        try:
            if not _stat.S_ISREG(os.stat(f).st_mode):
                return None
            with open(f, "rb") as fh:
                data = fh.read()
            stt = os.stat(f)
        except OSError:
            return None
        digest = hashlib.blake2b(data, digest_size=16, key=key).hexdigest()
        mod = module_name_for(f, root) or Path(f).stem
        todo.append((f, data, mod, os.path.basename(f) in ("__init__.py", "__init__.pyi"), digest,
                     (stt.st_mtime_ns, stt.st_size), True))
    for f, mtime, size in st:
        e = saved.files[f]
        try:
            if not _stat.S_ISREG(os.stat(f).st_mode):
                return None
            with open(f, "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        digest = hashlib.blake2b(data, digest_size=16, key=key).hexdigest()
        if not (e[2] and digest == e[2]):  # new content: does it change a fact?
            if not e[3]:
                return None
            # the module name of this file alone (the whole table costs ~0.2 s on 10,000 files), or the one
            # the table made unique ("pkg.mod#2"), saved with the file's entry
            mod = e[4] if len(e) > 4 else (module_name_for(f, root) or Path(f).stem)
            todo.append((f, data, mod, os.path.basename(f) in ("__init__.py", "__init__.pyi"), digest,
                         (mtime, size), False))
            continue
        e[0], e[1], e[2] = mtime, size, digest
        updated.append(f)
    texts = _analyse_texts([(data, f, mod, is_pkg, patterns) for f, data, mod, is_pkg, *_rest in todo], n_jobs)
    if texts is None:
        return None  # a worker process died: the whole analysis isolates the file that did it
    for (f, _data, _mod, _pkg, digest, (mtime, size), new), (s, stext) in zip(todo, texts):
        pre[f] = (digest, s, stext)
        sd = summary_digest(stext)
        if new:
            saved.files[f] = [mtime, size, digest, sd]
            continue
        e = saved.files[f]
        if sd != e[3]:
            memo.setdefault("old", {})[f] = list(e)  # the saved project state describes this version
            e[0], e[1], e[2], e[3] = mtime, size, digest, sd
            changed.append(f)
        else:
            e[0], e[1], e[2] = mtime, size, digest
            updated.append(f)
    return updated, changed, added, deleted


def _analyse_texts(items, n_jobs: int) -> list:
    """``[(summary, summary text)]`` of ``[(bytes, path, module, is package, patterns)]``: in this process,
    or for many files in ``n_jobs`` worker processes (a switch of branch: tens of files).  None when a
    worker process died (a crash in native code is never re-run in this process)."""
    import json

    from .cache import summary_text

    if n_jobs > 1 and len(items) >= PARALLEL_THRESHOLD:
        try:
            with _pool(min(n_jobs, 4)) as ex:
                per = (len(items) + n_jobs - 1) // n_jobs
                out = []
                for texts in ex.map(_analyse_text_chunk, [items[k:k + per] for k in range(0, len(items), per)]):
                    out.extend((json.loads(t), t) for t in texts)
                return out
        except (OSError, ImportError):  # no process support: analyse here
            pass
        except Exception:  # noqa: BLE001 - BrokenProcessPool (a worker died), anything else: the whole analysis
            return None
    out = []
    for data, f, mod, is_pkg, patterns in items:
        s = _safe_analyze(data, f, mod, is_pkg, patterns)
        out.append((s, summary_text(s)))
    return out


def _analyse_text_chunk(items) -> list:
    from . import parseguard
    from .cache import summary_text

    def work():
        return [summary_text(_safe_analyze(*it)) for it in items]

    return parseguard.call(work)


def runcache_diff(saved, index_files):
    from . import runcache

    return runcache.diff(saved, index_files)


def _record_unchanged(root: Path, salt: str, paths, pre: dict) -> None:
    """Re-analysed files whose summary did not change: append their new state to the summary cache
    (without loading it)."""
    from .cache import append_entries

    append_entries(root / CACHE_DIR_NAME, salt, [(p, *pre[p]) for p in paths if p in pre])


def _module_names(files: Sequence[str], root: Path) -> Dict[str, Tuple[str, bool]]:
    out: Dict[str, Tuple[str, bool]] = {}
    used: Dict[str, int] = {}
    # the dotted name depends only on the directory and the file's stem: work it out once per directory
    # (module_name_for stats the parents' __init__ files) and derive the siblings' names from it
    prefix_of: Dict[str, Optional[str]] = {}
    for f in files:
        d, base = os.path.split(f)
        stem = base[:-4] if base.endswith(".pyi") else base[:-3] if base.endswith(".py") else None
        mod = None
        if stem is not None and stem != "__init__" and stem.isidentifier() and d in prefix_of:
            pre = prefix_of[d]
            if pre is not None:
                mod = pre + stem
        if mod is None:
            mod = module_name_for(f, root)
            if stem is not None and stem != "__init__" and stem.isidentifier() and d not in prefix_of:
                prefix_of[d] = mod[: len(mod) - len(stem)] if mod and mod.endswith(stem) and (
                    len(mod) == len(stem) or mod[len(mod) - len(stem) - 1] == ".") else None
            mod = mod or Path(f).stem
        is_pkg = base in ("__init__.py", "__init__.pyi")
        out[f] = (mod, is_pkg)
        used[mod] = used.get(mod, 0) + 1
    if any(n > 1 for n in used.values()):
        # the same dotted name twice (scripts in different folders, an old copy of a package kept in
        # `_archive/`): the plain name goes to the file the import system would find, the others are
        # `name#1`, `name#2`, ...  (``_shadowed``: an archive, example or build folder comes last)
        dup = {m for m, n in used.items() if n > 1}
        groups: Dict[str, List[str]] = {}
        for f, (mod, _p) in out.items():
            if mod in dup:
                groups.setdefault(mod, []).append(f)
        for mod, fs in groups.items():
            fs.sort(key=lambda f: _shadowed(f, mod, root))
            for i, f in enumerate(fs[1:], 1):
                out[f] = (f"{mod}#{i}", out[f][1])
    return out


_ASIDE = frozenset(("archive", "archives", "old", "backup", "backups", "deprecated", "legacy", "attic", "examples",
                    "example", "samples", "docs", "doc", "build", "dist", "vendor", "third_party", "tests", "test"))


def _shadowed(f: str, mod: str, root: Path) -> int:
    """How unlikely ``f`` is the module ``mod`` a program imports: the number of folders above its package
    that are kept aside (`_archive/`, `.old/`, `examples/`, `build/`, `tests/`)."""
    try:
        parts = Path(f).relative_to(root).parts
    except ValueError:
        parts = Path(f).parts
    outer = parts[: max(0, len(parts) - len(mod.split(".")) - (1 if parts[-1].startswith("__init__") else 0))]
    return sum(1 for p in outer if p[:1] in ("_", ".") or p.lower() in _ASIDE)


def _stdin_bytes(stdin: Union[bytes, str, None]) -> bytes:
    """Standard input as the bytes of a file.  Bytes are kept as they are (decoded later like a file: BOM,
    coding cookie, invalid UTF-8 is a FAK000).  Text (an editor's buffer, the fixer's next pass) is encoded
    in the encoding its own coding cookie declares, so that decoding gives the same text back; UTF-8
    without one, or when the text cannot be written in that encoding."""
    if stdin is None:
        return b""
    if isinstance(stdin, (bytes, bytearray, memoryview)):
        return bytes(stdin)
    data = stdin.encode("utf-8", "surrogatepass")
    import io
    import tokenize

    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if enc not in ("utf-8", "utf-8-sig"):
            return stdin.encode(enc)
    except (SyntaxError, LookupError, UnicodeError):
        pass
    return data


def _abs(p: str) -> str:
    return os.path.abspath(p)


def run(*args, **kwargs) -> RunResult:
    """Analyse and report (see ``_run``).  The cyclic garbage collector is paused meanwhile: the run
    builds millions of acyclic objects (summaries, facts), and gen-2 collections over them cost more than
    the work itself (measured: loading Home Assistant's 107 MB of summaries takes 4.5 s with it, 0.8 s
    without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(*args, **kwargs)
    finally:
        if enabled:
            # Everything allocated meanwhile sits in the youngest generation: re-enabled as it is, the next
            # allocation would scan those millions of objects at once (1.2 s on Home Assistant, measured)
            # for little garbage. freeze + unfreeze moves them into the oldest generation in O(1), where
            # the collector's own rule for full collections (rare, amortised) reaches them: nothing leaks.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _run(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin_text: Union[bytes, str, None] = None,  # bytes as read (or text already decoded)
    stdin_filename: Optional[str] = None,
    jobs: Optional[int] = None,
    use_cache: bool = True,
    force_exclude: bool = False,
    cwd: Optional[str] = None,
    progress=None,
    need_facts: bool = False,
) -> RunResult:
    cwd = cwd or os.getcwd()
    root = Path(settings.project_root).resolve()
    errors: List[str] = []

    # 1. the project index: every file under the root (walked once)
    # `extend-exclude` only keeps files out of the report: code the project calls stays in the index, so
    # chains into excluded modules are still followed (pyright's rule); `index-exclude` drops files from
    # the index entirely
    proj_files: List[str] = []
    alone = settings.loose and (stdin_filename is not None or (paths and all(os.path.isfile(p) for p in paths)))
    if root.is_dir() and not alone:

        index_settings = dataclasses.replace(settings, extend_exclude=list(settings.index_exclude))
        proj, _ = discover([str(root)], index_settings)
        proj_files = [_abs(str(p)) for p in proj]

    # 2. the files to report on: directories inside the root are a slice of the index (no second walk)
    if stdin_filename is not None:
        target = _abs(stdin_filename)
        report = [] if (force_exclude and is_excluded(target, settings)) else [target]
    else:
        report = []
        rest = []
        root_s = str(root)
        for p in paths:
            ap = os.path.realpath(_abs(p))
            if proj_files and os.path.isdir(ap) and (ap == root_s or ap.startswith(root_s + os.sep)) \
                    and os.path.realpath(_abs(p)) == _abs(p):
                pre = ap + os.sep
                part = [f for f in proj_files if (ap == root_s or f.startswith(pre))]
                if settings.extend_exclude:
                    part = [f for f in part if not is_excluded(f, settings)]
                if part:
                    report.extend(part)
                else:
                    rest.append(p)  # e.g. an excluded directory passed explicitly: walk it as given
            else:
                rest.append(p)
        if rest:
            found, errs = discover(rest, settings, force_exclude=force_exclude)
            errors.extend(errs)
            report.extend(_abs(str(p)) for p in found)
        report = sorted(dict.fromkeys(report))
    report_set = set(report)
    index_files = sorted(set(proj_files) | report_set) if proj_files else report
    env = _library_facts(settings, root, index_files, use_cache, progress)
    salt = _catalog_fingerprint() + settings.fingerprint() + (env.fingerprint if env is not None else "") + (
        "" if libfacts_on() else "-nolib")
    patterns = tuple(sorted(settings.blocking_calls.items()))
    shown: Dict[str, str] = {}

    def display(p: str) -> str:
        d = shown.get(p)
        if d is None:
            d = shown[p] = _display(p)
        return d

    def _display(p: str) -> str:
        if stdin_filename is not None and p in report_set:
            return stdin_filename.replace(os.sep, "/")
        try:
            rel = os.path.relpath(p, cwd)
        except ValueError:
            return p.replace(os.sep, "/")
        if rel.startswith(".." + os.sep) or rel == "..":
            return p.replace(os.sep, "/")
        return rel.replace(os.sep, "/")

    from . import runcache

    rkey = None
    saved = None
    pre: Dict[str, Tuple[str, dict, str]] = {}  # path -> (digest, summary, summary text) analysed early
    rdir = root / CACHE_DIR_NAME
    memo: dict = {}
    # With the cache, results are computed and saved for every file of the project index, whatever the
    # paths asked for: a file's diagnostics do not depend on which others are reported, so one saved
    # result (and project state) serves every later run, e.g. each pre-commit run on a different set of
    # staged files, which then only filters it.
    caching = use_cache and stdin_filename is None and not need_facts
    cache_set = set(index_files) if caching else report_set
    only_reported = cache_set is not report_set and len(cache_set) != len(report_set)

    # Paths given (a pre-commit run on the staged files): also the findings *caused* by them, wherever they
    # are located: those whose chain runs through a given file (a helper that now blocks makes its async
    # callers in other files report; they are shown with the reason).
    partial = stdin_filename is None and bool(report_set) and len(report_set) < len(index_files)

    def reported(raw):
        if not only_reported:
            return raw
        out = []
        for d in raw:
            if d.get("filename") in report_set:
                out.append(d)
            elif partial:
                via = _chain_through([f[0] for f in d.get("trace") or ()], report_set, cwd)
                if via is not None:
                    out.append(dict(d, message=d["message"] + _caused_note(via, display)))
        return out

    if caching:
        extra = repr((sorted(settings.selected_codes), settings.per_file_ignores, cwd, __version__, str(root),
                      settings.script_severity))
        # the key leaves out the project's files: one saved result per settings, which an added or
        # deleted file updates (files outside the root, named on the command line, are part of it)
        outside = [f for f in index_files if not f.startswith(str(root) + os.sep)]
        rkey = runcache.run_key(salt, outside, outside, extra)
        saved = runcache.load(rdir, rkey)
        if saved is not None:
            hit = _revalidate(saved, index_files, root, patterns, salt, pre, memo,
                              jobs if jobs and jobs > 0 else usable_cpus())
            if hit is not None:
                updated, changed, added, deleted = hit
                raw = saved.raw_diagnostics
                if changed or added or deleted:  # facts changed: update the saved project state
                    from . import incremental

                    out = incremental.update(rdir, cache_set, rkey, saved, memo.get("old", {}),
                                             {p: pre[p] for p in changed}, salt, settings, cwd, display, patterns,
                                             added={p: pre[p] for p in added}, deleted=deleted)
                    if out is not None:
                        raw, (cname, lines, der, names) = out
                        token = os.urandom(8).hex()
                        runcache.save(rdir, rkey, {f: saved.files[f] for f in index_files}, raw, token)
                        incremental.save(rdir, rkey, token, cname, lines, der, names)
                        _record_unchanged(root, salt, updated, pre)
                        return RunResult(diagnostics=[runcache._diag(d) for d in reported(raw)], errors=errors,
                                         files_checked=len(report), files_indexed=len(index_files),
                                         analysed=len(pre), checked=list(report), how="incremental")
                else:
                    if updated:  # some files were touched or edited without changing a fact
                        runcache.save(rdir, rkey, saved.files, raw, saved.token)
                        _record_unchanged(root, salt, updated, pre)
                    return RunResult(diagnostics=[runcache._diag(d) for d in reported(raw)], errors=errors,
                                     files_checked=len(report), files_indexed=len(index_files),
                                     analysed=len(pre), checked=list(report), how="cached")
    from .diagnose import Reporter, add_fingerprints
    from .project import build_facts

    modules = memo.get("modules") or _module_names(index_files, root)
    cache = Cache(root, salt) if use_cache else None
    summaries: Dict[str, dict] = {}
    todo = []
    sources: Dict[str, bytes] = {}
    n_pre = 0
    for path, (digest, s, stext) in pre.items():
        if modules[path][0] == s["module"]:
            summaries[path] = s
            n_pre += 1
            if cache is not None and digest:
                cache.put(path, digest, s, stext)
    for f in index_files:
        if f in summaries:
            continue
        mod, is_pkg = modules[f]
        if stdin_filename is not None and f in report_set:
            data = _stdin_bytes(stdin_text)  # analysed exactly as the file's bytes would be
            sources[f] = data
            summaries[f] = _safe_analyze(data, f, mod, is_pkg, patterns)
            continue
        hit = cache.get(f, mod) if cache is not None else None
        if hit is not None:
            summaries[f] = hit
        else:
            todo.append((f, mod, is_pkg, patterns, salt))

    analysed = len(todo) + n_pre
    n_jobs = jobs if jobs and jobs > 0 else usable_cpus()
    results = []
    if todo:
        if n_jobs > 1 and len(todo) >= PARALLEL_THRESHOLD:
            try:
                with _pool(n_jobs, send_text=cache is not None) as ex:
                    chunks = _chunks(todo, n_jobs)
                    for rs in ex.map(_analyse_chunk, chunks):
                        results.extend(_unpacked(rs))
                        if progress is not None:
                            progress(len(results), len(todo))
            except BrokenProcessPool:  # a worker died (a crash in native code): never re-run that in-process
                results.extend(_unpacked(_analyse_isolated(todo[len(results):], n_jobs)))
            except (OSError, RuntimeError, ImportError) as e:  # no process support: serial fallback
                print(f"warning: parallel analysis unavailable ({e}); analysing serially", file=sys.stderr)
                results = _analyse_chunk(todo)
        else:
            results = _analyse_chunk(todo, progress)
    for path, digest, s in results:
        stext = None
        if isinstance(s, tuple):  # (summary, its JSON text for the cache)
            s, stext = s
        summaries[path] = s
        if cache is not None and digest:
            cache.put(path, digest, s, stext)
    if cache is not None:
        cache.save()

    summaries_in_order = [summaries[f] for f in index_files if f in summaries]
    if env is not None and n_jobs > 1:
        _prefetch_libraries(summaries_in_order, n_jobs)
    by_module = {s["module"]: s for s in summaries_in_order}
    facts = build_facts(
        by_module,
        user_patterns=patterns,
        allowed=tuple(settings.allowed_calls),
    )

    wanted = cache_set if rkey is not None else (set(index_files) if partial else report_set)
    reporter = Reporter(facts, settings, wanted, cwd, display)
    diags = reporter.run()
    diags.sort(key=lambda d: d.sort_key())
    add_fingerprints(diags)
    all_diags = diags
    if partial or (rkey is not None and only_reported):
        kept = []
        for d in diags:
            if d.filename in report_set:
                kept.append(d)
            elif partial:
                via = _chain_through([f.path for f in d.trace], report_set, cwd)
                if via is not None:
                    kept.append(dataclasses.replace(d, message=d.message + _caused_note(via, display)))
        diags = kept
    if rkey is not None and not errors and cache is not None:
        state = {}
        for f in index_files:
            e = cache.entry(f)
            if e is not None:
                state[f] = [e[1], e[2], e[3], e[4]]
                if "#" in modules[f][0]:  # a name the table made unique: kept for incremental runs
                    state[f].append(modules[f][0])
            else:  # not readable: valid while its stat is unchanged
                try:
                    st = os.stat(f)
                except OSError:
                    state = None
                    break
                state[f] = [st.st_mtime_ns, st.st_size, "", ""]
        if state is not None:
            token = os.urandom(8).hex()
            runcache.save(rdir, rkey, state, all_diags, token)
            if not cache.dirty:  # the summary cache is on disk: the state's offsets point into it
                from . import incremental

                incremental.snapshot(rdir, rkey, token, cache, facts,
                                     [(s["module"], s["path"]) for s in summaries_in_order], reporter)
    return RunResult(
        diagnostics=diags,
        errors=errors,
        files_checked=len(report),
        files_indexed=len(index_files),
        analysed=analysed,
        facts=facts,
        sources=sources,
        checked=list(report),
    )
