"""What third-party libraries block, derived from their own code (issue 14).

The catalog names the *primitives* (sockets, files, subprocesses, sleeps, thread waits, the C-extension
entry points of database drivers, and the hand-written API entries).  A library built on them (stripe on
requests, slack_sdk on urllib, a company's internal SDK on httpx's sync client) is summarised by the same
one-pass ``analysis`` as project code, its modules are joined in one :class:`~.project.ProjectIndex`,
and the project phase's propagation finds which of its sync functions and methods reach a primitive.
The result is an **overlay**: catalog-shaped data (``functions`` and ``types``, the catalog's schema)
plus, per derived API, where the fact comes from (``origin``: the distribution and version, and the
chain down to the primitive).  Installed into the catalog (:func:`install`), hand entries win.

Two sources, same derivation:

- ``fakeasync_lint/data/libfacts.json``: shipped facts, generated from pinned wheels by
  ``bench/libfacts/generate.py`` (the project's dependencies are often not installed where the linter
  runs: pre-commit's isolated environment, a lint-only CI job);
- the project's environment (``environment.py``): the installed version is the truth, so its facts
  replace the shipped ones for the same distribution.

Nothing here imports or runs the code it reads.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
from typing import Dict, Iterable, List, Optional, Tuple

from . import catalog

STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"__future__", "typing_extensions"}

# the catalog family a derived API gets, by the rule code of the primitive it reaches
LIB_FAMILY_OF_CODE = {
    "FAK101": "lib_db",
    "FAK102": "lib_http",
    "FAK103": "lib_sleep",
    "FAK104": "lib_file",
    "FAK105": "lib_subprocess",
    "FAK106": "lib_net",
    "FAK107": "lib_wait",
}
LIB_FAMILIES = frozenset(LIB_FAMILY_OF_CODE.values())
_RANK = {"FAK101": 0, "FAK102": 1, "FAK106": 2, "FAK105": 3, "FAK104": 4, "FAK103": 5, "FAK107": 6}
# primitives that do not make a library call blocking: a library's own locks guard short critical
# sections (uncontended in practice), unlike waiting for a thread, a future or a queue
_NOT_SEEDS = frozenset(("thread_lock",
                        # `queue.put` on the unbounded queues of analytics/logging clients returns at
                        # once; a library's `queue.get` runs in its own consumer thread
                        "thread_queue",
                        # a stat of a config or certificate path (`os.path.exists`): microseconds, and
                        # not what the call is for
                        "os_path",
                        # `asyncio.run(self.render_async())` in a sync API's async mode (jinja2's
                        # `Template.render` with `enable_async`): a mode switch, not the call's I/O
                        "asyncio_nested"))
# socket families: not seeds in a module that makes its sockets non-blocking (`sock.setblocking(False)`):
# an event-loop-driven library (paho-mqtt's wake-up socket pair, a select-based connection) only sends
# what the socket takes at once
_SOCKET_FAMILIES = frozenset(("socket", "ssl"))
# ... but opening the connection blocks before any `setblocking(False)` (DNS lookup and TCP handshake:
# paho-mqtt's `Client.connect`)
_CONNECTS = frozenset(("socket.create_connection",))
# writing to a stream a library was given or holds (`click.echo` flushes sys.stdout, a logger's handler
# writes its stream): console and log output, not the call's I/O (the tool's rule for logging); opening
# and reading files stay seeds
_STREAM_APIS = frozenset(("io.file.write", "io.file.writelines", "io.file.flush", "io.file.close"))
_INSPECTIONS = frozenset(("isinstance", "hasattr", "callable", "os.path.isfile", "os.path.exists", "os.path.isdir",
                          "path.isfile", "path.exists", "isfile", "exists"))
# metadata queries of the pathlib / os families (same reason as os_path above)
_CHEAP_APIS = frozenset(("exists", "is_file", "is_dir", "is_symlink", "resolve", "absolute", "stat", "lstat",
                         "samefile", "home", "expanduser", "cwd", "getcwd", "access", "fstat"))

MAX_MODULE_BYTES = 600_000  # bigger modules are generated data (protobuf, tables): not summarised
MAX_MODULES = 20_000
# members that are not the call's own I/O (precision rules, issue 14)
_NOT_IO = frozenset(("__del__", "__repr__", "__str__", "__hash__", "__eq__", "__format__", "__dir__",
                     "__getattr__", "__getattribute__", "__setattr__", "__init_subclass__", "__class_getitem__"))
_KEPT_DUNDERS = frozenset(("__init__", "__enter__", "__exit__", "__call__", "__iter__", "__next__"))
_PROPERTY = frozenset(("property", "cached_property", "functools.cached_property"))


def _public(name: str) -> bool:
    return not name.startswith("_") or name in _KEPT_DUNDERS


# ---- finding modules ---------------------------------------------------------------------------------
def find_module(search: Iterable[str], mod: str) -> Optional[Tuple[str, bool]]:
    """(file, is_package) of dotted module ``mod`` on the search path, or None.  Sources only (``.py``;
    a ``.pyi`` stub where no source exists): compiled extensions have no code to read."""
    parts = mod.split(".")
    for d in search:
        base = os.path.join(d, *parts)
        for cand, pkg in ((os.path.join(base, "__init__.py"), True), (base + ".py", False),
                          (os.path.join(base, "__init__.pyi"), True), (base + ".pyi", False)):
            if os.path.isfile(cand):
                return cand, pkg
    return None


_SKIP_DIRS = frozenset(("tests", "test", "testing", "examples", "example", "docs", "benchmarks", "_vendor",
                        "vendor", "__pycache__"))


def package_modules(search: Iterable[str], root: str, limit: int = MAX_MODULES) -> List[str]:
    """Every module of package ``root`` (its first location on the search path), tests and vendored
    trees left out: a project may import any of them (`from twilio.rest import Client`)."""
    for d in search:
        base = os.path.join(d, *root.split("."))
        if os.path.isfile(os.path.join(base, "__init__.py")) or os.path.isdir(base) and not os.path.isfile(
                base + ".py"):
            out = []
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = sorted(x for x in dirnames if x not in _SKIP_DIRS and x.isidentifier())
                rel = os.path.relpath(dirpath, d).replace(os.sep, ".")
                for f in sorted(filenames):
                    if f.endswith(".py") and f[:-3].isidentifier():
                        out.append(rel if f == "__init__.py" else rel + "." + f[:-3])
                if len(out) > limit:
                    return out[:limit]
            return out
        if os.path.isfile(base + ".py"):
            return [root]
    return []


_HAND_ROOTS: Optional[frozenset] = None


def hand_roots() -> frozenset:
    """Import roots the hand catalog covers (its functions', types' and aliases' first names)."""
    global _HAND_ROOTS
    if _HAND_ROOTS is None:
        names = set(catalog.MODULE_ROOTS)
        for q, spec in catalog.FUNCTIONS.items():
            if not spec.get("_derived"):
                names.add(q.split(".", 1)[0])
        for t, spec in catalog.TYPES.items():
            if not spec.get("_derived"):
                names.add(t.split(".", 1)[0])
                names.update(a.split(".", 1)[0] for a in (spec.get("aliases") or "").split())
        _HAND_ROOTS = frozenset(n for n in names if n not in STDLIB and n != "builtins")
    return _HAND_ROOTS


def _want(name: str, hand, seen: set, todo: list) -> None:
    """Queue the modules an imported name may be (``closure`` and ``prefetch_modules``): `a.b.c` may be a
    module or a name inside `a.b`: the longest module, and its packages. Libraries the hand catalog covers
    (requests, httpx, redis, ...) are not read: the catalog answers their APIs before any module would be
    looked at; the standard library stays catalog-driven."""
    parts = name.split(".")
    if not parts[0] or parts[0] in STDLIB or parts[0] in hand:
        return
    for i in range(len(parts), 0, -1):
        m = ".".join(parts[:i])
        if m not in seen:
            seen.add(m)
            todo.append(m)


def closure(search: List[str], roots: Iterable[str], analyse, limit: int = MAX_MODULES, log=None):
    """Summaries of the library modules reached from ``roots`` (dotted names imported by the project),
    following the libraries' own imports; only modules that are imported are read.  ``analyse(path,
    module, is_pkg)`` returns a summary (the runner's cached, guarded analysis).  The standard library
    is never summarised (it stays catalog-driven)."""
    summaries: Dict[str, dict] = {}
    seen = set()
    todo = []
    roots = list(roots)
    own = {r.split(".", 1)[0] for r in roots}
    hand = hand_roots() - own

    def want(name: str) -> None:
        _want(name, hand, seen, todo)

    for r in roots:
        want(r)
    while todo and len(summaries) < limit:
        mod = todo.pop()
        hit = find_module(search, mod)
        if hit is None:
            continue
        path, is_pkg = hit
        try:
            if os.path.getsize(path) > MAX_MODULE_BYTES:
                if log:
                    log(f"library module skipped (over {MAX_MODULE_BYTES} bytes): {path}")
                continue
        except OSError:
            continue
        s = analyse(path, mod, is_pkg)
        if s is None or s.get("error"):
            if log:
                log(f"library module not analysed: {path}" + (f" ({s.get('error')})" if s else ""))
            continue
        summaries[mod] = s
        for q in s["imports"].values():
            if q and not q.startswith("*"):
                want(q)
    return summaries


def _term_roots(term, out: set, depth: int = 0) -> None:
    if depth > 12 or not isinstance(term, (tuple, list)) or not term:
        return
    if term[0] == "Q" and len(term) > 1 and isinstance(term[1], str):
        out.add(term[1].split(".", 1)[0])
        return
    for x in term[1:]:
        if isinstance(x, (tuple, list)):
            _term_roots(x, out, depth + 1)


def called_roots(summaries) -> List[str]:
    """The import roots of installed packages the project's calls name (``stripe`` for
    ``stripe.Customer.create(...)``) whose facts would be derived from the environment on first use and
    are not in the library cache: what ``runner`` reads ahead, in parallel (``prefetch_modules``)."""
    st = STATE
    if st.env is None:
        return []
    names: set = set()
    for s in summaries:
        for f in (s.get("functions") or {}).values():
            for rec in f.get("calls") or ():
                _term_roots(rec[4], names)
        for rec in s.get("module_calls") or ():
            _term_roots(rec[4], names)
    hand = hand_roots()
    out = []
    for root in sorted(names):
        if not root.isidentifier() or root in STDLIB or root in st.project_roots or root == "builtins" \
                or root in hand or root in st.asked or st.env.is_namespace(root):
            continue
        where = _env_entry(root)
        if where is None or (where[3] is not None and os.path.exists(where[3])):
            continue
        out.append(root)
    return out


def prefetch_modules(roots: List[str], analyse_many, limit: int = MAX_MODULES) -> int:
    """Summarise, wave after wave, the library modules ``closure`` will want for ``roots`` (their packages'
    modules, then what those import, ...), each wave through ``analyse_many([(path, module, is_pkg)])``
    (the runner's worker processes), into the memo ``_summarise`` reads: the derivation then finds every
    module already read.  Returns the number of modules summarised."""
    st = STATE
    search = st.env.search
    hand = hand_roots() - {r.split(".", 1)[0] for r in roots}
    seen: set = set()
    wave: List[str] = []

    def want(name: str) -> None:  # as ``closure``
        _want(name, hand, seen, wave)

    for r in roots:
        for m in package_modules(search, r) or [r]:
            want(m)
    done = 0
    while wave and done < limit * max(1, len(roots)):
        jobs = []
        for mod in wave:
            hit = find_module(search, mod)
            if hit is None or (hit[0], mod) in st.memo:
                continue
            try:
                if os.path.getsize(hit[0]) > MAX_MODULE_BYTES:
                    continue
            except OSError:
                continue
            jobs.append((hit[0], mod, hit[1]))
        wave = []
        if not jobs:
            break
        for (path, mod, _pkg), summary in zip(jobs, analyse_many(jobs)):
            st.memo[(path, mod)] = summary
            st.derived_modules += 1
            done += 1
            if summary is not None and not summary.get("error"):
                for q in summary["imports"].values():
                    if q and not q.startswith("*"):
                        want(q)
    return done


# ---- deriving ------------------------------------------------------------------------------------
def _value_type(v, classes) -> Optional[str]:
    """The type key a resolved value gives its receiver: a library class, or a catalog type."""
    if v is None or not isinstance(v, tuple) or not v:
        return None
    if v[0] == "I" and len(v) == 2 and v[1] in classes:
        return v[1]
    if v[0] == "T" and len(v) == 2:
        return v[1]
    return None


def derive(summaries: Dict[str, dict], origin_of, hand=None) -> dict:
    """The overlay for library ``summaries`` (module -> summary).  ``origin_of(module)`` names the
    distribution (``"stripe 12.1.0"``) of a module whose API is exported, or None (a dependency
    summarised for its facts only).  ``hand``: (functions, types) that stay as they are (the catalog).

    The overlay: ``functions`` and ``types`` in the catalog's schema, where a blocking entry carries
    ``impl`` (the library function that implements it; for a type, ``{method: function}``); ``next``
    maps each blocking library function to the next frame of its chain, and ``prim`` the last frame to
    the primitive (api, catalog family): :func:`chain_of` rebuilds the chain from them."""
    from .project import ProjectIndex, build_facts, reachable_sites
    from .resolve import DEFER

    from .loops import io_kinds

    facts = build_facts(summaries, memoised_once=True)
    index = ProjectIndex(summaries)
    index.library = True
    res = index.resolver
    funcs = facts.functions
    # the round trips each async library function makes, awaited or not ("net", "db"): the loop rules'
    # facts about a library's coroutines (`await channel.send(...)` per item is one request each)
    aio_all = io_kinds(facts)

    def aio(fq: str) -> Optional[str]:
        f = funcs.get(fq)
        if f is None or not f.get("async") or f["name"] in _NOT_IO:
            return None
        kinds = aio_all.get(fq) or ()
        return "db" if "db" in kinds else "net" if "net" in kinds else None
    classes = index.classes
    hand_f = hand[0] if hand else catalog.FUNCTIONS
    hand_t = hand[1] if hand else catalog.TYPES
    hand_alias = set()
    for t, spec in hand_t.items():
        hand_alias.update((spec.get("aliases") or "").split())
    out_f: Dict[str, dict] = {}
    out_t: Dict[str, dict] = {}
    nxt: Dict[str, str] = {}
    prim: Dict[str, list] = {}
    family_of: Dict[str, Optional[str]] = {}

    def blocking(fq: str) -> Optional[str]:
        """The lib family when sync function fq blocks (and its chain recorded in next/prim), else None."""
        if fq in family_of:
            return family_of[fq]
        f = funcs.get(fq)
        family_of[fq] = None
        if f is None or f.get("async") or f["name"] in _NOT_IO or fq not in facts.blocks:
            return None
        # the chain to the primitive that says most about the call: a request reaches the network
        # before its retry loop's sleep or its netrc lookup
        best = None
        for ch in reachable_sites(facts, fq, limit=24):
            site = ch[-1]
            if site.family in _SOCKET_FAMILIES and site.module in nonblocking_modules \
                    and site.api not in _CONNECTS:
                continue
            if site.family.startswith("thread") and site.api.endswith((".__enter__", ".acquire")):
                continue  # `with self._condition:` / a semaphore: a library's critical section, like its locks
            if site.shape or any(e.shape for e in ch[:-1]):
                continue  # only for some kinds of argument (`if is_isin(ticker): cache.lookup(...)`)
            if (catalog.FAMILIES.get(site.family) or {}).get("code") == "FAK104" and any(
                    inspects(f) for f in [fq] + [e.callee for e in ch[:-1]] + [site.func]):
                continue  # a path or a stream: whether a file is opened depends on the caller's argument
            if site.family in _NOT_SEEDS or site.api in _STREAM_APIS or (
                    site.family in ("pathlib", "os_fs") and site.api.rsplit(".", 1)[-1] in _CHEAP_APIS):
                continue
            code = (catalog.FAMILIES.get(site.family) or {}).get("code")
            rank = _RANK.get(code)
            if rank is not None and (best is None or (rank, len(ch)) < best[0]):
                best = ((rank, len(ch)), ch, code)
        if best is None:
            return None
        ch = best[1]
        frames = [fq] + [e.callee for e in ch[:-1]]
        for a, b in zip(frames, frames[1:]):
            nxt.setdefault(a, b)
        prim.setdefault(frames[-1], [ch[-1].api, ch[-1].family])
        family_of[fq] = LIB_FAMILY_OF_CODE[best[2]]
        return family_of[fq]

    inspected: Dict[str, bool] = {}
    nonblocking_modules = {mod for mod, s in summaries.items() if any(
        (rec[7] or "").endswith(".setblocking") for f in s["functions"].values() for rec in f["calls"])}

    def inspects(fq: str) -> bool:
        """The function looks at what it was given (`isinstance`, `hasattr(x, "read")`, `is_path(x)`,
        `os.path.isfile(x)`): `Image.open(BytesIO(...))` and `qr.svg(stream)` open no file; only a
        path argument does, which the derivation cannot see."""
        hit = inspected.get(fq)
        if hit is None:
            f = funcs.get(fq)
            hit = False
            for rec in (f or {}).get("calls") or ():
                label = rec[7] or ""
                last = label.rsplit(".", 1)[-1]
                if label in _INSPECTIONS or last.startswith(("is_", "_is_")):
                    hit = True
                    break
            inspected[fq] = hit
        return hit

    def returns(fq: str) -> Optional[str]:
        f = funcs.get(fq)
        if f is None or f.get("async"):
            return None
        res._memo = {}
        res.module = f.get("module")
        try:
            v = res.call_result(("F", fq), False, 0)
        except RecursionError:
            return None
        if v is DEFER:
            return None
        return _value_type(v, classes)

    # public spellings: `stripe.Customer` is `stripe._customer.Customer` re-exported
    aliases: Dict[str, List[str]] = {}
    bound: List[Tuple[str, str]] = []  # (public name, method): module globals bound to an instance's method
    for mod, s in summaries.items():
        if origin_of(mod) is None or any(p.startswith("_") for p in mod.split(".")):
            continue
        for name, q in s["imports"].items():
            if name.startswith("*") and q and not q.startswith("*") and q in summaries:
                # `from .client import *` in `spotipy/__init__.py`: the module's public classes and functions
                m = summaries[q]
                pre = q + "."
                for d in (m["classes"], {fq: f for fq, f in m["functions"].items() if f.get("cls") is None}):
                    for x in d:
                        short = x[len(pre):] if x.startswith(pre) else ""
                        if short and "." not in short and _public(short) and not short.startswith("__"):
                            aliases.setdefault(x, []).append(mod + "." + short)
                continue
            if name.startswith(("_", "*")) or not q or q == mod + "." + name:
                continue
            aliases.setdefault(q, []).append(mod + "." + name)
        for name, t in (s.get("globals") or {}).items():
            if not name.startswith("_") and t and t[0] == "A":
                # `run = default_client.run` in `replicate/__init__.py`: a method of a module-level instance
                res._memo = {}
                res.module = mod
                try:
                    v = res.val(t)
                except RecursionError:
                    v = None
                if v is not None and v is not DEFER and v[0] == "F" and (funcs.get(v[1]) or {}).get("cls"):
                    bound.append((mod + "." + name, v[1]))
                continue
            # `get_client = create_client` in `clickhouse_connect/__init__.py`: another public name
            if name.startswith("_") or not t or t[0] not in ("Q", "F", "C") or not isinstance(t[1], str):
                continue
            q = t[1]
            if q != mod + "." + name and (q in index.functions or q in classes):
                aliases.setdefault(q, []).append(mod + "." + name)

    def spellings(q: str) -> List[str]:
        out = [q] + aliases.get(q, [])
        for a in out[1:]:  # an alias of an alias (`slack_sdk.WebClient` -> `slack_sdk.web.WebClient`)
            out.extend(x for x in aliases.get(a, []) if x not in out)
        return out

    def put_function(names: List[str], fq: str, ctor: Optional[str] = None) -> None:
        b = blocking(fq)
        r = ctor or returns(fq)
        a = None if ctor else aio(fq)
        if b is None and r is None and a is None:
            return
        spec = {}
        if b is not None:
            spec["family"] = b
            if names[0] != fq:  # the chain starts at the function that implements it
                spec["impl"] = fq
        if r is not None:
            spec["returns"] = r
        if a is not None:
            spec["aio"] = a
        for n in names:
            if n not in hand_f and n not in hand_alias and (ctor is None or b is not None):
                # a public spelling (`click.echo` for `click.utils.echo`) names the implementation
                out_f[n] = dict(spec, impl=fq) if b is not None and n != fq and "impl" not in spec else spec

    for mod, s in summaries.items():
        if origin_of(mod) is None:
            continue
        for fq, f in s["functions"].items():
            if f.get("cls") is None and fq == mod + "." + f["name"] and _public(f["name"]):
                put_function(spellings(fq), fq)
        for cq, c in s["classes"].items():
            name = cq.rsplit(".", 1)[-1]
            if name.startswith("_") or "<locals>" in cq:
                continue
            names = spellings(cq)
            if cq not in hand_t and cq not in hand_alias:
                spec = _type_spec(index, res, cq, blocking, returns, classes, aio)
                if spec is not None:
                    extra = list(dict.fromkeys(n for n in names[1:] if n not in hand_t and n not in hand_alias))
                    if extra:
                        spec["aliases"] = " ".join(extra)
                    out_t[cq] = spec
            # classmethods / staticmethods called on the class: `stripe.Customer.create(...)`
            for m, fq in c["methods"].items():
                f = funcs.get(fq)
                if f is None or m.startswith("_"):
                    continue
                if any(d[0] == "name" and (d[1] or "").rsplit(".", 1)[-1] in ("classmethod", "staticmethod")
                       for d in f.get("deco") or ()):
                    put_function([cq + "." + m], fq)  # public spellings: Resolver.qual
            # a constructor that connects or reads a file blocks where it is called
            init = index.class_member(cq, "__init__", False)
            if init is not None and init[0] == "method" and cq not in hand_f:
                put_function(names, init[1], ctor=cq)
    for name, fq in bound:
        put_function([name], fq)
    return _prune({"functions": out_f, "types": out_t, "next": nxt, "prim": prim})


def _prune(ov: dict) -> dict:
    """Keep what can matter to a caller: blocking entries, and the types (and factories) that lead to
    a blocking method through return values and attributes."""
    types = ov["types"]
    keep = {t for t, spec in types.items() if spec.get("blocking") or spec.get("props") or spec.get("aio")}
    changed = True
    while changed:
        changed = False
        for t, spec in types.items():
            if t in keep:
                continue
            if any(r in keep for r in (spec.get("returns") or {}).values()) or any(
                    a in keep for a in (spec.get("attrs") or {}).values()) or spec.get("call") in keep \
                    or spec.get("subscript") in keep:
                keep.add(t)
                changed = True
    out_t = {}
    for t in keep:
        spec = dict(types[t])
        for k in ("returns", "attrs"):
            m = {a: r for a, r in (spec.get(k) or {}).items() if r in keep or r in catalog.TYPES}
            if m:
                spec[k] = m
            else:
                spec.pop(k, None)
        for k in ("call", "subscript"):
            if spec.get(k) and not (spec[k] in keep or spec[k] in catalog.TYPES):
                spec.pop(k)
        out_t[t] = spec
    out_f = {q: spec for q, spec in ov["functions"].items()
             if spec.get("family") or spec.get("aio") or spec.get("returns") in keep
             or spec.get("returns") in catalog.TYPES}
    used = set()
    for q, spec in out_f.items():
        if spec.get("family"):
            used.add(spec.get("impl") or q)
    for t, spec in out_t.items():
        impl = spec.get("impl") or {}
        for m in (spec.get("blocking", "") + " " + spec.get("props", "")).split():
            used.add(impl.get(m) or t + "." + m)
    nxt, prim = ov["next"], ov["prim"]
    keep_n, keep_p = {}, {}
    for fq in used:
        seen = set()
        while fq not in prim and fq in nxt and fq not in seen:
            seen.add(fq)
            keep_n[fq] = nxt[fq]
            fq = nxt[fq]
        if fq in prim:
            keep_p[fq] = prim[fq]
    return {"functions": out_f, "types": out_t, "next": keep_n, "prim": keep_p}


def _host_block(index, cq: str, fq: str, blocking, seen: set) -> Optional[str]:
    """The method of class ``cq`` that makes its inherited mixin method ``fq`` block: a member ``fq`` calls on
    ``self`` that the mixin does not define (``f["mixin"]``) and ``cq`` provides with a blocking method, also
    through the mixin's own methods ``fq`` calls (`create_container` -> `create_container_from_config` ->
    `self._post_json`).  None when there is none (sync methods only)."""
    f = index.functions.get(fq)
    if f is None or f.get("async") or len(seen) > 24:
        return None
    seen.add(fq)
    base = f.get("cls")
    if base is None:
        return None
    for name in f.get("mixin") or ():
        if index.class_member(base, name, True) is not None:
            continue
        found = index.class_member(cq, name, True)
        if found and found[0] == "method" and found[1] != fq and blocking(found[1]) is not None:
            return found[1]
    for rec in f.get("calls") or ():
        t = rec[4]
        if not t or t[0] != "A" or not t[1] or t[1][0] not in ("I", "C") or t[1][1] != base:
            continue  # `self.<method>(...)` of the mixin itself
        found = index.class_member(base, t[2], True)
        if found and found[0] == "method" and found[1] not in seen:
            hit = _host_block(index, cq, found[1], blocking, seen)
            if hit is not None:
                return hit
    return None


def _type_spec(index, res, cq: str, blocking, returns, classes, aio=lambda fq: None) -> Optional[dict]:
    """Catalog type spec of library class ``cq``: its blocking methods (inherited ones included), the
    library types its methods return and its attributes hold, and its coroutine methods that make a
    round trip (``aio``: {method: "net" / "db"})."""
    names = []
    seen = set()
    stack = [cq]
    depth = 0
    while stack and depth < 12:
        depth += 1
        k = stack.pop()
        rec = index.classes.get(k)
        if rec is None or k in seen:
            continue
        seen.add(k)
        names.extend(rec["methods"])
        names.extend(rec["attrs"])
        for b in rec["bases"]:
            bv = res.val(b)
            if bv and bv[0] == "C":
                stack.append(bv[1])
    block, rets, attrs, impl, props, aios = [], {}, {}, {}, [], {}
    for m in dict.fromkeys(names):
        if not _public(m) or m in _NOT_IO:
            continue
        found = index.class_member(cq, m, True)
        if not found:
            continue
        if found[0] == "method":
            f = index.functions.get(found[1])
            if f is None:
                continue
            prop = any(d[0] == "name" and (d[1] or "") in _PROPERTY for d in f.get("deco") or ()) or f.get("prop")
            r = returns(found[1]) or _typevar_return(res, f, cq, classes)
            if prop:
                if r:
                    attrs[m] = r
                if blocking(found[1]) is not None:  # reading it runs the getter: `Ticker(s).info`
                    props.append(m)
                    if found[1] != cq + "." + m:
                        impl[m] = found[1]
                continue
            if blocking(found[1]) is not None:
                block.append(m)
                if found[1] != cq + "." + m:  # inherited: the chain starts at the base's method
                    impl[m] = found[1]
            elif found[1] != cq + "." + m:
                # a mixin's method whose `self._post_json(...)` only this class provides (docker's
                # `ContainerApiMixin.create_container` on `APIClient`): blocking here, through the host's method
                host = _host_block(index, cq, found[1], blocking, set())
                if host is not None:
                    block.append(m)
                    impl[m] = host
            a = aio(found[1])
            if a is not None:
                aios[m] = a
            if r:
                rets[m] = r
        elif found[0] == "attr":
            try:
                # `self.pages = PagesEndpoint(self)`: the call's result, an instance
                v = res.val(found[1])
                t = _value_type(v, classes)
                if t is None and found[1] and found[1][0] == "R":
                    t = _value_type(res.val(found[1][1]), classes)
            except RecursionError:
                continue
            if t:
                attrs[m] = t
    item = None
    gi = index.class_member(cq, "__getitem__", True)
    if gi and gi[0] == "method":
        item = returns(gi[1])  # `client.collections["books"]`: the catalog's "subscript"
    if not (block or rets or attrs or props or item or aios):
        return None
    spec: dict = {}
    if props:
        spec["props"] = " ".join(sorted(props))
    if block or props:
        fams = {blocking(impl.get(m, cq + "." + m)) for m in block + props}
        spec["family"] = sorted(fams)[0] if len(fams) == 1 else "lib_net" if "lib_net" in fams else sorted(fams)[0]
        if block:
            spec["blocking"] = " ".join(sorted(block))
        if impl:
            spec["impl"] = impl
    if rets:
        spec["returns"] = rets
        if rets.get("__call__"):
            spec["call"] = rets["__call__"]  # calling an instance: `reddit.subreddit("python")`
    if attrs:
        spec["attrs"] = attrs
    if item:
        spec["subscript"] = item
    if aios:
        spec["aio"] = aios
    return spec


def _typevar_return(res, f: dict, cq: str, classes) -> Optional[str]:
    """A method of a generic base that returns its type variable (`GetMixin.get -> TObjCls`) returns, on
    ``cq``, the type ``cq`` gives it (`ProjectManager(CRUDMixin[Project])`: a Project)."""
    rt = f.get("returns")
    owner = f.get("cls")
    if rt is None or owner is None or owner == cq:
        return None
    try:
        tv = res._typevar(rt)
        if tv is None:
            return None
        t = res._typevar_binding(cq, owner, tv, 0)
        if t is None or res._typevar(t) is not None:
            return None
        return _value_type(res.val(t), classes)
    except RecursionError:
        return None


# ---- installing -------------------------------------------------------------------------------------
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "libfacts")

