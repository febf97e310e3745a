"""One libcst parse and one walk per file -> a compact, picklable/JSON-able :class:`FileSummary`.

Design (measured, see bench/): libcst's visitor framework rebuilds every node while visiting and its
``PositionProvider`` costs ~2.5x the parse itself.  The cheapest full traversal libcst offers is code
generation (``Module._codegen``), which calls ``state.before_codegen(node)`` / ``after_codegen(node)``
for every node in source order and emits every token.  :class:`_Walker` is a ``CodegenState`` that
counts lines and columns from the tokens instead of storing them, and dispatches the few node types we
care about.  So the walk gives exact positions (1-based rows, code-point columns) for free.

The walk records *facts*, not diagnostics: per function, every call whose callee can matter (catalog
APIs, project functions, methods on typed receivers), as a symbolic *term* (see ``resolve.py``),
plus bindings of module globals and class attributes.  Terms that need other modules stay symbolic and
are resolved by the project index.
"""
from __future__ import annotations

import builtins
import re
import tokenize
import io
from typing import Dict, List, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState

from . import catalog, parseguard
from .noqa import from_comments, needs_scan, parse_suppressions

SUMMARY_VERSION = 63

# ---- terms ------------------------------------------------------------------------------------
# ("Q", "a.b.c")        a qualified symbol (module, function, class, global), kind unknown yet
# ("L", "mod", "name")  a module-level name of module `mod` (def, class, global or import)
# ("A", base, "attr")   attribute of base
# ("R", callee)         result of calling callee
# ("AW", call_term)     awaited call
# ("S", base)           base[...]
# ("IT", base)          an element of iterating base
# ("AIT", base)         an element of `async for` over base
# ("SUPER", "mod.Cls")  `super()` in a method of Cls: members are looked up in its bases
# ("WI", base)          target of `with base as x`
# ("I", "mod.Cls")      an instance of a project class (resolved)
# ("C", "mod.Cls")      a project class (resolved)
# ("F", "mod.func")     a function (resolved: project or catalog)
# ("T", "catalog.type") an instance of a catalog type (resolved)
# ("TC", "catalog.type") a catalog type used as a class (annotations)
# ("M", "mod")          a module
# ("LIST", element)      a list comprehension of an iteration's items (`[b async for b in qs]`)
# ("MI", callee, model)   `get_object_or_404(model, ...)`: an instance of the model (class, manager, queryset)
# ("FQS", callee, qs)    `Manager.from_queryset(QS)`: a manager class with the project queryset's methods
# ("KW", callee, field, name)  a local passed as `field=` to a Django model's manager / queryset method or
#                       constructor (``_field_kwargs``): an instance of the field's related model
# ("REL", callee, kind, target, related_name, "mod.Cls")  a Django relation field in a class body
#                       (``_relation_term``): kind fk / o2o / m2m, target a term or a model name string
# ("DICT", key, value)  an annotated mapping (`dict[str, Peer]`): terms of a key and of a value
# ("TUPLE", a, b, ...)  an annotated fixed tuple (`Tuple[Peer, float]`): a term per element (or None)
# ("ENUM", base)        `enumerate(base)`: (index, item) pairs
# ("ZIP", a, b, ...)    `zip(a, b)`: tuples of their items
# ("EL", base, i)       element i of unpacking base (`peer_id, (peer, seen) = ...`, `for i, p in ...`)
# None                  unknown

_BUILTINS = frozenset(dir(builtins))
_LIB_ROOTS = frozenset(catalog.MODULE_ROOTS) | frozenset(
    k.split(".", 1)[0] for k in catalog.FUNCTIONS
)

ASYNC_LIBS = ("trio", "anyio", "asyncio")

# Flags on call records
F_AWAITED = 1
F_ITER = 2  # an iteration site (`for x in obj`), not a call
F_LOOP = 4  # inside a for/while loop or comprehension of this function
F_WITH = 8  # a `with` item
F_ASYNC_ITER = 16  # `async for` over it
F_NONBLOCKING = 64  # blocking=False / block=False / timeout=0
F_MEMFILE = 262144  # the first argument is an in-memory file (`io.BytesIO(...)`): a file reader or writer does no I/O
F_GUARDED = 128  # under `async with lock/semaphore/transaction`

# loop record flags
L_BREAK = 1  # the loop breaks (search / first success)
L_SLEEP = 2  # the loop sleeps (retry, backoff, rate limit)
L_ASYNC = 4  # `async for` / async comprehension: consuming a stream
L_GATHER = 16  # a comprehension passed to `gather(...)`: its coroutines run concurrently, awaited together
L_YIELD = 32  # the loop body yields: a generator handing each result on in order (streaming)
L_QUEUE = 8  # the loop drains a queue (`q.popleft()`, `q.pop(0)`, `q.get_nowait()`): processing in order

_SLEEPS = frozenset(("asyncio.sleep", "anyio.sleep", "trio.sleep"))
_GUARD_WORDS = ("lock", "semaphore", "mutex", "transaction", "begin", "atomic", "limiter")
F_TRAILER = 32  # the call is followed by `.attr`, `[...]` or `(...)`: a rewrite must parenthesise
F_GENEXP = 256  # inside a generator expression: an added `await` would make it an async generator
F_SHAPE = 4096  # in a branch chosen by a value's type or shape (`if is_isin(t):`, `if isinstance(x, str):`)
F_ONCE = 2048  # under a cache-miss guard (`if key not in CACHE:`, `if self._engine is None:`): runs once
F_ATTR = 1024  # an attribute read (not a call): `book.author` may load a row (Django foreign key)
F_GETITEM = 32768  # with F_ITER: an item read or written (`request.session["k"]`): judged on `getitem` types
F_MEMBER = 16384  # with F_ITER: the right operand of `in` / `not in` (a membership test iterates it)
F_TRUTH = 8192  # with F_ITER: the value is tested for truth (`if qs:`, `not qs`, `qs or []`, `bool(qs)`)
F_BOUND = 65536  # with F_ATTR: the value read is bound to a local (`u = request.user`) whose own attributes are
#                 read later in the function: a lazy value (Django's `request.user`) is reported at the binding
F_CACHED = 131072  # with F_ITER: the same local was evaluated before, on every path here (a Django queryset's
# result cache serves it: `len(qs)` then `for x in qs`)
F_ENTER = 512  # entering a context manager (`with X() as x`, `async with x`): follows a project class's
#               __enter__ / __aenter__ only (the catalog judges `with` on its own types through F_WITH)

_WS = re.compile(r"\s+")


def _dotted(node) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else base + "." + node.attr.value
    return None


def func_label(node, depth: int = 0) -> str:
    """A short display form of a callee expression: ``cursor.execute``, ``client.rpc(...).execute``."""
    if depth > 12:
        return "..."
    t = type(node)
    if t is cst.Name:
        return node.value
    if t is cst.Attribute:
        return func_label(node.value, depth + 1) + "." + node.attr.value
    if t is cst.Call:
        return func_label(node.func, depth + 1) + "(...)"
    if t is cst.Subscript:
        return func_label(node.value, depth + 1) + "[...]"
    if t is cst.Await:
        return "(await ...)"
    return "..."


class Scope:
    __slots__ = ("kind", "qual", "locals", "parent", "func", "cls", "loops", "loopstack", "guarded", "offloop",
                 "nonblocking", "failing", "once", "shape", "param0", "bound_reads", "pnames", "optional", "blocks",
                 "evaluated", "global_names")

    def __init__(self, kind, qual, parent, func=None, cls=None):
        self.kind = kind  # "module" | "function" | "class" | "ignore"
        self.qual = qual
        self.locals: Dict[str, object] = {}
        self.parent = parent
        self.func = func  # function record dict for function scopes
        self.cls = cls  # class qualname for class scopes / methods
        self.loops = 0
        self.loopstack = []  # open loop records of this function (innermost last)
        self.guarded = 0  # inside `async with lock/semaphore/transaction`
        self.offloop = 0  # inside `if <not on the loop thread>:` (runs in worker threads only)
        self.nonblocking = None  # receivers put in non-blocking mode earlier in this function (names)
        self.failing = []  # open failure branches (`if not data:`, `except`): the loop depth at each
        self.once = 0  # inside a cache-miss guard (lazy initialisation: the body runs once)
        self.shape = 0  # inside a branch chosen by the shape of a value (`if isinstance(x, str):`)
        self.param0 = None  # a function's first parameter (a decorator's wrapped function)
        self.bound_reads = None  # local -> the attribute-read record bound to it (`u = request.user`): F_BOUND
        self.pnames = None  # parameter -> its position as the caller passes it (-1: keyword-only): ``pcalls``
        self.optional = None  # parameters that default to None (``_opt_in_test``)
        self.blocks = []  # the open statement blocks of this function (ids, outermost first)
        self.evaluated = None  # local -> the blocks open where it was first iterated / evaluated (``F_CACHED``)
        self.global_names = None  # names declared `global` in this function: assigning them binds the module's


def _new_function(name, qual, is_async, line, col, cls):
    return {
        "name": name,
        "qual": qual,
        "async": is_async,
        "line": line,
        "col": col,
        "cls": cls,
        "returns": None,
        "ret_from": None,  # term of the first `return expr` when not annotated
        "yield_from": None,  # term of the first `yield expr` (what `with cm() as x` binds for @contextmanager)
        "deco": [],  # route/entry-point facts: [kind, method, path]
        "calls": [],
        "awaits": 0,
    }


