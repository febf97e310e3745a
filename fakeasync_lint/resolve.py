"""Resolve symbolic terms (see ``analysis.py``) to values, and classify calls against the catalog.

The same :class:`Resolver` runs twice: in the worker with a :class:`LocalIndex` (this module only;
anything that needs another module answers ``DEFER`` and the term is kept), and in the project phase
with the project index (every module known; nothing is deferred).
"""
from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Optional

from . import catalog
from . import libfacts as _libfacts

DEFER = ("DEFER",)

FUNCTIONS = catalog.FUNCTIONS
TYPES = catalog.TYPES
FAMILIES = catalog.FAMILIES

# annotation/class spellings -> catalog type; method tables (rebuilt when library facts are installed:
# ``libfacts.install``)
TYPE_ALIASES = {}
BLOCKING_METHODS = {}
LIB_ROOTS = frozenset()


def _split(s) -> frozenset:
    if not s:
        return frozenset()
    if isinstance(s, str):
        return frozenset(s.split())
    return frozenset(s)


_CLASS_METHODS = {}


def rebuild_tables() -> None:
    global LIB_ROOTS
    TYPE_ALIASES.clear()
    BLOCKING_METHODS.clear()
    _CLASS_METHODS.clear()
    for t, spec in TYPES.items():
        TYPE_ALIASES[t] = t
        for a in (spec.get("aliases") or "").split():
            if not (spec.get("_derived") and a in TYPE_ALIASES):  # a hand spelling is never taken over
                TYPE_ALIASES[a] = t
        b = spec.get("blocking")
        if b == "*":
            BLOCKING_METHODS[t] = ("*", _split(spec.get("local")))
        else:
            BLOCKING_METHODS[t] = (None, _split(b))
        if spec.get("class_methods"):
            _CLASS_METHODS[t] = frozenset(spec["class_methods"].split())
    LIB_ROOTS = frozenset(catalog.MODULE_ROOTS) | frozenset(k.split(".", 1)[0] for k in FUNCTIONS) | frozenset(
        k.split(".", 1)[0] for k in TYPE_ALIASES)


rebuild_tables()


def add_types(types: dict) -> None:
    """Tables for catalog types added after start (library facts, ``libfacts.install``)."""
    global LIB_ROOTS
    roots = set()
    for t, spec in types.items():
        TYPE_ALIASES.setdefault(t, t)
        roots.add(t.split(".", 1)[0])
        for a in (spec.get("aliases") or "").split():
            TYPE_ALIASES.setdefault(a, t)
            roots.add(a.split(".", 1)[0])
        b = spec.get("blocking")
        BLOCKING_METHODS[t] = ("*", _split(spec.get("local"))) if b == "*" else (None, _split(b))
    if roots - LIB_ROOTS:
        LIB_ROOTS = LIB_ROOTS | roots

RESOLVED = frozenset(("T", "TC", "TM", "I", "C", "F", "M", "CMF", "CMV", "CLSV", "SUPER", "LV", "ASM", "DV", "TV",
                      "DVM"))
# ("DV", key, value): a mapping whose keys / values are these values (None: unknown); ("TV", a, b, ...): a
# tuple of these values; ("DVM", dv, method): a bound method of a mapping (``.values()``, ``.get``)
_MAPPING_METHODS = frozenset(("values", "keys", "items", "get", "pop", "setdefault", "copy", "__getitem__"))
_LIST_METHODS = frozenset(("pop", "popleft", "copy"))


_PATH_IMPLS = ("posixpath.", "ntpath.", "genericpath.")


def function_spec(q: str):
    spec = FUNCTIONS.get(q)
    if spec is None and q not in TYPE_ALIASES and _libfacts.ensure(q):
        spec = FUNCTIONS.get(q)  # the library's facts were installed on this first use of its root
    if spec is None and q.startswith("builtins."):
        spec = FUNCTIONS.get(q[9:])
    if spec is None and q.startswith(_PATH_IMPLS):
        # os.path *is* posixpath (ntpath on Windows), and genericpath holds their shared functions:
        # `from genericpath import isdir` is `os.path.isdir`
        spec = FUNCTIONS.get("os.path." + q.split(".", 1)[1])
    return spec



_MISSING = object()
# `<app>.models.<Model>.objects` / `._default_manager` (a Django app's models module)
_APP_MODEL = __import__("re").compile(r"\.models\.[A-Z]\w*\.(?:objects|_default_manager)(?=\.|$)")
_APP_MODEL_CLASS = __import__("re").compile(r"\.models\.[A-Z]\w*$")
_STDLIB = frozenset(getattr(__import__("sys"), "stdlib_module_names", ()))


_SELF_TYPES = frozenset(("typing.Self", "typing_extensions.Self"))


def _returns_own_instance(info) -> Optional[str]:
    """The class of a method that returns an instance of the class it is called on (``-> Self``,
    ``return cls(...)`` in a classmethod, ``return self``), else None."""
    cls = info.get("cls")
    if cls is None:
        return None
    r = info.get("returns")
    if r is not None:
        if r[0] == "R" and r[1] is not None:
            r = r[1]  # an annotation is the term of an instance: `("R", class)`
        return cls if r[0] == "Q" and r[1] in _SELF_TYPES else None
    r = info.get("ret_from")
    if r is None:
        return None
    if r[0] == "R" and r[1] is not None and r[1][0] == "C" and r[1][1] == cls and len(r) == 2:
        return cls
    if r[0] == "I" and len(r) == 2 and r[1] == cls:
        return cls
    return None


