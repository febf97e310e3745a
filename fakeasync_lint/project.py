"""The project index: per-file summaries -> resolved calls, propagation, entry points.

Everything here works on compact summaries (dicts from ``analysis.analyze`` or the cache), never on
trees.  Output: :class:`Facts`, which the rules turn into diagnostics.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from . import analysis, catalog
from .loops import writes
from .resolve import _CLASS_METHODS, DEFER, DJANGO_USER, MODEL_INSTANCE_TYPE, ROW, TYPES, Resolver, rebind, async_io_kind, classify, function_spec, library_async_io, match_user_pattern, value_name

import re
import sys

_DB_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|UPSERT|MERGE|CREATE|ALTER|DROP|TRUNCATE)\b", re.I)

HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}

# Shapes of awaited I/O on receivers that cannot be typed (loop rules only; see loops.py and the README):
#   db:  `await <x>.execute|fetch*|scalar(s)(...)` whose first argument is SQL text (SELECT/INSERT/... in a
#        string) or a SQL builder (`select(...)`, `text(...)`), or whose receiver is named like a database
#        handle (cursor, cur, conn, connection, db, database, session, tx, pool)
#   net: `await <x>.get|post|put|patch|delete|request(...)` on a receiver named like an HTTP client
#        (client, session, http, http_client, api, api_client), and `await <x>.get_*|fetch_*|list_*|
#        retrieve_*|download_*|query_*|search_*|lookup_*(...)` on one named like an API client (client,
#        http, api: `evnex_client.get_charge_point_detail(cp.id)`)
_SHAPE_DB_METHODS = frozenset(catalog.SHAPE_DB_METHODS.split())
_SHAPE_NET_METHODS = frozenset(catalog.SHAPE_NET_METHODS.split())
_SHAPE_SQL = re.compile(r"""^\s*(?:[rbuf]*["']{1,3}\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b|"""
                        r"""(?:sa\.|sqlalchemy\.)?(select|text|insert|update|delete)\s*\()""", re.I)
_SHAPE_DB_RECV = re.compile(r"(?:^|_)(cursor|cur|conn|connection|db|database|session|tx|pool)$", re.I)
_SHAPE_NET_RECV = re.compile(r"(?:^|_)(client|session|http|api)$", re.I)
_SHAPE_NET_PREFIXES = tuple(catalog.SHAPE_NET_PREFIXES.split())
_SHAPE_API_RECV = re.compile(r"(?:^|_)(client|http|api)$", re.I)
# a gRPC stub (protoc's generated `XServiceStub`): each method is a remote procedure named in CamelCase
_SHAPE_STUB_RECV = re.compile(r"(?:^|_)stub$", re.I)
_SHAPE_RPC_METHOD = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)*$")


def shape_io(label: str, text: str) -> Optional[str]:
    """"db" / "dbw" / "net" when an awaited call on an untyped receiver has the shape of a round trip."""
    if "." not in label:
        return None
    recv, method = label.rsplit(".", 1)
    recv = recv.rsplit(".", 1)[-1]
    if recv.endswith("(...)"):
        return None
    paren = text.find("(")
    first = text[paren + 1:] if paren >= 0 else ""
    if method in _SHAPE_DB_METHODS:
        sql = _SHAPE_SQL.match(first)
        if sql or _SHAPE_DB_RECV.search(recv):
            return "dbw" if sql and (sql.group(1) or sql.group(2) or "").upper() in (
                "INSERT", "UPDATE", "DELETE", "REPLACE") else "db"
        return None
    if method in _SHAPE_NET_METHODS and _SHAPE_NET_RECV.search(recv):
        return "net"
    if method.startswith(_SHAPE_NET_PREFIXES) and _SHAPE_API_RECV.search(recv):
        return "net"
    if _SHAPE_STUB_RECV.search(recv) and _SHAPE_RPC_METHOD.match(method):
        return "net"  # `await self.stub.SendResult(request)`: a gRPC call (grpc.aio)
    return None
ROUTE_DECORATORS = HTTP_VERBS | {"api_route", "route", "websocket", "websocket_route", "view"}


@dataclass
class Site:
    """A blocking call (or iteration) found in a function body."""

    func: str  # qualified name of the function containing it
    module: str
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    text: str  # the call as written
    label: str  # callee display form, e.g. cursor.execute
    family: str
    api: str
    fix: Optional[str]
    replacement: Optional[str]
    awaited: bool
    in_loop: bool
    iteration: bool
    user_pattern: Optional[Tuple[str, str]] = None  # FAK108: (pattern, suggestion)
    trailer: bool = False  # followed by .attr / [..] / (..): a rewrite must parenthesise
    in_genexp: bool = False  # inside a generator expression: no `await` rewrite there
    ref: Optional[Tuple[str, int]] = None  # (module, index among the module's sites): identity across runs
    once: bool = False  # under a cache-miss guard: reported where it is, not inherited by callers
    shape: bool = False  # in a branch chosen by an argument's type or shape (library derivation skips it)


@dataclass
class Edge:
    caller: str
    callee: str
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    text: str
    label: str
    awaited: bool
    in_loop: bool
    args: Tuple[str, ...] = ()
    trailer: bool = False  # followed by .attr / [..] / (..): a rewrite must parenthesise
    in_genexp: bool = False  # inside a generator expression: no `await` rewrite there
    ref: Optional[Tuple[str, int]] = None  # (module, index among the module's edges): identity across runs
    dispatch: bool = False  # abstract method -> an implementation (``dispatch_edges``), not a call
    once: bool = False  # under a cache-miss guard (`if key not in CACHE:`): runs once, not per call
    via: Optional[str] = None  # a dispatch edge: the abstract method's module (where the edge is shown)
    shape: bool = False  # in a branch chosen by an argument's type or shape (library derivation skips it)
    # a call of an inherited method through a subclass (``_specialize``): (the method as called,
    # ``mod.UserService.query``; the base's method it runs, ``mod.CommonService.query``)
    inherited: Optional[Tuple[str, str]] = None
    read: int = 0  # reading a property (1; 2 for a cached property) runs its getter: not a call


@dataclass
class EntryPoint:
    func: str
    kind: str  # "route" | "websocket" | "startup" | "view"
    method: str  # GET, POST, WEBSOCKET, STARTUP, VIEW
    route: str  # "/tables"


@dataclass
class Facts:
    summaries: Dict[str, dict]  # module -> summary
    functions: Dict[str, dict]  # qual -> function record (with "module", "path")
    sites: Dict[str, List[Site]] = field(default_factory=dict)  # func -> sites
    edges: Dict[str, List[Edge]] = field(default_factory=dict)  # caller -> edges
    factories: List[Site] = field(default_factory=list)  # FAK201 candidates
    entry_points: Dict[str, EntryPoint] = field(default_factory=dict)
    loop_calls: List[tuple] = field(default_factory=list)  # (func, rec, value, direct io kind, callee)
    io_direct: Dict[str, set] = field(default_factory=dict)  # func -> {"db", "net"} from awaited sinks
    blocks: Dict[str, Tuple[int, object]] = field(default_factory=dict)  # func -> (depth, witness)
    # memoised functions (functools.cache / lru_cache) called by module-level code: warmed at import,
    # their blocking work is done before the loop runs, so callers do not inherit it
    warmed: set = field(default_factory=set)
    unresolved: int = 0
    resolved: int = 0
    # the library derivation (``libfacts``): callables handed to a function that calls them run as calls at
    # that site (``callable_arg_calls``), and a mixin's method implements a sibling base's abstract one
    library: bool = False
    # module -> its functions' qualified names, in order (rules iterate the modules they report on)
    module_functions: Dict[str, List[str]] = field(default_factory=dict)
    # module -> the memoised functions its module-level code calls (part of ``warmed``)
    module_warmed: Dict[str, List[str]] = field(default_factory=dict)
    # module -> the other modules whose summaries its resolution read
    module_reads: Dict[str, set] = field(default_factory=dict)
    # module -> [(implementation, abstract method)]: its classes' methods that implement an abstract
    # method of a base class (``dispatch_edges`` turns them into edges abstract -> implementation)
    overrides: Dict[str, List[Tuple[str, str]]] = field(default_factory=dict)
    # module -> [(async function, line, text)]: coroutines its module-level code or a sync function runs on
    # a loop of their own (`asyncio.run(main())`, `loop.run_until_complete(main())`): a command-line
    # script's roots (severity by reach, see diagnose.Reporter.reach)
    module_scripts: Dict[str, List[Tuple[str, int, str]]] = field(default_factory=dict)


_BASE_KINDS = frozenset(("F", "C", "TC"))  # the base values ``class_member`` follows

_USER_BASES = frozenset(("django.contrib.auth.models.AbstractUser", "django.contrib.auth.models.AbstractBaseUser",
                         "django.contrib.auth.base_user.AbstractBaseUser"))


def _auth_user_model(t) -> bool:
    """``settings.AUTH_USER_MODEL`` (a term, a tuple or a list read back from the cache)."""
    return not isinstance(t, str) and len(t) == 2 and t[0] == "Q" and t[1] == "django.conf.settings.AUTH_USER_MODEL"


# project-wide tables (``ProjectIndex.table``): key prefix -> the summary field that holds them
TABLES = {"st:": "stores", "ca:": "ctor_args", "sb:": "subclasses"}


def table_keys(summary: dict) -> List[str]:
    """The keys (``prefix + name``) a module's summary has entries for, sorted."""
    return sorted(p + n for p, f in TABLES.items() for n in (summary.get(f) or ()))