NEXT: Dict[str, str] = {}  # library function -> next frame of its chain (installed overlays)
PRIM: Dict[str, list] = {}  # last library frame -> [primitive api, catalog family]
LIB_OF_ROOT: Dict[str, str] = {}  # import root -> "stripe 12.1.0, shipped facts" / "..., installed"


class _State:
    def __init__(self):
        self.shipped = True  # use the shipped facts
        self.env = None  # environment.Environment: derive from installed packages
        self.cache_dir: Optional[str] = None  # where derived facts are kept (None: not kept)
        self.project_roots: frozenset = frozenset()  # the project's own top-level names: never libraries
        self.asked: set = set()
        self.namespaces: set = set()
        self.index: Optional[dict] = None
        self.log = None
        self.derived_modules = 0
        self.derive = None  # (summarise) hook: the runner's guarded analysis
        self.on_derive = None  # called with "name version" before a package is derived (editor progress)
        self.notes: List[str] = []  # modules that could not be analysed, derivation failures (--verbose)
        self.memo: Dict[tuple, Optional[dict]] = {}  # (path, module) -> summary, while deriving


STATE = _State()


def configure(env=None, cache_dir=None, shipped: bool = True, project_roots=(), log=None, on_derive=None) -> None:
    """Set where library facts come from for the next project phase (the runner calls this).  Facts
    already installed stay: they are a function of (shipped data, environment), so a long-lived process
    (the language server) keeps them while the environment is the same."""
    key = (getattr(env, "fingerprint", None), shipped)
    if getattr(STATE, "key", None) != key:
        reset()
        STATE.key = key
    STATE.env = env
    STATE.cache_dir = cache_dir
    STATE.shipped = shipped
    STATE.project_roots = frozenset(project_roots)
    STATE.notes = []
    STATE.memo = {}  # summaries are kept for one run only (derived facts are kept on disk)
    STATE.derived_modules = 0
    STATE.log = log or STATE.notes.append
    STATE.on_derive = on_derive