class _Walker(CodegenState):
    """Code generation without output: tracks positions and records facts."""

    __slots__ = (
        "line",
        "col",
        "mod",
        "module",
        "is_pkg",
        "src_lines",
        "scope",
        "want_before",
        "want_after",
        "call_start",
        "awaited",
        "offloaded",
        "summary",
        "module_names",
        "functions",
        "classes",
        "globals",
        "imports",
        "user_patterns",
        "with_terms",
        "sections",
        "attr_gate",
        "eval_gate",
        "channels_user",
        "django_request",
        "duck",
        "sub_reads",
        "attr_reads",
        "gather_comps",
        "no_read",
        "iter_pos",
        "loop_line",
        "for_spans",
        "comp_starts",
        "compfor_owner",
        "comments",
        "comp_loop",
    )

    # ---- token accounting (the only hot path) -----------------------------------------------
    def add_token(self, value: str) -> None:
        if "\n" in value:
            self.line += value.count("\n")
            self.col = len(value) - value.rfind("\n") - 1
            if "\r" in value:  # a classic-Mac "\r" newline next to "\n" ones
                self.line += value.count("\r") - value.count("\r\n")
        elif "\r" in value:
            self.line += value.count("\r")
            self.col = len(value) - value.rfind("\r") - 1
        else:
            self.col += len(value)

    def add_indent_tokens(self) -> None:
        for t in self.indent_tokens:
            self.col += len(t)

    def pop_trailing_newline(self) -> None:
        pass

    def before_codegen(self, node) -> None:
        if self.want_before:
            w = self.want_before.pop(id(node), None)
            if w is not None:
                w[0](self, node, w[1])
        h = _BEFORE.get(type(node))
        if h is not None:
            h(self, node)

    def after_codegen(self, node) -> None:
        h = _AFTER.get(type(node))
        if h is not None:
            h(self, node)
        if self.want_after:
            w = self.want_after.pop(id(node), None)
            if w is not None:
                w[0](self, node, w[1])

    # ---- scopes --------------------------------------------------------------------------------
    def push(self, scope: Scope) -> None:
        self.scope = scope

    def pop(self, *_):
        self.scope = self.scope.parent

    def func_scope(self) -> Optional[Scope]:
        s = self.scope
        return s if s.kind == "function" else None

    # ---- terms ---------------------------------------------------------------------------------
    def _listed(self, args, depth: int):
        """``list(x)`` / ``sorted(x, key=...)`` / ``tuple(x)``: ``("LIST", ("IT", x))``, a list of what
        iterating ``x`` gives; None unless ``x`` is the one positional argument and has a term."""
        if not args or args[0].keyword is not None or args[0].star or any(
                a.keyword is None or a.star for a in args[1:]):
            return None
        base = self.term(args[0].value, depth + 1)
        return None if base is None else ("LIST", ("IT", base))

    def _offloaded_result(self, node, callee, depth: int):
        """What awaiting an offloaded call gives: ``sync_to_async(f)(*args)``, ``database_sync_to_async(f)(...)``,
        ``asyncio.to_thread(f, *args)``, ``loop.run_in_executor(None, f, *args)`` give what ``f(*args)``
        returns: ``("OFF", term)`` (``Resolver.val`` reads it under ``await`` only)."""
        func = node.func
        if type(func) is cst.Call and callee is not None and callee[0] == "R" and func.args \
                and func.args[0].keyword is None and not func.args[0].star:
            wrapper = callee[1]
            if wrapper[0] != "Q" or wrapper[1] not in _SYNC_TO_ASYNC:
                return None
            f, args = func.args[0].value, node.args
        elif callee is not None and callee[0] == "Q" and callee[1] == "asyncio.to_thread" and node.args:
            f, args = node.args[0].value, node.args[1:]
        elif type(func) is cst.Attribute and func.attr.value == "run_in_executor" and len(node.args) >= 2:
            f, args = node.args[1].value, node.args[2:]
        else:
            return None
        if any(a.star for a in node.args[:2]):
            return None
        ft = self.term(f, depth + 1)
        if ft is None:
            return None
        if ft[0] == "Q" and ft[1] in _LISTERS:
            inner = self._listed(args, depth)
            return None if inner is None else ("OFF", inner)
        return ("OFF", ("R", ft))

    def lookup(self, name: str):
        s = self.scope
        while s is not None:
            if s.kind == "module":
                break
            if s.kind != "class" and name in s.locals:
                return s.locals[name]
            s = s.parent
        kind = self.module_names.get(name)
        if kind is not None:
            if kind == "import":
                return ("Q", self.imports[name])
            if kind == "def":
                return ("F", self.mod + "." + name)
            if kind == "class":
                return ("C", self.mod + "." + name)
            return ("L", self.mod, name)
        if name in _BUILTINS:
            return ("Q", "builtins." + name)
        if name in _LIB_ROOTS:
            return ("Q", name)
        if "*0" in self.imports:
            return ("L", self.mod, name)  # perhaps brought by a star import
        return None

    def term(self, node, depth: int = 0):
        if depth > 20:
            return None
        t = type(node)
        if t is cst.Name:
            v = node.value
            if v == "None" or v == "True" or v == "False":
                return None
            return self.lookup(v)
        if t is cst.Attribute:
            base = self.term(node.value, depth + 1)
            if base is None:
                return None
            if base[0] == "Q":
                return ("Q", base[1] + "." + node.attr.value)
            return ("A", base, node.attr.value)
        if t is cst.Call:
            callee = self.term(node.func, depth + 1)
            name = _getattr_name(node, callee)
            if name is not None:  # `getattr(distro, "publication", None)` reads `distro.publication`
                base = self.term(node.args[0].value, depth + 1)
                if base is None:
                    return None
                return ("Q", base[1] + "." + name) if base[0] == "Q" else ("A", base, name)
            if (callee is not None and callee[0] == "Q" and callee[1] == "contextlib.contextmanager"
                    and len(node.args) == 1 and node.args[0].keyword is None):
                gen = self.term(node.args[0].value, depth + 1)  # get_db = contextmanager(get_session)
                return None if gen is None else ("CMW", gen)
            if callee is not None and callee[0] == "Q" and callee[1] == "django.apps.apps.get_model" \
                    and 1 <= len(node.args) <= 2 and all(a.keyword is None and type(a.value) is cst.SimpleString
                                                         for a in node.args):
                # `apps.get_model("shop", "Book")` / `apps.get_model("shop.Book")`: the project's model class
                label = ".".join(str(a.value.value[1:-1]) for a in node.args)
                app, _, model = label.rpartition(".")
                return ("DJM", app, model) if app and model else None
            if (callee is not None and callee[0] == "Q" and callee[1] == "contextlib.closing"
                    and len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star):
                # `with closing(sqlite3.connect(path)) as conn`: the object itself (closed on exit)
                return self.term(node.args[0].value, depth + 1)
            if callee is not None and callee[0] == "Q" and callee[1] in ("builtins.enumerate", "builtins.zip") and \
                    node.args and not any(a.keyword is not None or a.star for a in node.args) and (
                        callee[1] == "builtins.zip" or len(node.args) <= 2):
                # `enumerate(peers)`: (index, peer) pairs; `zip(a, b)`: (a item, b item) tuples
                parts = [self.term(a.value, depth + 1) for a in (node.args[:1] if callee[1] == "builtins.enumerate"
                                                                   else node.args)]
                if any(x is not None for x in parts):
                    return ("ENUM", parts[0]) if callee[1] == "builtins.enumerate" else ("ZIP",) + tuple(parts)
            if callee is not None and callee[0] == "Q" and callee[1] in _LISTERS:
                lst = self._listed(node.args, depth)  # `list(qs)`, `sorted(rows, key=...)`: a list of the items
                if lst is not None:
                    return lst
            off = self._offloaded_result(node, callee, depth)
            if off is not None:
                return off
            if callee is not None and callee[0] == "Q" and callee[1] == "builtins.super" and len(node.args) in (0, 2):
                s = self.scope
                cls = s.func["cls"] if s.kind == "function" else None
                if cls is not None:
                    return ("SUPER", cls)  # `super().__init__(...)`: the bases' members
            if callee is not None and callee[0] == "Q" and callee[1] in _MODEL_SHORTCUTS and node.args \
                    and node.args[0].keyword is None and not node.args[0].star:
                m = self.term(node.args[0].value, depth + 1)  # `get_object_or_404(Book, pk=pk)` is a Book
                if m is not None:
                    return ("MI", callee, m)
            if callee is not None and len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star \
                    and type(node.func) is cst.Attribute and node.func.attr.value == "from_queryset":
                qs = self.term(node.args[0].value, depth + 1)  # `models.Manager.from_queryset(BookQuerySet)`
                if qs is not None:
                    return ("FQS", callee, qs)
            if not node.args and self.django_request and type(node.func) is cst.Attribute \
                    and node.func.attr.value == "auser" and _named_request(node.func.value):
                # `await info.context.request.auser()` (a GraphQL resolver's request, untyped): in a module that
                # imports Django, a value named `request` whose `auser()` is called is Django's request, and
                # what it gives is the project's user model (``Resolver.call_result``)
                base = self.term(node.func.value, depth + 1)
                return ("R", ("A", _HTTP_REQUEST if base is None else ("OR", base, _HTTP_REQUEST), "auser"))
            if callee == _GETATTR and 2 <= len(node.args) <= 3 and type(node.args[1].value) is cst.SimpleString \
                    and node.args[0].keyword is None and node.args[1].keyword is None:
                name = _string(node.args[1].value)  # `getattr(request, "user", None)` reads `request.user`
                base = self.term(node.args[0].value, depth + 1) if name and name.isidentifier() else None
                if base is not None:
                    return ("Q", base[1] + "." + name) if base[0] == "Q" else ("A", base, name)
            return None if callee is None else ("R", callee)
        if t is cst.ListComp:
            # `[b async for b in Book.objects.filter(...)]`: a list of what the iteration yields
            f = node.for_in
            if f.inner_for_in is None and type(node.elt) is cst.Name and type(f.target) is cst.Name \
                    and f.target.value == node.elt.value:
                base = self.term(f.iter, depth + 1)
                if base is not None:
                    return ("LIST", ("AIT" if f.asynchronous is not None else "IT", base))
            return None
        if t is cst.Await:
            inner = self.term(node.expression, depth + 1)
            return None if inner is None else ("AW", inner)
        if t is cst.Subscript:
            if self.channels_user and type(node.value) is cst.Attribute and node.value.attr.value == "scope" \
                    and len(node.slice) == 1 and type(node.slice[0].slice) is cst.Index \
                    and type(node.slice[0].slice.value) is cst.SimpleString \
                    and node.slice[0].slice.value.value[1:-1] == "user" and _channels_consumer(self):
                # `self.scope["user"]` in a Channels consumer: the user the auth middleware loaded, an
                # instance of the project's user model (its relations are lazy loads), like `await request.auser()`
                return ("R", ("A", _HTTP_REQUEST, "auser"))
            base = self.term(node.value, depth + 1)
            if len(node.slice) == 1 and type(node.slice[0].slice) is cst.Slice:
                return base  # `qs[:10]`, `rows[1:]`: a slice is the same kind of thing as what it slices
            return None if base is None else ("S", base)
        if t is cst.IfExp:
            return self.term(node.body, depth + 1) or self.term(node.orelse, depth + 1)
        if t is cst.BooleanOperation:
            # `self.session or Session()`: the first alternative that resolves; `a and b` is b when true
            right = self.term(node.right, depth + 1)
            if type(node.operator) is cst.And:
                return right
            left = self.term(node.left, depth + 1)
            if left is None or right is None:
                return left if right is None else right
            return ("OR", left, right)
        if t is cst.BinaryOperation and type(node.operator) is cst.Divide:
            base = self.term(node.left, depth + 1)
            return None if base is None else ("DIV", base)
        if t is cst.Tuple and 1 < len(node.elements) <= 8 and type(node.elements[-1]) is not cst.StarredElement:
            # `return conn, conn.cursor()`: unpacked by the caller (`conn, cur = connect()`, ``("EL", ...)``)
            if any(type(e) is cst.StarredElement for e in node.elements):
                return None
            parts = tuple(self.term(e.value, depth + 1) for e in node.elements)
            return None if all(x is None for x in parts) else ("TUPLE",) + parts
        if t is cst.List and 0 < len(node.elements) <= 32:
            # `deque([Connection(...)])`, `[redis.Redis(), ...]`: a list of objects (popped, indexed, iterated)
            for e in node.elements:
                if type(e) is cst.Element:
                    v = self.term(e.value, depth + 1)
                    if v is not None and v[0] in ("R", "AW"):
                        return ("LIST", v)
            return None
        if t is cst.Dict and 0 < len(node.elements) <= 32:
            # `{"a": redis.Redis(), "b": redis.Redis()}`: a mapping of clients, read by key (``("S", ...)``)
            for e in node.elements:
                if type(e) is cst.DictElement:
                    v = self.term(e.value, depth + 1)
                    if v is not None and v[0] in ("R", "AW"):
                        return ("DICT", None, v)
            return None
        return None

    def annotation_term(self, node, depth: int = 0):
        """An annotation -> the term of an *instance* of it (unwrap Optional/Union/Annotated/str)."""
        if node is None or depth > 8:
            return None
        t = type(node)
        if t is cst.Annotation:
            return self.annotation_term(node.annotation, depth + 1)
        if t is cst.SimpleString:
            try:
                text = node.evaluated_value
                if isinstance(text, bytes):
                    return None
                return self.annotation_term(cst.parse_expression(text), depth + 1)
            except Exception:
                return None
        if t is cst.BinaryOperation and isinstance(node.operator, cst.BitOr):
            # `X | Y`: the first alternative that resolves (`list | QuerySet` is a QuerySet where it is one)
            left = self.annotation_term(node.left, depth + 1)
            right = self.annotation_term(node.right, depth + 1)
            if left is None or right is None:
                return left if right is None else right
            return ("OR", left, right)
        if t is cst.Subscript:
            head = _dotted(node.value) or ""
            tail = head.rsplit(".", 1)[-1]
            if tail in ("ClassVar", "Final") and node.slice and isinstance(node.slice[0].slice, cst.Index):
                return self.annotation_term(node.slice[0].slice.value, depth + 1)
            if tail in ("Type", "type") and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                # `transport_class: Type[Transport] = Transport`: the class itself (calling it makes one)
                inner = self.annotation_term(node.slice[0].slice.value, depth + 1)
                return inner[1] if inner is not None and inner[0] == "R" else None
            if tail in ("Optional", "Union", "Annotated") and node.slice:
                first = None
                for i, el in enumerate(node.slice):
                    sl = el.slice
                    if not isinstance(sl, cst.Index):
                        continue
                    if tail == "Annotated" and i > 0:
                        dep = self.dependency_term(sl.value, depth + 1)
                        if dep is not None:
                            return dep if first is None else ("OR", first, dep)
                        continue
                    if tail != "Annotated":
                        alt = self.annotation_term(sl.value, depth + 1)
                        if alt is not None:
                            first = alt if first is None else (
                                first + (alt,) if first[0] == "OR" else ("OR", first, alt))
                        continue
                    if first is None:
                        first = self.annotation_term(sl.value, depth + 1)
                return first
            if tail in _MAPPINGS and len(node.slice) == 2 and all(isinstance(e.slice, cst.Index) for e in node.slice):
                # `dict[str, Peer]`: its values (`.values()`, `d[k]`, `.get(k)`) are Peers, its keys strs
                k = self.annotation_term(node.slice[0].slice.value, depth + 1)
                v = self.annotation_term(node.slice[1].slice.value, depth + 1)
                return None if k is None and v is None else ("DICT", k, v)
            if tail in ("tuple", "Tuple") and node.slice and all(isinstance(e.slice, cst.Index) for e in node.slice) \
                    and not any(type(e.slice.value) is cst.Ellipsis for e in node.slice):
                # `Tuple[Peer, float]`: unpacking it (`peer, seen = entry`) gives a Peer first
                parts = tuple(self.annotation_term(e.slice.value, depth + 1) for e in node.slice[:16])
                return None if all(x is None for x in parts) else ("TUPLE",) + parts
            head_t = self.term(node.value, depth + 1)
            generic = head_t is not None and head_t[0] in ("Q", "C") and isinstance(head_t[1], str) and \
                head_t[1].split(".", 1)[0] not in _TYPING_ROOTS
            if tail in _ITEM_CONTAINERS and not generic and node.slice and isinstance(node.slice[0].slice, cst.Index) \
                    and (tail not in ("tuple", "Tuple") or (len(node.slice) == 2 and isinstance(
                        node.slice[1].slice, cst.Index) and type(node.slice[1].slice.value) is cst.Ellipsis)):
                # `list[Peer]`, `Sequence[Peer]`, `tuple[Peer, ...]`: iterating or indexing gives a Peer
                item = self.annotation_term(node.slice[0].slice.value, depth + 1)
                return None if item is None else ("LIST", item)
            if generic:
                # a library's own generic class (`Collection[TDoc]`, `Collection[Properties, References]`): an
                # instance of it, whatever its type arguments
                return ("R", head_t)
            return None
        if t is cst.Name and node.value == "None":
            return None
        if t in (cst.Name, cst.Attribute):
            cls = self.term(node, depth + 1)
            return None if cls is None else ("R", cls)  # an instance: like calling the class
        return None

    def dependency_term(self, node, depth: int = 0):
        """``Depends(get_x)`` / ``Security(get_x)`` / ``Provide(get_x)`` -> the term of what the dependency
        gives: its return value, or for a generator dependency what it yields (``("DEP", f)``)."""
        if type(node) is not cst.Call or not node.args or depth > 8:
            return None
        head = (_dotted(node.func) or "").rsplit(".", 1)[-1]
        if head not in ("Depends", "Security", "Provide"):
            return None
        a = node.args[0]
        if a.keyword is not None and a.keyword.value != "dependency":
            return None
        f = self.term(a.value, depth + 1)
        return None if f is None else ("DEP", f)

    def type_alias_term(self, node):
        """A module-level ``X = Annotated[T, Depends(f)]`` / ``Optional[T]`` / ``T | None``: the term of the
        class an annotation ``x: X`` makes ``x`` an instance of (None when it is no such alias)."""
        t = type(node)
        if t is cst.Subscript:
            tail = (_dotted(node.value) or "").rsplit(".", 1)[-1]
            if tail not in ("Optional", "Union", "Annotated"):
                return None
        elif not (t is cst.BinaryOperation and isinstance(node.operator, cst.BitOr)):
            return None
        inst = self.annotation_term(node)
        if inst is None:
            return None
        if inst[0] == "R":
            return inst[1]
        return ("CLS", inst)  # an instance term (a dependency's value): calling the alias gives it

    # ---- recording -----------------------------------------------------------------------------
    def text(self, sl, sc, el, ec) -> str:
        lines = self.src_lines
        if sl == el:
            s = lines[sl - 1][sc:ec] if sl - 1 < len(lines) else ""
        else:
            parts = [lines[sl - 1][sc:]] + lines[sl:el - 1] + [lines[el - 1][:ec] if el - 1 < len(lines) else ""]
            s = "".join(parts)
        return s if len(s) <= 2000 else s[:1999] + "\u2026"

    def record(self, callee, flags, sl, sc, el, ec, label, extra=None):
        s = self.scope
        if s.kind == "class" or s.kind == "ignore" or s.offloop:
            return  # class bodies, lambdas and thread-only branches: not run on the loop
        if s.kind == "function":
            f = s.func
            if flags & (F_ITER | F_ASYNC_ITER) and label and label.isidentifier() and _evaluation(s, label, flags):
                flags |= F_CACHED
            if s.loops:
                flags |= F_LOOP
                if any(type(rec.get("node")) is cst.GeneratorExp for rec in s.loopstack):
                    flags |= F_GENEXP
            if s.guarded:
                flags |= F_GUARDED
            if s.once:
                flags |= F_ONCE
            if s.shape:
                flags |= F_SHAPE
        else:
            f = self.summary["module_calls_holder"]
        rec = [sl, sc + 1, el, ec + 1, callee, flags, self.text(sl, sc, el, ec), label]
        if extra is not None:
            rec.append(extra)
        f["calls"].append(rec)


# ---- handlers -----------------------------------------------------------------------------------


def _channels_consumer(w) -> bool:
    """Inside a method of a class deriving from a Channels consumer (``channels.generic...Consumer``)."""
    fs = w.func_scope()
    cls = fs.func["cls"] if fs is not None else None
    c = w.classes.get(cls) if cls else None
    for b in (c or {}).get("bases") or ():
        if b and b[0] == "Q" and isinstance(b[1], str) and b[1].startswith("channels.") and b[1].endswith("Consumer"):
            return True
    return False


def _django_request(imports: dict) -> bool:
    """A module that imports Django, and not Django REST framework (or adrf), whose ``Request`` runs its
    authenticators in the view's dispatch: there an untyped parameter named ``request`` is a Django
    ``HttpRequest`` (its ``user`` is the lazy user, see ``catalog`` ``django.LazyUser``)."""
    dj = False
    for v in imports.values():
        if v.startswith(("rest_framework", "adrf")):
            return False
        if v.startswith("django.") or v == "django":
            dj = True
    return dj


def _attr_gate(imports: dict) -> bool:
    """Attribute reads are recorded only in modules that can hold ORM model instances: modules that
    import Django or a ``models`` module (``from .models import Book``).  Elsewhere (most of a large
    asyncio code base) they cost summary size and resolution time for nothing."""
    for v in imports.values():
        if v.startswith("django") or ".models" in v or v.startswith("models"):
            return True
    return False


def _eval_gate(imports: dict) -> bool:
    """`list(cursor)`, `len(list(coll.find(...)))`: a builtin that iterates its argument is recorded as an
    iteration in modules that can hold ORM values (``_attr_gate``) and in those that import a driver whose
    cursors fetch rows when iterated (pymongo, sqlite3, DB-API drivers: catalog types with ``iter``)."""
    for v in imports.values():
        if v.split(".", 1)[0] in _ITER_ROOTS:
            return True
    return False


_STDLIB_ROOTS = frozenset(getattr(__import__("sys"), "stdlib_module_names", ())) | {"builtins"}
# third-party drivers whose cursors fetch rows when iterated (catalog types with ``iter``), and sqlite3
_ITER_ROOTS = frozenset(
    n.split(".", 1)[0] for k, spec in catalog.TYPES.items() if spec.get("iter")
    for n in [k] + (spec.get("aliases") or "").split()) - (_STDLIB_ROOTS - {"sqlite3"}) - {"dbapi", "django"}


def _attr_before(w: _Walker, node) -> None:
    """An attribute read on a value held by a local or parameter (``book.author``, ``self.settings``) or on an
    attribute of one (``self.client.info``, ``svc.settings.data``): a Django foreign key loads a row (modules behind the
    attribute gate only), a project ``@property`` / ``@cached_property`` runs its getter (everywhere)."""
    if node.lpar:
        return
    s = w.scope
    if s.kind != "function" or s.offloop or id(node) in w.no_read:
        return
    v = node.value
    tv = type(v)
    local = None
    if tv is cst.Name:
        t = s.locals.get(v.value)
        if t is None or t[0] == "Q" or t[0] == "F" or t[0] == "C":
            return  # only values: instances held by locals and parameters
        local = v.value
    elif tv is cst.Attribute and type(v.value) is cst.Name and not v.lpar:
        t = s.locals.get(v.value.value)
        if t is None or t[0] == "Q" or t[0] == "F" or t[0] == "C":
            return  # `self.client.info`, `svc.settings.data`: an attribute of a value
        t = ("A", t, v.attr.value)
    elif tv is cst.Call and not v.lpar:
        # `yf.Ticker(symbol).info`: a property of a third-party object made in place (library facts)
        t = w.term(v)
        if t is None or t[0] != "R" or t[1][0] != "Q" or t[1][1].split(".", 1)[0] in _STDLIB_ROOTS:
            return
    elif tv is cst.Attribute and not v.lpar and v.attr.value == "user" and type(v.value) is cst.Attribute \
            and w.attr_gate:
        # `self.request.user.is_authenticated`: the lazy user's own attributes, read in place
        t = w.term(v.value)
        if t is None or t[0] in ("Q", "F", "C"):
            return
        t = ("A", t, "user")
    else:
        return
    if node.attr.value.startswith("__"):
        return
    # the receiver's base name, for the loop rules (`comp.association` per item of `for comp in ...`)
    recv = local if local is not None else v.value.value if tv is cst.Attribute and type(v.value) is cst.Name else None
    w.attr_reads[id(node)] = (w.line, w.col, t, local, recv)


def _attr_after(w: _Walker, node) -> None:
    if w.attr_reads:
        p = w.attr_reads.pop(id(node), None)
        if p is not None:
            label = func_label(node)
            _record_read(w, p[2], node.attr.value, p[0], p[1], label, p[3], p[4])
            calls = w.scope.func["calls"] if w.scope.kind == "function" else None
            if calls and calls[-1][7] == label and calls[-1][6] == label:
                calls[-1][6] = ""  # the text is the label (the project phase restores it): a compact summary


