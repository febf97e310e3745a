"""Incremental project analysis: an edited file costs about its own analysis, not the project's.

A full run with the cache leaves, beside its run cache (``runcache.py``), a *project state*: the
resolved call graph in compact form (for every module, by a module id that stays stable across
incremental runs: its functions, the edges and blocking sites its resolution produced, its entry
points, direct I/O kinds, warmed functions, the names of other modules its resolution read and the
names it looked up that are no module) and the derived facts the rules read across modules (every
blocking function's witness chain, every function's I/O kinds, how many entry points reach each
blocking site, each entry point's chains).  Edges and sites are named by ``ref`` = (module, index),
which is stable while a module is unchanged.

Dependencies are per *name* (``ProjectIndex`` records ``(module, name)`` pairs while a module is
resolved; :func:`reads_record` stores them compactly): ``Entity`` (a module-level name),
``Entity:async_write_ha_state`` (a class member), ``Entity.async_write_ha_state`` (a method's record),
``*`` (star imports), ``""`` (that the module exists); the names looked up that are no module of the
project (``homeassistant.components.hue.light``, ``^services`` for the import fallback) go to a table
of names shared by the records.

When a later run finds that files changed facts, were added or were deleted (``runner._revalidate``),
:func:`update`:

1. compares each changed module's names (:func:`key_digests`: its summary without call records,
   positions and suppressions, per name) with the summary saved for it; the modules that read a name
   whose meaning changed are resolved again too, and for an added module the modules that looked its
   name up, for a deleted one every module that read it (more than ``MAX_DEPENDENTS``: the whole
   analysis runs);
2. resolves those modules, reading other summaries lazily from the summary cache;
3. rebuilds the project graph from the state with them replaced (in index order: by path), and
   re-runs the same propagation (``project._propagate``), I/O kinds and entry-point reach as a full run;
4. compares the derived facts with the saved ones: the *affected* modules are the ones resolved
   again, async callers of functions whose chain or I/O kinds changed (or whose chain runs through a
   module resolved again) when a selected rule reports it, the modules of sites whose entry-point
   reach changed and of entry points whose chains changed;
5. re-runs the rules for the affected modules only (their details, and those of the modules their
   chains go through, are resolved again from the summaries), and keeps every other file's saved
   diagnostics (a deleted file's are dropped);
6. renumbers the edges of the other modules into a module whose functions moved.

A module's resolution depends only on the summaries it reads, never on which modules were resolved
before it (``resolve.Resolver``), so the result is the same as the whole-project analysis
(``tests/test_incremental.py`` compares them on random edits).  Anything unexpected (a state that
does not match, a summary that cannot be read back) returns None and the caller runs the whole
analysis.  JSON only, behind a checksum; nothing read here can run code.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

from .atomic import replace_file

VERSION = 8

# Above this many affected modules the saved state saves little: run the whole analysis.
MAX_AFFECTED = 400


def state_file(cache_dir: Path, key: str) -> Path:
    """Beside the run cache of the same key (``runcache._file``)."""
    return Path(cache_dir) / f"state-{key[:16]}.json"


# ---- interface -----------------------------------------------------------------------------------

# a function's own records, read by no other module's resolution ("cargs": its calls' callable arguments,
# with their positions, read only when the function itself is resolved, and only in library derivation)
_FUNC_PRIVATE = ("calls", "awaits", "line", "col", "loops", "module", "path", "cargs")
# ("stores", "ctor_args", "subclasses": project-wide tables read by name, through ``^<prefix><name>``: see ``_update``)
_SUMMARY_PRIVATE = ("noqa", "file_noqa", "import_line", "module_calls", "path", "main_guard", "stores", "ctor_args",
                    "subclasses")


def interface(summary: dict) -> str:
    """What resolving another module may read of this one: everything but call records, positions
    and suppressions (a digest)."""
    d = {k: v for k, v in summary.items() if k not in _SUMMARY_PRIVATE and k not in ("functions", "classes")}
    d["functions"] = {q: {k: v for k, v in f.items() if k not in _FUNC_PRIVATE}
                      for q, f in summary.get("functions", {}).items()}
    d["classes"] = {q: {k: v for k, v in c.items() if k != "line"} for q, c in summary.get("classes", {}).items()}
    d["order"] = list(summary.get("functions", {}))  # the function table of the state keeps this order
    return hashlib.blake2b(json.dumps(d, sort_keys=True, separators=(",", ":")).encode(),
                           digest_size=16).hexdigest()


def key_digests(summary: dict) -> Tuple[Dict[str, str], str]:
    """What resolving another module may read of this one, per name: ``(key -> JSON text, the rest)``.
    A key is a name relative to the module: ``Entity`` (the module-level name: its function or class
    record without members, import, global), ``Entity:async_write_ha_state`` (a member of a class: the
    method or attribute of that name), ``Entity.async_write_ha_state`` (a method's record), ``*`` (the
    star imports).  A function's text includes the imports its decorators name (``functools.cache`` is read
    through them).  "The rest" is everything else another module could see (the library, the error)."""
    mod = summary.get("module") or ""
    n = len(mod) + 1
    pre = mod + "."
    imports = summary.get("imports") or {}
    parts: Dict[str, list] = {}

    def slot(q: str) -> list:
        rel = q[n:] if q.startswith(pre) else q
        p = parts.get(rel)
        if p is None:
            p = parts[rel] = [None, None, None, None]
        return p

    for q, f in (summary.get("functions") or {}).items():
        d = {k: v for k, v in f.items() if k not in _FUNC_PRIVATE}
        heads = [imports.get(x[1].split(".", 1)[0]) for x in f.get("deco") or ()
                 if x and x[0] == "call" and len(x) > 1 and isinstance(x[1], str)]
        slot(q)[0] = [d, heads]
    for q, c in (summary.get("classes") or {}).items():
        # the class itself (its bases), and each member apart (``Entity:async_write_ha_state``: what
        # ``ProjectIndex.class_member`` finds), so that a new or renamed method touches only its readers
        slot(q)[1] = {k: v for k, v in c.items() if k not in ("line", "methods", "attrs")}
        for m, mq in (c.get("methods") or {}).items():
            slot(q + ":" + m)[0] = mq
        for a, v in (c.get("attrs") or {}).items():
            slot(q + ":" + a)[1] = [v]
    stars = []
    for name, v in imports.items():
        if name[:1] == "*":
            stars.append([name, v])
        else:
            slot(pre + name)[2] = v
    for name, v in (summary.get("globals") or {}).items():
        slot(pre + name)[3] = v
    out = {k: json.dumps(v, sort_keys=True, separators=(",", ":")) for k, v in parts.items()}
    out["*"] = json.dumps(sorted(stars))
    rest = {k: v for k, v in summary.items()
            if k not in _SUMMARY_PRIVATE and k not in ("functions", "classes", "imports", "globals")}
    return out, json.dumps(rest, sort_keys=True, separators=(",", ":"))


def changed_keys(old: dict, new: dict) -> Optional[Set[str]]:
    """The keys (see :func:`key_digests`) whose meaning differs between two summaries of a module; None
    when something not kept per name changed (every module that read this one must be resolved again)."""
    a, ra = key_digests(old)
    b, rb = key_digests(new)
    if ra != rb:
        return None
    return {k for k in set(a) | set(b) if a.get(k) != b.get(k)}


def reads_record(pairs, mod: str, modidx: Dict[str, int]) -> Tuple[list, list]:
    """A module's reads (``(module, name)`` pairs recorded by ``ProjectIndex``) as two compact lists:
    ``[module id, key, key, ..., module id, key, ...]`` (keys relative to that module, ``""``: that it
    is a module) and the names it looked up that are no module of the project (a file added with that
    name changes its resolution; ``^name``: a name the import fallback asked about)."""
    by: Dict[int, set] = {}
    absent = set()
    for p in pairs:
        m, k = p[0], p[1]
        if m == mod or m is None:
            continue
        if len(p) == 3:  # (module, class, member)
            k = k + ":" + p[2]
        i = modidx.get(m)
        if i is None:
            absent.add("^" + k if m == "^" else m)
            continue
        if k.startswith(m) and k[len(m):len(m) + 1] == ".":
            k = k[len(m) + 1:]
        ks = by.get(i)
        if ks is None:
            ks = by[i] = set()
        ks.add(k)
    flat: list = []
    for i in sorted(by):
        flat.append(i)
        flat.extend(sorted(by[i]))
    return flat, sorted(absent)


# ---- compact records -----------------------------------------------------------------------------

_AW, _LOOP, _ITER, _TRAIL, _GEN = 1, 2, 4, 8, 16
_ONCE_E, _ONCE_S = 4, 32  # edge / site flag: under a cache-miss guard
_SPAN = 1 << 16  # a function is numbered module index * _SPAN + its index in the module
# record fields
R_MOD, R_PATH, R_OFF, R_QUALS, R_ASYNC, R_EDGES, R_SITES, R_EPS, R_IO, R_WARM, R_UFA, R_READS, R_ABSENT, \
    R_SCRIPTS, R_OVR, R_TABLES = range(16)
N_FIELDS = 16


def _module_record(facts, mod: str, path: str, offset: int, number, ufa, reads, absent, tables) -> list:
    """``[module, path, summary-cache offset, function names, async flags ("0101"), edges, sites, entry
    points, direct I/O kinds, warmed functions, FAK201 importer check, names read, names looked up that
    are no module, script roots ([coroutine function, line, text]), implemented abstract methods
    ([implementation index, abstract method]), the keys of the project-wide tables it has entries for]``.  Edges are flat ``caller, callee, flags,
    line, col`` quintuples (caller: the module's own function index; callee: ``number(qualname)``, see
    ``_SPAN``, or the name).  Names read: see :func:`reads_record`; the absent names are numbers in the
    state's table of names.  Script roots and abstract methods are named, not numbered (no renumbering)."""
    quals = facts.module_functions.get(mod, [])
    funcs = facts.functions
    edges: list = []
    sites = []
    iod = []
    for i, q in enumerate(quals):
        for e in facts.edges.get(q, ()):
            if e.dispatch:
                continue  # saved with the implementation's module (R_OVR)
            edges += (i, number(e.callee), (_AW if e.awaited else 0) | (_LOOP if e.in_loop else 0)
                      | (_ONCE_E if e.once else 0), e.line, e.col)
        for s in facts.sites.get(q, ()):
            sites.append([i, s.line, s.col, s.end_line, s.end_col, s.text, s.label, s.family, s.api, s.fix,
                          s.replacement, (_AW if s.awaited else 0) | (_LOOP if s.in_loop else 0)
                          | (_ITER if s.iteration else 0) | (_TRAIL if s.trailer else 0)
                          | (_GEN if s.in_genexp else 0) | (_ONCE_S if s.once else 0),
                          list(s.user_pattern) if s.user_pattern else None])
        k = facts.io_direct.get(q)
        if k:
            iod.append([i, sorted(k)])
    local = {q: i for i, q in enumerate(quals)}
    eps = [[local[q], ep.kind, ep.method, ep.route] for q, ep in facts.entry_points.items() if q in local]
    flags = "".join("1" if funcs[q]["async"] else "0" for q in quals)
    scripts = [[q, line, text] for q, line, text in facts.module_scripts.get(mod, ())]
    ovr = [[local[impl], ab] for impl, ab in facts.overrides.get(mod, ())]
    return [mod, path, offset, quals, flags, edges, sites, eps, iod, facts.module_warmed.get(mod, []), ufa, reads,
            absent, scripts, ovr, tables]