class ProjectIndex:
    tracks_reads = True  # see Resolver: values are shared across modules with the reads they cost
    # a library's code (``libfacts.derive``): a base class's constructor parameters are also what its subclasses
    # are constructed with (``subclasses_named``; a whole-index lookup, so not for a project's incremental runs)
    library = False
    _subs = None

    def __init__(self, summaries, paths: Optional[Dict[str, str]] = None, table_modules=None):
        """``summaries``: module -> summary, a dict, or a :class:`LazySummaries` (incremental runs: only
        the summaries a resolution reads are loaded; ``paths``: module -> file, see ``namespace_aliases``)."""
        self.summaries = summaries  # module name -> summary
        self._paths = paths
        self._aka: Optional[Dict[str, str]] = None
        # while one module is resolved: the other modules whose summaries its resolution read (an edit
        # to one of them that changes what it offers may change this module's facts; incremental.py)
        self.reads: Optional[set] = None
        if isinstance(summaries, LazySummaries):
            self.functions = _QualMap(summaries, "functions")
            self.classes = _QualMap(summaries, "classes")
            self._fmod = self.functions.owner
            self._cmod = self.classes.owner
        else:
            self.functions = {}
            self.classes = {}
            fmod: Dict[str, str] = {}
            cmod: Dict[str, str] = {}
            for mod, s in summaries.items():
                for q, f in s["functions"].items():
                    self.functions[q] = f
                    fmod[q] = mod
                for q, c in s["classes"].items():
                    self.classes[q] = c
                    cmod[q] = mod
            self._fmod = fmod.get
            self._cmod = cmod.get
        self.resolver = Resolver(self)
        # project-wide tables read by name (``table``): name -> [entries], and in an incremental run,
        # key -> the modules that hold entries for it (from the saved state: no summary is loaded for a
        # name no module has)
        self._tables: Dict[str, Dict[str, list]] = {}
        self.table_modules: Optional[Dict[str, List[str]]] = table_modules
        self._names = None
        self._rels = None  # (reverse relations, class short names): ``_relations``
        self._abstract: Dict[str, tuple] = {}

    # ---- project-wide tables read by name --------------------------------------------------------
    # A summary holds, per table (``TABLES``: its key prefix -> the summary field), ``name -> [entries]``:
    # attributes stored on other objects (``analysis._bind_attr``) and the arguments constructors are
    # called with (``analysis._record_ctor_args``).  The module that asks for a name reads ``^<prefix><name>``
    # (``incremental``: a module whose entries for that name change resolves its readers again); what
    # the entries' terms resolve to is read as usual.

    def table(self, prefix: str, name: str) -> list:
        if self.reads is not None:
            self.reads.add(("^", prefix + name))
        field = TABLES[prefix]
        t = self._tables.get(prefix)
        if t is None:
            t = self._tables[prefix] = {}
            if self.table_modules is None:
                for mod in sorted(self.summaries):
                    for n, entries in ((self.summaries.get(mod) or {}).get(field) or {}).items():
                        t.setdefault(n, []).extend(entries)
        hit = t.get(name)
        if hit is None and self.table_modules is not None:
            hit = t[name] = []
            for mod in sorted(self.table_modules.get(prefix + name, ())):  # module order, as a whole run
                hit.extend(((self.summaries.get(mod) or {}).get(field) or {}).get(name, ()))
        return hit or ()

    def subclasses_named(self, name: str) -> List[str]:
        """The classes with a base whose last name is ``name`` (library derivation only, see ``library``)."""
        if self._subs is None:
            subs: Dict[str, List[str]] = {}
            for q, c in self.classes.items():
                for b in c.get("bases") or ():
                    if b and b[0] in ("Q", "L") and isinstance(b[-1], str):
                        subs.setdefault(b[-1].rsplit(".", 1)[-1], []).append(q)
            self._subs = subs
        return self._subs.get(name, [])

    def attr_stores(self, name: str) -> list:
        """``[(receiver term, value term)]`` of every `<receiver>.<name> = <value>` the project's modules make
        on an object other than their own class's instance, in module order."""
        return self.table("st:", name)

    def ctor_args(self, name: str) -> list:
        """``[(callee term, positional argument terms, keyword argument terms)]`` of the project's calls of a
        callable named ``name`` (a class, by its last name) with an object among their arguments."""
        return self.table("ca:", name)

    def import_fallback_roots(self):
        """(top-level names, inner names) of the project's modules: an absolute import whose first name is
        no top-level module but names a package inside the project (``from services.db import X`` in
        ``backend/api/x.py``, run with ``backend/`` on ``sys.path``) is tried against the importer's
        ancestor packages (see ``Resolver.qual``)."""
        if self._names is None:
            mods = self.summaries.known if isinstance(self.summaries, LazySummaries) else self.summaries
            top, inner = set(), set()
            for m in mods:
                parts = m.split(".")
                top.add(parts[0])
                inner.update(parts[1:])
            self._names = (top, inner - top)
        return self._names

    # ---- Django relations ------------------------------------------------------------------------
    # Relation fields are ``("REL", ...)`` terms among class attributes (``analysis._relation_term``).  The
    # other side of a relation is an attribute of the *target* model that no class body declares
    # (``author.books``): the reverse relations are built once from every module's relation fields.  A
    # module that asks reads the name ``^rels`` (``incremental``: an edit that changes a relation field or
    # the classes of a module resolves those modules again).

    def _relations(self):
        if self._rels is not None:
            return self._rels
        outer = self.reads
        self.reads = None
        res = Resolver(self)  # its own memo: resolving the fields never depends on the module asking
        rev: Dict[str, Dict[str, tuple]] = {}
        names: Dict[str, List[str]] = {}
        fields = []
        users = []  # project classes deriving from Django's AbstractUser / AbstractBaseUser (the user model)
        try:
            if isinstance(self.summaries, LazySummaries):
                mods = sorted(self.summaries.known)
                classes = ((q, c, m) for m in mods for q, c in (self.summaries.get(m) or {}).get("classes", {}).items())
            else:
                classes = ((q, c, self._cmod(q)) for q, c in self.classes.items())
            for q, c, mod in classes:
                names.setdefault(q.rsplit(".", 1)[-1], []).append(q)
                if any(b and b[0] == "Q" and b[1] in _USER_BASES for b in c["bases"]):
                    users.append(q)
                for attr, t in c["attrs"].items():
                    if t and t[0] == "REL":
                        fields.append((q, attr, t, mod))
            self._rels = (rev, names, users[0] if len(users) == 1 else None)
            for q, attr, t, mod in fields:
                res.module = mod
                callee = res.val(t[1])
                if callee is None or callee is DEFER or callee[0] != "TC" or callee[1] not in (
                        "django.ForeignKey", "django.ManyToManyField"):
                    continue
                target = self._rel_target(res, t)
                related = t[4]
                if target is None or (related is not None and (related.endswith("+") or "%(" in related)):
                    continue
                if related is None:
                    related = q.rsplit(".", 1)[-1].lower() + ("" if t[2] == "o2o" else "_set")
                rev.setdefault(target, {}).setdefault(related, ("o2o" if t[2] == "o2o" else "many", q))
        finally:
            self.reads = outer
        return self._rels

    def _rel_target(self, res, term) -> Optional[str]:
        """The project model class a relation field names (its term, or ``"self"`` / ``"Author"`` /
        ``"app.Author"``: by class name, the one beside the field first)."""
        target, cls = term[3], term[5]
        if _auth_user_model(target) or target in ("auth.User", "auth.user"):
            # `ForeignKey(settings.AUTH_USER_MODEL, ...)`: the project's user model, else Django's own
            return self._rels[2] or DJANGO_USER
        if isinstance(target, str):
            if target == "self":
                return cls
            app, _, name = target.rpartition(".")
            cands = self._rels[1].get(name) or ()
            if len(cands) > 1:
                mod = cls.rsplit(".", 1)[0]
                near = [c for c in cands if c.rsplit(".", 1)[0] == mod]
                if not near and app:
                    near = [c for c in cands if ("." + app + ".") in ("." + c)]
                cands = near
            return cands[0] if len(cands) == 1 else None
        v = res.val(target)
        if v is not None and v is not DEFER and v[0] == "TC" and len(v) > 2:
            return v[2]  # `ForeignKey(User, ...)` with `User = get_user_model()`: Django's own user model
        return v[1] if v is not None and v is not DEFER and v[0] == "C" else None

    def model_by_label(self, app: str, name: str) -> Optional[str]:
        """The project class named ``name`` of Django app ``app`` (`apps.get_model("shop", "Book")`): by class
        name, the one in a module of the app's package when there are several."""
        names = self._relations()[1]
        if self.reads is not None:
            self.reads.add(("^", "rels"))
        cands = names.get(name) or ()
        if len(cands) > 1:
            cands = [c for c in cands if ("." + app + ".") in ("." + c)]
        return cands[0] if len(cands) == 1 else None

    def user_model(self) -> Optional[str]:
        """The project's user model (``get_user_model()``, ``settings.AUTH_USER_MODEL``): its one class deriving
        from Django's ``AbstractUser`` / ``AbstractBaseUser``, if there is exactly one."""
        u = self._relations()[2]
        if self.reads is not None:
            self.reads.add(("^", "rels"))
        return u

    def relation_target(self, term) -> Optional[str]:
        """The model class a many-to-many field's manager is about."""
        if isinstance(term[3], str) or _auth_user_model(term[3]):
            self._relations()  # the project's classes by name
            if self.reads is not None:
                self.reads.add(("^", "rels"))
            return self._rel_target(self.resolver, term)
        v = self.resolver.val(term[3])
        return v[1] if v is not None and v is not DEFER and v[0] == "C" else None

    def reverse_relation(self, cls: str, name: str):
        """What reading ``name`` on an instance of model ``cls`` gives when another model declares the
        relation: the related manager (a ForeignKey's or ManyToManyField's other side), or the related row
        (a OneToOneField's other side, loaded like a foreign key).  Searched on the model's project bases
        too (multi-table inheritance)."""
        rev = self._relations()[0]
        if self.reads is not None:
            self.reads.add(("^", "rels"))
        if not rev:
            return None
        todo, seen = [cls], set()
        while todo and len(seen) < 16:
            c = todo.pop()
            if c in seen:
                continue
            seen.add(c)
            hit = (rev.get(c) or {}).get(name)
            if hit is not None:
                return ("T", "django.ForeignKey") if hit[0] == "o2o" else ("T", "django.RelatedManager", hit[1])
            rec = self.class_record(c)
            for b in (rec or {}).get("bases", ()):
                bv = self.resolver.val(b)
                if bv is not None and bv is not DEFER and bv[0] == "C":
                    todo.append(bv[1])
        return None

    def module_symbol(self, mod: str, name: str):
        if self.reads is not None:
            self.reads.add((mod, name))
        s = self.summaries.get(mod)
        if s is None:
            return None
        from .resolve import module_symbol

        sym = module_symbol(s, name)
        if sym is None and (mod + "." + name) in self.summaries:
            return ("M", mod + "." + name)
        if sym is None:
            if self.reads is not None:
                self.reads.add((mod, "*"))  # a star import added to the module may bring the name
            if "*0" in s["imports"]:
                sym = self._star_symbol(s, name, {mod})
        return sym

    def _star_symbol(self, s: dict, name: str, seen: set):
        """``name`` brought into a module by its ``from X import *`` lines (the last one wins, as at run
        time), following star imports of star imports."""
        from .resolve import module_symbol

        imports = s["imports"]
        stars = [imports["*%d" % i] for i in range(len(imports)) if ("*%d" % i) in imports]
        for star in reversed(stars):
            if star in seen or len(seen) > 256:  # a package re-exporting ~100 modules (`gitlab.v4.objects`)
                continue
            seen.add(star)
            if self.reads is not None:
                self.reads.add((star, name))
            t = self.summaries.get(star)
            if t is None:
                continue
            sym = module_symbol(t, name)
            if sym is None:
                if self.reads is not None:
                    self.reads.add((star, "*"))
                if "*0" in t["imports"]:
                    sym = self._star_symbol(t, name, seen)
            if sym is not None:
                return sym
        return None

    def lookup_qual(self, q: str):
        parts = q.split(".")
        reads = self.reads
        tried = []  # the longer names tried, which are no modules
        mod = q
        for i in range(len(parts), 0, -1):
            if i < len(parts):
                mod = mod[:len(mod) - len(parts[i]) - 1]
            if mod in self.summaries:
                if i == len(parts):
                    if reads is not None:
                        reads.add((mod, ""))
                    return ("M", mod)
                if reads is not None and self.summaries.get(mod)["path"].endswith(("__init__.py", "__init__.pyi")):
                    # a file added with one of the longer names changes this lookup.  Below a plain module
                    # (``core.py``) none can be added: a directory beside a module of the same name is a
                    # change ``incremental`` does not take
                    for m in tried:
                        reads.add((m, ""))
                t = self.module_symbol(mod, parts[i])
                if t is None:
                    return None
                for p in parts[i + 1:]:
                    t = ("A", t, p)
                return t
            tried.append(mod)
        if reads is not None:
            for m in tried:  # no module of the project: a file added with one of these names changes this
                reads.add((m, ""))
        aka = self._aka if self._aka is not None else self.namespace_aliases()
        if aka and parts[0] in self._aka_roots:
            if reads is not None:
                reads.add(("^", "aka"))  # an added or deleted file may change the table
            for i in range(min(len(parts) - 1, 6), 1, -1):
                pre = ".".join(parts[:i])
                short = aka.get(pre)
                if short is not None:
                    return self.lookup_qual(short + q[len(pre):])
        return None

    def namespace_aliases(self) -> Dict[str, str]:
        """``lib.fitbot`` -> ``fitbot``: a regular package (``lib/fitbot/__init__.py``) inside a directory
        without ``__init__.py`` below the project's root (``lib/``) is named from its own ``__init__`` chain
        (``fitbot.service``: importable with ``lib/`` on ``sys.path``), and importable from the root through
        the PEP 420 namespace package too (``from lib.fitbot.service import X``).  The root is the directory
        most modules are named from (the parent of their top package); computed once, from module names
        and paths only."""
        from collections import Counter

        if self._paths is not None:
            pairs = self._paths.items()
        elif isinstance(self.summaries, LazySummaries):
            pairs = ()
        else:
            pairs = ((m, s.get("path") or "") for m, s in self.summaries.items())
        count: Counter = Counter()
        tops = []
        for mod, path in pairs:
            if "#" in mod or not path:
                continue
            parts = mod.split(".")
            dirs = path.replace("\\", "/").split("/")
            depth = len(parts) - (0 if dirs[-1] in ("__init__.py", "__init__.pyi") else 1)
            if depth < 0 or depth > len(dirs) - 1 or dirs[len(dirs) - 1 - depth:len(dirs) - 1] != parts[:depth]:
                continue
            parent = "/".join(dirs[:len(dirs) - 1 - depth])
            count[parent] += 1
            if depth:
                tops.append((parts[0], parent))
        aka: Dict[str, str] = {}
        if count:
            root = count.most_common(1)[0][0]
            for top, parent in tops:
                if parent != root and parent.startswith(root + "/"):
                    ns = parent[len(root) + 1:].split("/")
                    if all(x.isidentifier() for x in ns):
                        aka[".".join(ns) + "." + top] = top
        self._aka = aka
        self._aka_roots = {k.split(".", 1)[0] for k in aka}
        return aka

    def class_member(self, cls: str, name: str, instance: bool = True, depth: int = 0, origin=None):
        """A member of a project class, searching its bases (project classes, then catalog types).
        A catalog class attribute of a model-carrying type (``Book.objects``) carries ``origin``, the
        class first asked for (``Book``, also when ``objects`` comes from an abstract base)."""
        origin = origin or cls
        c = self.classes.get(cls)
        if c is None or depth > 12:
            return None
        if self.reads is not None:
            cmod = self._cmod(cls)
            self.reads.add((cmod, cls, name))  # this member: key "cls:name" (``incremental.key_digests``)
        m = c["methods"].get(name)
        if m is not None:
            return ("method", m)
        if name in c["attrs"]:
            a = c["attrs"][name]
            return ("attr", a) if a is not None else None
        if self.reads is not None:
            self.reads.add((cmod, cls))  # the class's bases
        fallback = None
        for b in c["bases"]:
            bv = self.resolver.val(b)
            if bv is DEFER:
                continue
            if bv is not None and bv[0] == "T" and len(bv) == 2:
                from .resolve import TYPES

                if (TYPES.get(bv[1]) or {}).get("base"):
                    bv = ("TC", bv[1])  # `class User(db.Model)`: the catalog's base class
            if bv is None or bv[0] not in _BASE_KINDS:
                if not c.get("fields"):
                    continue
                # a base that cannot be followed (a third-party abstract model not installed here) of a class
                # that declares model fields (``analysis._model_fields``): the class is a Django model
                bv = ("TC", MODEL_INSTANCE_TYPE)
            if bv[0] == "F":  # a catalog constructor used as a base (`models.Manager`): its type
                from .resolve import TYPES, function_spec

                spec = function_spec(bv[1]) or {}
                if spec.get("returns") in TYPES:
                    bv = ("TC", spec["returns"])
            if bv[0] == "C":
                r = self.class_member(bv[1], name, instance, depth + 1, origin)
                if r is not None:
                    if r[0] != "type" or _declares(r[1], name):
                        return r
                    fallback = fallback or r
            elif bv[0] == "TC":
                from .resolve import TYPES

                spec = TYPES.get(bv[1]) or {}
                if not instance:
                    t = (spec.get("class_attrs") or {}).get(name)
                    if t:
                        return ("attr", ("T", t, origin) if (TYPES.get(t) or {}).get("model") else ("T", t))
                    if name in _CLASS_METHODS.get(bv[1], ()):
                        return ("type", bv[1])  # a classmethod of the catalog base (peewee `User.get`)
                    continue
                r = ("type", bv[1]) if origin == cls or not (TYPES.get(bv[1]) or {}).get("model") else (
                    "type", bv[1], origin)
                if _declares(bv[1], name):
                    return r
                # a member the catalog type does not name (docker's `APIClient(requests.Session, ...Mixin)`:
                # `create_container` is the mixin's): a later base that defines it comes first, as in the MRO
                fallback = fallback or r
        return fallback

    def abstract_method(self, cls: str, name: str):
        """``(found, abstract)`` for member ``name`` of project class ``cls`` (searching its bases):
        ``found`` when some class of its hierarchy has the member, ``abstract`` = (method, line, col,
        async) when that is an abstract method (``analysis._abstract``).  Memoised across modules with
        the reads it cost (per name: a module that asks is resolved again exactly when one of the
        members or records it read changes)."""
        key = (cls, name)
        hit = self._abstract.get(key)
        if hit is not None:
            if self.reads is not None and hit[1]:
                self.reads |= hit[1]
            return hit[0]
        outer = self.reads
        self.reads = mine = set()
        i0 = self.resolver._impure
        try:
            found = self.class_member(cls, name, True)
            r = (False, None)
            if found is not None and found is not DEFER:
                r = (True, None)
                if found[0] == "method":
                    f = self.function_info(found[1])
                    if f is not None and f.get("abstract"):
                        r = (True, (found[1], f["line"], f["col"], bool(f["async"])))
        finally:
            self.reads = outer
        mine.discard(None)
        if outer is not None and mine:
            outer |= mine
        if self.resolver._impure == i0:
            self._abstract[key] = (r, frozenset(mine) if mine else None)
        return r

    def function_info(self, q: str):
        f = self.functions.get(q)
        if f is not None and self.reads is not None:
            self.reads.add((self._fmod(q), q))
        return f

    def class_record(self, q: str):
        c = self.classes.get(q)
        if c is not None and self.reads is not None:
            self.reads.add((self._cmod(q), q))
        return c

    def has_function(self, q: str) -> bool:
        return self.function_info(q) is not None