def _record_read(w: _Walker, base, name: str, line: int, col: int, label: str, local, recv) -> None:
    """The read site of attribute ``name`` of the value ``base`` (``F_ATTR``), from (line, col) to the walker's
    position; ``local``: the local or parameter holding the value; ``recv``: the receiver's base name, for the loop
    rules (`comp.association` per item of `for comp in ...`)."""
    sc = w.scope
    extra = None
    if sc.loops and sc.loopstack and recv is not None and recv not in ("self", "cls"):
        extra = [["^" + recv], sc.loopstack[-1]["index"]]  # a read per iteration (loop rules)
    w.record(("A", base, name), F_ATTR, line, col, w.line, w.col, label, extra)
    if local is not None:
        _bound_read(w, local)


def _bound_read(w: _Walker, local: str) -> None:
    """An attribute of ``local`` is read: the read bound to it (``u = request.user``) is marked ``F_BOUND``."""
    br = w.scope.bound_reads
    if br:
        rec = br.pop(local, None)
        if rec is not None:
            rec[5] |= F_BOUND


def _subscript_before(w: _Walker, node) -> None:
    """``qs[0]``: indexing a queryset (or another iterable result) with a number runs its query.
    ``request.session["cart"]`` (read or written): an item of a mapping that loads itself on first use
    (``F_GETITEM``; kept for subscripts of a ``.session`` attribute only, to keep summaries small)."""
    if not w.attr_gate or node.lpar or len(node.slice) != 1:
        return
    s = w.scope
    if s.kind != "function" or s.offloop or w.duck:
        return
    v = node.value
    if type(v) is cst.Attribute and v.attr.value == "session" and not v.lpar:
        w.sub_reads[id(node)] = (w.line, w.col, None)
        return
    if id(node) in w.no_read:
        return
    sl = node.slice[0].slice
    if isinstance(sl, cst.Index) and type(sl.value) is cst.Integer:
        w.sub_reads[id(node)] = (w.line, w.col, sl.value.value)


def _subscript_after(w: _Walker, node) -> None:
    if w.sub_reads:
        p = w.sub_reads.pop(id(node), None)
        if p is not None:
            t = w.term(node.value)
            if t is not None and t[0] in _CHAIN:
                if p[2] is None:
                    w.record(t, F_ITER | F_GETITEM, p[0], p[1], w.line, w.col, f"{func_label(node.value)}[...]")
                else:
                    w.record(t, F_ITER, p[0], p[1], w.line, w.col, f"{func_label(node.value)}[{p[2]}]")


def _store_target(w: _Walker, node) -> None:
    w.no_read.add(id(node.target))
    t = type(node.target)
    if t is cst.Tuple or t is cst.List:
        # `team.category, _ = ...`: the elements are stored too, not read
        stack = [node.target]
        while stack:
            for el in stack.pop().elements:
                v = el.value
                w.no_read.add(id(v))
                if type(v) in (cst.Tuple, cst.List):
                    stack.append(v)
    if type(node.target) is cst.Name and w.scope.evaluated:
        w.scope.evaluated.pop(node.target.value, None)  # a new value: not evaluated yet


def _evaluation(s: Scope, name: str, flags: int) -> bool:
    """``name`` (a local) is iterated or evaluated here: whether an earlier evaluation of it happened in a block
    that is still open (so on every path to this point, the name not bound again since): then this one reads
    what that one loaded (``F_CACHED``).  An item read (``qs[0]``) is served by an earlier evaluation but
    fills nothing itself."""
    ev = s.evaluated
    if ev is None:
        ev = s.evaluated = {}
    here = s.blocks
    was = ev.get(name)
    if was is not None and len(was) <= len(here) and all(a == b for a, b in zip(was, here)):
        return True
    if not flags & F_GETITEM:
        ev[name] = tuple(here)
    return False


def _block_before(w: _Walker, node) -> None:
    s = w.scope
    if s.kind == "function":
        s.blocks.append(id(node))


def _block_after(w: _Walker, node) -> None:
    s = w.scope
    if s.kind == "function" and s.blocks and s.blocks[-1] == id(node):
        s.blocks.pop()


# Django manager / queryset methods whose keyword arguments name the model's fields (``field=value``)
_FIELD_KW_METHODS = frozenset(
    "create get filter exclude get_or_create update_or_create acreate aget aget_or_create aupdate_or_create".split())
_UNTYPED_KINDS = frozenset(("R", "AW", "A", "S", "IT", "AIT", "WI", "AWI", "P"))


def _field_kwargs(w: _Walker, node) -> None:
    """``PriorAuthRequest.objects.acreate(chat=chat, ...)`` / ``Book(author=a)``: a local passed as a model
    field's keyword argument is, when that field is a ``ForeignKey`` / ``OneToOneField``, an instance of the
    related model (``("KW", callee, field, name)``, resolved by ``Resolver``).  Locals whose type is not known here
    only: an untyped or ``Any`` parameter gets it, a value of an unknown call keeps its own type first
    (``("OR", old, kw)``).  Bound before the arguments are read, so ``chat.professional_user`` in the same
    call, and every later read, is a read on the model instance (flow-sensitive, like assignments)."""
    s = w.scope
    if s.kind != "function" or s.offloop:
        return
    f = node.func
    callee = None
    if type(f) is cst.Attribute or type(f) is cst.Name:
        name = f.attr.value if type(f) is cst.Attribute else f.value
        if name.endswith("get_object_or_404"):
            # `get_object_or_404(Review, book=x)`: the model (class, manager or queryset) is the first argument
            a0 = node.args[0]
            if a0.keyword is not None or a0.star or w.term(f) not in _SHORTCUT_TERMS:
                return
            callee = w.term(a0.value)
            if callee is None:
                return
        elif type(f) is cst.Attribute:
            if name not in _FIELD_KW_METHODS:
                return
        elif not name[:1].isupper():
            return  # a model class called: `Book(author=a)`
    else:
        return
    for a in node.args:
        kw = a.keyword
        if kw is None or type(a.value) is not cst.Name or "__" in kw.value or kw.value in ("defaults", "pk", "id"):
            continue
        local = a.value.value
        if local not in s.locals or local in ("self", "cls"):
            continue
        t = s.locals[local]
        if t is not None and t[0] not in _UNTYPED_KINDS:
            continue  # typed here (an annotation, a class, an import), or already bound so
        if callee is None:
            callee = w.term(f)
            if callee is None:
                return
        k = ("KW", callee, kw.value, local)  # the local's name keeps two values' reads apart
        # (an untyped parameter's callers' arguments, ``("P", ...)``, come after what the field says)
        s.locals[local] = k if t is None else ("OR", k, t) if t[0] == "P" else ("OR", t, k)


def _call_before(w: _Walker, node) -> None:
    w.no_read.add(id(node.func))  # `obj.method(...)`: a call, not a read
    if w.attr_gate and node.args:
        _field_kwargs(w, node)
    f = node.func
    if type(f) is cst.Name and node.args and ("builtins." + f.value) in _EVALUATORS and (
            w.eval_gate or _cursor_like(w, node.args[0].value)):
        a = node.args[0].value  # `len(qs)`: where the evaluated argument is (``_call_after``)
        if id(a) not in w.want_before and id(a) not in w.want_after:
            w.want_before[id(a)] = (_iter_start, None)
            w.want_after[id(a)] = (_iter_end, None)
    f0 = f
    if (type(f0) is cst.Attribute and f0.attr.value == "gather") or (type(f0) is cst.Name and f0.value == "gather"):
        for a in node.args:  # `asyncio.gather(*[load(x) for x in items])`: the comprehension's calls run at once
            if type(a.value) in (cst.ListComp, cst.GeneratorExp):
                w.gather_comps.add(id(a.value))
            elif a.star == "*" and type(a.value) is cst.Name:
                _gathered_name(w, a.value.value)
    if node.lpar:
        w.want_before[id(node.func)] = (_call_func_start, node)
    else:
        w.call_start[id(node)] = (w.line, w.col)


# methods whose result is a cursor that fetches rows when iterated (catalog types with ``iter``), outside Django
# (whose modules pass ``_attr_gate``): `list(coll.find(...))` in a module that never imports the driver
# (`self.bot.db.users.find(...)`)
_CURSOR_METHODS = frozenset(("find", "aggregate", "execute", "executemany", "find_raw_batches", "paginate",
                             "getresponse", "imap", "imap_unordered", "raw", "filter", "order_by", "list_indexes"))


def _cursor_like(w: _Walker, node) -> bool:
    """``node`` may be such a cursor: a call of one of those methods, or a local name bound to one."""
    t = type(node)
    if t is cst.Call:
        f = node.func
        return type(f) is cst.Attribute and f.attr.value in _CURSOR_METHODS
    if t is cst.Name:
        v = w.scope.locals.get(node.value)
        if v is None or v[0] != "R" or type(v[1]) is not tuple:
            return False
        c = v[1]  # `coll.find` (an attribute of an object), `db.users.find` (a dotted imported name)
        return (c[0] == "A" and c[2] in _CURSOR_METHODS) or (c[0] == "Q" and c[1].rsplit(".", 1)[-1] in _CURSOR_METHODS)
    return False


def _call_func_start(w: _Walker, func, node) -> None:
    w.call_start[id(node)] = (w.line, w.col)


_NONBLOCKING_KW = catalog.NONBLOCKING_KEYWORDS


_MEMORY_FILES = frozenset(("io.BytesIO", "io.StringIO", "_io.BytesIO", "_io.StringIO"))


def _in_memory(w: _Walker, arg) -> bool:
    """The first argument is an in-memory file (`Image.open(io.BytesIO(data))`, `img.save(buf)` after
    `buf = BytesIO()`): a file reader or writer given it touches no disk (``F_MEMFILE``)."""
    if arg.keyword is not None or arg.star:
        return False
    v = arg.value
    t = type(v)
    if t is cst.Call:
        f = v.func  # (the name first: most first arguments are other calls, whose terms cost a walk)
        last = f.value if type(f) is cst.Name else f.attr.value if type(f) is cst.Attribute else None
        if last not in ("BytesIO", "StringIO"):
            return False
        tv = w.term(f)
        return tv is not None and tv[0] == "Q" and tv[1] in _MEMORY_FILES
    if t is cst.Name:
        tv = w.lookup(v.value)
        return tv is not None and tv[0] == "R" and type(tv[1]) is tuple and tv[1][0] == "Q" and tv[1][1] in _MEMORY_FILES
    return False


def _nonblocking(node) -> bool:
    """`lock.acquire(blocking=False)`, `q.get(block=False)`, `ev.wait(timeout=0)`, `lock.acquire(False)`."""
    for i, a in enumerate(node.args):
        v = a.value
        if a.keyword is not None:
            ok = _NONBLOCKING_KW.get(a.keyword.value)
            if ok and ((type(v) is cst.Name and v.value in ok) or (type(v) in (cst.Integer, cst.Float) and v.value in ok)):
                return True
        elif i == 0 and type(v) is cst.Name and v.value == "False":
            return True
    return False


# `sock.setblocking(False)`, `sock.settimeout(0)`: the socket's later calls in the same function raise
# BlockingIOError instead of waiting (flow-insensitive: source order within one function)
_NONBLOCKING_MODE = catalog.NONBLOCKING_MODE_METHODS


def _getattr_name(node, callee) -> Optional[str]:
    """``getattr(obj, "name")`` / ``getattr(obj, "name", default)`` with a literal name: the attribute it reads."""
    if callee is None or callee[0] != "Q" or callee[1] != "builtins.getattr" or not 2 <= len(node.args) <= 3 \
            or any(a.keyword is not None or a.star for a in node.args):
        return None
    lit = node.args[1].value
    if type(lit) is not cst.SimpleString or lit.prefix.lower() not in ("", "u") or len(lit.value) < 3 \
            or lit.value[0] == lit.value[1]:
        return None  # bytes, f-strings, triple quotes, the empty string: not a plain name
    name = lit.value[1:-1]
    return name if name.isidentifier() and not name.startswith("__") else None


def _getattr_read(w: _Walker, node, name: str, start) -> None:
    """``getattr(distro, "publication", None)`` on a value held by a local or parameter: the same read as
    ``distro.publication`` (``_attr_before``), where a Django foreign key loads a row and a property runs."""
    s = w.scope
    if s.kind != "function" or s.offloop:
        return
    v = node.args[0].value
    if type(v) is not cst.Name:
        return
    t = s.locals.get(v.value)
    if t is None or t[0] in ("Q", "F", "C"):
        return
    _record_read(w, t, name, start[0], start[1], f"{v.value}.{name}", v.value, v.value)


def _call_after(w: _Walker, node) -> None:
    start = w.call_start.pop(id(node), None)
    if start is None:
        return
    if w.scope.kind in ("ignore", "class"):
        return
    callee = w.term(node.func)
    if callee is not None and node.args:
        _record_ctor_args(w, node, callee)
        name = _getattr_name(node, callee)
        if name is not None:
            _getattr_read(w, node, name, start)
    sc = w.scope
    if sc.kind == "function" and sc.pnames and type(node.func) is cst.Name and node.func.value in sc.pnames:
        # `method(*args, **kwargs)` on a parameter: the function runs the callable it is given
        pc = sc.func.get("pcalls")
        if pc is None:
            pc = sc.func["pcalls"] = {}
        pc[node.func.value] = sc.pnames[node.func.value]
    if callee is None and not w.user_patterns:
        # an awaited call on a receiver that cannot be typed is kept when its method has the shape of a
        # round trip (`await cursor.execute("SELECT ...")`, `await client.get(url)`): the loop rules read it
        f0 = node.func
        if not (type(f0) is cst.Attribute and (f0.attr.value in _SHAPE_METHODS or f0.attr.value.startswith(
                _SHAPE_PREFIXES)) and id(node) in w.awaited):
            return
    flags = F_AWAITED if id(node) in w.awaited else 0
    el, ec = w.line, w.col
    if node.rpar:
        # exclude the call's own closing parentheses (its start excludes the opening ones)
        back = 0
        for rp in node.rpar:
            ws = rp.whitespace_before
            if type(ws) is not cst.SimpleWhitespace:
                back = -1
                break
            back += 1 + len(ws.value)
        if back > 0 and ec >= back:
            ec -= back
    line = w.src_lines[el - 1] if el - 1 < len(w.src_lines) else ""
    nxt = line[ec:ec + 1]
    if nxt and nxt in _TRAILER_CHARS:
        flags |= F_TRAILER
    if node.args and _nonblocking(node):
        flags |= F_NONBLOCKING
    if node.args and _in_memory(w, node.args[0]):
        flags |= F_MEMFILE
    func = node.func
    if type(func) is cst.Attribute:
        sc0 = w.scope
        recv = sc0.nonblocking and _dotted(func.value)
        if recv and recv in sc0.nonblocking:
            flags |= F_NONBLOCKING  # `sock.setblocking(False)` earlier: its calls raise instead of waiting
        elif func.attr.value in _NONBLOCKING_MODE and len(node.args) == 1 and node.args[0].keyword is None:
            v = node.args[0].value
            if type(v) in (cst.Name, cst.Integer, cst.Float) and v.value in _NONBLOCKING_MODE[func.attr.value]:
                recv = _dotted(func.value)
                if recv and sc0.kind == "function":
                    if sc0.nonblocking is None:
                        sc0.nonblocking = set()
                    sc0.nonblocking.add(recv)
    extra = None
    sc = w.scope
    if sc.loopstack and type(func) is cst.Attribute and type(func.value) is cst.Name:
        m = func.attr.value
        if m in _MUTATORS and func.value.value not in ("self", "cls"):
            # `params["page"] = ...` / `outputs.update(step)`: the object is changed in place, so the next
            # iteration reads what this one left (a carried value: pagination, pipelines)
            sc.loopstack[-1]["assigned"].add(func.value.value)
            sc.loopstack[-1].setdefault("mutated", set()).add(func.value.value)
        if m in ("popleft", "get_nowait") or (m == "pop" and len(node.args) == 1 and type(node.args[0].value) is
                                                cst.Integer and node.args[0].value.value == "0"):
            sc.loopstack[-1]["flags"] |= L_QUEUE
    if sc.kind == "function" and node.args:
        _offloads_param(w, callee, func, node)
    if sc.kind == "function" and sc.loopstack:
        lrec = sc.loopstack[-1]
        names = _arg_names(node)
        plain = lrec.get("plain")
        if plain:
            # `url = f".../{path}"` then `await get(url)`: this iteration's own value, even when `url` was
            # also set before the loop (not carried from the previous iteration: ``loops``)
            fresh = plain - lrec.get("mutated", set())
            names = ["=" + a if a in fresh else a for a in names]
            # a receiver bound afresh in this iteration (`async with aiohttp.ClientSession() as req:` per file,
            # even when `req` also named an earlier session): its own value, not carried from the last one
            names += ["=" + a[1:] for a in names if a[:1] == "^" and a[1:] in fresh]
        if callee is not None and callee[0] == "Q" and callee[1].rsplit(".", 1)[-1] == "gather":
            # `await asyncio.gather(*tasks)` per iteration, `tasks` a comprehension of this iteration: one batch
            # after another (``loops``: the batch's round trips, marked `%<its loop>`)
            for a in node.args:
                v = a.value
                idx = w.comp_loop.get((id(sc), v.value)) if a.star == "*" and type(v) is cst.Name else \
                    w.comp_loop.get(id(v)) if type(v) in (cst.ListComp, cst.GeneratorExp) else None
                if idx is not None and idx != lrec["index"]:
                    names = list(names) + ["%" + str(idx)]
                    if type(v) in (cst.ListComp, cst.GeneratorExp):
                        # what the batch is built from (`for u in frontier`): the loop dependence of the batch
                        f = v.for_in
                        while f is not None:
                            names += _expr_names([f.iter])
                            f = f.inner_for_in
        extra = [names, lrec["index"]]
        off = w._offloaded_result(node, callee, 0) if flags & F_AWAITED else None
        if off is not None and off[1][0] == "R":
            # `await sync_to_async(task.save)()` per item: the callable run in the thread is the round trip
            # (``loops``); what it is called on is the loop dependence too
            if type(func) is cst.Call:
                names = list(names) + [n for n in _expr_names([a.value for a in func.args]) if n not in names]
                extra[0] = names
            extra.append(off[1][1])
        if callee is not None and callee[0] == "Q" and callee[1] in _SLEEPS:
            for lp in sc.loopstack:
                lp["flags"] |= L_SLEEP
    if sc.kind == "function" and node.args and not sc.offloop:
        n0 = len(sc.func["calls"])
        w.record(callee, flags, start[0], start[1], el, ec, func_label(node.func), extra)
        if len(sc.func["calls"]) > n0:
            _callable_args(w, sc.func, n0, node)
    else:
        w.record(callee, flags, start[0], start[1], el, ec, func_label(node.func), extra)
    if callee is not None and callee[0] == "Q" and callee[1] in _EVALUATORS and node.args \
            and sc.kind == "function" and not w.duck and (w.eval_gate or _cursor_like(w, node.args[0].value)):
        a0 = node.args[0]
        p = w.iter_pos.pop(id(a0.value), None)
        if a0.keyword is None and not a0.star and type(a0.value) not in (cst.GeneratorExp, cst.ListComp) \
                and p is not None and len(p) == 4:
            # `list(qs)`, `len(qs)`, `sorted(cursor)`, `enumerate(qs)`: the argument is iterated (evaluated)
            it = w.term(a0.value)
            if it is not None and it[0] in _CHAIN:
                truth = F_TRUTH if callee[1] == "builtins.bool" else 0
                if p[0] != start[0]:
                    # `ids = set(\n    qs.values_list(...)\n)`: the query runs in the call that evaluates it, which
                    # starts on an earlier line than its argument: reported where the evaluation starts
                    p = (start[0], start[1], el, ec)
                w.record(it, F_ITER | truth, p[0], p[1], p[2], p[3], func_label(a0.value))
    if callee == _GETATTR and w.attr_gate and sc.kind == "function" and not sc.offloop and len(node.args) >= 2:
        # `getattr(user, "is_authenticated", False)` reads the attribute (a foreign key, the lazy user)
        a0, a1 = node.args[0], node.args[1]
        if type(a0.value) is cst.Name and type(a1.value) is cst.SimpleString and a0.keyword is None:
            t = sc.locals.get(a0.value.value)
            name = _string(a1.value)
            if t is not None and t[0] not in ("Q", "F", "C") and name and name.isidentifier():
                w.record(("A", t, name), F_ATTR, start[0], start[1], el, ec, a0.value.value + "." + name)
                _bound_read(w, a0.value.value)