class Resolver:
    def __init__(self, index):
        self.index = index
        self._memo = {}
        # With the project index (``tracks_reads``), values are memoised per module unless they are
        # *pure*: computed without meeting the recursion guard or the depth limit.  A pure value is a
        # function of the summaries alone, so it is shared by every module, with the set of modules
        # whose summaries it read (added to the reads of each module that uses it).  Impure values stay
        # in ``_memo``, which the project resets for each module: a module's facts never depend on which
        # modules were resolved before it (an incremental run resolves it alone).
        self._shared = {}
        self._impure = 0
        self._track = getattr(index, "tracks_reads", False)
        self.module: Optional[str] = None  # the module being resolved (import fallback, see qual)
        self._storing = set()  # attribute names whose stored values are being resolved (``_stored``)

    # ---- values --------------------------------------------------------------------------------
    def val(self, term, depth: int = 0):
        if term is None:
            return None
        if depth > 25:
            self._impure += 1
            return None
        k = term[0]
        if k in RESOLVED:
            return term
        # terms read from JSON are nested lists: key them by their repr (C speed, and injective for
        # nested lists of str/int/None) and convert to tuples only when the value must be computed
        # (a worker's marshalled summary holds tuples: hashable as they are, cheaper than their repr)
        key = term if type(term) is tuple else repr(term)
        memo = self._memo
        if not self._track:
            try:
                hit = memo.get(key)
            except TypeError:  # a list inside a tuple: never built by the analysis, but keyed safely anyway
                key = repr(term)
                hit = memo.get(key)
            if hit is not None or key in memo:
                return hit
            memo[key] = None  # recursion guard
            r = self._val(term, depth)
            memo[key] = r
            return r
        index = self.index
        try:
            hit = self._shared.get(key, _MISSING)
        except TypeError:  # (as above)
            key = repr(term)
            hit = self._shared.get(key, _MISSING)
        if hit is not _MISSING:
            r, reads = hit
            if reads and index.reads is not None:
                index.reads |= reads
            return r
        hit = memo.get(key, _MISSING)
        if hit is not _MISSING:  # an impure value of this module, or the recursion guard
            self._impure += 1
            return hit
        memo[key] = None  # recursion guard
        outer = index.reads
        index.reads = mine = set()
        i0 = self._impure
        try:
            r = self._val(term, depth)
        finally:
            index.reads = outer
        if outer is not None and mine:
            outer |= mine
        if self._impure == i0:
            del memo[key]
            self._shared[key] = (r, frozenset(mine) if mine else None)
        else:
            memo[key] = r
        return r

    def _val(self, term, depth):
        k = term[0]
        if k == "Q":
            return self.qual(term[1], depth)
        if k == "L":
            sym = self.index.module_symbol(term[1], term[2])
            if sym is DEFER:
                return DEFER
            return self.val(sym, depth + 1)
        if k == "A":
            base = self.val(term[1], depth + 1)
            if base is DEFER:
                return DEFER
            return self.attr(base, term[2], depth)
        if k == "CMW":  # contextmanager(generator_function)
            gen = self.val(term[1], depth + 1)
            if gen is DEFER:
                return DEFER
            return ("CMF", gen[1]) if gen is not None and gen[0] == "F" else None
        if k == "DJM":  # `apps.get_model("shop", "Book")`: the project's model class of that app and name
            q = self.index.model_by_label(term[1], term[2]) if hasattr(self.index, "model_by_label") else None
            return ("C", q) if q else None
        if k == "P":  # an `__init__` parameter without annotation: what the project constructs the class with
            return self._ctor_param(term, depth)
        if k == "OR":  # the first alternative that resolves (an annotation, then a dependency's value)
            for i, alt in enumerate(term[1:], 2):
                v = self.val(alt, depth + 1)
                if v is not None and v is not DEFER:
                    if v[0] == "I" and len(v) == 2:
                        # `s: Settings = await Settings.objects.prefetch_related(...).afirst()`: the value is the
                        # annotated class, narrowed (its relations preloaded): the narrower one wins
                        for later in term[i:]:
                            n = self.val(later, depth + 1)
                            if n is not None and n is not DEFER and n[0] == "I" and len(n) > 2 and n[1] == v[1]:
                                return n
                    return v
            return None
        if k == "DEP":  # `Depends(get_x)`: what get_x returns, or yields (a generator dependency)
            f = self.val(term[1], depth + 1)
            if f is DEFER:
                return DEFER
            if f is None or f[0] != "F":
                return None
            info = self.index.function_info(f[1])
            if info is DEFER:
                return DEFER
            if info is not None and info.get("yield_from") is not None and not (info.get("returns")):
                return self.val(info["yield_from"], depth + 1)
            return self.call_result(f, True, depth)
        if k == "REL":  # a Django relation field (class body): what reading it on an instance gives
            callee = self.val(term[1], depth + 1)
            if callee is DEFER:
                return DEFER
            if callee is not None and callee[0] == "TC":
                if callee[1] == "django.ForeignKey" and term[2] in ("fk", "o2o"):
                    # the related row, loaded on first read; an instance of its model (``attr``): reading its own
                    # relations loads another row (`watcher.competition.association`)
                    target = self.index.relation_target(term) if hasattr(self.index, "relation_target") else None
                    return ("T", "django.ForeignKey", ROW, target) if target else ("T", "django.ForeignKey")
                if callee[1] == "django.ManyToManyField" and term[2] == "m2m":
                    target = self.index.relation_target(term) if hasattr(self.index, "relation_target") else None
                    return ("T", RELATED_MANAGER, target) if target else ("T", RELATED_MANAGER)
            return self.call_result(callee, False, depth)
        if k == "FQS":  # `models.Manager.from_queryset(BookQuerySet)`: the queryset's methods on a manager class
            qs = self.val(term[2], depth + 1)
            if qs is DEFER:
                return DEFER
            return ("C", qs[1]) if qs is not None and qs[0] == "C" and self._is_queryset_class(qs[1]) else None
        if k == "KW":  # `Book.objects.filter(author=a)` / `Book(author=a)`: `a` is an instance of the related model
            return self._field_kwarg(term, depth)
        if k == "CLS":  # a type alias of an instance term: calling / annotating with it gives the instance
            return ("CLSV", term[1])
        if k == "R":
            callee = self.val(term[1], depth + 1)
            if callee is DEFER:
                return DEFER
            return self.call_result(callee, False, depth)
        if k in ("DICT", "TUPLE", "ZIP"):
            parts = []
            for x in term[1:]:
                v = self.val(x, depth + 1) if x is not None else None
                if v is DEFER:
                    return DEFER
                parts.append(v)
            if all(v is None for v in parts):
                return None
            if k == "DICT":
                return ("DV", parts[0], parts[1])
            if k == "TUPLE":
                return ("TV",) + tuple(parts)
            items = tuple(self._item(v) for v in parts)
            return None if all(v is None for v in items) else ("LV", ("TV",) + items)
        if k == "ENUM":  # (index, item) pairs
            base = self.val(term[1], depth + 1)
            if base is DEFER:
                return DEFER
            item = self._item(base)
            return None if item is None else ("LV", ("TV", None, item))
        if k == "EL":  # element i of unpacking a tuple value
            base = self.val(term[1], depth + 1)
            if base is DEFER:
                return DEFER
            i = term[2]
            if base is not None and base[0] == "TV" and 0 <= i < len(base) - 1:
                return base[1 + i]
            return None
        if k == "LIST":  # a list of items: ("LV", item), whose iteration and indexing give the item
            item = self.val(term[1], depth + 1)
            if item is DEFER:
                return DEFER
            return None if item is None else ("LV", item)
        if k == "MI":  # `get_object_or_404(Book, ...)`: a Book (or the model a manager / queryset is about)
            m = self.val(term[2], depth + 1)
            if m is DEFER:
                return DEFER
            if m is not None and m[0] == "C":
                return ("I", m[1])
            if m is not None and m[0] == "T" and len(m) > 2 and (TYPES.get(m[1]) or {}).get("model"):
                return typed(MODEL_INSTANCE_TYPE, m[2], ("pre",) if "pre" in m[3:] else ())
            callee = self.val(term[1], depth + 1)
            return DEFER if callee is DEFER else self.call_result(callee, False, depth)
        if k == "AW":
            inner = term[1]
            if inner is not None and inner[0] == "MI":
                return self.val(inner, depth + 1)
            if inner is not None and inner[0] == "OFF":  # `await sync_to_async(f)(x)`: what f(x) returns
                return self.val(inner[1], depth + 1)
            if inner is not None and inner[0] == "R":
                callee = self.val(inner[1], depth + 1)
                if callee is DEFER:
                    return DEFER
                return self.call_result(callee, True, depth)
            return None
        if k == "DIV":
            base = self.val(term[1], depth + 1)
            if base is DEFER:
                return DEFER
            if base is not None and base[0] == "T" and TYPES.get(base[1], {}).get("truediv"):
                return ("T", TYPES[base[1]]["truediv"])
            return None
        if k in ("S", "IT", "WI", "AWI", "AIT"):
            base = self.val(term[1], depth + 1)
            if base is DEFER:
                return DEFER
            if base is None:
                return None
            if base[0] == "LV":  # an element of a list of items (iterated or indexed); never entered
                return base[1] if k in ("IT", "S") else None
            if base[0] == "DV":  # iterating a mapping gives its keys, indexing it a value
                return base[1] if k == "IT" else base[2] if k == "S" else None
            if base[0] in ("TV", "DVM"):
                return None
            if k == "AIT":  # `async for x in qs`: a Django queryset yields its model's instances
                if base[0] == "T" and (TYPES.get(base[1]) or {}).get("model"):
                    r = (TYPES.get(base[1]) or {}).get("item")
                    return typed(r, base[2] if len(base) > 2 else None, base[3:]) if r else None
                return None
            if k == "AWI":
                if base[0] == "I":
                    return self._entered(base, "__aenter__", depth)
                if base[0] == "CMV":
                    return base[1]
                return base if base[0] == "T" else None
            if k == "WI" and base[0] == "I":
                return self._entered(base, "__enter__", depth)
            if k == "S" and base[0] == "I" and len(base) == 2 and isinstance(base[1], str):
                # `client.collections["books"]`: what the class's `__getitem__` returns
                m = self.index.class_member(base[1], "__getitem__", True)
                if m is DEFER:
                    return DEFER
                if m is not None and m[0] == "method":
                    return self.call_result(("F", m[1]), False, depth + 1)
                return None
            if base[0] == "T":
                spec = TYPES.get(base[1], {})
                key = {"S": "subscript", "IT": "item", "WI": "with_type"}[k]
                r = spec.get(key)
                if r is None and k == "WI":
                    return base
                return typed(r, base[2] if len(base) > 2 else None, base[3:]) if r else None
            if k == "WI" and base[0] == "I":
                return base
            if k == "WI" and base[0] == "CMV":  # `with get_db() as db`: the generator's yielded value
                return base[1]
            return None
        return None

    def _is_model_class(self, cls: str) -> bool:
        """A project class deriving from Django's ``Model`` (directly or through abstract bases and mixins)."""
        found = self.index.class_member(cls, "refresh_from_db", True)
        return found is not None and found is not DEFER and found[0] == "type" and found[1] == MODEL_INSTANCE_TYPE

    def _is_queryset_class(self, cls: str) -> bool:
        """A project class deriving from Django's ``QuerySet`` (or a manager): its instances carry a model."""
        found = self.index.class_member(cls, "filter", True)
        return found is not None and found is not DEFER and found[0] == "type" and bool(
            (TYPES.get(found[1]) or {}).get("model"))

    def _field_kwarg(self, term, depth: int):
        """``("KW", callee, field, name)``: the value given as ``field=`` to a Django model's manager / queryset method
        (``analysis._FIELD_KW_METHODS``) or constructor, when ``field`` is a ``ForeignKey`` / ``OneToOneField``
        of that model: an instance of the related model (``relation_target``)."""
        callee = self.val(term[1], depth + 1)
        if callee is DEFER:
            return DEFER
        if callee is None:
            return None
        if callee[0] == "TM" and len(callee) > 3 and isinstance(callee[3], str) and callee[2] in _FIELD_KW_METHODS \
                and (TYPES.get(callee[1]) or {}).get("model"):
            model = callee[3]
        elif callee[0] == "C":
            model = callee[1]
        elif callee[0] == "T" and len(callee) > 2 and isinstance(callee[2], str) and (
                TYPES.get(callee[1]) or {}).get("model"):
            model = callee[2]  # `get_object_or_404(Book.objects.filter(...), author=a)`
        else:
            return None
        found = self.index.class_member(model, term[2], True)
        if found is DEFER:
            return DEFER
        if found is None or found[0] != "attr" or not found[1] or found[1][0] != "REL" or found[1][2] not in (
                "fk", "o2o"):
            return None
        field = self.val(found[1], depth + 1)  # a Django relation field (not another ORM's `ForeignKey`)
        if field is DEFER:
            return DEFER
        if field is None or field[0] != "T" or field[1] != "django.ForeignKey" or not hasattr(self.index,
                                                                                          "relation_target"):
            return None
        target = self.index.relation_target(found[1])
        return ("I", target) if target else None

    def qual(self, q: str, depth: int):
        if function_spec(q) is not None:
            return ("F", q)
        if q in _DJANGO_USER_NAMES:
            return DJANGO_USER_CLASS  # Django's own user model: its relations are known (``_django_user``)
        t = TYPE_ALIASES.get(q)
        if t is not None:
            return ("TC", t)
        r = self.index.lookup_qual(q)
        if r is DEFER:
            return DEFER
        if r is None and self.module is not None and hasattr(self.index, "import_fallback_roots"):
            r = self._import_fallback(q)
        if r is None and "." in q:
            # a member of a catalog type under a public spelling: `stripe.Customer.create` is the
            # classmethod `create` of type `stripe._customer.Customer` (library facts are keyed by the
            # defining name)
            head, _, tail = q.rpartition(".")
            t = TYPE_ALIASES.get(head)
            if t is not None and t != head:
                hit = self.qual(t + "." + tail, depth + 1)
                if hit is not None:
                    return hit
            if q.split(".", 1)[0] in LIB_ROOTS:
                hit = self._catalog_member(q, depth)
                if hit is not None or ".models." not in q:
                    return hit
            if ".models." in q:
                # (a library the catalog knows may be a Django app too: `rest_framework.authtoken.models.Token`)
                return self._app_model_member(q, depth)
        if r is None and q in LIB_ROOTS:
            # a catalog module used as a value: `self.request_method = requests` (newsapi's client), then
            # `self.request_method.get(url)` is `requests.get`
            return ("M", q)
        return None if r is None else self.val(r, depth + 1)

    def _app_model_member(self, q: str, depth: int):
        """``allauth.account.models.EmailAddress.objects.get``: a class of a third-party Django app's
        ``models`` module (not in the project), used through its manager, in a module that imports Django; the
        class itself (``rest_framework.authtoken.models.Token``) is a model class whose own members are unknown."""
        m = _APP_MODEL.search(q)
        cls_only = m is None and _APP_MODEL_CLASS.search(q) is not None
        if (m is None and not cls_only) or self.module is None:
            return None
        self._impure += 1  # the answer depends on the module asking (its imports): never shared
        s = self.index.summaries.get(self.module) if hasattr(self.index, "summaries") else None
        if not s or not any(v.startswith("django.") for v in (s.get("imports") or {}).values()):
            return None
        if cls_only:
            # the class itself (`ProgressReport(...)`, `Token(user=u)`): a model class whose rows save, delete
            # and refresh themselves with a query (its own members are not known here)
            return ("TC", MODEL_INSTANCE_TYPE)
        v = ("T", "django.Manager")
        for name in q[m.end():].split(".")[1:]:
            v = self.attr(v, name, depth + 1)
            if v is None or v is DEFER:
                return None
        return v

    def _catalog_member(self, q: str, depth: int):
        """``django.contrib.auth.models.User.objects.get``: a member of a catalog class named by its import
        path (imported names are kept dotted: ``User.objects`` after ``from ... import User``)."""
        parts = q.split(".")
        for i in range(len(parts) - 1, 1, -1):
            prefix = ".".join(parts[:i])
            t = TYPE_ALIASES.get(prefix)
            if t is not None:
                v = DJANGO_USER_CLASS if prefix in _DJANGO_USER_NAMES else ("TC", t)
                for name in parts[i:]:
                    if v[0] == "TC":  # only what the catalog says of the class (never back to ``qual``)
                        a = ((TYPES.get(v[1]) or {}).get("class_attrs") or {}).get(name)
                        # (Django's `User.objects`: about that model)
                        v = (("T", a, v[2]) if len(v) > 2 and (TYPES.get(a) or {}).get("model") else ("T", a)) \
                            if a else None
                    else:
                        v = self.attr(v, name, depth + 1)
                    if v is None or v is DEFER:
                        return None
                return v
        return None

    def _import_fallback(self, q: str):
        """``services.db.X`` imported in ``backend.api.findings``, where the project has no top-level
        ``services`` but has ``backend.services``: the app runs with ``backend/`` on ``sys.path``.  Try the
        importer's ancestor packages, nearest first (as pyright resolves imports from the importing file's
        directory).  The answer depends on the importer: never shared across modules (impure)."""
        root = q.split(".", 1)[0]
        if root in _STDLIB or root in LIB_ROOTS:
            return None
        top, inner = self.index.import_fallback_roots()
        if self.index.reads is not None:
            self.index.reads.add(("^", root))  # the answer depends on which names the project's modules use
        if root in top or root not in inner:
            return None  # importable as it is (Python 3 has no implicit relative imports): nothing to try
        self._impure += 1
        parts = self.module.split(".")
        for i in range(len(parts) - 1, 0, -1):
            r = self.index.lookup_qual(".".join(parts[:i]) + "." + q)
            if r is not None and r is not DEFER:
                return r
        return None

    def attr(self, base, name: str, depth: int):
        if base is None:
            return None
        k = base[0]
        if k in ("DV", "LV", "TV", "DVM"):
            if k == "LV" and name in _LIST_METHODS:
                return ("DVM", base, name)  # `connections.popleft()`: an item of the list
            return ("DVM", base, name) if k == "DV" and name in _MAPPING_METHODS else None
        if k == "M":
            return self.qual(base[1] + "." + name, depth + 1)
        if k == "TM":
            # a member read that is used as a base: `mongo.app.users` -> attrs["*"]
            star = ((TYPES.get(base[1]) or {}).get("attrs") or {}).get("*")
            if not star:
                return None
            return self.attr(("T", star), name, depth + 1)
        if k == "T":
            if len(base) == 4 and base[2] == ROW:  # a row loaded by a relation read: an instance of its model
                return self.attr(("I", base[3]), name, depth + 1)
            spec = TYPES.get(base[1])
            if spec is None:
                return None
            a = (spec.get("attrs") or {}).get(name)
            if a and name != "*":
                return ("T", a)
            if len(base) == 2:
                st = self._stored(base, name, depth)
                if st is not None:
                    return st
                if spec.get("subclassed") and hasattr(self.index, "table"):
                    # `ctx.bot.db`: the framework hands back the project's own subclass of it (the bot it
                    # was started with); the one project class deriving from it that has the member
                    own = self._own_subclass(base[1], name, depth)
                    if own is not None:
                        return own
            return ("TM", base[1], name) + tuple(base[2:])  # a model class travels with the method
        if k == "SUPER":  # `super().name`: the first base (in order) that has it
            c = self.index.class_record(base[1]) if hasattr(self.index, "class_record") else None
            for b in (c or {}).get("bases", ()):
                bv = self.val(b, depth + 1)
                if bv is DEFER:
                    return DEFER
                if bv is not None and bv[0] == "F":
                    # a library class the catalog knows as a constructor (`class SecureRedis(redis.Redis)`):
                    # `super().set(...)` is the type's method
                    spec = function_spec(bv[1])
                    rt = spec.get("returns") if spec is not None else None
                    bv = ("TC", rt) if rt else None
                if bv is not None and bv[0] in ("C", "TC"):
                    r = self.attr(("I", bv[1]) if bv[0] == "C" else ("T", bv[1]), name, depth + 1)
                    if r is not None:
                        return r
            return None
        if k == "I" and base[1] == DJANGO_USER:
            return self._django_user(base, name, depth)
        if k in ("I", "C"):
            found = self.index.class_member(base[1], name, k == "I")
            if found is DEFER:
                return DEFER
            if found is None:
                if k == "C" and name == "as_manager" and self._is_queryset_class(base[1]):
                    return ("ASM", base[1])  # `BookQuerySet.as_manager()`: a manager with the queryset's methods
                return self._stored(base, name, depth) if k == "I" and len(base) == 2 else None
            kind, value = found[0], found[1]
            if kind == "method" and k == "I":
                pinfo = self.index.function_info(value)
                if pinfo is DEFER:
                    return DEFER
                if pinfo is not None and pinfo.get("prop"):
                    return self.call_result(("F", value), False, depth + 1)  # a property: its value
            if kind == "method":
                info = self.index.function_info(value) if value.rsplit(".", 1)[0] != base[1] else None
                if info is not None and info is not DEFER and (info.get("open") or info.get("mixin") or
                                                               _returns_own_instance(info)) and info.get("cls") != base[1]:
                    # inherited, with calls on attributes the subclass sets (`cls.model`): the receiver's
                    # class travels with the method (``project._specialize``)
                    return ("F", value, base[1])
                return ("F", value)
            if kind == "type":  # a member inherited from a catalog base type (Django Model, Manager)
                if k == "I" and value == MODEL_INSTANCE_TYPE and hasattr(self.index, "reverse_relation"):
                    # a relation declared on another model: `author.books` (related_name), `author.book_set`
                    rv = self.index.reverse_relation(base[1], name)
                    if rv is not None:
                        # on an instance of a preloading queryset (`prefetch_related`) the related row is not
                        # judged, and the related manager may serve its rows from the prefetch cache (``CACHED``)
                        if len(base) == 2:
                            return rv
                        return rv + (CACHED,) if rv[1] == RELATED_MANAGER and len(rv) == 3 else None
                model = base[3] if k == "I" and len(base) > 3 and base[2] == "model" else None
                if k == "C" and name in _CLASS_METHODS.get(value, ()):
                    model = base[1]  # `User.get(...)` on a peewee model class: the result is about `User`
                return self.attr(("T", value, model) if model else ("T", value), name, depth + 1)
            v = self.val(value, depth + 1)
            if v is None and k == "I" and depth < 40:
                tv = self._typevar(value)
                if tv is not None:
                    v = self._typevar_value(base[1], name, tv, depth + 1)
            if k == "I" and len(base) > 2 and v is not None and v is not DEFER and len(v) == 4 and v[2] == ROW:
                return v[:2]  # a relation of a preloaded instance (`select_related`): its own relations are not judged
            if k == "I" and len(base) > 2 and v is not None and v[0] == "T" and v[1] == RELATED_MANAGER:
                # a many-to-many manager of a preloaded instance (`prefetch_related`): its rows may come from the
                # prefetch cache (``CACHED``), a new query built on it (`filter(...)`) does not
                return v + (CACHED,) if len(v) == 3 else None
            if k == "C" and v is not None and v is not DEFER and v[0] == "T" and len(v) == 2 \
                    and (TYPES.get(v[1]) or {}).get("model") and self._is_model_class(base[1]):
                # `objects = models.Manager()` declared on a model class: Django's manager, about this model
                return ("T", v[1], base[1])
            if k == "C" and v is not None and v is not DEFER and v[0] == "I" and len(v) == 2:
                # `objects = BookManager()` on a model class: the custom manager is about this model
                mt = self.index.class_member(v[1], "all", True)
                if mt is not None and mt is not DEFER and mt[0] == "type" and (TYPES.get(mt[1]) or {}).get("model"):
                    return ("I", v[1], "model", base[1])
            return v
        if k == "TC":
            # a catalog model class itself (`User.objects`, `get_user_model().objects`): its class attributes
            t = ((TYPES.get(base[1]) or {}).get("class_attrs") or {}).get(name)
            if t:
                # (Django's `User`: its manager is about that model, whose relations are known)
                return ("T", t, base[2]) if len(base) > 2 and (TYPES.get(t) or {}).get("model") else ("T", t)
            return self.qual(base[1] + "." + name, depth + 1)
        return None

    def _ctor_param(self, term, depth: int):
        """Parameter ``term[3]`` (caller position ``term[2]``, -1: keyword-only) of class ``term[1]``'s
        ``__init__`` (of function ``term[1]`` when ``term[4]`` is "F"): the first object the project's calls of
        that class (function) pass for it that resolves
        (``analysis._record_ctor_args``; `Repo(Database(path))`).  Calls are found by the class's name; in a
        library's code also by its subclasses' names (``ProjectIndex.library``)."""
        index = self.index
        cls, pos, pname = term[1], term[2], term[3]
        func = len(term) > 4  # ("P", function, position, name, "F"): a parameter of a module-level function
        names = [cls.rsplit(".", 1)[-1]]
        if not func and getattr(index, "library", False):
            # a library's base class constructed under its subclasses' names (docker's
            # `ContainerCollection(client=self)` runs `Collection.__init__(self, client=None)`)
            names += [sub.rsplit(".", 1)[-1] for sub in index.subclasses_named(names[0])[:16]]
        for n in names:
            for callee, args, kws in (index.ctor_args(n) if hasattr(index, "ctor_args") else ()):
                t = kws.get(pname) if kws else None
                if t is None and 0 <= pos < len(args):
                    t = args[pos]
                if t is None:
                    continue
                cv = self.val(callee, depth + 1)
                if cv is None or cv is DEFER or cv[0] != ("F" if func else "C"):
                    continue
                if func:
                    if cv[1] != cls:
                        continue
                elif cv[1] != cls:  # a subclass constructed under its own name runs the base's `__init__`
                    init = index.class_member(cv[1], "__init__", True)
                    if init is None or init is DEFER or init[0] != "method" or init[1] != cls + ".__init__":
                        continue
                v = self.val(t, depth + 1)
                if v is not None and v is not DEFER:
                    return v
        return None

    def _django_user(self, base, name: str, depth: int):
        """Member ``name`` of an instance of Django's own ``User`` (no project user model): a relation another
        model declares to it (`profile`, `posts`), its own many-to-many managers, else the model type's.  On
        an instance of a preloading queryset (``base`` carries "pre"), as for a project model."""
        rv = self.index.reverse_relation(DJANGO_USER, name) if hasattr(self.index, "reverse_relation") else None
        if rv is None and name in ("groups", "user_permissions"):
            rv = ("T", RELATED_MANAGER)
        if rv is not None:
            if len(base) == 2:
                return rv
            return rv + (CACHED,) if rv[1] == RELATED_MANAGER and len(rv) <= 3 else None
        return self.attr(("T", MODEL_INSTANCE_TYPE), name, depth + 1)

    def _own_subclass(self, t: str, name: str, depth: int):
        """Member ``name`` of the project's class deriving from catalog type ``t`` (``analysis``: the
        ``subclasses`` table), when exactly one such class has it; else None."""
        found = None
        for q in self.index.table("sb:", t):
            m = self.index.class_member(q, name, True)
            if m is None or m is DEFER or m[0] == "type":
                continue  # the framework's own member (the catalog type's), or none
            if found is not None and found != q:
                return None  # two bots with that member: which one runs is not known here
            found = q
        return self.attr(("I", found), name, depth + 1) if found is not None else None

    def _stored(self, base, name: str, depth: int):
        """Attribute ``name`` of an object no class declares it on, stored on an object of the same kind
        elsewhere in the project (``analysis._bind_attr``: `app.state.db = sqlite3.connect(...)` at
        start-up, read as `request.app.state.db` in a route; `bot.db = ...` read as `self.bot.db` in a cog):
        the first stored value that resolves, on a receiver that resolves to the same type or project class."""
        index = self.index
        stores = index.attr_stores(name) if hasattr(index, "attr_stores") else None
        if not stores or depth > 20:
            return None
        guard = self._storing
        if name in guard:
            self._impure += 1  # met the recursion guard: this value depends on the order of resolution
            return None
        guard.add(name)
        try:
            for recv, value in stores:
                rv = self.val(recv, depth + 1)
                if rv is None or rv is DEFER or rv[0] != base[0] or rv[1] != base[1]:
                    continue
                v = self.val(value, depth + 1)
                if v is not None and v is not DEFER:
                    return v
        finally:
            guard.discard(name)
        return None

    _TYPEVARS = (("R", ("Q", "typing.TypeVar")), ("R", ("Q", "typing_extensions.TypeVar")))

    def _typevar(self, term) -> Optional[str]:
        """The name of the type variable an annotation term names (`_client: ClientT`), else None."""
        if term is None or term[0] != "R" or not isinstance(term[1], tuple):
            return None
        t = term[1]
        if t[0] == "L":
            mod, name = t[1], t[2]
        elif t[0] == "Q" and "." in t[1]:
            mod, name = t[1].rsplit(".", 1)
        else:
            return None
        sym = self.index.module_symbol(mod, name) if hasattr(self.index, "module_symbol") else None
        return name if sym in self._TYPEVARS else None

    def _typevar_value(self, cls: str, name: str, tv: str, depth: int):
        """Attribute ``name`` of an instance of ``cls`` annotated with type variable ``tv`` by a generic
        base: the type ``cls`` (or a base between) gives that parameter, `class Collection(
        CollectionCommon["ServerAPI"])` for `CollectionCommon(Generic[ClientT])`'s `_client: ClientT`."""
        owner = self._attr_owner(cls, name, 0)
        if owner is None or owner == cls:
            return None
        t = self._typevar_binding(cls, owner, tv, 0)
        if t is None or self._typevar(t) is not None:
            return None
        v = self.val(t, depth + 1)
        return None if v is DEFER else v

    def _attr_owner(self, cls: str, name: str, depth: int) -> Optional[str]:
        c = self.index.class_record(cls) if hasattr(self.index, "class_record") else None
        if c is None or c is DEFER or depth > 12:
            return None
        if name in c["attrs"]:
            return cls
        for b in c["bases"]:
            bv = self.val(b)
            if bv is not None and bv is not DEFER and bv[0] == "C":
                r = self._attr_owner(bv[1], name, depth + 1)
                if r is not None:
                    return r
        return None

    def _typevar_binding(self, cls: str, owner: str, tv: str, depth: int):
        """The term ``cls``'s class statement gives ``owner``'s type parameter ``tv`` (through the bases
        between), or None."""
        c = self.index.class_record(cls) if hasattr(self.index, "class_record") else None
        o = self.index.class_record(owner) if hasattr(self.index, "class_record") else None
        if c is None or c is DEFER or o is None or o is DEFER or depth > 12:
            return None
        gargs = c.get("gargs") or ()
        for i, b in enumerate(c["bases"]):
            bv = self.val(b)
            if bv is None or bv is DEFER or bv[0] != "C":
                continue
            args = gargs[i] if i < len(gargs) else None
            if bv[1] == owner:
                tp = o.get("tparams") or ()
                if args and tv in tp and tp.index(tv) < len(args):
                    return args[tp.index(tv)]
                continue
            r = self._typevar_binding(bv[1], owner, tv, depth + 1)
            if r is None:
                continue
            inner = self._typevar(r)
            if inner is None:
                return r
            bc = self.index.class_record(bv[1])
            tp = (bc or {}).get("tparams") or ()
            if args and inner in tp and tp.index(inner) < len(args):
                return args[tp.index(inner)]
            return r
        return None

    def call_result(self, callee, awaited: bool, depth: int):
        if callee is None:
            return None
        k = callee[0]
        if k == "F":
            spec = function_spec(callee[1])
            if spec is not None:
                r = spec.get("returns")
                if not r and spec.get("returns_class"):
                    if callee[1].endswith("get_user_model") and hasattr(self.index, "user_model"):
                        u = self.index.user_model()  # the project's own user model, when it has one
                        return ("C", u) if u is not None else DJANGO_USER_CLASS  # else Django's `User`
                    return ("TC", spec["returns_class"])
                return ("T", r) if r else None
            info = self.index.function_info(callee[1])
            if info is DEFER:
                return DEFER
            if info is None:
                return None
            if info.get("async") and not awaited:
                return None  # a coroutine object
            if info.get("yield_from") is not None and any(
                d[0] == "name" and (d[1] or "").rsplit(".", 1)[-1] == "contextmanager" for d in info.get("deco") or ()
            ):
                return self._cm_value(info, depth)
            own = _returns_own_instance(info)
            if own:
                # `-> Self`, `return cls(...)`, `return self`: an instance of the class it is called on
                # (`ProductRepository.from_session(s)` through the inherited `RepositoryBase.from_session`)
                return ("I", callee[2] if len(callee) > 2 else own)
            rv = info.get("ret_val")
            if rv is not None:  # annotated, and returns a call's value: a preloaded model instance wins
                v = self.val(rv, depth + 1)
                if v is DEFER:
                    return DEFER
                if v is not None and (v[0] == "I" and len(v) > 2 or v[0] == "LV" and v[1] is not None
                                      and v[1][0] == "I" and len(v[1]) > 2):
                    return v  # (`-> List[Agent]`: a list of them, `await sync_to_async(list)(qs)`)
            rt = info.get("returns") or info.get("ret_from")
            return self.val(rt, depth + 1) if rt is not None else None
        if k == "ASM":
            return ("I", callee[1])  # the manager made by `as_manager()`: the queryset class's methods, and its model
        if k == "CMF":
            info = self.index.function_info(callee[1])
            if info is DEFER:
                return DEFER
            return self._cm_value(info, depth) if info is not None and info.get("yield_from") is not None else None
        if k == "C":
            return ("I", callee[1])
        if k == "CLSV":
            return self.val(callee[1], depth + 1)
        if k == "DVM":  # `peers.values()`, `peers.items()`, `peers.get(k)`
            m = callee[2]
            if callee[1][0] == "LV":  # `connections.popleft()`, `items.copy()`
                return callee[1] if m == "copy" else callee[1][1]
            _dv, key, value = callee[1]
            if m == "copy":
                return callee[1]
            if m in ("values", "keys", "items"):
                item = value if m == "values" else key if m == "keys" else (
                    ("TV", key, value) if key is not None or value is not None else None)
                return None if item is None else ("LV", item)
            return value
        if k == "TC":
            return ("T", callee[1])
        if k == "TM":
            spec = TYPES.get(callee[1]) or {}
            model = callee[3] if len(callee) > 3 else None
            extra = ("pre",) if callee[2] in PRELOADING else tuple(callee[4:])
            if CACHED in extra and callee[2] != "all":
                extra = tuple(x for x in extra if x != CACHED)  # `filter(...)` on it: a new query, not the cache
            r = (spec.get("returns") or {}).get(callee[2])
            if r and model is None and callee[2] in (spec.get("user_methods") or "").split() \
                    and hasattr(self.index, "user_model"):
                u = self.index.user_model()  # `await request.auser()`: the project's own user model
                if u is not None:
                    return ("I", u)
            if r:
                if r.endswith(",bool"):  # a pair: the value and a flag (`obj, created = ...get_or_create()`)
                    return ("TV", typed(r[:-5], model, extra), None)
                return typed(r, model, extra)
            if spec.get("fluent") and not self.is_blocking_method(callee[1], callee[2]):
                m = callee[2]
                if m[:1] == "a" and self.is_blocking_method(callee[1], m[1:]):
                    return None  # an async twin's result (`await qs.aexists()`, `acount`, `aupdate`): not the query
                return typed(callee[1], model, extra)
            return None
        if k == "T":
            r = (TYPES.get(callee[1]) or {}).get("call")
            return ("T", r) if r else None
        if k == "I" and len(callee) == 2 and isinstance(callee[1], str) and depth < 40:
            # calling an instance runs its `__call__` (`reddit.subreddit("python")`: a helper object)
            m = self.index.class_member(callee[1], "__call__", True)
            if m is None or m is DEFER or m[0] != "method":
                return m if m is DEFER else None
            return self.call_result(("F", m[1]), awaited, depth + 1)
        return None

    @staticmethod
    def _item(base):
        """What iterating a resolved value gives: a list's item, a mapping's key, a catalog type's item."""
        if base is None or base is DEFER:
            return None
        if base[0] in ("LV", "DV"):
            return base[1]
        if base[0] == "T":
            r = (TYPES.get(base[1]) or {}).get("item")
            return typed(r, base[2] if len(base) > 2 else None, base[3:]) if r else None
        return None

    def _entered(self, inst, dunder: str, depth: int):
        """What ``with inst as x`` binds: the project class's ``__enter__`` / ``__aenter__`` result (the
        instance itself when the method is inherited from outside the project or returns nothing known)."""
        found = self.index.class_member(inst[1], dunder, True)
        if found is DEFER:
            return DEFER
        if found is None or found[0] != "method":
            return inst
        r = self.call_result(("F", found[1]), True, depth + 1)
        if r is DEFER:
            return DEFER
        return inst if r is None else r

    def _cm_value(self, info, depth: int):
        v = self.val(info["yield_from"], depth + 1)
        if v is DEFER:
            return DEFER
        return None if v is None else ("CMV", v)

    # ---- classification ------------------------------------------------------------------------
    @staticmethod
    def is_blocking_method(t: str, m: str) -> bool:
        mode, names = BLOCKING_METHODS.get(t, (None, frozenset()))
        if mode == "*":
            return not m.startswith("_") and m not in names
        return m in names