def _entry_point(f: dict, summary: dict, resolver: Resolver) -> Optional[EntryPoint]:
    if not f["async"]:
        return None
    routes: List[EntryPoint] = []
    for deco in f.get("deco") or ():
        kind, label, path, methods, recv = (list(deco) + [None] * 5)[:5]
        last = label.rsplit(".", 1)[-1] if label else ""
        if kind == "call":
            if last in ("on_event",) and path in ("startup", "shutdown"):
                return EntryPoint(f["qual"], "startup", path.upper(), "")
            if last in ROUTE_DECORATORS and isinstance(path, str) and (path.startswith("/") or path == ""):
                prefix = ""
                if recv is not None:
                    prefix = _router_prefix(recv, summary)
                route = prefix + path
                if last.startswith("websocket"):
                    routes.append(EntryPoint(f["qual"], "websocket", "WEBSOCKET", route))
                    continue
                if last in HTTP_VERBS:
                    method = last.upper()
                elif methods:
                    method = ",".join(methods)
                else:
                    method = "GET"
                routes.append(EntryPoint(f["qual"], "route", method, route))
    if routes:
        # stacked decorators (`@get("/api/tags")` + `@get("/api/tags/{idx}")`): one entry point, every route
        first = routes[0]
        if len(routes) > 1:
            if all(r.method == first.method for r in routes):
                first.route = ", ".join(dict.fromkeys(r.route for r in routes))
            else:
                first.route = ", ".join(dict.fromkeys(
                    r.route if i == 0 else f"{r.method} {r.route}" for i, r in enumerate(routes)))
        return first
    if f["name"] == "lifespan" and f["cls"] is None:
        return EntryPoint(f["qual"], "startup", "LIFESPAN", "")
    mod = summary["module"]
    if (mod.endswith("views") or ".views." in mod) and f["cls"] is None and f["name"][:1] != "_":
        return EntryPoint(f["qual"], "view", "VIEW", f["name"])
    return None