# "P": a parameter handed on (its callers give it); "S" / "IT": an item of an object (`qs[0]`, `for row in rows`)
_OBJECT_TERMS = frozenset(("R", "L", "A", "I", "AW", "OR", "P", "S", "IT"))
_OBJECT_NODES = frozenset((cst.Name, cst.Attribute, cst.Call, cst.Await, cst.BooleanOperation))


def _record_ctor_args(w: _Walker, node, callee) -> None:
    """`Repo(Database(path))`, `Service(client=self.client)`, `save_row(get_db(), row)`: the objects a class (a
    CamelCase callee) is constructed with, or a function called by name is given, by position and keyword, for
    the parameters of its `__init__` (of the function) that have no annotation (``("P", ...)`` terms,
    ``Resolver._ctor_param``).  Only arguments that are objects (a call's result,
    a global, an attribute, an annotated parameter), and only calls with one."""
    f = node.func
    t = type(f)
    name = f.value if t is cst.Name else f.attr.value if t is cst.Attribute else None
    if not name or name.isupper() or (not name[0].isupper() and t is not cst.Name and callee[0] != "Q"):
        return  # a class (CamelCase), or a function called by its name (`save_row(conn, row)`, `db.save_row(...)`)
    if (callee[0] == "Q" and callee[1].split(".", 1)[0] in _STDLIB_ROOTS) or name[:2] == "__":
        return  # `len(x)`, `isinstance(x, T)`, `logging.getLogger(...)`: never a project's; `super().__init__(...)`
    pos: list = []
    kws: dict = {}
    starred = False
    found = False
    for a in node.args:
        if a.star:
            starred = starred or a.star == "*"
            continue
        if type(a.value) not in _OBJECT_NODES:
            if a.keyword is None and not starred:
                pos.append(None)  # a literal, an f-string, an operation: no object
            continue
        at = w.term(a.value)
        if at is not None and (at[0] not in _OBJECT_TERMS or (at[0] == "L" and at[1] == w.mod and w.globals.get(
                at[2]) is None) or (at[0] == "R" and type(at[1]) is tuple and at[1][0] == "Q"
                                    and at[1][1].startswith("builtins."))):
            at = None  # not an object: a literal constant (`CONF_HOST`), a `str` / `int` parameter
        if a.keyword is not None:
            if at is not None:
                kws[a.keyword.value] = at
                found = True
        elif not starred:
            pos.append(at)
            found = found or at is not None
    if not found:
        return
    while pos and pos[-1] is None:
        pos.pop()
    _add_ctor_args(w, name, [callee, pos, kws])


def _add_ctor_args(w: _Walker, name: str, entry: list) -> None:
    """One (callee, positional objects, keyword objects) entry of the summary's ``ctor_args`` table under the
    callee's short name, at most four per name."""
    table = w.summary.get("ctor_args")
    if table is None:
        table = w.summary["ctor_args"] = {}
    have = table.setdefault(name, [])
    if entry not in have and len(have) < 4:
        have.append(entry)


def _named_request(node) -> bool:
    """``request`` / ``self.request`` / ``info.context.request``: a value named like a web request."""
    t = type(node)
    return (t is cst.Name and node.value == "request") or (t is cst.Attribute and node.attr.value == "request")


def _string(node) -> Optional[str]:
    try:
        v = node.evaluated_value
    except Exception:
        return None
    return v if isinstance(v, str) else None


def _callable_args(w: _Walker, f: dict, i: int, node) -> None:
    """Arguments of call record ``i`` that may be callables handed to the callee (`self.middleware(req,
    self.send_inner)`, `self.send_request(requests.post, path)`, `execute(method=self._conn.get)`): a name
    or an attribute, not called.  ``f["cargs"]``: [call span, position or keyword, term, label] (the span
    of call record ``i``: records are pruned after the walk); the project phase makes them calls where the
    callee calls that parameter (``pcalls``)."""
    span = f["calls"][i][:4]
    pos = 0
    for a in node.args:
        if a.star:
            if a.keyword is None:
                break  # `*args`: the positions after it are unknown
            continue
        v = a.value
        key = a.keyword.value if a.keyword is not None else pos
        if a.keyword is None:
            pos += 1
        t = type(v)
        if t is not cst.Attribute and t is not cst.Name:
            continue
        term = w.term(v)
        if term is None or term[0] not in ("F", "Q", "A"):
            continue
        ca = f.get("cargs")
        if ca is None:
            ca = f["cargs"] = []
        ca.append([span, key, term, func_label(v)])


def _offloads_param(w: _Walker, callee, func, node) -> None:
    """``await asyncio.to_thread(func, *args)`` / ``loop.run_in_executor(None, func, ...)`` in a decorator
    (or its nested wrapper) whose first parameter is ``func``: the decorator runs the functions it decorates
    in a worker thread (``f["offloads"]``; ``project.offloaded``)."""
    pos = None
    if callee is not None and callee[0] == "Q":
        pos = (catalog.FUNCTIONS.get(callee[1]) or {}).get("offload")
    if pos is None and type(func) is cst.Attribute:
        pos = _OFFLOAD_METHODS.get(func.attr.value)
    if not pos or len(node.args) < pos:
        return
    a = node.args[pos - 1]
    if a.keyword is not None or a.star or type(a.value) is not cst.Name:
        return
    name = a.value.value
    s = w.scope
    while s is not None and s.kind == "function":
        if s.param0 == name:
            s.func["offloads"] = 1
            return
        if name in s.locals:
            return  # a local of the wrapper, not the decorated function
        s = s.parent


_OFFLOAD_METHODS = {"run_in_executor": 2, "submit": 1}

# annotations of homogeneous containers: iterating or indexing one gives an instance of the item type
_ITEM_CONTAINERS = frozenset((
    "list", "List", "set", "Set", "frozenset", "FrozenSet", "AbstractSet", "MutableSet", "Sequence",
    "MutableSequence", "Iterable", "Iterator", "Collection", "Reversible", "deque", "Deque", "tuple", "Tuple",
    "AsyncIterable", "AsyncIterator"))
_MAPPINGS = frozenset(("dict", "Dict", "Mapping", "MutableMapping", "defaultdict", "DefaultDict", "OrderedDict",
                       "ChainMap"))
_SHAPE_METHODS = frozenset((catalog.SHAPE_DB_METHODS + " " + catalog.SHAPE_NET_METHODS).split())
_SHAPE_PREFIXES = tuple(catalog.SHAPE_NET_PREFIXES.split())
_MUTATORS = frozenset(("update", "setdefault", "__setitem__", "extend", "add", "discard"))


def _arg_names(node) -> List[str]:
    """Names (and self.attr) read in a call's arguments (for loop-dependence checks)."""
    out = []
    stack = [a.value for a in node.args]
    f = node.func
    while isinstance(f, (cst.Attribute, cst.Subscript)):  # receiver chain: client.get_user(x) -> also the receiver
        if type(f) is cst.Subscript:  # `self.clients[name].fetch()`: the index picks the receiver
            stack.extend(el.slice.value for el in f.slice if isinstance(el.slice, cst.Index))
        f = f.value
        if isinstance(f, cst.Call):
            stack.extend(a.value for a in f.args)
            f = f.func
    if f is not node.func and isinstance(f, cst.Name) and f.value not in ("self", "cls"):
        out.append("^" + f.value)  # the receiver's base name (`member` in `member.send(...)`), marked
    return out + _expr_names(stack)


def _expr_names(stack: list) -> List[str]:
    """Names (and self.attr) read in the expressions ``stack`` (consumed)."""
    out = []
    n = 0
    while stack and n < 200:
        n += 1
        x = stack.pop()
        t = type(x)
        if t is cst.Name:
            out.append(x.value)
        elif t is cst.Attribute:
            stack.append(x.value)
        elif t is cst.Subscript:
            stack.append(x.value)
            for el in x.slice:
                if isinstance(el.slice, cst.Index):
                    stack.append(el.slice.value)
        elif t is cst.Call:
            stack.append(x.func)
            stack.extend(a.value for a in x.args)
        elif t in (cst.Tuple, cst.List, cst.Set):
            stack.extend(e.value for e in x.elements)
        elif t is cst.Dict:
            for e in x.elements:
                if isinstance(e, cst.DictElement):
                    stack.append(e.key)
                    stack.append(e.value)
                else:
                    stack.append(e.value)
        elif t is cst.FormattedString:
            for p in x.parts:
                if isinstance(p, cst.FormattedStringExpression):
                    stack.append(p.expression)
        elif t is cst.BinaryOperation:
            stack.append(x.left)
            stack.append(x.right)
        elif t is cst.ConcatenatedString:
            stack.append(x.left)
            stack.append(x.right)
        elif t is cst.Await:
            stack.append(x.expression)
        elif t is cst.UnaryOperation:
            stack.append(x.expression)
        elif t is cst.IfExp:
            stack.extend((x.test, x.body, x.orelse))
        elif t is cst.Comparison:  # `select(T).where(T.id == item_id)`
            stack.append(x.left)
            stack.extend(c.comparator for c in x.comparisons)
        elif t is cst.BooleanOperation:
            stack.append(x.left)
            stack.append(x.right)
        elif t is cst.StarredElement or t is cst.StarredDictElement:
            stack.append(x.value)
    return sorted(set(out))


# a dot, an opening square bracket and an opening parenthesis, spelt as escapes: an unmatched bracket
# in a string would make this file look like one long bracketed statement to ``parseguard.suspicious``
# (which counts brackets in strings and comments too)
_TRAILER_CHARS = ".\x5b\x28"
_AWAITS_ITS_ARGUMENT = frozenset(("asyncio.wait_for", "wait_for", "asyncio.shield", "shield"))


def _await_before(w: _Walker, node) -> None:
    expr = node.expression
    w.awaited.add(id(expr))
    if type(expr) is cst.Call and expr.args and expr.args[0].keyword is None and type(
            expr.args[0].value) is cst.Call and _dotted(expr.func) in _AWAITS_ITS_ARGUMENT:
        # `await asyncio.wait_for(stub.HealthCheck(req), timeout=5)`: the coroutine is awaited all the same
        w.awaited.add(id(expr.args[0].value))
    fs = w.func_scope()
    if fs is not None:
        fs.func["awaits"] += 1


def _route_facts(w: _Walker, node) -> list:
    out = []
    for d in node.decorators:
        dec = d.decorator
        if isinstance(dec, cst.Call):
            label = _dotted(dec.func) or ""
            path = None
            if dec.args and isinstance(dec.args[0].value, cst.SimpleString) and dec.args[0].keyword is None:
                try:
                    path = dec.args[0].value.evaluated_value
                    if isinstance(path, bytes):
                        path = path.decode("latin-1")
                except Exception:
                    path = None
            methods = None
            for a in dec.args:
                if a.keyword is not None and a.keyword.value == "methods" and isinstance(a.value, (cst.List, cst.Tuple)):
                    methods = []
                    for e in a.value.elements:
                        if isinstance(e.value, cst.SimpleString):
                            try:
                                methods.append(str(e.value.evaluated_value).upper())
                            except Exception:
                                pass
            recv_term = w.term(dec.func.value) if isinstance(dec.func, cst.Attribute) else None
            out.append(["call", label, path, methods, recv_term])
        else:
            label = _dotted(dec) or ""
            out.append(["name", label, None, None, w.term(dec)])
    return out


def _funcdef_before(w: _Walker, node) -> None:
    parent = w.scope
    name = node.name.value
    if parent.kind == "module":
        qual = w.mod + "." + name
        cls = None
    elif parent.kind == "class":
        qual = parent.qual + "." + name
        cls = parent.qual
    elif parent.kind == "function":
        qual = parent.qual + ".<locals>." + name
        cls = None
    else:
        # inside a lambda/ignored region: analyse it as an anonymous scope that is never called
        qual = parent.qual + ".<locals>." + name
        cls = None
    is_async = node.asynchronous is not None
    col = sum(len(t) for t in w.indent_tokens) + 1
    prop = 0
    if cls is not None and node.decorators:
        for d in node.decorators:
            dn = _dotted(d.decorator) or ""
            last = dn.rsplit(".", 1)[-1]
            if last in _PROPERTY_DECORATORS:
                prop = _PROPERTY_DECORATORS[last]
            elif dn == name + ".setter" or dn == name + ".deleter":
                # `@x.setter def x(...)`: the name stays bound to the property, whose reads run the getter
                qual = f"{qual}@L{w.line}"
                prop = -1
    rec = _new_function(name, qual, is_async, w.line, col, cls)
    if prop > 0:
        rec["prop"] = prop
    if qual in w.functions:
        # A redefinition (conditional defs, `try: ... except ImportError: def f`, `@overload`, a test file
        # that reuses a name): every definition is its own function.  The latest one keeps the name (it is
        # what the name is bound to once the module has run: importers and later calls see it); the
        # earlier one is renamed by its position, ``qual@L<line>``, keeping its own calls and findings.
        _rename_function(w, qual)
    w.functions[qual] = rec
    if node.decorators:
        rec["deco"] = _route_facts(w, node)
    if cls is not None and parent.kind == "class" and prop >= 0:
        w.classes[cls]["methods"][name] = qual
        if _abstract(node):
            rec["abstract"] = True
    if node.returns is not None:
        rt = w.annotation_term(node.returns)
        # `-> Any` says nothing: the returned value's type (``ret_from``) is kept
        rec["returns"] = None if rt in _ANY_TERMS else rt
    # Parameters, typed in the enclosing scope.
    scope = Scope("function", qual, parent, func=rec, cls=cls)
    params = node.params
    allp = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
    staticm = any(_dotted(d.decorator) == "staticmethod" for d in node.decorators)
    classm = any(_dotted(d.decorator) == "classmethod" for d in node.decorators)
    if allp:
        scope.param0 = allp[0].name.value
    # where a caller passes each parameter (the bound `self` / `cls` not counted): a function that calls
    # one of them runs what it is given (``pcalls``; ``project``: callable arguments)
    npos = len(params.posonly_params) + len(params.params)
    bound = 1 if cls is not None and not staticm and parent.kind == "class" else 0
    scope.pnames = {p.name.value: (i - bound if i < npos else -1) for i, p in enumerate(allp) if i >= bound}
    scope.optional = {p.name.value for p in allp if type(p.default) is cst.Name and p.default.value == "None"}
    for i, p in enumerate(allp):
        pname = p.name.value
        if i == 0 and cls is not None and not staticm and parent.kind == "class":
            scope.locals[pname] = ("C", cls) if classm else ("I", cls)
            continue
        at = w.annotation_term(p.annotation) if p.annotation is not None else None
        if at is None and pname == "request" and w.django_request and p.annotation is None:
            at = _HTTP_REQUEST  # a Django view's (or middleware's, helper's) request
        if at is None and p.annotation is None and name == "__init__" and cls is not None and pname in ("bot", "client"):
            at = _cog_bot(w, cls)  # a Discord cog is given the bot: `def __init__(self, bot): self.bot = bot`
        dep = w.dependency_term(p.default) if p.default is not None else None
        if dep is not None:
            at = dep if at is None else ("OR", at, dep)
        elif at is None and p.annotation is None and type(p.default) in (cst.Name, cst.Attribute) \
                and pname not in ("self", "cls"):
            # `transport_class=Transport`, `factory=default_factory`: what it is unless a caller says otherwise
            dt = w.term(p.default)
            if dt is not None and dt[0] in ("Q", "C", "F", "L"):
                at = dt
        if at is None and p.annotation is None and name == "__init__" and cls is not None \
                and parent.kind == "class":
            # `def __init__(self, database): self.database = database`: what the project constructs the
            # class with (``_record_ctor_args``, ``Resolver._ctor_param``)
            at = ("P", cls, scope.pnames.get(pname, -1), pname)
            rec["untyped"] = True
        elif at is None and p.annotation is None and parent.kind == "module":
            # `def save_row(conn, row): conn.cursor()...`: what the project's calls of the function give it
            at = ("P", qual, scope.pnames.get(pname, -1), pname, "F")
            rec["untyped"] = True
        scope.locals[pname] = at
    for p in (params.star_arg, params.star_kwarg):
        if isinstance(p, cst.Param):
            scope.locals[p.name.value] = None
    # The body runs in the new scope; decorators and defaults ran in the parent.
    w.want_before[id(node.body)] = (_enter_scope, scope)
    w.want_after[id(node.body)] = (_leave_scope, None)
    w.want_before[id(node.params)] = (_def_position, rec)
    # the function's own name is bound in the parent scope
    if parent.kind in ("function", "ignore"):
        parent.locals[name] = ("F", qual)