def typed(t: str, model: Optional[str], extra=()):
    """The value of catalog type ``t``, for the model class ``model`` when known: a model-carrying type
    keeps it (``("T", "django.QuerySet", "app.models.Book")``), and a model instance type becomes an
    instance of that project class (``("I", "app.models.Book")``).  ``extra`` = ``("pre",)`` marks a
    queryset that preloads relations (``select_related`` / ``prefetch_related``) and its instances,
    whose foreign-key reads then run no query."""
    if model is not None:
        spec = TYPES.get(t) or {}
        if spec.get("model"):
            return ("T", t, model) + tuple(extra)
        if t == MODEL_INSTANCE_TYPE or spec.get("instance"):
            return ("I", model) + tuple(extra)
    return ("T", t)


PRELOADING = frozenset(("select_related", "prefetch_related"))
# marks a related manager read on a preloaded instance (`issue.assignees` after `prefetch_related("assignees")`)
# and its `all()`: served from the prefetch cache when that relation was prefetched, so neither its iteration
# nor its methods are judged; any other queryset method (`filter`, `exclude`, ...) builds a new query
CACHED = "cache"


MODEL_INSTANCE_TYPE = "django.Model"
# Django's own user model when the project has none (`django.contrib.auth.models.User`, `get_user_model()`,
# `settings.AUTH_USER_MODEL`): a model class by that name, whose members ``Resolver._django_user`` knows
DJANGO_USER = "django.contrib.auth.models.User"
DJANGO_USER_CLASS = ("TC", MODEL_INSTANCE_TYPE, DJANGO_USER)
_DJANGO_USER_NAMES = frozenset((DJANGO_USER,))
ROW = "row"  # ("T", "django.ForeignKey", ROW, model): the related row a relation read loads
RELATED_MANAGER = "django.RelatedManager"