def _router_prefix(recv, summary) -> str:
    if recv and recv[0] == "L":
        return (summary.get("prefixes") or {}).get(recv[2], "")
    return ""


def build_facts(summaries: Dict[str, dict], user_patterns=(), allowed=(), memoised_once: bool = False) -> Facts:
    """``memoised_once``: every ``functools.cache`` / ``lru_cache`` function runs its work once (library
    derivation: a memoised loader is one-time initialisation, not the I/O of each call)."""
    index = ProjectIndex(summaries)
    index.library = memoised_once
    facts = Facts(summaries=summaries, functions={}, library=memoised_once)
    for mod, s in summaries.items():
        resolve_module(facts, index, mod, s, user_patterns, allowed)
    funcs = facts.functions
    if facts.library:
        facts.overrides["<protocols>"] = protocol_overrides(summaries, index)
    dispatch_edges(facts, facts.overrides.items())
    if memoised_once:
        facts.warmed |= {q for q, f in funcs.items() if f.get("deco") and _memoised(f, summaries.get(f["module"]))}
    facts.warmed = {q for q in facts.warmed if q in funcs and _memoised(funcs[q], summaries.get(funcs[q]["module"]))}
    for mod, qs in facts.module_warmed.items():
        facts.module_warmed[mod] = [q for q in qs if q in facts.warmed]
    _propagate(facts)
    return facts


def resolve_module(facts: Facts, index: "ProjectIndex", mod: str, s: dict, user_patterns=(), allowed=()) -> None:
    """Resolve one module's calls into ``facts`` (functions, sites, edges, loop calls, entry points), and
    give its edges and sites their ``ref`` (module, index): the same module resolved again in a later run
    gives the same refs to the same calls."""
    res = index.resolver
    if s.get("error"):
        facts.module_functions[mod] = []
        facts.module_reads[mod] = set()
        return
    # one memo per module: a module's facts depend only on the summaries it reads (recorded), never on
    # which modules were resolved before it, so resolving it again alone gives the same facts
    res._memo = {}
    res.module = mod
    index.reads = reads = set()
    try:
        _resolve_module(facts, index, res, mod, s, user_patterns, allowed)
    finally:
        index.reads = None
    facts.module_reads[mod] = reads  # (module, name) pairs: see ``incremental.reads_record``


def _resolve_module(facts, index, res, mod, s, user_patterns, allowed) -> None:
    funcs = facts.functions
    path = s["path"]
    quals = facts.module_functions[mod] = list(s["functions"])
    # a script module: `if __name__ == "__main__":`, or a package's `__main__.py`
    script = bool(s.get("main_guard")) or mod.rsplit(".", 1)[-1] == "__main__"
    for q, f in s["functions"].items():
        f["module"] = mod
        f["path"] = path
        funcs[q] = f
        ep = _entry_point(f, s, res)
        if ep is not None:
            facts.entry_points[q] = ep
        if not f["async"] and f.get("deco") and offloaded(f, s, res, index):
            continue  # its body runs in a worker thread: nothing in it blocks the loop
        calls = f["calls"]
        if facts.library and f.get("cargs"):
            calls = calls + callable_arg_calls(res, index, f)
        _resolve_calls(facts, res, index, calls, q, mod, path, user_patterns, allowed, script)
        if f.get("sections") and q in facts.sites:
            _brief_sections(facts, res, index, q, f)
    outer = facts.warmed
    facts.warmed = set()
    try:
        _resolve_calls(facts, res, index, s["module_calls"], None, mod, path, user_patterns, allowed, script)
        if facts.warmed:
            facts.module_warmed[mod] = sorted(facts.warmed)
            outer |= facts.warmed
    finally:
        facts.warmed = outer
    if not _TEST_MODULE.search(path):
        ovr = _overrides(index, res, s, facts.library)
        if ovr:
            facts.overrides[mod] = ovr
    i = j = 0
    for q in quals:
        for e in facts.edges.get(q, ()):
            e.ref = (mod, i)
            i += 1
        for st in facts.sites.get(q, ()):
            st.ref = (mod, j)
            j += 1


_KEPT_FLAGS = analysis.F_LOOP | analysis.F_SHAPE | analysis.F_ONCE | analysis.F_GUARDED
_MAPPERS = (("Q", "builtins.map"), ("Q", "builtins.filter"))


def callable_arg_calls(res, index, f: dict) -> list:
    """Calls made by handing a callable to a function that calls it: `self.middleware(request,
    self.send_inner)` runs `send_inner` when the middleware's `__call__` calls its `call_next` parameter;
    `self.send_request(requests.post, path)` runs `requests.post` when `send_request` calls its first
    parameter (``analysis``: ``cargs``, ``pcalls``).  Each is a call record at the outer call's position,
    with the callable as its callee."""
    out = []
    at = {}
    for rec in f["calls"]:
        if not rec[5] & (_F_ITER | _F_ATTR) and rec[4] is not None:
            at.setdefault(tuple(rec[:4]), rec)
    for span, key, term, label in f["cargs"]:
        rec = at.get(tuple(span))
        if rec is None:
            continue
        if tuple(rec[4]) not in _MAPPERS or key != 0:
            try:
                v = res.val(rec[4])
            except RecursionError:
                continue
            if v is None or v is DEFER:
                continue
            h = None
            if v[0] == "F":
                h = v[1]
            elif v[0] == "I" and isinstance(v[1], str):
                m = index.class_member(v[1], "__call__", False)
                if m is not None and m[0] == "method":
                    h = m[1]
            if h is None:
                continue
            info = index.function_info(h)
            if info is None or info is DEFER or info.get("async"):
                continue
            pc = info.get("pcalls")
            if not pc or not any(k == key if isinstance(key, str) else p == key for k, p in pc.items()):
                continue
        # else `list(map(write_payload, items))`: the builtin calls it for each item
        try:
            cv = res.val(term)
        except RecursionError:
            continue
        if cv is None or cv is DEFER or cv[0] != "F":
            # functions and bound methods only: a class handed to a factory (`self._makeList(Repository,
            # items)`) is built from data, its constructor's I/O depends on what it is given
            continue
        out.append([rec[0], rec[1], rec[2], rec[3], term, rec[5] & _KEPT_FLAGS, rec[6], label])
    return out