# where the standard containers and typing's generics live (`typing.Collection[X]` is a container of X,
# a library's own `Collection[X]` is an instance of that class)
_TYPING_ROOTS = frozenset(("typing", "typing_extensions", "collections", "builtins", "abc", "_typeshed"))

_ANY_TERMS = (("R", ("Q", "typing.Any")), ("R", ("Q", "typing_extensions.Any")), ("R", ("Q", "builtins.object")))

_ABSTRACT_WORDS = ("abstract", "not implemented", "must be implemented", "should be implemented",
                   "must implement", "subclass", "override")


def _not_implemented(exc) -> bool:
    """``raise NotImplementedError``, or a library's own exception that says so
    (``raise TwilioException("HttpClient is an abstract class")``)."""
    name = _dotted(exc.func if isinstance(exc, cst.Call) else exc) or ""
    if name.rsplit(".", 1)[-1] == "NotImplementedError":
        return True
    if isinstance(exc, cst.Call) and exc.args and isinstance(exc.args[0].value, cst.SimpleString):
        try:
            text = str(exc.args[0].value.evaluated_value).lower()
        except Exception:
            return False
        return any(w in text for w in _ABSTRACT_WORDS)
    return False


# reading a property runs its getter; a cached property's first read per instance does (then it is cached)
_PROPERTY_DECORATORS = {"property": 1, "cached_property": 2, "cachedproperty": 2, "cached_property_with_ttl": 2}