def _numbering(mods_quals) -> Dict[str, int]:
    """qualname -> module index * _SPAN + index in the module (``mods_quals``: function lists in order)."""
    out: Dict[str, int] = {}
    for k, quals in enumerate(mods_quals):
        if len(quals) < _SPAN:
            base = k * _SPAN
            out.update(zip(quals, range(base, base + len(quals))))
    return out


def _ref(x) -> list:
    """``[module, index]``; a dispatch edge adds the abstract method's module, where it is shown (an edit
    there moves it)."""
    if x.ref is None:
        return None
    via = getattr(x, "via", None)
    return [x.ref[0], x.ref[1]] if via is None else [x.ref[0], x.ref[1], via]


def derived(facts, io) -> dict:
    """The cross-module facts the rules read, with edges and sites named by ref."""
    from .project import Site, chain, reachable_sites

    sig = {}
    for q, (depth, _w) in facts.blocks.items():
        sig[q] = [depth] + [(["s"] if isinstance(x, Site) else ["e"]) + _ref(x) for x in chain(facts, q)]
    reach: Dict[str, int] = {}
    eps = {}
    for q in facts.entry_points:
        if q not in facts.blocks:
            continue
        chains = reachable_sites(facts, q, limit=200)
        eps[q] = [[_ref(x) for x in steps] for steps in chains]
        for steps in chains:
            r = steps[-1].ref
            k = f"{r[0]}\0{r[1]}"
            reach[k] = reach.get(k, 0) + 1
    from .diagnose import reach_maps

    served, scripted = reach_maps(facts)
    sev = {q: f"e{n}" for q, n in served.items()}
    for q, (path, line, text) in scripted.items():
        if q not in sev:
            sev[q] = f"s\0{path}\0{line}\0{text}"
    return {"sig": sig, "io": {q: sorted(k) for q, k in io.items() if k}, "reach": reach, "eps": eps, "sev": sev}