# test doubles implement interfaces too (an in-memory or sqlite fake): they are not what production
# code dispatches to
_TEST_MODULE = re.compile(r"(^|[/\\])(tests?|testing)[/\\]|(^|[/\\])(test_[^/\\]*|[^/\\]*_tests?|conftest)\.py$")


def _overrides(index, res, s: dict, mixins: bool = False) -> list:
    """[(method, abstract method)]: this module's methods that implement an abstract
    method (see ``analysis._abstract``) of one of their class's project bases (the first base that has
    the member decides), with the same async-ness.  ``mixins`` (library derivation): also a method a class
    inherits from one base that implements an abstract method of a later base (`class Dropbox(
    _DropboxTransport, DropboxBase)`: `_DropboxTransport.request` implements `DropboxBase.request`)."""
    out = []
    funcs = s["functions"]
    for c in s["classes"].values():
        if not c["bases"] or (not c["methods"] and not (mixins and len(c["bases"]) > 1)):
            continue
        bases = []
        for b in c["bases"]:
            bv = res.val(b)
            if bv is not None and bv is not DEFER and bv[0] == "C":
                bases.append(bv[1])
        if not bases:
            continue
        if mixins and len(bases) > 1:
            out.extend(_mixin_overrides(index, c, bases))
        for name, mq in c["methods"].items():
            f = funcs.get(mq)
            if f is None or f.get("abstract") or name == "__init__":
                continue
            for b in bases:
                found, a = index.abstract_method(b, name)
                if found:
                    if a is not None and a[3] == bool(f["async"]):
                        out.append((mq, a[0]))
                    break
    return out


def _mixin_overrides(index, c: dict, bases: list) -> list:
    out = []
    for b in bases[1:]:
        rec = index.class_record(b)
        for name, aq in ((rec or {}).get("methods") or {}).items():
            if name in c["methods"] or name == "__init__":
                continue
            a = index.function_info(aq)
            if a is None or a is DEFER or not a.get("abstract"):
                continue
            for first in bases[:bases.index(b)]:
                found = index.class_member(first, name, True)
                if found is None or found is DEFER or found[0] != "method" or found[1] == aq:
                    continue
                f = index.function_info(found[1])
                if f is not None and f is not DEFER and not f.get("abstract") and bool(f["async"]) == bool(a["async"]):
                    out.append((found[1], aq))
                break
    return out


_PROTOCOLS = frozenset((("Q", "typing.Protocol"), ("Q", "typing_extensions.Protocol")))


def protocol_overrides(summaries, index) -> list:
    """[(method, protocol method)] (library derivation): a class that has every method a ``Protocol``
    declares implements it without naming it as a base (structural typing: clickhouse-connect's
    `HttpSyncBackend` is the `SyncBackend` its client calls, `self._backend: SyncBackend`)."""
    protos = []
    for s in summaries.values():
        for cq, c in s["classes"].items():
            if any(tuple(b) in _PROTOCOLS for b in c["bases"] if isinstance(b, (tuple, list))):
                ms = {}
                for name, mq in c["methods"].items():
                    f = s["functions"].get(mq)
                    if f is not None and f.get("abstract") and not name.startswith("__"):
                        ms[name] = (mq, bool(f["async"]))
                if ms:
                    protos.append((cq, ms))
    out = []
    if not protos:
        return out
    for s in summaries.values():
        for cq, c in s["classes"].items():
            own = c["methods"]
            if not own or any(tuple(b) in _PROTOCOLS for b in c["bases"] if isinstance(b, (tuple, list))):
                continue
            for pq, ms in protos:
                if pq == cq or not any(n in own for n in ms):
                    continue
                impls = []
                for name, (aq, is_async) in ms.items():
                    found = index.class_member(cq, name, True)
                    if found is None or found is DEFER or found[0] != "method":
                        break
                    f = index.function_info(found[1])
                    if f is None or f is DEFER or f.get("abstract") or bool(f["async"]) != is_async:
                        break
                    impls.append((found[1], aq))
                else:
                    out.extend(impls)
    return out


def dispatch_edges(facts, overrides, position=None) -> None:
    """Calling an abstract method runs an implementation: an edge from it to each implementation
    (``overrides``: (module, [(implementation, abstract)])), at the abstract method's definition
    (``position(abstract)`` -> (line, col); default: its function record).  An async one awaits the
    implementation's coroutine.  Named ``ref`` = (module of the implementation, -1 - its index there),
    stable while that module is unchanged."""
    funcs = facts.functions
    for mod, pairs in overrides:
        for i, (impl, abstract) in enumerate(pairs):
            a = funcs.get(abstract)
            if a is None or impl not in funcs:
                continue
            where = position(abstract) if position is not None else (a.get("line"), a.get("col"))
            if where is None or where[0] is None:
                continue
            line, col = where
            e = Edge(abstract, impl, a["path"], line, col, line, col, "", "", bool(a["async"]), False)
            e.ref = (mod, -1 - i)
            e.dispatch = True
            e.via = a["module"]
            facts.edges.setdefault(abstract, []).append(e)


class LazySummaries:
    """module -> summary, loading a summary only when it is read (incremental runs).  ``known``: every
    module of the project (membership needs no load); ``load(module)``: the summary, or None;
    ``overrides``: summaries already in memory (the files just analysed)."""

    def __init__(self, known, load, overrides=None):
        self.known = known
        self._load = load
        self.loaded: Dict[str, dict] = {}
        for mod, s in (overrides or {}).items():
            self._prepare(s)
            self.loaded[mod] = s

    @staticmethod
    def _prepare(s: dict) -> None:
        path = s["path"]
        mod = s["module"]
        for f in s["functions"].values():
            f["module"] = mod
            f["path"] = path

    def __contains__(self, mod) -> bool:
        return mod in self.known

    def get(self, mod, default=None):
        s = self.loaded.get(mod)
        if s is None:
            if mod not in self.known:
                return default
            s = self._load(mod)
            if s is None:
                raise LookupError(f"summary of {mod} unavailable")
            self._prepare(s)
            self.loaded[mod] = s
        return s

    def __getitem__(self, mod):
        s = self.get(mod)
        if s is None:
            raise KeyError(mod)
        return s


class _QualMap:
    """qualified name -> function/class record of a :class:`LazySummaries` (the longest module prefix)."""

    def __init__(self, summaries: LazySummaries, kind: str):
        self.summaries = summaries
        self.kind = kind

    def owner(self, q) -> Optional[str]:
        parts = q.split(".")
        for i in range(len(parts) - 1, 0, -1):
            mod = ".".join(parts[:i])
            if mod in self.summaries:
                if q in self.summaries.get(mod)[self.kind]:
                    return mod
        return None

    def get(self, q, default=None):
        mod = self.owner(q)
        return default if mod is None else self.summaries.get(mod)[self.kind][q]

    def __contains__(self, q) -> bool:
        return self.get(q) is not None

    def __getitem__(self, q):
        v = self.get(q)
        if v is None:
            raise KeyError(q)
        return v


MEMO_DECORATORS = catalog.MEMOISING_DECORATORS


def _memoised(f: dict, summary: Optional[dict]) -> bool:
    """Decorated with ``functools.cache`` or ``functools.lru_cache`` (with or without arguments)."""
    imports = (summary or {}).get("imports") or {}
    for d in f.get("deco") or ():
        kind, label, _path, _methods, term = (list(d) + [None] * 5)[:5]
        q = None
        if kind == "name" and term and term[0] == "Q":
            q = term[1]
        elif kind == "call" and label:
            head = label.split(".", 1)[0]
            q = imports.get(head, head) + label[len(head):]
        if q in MEMO_DECORATORS:
            return True
    return False


def offloaded(f: dict, summary: dict, res, index) -> bool:
    """A sync function whose decorator runs it in a worker thread: ``@sync_to_async``,
    ``@database_sync_to_async`` (with or without arguments), or a project decorator whose wrapper hands the
    decorated function to ``asyncio.to_thread`` / ``run_in_executor`` (``analysis._offloads_param``)."""
    imports = summary.get("imports") or {}
    for d in f.get("deco") or ():
        kind, label, _path, _methods, term = (list(d) + [None] * 5)[:5]
        if kind == "name" and term is not None:
            v = res.val(term)
            if v is None or v is DEFER or v[0] != "F":
                continue
            spec = function_spec(v[1])
            if spec is not None:
                if spec.get("offload"):
                    return True
                continue
            info = index.function_info(v[1])
            if info is not None and info is not DEFER and info.get("offloads"):
                return True
        elif kind == "call" and label:
            head = label.split(".", 1)[0]
            spec = function_spec(imports.get(head, head) + label[len(head):])
            if spec is not None and spec.get("offload"):
                return True
    return False


_F_ITER, _F_AWAITED, _F_LOOP, _F_NONBLOCKING, _F_WITH = (analysis.F_ITER, analysis.F_AWAITED, analysis.F_LOOP,
                                                          analysis.F_NONBLOCKING, analysis.F_WITH)