def rebind(term, old: str, new: str):
    """``term`` with the class ``old`` (``cls`` / ``self`` of its methods) replaced by its subclass ``new``."""
    if isinstance(term, (list, tuple)):
        if len(term) == 2 and term[0] in ("C", "I") and term[1] == old:
            return (term[0], new)
        return tuple(rebind(x, old, new) for x in term)
    return term


def _freeze(term):
    if isinstance(term, (list, tuple)):
        return tuple(_freeze(x) for x in term)
    return term


_FIELD_KW_METHODS = frozenset(
    "create get filter exclude get_or_create update_or_create acreate aget aget_or_create aupdate_or_create".split())


def classify(value, iteration: bool = False, with_item: bool = False, truth: bool = False, member: bool = False,
             getitem: bool = False):
    """A resolved callee value -> (family, api, fix_kind, replacement) when the call blocks.  ``truth``: the
    iteration site is a truth test (``if qs:``), judged on types that declare ``truth`` only; ``member``: a
    membership test (``obj in qs``), which iterates; ``getitem``: an item read or written (``session["k"]``),
    judged on types that load themselves on first use (``getitem``)."""
    if value is None or value is DEFER:
        return None
    k = value[0]
    if CACHED in value[3:]:
        return None  # a prefetched relation's manager or `all()`: the prefetch cache (``Resolver.attr``)
    if iteration:
        if k == "T":
            spec = TYPES.get(value[1]) or {}
            if truth:
                if spec.get("truth") and spec.get("family"):
                    rep = (spec.get("replacements") or {}).get("__bool__")
                    return (spec["family"], "truth test of " + value[1], "none", rep)
                return None
            if getitem:
                if spec.get("getitem") and spec.get("family"):
                    rep = (spec.get("replacements") or {}).get("__getitem__")
                    return (spec["family"], value[1] + ".__getitem__", "none", rep)
                return None
            if member and spec.get("getitem") and spec.get("family"):
                rep = (spec.get("replacements") or {}).get("__contains__")
                return (spec["family"], "membership test of " + value[1], "none", rep)
            if member and spec.get("iter") and spec.get("family"):
                reps = spec.get("replacements") or {}
                return (spec["family"], "membership test of " + value[1], "none",
                        reps.get("__contains__") or reps.get("__iter__"))
            if spec.get("iter") and spec.get("family"):
                rep = (spec.get("replacements") or {}).get("__iter__")
                return (spec["family"], "iteration over " + value[1], "none", rep)
        return None
    if k == "T":  # calling an object (`async_to_sync(f)(x)`) or entering it (`with lock:`)
        dunder = "__enter__" if with_item else "__call__"
        if Resolver.is_blocking_method(value[1], dunder):
            spec = TYPES.get(value[1]) or {}
            fam = spec.get("family")
            if fam:
                fix = (spec.get("fixes") or {}).get(dunder) or "display"
                rep = (spec.get("replacements") or {}).get(dunder)
                return (fam, value[1] + "." + dunder, fix, rep)
        return None
    if with_item:
        return None
    if k == "F":
        spec = function_spec(value[1])
        if spec is not None and spec.get("family"):
            fam = FAMILIES.get(spec["family"]) or {}
            return (spec["family"], value[1], spec.get("fix") or fam.get("fix"), spec.get("replacement"))
        return None
    if k == "TM":
        t, m = value[1], value[2]
        if Resolver.is_blocking_method(t, m):
            spec = TYPES.get(t) or {}
            fam = spec.get("family")
            if not fam:
                return None
            fix = (spec.get("fixes") or {}).get(m) or (FAMILIES.get(fam) or {}).get("fix")
            reps = spec.get("replacements") or {}
            rep = reps.get(m) or reps.get("*")
            return (fam, t + "." + m, fix, rep)
    return None