MAGIC = b"fakeasync-state"


def save(cache_dir: Path, key: str, token: str, cache_name: str, records: Iterable[bytes], der: dict,
         names: List[str]) -> None:
    """One file: a checksum line (a damaged state must not be read as a plausible wrong one), then a
    header, the derived facts, the table of absent names and one line per module (``null``: a module
    deleted since the whole run; module ids are positions and stay stable across incremental runs)."""
    head = json.dumps({"v": VERSION, "key": key, "token": token, "cache": cache_name}).encode()
    body = b"\n".join([head, json.dumps(der, separators=(",", ":")).encode(),
                       json.dumps(names, separators=(",", ":")).encode(), *records]) + b"\n"
    check = MAGIC + b" " + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b"\n"
    try:
        replace_file(state_file(cache_dir, key), check + body, prefix=".tmp-state-", suffix=".json")
    except OSError:
        return


def _dump(record: list) -> bytes:
    return json.dumps(record, separators=(",", ":")).encode()


def snapshot(cache_dir: Path, key: str, token: str, cache, facts, modules_meta, reporter) -> None:
    """Save the project state of a whole-project run (``modules_meta``: [(module, path)] in index order;
    ``cache``: the summary cache the state's offsets point into)."""
    from .diagnose import used_from_async_many
    from .project import table_keys
    from .loops import io_kinds

    io = reporter.io if reporter.io is not None else io_kinds(facts)
    need = {s.module for s in facts.factories} - set(reporter.ufa)
    ufa = dict(reporter.ufa)
    if need:
        ufa.update(used_from_async_many(facts.summaries, sorted(need)))
    mods = [m for m, _p in modules_meta]
    modidx = {m: k for k, m in enumerate(mods)}
    nums = _numbering([facts.module_functions.get(m, ()) for m in mods])
    number = lambda q: nums.get(q, q)  # noqa: E731
    records = []
    table = Names([])
    for mod, path in modules_meta:
        off = cache.offsets.get(path)
        if off is None:
            return  # a file not in the summary cache (unreadable): no state, whole runs only
        reads, absent = reads_record(facts.module_reads.get(mod, ()), mod, modidx)
        tables = table_keys(facts.summaries[mod]) if mod in facts.summaries else []
        records.append(_dump(_module_record(facts, mod, path, off, number, ufa.get(mod), reads, table.ids(absent),
                                            tables)))
    save(cache_dir, key, token, cache.file.name, records, derived(facts, io), table.names)


class Names:
    """The state's table of absent names (``R_ABSENT`` holds their numbers): appended to, never renumbered."""

    def __init__(self, names: List[str]):
        self.names = names
        self.index = {n: i for i, n in enumerate(names)}

    def ids(self, names) -> List[int]:
        out = []
        for n in names:
            i = self.index.get(n)
            if i is None:
                i = self.index[n] = len(self.names)
                self.names.append(n)
            out.append(i)
        return out


# ---- loading -------------------------------------------------------------------------------------