_F_ENTER = analysis.F_ENTER
_F_ONCE = analysis.F_ONCE
_F_SHAPE = analysis.F_SHAPE
_F_ATTR = analysis.F_ATTR
_F_BOUND = analysis.F_BOUND
_F_TRUTH = analysis.F_TRUTH
_F_MEMBER = analysis.F_MEMBER
_F_GETITEM = analysis.F_GETITEM
_F_ASYNC_ITER = analysis.F_ASYNC_ITER
_ORDERED_SENDS = {t: frozenset(m.split()) for t, m in getattr(catalog, "ORDERED_SENDS", {}).items()}
FIELD_READ_ADVICE = ("load it with the query instead: `select_related(...)` (or `prefetch_related(...)`) on the "
                     "queryset that fetched the object, or read it in `sync_to_async`; `obj.<field>_id` gives the "
                     "key without a query")


_RUNNERS = ("asyncio.run", "asyncio.runners.run")


def _runner_spans(res, calls) -> List[Tuple[int, int, int, int, str]]:
    """Spans of the calls that run a coroutine on a new event loop: ``asyncio.run(...)`` (however
    imported) and ``<loop>.run_until_complete(...)``."""
    out = []
    for rec in calls:
        label = rec[7] or ""
        if "run" not in label or rec[4] is None:
            continue
        if label.endswith("run_until_complete"):
            out.append((rec[0], rec[1], rec[2], rec[3], rec[6]))
            continue
        value = res.val(rec[4])
        if value is not None and value is not DEFER and value_name(value) in _RUNNERS:
            out.append((rec[0], rec[1], rec[2], rec[3], rec[6]))
    return out


def site_io_kind(family: str):
    """The round trip a blocking call of ``family`` makes ("db" / "net"), or None (files, sleeps, ...)."""
    code = catalog.FAMILIES.get(family, {}).get("code")
    return catalog.IO_KIND_OF_CODE.get(code) or catalog.IO_KIND_OF_FAMILY.get(family)


def _resolve_calls(facts, res, index, calls, fq, mod, path, user_patterns, allowed, script=False):
    runners = None
    if fq is None or (script and not facts.functions[fq]["async"]):
        # module-level code, and the sync functions of a script module: the coroutines they run on a loop of
        # their own with asyncio.run (script roots).  A sync function elsewhere (Home Assistant's
        # `runner.run()`) may start the application's one loop: not a script
        runners = _runner_spans(res, calls) or None
    for rec in calls:
        sl, sc, el, ec, term, flags, text, label = rec[:8]
        extra = rec[8] if len(rec) > 8 else None
        if extra and isinstance(extra, list) and len(extra) in (2, 3) and isinstance(extra[0], list):
            loop = extra  # [argument names, loop index(, the callable an offloaded call runs)]: a call in a loop
            args = tuple(extra[0])
        else:
            loop = None
            args = tuple(extra) if extra else ()
        iteration = bool(flags & _F_ITER)
        value = res.val(term) if term is not None else None
        if value is DEFER:
            value = None
        awaited = bool(flags & _F_AWAITED)
        if loop is not None and awaited and fq is not None and any(a[:1] == "%" for a in args):
            facts.loop_calls.append((fq, rec, None, None, False))  # a gathered batch per iteration (``loops``)
        in_loop = bool(flags & _F_LOOP)
        value_nb = bool(flags & _F_NONBLOCKING)
        names = ()
        if (allowed or user_patterns) and not iteration:
            qn = term[1] if term is not None and term[0] == "Q" else None
            names = (value_name(value), qn, label)
        if allowed and names and match_user_pattern([(a, "") for a in allowed], names):
            continue
        if flags & _F_ASYNC_ITER:
            # `async for row in <Django queryset>`: rows of one query, so per-row awaits are an N+1
            if fq is not None and value is not None and value is not DEFER and value[0] == "T" and (
                    TYPES.get(value[1]) or {}).get("model"):
                facts.loop_calls.append((fq, rec, "finite", None, False))
            elif fq is not None and term is not None and term[0] == "R":
                # `async for row in repo.stream(stmt)`: a project async generator; when it reaches a
                # database query, its rows are one query's result (``loops.loop_rules`` decides)
                gen = res.val(term[1])
                if gen is not None and gen is not DEFER and gen[0] == "F" and index.has_function(gen[1]):
                    g = index.function_info(gen[1])
                    if g is not None and g is not DEFER and g.get("async") and g.get("yield_from") is not None:
                        facts.loop_calls.append((fq, rec, "rows", gen[1], False))
            continue
        if flags & _F_ATTR:
            if not text:
                text = label  # analysis leaves out a read's text when it is its label
            # an attribute read: a project property runs its getter (an edge, like a call) ...
            if fq is not None:
                getter = _property_getter(res, index, term)
                if getter is not None:
                    e = Edge(fq, getter[0], path, sl, sc, el, ec, text, label, False, in_loop, (),
                             bool(flags & analysis.F_TRAILER), bool(flags & analysis.F_GENEXP))
                    e.once = bool(flags & _F_ONCE)
                    e.shape = bool(flags & _F_SHAPE)
                    e.read = getter[1]
                    facts.edges.setdefault(fq, []).append(e)
                    facts.resolved += 1
                    if loop is not None:  # a getter run per item (``loops``: a query per item is an N+1)
                        facts.loop_calls.append((fq, rec, None, getter[0], False))
                    continue
            # ... a library property whose getter blocks (derived library facts: `Ticker(s).info`) ...
            pbase = res.val(term[1]) if fq is not None and term is not None and term[0] == "A" else None
            if pbase is not None and pbase is not DEFER and pbase[0] == "T" and term[2] in _props_of(pbase[1]):
                spec = TYPES[pbase[1]]
                facts.sites.setdefault(fq, []).append(Site(
                    fq, mod, path, sl, sc, el, ec, text, label, spec["family"], pbase[1] + "." + term[2],
                    "none", (spec.get("replacements") or {}).get(term[2]), False, in_loop, False, None, False, False))
                facts.resolved += 1
                continue
            # ... and a Django foreign key on a model instance loads the related row
            if value is not None and value is not DEFER and value[0] == "T" and (
                    TYPES.get(value[1]) or {}).get("field_read"):
                base = res.val(term[1])
                if base is not None and base is not DEFER and (base[0] == "I" and len(base) == 2 or len(base) == 4
                                                               and base[2] == ROW) and fq is not None:
                    # an instance's relation, or a relation of a row loaded by one (`w.competition.association`)
                    facts.sites.setdefault(fq, []).append(Site(
                        fq, mod, path, sl, sc, el, ec, text, label, TYPES[value[1]]["family"],
                        value[1] + ".__get__", "none", FIELD_READ_ADVICE, False, in_loop, False, None,
                        False, False))
                    facts.resolved += 1
                    if loop is not None:  # a lazy load per item of a loop: an N+1 (``loops``)
                        facts.loop_calls.append((fq, rec, "db", None, True))
            elif value is not None and value is not DEFER and value[0] == "T" and fq is not None and flags & _F_BOUND \
                    and (TYPES.get(value[1]) or {}).get("lazy") and not any(
                    x.api.endswith((".__getattr__", ".__bind__")) for x in facts.sites.get(fq, ())):
                # `u = request.user` and later `u.is_authenticated`: the lazy object is evaluated by the later read,
                # reported here, where the value is taken (and where `await request.auser()` goes)
                _lazy_site(facts, value[1], ".__bind__", fq, mod, path, rec, text, in_loop)
            elif value is not None and value is not DEFER and value[0] == "TM" and fq is not None and (
                    TYPES.get(value[1]) or {}).get("lazy") and not value[2].startswith("_") and not any(
                    x.api.endswith((".__getattr__", ".__bind__")) for x in facts.sites.get(fq, ())):
                # any attribute of a lazy object (Django's `request.user`) evaluates it: the first read in a
                # function (the object keeps what it loaded)
                _lazy_site(facts, value[1], ".__getattr__", fq, mod, path, rec, text, in_loop)
            continue
        if flags & _F_ENTER:
            # `async with session.get(url) as r`: the request is made on entering (aiohttp, httpx stream)
            if awaited and fq is not None and value is not None and value is not DEFER and value[0] == "TM":
                k = async_io_kind(value[1], value[2])
                if k:
                    facts.io_direct.setdefault(fq, set()).add(k)
                    if loop is not None:
                        facts.loop_calls.append((fq, rec, k, None, False))
            # entering a context manager: an edge to the project class's __enter__ / __aenter__
            if fq is not None and value is not None and value is not DEFER and value[0] == "I":
                enter = index.class_member(value[1], "__aenter__" if awaited else "__enter__", True)
                if enter is not None and enter is not DEFER and enter[0] == "method":
                    facts.edges.setdefault(fq, []).append(
                        Edge(fq, enter[1], path, sl, sc, el, ec, text, label, awaited, in_loop, args,
                             bool(flags & analysis.F_TRAILER), bool(flags & analysis.F_GENEXP))
                    )
            continue
        hit = None if value_nb else classify(value, iteration, bool(flags & _F_WITH), bool(flags & _F_TRUTH),
                                            bool(flags & _F_MEMBER), bool(flags & _F_GETITEM))
        if hit is not None and flags & analysis.F_CACHED and value[0] == "T" and (TYPES.get(value[1]) or {}).get("model"):
            hit = None  # a Django queryset evaluated before on every path here: served by its result cache
        if hit is not None and flags & analysis.F_MEMFILE and (catalog.FAMILIES.get(hit[0]) or {}).get("code") == "FAK104":
            hit = None  # a file reader or writer given an in-memory file (`Image.open(io.BytesIO(data))`)
        up = None
        if hit is None and user_patterns and not iteration:
            # exact patterns match resolved names only; wildcard patterns may also match the text
            up = match_user_pattern([p for p in user_patterns if "*" not in p[0] and "?" not in p[0]],
                                    names[:2]) or match_user_pattern(
                [p for p in user_patterns if "*" in p[0] or "?" in p[0]], names)
            if up is not None:
                hit = ("user", value_name(value) or label, "none", up[1])
        io_kind = None
        if not awaited and loop is not None and fq is not None and value is not None and value is not DEFER \
                and value[0] == "TM" and hit is None:
            # a call of a gathered comprehension (`gather(*[client.get(u) for u in urls])`): awaited by the
            # gather, all at once (``loops``: not sequential, but a query per item is still an N+1)
            lps = facts.functions[fq].get("loops") or ()
            lp = lps[loop[1]] if 0 <= loop[1] < len(lps) else None
            if lp is not None and lp[6] & analysis.L_GATHER:
                awaited = True
        if awaited and (value is None or value is DEFER) and fq is not None and label:
            io_kind = shape_io(label, text or "")
            if io_kind:
                facts.io_direct.setdefault(fq, set()).add(io_kind)
        elif awaited and value is not None and value is not DEFER and value[0] == "TM":
            io_kind = async_io_kind(value[1], value[2])
            if io_kind == "db" and _DB_WRITE.search(text or ""):
                io_kind = "dbw"  # a write: keeps its order, not an N+1 read
            if io_kind and fq is not None:
                facts.io_direct.setdefault(fq, set()).add(io_kind)
            if io_kind == "net" and value[2] in _ORDERED_SENDS.get(value[1], ()):
                io_kind = "send"  # the receiver is the destination: see loops.py
        elif awaited and value is not None and value is not DEFER and value[0] == "F" and fq is not None:
            io_kind = library_async_io(value)  # a library coroutine that makes a round trip (derived)
            if io_kind == "db" and _DB_WRITE.search(text or ""):
                io_kind = "dbw"
            if io_kind:
                facts.io_direct.setdefault(fq, set()).add(io_kind)
        if loop is not None and fq is not None and len(loop) > 2 and awaited:
            # `await sync_to_async(task.save)()` / `await asyncio.to_thread(fetch, url)` per item: the round trip
            # is what the thread runs (``loops``: a query per item is an N+1, requests in sequence are FAK302)
            ov = res.val(loop[2])
            if ov is not None and ov is not DEFER:
                if ov[0] == "F" and index.has_function(ov[1]):
                    value = ov  # a project function: its round trips (``io_kinds``)
                else:
                    h = classify(ov)
                    if h is not None and site_io_kind(h[0]) == "db":
                        # (only queries: a request per item run in a thread is the shape FAK102's own fix
                        # writes, `await to_thread(requests.get, u)`, and gathering those is a separate step)
                        io_kind = "db"
                        if ov[0] == "TM" and writes(ov[2]):
                            io_kind = "dbw"  # `sync_to_async(task.save)`: a write per item
        if loop is not None and fq is not None:
            callee = value[1] if value is not None and value is not DEFER and value[0] == "F" else None
            if value is not None and value is not DEFER and value[0] == "C":
                init = index.class_member(value[1], "__init__", False)
                callee = init[1] if init and init[0] == "method" else None
            if hit is not None and not awaited:
                io_kind = site_io_kind(hit[0])  # a blocking query / request per item (``loops``)
            facts.loop_calls.append((fq, rec, io_kind, callee, hit is not None))
        if hit is not None:
            site = Site(
                fq or "<module>", mod, path, sl, sc, el, ec, text, label, hit[0], hit[1], hit[2], hit[3],
                awaited, in_loop, iteration, up, bool(flags & analysis.F_TRAILER), bool(flags & analysis.F_GENEXP),
            )
            site.once = bool(flags & _F_ONCE)
            site.shape = bool(flags & _F_SHAPE)
            if fq is not None:
                facts.sites.setdefault(fq, []).append(site)
            facts.resolved += 1
            continue
        if iteration or value is None or flags & analysis.F_WITH:
            if term is not None and not iteration:
                facts.unresolved += 1
            continue
        k = value[0]
        if k == "F":
            spec = function_spec(value[1])
            if spec is not None:
                if spec.get("sync_factory"):
                    facts.factories.append(
                        Site(fq or "<module>", mod, path, sl, sc, el, ec, text, label, "factory:" +
                             spec["sync_factory"], value[1], "display", None, awaited, in_loop, False)
                    )
                facts.resolved += 1
                continue
            if fq is None and index.has_function(value[1]):
                facts.warmed.add(value[1])  # a candidate: kept if the function is memoised
            if runners is not None and not awaited:
                callee = index.function_info(value[1])
                if callee is not None and callee.get("async"):
                    for a, b, c, d, rtext in runners:
                        if (a, b) <= (sl, sc) and (el, ec) <= (c, d):
                            facts.module_scripts.setdefault(mod, []).append((value[1], a, rtext))
                            break
            if fq is not None and index.has_function(value[1]):
                e = Edge(fq, value[1], path, sl, sc, el, ec, text, label, awaited, in_loop, args,
                         bool(flags & analysis.F_TRAILER), bool(flags & analysis.F_GENEXP))
                e.once = bool(flags & _F_ONCE)
                e.shape = bool(flags & _F_SHAPE)
                facts.edges.setdefault(fq, []).append(e)
                if len(value) > 2:
                    _specialize(facts, res, index, value, rec, fq, mod, path, awaited, in_loop, args)
                    _host_calls(facts, index, value, rec, fq, path, awaited, in_loop, args, loop)
            facts.resolved += 1
        elif k == "C" and fq is not None:
            init = index.class_member(value[1], "__init__", False)
            if init is not None and init[0] == "method":
                e = Edge(fq, init[1], path, sl, sc, el, ec, text, label, awaited, in_loop, args,
                         bool(flags & analysis.F_TRAILER), bool(flags & analysis.F_GENEXP))
                e.once = bool(flags & _F_ONCE)
                e.shape = bool(flags & _F_SHAPE)
                facts.edges.setdefault(fq, []).append(e)
            facts.resolved += 1
        else:
            facts.resolved += 1