def _abstract(node) -> bool:
    """A method that only declares an interface: ``@abstractmethod``, or a body of ``...`` or ``raise
    NotImplementedError`` (with a docstring or not: Protocol members, base classes' placeholders).  A call
    to it runs one of the subclasses' implementations (``project``: dispatch edges).  A body of only a
    docstring or ``pass`` is a hook with a default that does nothing (`async_added_to_hass`): not abstract
    (a subclass may add I/O to it, but the base's callers are not each a caller of every override)."""
    for d in node.decorators:
        if (_dotted(d.decorator) or "").rsplit(".", 1)[-1] == "abstractmethod":
            return True
    body = node.body
    stmts = body.body if isinstance(body, cst.IndentedBlock) else [body]
    marked = False
    for st in stmts:
        small = st.body if isinstance(st, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else None
        if small is None:
            return False
        for x in small:
            t = type(x)
            if t is cst.Pass:
                continue
            if t is cst.Expr and type(x.value) in (cst.SimpleString, cst.ConcatenatedString):
                continue
            if t is cst.Expr and type(x.value) is cst.Ellipsis:
                marked = True
                continue
            if t is cst.Raise and x.exc is not None and _not_implemented(x.exc):
                marked = True
                continue
            return False
    return marked


def _rename_function(w: _Walker, qual: str) -> None:
    old = w.functions.pop(qual)
    new = f"{qual}@L{old['line']}"
    n = 2
    while new in w.functions:  # two earlier definitions on one line (`def f(): ...; def f(): ...`)
        new = f"{qual}@L{old['line']}.{n}"
        n += 1
    old["qual"] = new
    w.functions[new] = old
    prefix = qual + ".<locals>."
    for q in [q for q in w.functions if q.startswith(prefix)]:  # its nested functions go with it
        f = w.functions.pop(q)
        f["qual"] = new + q[len(qual):]
        w.functions[f["qual"]] = f


def _def_position(w: _Walker, node, rec) -> None:
    # `def name` and its opening parenthesis are always on one line: the parameters start on the `def` line
    rec["line"] = w.line
    rec["col"] = sum(len(t) for t in w.indent_tokens) + 1


def _enter_scope(w: _Walker, node, scope) -> None:
    scope.parent = w.scope
    w.scope = scope


def _leave_scope(w: _Walker, node, _) -> None:
    w.scope = w.scope.parent


# catalog types the framework hands back as the project's own subclass (``subclassed``): name or alias -> type
_SUBCLASSED = {n: t for t, spec in catalog.TYPES.items() if spec.get("subclassed")
               for n in [t] + (spec.get("aliases") or "").split()}


def _classdef_before(w: _Walker, node) -> None:
    parent = w.scope
    name = node.name.value
    if parent.kind == "module":
        qual = w.mod + "." + name
    else:
        qual = parent.qual + ".<locals>." + name
    bases = []
    gargs = []  # per base: the type arguments it is given (`CollectionCommon["ServerAPI"]`), or None
    tparams = []  # the class's own type parameters, in order (`Generic[ClientT]`)
    declared = None
    for a in node.bases:
        if a.keyword is None:
            v = a.value
            args = None
            if type(v) is cst.Subscript:  # a generic base: `Resource["Customer"]`, `Repo[User]`
                els = [e.slice.value for e in v.slice if isinstance(e.slice, cst.Index)][:8]
                args = [w.annotation_term(e) for e in els]
                names = [e.value if type(e) is cst.Name else e.attr.value for e in els
                         if type(e) is cst.Name or type(e) is cst.Attribute]  # `T`, `base.TObjCls`
                if (_dotted(v.value) or "").rsplit(".", 1)[-1] in ("Generic", "Protocol"):
                    declared = names
                else:
                    tparams.extend(n for n in names if n not in tparams)
                v = v.value
            t = w.term(v)
            if t is not None:
                bases.append(t)
                gargs.append(args)
    w.classes[qual] = {"bases": bases, "attrs": {}, "methods": {}, "line": w.line}
    for b in bases:
        t = _SUBCLASSED.get(b[1]) if b[0] == "Q" else None
        if t is not None:  # `class Kkutbot(commands.AutoShardedBot)`: what `ctx.bot` is (``Resolver._own_subclass``)
            w.summary.setdefault("subclasses", {}).setdefault(t, []).append(qual)
    if any(x is not None for x in gargs):
        # generic bases: an attribute the base annotates with a type variable (`_client: ClientT`) has the
        # type this class gives it (``resolve``: ``_typevar_value``)
        w.classes[qual]["gargs"] = gargs
        tp = declared if declared is not None else tparams
        if tp:
            w.classes[qual]["tparams"] = tp
    if parent.kind in ("function", "ignore"):
        parent.locals[name] = ("C", qual)
    scope = Scope("class", qual, parent, cls=qual)
    w.want_before[id(node.body)] = (_enter_scope, scope)
    w.want_after[id(node.body)] = (_leave_scope, None)


def _lambda_before(w: _Walker, node) -> None:
    w.scope = Scope("ignore", w.scope.qual + ".<lambda>", w.scope)


def _lambda_after(w: _Walker, node) -> None:
    w.scope = w.scope.parent


def _bind(w: _Walker, target, value_term, annotated: bool = False) -> None:
    t = type(target)
    s = w.scope
    if t is cst.Name:
        name = target.value
        if s.evaluated:
            s.evaluated.pop(name, None)  # a new value: not evaluated yet
        if s.loopstack:
            s.loopstack[-1]["assigned"].add(name)
            s.loopstack[-1].setdefault("plain", set()).add(name)  # this iteration's value from here on
        if s.kind == "module":
            prev = w.globals.get(name)
            if annotated or prev is None:
                w.globals[name] = value_term
            elif value_term is not None:
                # bound again (`try: _http = AppEngineManager()` / `except ...: _http = PoolManager()`): a further
                # alternative, the first that resolves (as a global assigned in a function, ``_bind_global``)
                w.globals[name] = _alternative(prev, value_term)
        elif s.kind == "class":
            w.classes[s.qual]["attrs"].setdefault(name, value_term) if not annotated else w.classes[
                s.qual
            ]["attrs"].__setitem__(name, value_term)
        elif s.global_names and name in s.global_names:
            _bind_global(w, name, value_term)
        else:
            s.locals[name] = value_term
            if s.bound_reads:
                s.bound_reads.pop(name, None)
    elif t is cst.Subscript or t is cst.Attribute:
        base = target.value
        if s.loopstack and isinstance(base, cst.Name) and base.value not in ("self", "cls"):
            # `params["page"] = nxt` / `state.cursor = nxt` in a loop: the object is changed in place,
            # and the next iteration reads it (a carried value)
            s.loopstack[-1]["assigned"].add(base.value)
            s.loopstack[-1].setdefault("mutated", set()).add(base.value)
        if t is cst.Attribute:
            _bind_attr(w, target, value_term, annotated)
    elif t in (cst.Tuple, cst.List):
        # `peer_id, (peer, seen) = ...`: element i of the value (``("EL", value, i)``), up to a starred one
        starred = False
        for i, el in enumerate(target.elements):
            starred = starred or type(el) is cst.StarredElement
            _bind(w, el.value, None if value_term is None or starred else ("EL", value_term, i))
    elif t is cst.StarredElement:
        _bind(w, target.value, None)


def _global_before(w: _Walker, node) -> None:
    """`global conn` in a function: its assignments bind the module's name (`conn = None` at module level,
    `conn = psycopg2.connect(...)` in `init_db()`: the connection every function of the module reads)."""
    s = w.scope
    if s.kind != "function":
        return
    if s.global_names is None:
        s.global_names = set()
    for n in node.names:
        s.global_names.add(n.name.value)
        s.locals.pop(n.name.value, None)


def _bind_global(w: _Walker, name: str, value_term) -> None:
    """A module global assigned in a function (``_global_before``): the module-level value when it says
    something (not `None`), else this one; a second value that differs is an alternative (``resolve``:
    "OR", the first that resolves)."""
    if value_term is None:
        return
    old = w.globals.get(name)
    if old is None:
        w.globals[name] = value_term
    else:
        w.globals[name] = _alternative(old, value_term)


def _bind_attr(w: _Walker, target, value_term, annotated: bool) -> None:
    base = target.value
    if isinstance(base, cst.Name):
        fs = w.func_scope()
        if fs is not None and fs.func["cls"] is not None:
            bt = fs.locals.get(base.value)
            # `self.x = ...` in a method, `cls.x = ...` in a classmethod (a lazily made singleton)
            if bt is not None and bt[0] in ("I", "C") and bt[1] == fs.func["cls"]:
                _bind_own_attr(w, fs, target, value_term, annotated)
                return
    if value_term is None or w.scope.kind == "class" or type(base) not in (cst.Name, cst.Attribute):
        return
    # an attribute stored on another object (`app.state.db = connect(...)`, `bot.db = ...`,
    # `self.bot.pool = ...` in a cog): what reading it on an object of that kind gives, wherever it is read
    # (``Resolver._stored``)
    recv = w.term(base)
    if recv is None:
        return
    name = target.attr.value
    stores = w.summary.get("stores")
    if stores is None:
        stores = w.summary["stores"] = {}
    have = stores.setdefault(name, [])
    pair = [recv, value_term]
    if pair not in have and len(have) < 4:
        have.append(pair)


def _bind_own_attr(w: _Walker, fs, target, value_term, annotated: bool) -> None:
    attrs = w.classes[fs.func["cls"]]["attrs"]
    name = target.attr.value
    old = attrs.get(name)
    if annotated or old is None:
        attrs[name] = value_term
    elif value_term is not None and value_term != old:
        # assigned again elsewhere (`self._session = requests_session` / `requests.api` in
        # `__init__`, `requests.Session()` in `_build_session`): the first that resolves
        # gives the type (``resolve``: "OR")
        attrs[name] = _alternative(old, value_term)


def _alternative(old, new):
    """``old`` with ``new`` as a further alternative (``resolve``: "OR", the first that resolves; at most 4)."""
    if old == new:
        return old
    if old[0] != "OR":
        return ("OR", old, new)
    return old + (new,) if new not in old[1:] and len(old) < 5 else old


# builtins that iterate (or, for a Django QuerySet, evaluate) their first argument (recorded in the modules
# that can hold ORM values, as attribute reads: ``_attr_gate``)
_EVALUATORS = frozenset("builtins." + n for n in (
    "list", "tuple", "set", "frozenset", "sorted", "len", "bool", "sum", "any", "all", "max", "min", "dict",
    "enumerate", "reversed"))
# builtins whose result is a list (or tuple) of their argument's items
_LISTERS = frozenset(("builtins.list", "builtins.sorted", "builtins.tuple", "builtins.reversed", "builtins.set",
                      "builtins.frozenset", "collections.deque"))
# wrappers whose call runs a sync function in a worker thread: `await sync_to_async(f)(x)` gives f(x)
_SYNC_TO_ASYNC = frozenset(("asgiref.sync.sync_to_async", "channels.db.database_sync_to_async"))
_HTTP_REQUEST = ("R", ("Q", "django.http.HttpRequest"))
_COG_LIBS = ("discord", "nextcord", "disnake")


def _cog_bot(w: _Walker, cls: str):
    """The bot a Discord cog's ``__init__`` is given (discord.py / pycord / nextcord / disnake: a cog is made as
    ``Cog(bot)`` by its extension's ``setup(bot)``), when the class derives from the library's ``Cog``: an
    instance of the library's ``commands.Bot``, whose API methods are network round trips."""
    c = w.classes.get(cls)
    for b in (c or {}).get("bases") or ():
        if b and b[0] == "Q" and isinstance(b[1], str) and b[1].rsplit(".", 1)[-1] in ("Cog", "GroupCog"):
            root = b[1].split(".", 1)[0]
            if root in _COG_LIBS:
                return ("R", ("Q", root + ".ext.commands.Bot"))
    return None
_GETATTR = ("Q", "builtins.getattr")
# Django shortcuts whose first argument (a model class, its manager or a queryset) says what they return
_MODEL_SHORTCUTS = frozenset(("django.shortcuts.get_object_or_404", "django.shortcuts.aget_object_or_404"))
_SHORTCUT_TERMS = frozenset(("Q", q) for q in _MODEL_SHORTCUTS)
_RELATION_FIELDS = {"ForeignKey": "fk", "OneToOneField": "o2o", "ManyToManyField": "m2m"}


def _relation_term(w: _Walker, call, callee_term):
    """A Django relation field declared in a class body (``author = models.ForeignKey(Author,
    related_name="books")``): ``("REL", callee, kind, target, related_name, class)``.  ``target`` is the
    term of the model named (a string names it: ``"self"``, ``"Author"``, ``"app.Author"``); ``kind`` is
    ``fk`` / ``o2o`` / ``m2m``.  The project phase resolves it (``Resolver`` "REL") and builds the reverse
    relations from these terms (``ProjectIndex.reverse_relation``)."""
    f = call.func
    last = f.attr.value if type(f) is cst.Attribute else f.value if type(f) is cst.Name else None
    kind = _RELATION_FIELDS.get(last)
    if kind is None or callee_term is None or callee_term[0] != "R":
        return None
    target = related = None
    for i, a in enumerate(call.args):
        kw = a.keyword.value if a.keyword is not None else None
        if (kw is None and i == 0) or kw == "to":
            v = a.value
            if type(v) is cst.SimpleString:
                try:
                    target = v.evaluated_value
                except Exception:
                    target = None
                if not isinstance(target, str):
                    return None
            else:
                target = w.term(v)
        elif kw == "related_name":
            related = "+"  # not a plain string (an f-string, a constant): no reverse accessor is known
            if type(a.value) is cst.SimpleString:
                try:
                    related = a.value.evaluated_value
                except Exception:
                    related = "+"
                if not isinstance(related, str):
                    related = "+"
    if target is None:
        return None
    return ("REL", callee_term[1], kind, target, related, w.scope.qual)


def _assign_after(w: _Walker, node) -> None:
    if w.scope.kind == "ignore":
        return
    vt = w.term(node.value)
    if w.scope.kind == "class" and type(node.value) is cst.Call and vt is not None:
        vt = _relation_term(w, node.value, vt) or vt
    if w.scope.kind == "module" and type(node.value) is cst.Call:
        for a in node.value.args:
            if a.keyword is not None and a.keyword.value == "prefix" and isinstance(a.value, cst.SimpleString):
                for tgt in node.targets:
                    if isinstance(tgt.target, cst.Name):
                        try:
                            w.summary["prefixes"][tgt.target.value] = str(a.value.evaluated_value)
                        except Exception:
                            pass
    if w.scope.kind == "module" and type(node.value) in (cst.Subscript, cst.BinaryOperation):
        vt = w.type_alias_term(node.value) or vt
    elif w.scope.kind == "module" and type(node.value) is cst.Call:
        vt = _newtype_term(w, node.value) or vt
    for tgt in node.targets:
        _bind(w, tgt.target, vt)
    s = w.scope
    if s.kind == "module" and len(node.targets) == 1 and type(node.targets[0].target) is cst.Attribute:
        _attach_method(w, node.targets[0].target, node.value)
    if s.kind == "function" and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name \
            and type(node.value) is cst.Attribute and not node.value.lpar:
        # `u = request.user`: the read just recorded, remembered until an attribute of `u` is read
        calls = s.func["calls"]
        if calls and calls[-1][5] & F_ATTR and calls[-1][7] == func_label(node.value):
            if s.bound_reads is None:
                s.bound_reads = {}
            s.bound_reads[node.targets[0].target.value] = calls[-1]
    if s.kind == "function" and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name \
            and type(node.value) in (cst.ListComp, cst.GeneratorExp):
        # `coros = [load(x) for x in items]`: gathered later (`gather(*coros)`, ``_gathered_name``)
        idx = w.comp_loop.get(id(node.value))
        if idx is not None:
            w.comp_loop[(id(s), node.targets[0].target.value)] = idx


def _attach_method(w: _Walker, target, value) -> None:
    """``Client.geocode = make_api_method(geocode)`` (googlemaps), ``Recognizer.recognize_google =
    google.recognize_legacy`` (SpeechRecognition): a function attached to a class of this module after its body
    is a method of it (a decorator applied in place is transparent, as for ``def``), and its first parameter is
    an instance of the class (recorded as the object the function is called with, ``_record_ctor_args``)."""
    if type(target.value) is not cst.Name or target.attr.value.startswith("__"):
        return
    cq = w.mod + "." + target.value.value
    c = w.classes.get(cq)
    if c is None:
        return
    if type(value) is cst.Call and len(value.args) == 1 and value.args[0].keyword is None \
            and not value.args[0].star:
        value = value.args[0].value  # `make_api_method(geocode)`: the wrapped function
    if type(value) not in (cst.Name, cst.Attribute):
        return
    ft = w.term(value)
    if ft is None or ft[0] not in ("F", "Q") or not isinstance(ft[1], str) or ft[1].startswith("builtins."):
        return
    c["methods"][target.attr.value] = ft[1]
    _add_ctor_args(w, ft[1].rsplit(".", 1)[-1], [ft, [("I", cq)], {}])


def _gathered_name(w: _Walker, name: str) -> None:
    """`await asyncio.gather(*coros)` of a comprehension assigned to `coros` in this function: its calls run
    at once, like a comprehension written inside the call (``L_GATHER`` on that loop)."""
    s = w.scope
    idx = w.comp_loop.get((id(s), name))
    loops = s.func.get("loops") if s.kind == "function" else None
    if idx is not None and loops and 0 <= idx < len(loops) and loops[idx] is not None:
        loops[idx][6] |= L_GATHER


def _newtype_term(w: _Walker, call):
    """``AsyncSession = NewType("AsyncSession", _AsyncSession)``: to a static reader, the type it wraps (an
    annotation ``session: AsyncSession`` is an ``_AsyncSession``)."""
    if (_dotted(call.func) or "").rsplit(".", 1)[-1] != "NewType" or len(call.args) != 2 or any(
            a.keyword is not None or a.star for a in call.args):
        return None
    inst = w.annotation_term(call.args[1].value)
    if inst is None:
        return None
    return inst[1] if inst[0] == "R" else ("CLS", inst)


def _annassign_after(w: _Walker, node) -> None:
    if w.scope.kind == "ignore":
        return
    if node.value is not None and (_dotted(node.annotation.annotation) or "").rsplit(".", 1)[-1] == "TypeAlias":
        # `Session: TypeAlias = AsyncSession`: an alias of the class (not an instance of TypeAlias)
        v = node.value
        at = (w.type_alias_term(v) if type(v) in (cst.Subscript, cst.BinaryOperation) else None) or w.term(v)
        _bind(w, node.target, at)
        return
    at = w.annotation_term(node.annotation)
    if node.value is not None:
        vt = w.term(node.value)
        if at is None:
            at = vt
        elif vt is not None and at != vt:
            # `self.middleware: MiddlewareT = BaseMiddleware()`: an annotation that names no class (a
            # `Callable` alias, a protocol) leaves the value's type
            at = ("OR", at, vt)
    _bind(w, node.target, at, annotated=True)


def _withitem_after(w: _Walker, node) -> None:
    if node.asname is not None and w.scope.kind != "ignore":
        _bind(w, node.asname.name, w.with_terms.pop(id(node), None))


def _with_before(w: _Walker, node) -> None:
    is_async = node.asynchronous is not None
    for item in node.items:
        t = w.term(item.item)
        # `with X() as x` binds what X.__enter__ returns; `async with`, what __aenter__ gives
        w.with_terms[id(item)] = None if t is None else (("AWI" if is_async else "WI"), t)
        if t is not None:
            is_call = type(item.item) is cst.Call
            if is_call or is_async:
                # entering runs __enter__ / __aenter__: a call of a project class's method (the
                # constructor call itself is a call site of its own)
                flags = F_WITH | F_ENTER | (F_AWAITED if is_async else 0)
            else:
                flags = F_WITH  # `with lock:` enters a typed object: a site of its own
            if id(item.item) not in w.want_before and id(item.item) not in w.want_after:
                w.want_before[id(item.item)] = (_iter_start, None)
                w.want_after[id(item.item)] = (_with_item_end, (t, flags))
        if is_async:
            w.awaited.add(id(item.item))  # `async with x()`: the CM protocol is awaited
    fs = w.func_scope()
    if (not is_async and fs is not None and fs is w.scope and any(type(i.item) in (cst.Name, cst.Attribute)
                                                                   for i in node.items)
            and id(node.body) not in w.want_before and id(node.body) not in w.want_after):
        # `with self._lock:`: the critical section's extent (``project._brief_sections``)
        w.want_before[id(node.body)] = (_section_start, (w.line, w.col))
        w.want_after[id(node.body)] = (_section_end, None)


def _section_start(w: _Walker, body, start) -> None:
    fs = w.func_scope()
    w.sections.append((start, len(fs.func.get("loops") or ()) if fs is not None else 0))


def _section_end(w: _Walker, body, _payload) -> None:
    (line, col), loops = w.sections.pop()
    fs = w.func_scope()
    if fs is not None:
        # [start line, start col, end line, end col, 1 when a loop runs inside]
        n = len(fs.func.get("loops") or ())
        fs.func.setdefault("sections", []).append([line, col, w.line, w.col, int(n > loops)])


def _with_before_all(w: _Walker, node) -> None:
    _with_before(w, node)
    _asyncwith_guard(w, node)


def _with_item_end(w: _Walker, node, payload) -> None:
    t, flags = payload
    p = w.iter_pos.pop(id(node), None)
    if p is not None:
        label = func_label(node)
        if flags & F_ENTER:
            label += ".__aenter__" if flags & F_AWAITED else ".__enter__"
        sc = w.scope
        extra = None
        if sc.kind == "function" and sc.loopstack and type(node) is cst.Call:
            extra = [_arg_names(node), sc.loopstack[-1]["index"]]  # `async with s.get(url_for(x))` per item
        w.record(t, flags, p[0], p[1], w.line, w.col, label, extra)


def _for_before(w: _Walker, node) -> None:
    is_async = node.asynchronous is not None
    w.want_before[id(node.body)] = (_enter_loop, (node, is_async))
    w.want_after[id(node.body)] = (_leave_loop, None)
    if is_async:
        fs = w.func_scope()
        if fs is not None:
            fs.func["awaits"] += 1


def _enter_loop(w: _Walker, body, payload) -> None:
    node, is_async = payload
    pos = None
    it = None
    if w.scope.kind != "ignore":
        it = w.term(node.iter)
        pos = w.iter_pos.pop(id(node.iter), None)
        if it is not None and w.scope.kind in ("function", "module") and pos is not None:
            # `async for` too: over a Django queryset it is a finite result (rows), not a stream
            w.record(it, F_ITER | (F_ASYNC_ITER if is_async else 0), pos[0], pos[1], pos[2], pos[3],
                     func_label(node.iter))
    _open_loop(w, "async_for" if is_async else "for", node, _target_names(node.target),
               w.text(*pos) if pos and len(pos) == 4 else "")
    if w.scope.kind != "ignore":
        _bind(w, node.target, None if it is None else (("AIT" if is_async else "IT"), it))


def _open_loop(w: _Walker, kind, node, targets, iter_text, line=None):
    s = w.scope
    s.loops += 1
    if s.kind != "function":
        s.loopstack.append({"index": -1, "flags": 0, "assigned": set()})
        return
    f = s.func
    loops = f.setdefault("loops", [])
    start = w.loop_line.pop(id(node), (w.line, 1)) if line is None else (line, 1)
    if kind == "for":
        w.for_spans[id(node)] = (f, len(loops), start)
    rec = {
        "index": len(loops),
        "kind": kind,
        "line": start[0],
        "col": start[1],
        "targets": targets,
        "iter": iter_text,
        "flags": L_ASYNC if kind in ("async_for", "async_comp") else 0,
        "assigned": set(),
        "before": set(s.locals),
        "node": node,
    }
    loops.append(None)  # filled when the loop closes
    s.loopstack.append(rec)


def _close_loop(w: _Walker) -> None:
    s = w.scope
    s.loops -= 1
    if not s.loopstack:
        return
    rec = s.loopstack.pop()
    if rec["index"] < 0:
        return
    assigned = rec["assigned"]
    carried = sorted((assigned & rec["before"]) - set(rec["targets"]))  # a reused loop name is not carried
    dependent = sorted(set(rec["targets"]) | (assigned - rec["before"]))
    if s.loopstack:  # names assigned in an inner loop are assigned in the outer one too
        s.loopstack[-1]["assigned"] |= assigned
        s.loopstack[-1]["flags"] |= rec["flags"] & (L_SLEEP)
    s.func["loops"][rec["index"]] = [
        rec["kind"], rec["line"], rec["col"], rec["targets"], dependent, carried, rec["flags"],
        rec["iter"], rec.get("span"), _span_text(w, rec.get("span")),
    ]
    if rec.get("node") is not None and rec["kind"] in ("comp", "async_comp"):
        w.comp_loop[id(rec["node"])] = rec["index"]


def _span_text(w: _Walker, span):
    """The loop's source (small loops only: the gather rewrite needs it)."""
    if not span or span[2] - span[0] > 12:
        return None
    t = w.text(span[0], span[1] - 1, span[2], span[3] - 1)
    return t if len(t) <= 800 else None


def _leave_loop(w: _Walker, body, _) -> None:
    _close_loop(w)


def _loop_span_start(w: _Walker, node, loop) -> None:
    w.loop_line[id(loop)] = (w.line, sum(len(t) for t in w.indent_tokens) + 1)


def _for_after(w: _Walker, node) -> None:
    # remember the statement's span for the gather rewrite: `for` keyword .. end of its body
    ent = w.for_spans.pop(id(node), None)
    if ent is not None:
        f, index, start = ent
        lp = f["loops"][index]
        if lp is not None:
            lp[8] = [start[0], start[1], w.line, w.col + 1]
            lp[9] = _span_text(w, lp[8])


def _while_before(w: _Walker, node) -> None:
    w.want_before[id(node.body)] = (_enter_plain_loop, node)
    w.want_after[id(node.body)] = (_leave_loop, None)
    w.want_before[id(node.test)] = (_loop_span_start, node)


def _enter_plain_loop(w: _Walker, body, node) -> None:
    _open_loop(w, "while", node, [], "")


_THREAD_WORDS = ("get_ident", "thread_id", "main_thread", "current_thread", "in_event_loop", "_is_loop_thread")


def _if_before(w: _Walker, node) -> None:
    """`if hass.loop_thread_id != threading.get_ident(): future.result()`: a thread-only branch."""
    test = node.test
    if w.attr_gate:
        _truth_test(w, test)
    if w.scope.loopstack and _failure_test(test) and id(node.body) not in w.want_before:
        w.want_before[id(node.body)] = (_failing_on, None)
        w.want_after[id(node.body)] = (_failing_off, None)
    elif w.scope.kind == "function" and _once_test(w, test, node.body) and id(node.body) not in w.want_before:
        w.want_before[id(node.body)] = (_once_on, None)
        w.want_after[id(node.body)] = (_once_off, None)
    elif w.scope.kind == "function" and _opt_in_test(w.scope, test):
        # `if access_token and service_account_email:` on optional parameters: a mode the caller opts into
        # (signing through the IAM API instead of the local key), not what every call does
        if id(node.body) not in w.want_before:
            w.want_before[id(node.body)] = (_shape_on, None)
            w.want_after[id(node.body)] = (_shape_off, None)
    elif w.scope.kind == "function" and _shape_test(test, 0):
        # the branch runs for some kinds of argument only (a path or a stream, an ISIN or a symbol): what
        # blocks in it is not what every call does (library derivation leaves it out)
        for b in (node.body, node.orelse):
            if b is not None and id(b) not in w.want_before:
                w.want_before[id(b)] = (_shape_on, None)
                w.want_after[id(b)] = (_shape_off, None)
    if type(test) is not cst.Comparison and type(test) is not cst.UnaryOperation:
        return
    try:
        code = w.module.code_for_node(test)
    except Exception:
        return
    if not any(word in code for word in _THREAD_WORDS):
        return
    negated = "!=" in code or " is not " in code or code.lstrip().startswith("not ")
    target = node.body if negated else node.orelse
    if target is None:
        return
    w.want_before[id(target)] = (_offloop_on, None)
    w.want_after[id(target)] = (_offloop_off, None)


# tests of what a value names (a path that exists, an ISIN: `is_isin(t)`): a branch only some arguments take.  Type
# dispatch (`isinstance(url, str)`, `hasattr(fp, "read")`) is not among them: it picks how to treat what the caller
# gave, and a URL string is what `feedparser.parse(url)` is given (file openings under such tests are judged by
# ``libfacts``' ``inspects``: a path or a stream)
_SHAPE_CALLS = frozenset(("isfile", "isdir", "exists"))


def _opt_in_test(scope, test) -> bool:
    """``a and b`` (two or more) on parameters that default to None."""
    opt = scope.optional
    if not opt or type(test) is not cst.BooleanOperation or type(test.operator) is not cst.And:
        return False
    leaves = []
    stack = [test]
    while stack and len(leaves) < 8:
        x = stack.pop()
        if type(x) is cst.BooleanOperation and type(x.operator) is cst.And:
            stack.extend((x.left, x.right))
        elif type(x) is cst.Name and not x.lpar:
            leaves.append(x.value)
        else:
            return False
    return len(leaves) >= 2 and all(n in opt for n in leaves)


def _shape_test(test, depth: int) -> bool:
    """A test of what a value names: ``is_isin(t)``, ``is_path(fp)``, ``os.path.isfile(key)`` (with ``not`` /
    ``and`` / ``or`` around it); not type dispatch (``_SHAPE_CALLS``)."""
    if depth > 4:
        return False
    t = type(test)
    if t is cst.Call:
        name = (_dotted(test.func) or "").rsplit(".", 1)[-1]
        return name in _SHAPE_CALLS or name.startswith(("is_", "_is_"))
    if t is cst.UnaryOperation:
        return _shape_test(test.expression, depth + 1)
    if t is cst.BooleanOperation:
        return _shape_test(test.left, depth + 1) or _shape_test(test.right, depth + 1)
    return False


def _shape_on(w: _Walker, node, _) -> None:
    w.scope.shape += 1


def _shape_off(w: _Walker, node, _) -> None:
    w.scope.shape -= 1


def _offloop_on(w: _Walker, node, _) -> None:
    w.scope.offloop += 1


def _offloop_off(w: _Walker, node, _) -> None:
    w.scope.offloop -= 1


def _break_before(w: _Walker, node) -> None:
    s = w.scope
    if s.loopstack:
        if s.failing and s.failing[-1] == len(s.loopstack):
            return  # giving up on an error (`if data is False: break`): every good iteration still waits
        s.loopstack[-1]["flags"] |= L_BREAK


def _failure_test(test) -> bool:
    """``not x``, ``x is None``, ``x is False``, ``x == None`` / ``False``: the branch handles a failure."""
    t = type(test)
    if t is cst.UnaryOperation:
        return isinstance(test.operator, cst.Not)
    if t is cst.Comparison and len(test.comparisons) == 1:
        c = test.comparisons[0]
        if isinstance(c.operator, (cst.Is, cst.Equal)) and isinstance(c.comparator, cst.Name) and \
                c.comparator.value in ("None", "False"):
            return True
    return False


def _once_test(w: _Walker, test, body) -> bool:
    """A cache-miss guard: ``key not in CACHE`` (a module-level or class-level mapping: an UPPER_CASE
    name or ``self._x`` / ``cls._x``) or ``self._x is None`` / ``_GLOBAL is None`` / ``not client`` (lazy
    initialisation of a module-level name that the function declares ``global``),
    whose body fills the cache itself (``CACHE[key] = ...`` / ``self._x = ...`` at its top level: a guard
    whose body calls an initialiser that may leave it empty, `self._init()`, may run every time).
    What runs under it happens once per key, not on every call."""
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not and not test.lpar:
        holder, subscript = test.expression, False  # `if not default_client:` (a falsy empty value)
    elif type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return False
    else:
        c = test.comparisons[0]
        op = c.operator
        if isinstance(op, cst.NotIn):
            holder, subscript = c.comparator, True
        elif isinstance(op, cst.Is) and isinstance(c.comparator, cst.Name) and c.comparator.value == "None":
            holder, subscript = test.left, False
        else:
            return False
    if isinstance(holder, cst.Name):
        n = holder.value
        # a module-level name, not a local of the function: a body that assigns it declares it `global`
        ok = (n.isupper() and len(n) > 1) or (n in w.globals and (
            n.startswith("_") or not subscript) and n not in w.scope.locals)
    elif isinstance(holder, cst.Attribute) and isinstance(holder.value, cst.Name):
        ok = holder.value.value in ("self", "cls") and holder.attr.value.startswith("_")
    else:
        ok = False
    return ok and _fills(body, _dotted(holder), subscript)


def _fills(body, name: Optional[str], subscript: bool) -> bool:
    """The body assigns ``name`` (``name[...]`` when ``subscript``) in one of its own statements."""
    if name is None or not isinstance(body, cst.IndentedBlock):
        return False
    for st in body.body:
        if isinstance(st, (cst.With, cst.Try)):
            # `with open(p) as fh: CACHE[k] = fh.read()`, `try: CACHE[k] = load(p)`
            if _fills(st.body, name, subscript):
                return True
            continue
        if not isinstance(st, cst.SimpleStatementLine):
            continue
        for x in st.body:
            targets = [t.target for t in x.targets] if isinstance(x, cst.Assign) else (
                [x.target] if isinstance(x, cst.AnnAssign) else [])
            for t in targets:
                if subscript and isinstance(t, cst.Subscript) and _dotted(t.value) == name:
                    return True
                if not subscript and _dotted(t) == name:
                    return True
    return False


def _once_on(w: _Walker, node, _) -> None:
    w.scope.once += 1


def _once_off(w: _Walker, node, _) -> None:
    w.scope.once -= 1


def _failing_on(w: _Walker, node, _) -> None:
    w.scope.failing.append(len(w.scope.loopstack))


def _failing_off(w: _Walker, node, _) -> None:
    if w.scope.failing:
        w.scope.failing.pop()


def _except_before(w: _Walker, node) -> None:
    loop = bool(w.scope.loopstack) and id(node.body) not in w.want_before
    duck = _duck_handler(node) and id(node.body) not in w.want_before
    if loop or duck:
        w.want_before[id(node.body)] = (_handler_on, (loop, duck))
        w.want_after[id(node.body)] = (_handler_off, (loop, duck))


def _duck_handler(node) -> bool:
    """``except AttributeError:`` / ``except TypeError:``: the handler runs when the value was not of the
    type the try body used it as (`qs.all().count()` failed: a plain list), so it is not judged as that
    type (``len(queryset)`` there is the length of a list)."""
    t = node.type
    names = [t] if type(t) is not cst.Tuple else [e.value for e in t.elements]
    return any(type(n) is cst.Name and n.value in ("AttributeError", "TypeError") for n in names)


def _handler_on(w: _Walker, body, p) -> None:
    if p[0]:
        _failing_on(w, body, None)
    if p[1]:
        w.duck += 1


def _handler_off(w: _Walker, body, p) -> None:
    if p[0]:
        _failing_off(w, body, None)
    if p[1]:
        w.duck -= 1


def _asyncwith_guard(w: _Walker, node) -> None:
    if node.asynchronous is None or w.scope.kind != "function":
        return
    labels = " ".join(func_label(i.item).lower() for i in node.items)
    if any(word in labels for word in _GUARD_WORDS):
        w.want_before[id(node.body)] = (_guard_on, None)
        w.want_after[id(node.body)] = (_guard_off, None)


def _guard_on(w: _Walker, body, _) -> None:
    w.scope.guarded += 1


def _guard_off(w: _Walker, body, _) -> None:
    w.scope.guarded -= 1


def _for_iter_track(w: _Walker, node) -> None:
    # remember where the iterable expression of a `for` starts and ends
    w.want_before[id(node.iter)] = (_iter_start, None)
    w.want_after[id(node.iter)] = (_iter_end, None)


def _truth_test(w: _Walker, expr, depth: int = 0) -> None:
    """``if qs:`` / ``not qs`` / ``qs or []`` / ``a if qs else b`` / ``assert qs``: the value is tested for
    truth, which evaluates a Django QuerySet (``QuerySet.__bool__`` fetches every row).  Recorded as an
    iteration site flagged ``F_TRUTH`` (modules behind the attribute gate only); the project phase judges it
    on catalog types that say so (``truth``), so a model instance, a manager or a list stays silent."""
    if depth > 6 or not w.attr_gate:
        return
    s = w.scope
    if s.kind != "function" or s.offloop or w.duck:
        return
    t = type(expr)
    if t is cst.UnaryOperation:
        if type(expr.operator) is cst.Not:
            _truth_test(w, expr.expression, depth + 1)
        return
    if t is cst.BooleanOperation:
        # in a test position both operands are tested (the left one always is: ``_boolop_before``)
        _truth_test(w, expr.left, depth + 1)
        _truth_test(w, expr.right, depth + 1)
        return
    if (t is not cst.Name and t is not cst.Attribute and t is not cst.Call and t is not cst.Subscript) or expr.lpar:
        return
    if id(expr) in w.want_before or id(expr) in w.want_after:
        return
    w.want_before[id(expr)] = (_iter_start, None)
    w.want_after[id(expr)] = (_evaluation_end, F_TRUTH)


def _evaluation_end(w: _Walker, node, flag) -> None:
    """After a truth-tested (``F_TRUTH``) or membership-tested (``F_MEMBER``) operand: record it as an
    iteration of its value."""
    p = w.iter_pos.pop(id(node), None)
    if p is None or len(p) != 2:
        return
    it = w.term(node)
    if it is not None and it[0] in _CHAIN:
        w.record(it, F_ITER | flag, p[0], p[1], w.line, w.col, func_label(node))


def _comparison_before(w: _Walker, node) -> None:
    """``obj in qs`` / ``obj not in qs``: a membership test iterates the right operand (a QuerySet has no
    ``__contains__``: it fetches every row).  Recorded like a truth test (``F_MEMBER``)."""
    if not w.attr_gate:
        return
    s = w.scope
    if s.kind != "function" or s.offloop or w.duck:
        return
    for c in node.comparisons:
        if type(c.operator) is cst.In or type(c.operator) is cst.NotIn:
            e = c.comparator
            if type(e) in (cst.Name, cst.Attribute, cst.Call) and not e.lpar and id(e) not in w.want_before \
                    and id(e) not in w.want_after:
                w.want_before[id(e)] = (_iter_start, None)
                w.want_after[id(e)] = (_evaluation_end, F_MEMBER)


def _not_before(w: _Walker, node) -> None:
    if w.attr_gate and type(node.operator) is cst.Not:
        _truth_test(w, node.expression)


def _boolop_before(w: _Walker, node) -> None:
    if w.attr_gate:
        _truth_test(w, node.left)  # `qs or []`, `qs and qs[0]`: the left operand is tested


def _ifexp_before(w: _Walker, node) -> None:
    if w.attr_gate:
        _truth_test(w, node.test)


def _assert_before(w: _Walker, node) -> None:
    if w.attr_gate:
        _truth_test(w, node.test)


def _iter_start(w: _Walker, node, _) -> None:
    w.iter_pos[id(node)] = [w.line, w.col]


def _iter_end(w: _Walker, node, _) -> None:
    p = w.iter_pos.get(id(node))
    if p is not None:
        p.extend((w.line, w.col))


def _for_before_all(w: _Walker, node) -> None:
    _for_iter_track(w, node)
    _for_before(w, node)
    w.want_before[id(node.target)] = (_loop_span_start, node)


def _comp_before(w: _Walker, node) -> None:
    """A comprehension runs in a loop.  Its element is generated before its `for` clauses, so the
    loop opens here, with the clauses' targets bound up front."""
    clauses = []
    f = node.for_in
    while f is not None:
        clauses.append(f)
        f = f.inner_for_in
    is_async = any(c.asynchronous is not None for c in clauses)
    targets = []
    for c in clauses:
        targets.extend(_target_names(c.target))
    w.comp_starts[id(node)] = (w.line, w.col)
    gathered = id(node) in w.gather_comps
    if clauses:
        # the outermost iterable is evaluated once, in the enclosing scope, before the loop starts
        w.compfor_owner[id(clauses[0])] = node
    _open_loop(w, "async_comp" if is_async else "comp", node, targets,
               _WS.sub(" ", func_label(clauses[0].iter)) if clauses else "", line=w.line)
    s = w.scope
    if s.loopstack and s.loopstack[-1].get("node") is node:
        s.loopstack[-1]["col"] = w.col + 1
        if gathered:
            s.loopstack[-1]["flags"] |= L_GATHER
    if s.kind != "ignore":
        for c in clauses:
            it = w.term(c.iter)
            _bind(w, c.target, None if it is None else (("AIT" if c.asynchronous is not None else "IT"), it))


def _comp_after(w: _Walker, node) -> None:
    start = w.comp_starts.pop(id(node), None)
    s = w.scope
    if s.loopstack and start is not None and s.loopstack[-1].get("node") is node:
        s.loopstack[-1]["span"] = [start[0], start[1] + 1, w.line, w.col + 1]
    _close_loop(w)


def _compfor_before(w: _Walker, node) -> None:
    w.want_after[id(node.iter)] = (_compfor_iter_done, node)
    w.want_before[id(node.iter)] = (_compfor_iter_start, node)


def _compfor_iter_start(w: _Walker, it_node, node) -> None:
    _iter_start(w, it_node, None)
    if id(node) in w.compfor_owner:
        w.scope.loops -= 1  # not inside the comprehension's loop (restored when the iterable ends)


def _compfor_iter_done(w: _Walker, it_node, node) -> None:
    if w.compfor_owner.pop(id(node), None) is not None:
        w.scope.loops += 1
    is_async = node.asynchronous is not None
    if w.scope.kind == "ignore":
        return
    it = w.term(node.iter)
    p = w.iter_pos.pop(id(node.iter), None)
    if it is not None and not is_async and p is not None:
        w.record(it, F_ITER, p[0], p[1], w.line, w.col, func_label(node.iter))
    if is_async:
        fs = w.func_scope()
        if fs is not None:
            fs.func["awaits"] += 1
        if type(node.iter) is cst.Name and w.scope.kind == "function":
            _evaluation(w.scope, node.iter.value, F_ASYNC_ITER)  # `[x async for x in qs]` fills qs's result cache


def _yield_after(w: _Walker, node) -> None:
    if w.scope.kind == "function":
        for rec in w.scope.loopstack:
            rec["flags"] |= L_YIELD  # each iteration's result is handed on in order
    fs = w.func_scope()
    if fs is not None and node.value is not None and not isinstance(node.value, cst.From):
        f = fs.func
        if f.get("yield_from") is None:
            f["yield_from"] = w.term(node.value)


def _return_after(w: _Walker, node) -> None:
    s = w.scope
    if s.failing and s.loopstack and s.failing[-1] == len(s.loopstack):
        pass  # giving up on an error: not a search loop
    else:
        for lp in s.loopstack:
            lp["flags"] |= L_BREAK  # an early return ends the loop: a search / fallback loop
    fs = w.func_scope()
    if fs is not None and node.value is not None:
        f = fs.func
        if f["returns"] is None and f["ret_from"] is None:
            f["ret_from"] = w.term(node.value)
        elif f["returns"] is not None and w.attr_gate and "ret_val" not in f:
            # annotated `-> Book` in a module that may hold models: what it returns may be a Book whose
            # relations were preloaded (`select_related(...).get()`), which the annotation does not say
            # (``Resolver.call_result``)
            rv = w.term(node.value)
            if rv is not None and rv[0] in ("R", "AW"):  # `return qs.get()`, `return await qs.afirst()`
                f["ret_val"] = rv


def _import_after(w: _Walker, node) -> None:
    s = w.scope
    if s.kind == "module":
        return  # module-level imports were collected by the pre-pass
    for alias in node.names:
        dotted = _dotted(alias.name) or ""
        if alias.asname is not None:
            s.locals[alias.asname.name.value] = ("Q", dotted)
        else:
            root = dotted.split(".", 1)[0]
            s.locals[root] = ("Q", root)


def _importfrom_after(w: _Walker, node) -> None:
    s = w.scope
    if s.kind == "module" or isinstance(node.names, cst.ImportStar):
        return
    base = _from_module(w.mod, w.is_pkg, node)
    if not w.attr_gate and _attr_gate({"": base}):
        # `from app.models import Book` inside a function (a circular import avoided): the module holds ORM
        # values from here on
        w.attr_gate = True
        w.eval_gate = True
    for alias in node.names:
        n = alias.name.value if isinstance(alias.name, cst.Name) else _dotted(alias.name)
        local = alias.asname.name.value if alias.asname is not None else n
        s.locals[local] = ("Q", (base + "." if base else "") + n)


def _from_module(mod: str, is_pkg: bool, node) -> str:
    name = _dotted(node.module) if node.module is not None else ""
    level = len(node.relative)
    if level == 0:
        return name or ""
    parts = mod.split(".")
    if not is_pkg:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    base = ".".join(parts)
    if name:
        return base + "." + name if base else name
    return base


_BEFORE = {
    cst.Attribute: _attr_before,
    cst.Subscript: _subscript_before,
    cst.AssignTarget: _store_target,
    cst.AnnAssign: _store_target,
    cst.AugAssign: _store_target,
    cst.Call: _call_before,
    cst.Await: _await_before,
    cst.FunctionDef: _funcdef_before,
    cst.ClassDef: _classdef_before,
    cst.Lambda: _lambda_before,
    cst.With: _with_before_all,
    cst.For: _for_before_all,
    cst.While: _while_before,
    cst.ListComp: _comp_before,
    cst.SetComp: _comp_before,
    cst.DictComp: _comp_before,
    cst.GeneratorExp: _comp_before,
    cst.CompFor: _compfor_before,
    cst.Break: _break_before,
    cst.If: _if_before,
    cst.ExceptHandler: _except_before,
    cst.UnaryOperation: _not_before,
    cst.Comparison: _comparison_before,
    cst.BooleanOperation: _boolop_before,
    cst.IfExp: _ifexp_before,
    cst.Assert: _assert_before,
    cst.Global: _global_before,
    cst.IndentedBlock: _block_before,
    cst.SimpleStatementSuite: _block_before,
}
def _namedexpr_after(w: _Walker, node) -> None:
    """``(task := await Task.objects.filter(...).afirst())``: the name is bound like an assignment."""
    if w.scope.kind == "ignore":
        return
    _bind(w, node.target, w.term(node.value))


_AFTER = {
    cst.NamedExpr: _namedexpr_after,
    cst.Attribute: _attr_after,
    cst.Subscript: _subscript_after,
    cst.Call: _call_after,
    cst.For: _for_after,
    cst.Lambda: _lambda_after,
    cst.Assign: _assign_after,
    cst.AnnAssign: _annassign_after,
    cst.WithItem: _withitem_after,
    cst.Return: _return_after,
    cst.Yield: _yield_after,
    cst.Import: _import_after,
    cst.ImportFrom: _importfrom_after,
    cst.ListComp: _comp_after,
    cst.SetComp: _comp_after,
    cst.DictComp: _comp_after,
    cst.GeneratorExp: _comp_after,
    cst.IndentedBlock: _block_after,
    cst.SimpleStatementSuite: _block_after,
}

from . import fastgen as _fastgen  # noqa: E402  (needs _Walker and the handler tables)

_fastgen.install(_Walker, (_BEFORE, _AFTER))

# ---- module pre-pass: module-level names --------------------------------------------------------


def _prepass(stmts, mod, is_pkg, names, imports, depth=0):
    for st in stmts:
        t = type(st)
        if t is cst.SimpleStatementLine:
            for small in st.body:
                ts = type(small)
                if ts is cst.Import:
                    for alias in small.names:
                        dotted = _dotted(alias.name) or ""
                        if alias.asname is not None:
                            local = alias.asname.name.value
                            imports[local] = dotted
                        else:
                            local = dotted.split(".", 1)[0]
                            imports[local] = local
                        names[local] = "import"
                elif ts is cst.ImportFrom:
                    if isinstance(small.names, cst.ImportStar):
                        # `from app.models import *`: the names it brings are looked up there (project
                        # phase, ``ProjectIndex.module_symbol``); keys `*0`, `*1`... are no identifiers
                        base = _from_module(mod, is_pkg, small)
                        if base:
                            imports["*%d" % sum(1 for k in imports if k[:1] == "*")] = base
                        continue
                    base = _from_module(mod, is_pkg, small)
                    for alias in small.names:
                        n = alias.name.value if isinstance(alias.name, cst.Name) else _dotted(alias.name)
                        local = alias.asname.name.value if alias.asname is not None else n
                        imports[local] = (base + "." if base else "") + n
                        names[local] = "import"
                elif ts in (cst.Assign, cst.AnnAssign, cst.AugAssign):
                    targets = [x.target for x in small.targets] if ts is cst.Assign else [small.target]
                    for tg in targets:
                        for n in _target_names(tg):
                            if names.get(n) != "import" or ts is not cst.AugAssign:
                                names[n] = "global"
        elif t is cst.FunctionDef:
            names[st.name.value] = "def"
        elif t is cst.ClassDef:
            names[st.name.value] = "class"
        elif depth < 3 and t in _BLOCK_STMTS:
            blocks = [st.body]
            if t is cst.If and st.orelse is not None:
                blocks.append(st.orelse.body if isinstance(st.orelse, cst.Else) else None)
                if isinstance(st.orelse, cst.If):
                    _prepass([st.orelse], mod, is_pkg, names, imports, depth + 1)
                    blocks.pop()
            if t is not cst.If and t is not cst.With:
                blocks.extend(h.body for h in st.handlers)
                if st.orelse is not None:
                    blocks.append(st.orelse.body)
                if st.finalbody is not None:
                    blocks.append(st.finalbody.body)
            for b in blocks:
                if b is not None and isinstance(b, cst.IndentedBlock):
                    _prepass(b.body, mod, is_pkg, names, imports, depth + 1)


_BLOCK_STMTS = (cst.If, cst.Try, cst.With) + ((cst.TryStar,) if hasattr(cst, "TryStar") else ())


def _target_names(tg):
    if isinstance(tg, cst.Name):
        return [tg.value]
    if isinstance(tg, (cst.Tuple, cst.List)):
        out = []
        for el in tg.elements:
            out.extend(_target_names(el.value))
        return out
    if isinstance(tg, cst.StarredElement):
        return _target_names(tg.value)
    return []


def _import_line(tree) -> int:
    """1-based line where a new import goes: after the docstring and ``__future__`` imports."""
    line = 1 + sum(1 for _ in tree.header)
    for st in tree.body:
        if not isinstance(st, cst.SimpleStatementLine) or len(st.body) != 1:
            break
        small = st.body[0]
        is_doc = isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))
        is_future = isinstance(small, cst.ImportFrom) and _dotted(small.module) == "__future__" if isinstance(
            small, cst.ImportFrom) and small.module is not None else False
        if not (is_doc or is_future):
            break
        line += tree.code_for_node(st).count("\n")
    return line