class State:
    def __init__(self, key: str, cache_name: str, der: dict, names: List[str], lines: List[bytes],
                 records: List[Optional[list]]):
        self.key = key
        self.cache_name = cache_name
        self.der = der
        self.names = names
        self.lines = lines  # raw JSON of each module record (rewritten only for changed modules)
        self.records = records  # by module id; None: deleted since the whole run
        self.index = {r[R_MOD]: i for i, r in enumerate(records) if r is not None}
        self.by_path = {r[R_PATH]: r[R_MOD] for r in records if r is not None}


def load(cache_dir: Path, key: str, token: str) -> Optional[State]:
    try:
        with open(state_file(cache_dir, key), "rb") as fh:
            data = fh.read()
        check, _, data = data.partition(b"\n")
        if check != MAGIC + b" " + hashlib.blake2b(data, digest_size=16).hexdigest().encode():
            return None
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        head = json.loads(lines[0])
        if not isinstance(head, dict) or head.get("v") != VERSION or head.get("key") != key \
                or not token or head.get("token") != token:
            return None  # another run's state (a concurrent run may have replaced one file of the pair)
        der = json.loads(lines[1])
        names = json.loads(lines[2])
        mods = lines[3:]
        records = json.loads(b"[" + b",".join(mods) + b"]")
        if not isinstance(der, dict) or not all(isinstance(der.get(k), dict) for k in ("sig", "io", "reach", "eps", "sev")):
            return None
        # the checksum rules out damage; a record of another shape (another writer) fails in the update,
        # which then falls back to the whole analysis
        if not isinstance(records, list) or not all(r is None or len(r) == N_FIELDS for r in records) \
                or not isinstance(names, list):
            return None
        return State(key, str(head.get("cache")), der, names, mods, records)
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


class _Functions(dict):
    """qual -> function record: the full records of the modules resolved in this run, and for the
    others a small record (qual, async, module, path) made from the state when first read."""

    def __init__(self, st: State, owner: Dict[str, int], position: Dict[str, int]):
        super().__init__()
        self._st = st
        self._owner = owner  # qual -> record index
        self._position = position  # qual -> index in its module

    def __missing__(self, q):
        k = self._owner.get(q)
        if k is None:
            raise KeyError(q)
        r = self._st.records[k]
        f = {"qual": q, "async": r[R_ASYNC][self._position[q]] == "1", "module": r[R_MOD], "path": r[R_PATH]}
        self[q] = f
        return f

    def get(self, q, default=None):
        try:
            return self[q]
        except KeyError:
            return default

    def __contains__(self, q) -> bool:
        return dict.__contains__(self, q) or q in self._owner


class Inconsistent(Exception):
    """The saved state does not describe the files on disk: run the whole analysis."""


# ---- the update ----------------------------------------------------------------------------------

# At most this many modules are resolved again because an edited module's interface changed (they
# read it); more (an edit to a module the whole project imports) runs the whole analysis.
MAX_DEPENDENTS = 300


def update(cache_dir: Path, report_set, key: str, saved, old_files: Dict[str, list],
           changed: Dict[str, Tuple[str, dict, str]], salt: str, settings, cwd: str, display, patterns,
           added: Optional[Dict[str, Tuple[str, dict, str]]] = None, deleted: Iterable[str] = ()):
    """Diagnostics for the project after ``changed`` (path -> (digest, summary, summary text)) files were
    edited, ``added`` ones (the same) appeared and ``deleted`` ones disappeared, from the state saved by
    the last run (``old_files``: the run cache's entries of the changed and deleted files as they were
    saved); None when the whole analysis must run.  On success the summary cache is updated and
    ``(raw diagnostics, (summary cache name, module records, derived facts, table of names))`` returned
    for the caller to save."""
    try:
        return _update(cache_dir, report_set, key, saved, old_files, changed, salt, settings, cwd, display, patterns,
                       added or {}, set(deleted))
    except Exception:  # noqa: BLE001 - Inconsistent, a damaged summary, a bug: the whole analysis decides
        if os.environ.get("FAKEASYNC_DEBUG"):
            import traceback

            traceback.print_exc()
        return None


_PKG = ("__init__.py", "__init__.pyi")


def _relation_sig(summary: dict):
    """What ``ProjectIndex._relations`` reads of a module: its class names, user models and relation fields."""
    from .project import _USER_BASES

    classes = summary.get("classes") or {}
    users = sorted(q for q, c in classes.items() if any(b and b[0] == "Q" and b[1] in _USER_BASES
                                                        for b in c.get("bases") or ()))
    return sorted(classes), users, sorted(json.dumps([q, a, t]) for q, c in classes.items()
                                          for a, t in (c.get("attrs") or {}).items() if t and t[0] == "REL")


def _roots(mods) -> Tuple[set, set]:
    """``ProjectIndex.import_fallback_roots`` of a set of module names."""
    top, inner = set(), set()
    for m in mods:
        parts = m.split(".")
        top.add(parts[0])
        inner.update(parts[1:])
    return top, inner - top