_ANY = frozenset("*")
_ASYNC_IO = {t: (k, _split(m)) for t, (k, m) in getattr(catalog, "ASYNC_IO", {}).items()}


def async_io_kind(t: str, m: str) -> Optional[str]:
    """"db" / "net" when awaiting method m of async type t is a round trip (loop rules)."""
    spec = _ASYNC_IO.get(t)
    if spec is None:
        derived = (TYPES.get(t) or {}).get("aio")  # a library's coroutine method (libfacts.derive)
        return derived.get(m) if derived else None
    kind, methods = spec
    if methods == _ANY:
        return kind if not m.startswith("_") else None
    if not methods:
        return kind if m in ("execute", "fetch", "get", "find", "find_one", "to_list", "aggregate",
                             "count_documents", "insert_one", "update_one", "delete_one", "invoke", "send") else None
    return kind if m in methods else None


def library_async_io(value) -> Optional[str]:
    """"net" / "db" when awaiting library function ``("F", q)`` makes a round trip (derived from the
    library's code: ``aio`` in its spec)."""
    if value is None or value is DEFER or value[0] != "F":
        return None
    spec = function_spec(value[1])
    return spec.get("aio") if spec else None


def offload_position(value) -> Optional[int]:
    if value is None or value is DEFER:
        return None
    if value[0] == "F":
        spec = function_spec(value[1])
        if spec is not None:
            return spec.get("offload")
    if value[0] == "TM":
        spec = TYPES.get(value[1]) or {}
        return (spec.get("offload_methods") or {}).get(value[2])
    return None


def value_name(value) -> Optional[str]:
    """The dotted name a resolved callee is known by (for user patterns)."""
    if value is None or value is DEFER:
        return None
    if value[0] in ("F", "C", "M", "TC", "I", "T"):
        return value[1]
    if value[0] == "TM":
        return value[1] + "." + value[2]
    return None


def match_user_pattern(patterns, names):
    """First (pattern, suggestion) whose fnmatch pattern matches any of the names."""
    for pat, sugg in patterns:
        for n in names:
            if n and (n == pat or fnmatchcase(n, pat)):
                return pat, sugg
    return None


def module_symbol(s: dict, name: str):
    """The term a module-level name of summary ``s`` stands for."""
    mod = s["module"]
    q = mod + "." + name
    if q in s["functions"]:
        return ("F", q)
    if q in s["classes"]:
        return ("C", q)
    imp = s["imports"].get(name)
    if imp is not None and name not in s.get("shadow", ()):
        return ("Q", imp)
    g = s["globals"].get(name)
    return g
