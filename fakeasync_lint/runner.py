"""Find files, reuse cached summaries, analyse the rest in worker processes, run the project rules.

The index always covers the whole project root (so a pre-commit run on one changed file still
resolves calls into the rest of the project); diagnostics are reported only for the paths given.
"""
from __future__ import annotations

import hashlib
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from . import __version__, analysis, catalog
from .cache import Cache
from .config import Settings
from .diagnose import Reporter, add_fingerprints
from .discovery import discover, is_excluded, module_name_for
from .models import Diagnostic
from .project import Facts, build_facts

# Below this many files to analyse, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 24


@dataclass
class RunResult:
    diagnostics: List[Diagnostic]
    errors: List[str] = field(default_factory=list)  # usage-level problems (exit 2)
    files_checked: int = 0
    files_indexed: int = 0
    analysed: int = 0  # files analysed this run (cache misses)
    facts: Optional[Facts] = None
    sources: Dict[str, bytes] = field(default_factory=dict)  # path -> bytes for reported files
    checked: List[str] = field(default_factory=list)  # absolute paths of the files reported on


def _catalog_fingerprint() -> str:
    h = hashlib.blake2b(digest_size=8)
    h.update(repr((catalog.FAMILIES, catalog.FUNCTIONS, catalog.TYPES, catalog.MODULE_ROOTS)).encode())
    h.update(str(analysis.SUMMARY_VERSION).encode())
    h.update(__version__.encode())
    return h.hexdigest()


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _analyse_job(job) -> Tuple[str, str, dict]:
    path, module, is_pkg, patterns, salt = job
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        s = analysis.analyze(b"", path, module, is_pkg)
        s["error"] = [1, 1, f"cannot read file: {e.strerror or e}"]
        return path, "", s
    digest = hashlib.blake2b(data, digest_size=16, key=salt.encode()[:64]).hexdigest()
    return path, digest, _safe_analyze(data, path, module, is_pkg, patterns)


def _safe_analyze(data, path, module, is_pkg, patterns) -> dict:
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


def _module_names(files: Sequence[str], root: Path) -> Dict[str, Tuple[str, bool]]:
    out: Dict[str, Tuple[str, bool]] = {}
    used: Dict[str, int] = {}
    for f in files:
        mod = module_name_for(f, root) or Path(f).stem
        is_pkg = Path(f).name in ("__init__.py", "__init__.pyi")
        if mod in used:
            used[mod] += 1
            mod = f"{mod}#{used[mod]}"  # same dotted name twice (scripts in different folders)
        else:
            used[mod] = 0
        out[f] = (mod, is_pkg)
    return out


def _abs(p: str) -> str:
    return os.path.abspath(p)


def run(
    paths: Sequence[str],
    settings: Settings,
    *,
    stdin_text: Optional[str] = None,
    stdin_filename: Optional[str] = None,
    jobs: Optional[int] = None,
    use_cache: bool = True,
    force_exclude: bool = False,
    cwd: Optional[str] = None,
    progress=None,
) -> RunResult:
    cwd = cwd or os.getcwd()
    root = Path(settings.project_root).resolve()
    errors: List[str] = []

    # 1. the files to report on
    if stdin_filename is not None:
        target = _abs(stdin_filename)
        report = [] if (force_exclude and is_excluded(target, settings)) else [target]
    else:
        found, errs = discover(list(paths), settings, force_exclude=force_exclude)
        errors.extend(errs)
        report = [_abs(str(p)) for p in found]
    report_set = set(report)

    # 2. the project index: every file under the root, plus anything reported from outside it
    index_files = report
    if root.is_dir():
        proj, _ = discover([str(root)], settings)
        index_files = sorted(set(_abs(str(p)) for p in proj) | report_set)
    modules = _module_names(index_files, root)

    salt = _catalog_fingerprint() + settings.fingerprint()
    patterns = tuple(sorted(settings.blocking_calls.items()))
    cache = Cache(root, salt) if use_cache else None
    summaries: Dict[str, dict] = {}
    todo = []
    sources: Dict[str, bytes] = {}
    for f in index_files:
        mod, is_pkg = modules[f]
        if stdin_filename is not None and f in report_set:
            data = (stdin_text or "").encode("utf-8")
            sources[f] = data
            summaries[f] = _safe_analyze(data, f, mod, is_pkg, patterns)
            continue
        hit = cache.get(f, mod) if cache is not None else None
        if hit is not None:
            summaries[f] = hit
        else:
            todo.append((f, mod, is_pkg, patterns, salt))

    analysed = len(todo)
    n_jobs = jobs if jobs and jobs > 0 else usable_cpus()
    results = []
    if todo:
        if n_jobs > 1 and len(todo) >= PARALLEL_THRESHOLD:
            try:
                with ProcessPoolExecutor(max_workers=n_jobs) as ex:
                    chunk = max(1, min(64, len(todo) // (n_jobs * 8) or 1))
                    for i, r in enumerate(ex.map(_analyse_job, todo, chunksize=chunk)):
                        results.append(r)
                        if progress is not None:
                            progress(i + 1, len(todo))
            except (OSError, RuntimeError, ImportError) as e:  # no process support: serial fallback
                print(f"warning: parallel analysis unavailable ({e}); analysing serially", file=sys.stderr)
                results = [_analyse_job(j) for j in todo]
        else:
            for i, j in enumerate(todo):
                results.append(_analyse_job(j))
                if progress is not None:
                    progress(i + 1, len(todo))
    for path, digest, s in results:
        summaries[path] = s
        if cache is not None and digest:
            cache.put(path, digest, s)
    if cache is not None:
        cache.save()

    by_module = {s["module"]: s for s in summaries.values()}
    facts = build_facts(
        by_module,
        user_patterns=patterns,
        allowed=tuple(settings.allowed_calls),
    )

    def display(p: str) -> str:
        if stdin_filename is not None and p in report_set:
            return stdin_filename.replace(os.sep, "/")
        try:
            rel = os.path.relpath(p, cwd)
        except ValueError:
            return p.replace(os.sep, "/")
        if rel.startswith(".." + os.sep) or rel == "..":
            return p.replace(os.sep, "/")
        return rel.replace(os.sep, "/")

    reporter = Reporter(facts, settings, report_set, cwd, display)
    diags = reporter.run()
    diags.sort(key=lambda d: d.sort_key())
    add_fingerprints(diags)
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