def _update(cache_dir, report_set, key, saved, old_files, changed, salt, settings, cwd, display, patterns,
            added, deleted):
    from . import cache as cachemod
    from .diagnose import Reporter, add_fingerprints
    from .loops import io_kinds
    from .project import TABLES, Edge, EntryPoint, Facts, LazySummaries, ProjectIndex, Site, _memoised, _propagate, \
        chain, dispatch_edges, reachable_sites, resolve_module, table_keys

    st = load(cache_dir, key, saved.token)
    if st is None:
        return None
    cfile = Path(cache_dir) / st.cache_name
    if cfile != cachemod.summaries_file(cache_dir, salt):
        return None
    old_records = st.records
    records: List[Optional[list]] = list(old_records)  # by module id; added modules get new ids

    def load_summary(mod: str) -> Optional[dict]:
        r = old_records[st.index[mod]]
        e = cachemod.read_entry_at(cfile, r[R_OFF], r[R_PATH])
        if e is None or e[5].get("module") != mod:
            raise Inconsistent(mod)
        sv = old_files.get(e[0]) or saved.files.get(e[0])
        if sv is None or sv[3] != e[4]:
            raise Inconsistent(mod)  # not the version the saved diagnostics were computed from
        return e[5]

    # 1. what changed, per name: ``dirty`` maps a module id to the keys (see ``key_digests``) whose
    # meaning changed (None: all of them); ``absent_hit``: numbers of absent names that now are modules
    new: Dict[str, dict] = {}
    dirty: Dict[int, Optional[Set[str]]] = {}

    def touch(mod: str, keys: Optional[Set[str]]) -> None:
        k = st.index[mod]
        if keys is None or dirty.get(k, set()) is None:
            dirty[k] = None
        else:
            dirty.setdefault(k, set()).update(keys)

    for path, (_digest, summary, _stext) in changed.items():
        mod = st.by_path.get(path)
        if mod is None or summary.get("module") != mod or summary.get("error"):
            return None
        old = load_summary(mod)
        if old.get("error"):
            return None
        ks = changed_keys(old, summary)
        if ks is None or ks:
            if not _factories_unaffected(records, old, summary):
                return None
            touch(mod, ks)
        new[mod] = summary
    changed_mods = set(new)
    deleted_mods: Set[str] = set()
    for path in deleted:
        mod = st.by_path.get(path)
        if mod is None or os.path.basename(path) in _PKG or "#" in mod or (mod + "#1") in st.index:
            return None  # a package's files get new names; so do the other files of a duplicate name
        old = load_summary(mod)
        if not _factories_unaffected(records, old, {}):
            return None
        touch(mod, None)
        deleted_mods.add(mod)
        parent, _, last = mod.rpartition(".")
        if parent in st.index:
            touch(parent, {last})  # ``parent.last`` no longer names a module (``ProjectIndex.module_symbol``)
    if deleted_mods & changed_mods:
        return None
    added_mods: Dict[str, str] = {}  # module -> path
    absent_names: Set[str] = set()
    for path, (_digest, summary, _stext) in added.items():
        mod = summary.get("module")
        if not mod or summary.get("error") or os.path.basename(path) in _PKG or "#" in mod \
                or (mod in st.index and mod not in deleted_mods) or mod in added_mods or path in st.by_path:
            return None
        parent, _, last = mod.rpartition(".")
        if parent in st.index and parent not in deleted_mods:
            touch(parent, {last})
        up = parent
        while up and (up not in st.index or up in deleted_mods):
            up = up.rpartition(".")[0]
        if up and not old_records[st.index[up]][R_PATH].endswith(_PKG):
            return None  # a directory beside a module of its name (lookups below it are not recorded)
        if not _factories_unaffected(records, {}, summary):
            return None
        added_mods[mod] = path
        absent_names.add(mod)
        new[mod] = summary
    # Django relations: the reverse relations are built from every module's relation fields and class
    # names (``ProjectIndex._relations``); the modules that asked read ``^rels``
    for path, (_digest, summary, _stext) in changed.items():
        mod = st.by_path.get(path)
        if _relation_sig(load_summary(mod)) != _relation_sig(summary):
            absent_names.add("^rels")
    for mod in deleted_mods:
        if load_summary(mod).get("classes"):
            absent_names.add("^rels")
    for mod in added_mods:
        if new[mod].get("classes"):
            absent_names.add("^rels")
    # project-wide tables (``ProjectIndex.table``): a module whose entries for a name change resolves the modules
    # that asked for that name (``^<prefix><name>``) again
    for path, (_digest, summary, _stext) in changed.items():
        old = load_summary(st.by_path[path])
        for prefix, fld in TABLES.items():
            a = old.get(fld) or {}
            b = summary.get(fld) or {}
            absent_names.update("^" + prefix + n for n in set(a) | set(b) if a.get(n) != b.get(n))
    for mod in deleted_mods:
        absent_names.update("^" + k for k in table_keys(load_summary(mod)))
    for mod in added_mods:
        absent_names.update("^" + k for k in table_keys(new[mod]))
    if added_mods or deleted_mods:
        absent_names.add("^aka")  # the namespace aliases (``ProjectIndex.namespace_aliases``) may change
        before = _roots(st.index)
        after = _roots((set(st.index) - deleted_mods) | set(added_mods))
        absent_names.update("^" + c for c in (before[0] ^ after[0]) | (before[1] ^ after[1]))
    name_ids = {i for i, n in enumerate(st.names) if n in absent_names} if absent_names else set()

    dependents: Set[str] = set()
    if dirty or name_ids:
        ids = set(dirty)
        for r in old_records:
            if r is None:
                continue
            rd = r[R_READS]
            hit = False
            if not ids.isdisjoint(rd):
                keys = None
                for x in rd:
                    if x.__class__ is int:
                        keys = dirty.get(x, False)
                        if keys is None:
                            hit = True
                            break
                    elif keys and x in keys:
                        hit = True
                        break
            if hit or (name_ids and not name_ids.isdisjoint(r[R_ABSENT])):
                dependents.add(r[R_MOD])
        dependents -= changed_mods
        dependents -= deleted_mods
        if len(dependents) > MAX_DEPENDENTS:
            return None
    replaced = changed_mods | set(added_mods)  # their records are made again from their new summaries
    redo = replaced | dependents  # resolved again in this run

    # module ids: the old ones (deleted ones become None), then the added modules
    id_of = dict(st.index)
    path_of = {r[R_MOD]: r[R_PATH] for r in old_records if r is not None}
    for mod in deleted_mods:
        records[id_of.pop(mod)] = None
    for mod, path in sorted(added_mods.items(), key=lambda x: x[1]):
        id_of[mod] = len(records)
        records.append(None)
        path_of[mod] = path
    mod_of = {k: m for m, k in id_of.items()}
    order_ids = sorted(id_of.values(), key=lambda k: path_of[mod_of[k]])  # index order: by path

    known = set(id_of)
    lazy = LazySummaries(known, load_summary, overrides=new)
    table_modules: Dict[str, List[str]] = {}
    for k in order_ids:
        mod = mod_of[k]
        for key in (table_keys(new[mod]) if mod in new else old_records[k][R_TABLES]):
            table_modules.setdefault(key, []).append(mod)
    index = ProjectIndex(lazy, paths={m: path_of[m] for m in known}, table_modules=table_modules)
    allowed = tuple(settings.allowed_calls)

    # 2. resolve them
    fresh: Dict[str, Facts] = {}
    for mod in sorted(redo, key=lambda m: path_of[m]):
        s = new.get(mod) or lazy.get(mod)
        fx = Facts(summaries=lazy, functions={})
        resolve_module(fx, index, mod, s, patterns, allowed)
        fx.module_warmed[mod] = [q for q in fx.module_warmed.get(mod, ())
                                 if index.has_function(q) and _memoised(index.functions.get(q),
                                                                      lazy.get(index.functions.get(q)["module"]))]
        fresh[mod] = fx

    # 3. the project graph, in index order, those modules replaced.  Only the edges that can matter are
    # built: into functions that blocked or did I/O before, or of the modules resolved again.  Whether a
    # function blocks depends only on what it calls, so if nothing else blocks (or does I/O) afterwards,
    # the propagation over these edges is exactly the one over all edges (same order, same witnesses);
    # otherwise the graph is built again with every edge.  Edges of the modules not resolved again
    # name their callees by the callee module's old function numbers (``old_number``).
    owner: Dict[str, int] = {}
    position: Dict[str, int] = {}
    old_number: Dict[str, int] = {}
    mods_quals = [r[R_QUALS] if r is not None else None for r in old_records]
    for k, r in enumerate(old_records):
        if r is None or r[R_MOD] in deleted_mods:
            continue
        quals = r[R_QUALS]
        if len(quals) < _SPAN:
            old_number.update(zip(quals, range(k * _SPAN, k * _SPAN + len(quals))))
        if r[R_MOD] in replaced:
            continue  # its old functions are gone; the new ones come with its fresh facts
        owner.update(dict.fromkeys(quals, k))
        position.update(zip(quals, range(len(quals))))
    old = st.der
    redo_funcs: Set[str] = set()
    for mod in redo:
        k = id_of[mod]
        if k < len(old_records) and old_records[k] is not None:
            redo_funcs.update(old_records[k][R_QUALS])
        redo_funcs.update(fresh[mod].module_functions.get(mod, ()))
    keep = set(old["sig"]) | set(old["io"]) | redo_funcs

    def abstract_at(q):
        """Where an abstract method is defined (its line is no interface: read it from its summary)."""
        f = index.functions.get(q)
        return None if f is None else (f["line"], f["col"])

    def build(keep) -> Tuple[object, List[str]]:
        keep_nums = None
        if keep is not None:
            keep_nums = {old_number[q] for q in keep if q in old_number}
        facts = Facts(summaries=lazy, functions=_Functions(st, owner, position))
        edges_of = facts.edges
        sites_of = facts.sites
        order: List[str] = []
        for k in order_ids:
            mod = mod_of[k]
            order.append(mod)
            fx = fresh.get(mod)
            if fx is not None:
                if mod not in replaced and fx.module_functions.get(mod, []) != old_records[k][R_QUALS]:
                    raise Inconsistent(mod)
                _merge(facts, fx, mod)
                continue
            r = old_records[k]
            path = r[R_PATH]
            quals = r[R_QUALS]
            facts.module_functions[mod] = quals
            it = iter(r[R_EDGES])
            last = None
            lst: list = []
            for i, (ci, callee, fl, line, col) in enumerate(zip(it, it, it, it, it)):
                if callee.__class__ is int:
                    if keep_nums is not None and callee not in keep_nums:
                        continue
                    callee = mods_quals[callee >> 16][callee & 0xFFFF]
                elif keep is not None and callee not in keep:
                    continue
                if ci != last:
                    last = ci
                    lst = edges_of.setdefault(quals[ci], [])
                e = Edge(quals[ci], callee, path, line, col, line, col, "", "", bool(fl & _AW), bool(fl & _LOOP))
                e.ref = (mod, i)
                e.once = bool(fl & _ONCE_E)
                lst.append(e)
            for j, x in enumerate(r[R_SITES]):
                q = quals[x[0]]
                fl = x[11]
                s = Site(q, mod, path, x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], bool(fl & _AW),
                         bool(fl & _LOOP), bool(fl & _ITER), tuple(x[12]) if x[12] else None, bool(fl & _TRAIL),
                         bool(fl & _GEN))
                s.ref = (mod, j)
                s.once = bool(fl & _ONCE_S)
                sites_of.setdefault(q, []).append(s)
            for ci, kind, method, route in r[R_EPS]:
                facts.entry_points[quals[ci]] = EntryPoint(quals[ci], kind, method, route)
            for ci, kinds in r[R_IO]:
                facts.io_direct[quals[ci]] = set(kinds)
            if r[R_WARM]:
                facts.module_warmed[mod] = list(r[R_WARM])
                facts.warmed.update(r[R_WARM])
            if r[R_SCRIPTS]:
                facts.module_scripts[mod] = [
                    (mods_quals[c >> 16][c & 0xFFFF] if c.__class__ is int else c, line, text)
                    for c, line, text in r[R_SCRIPTS]]
            if r[R_OVR]:
                facts.overrides[mod] = [(quals[i], ab) for i, ab in r[R_OVR]]
        dispatch_edges(facts, facts.overrides.items(), abstract_at)
        _propagate(facts)
        return facts, order

    facts, order = build(keep)
    io = io_kinds(facts)
    if not (all(q in keep for q in facts.blocks) and all(q in keep for q, k in io.items() if k)):
        facts, order = build(None)  # something new blocks or does I/O: its callers count too
        io = io_kinds(facts)
    funcs = facts.functions
    edges_of = facts.edges
    der = derived(facts, io)

    # 4. what changed across modules -> the affected modules
    gone = redo | deleted_mods

    def touches(sig) -> bool:
        if not sig:
            return False
        for x in sig:
            if not isinstance(x, list) or len(x) < 2:
                continue
            # an entry point's step: [module, index(, via)]; a chain's: ["s" | "e", module, index(, via)]
            mods = (x[0], x[2] if len(x) > 2 else None) if x[1].__class__ is int else (
                x[1], x[3] if len(x) > 3 else None)
            if mods[0] in gone or (mods[1] is not None and mods[1] in gone):
                return True
        return False

    chain_dirty: Set[str] = set()  # a different chain (or one through a module resolved again)
    loop_dirty: Set[str] = set()  # different I/O kinds, or started/stopped blocking (FAK301/302)
    for q in set(old["sig"]) | set(der["sig"]):
        o, n = old["sig"].get(q), der["sig"].get(q)
        if o != n or touches(o) or touches(n):
            chain_dirty.add(q)
            if (o is None) != (n is None):
                loop_dirty.add(q)
    for q in set(old["io"]) | set(der["io"]):
        if old["io"].get(q) != der["io"].get(q):
            loop_dirty.add(q)
    affected: Set[str] = set(redo)
    sel = settings.selected_codes
    want401, want402 = "FAK401" in sel, "FAK402" in sel
    if not ("FAK301" in sel or "FAK302" in sel):
        loop_dirty = set()
    if chain_dirty or loop_dirty:
        # what an async caller reports about a callee: FAK401 (calls a sync one that blocks), FAK402 (awaits
        # a fake-async one, opt-in), FAK301/302 (its I/O in a loop); a sync caller reports nothing, and is
        # in ``chain_dirty`` itself when its own chain changed
        for es in edges_of.values():
            for e in es:
                c = e.callee
                if c in chain_dirty or c in loop_dirty:
                    f = funcs[e.caller]
                    if not f["async"] or f["module"] in affected:
                        continue
                    if c in loop_dirty:
                        affected.add(f["module"])
                        continue
                    ca = funcs[c]["async"] if c in funcs else False
                    if (want401 and not ca and not e.awaited) or (want402 and ca and e.awaited):
                        affected.add(f["module"])
    for k in set(old["reach"]) | set(der["reach"]):
        if old["reach"].get(k) != der["reach"].get(k):
            affected.add(k.split("\0", 1)[0])
    for q in set(old["sev"]) | set(der["sev"]):  # what reaches a function changed: its findings' severity
        if old["sev"].get(q) != der["sev"].get(q):
            f = funcs.get(q)
            if f is not None:
                affected.add(f["module"])
    for q in set(old["eps"]) | set(der["eps"]):
        o, n = old["eps"].get(q), der["eps"].get(q)
        if o != n or any(touches(c) for c in (o or ())) or any(touches(c) for c in (n or ())):
            f = funcs.get(q)
            if f is not None:
                affected.add(f["module"])
    affected -= deleted_mods
    if len(affected) > MAX_AFFECTED:
        return None

    # 5. details for the affected modules and the modules their chains go through
    need: Set[str] = set(affected)
    for mod in affected:
        for q in facts.module_functions.get(mod, ()):
            for e in edges_of.get(q, ()):
                if e.callee in facts.blocks:
                    for x in chain(facts, e.callee):
                        if isinstance(x, Edge):
                            need.add(x.ref[0])
            if q in facts.entry_points and q in facts.blocks:
                for steps in reachable_sites(facts, q, limit=50):
                    for x in steps:
                        if isinstance(x, Edge):
                            need.add(x.ref[0])
    for mod in sorted(need - redo):
        s = lazy.get(mod)
        fx = Facts(summaries=lazy, functions={})
        resolve_module(fx, index, mod, s, patterns, allowed)
        for q in fx.module_functions.get(mod, ()):
            full = fx.edges.get(q)
            light = {e.ref: e for e in edges_of.get(q, ()) if not e.dispatch}
            disp = [e for e in edges_of.get(q, ()) if e.dispatch]
            if full:
                merged = []
                for b in full:
                    a = light.pop(b.ref, None)
                    if a is not None:  # the object the witnesses point at gets the details
                        if a.callee != b.callee or a.line != b.line or a.col != b.col:
                            raise Inconsistent(mod)
                        a.__dict__.update(b.__dict__)
                        b = a
                    merged.append(b)
                edges_of[q] = merged + disp
            if light:
                raise Inconsistent(mod)
            if mod in affected:
                funcs[q] = s["functions"][q]
        if mod in affected:
            facts.loop_calls.extend(fx.loop_calls)
            facts.factories.extend(fx.factories)
    for mod in sorted(redo, key=lambda m: path_of[m]):
        facts.loop_calls.extend(fresh[mod].loop_calls)
        facts.factories.extend(fresh[mod].factories)

    # 6. the rules, for the affected modules only
    ufa = {r[R_MOD]: r[R_UFA] for r in records if r is not None and r[R_UFA] is not None}
    for s in facts.factories:
        if s.module not in ufa:
            return None  # FAK201 needs every module's imports
    affected_paths = {path_of[m] for m in affected}
    wanted = {p for p in affected_paths if p in report_set}
    reporter = Reporter(facts, settings, wanted, cwd, display, modules=[m for m in order if m in affected],
                        used_from_async=ufa, io=io)
    diags = reporter.run()
    diags.sort(key=lambda d: d.sort_key())
    add_fingerprints(diags)

    # 7. merge with the saved diagnostics of the other files; the summary cache and the new records
    from .runcache import _dict

    dropped = affected_paths | set(deleted)
    raw = [d for d in saved.raw_diagnostics if d.get("filename") not in dropped]
    raw.extend(_dict(d) for d in diags)
    raw.sort(key=lambda d: (d["path"], d["location"][0], d["location"][1], d["code"]))

    new_offsets = cachemod.append_entries(Path(cache_dir), salt, [(p, *changed[p]) for p in changed]
                                          + [(p, *added[p]) for p in added])
    lines = list(st.lines) + [b"null"] * (len(records) - len(old_records))
    for mod in deleted_mods:
        lines[st.index[mod]] = b"null"
    nums = _numbering([facts.module_functions.get(mod_of[k], ()) if k in mod_of else () for k in range(len(records))])
    number = lambda q: nums.get(q, q)  # noqa: E731
    table = Names(list(st.names))
    for mod in redo:
        k = id_of[mod]
        p = path_of[mod]
        off = new_offsets.get(p) if mod in replaced else old_records[k][R_OFF]
        if off is None:
            return None
        reads, absent = reads_record(fresh[mod].module_reads.get(mod, ()), mod, id_of)
        tables = table_keys(new[mod]) if mod in replaced else old_records[k][R_TABLES]
        records[k] = _module_record(facts, mod, p, off, number, ufa.get(mod), reads, table.ids(absent), tables)
        lines[k] = _dump(records[k])
    # the modules not resolved again name functions of the replaced ones by number: renumber what moved
    remap: Dict[int, object] = {}
    for mod in changed_mods:
        k = id_of[mod]
        was = old_records[k][R_QUALS]
        now = facts.module_functions.get(mod, [])
        if now[:len(was)] == was or len(was) >= _SPAN:
            continue
        present = set(now)
        for i, q in enumerate(was):
            n = nums.get(q, q) if q in present else None
            if n != k * _SPAN + i:
                remap[k * _SPAN + i] = n
    if remap:
        for k in order_ids:
            mod = mod_of[k]
            if mod in redo:
                continue
            es = old_records[k][R_EDGES]
            if remap.keys().isdisjoint(es[1::5]):
                continue
            es = list(es)
            for j in range(1, len(es), 5):
                if es[j].__class__ is int and es[j] in remap:
                    es[j] = remap[es[j]]
                    if es[j] is None:
                        raise Inconsistent(mod)  # an edge into a function that is gone, yet not resolved again
            r = list(old_records[k])
            r[R_EDGES] = es
            lines[k] = _dump(r)
    return raw, (st.cache_name, lines, der, table.names)