def reset() -> None:
    """Remove every installed library fact (tests; a changed environment)."""
    from . import resolve

    for q in [q for q, spec in catalog.FUNCTIONS.items() if spec.get("_derived")]:
        del catalog.FUNCTIONS[q]
    for t in [t for t, spec in catalog.TYPES.items() if spec.get("_derived")]:
        del catalog.TYPES[t]
    NEXT.clear()
    PRIM.clear()
    LIB_OF_ROOT.clear()
    STATE.asked = set()
    STATE.namespaces = set()
    STATE.memo = {}
    STATE.derived_modules = 0
    STATE.notes = []
    resolve.rebuild_tables()


def shipped_index() -> dict:
    if STATE.index is None:
        try:
            with open(os.path.join(DATA_DIR, "index.json"), "rb") as fh:
                STATE.index = json.loads(fh.read()).get("roots") or {}
        except (OSError, ValueError):
            STATE.index = {}
    return STATE.index


def data_fingerprint() -> str:
    """Identity of the shipped facts (part of the cache salt)."""
    try:
        with open(os.path.join(DATA_DIR, "index.json"), "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:16]
    except OSError:
        return "none"


def ensure(q: str) -> bool:
    """Install the library facts for the import root of qualified name ``q`` on first use: the installed
    package's derived facts when the environment has it, else the shipped facts.  True when something
    was installed (the caller looks again).  A namespace package's root (``google``, ``azure``) has no
    facts of its own: its packages (``google.cloud.storage``) are the keys."""
    root = q.split(".", 1)[0]
    st = STATE
    if root in st.asked:
        return root in st.namespaces and _ensure_namespace(q)
    st.asked.add(root)
    if root in STDLIB or root in st.project_roots or root == "builtins":
        return False
    if _is_namespace(root):
        st.namespaces.add(root)
        return _ensure_namespace(q)
    return _install_key(root)


def _ensure_namespace(q: str) -> bool:
    parts = q.split(".")
    got = False
    for i in range(2, min(4, len(parts)) + 1):
        key = ".".join(parts[:i])
        if key in STATE.asked:
            continue
        STATE.asked.add(key)
        if (STATE.env is not None and STATE.env.has_package(key)) or key in shipped_index():
            got = _install_key(key) or got
    return got


def _is_namespace(root: str) -> bool:
    if STATE.env is not None and STATE.env.is_namespace(root):
        return True
    pre = root + "."
    return any(k.startswith(pre) for k in shipped_index()) if STATE.shipped else False


def _install_key(root: str) -> bool:
    st = STATE
    ov, label = None, None
    if st.env is not None:
        try:
            ov, label = _from_environment(root)
        except Exception as e:  # a library that cannot be analysed only loses its own facts
            if st.log:
                st.log(f"library facts for {root!r} not derived: {type(e).__name__}: {e}")
            ov = None
    if ov is None and st.shipped:
        ov, label = _from_shipped(root)
    if not ov:
        return False
    LIB_OF_ROOT[root] = label
    install(ov, label)
    for r in _referenced_roots(ov):
        if r != root.split(".", 1)[0]:
            ensure(r)
    return True


def _referenced_roots(ov: dict) -> set:
    out = set()
    for spec in ov.get("functions", {}).values():
        if spec.get("returns"):
            out.add(spec["returns"].split(".", 1)[0])
    for spec in ov.get("types", {}).values():
        for k in ("returns", "attrs"):
            for t in (spec.get(k) or {}).values():
                out.add(t.split(".", 1)[0])
        for k in ("call", "subscript"):
            if spec.get(k):
                out.add(spec[k].split(".", 1)[0])
    return out


def _from_shipped(root: str):
    entry = shipped_index().get(root)
    if entry is None:
        return None, None
    path = os.path.join(DATA_DIR, entry["file"])
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None, None
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        if STATE.log:
            STATE.log(f"shipped library facts damaged (checksum): {path}")
        return None, None
    try:
        ov = json.loads(gzip.decompress(data) if entry["file"].endswith(".gz") else data)
    except (ValueError, OSError, EOFError):
        return None, None
    return ov, f"{entry['dist']} {entry['version']}, shipped facts"


def _from_environment(root: str):
    env = STATE.env
    if root.split(".", 1)[0] in hand_roots():
        # the catalog's hand entries are the authority for the libraries they cover (requests, httpx,
        # SQLAlchemy, redis, ...): deriving them again would cost their whole code for nothing
        return None, None
    where = _env_entry(root)
    if where is None:
        return None, None
    name, version, label, path = where
    cached = _read_checked(path) if path is not None else None
    if cached is not None:
        return cached, label
    if STATE.on_derive is not None:
        STATE.on_derive(f"{name} {version}")  # the slow path: once per installed version
    summaries = closure(env.search, package_modules(env.search, root) or [root], _summarise, log=STATE.log)
    pre = root + "."
    # the derivation sees only the catalog's hand entries and these summaries: the facts of a root
    # never depend on which other roots a project happened to install first
    saved = _suspend()
    try:
        ov = derive(summaries, lambda mod: label if mod == root or mod.startswith(pre) else None)
    finally:
        _restore(saved)
    if path is not None:
        _write_checked(path, ov)
    return ov, label


def _env_entry(root: str):
    """(distribution, version, label, cache path or None) of an installed import root, or None."""
    dist = STATE.env.dist_of(root)
    if dist is None:
        return None
    name, version = dist
    from . import __version__

    key = hashlib.sha256(repr((root, name, version, __version__, catalog_fingerprint())).encode()).hexdigest()[:20]
    path = os.path.join(STATE.cache_dir, f"{root}-{key}.json") if STATE.cache_dir else None
    return name, version, f"{name} {version}, installed", path


def _suspend():
    from . import resolve

    saved = ({q: s for q, s in catalog.FUNCTIONS.items() if s.get("_derived")},
             {t: s for t, s in catalog.TYPES.items() if s.get("_derived")}, STATE.asked)
    for q in saved[0]:
        del catalog.FUNCTIONS[q]
    for t in saved[1]:
        del catalog.TYPES[t]
    STATE.asked = _ALL
    resolve.rebuild_tables()
    return saved


def _restore(saved) -> None:
    from . import resolve

    catalog.FUNCTIONS.update(saved[0])
    catalog.TYPES.update(saved[1])
    STATE.asked = saved[2]
    resolve.rebuild_tables()


class _AllSet(set):
    def __contains__(self, x) -> bool:
        return True


_ALL = _AllSet()


def _summarise(path: str, mod: str, is_pkg: bool) -> Optional[dict]:
    """A library module's summary; a dependency shared by several roots (pydantic, protobuf) is read once
    per process."""
    key = (path, mod)
    memo = STATE.memo
    if key not in memo:
        memo[key] = _summarise_file(path, mod, is_pkg)
        STATE.derived_modules += 1
    return memo[key]


def _summarise_file(path: str, mod: str, is_pkg: bool) -> Optional[dict]:
    from . import analysis

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    hook = STATE.derive
    return hook(data, path, mod, is_pkg) if hook else analysis.analyze(data, path, mod, is_pkg)


def _read_checked(path: str) -> Optional[dict]:
    """A cached overlay: JSON with its checksum on the first line; anything else is ignored (rebuilt)."""
    try:
        with open(path, "rb") as fh:
            head = fh.readline().strip()
            body = fh.read()
    except OSError:
        return None
    if hashlib.sha256(body).hexdigest().encode() != head:
        return None
    try:
        ov = json.loads(body)
    except ValueError:
        return None
    return ov if isinstance(ov, dict) else None


def _write_checked(path: str, ov: dict) -> None:
    body = json.dumps(ov, sort_keys=True, separators=(",", ":")).encode()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        os.replace(tmp, path)
    except OSError:
        pass


def catalog_fingerprint() -> str:
    """The hand catalog's identity (derived entries left out)."""
    h = hashlib.sha256()
    h.update(repr((catalog.FAMILIES, {q: s for q, s in catalog.FUNCTIONS.items() if not s.get("_derived")},
                   {t: s for t, s in catalog.TYPES.items() if not s.get("_derived")},
                   catalog.MODULE_ROOTS)).encode())
    return h.hexdigest()[:16]


def install(overlay: dict, source: str = "derived") -> int:
    """Merge an overlay into the catalog; hand entries win.  Returns the entries added."""
    from . import resolve

    n = 0
    for q, spec in (overlay.get("functions") or {}).items():
        cur = catalog.FUNCTIONS.get(q)
        if cur is not None and not cur.get("_derived"):
            continue
        catalog.FUNCTIONS[q] = dict(spec, _derived=source)
        n += 1
    added = {}
    for t, spec in (overlay.get("types") or {}).items():
        cur = catalog.TYPES.get(t)
        if cur is not None and not cur.get("_derived"):
            continue
        ctor = catalog.FUNCTIONS.get(t)
        if ctor is not None and not ctor.get("_derived") and ctor.get("returns") not in (None, t):
            continue  # the hand catalog says what this class is (sqlmodel's `AsyncSession` is SQLAlchemy's)
        spec = dict(spec, _derived=source)
        if spec.get("aliases"):  # data generated before the spellings were deduplicated named some twice
            spec["aliases"] = " ".join(dict.fromkeys(spec["aliases"].split()))
        catalog.TYPES[t] = added[t] = spec
        n += 1
    NEXT.update(overlay.get("next") or {})
    PRIM.update(overlay.get("prim") or {})
    resolve.add_types(added)
    return n


def chain_of(api: str) -> Optional[Tuple[str, List[str], str]]:
    """(source label, library frames, primitive api) for a derived blocking API (``stripe.Customer.create``
    or ``stripe._customer.Customer.create`` as a type method), None for hand entries."""
    spec = catalog.FUNCTIONS.get(api)
    impl = None
    if spec is not None and spec.get("_derived"):
        impl = spec.get("impl") or api
    elif "." in api:
        t, m = api.rsplit(".", 1)
        ts = catalog.TYPES.get(t)
        if ts is not None and ts.get("_derived"):
            impl = (ts.get("impl") or {}).get(m) or api
            spec = ts
    if impl is None:
        return None
    frames = [impl]
    seen = {impl}
    while frames[-1] not in PRIM and frames[-1] in NEXT and len(frames) < 40:
        n = NEXT[frames[-1]]
        if n in seen:
            break
        seen.add(n)
        frames.append(n)
    p = PRIM.get(frames[-1])
    return spec["_derived"], frames, (p[0] if p else "?")