def _property_getter(res, index, term) -> Optional[Tuple[str, int]]:
    """``obj.info`` where ``obj`` is an instance of a project class whose ``info`` is a (sync) ``@property`` /
    ``@cached_property``: the getter, which the read runs, and its kind (``f["prop"]``)."""
    if term is None or term[0] != "A":
        return None
    base = res.val(term[1])
    if base is None or base is DEFER or base[0] != "I":
        return None
    found = index.class_member(base[1], term[2], True)
    if found is None or found is DEFER or found[0] != "method":
        return None
    info = index.function_info(found[1])
    if info is None or info is DEFER or not info.get("prop") or info.get("async"):
        return None
    return found[1], info["prop"]


# entering these holds a lock another thread may hold: a wait only as long as the lock's critical sections
_LOCK_ENTERS = frozenset(("threading.Lock.__enter__",))


def _lazy_site(facts, t: str, how: str, fq, mod, path, rec, text, in_loop) -> None:
    """The site where a lazy catalog object of type ``t`` (Django's ``request.user``) is evaluated: its
    first attribute read in a function (``how`` = ``.__getattr__``) or the local it is bound to
    (``.__bind__``)."""
    spec = TYPES[t]
    facts.sites.setdefault(fq, []).append(Site(
        fq, mod, path, rec[0], rec[1], rec[2], rec[3], text, rec[7], spec["family"], t + how, "none",
        (spec.get("replacements") or {}).get("*"), False, in_loop, False, None, False, False))
    facts.resolved += 1


def _brief_sections(facts, res, index, q: str, f: dict) -> None:
    """``with self._lock: self._d[k] = v`` in ``q``: a critical section that makes no blocking call, no call
    into the project, no call on a third-party object and runs no loop holds the lock for microseconds.
    Entering it is not reported (prefect's "this lock should only ever be held very briefly").  Only this
    section is read: a thread that holds the same lock across slow work elsewhere is not seen (reported at
    its own line when that code runs on the event loop)."""
    sites = facts.sites[q]
    keep = []
    for st in sites:
        if st.api in _LOCK_ENTERS and not st.awaited:
            for sl, sc, el, ec, loops in f["sections"]:
                if (sl, sc) <= (st.line, st.col) <= (el, ec):
                    if not loops and not any(
                            o is not st and (st.line, st.col) < (o.line, o.col) <= (el, ec) for o in sites) and not any(
                            (st.line, st.col) < (e.line, e.col) <= (el, ec) for e in facts.edges.get(q, ())) and not any(
                            (st.line, st.col) < (r[0], r[1]) <= (el, ec) and not r[5] & _F_ATTR
                            and _foreign(res, index, r[4], 0) for r in f["calls"]):
                        break  # brief: dropped
                    keep.append(st)
                    break
            else:
                keep.append(st)
        else:
            keep.append(st)
    if len(keep) != len(sites):
        facts.resolved -= len(sites) - len(keep)
        if keep:
            facts.sites[q] = keep
        else:
            del facts.sites[q]


_STDLIB_ROOTS = frozenset(getattr(sys, "stdlib_module_names", ())) | {"builtins"}