def _factories_unaffected(records, old: dict, new: dict) -> bool:
    """FAK201's "imported by a module with async functions" (saved per factory module) still holds
    when the edited module imports none of the factory modules, before or after the edit."""
    fmods = [r[R_MOD] for r in records if r is not None and r[R_UFA] is not None]
    if not fmods:
        return True
    for s in (old, new):
        for v in (s.get("imports") or {}).values():
            for w in fmods:
                if v == w or v.startswith(w + "."):
                    return False
    return True


def _merge(facts, fx, mod: str) -> None:
    """Add a freshly resolved module's facts to the graph being rebuilt (keeping index order)."""
    facts.module_functions[mod] = fx.module_functions.get(mod, [])
    for q in facts.module_functions[mod]:
        facts.functions[q] = fx.functions[q]
        if q in fx.edges:
            facts.edges[q] = fx.edges[q]
        if q in fx.sites:
            facts.sites[q] = fx.sites[q]
        if q in fx.entry_points:
            facts.entry_points[q] = fx.entry_points[q]
        if q in fx.io_direct:
            facts.io_direct[q] = fx.io_direct[q]
    if fx.module_scripts.get(mod):
        facts.module_scripts[mod] = fx.module_scripts[mod]
    w = fx.module_warmed.get(mod)
    if w:
        facts.module_warmed[mod] = w
        facts.warmed.update(w)
    if fx.overrides.get(mod):
        facts.overrides[mod] = fx.overrides[mod]