def _detect_lib(imports: dict) -> str:
    roots = {q.split(".", 1)[0] for q in imports.values()}
    for lib in ("trio", "anyio"):
        if lib in roots and "asyncio" not in roots:
            return lib
    return "asyncio"


# ---- entry point ---------------------------------------------------------------------------------


def _syntax_error(text: str, e) -> list:
    """Position and reason of a syntax error; CPython's own message when it agrees the file is invalid."""
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as se:
        if se.lineno:
            return [se.lineno, max(1, se.offset or 1), f"syntax error: {se.msg}"]
    except (RecursionError, MemoryError):
        return [e.raw_line, e.raw_column + 1, "nested too deeply for the parser (Python refuses it too)"]
    except ValueError:
        pass
    else:  # Python accepts it: libcst's parser has a limit here (e.g. thousands of adjacent strings)
        why = e.message.strip().split("\n")[0]
        return [e.raw_line, e.raw_column + 1, f"valid Python, but beyond libcst's parser limits ({why}); not analysed"]
    return [e.raw_line, e.raw_column + 1, "syntax error: " + e.message.strip().split("\n")[0]]


_MAIN_GUARD = re.compile(r"""^if\s+(?:__name__\s*==\s*(['"])__main__\1|(['"])__main__\2\s*==\s*__name__)\s*:""",
                         re.M)