def _foreign(res, index, term, depth: int) -> bool:
    """Whether a call's term reaches a third-party object (``self._client.add_device_notification(...)``
    with ``self._client = pyads.Connection(...)``): what such a call does is unknown, so a lock held
    around it may be held across I/O."""
    if term is None or depth > 8:
        return False
    k = term[0]
    if k == "Q":
        return term[1].split(".", 1)[0] not in _STDLIB_ROOTS
    if k == "L":
        sym = index.module_symbol(term[1], term[2])
        return sym is not None and sym is not DEFER and _foreign(res, index, sym, depth + 1)
    if k == "A":
        base = res.val(term[1])
        if base is not None and base is not DEFER and base[0] in ("I", "C"):
            found = index.class_member(base[1], term[2], base[0] == "I")
            if found is not None and found is not DEFER and found[0] == "attr":
                return _foreign(res, index, found[1], depth + 1)
            return False
        if base is not None and base is not DEFER and base[0] == "T":
            # a third-party catalog type's method that is not a blocking one: still a library call
            return base[1].split(".", 1)[0] not in _STDLIB_ROOTS
        return _foreign(res, index, term[1], depth + 1)
    if k in ("R", "S", "IT", "AW", "WI", "OR"):
        return any(_foreign(res, index, x, depth + 1) for x in term[1:] if isinstance(x, (tuple, list)))
    return False


def _host_calls(facts, index, value, rec, fq, path, awaited, in_loop, args, loop) -> None:
    """``repo.get_by_id(x)`` on a ``ProductRepository`` runs the mixin method ``RepositoryIDMixin.get_by_id``,
    whose ``self.get_one_or_none(...)`` the mixin does not define: its host class does
    (``analysis._open_calls``: ``f["mixin"]``).  With the receiver's class known, each such member is
    resolved in it: an edge from this call to what it runs (and, in a loop, what the loop rules weigh),
    as if the call reached it through the mixin method.  Without the receiver's class nothing is guessed
    (a mixin mixed into a database repository and into an in-memory one must not make both query)."""
    info = index.function_info(value[1])
    if info is None or info is DEFER or not info.get("mixin"):
        return
    base, sub = info.get("cls"), value[2]
    sl, sc, el, ec, _term, flags, text, label = rec[:8]
    for name in info["mixin"]:
        if base is None or index.class_member(base, name, True) is not None:
            continue  # the mixin has it after all (or it is not known yet): the ordinary edge reaches it
        found = index.class_member(sub, name, True)
        if found is None or found is DEFER or found[0] != "method" or found[1] == value[1]:
            continue
        impl = index.function_info(found[1])
        if impl is None or impl is DEFER or (info.get("async") and not impl.get("async")) or not index.has_function(
                found[1]):
            continue
        e = Edge(fq, found[1], path, sl, sc, el, ec, text, label, awaited, in_loop, args,
                 bool(flags & analysis.F_TRAILER), bool(flags & analysis.F_GENEXP))
        e.inherited = (sub + "." + value[1].rsplit(".", 1)[-1], value[1])
        facts.edges.setdefault(fq, []).append(e)
        if loop is not None:
            facts.loop_calls.append((fq, rec, None, found[1], False))


def _specialize(facts, res, index, value, rec, fq, mod, path, awaited, in_loop, args) -> None:
    """``UserService.get(1)`` runs the inherited ``CommonService.get``, whose ``cls.model.get(...)`` the base
    class cannot resolve (``model = None``; each subclass sets it).  With the receiver's class known, the
    method's open calls (``analysis._open_calls``) are resolved again with ``cls`` / ``self`` bound to it:
    what blocks among them is reported at this call (a site, or an edge to the project function it
    reaches).  Only calls the base class leaves unresolved count, so nothing is reported twice; only
    sync methods (an async one is awaited: its callers see it through ``io_direct`` / the chain)."""
    info = index.function_info(value[1])
    if info is None or info.get("async"):
        return
    base, sub = info.get("cls"), value[2]
    sl, sc, el, ec, _term, flags, text, label = rec[:8]
    seen = set()
    for r in info.get("open") or ():
        v0 = res.val(r[0])
        if v0 is not None and v0 is not DEFER:
            continue
        v = res.val(rebind(r[0], base, sub))
        if v is None or v is DEFER:
            continue
        hit = classify(v, bool(r[1] & _F_ITER), bool(r[1] & _F_WITH), bool(r[1] & _F_TRUTH),
                       bool(r[1] & _F_MEMBER), bool(r[1] & _F_GETITEM))
        if hit is not None:
            if ("s", hit[1]) in seen:
                continue
            seen.add(("s", hit[1]))
            facts.sites.setdefault(fq, []).append(Site(
                fq, mod, path, sl, sc, el, ec, text, label, hit[0], hit[1], hit[2], hit[3], awaited, in_loop,
                False, None, bool(flags & analysis.F_TRAILER), bool(flags & analysis.F_GENEXP)))
            continue
        callee = None
        if v[0] == "F" and index.has_function(v[1]):
            callee = v[1]
        elif v[0] == "C":
            init = index.class_member(v[1], "__init__", False)
            callee = init[1] if init is not None and init is not DEFER and init[0] == "method" else None
        if callee is not None and callee not in seen and callee != value[1]:
            seen.add(callee)
            e = Edge(fq, callee, path, sl, sc, el, ec, text, label, awaited, in_loop, args,
                     bool(flags & analysis.F_TRAILER), bool(flags & analysis.F_GENEXP))
            e.inherited = (sub + "." + value[1].rsplit(".", 1)[-1], value[1])
            facts.edges.setdefault(fq, []).append(e)


def _declares(t: str, name: str) -> bool:
    """Catalog type ``t`` names member ``name`` (a listed blocking method, a return or attribute type, a
    local method), as opposed to accepting any public name (``blocking: "*"``)."""
    spec = TYPES.get(t)
    if not spec:
        return False
    b = spec.get("blocking")
    if b and b != "*" and name in b.split():
        return True
    for k in ("returns", "attrs", "replacements"):
        if name in (spec.get(k) or {}):
            return True
    for k in ("local", "props", "user_methods"):
        v = spec.get(k)
        if v and name in v.split():
            return True
    return False


def _props_of(t: str) -> frozenset:
    """The properties of catalog type ``t`` whose getters block (derived library facts: ``props``)."""
    spec = TYPES.get(t)
    p = spec.get("props") if spec else None
    return frozenset(p.split()) if p else frozenset()


def _propagate(facts: Facts) -> None:
    """Shortest witness chains, to a fixed point (BFS backwards from blocking sites).

    A sync function blocks if it makes a blocking call or calls (not awaits) a sync function that
    blocks.  An async function is fake-async if it blocks directly, calls a blocking sync function, or
    awaits a fake-async function.  Awaited and offloaded calls do not count as direct blocking.
    """
    funcs = facts.functions
    callers: Dict[str, List[Edge]] = {}
    for es in facts.edges.values():
        for e in es:
            if not e.once:  # a call made once (lazy initialisation) does not make every call block
                callers.setdefault(e.callee, []).append(e)
    blocks = facts.blocks
    queue = deque()
    warmed = facts.warmed
    for fq, sites in facts.sites.items():
        if fq in warmed:
            continue
        direct = [s for s in sites if not s.awaited and not s.once]
        if direct:
            direct.sort(key=lambda s: (s.line, s.col))
            blocks[fq] = (1, ("site", direct[0]))
            queue.append(fq)
    while queue:
        fq = queue.popleft()
        depth = blocks[fq][0]
        f = funcs.get(fq)
        if f is None:
            continue
        callee_async = f["async"]
        for e in callers.get(fq, ()):
            g = funcs.get(e.caller)
            if g is None or e.caller in blocks or e.caller in warmed:
                continue
            if callee_async:
                # awaiting a fake-async coroutine stalls the awaiting coroutine's loop too
                if not (g["async"] and e.awaited):
                    continue
            else:
                if e.awaited:
                    continue  # `await sync_fn()` is a bug of its own, not blocking propagation
            blocks[e.caller] = (depth + 1, ("call", e))
            queue.append(e.caller)


def chain(facts: Facts, fq: str, limit: int = 50) -> List[object]:
    """[Edge, Edge, ..., Site]: the shortest chain from function fq down to a blocking site."""
    out = []
    seen = set()
    while fq in facts.blocks and fq not in seen and len(out) < limit:
        seen.add(fq)
        _, w = facts.blocks[fq]
        if w[0] == "site":
            out.append(w[1])
            return out
        out.append(w[1])
        fq = w[1].callee
    return out


def reachable_sites(facts: Facts, fq: str, limit: int = 20):
    """Shortest chains from fq to each distinct blocking site it reaches (BFS over blocking edges)."""
    funcs = facts.functions
    results = []
    seen_sites = set()
    visited = {fq}
    queue = deque([(fq, [])])
    while queue and len(results) < limit:
        cur, path = queue.popleft()
        for s in sorted(facts.sites.get(cur, ()), key=lambda s: (s.line, s.col)):
            if s.awaited or s.once:
                continue
            key = (s.path, s.line, s.col)
            if key in seen_sites:
                continue
            seen_sites.add(key)
            results.append(path + [s])
        cf = funcs.get(cur)
        for e in sorted(facts.edges.get(cur, ()), key=lambda e: (e.line, e.col)):
            if e.callee in visited or e.callee not in facts.blocks or e.once:
                continue
            callee = funcs.get(e.callee)
            if callee is None:
                continue
            if callee["async"] and not (cf and cf["async"] and e.awaited):
                continue
            if not callee["async"] and e.awaited:
                continue
            visited.add(e.callee)
            queue.append((e.callee, path + [e]))
    return results