def decode_source(data: bytes):
    """Decode like Python does (BOM, coding cookie, default UTF-8). Returns (text, error)."""
    if b"\x00" in data:
        return None, (1, 1, "file contains null bytes (binary file?)")
    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as e:
        return None, (1, 1, f"cannot detect encoding: {e}")
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as e:
        bad = getattr(e, "start", 0)
        line = data[:bad].count(b"\n") + 1 if isinstance(bad, int) else 1
        return None, (line, 1, f"cannot decode file as {enc}: {e}")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


def analyze(data: bytes, path: str, module: str, is_pkg: bool = False, user_patterns=()) -> dict:
    """Analyse one file's bytes. Never raises for bad input: errors become ``summary['error']``.

    Runs on the parse thread, whose big stack takes libcst's deep recursion (see ``parseguard``)."""
    return parseguard.call(_analyze, data, path, module, is_pkg, user_patterns)


def _analyze(data: bytes, path: str, module: str, is_pkg: bool = False, user_patterns=()) -> dict:
    summary = {
        "v": SUMMARY_VERSION,
        "path": path,
        "module": module,
        "error": None,
        "lib": "asyncio",
        "noqa": {},
        "file_noqa": None,
        "globals": {},
        "classes": {},
        "functions": {},
        "module_calls": [],
        "imports": {},
        "prefixes": {},
    }
    text, err = decode_source(data)
    if err is not None:
        summary["error"] = list(err)
        return summary
    too_deep = parseguard.precheck(data, text, path)
    if too_deep is not None:  # CPython refuses it for depth: libcst could crash or take minutes on it
        summary["error"] = too_deep
        return summary
    try:
        tree = _fastgen.parse_module(text)
    except cst.ParserSyntaxError as e:
        summary["error"] = _syntax_error(text, e)
        return summary
    except RecursionError:
        summary["error"] = [1, 1, "file is nested too deeply to parse"]
        return summary
    except Exception as e:  # libcst raises a few other errors on odd input
        summary["error"] = [1, 1, f"cannot parse file: {type(e).__name__}: {e}"]
        return summary

    names: Dict[str, str] = {}
    imports: Dict[str, str] = {}
    _prepass(tree.body, module, is_pkg, names, imports)
    summary["lib"] = _detect_lib(imports)
    summary["imports"] = imports

    summary["import_line"] = _import_line(tree)
    # a script module (`if __name__ == "__main__":`): its sync functions' asyncio.run(...) loops are a command
    # line's own (severity by reach, project._resolve_calls)
    summary["main_guard"] = bool(_MAIN_GUARD.search(text))
    w = _Walker(default_indent=tree.default_indent, default_newline=tree.default_newline)
    w.line = 1
    w.col = 0
    w.mod = module
    w.module = tree
    w.is_pkg = is_pkg
    # lines as the walker counts them: "\n", "\r\n" or a lone "\r" end a line; form feeds do not
    w.src_lines = [ln + "\n" for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    w.want_before = {}
    w.want_after = {}
    w.call_start = {}
    w.awaited = set()
    w.summary = summary
    summary["module_calls_holder"] = {"calls": summary["module_calls"]}
    w.module_names = names
    w.imports = imports
    w.functions = summary["functions"]
    w.classes = summary["classes"]
    w.globals = summary["globals"]
    w.user_patterns = tuple(user_patterns)
    w.with_terms = {}
    w.sections = []  # open `with lock:` bodies: (start, loops opened before)
    w.iter_pos = {}
    w.attr_gate = _attr_gate(imports)
    w.eval_gate = w.attr_gate or _eval_gate(imports)
    w.channels_user = any(v.startswith("channels.") for v in imports.values()) and w.attr_gate
    w.django_request = _django_request(imports)
    w.sub_reads = {}
    w.duck = 0  # inside `except AttributeError / TypeError:` handlers (``_duck_handler``)
    w.attr_reads = {}
    w.gather_comps = set()
    w.comp_loop = {}  # comprehension node id -> its loop's index; (scope id, name) -> the same when assigned
    w.no_read = set()
    w.loop_line = {}
    w.for_spans = {}
    w.comp_starts = {}
    w.compfor_owner = {}
    w.scope = Scope("module", module, None)
    # suppression comments: collected by the walk itself when the file can hold one (fast path only)
    scan = needs_scan(text)
    w.comments = [] if scan and _fastgen.installed() else None
    import sys

    old_limit = sys.getrecursionlimit()
    try:
        # long flat chains (500 `and`s, 600 `elif`s) nest deeply in the tree. The walk uses ~1.1 KB of C
        # stack a nesting level (measured): 30,000 frames are safe on an 8 MB stack, 120,000 (~40,000
        # levels, ~45 MB) on the parse thread's big one (parseguard)
        deep = parseguard.on_parse_thread() and parseguard.stack_size() >= (256 << 20)
        sys.setrecursionlimit(max(old_limit, 120000 if deep else 30000))
        tree._codegen(w)
    except RecursionError:
        summary["error"] = [1, 1, "file is nested too deeply to analyse"]
    finally:
        sys.setrecursionlimit(old_limit)
    del summary["module_calls_holder"]
    if scan:
        if w.comments is not None and not summary["error"]:
            sup = from_comments(w.comments, w.src_lines)
        else:
            sup = parse_suppressions(text)
        summary["noqa"] = {str(k): (sorted(v) if v is not None else None) for k, v in sup.by_line.items()}
        fc = sup.file_codes
        summary["file_noqa"] = "*" if fc is None else (sorted(fc) if fc else None)
    if not summary["error"]:
        # `import redis` then `redis = redis.Redis(host=...)`: the module's name is the client it made (module-level
        # imports come first; an object built from the module replaces it for the modules that import the name)
        _drop_typed_calls(summary, module)
        shadow = [n for n, t in summary["globals"].items() if t is not None and t[0] == "R" and n in imports]
        if shadow:
            summary["shadow"] = shadow
            for n in shadow:  # the value was built from the module: `redis.Redis` reads the import
                summary["globals"][n] = _substitute(summary["globals"][n], ("L", module, n), ("Q", imports[n]))
        _drop_plain_reads(summary, w.attr_gate)
        _open_calls(summary)
        _model_fields(summary)
    return summary


def _drop_typed_calls(summary: dict, module: str) -> None:
    """Constructor and call arguments (``_record_ctor_args``) of this module's own classes and functions whose
    parameters are all typed are read by nobody: dropped (most calls of a typed code base)."""
    ca = summary.get("ctor_args")
    if not ca:
        return
    funcs = summary["functions"]
    classes = summary["classes"]
    for name in list(ca):
        q = module + "." + name
        own = funcs.get(q + ".__init__") if q in classes else funcs.get(q)
        if own is None or own.get("untyped"):
            continue
        local = (("L", module, name), ("Q", q), ("C", q), ("F", q))
        kept = [e for e in ca[name] if e[0] not in local]
        if kept:
            ca[name] = kept
        else:
            del ca[name]
    if not ca:
        del summary["ctor_args"]


def _substitute(term, old, new):
    """``term`` with every occurrence of the sub-term ``old`` replaced by ``new``."""
    if term == old:
        return new
    if type(term) is tuple:
        t = tuple(_substitute(x, old, new) for x in term)
        if len(t) == 3 and t[0] == "A" and type(t[1]) is tuple and t[1][0] == "Q" and term[1] != t[1]:
            return ("Q", t[1][1] + "." + t[2])  # `redis.Redis` of the import: a qualified name, as the walk writes it
        return t
    return term


# what a Django model's class body declares: its fields, relations and managers
_MODEL_FIELD_MODULES = ("django.db.models.", "django.contrib.postgres.fields.", "django.contrib.gis.db.models.")


def _model_fields(summary: dict) -> None:
    """A class whose body declares Django model fields (`name = models.CharField(...)`, a relation, a
    manager) is marked ``fields``: a model even when its base cannot be followed (a third-party abstract
    model such as django-extensions' ``TimeStampedModel``, not installed where the linter runs; see
    ``ProjectIndex.class_member``).  Forms and serializers declare ``forms.`` / ``serializers.`` fields:
    not these."""
    for c in summary["classes"].values():
        for v in c["attrs"].values():
            if v and (v[0] == "REL" or (v[0] == "R" and v[1] and v[1][0] == "Q" and isinstance(v[1][1], str)
                                        and v[1][1].startswith(_MODEL_FIELD_MODULES))):
                c["fields"] = 1
                break


_CHAIN = frozenset(("A", "R", "AW", "S", "IT", "WI"))


def _drop_plain_reads(summary: dict, models: bool) -> None:
    """Attribute reads that cannot run a getter, and repeated ones: ``self.x`` where the method's own class
    (in this module) assigns ``x`` and defines no method ``x``; ``self.method`` (a bound method, not a
    property); a second read of the same attribute of the same value in one function (the first one stands
    for it).  In a module that may hold models (``models``: the attribute gate), a class attribute with a
    value may be a foreign key: kept.  Most reads in a large code base are of these kinds."""
    classes = summary["classes"]
    functions = summary["functions"]
    for f in functions.values():
        calls = f["calls"]
        if not calls:
            continue
        cls = f["cls"]
        c = classes.get(cls) if cls is not None else None
        attrs, methods = (c["attrs"], c["methods"]) if c is not None else ({}, {})
        keep = []
        dropped = False
        seen = set()
        for rec in calls:
            if rec[5] & F_ATTR:
                t = rec[4]
                b = t[1]
                if c is not None and b[0] == "I" and b[1] == cls:
                    x = t[2]
                    m = methods.get(x)
                    if m is None:
                        plain = x in attrs and (not models or attrs[x] is None)
                    else:
                        plain = not (functions.get(m) or {}).get("prop")
                    if plain:
                        dropped = True
                        continue
                key = (repr(t), rec[5] & F_LOOP)
                if key in seen:
                    dropped = True
                    continue
                seen.add(key)
            keep.append(rec)
        if dropped:
            f["calls"] = keep


def _open_calls(summary: dict) -> None:
    """Per method, the calls whose receiver is an attribute its class leaves to subclasses: ``cls.model``
    / ``self.model`` where the class says ``model = None`` (or, in a class without bases, never sets it).
    ``f["open"]``: those calls' ``[term, flags, text, label]`` (part of the module's interface: a caller that reaches the
    method through a subclass resolves them again with the subclass's attribute, see
    ``project._specialize``)."""
    classes = summary["classes"]
    for f in summary["functions"].values():
        cls = f["cls"]
        if cls is None or not f["calls"]:
            continue
        c = classes.get(cls)
        if c is None:
            continue
        attrs, methods, nobases = c["attrs"], c["methods"], not c["bases"]
        out = None
        for rec in f["calls"]:
            if rec[5] & F_ATTR:
                continue  # a read, not a call (properties are followed through the subclass's own class)
            t = rec[4]
            prev = None
            while t is not None and t[0] in _CHAIN:
                prev, t = t, t[1]
            if t is None or prev is None or prev[0] != "A" or t[0] not in ("C", "I") or t[1] != cls:
                continue
            x = prev[2]
            if prev is rec[4] and x not in methods and x not in attrs:
                # `self.get_one(...)` on a member the class does not define (a mixin's host provides it):
                # ``f["mixin"]``, the names (``project._host_calls`` resolves them in the receiver's class)
                mx = f.setdefault("mixin", [])
                if x not in mx:
                    mx.append(x)
            if x in methods or attrs.get(x) is not None or (x not in attrs and not nobases):
                continue
            if out is None:
                out = f["open"] = []
            out.append(rec[4:8])  # [term, flags, text, label]: no position (an edit above must not change it)
    # a method that calls the mixin's own methods which need the host (`create_container` ->
    # `self.create_container_from_config(...)` -> `self._post_json(...)`): it needs the same members of the host
    funcs = summary["functions"]
    changed = True
    while changed:
        changed = False
        for f in funcs.values():
            cls = f["cls"]
            c = classes.get(cls) if cls is not None else None
            if c is None:
                continue
            for rec in f["calls"]:
                t = rec[4]
                if rec[5] & F_ATTR or t is None or t[0] != "A" or t[1] is None or t[1][0] not in ("I", "C") \
                        or t[1][1] != cls:
                    continue
                g = funcs.get(c["methods"].get(t[2]) or "")
                if g is None or g is f or not g.get("mixin") or g["async"] != f["async"]:
                    continue
                mx = f.setdefault("mixin", [])
                for x in g["mixin"]:
                    if x not in mx:
                        mx.append(x)
                        changed = True
