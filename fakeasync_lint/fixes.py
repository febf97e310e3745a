"""Fix edits for blocking calls, computed from the call as written.

Every fix is a set of *minimal* edits relative to the original file: the call's own text (its
arguments, comments, line breaks) is kept, and only the parts that change are replaced::

    time.sleep(  # why        ->  await asyncio.sleep(  # why
        0.25)                          0.25)
    cur.execute(q, p)         ->  await asyncio.to_thread(cur.execute, q, p)
    cur.fetchall()[0]         ->  (await asyncio.to_thread(cur.fetchall))[0]
    User.objects.get(pk=1)    ->  await User.objects.aget(pk=1)
    asyncio.run(main())       ->  await main()
    fut.result()              ->  await asyncio.wrap_future(fut)

A fix that needs ``import asyncio`` (or ``anyio``/``trio``) carries one more edit inserting it after
the module docstring and ``__future__`` imports (``summary["import_line"]``); the applier adds it
once per file.  Applicability follows the issue's table: ``sleep``/``await_arg``/``wrap_future``/
``django_async`` rewrites are safe, ``to_thread`` is unsafe, driver swaps are display-only.  A
rewrite that adds ``await`` is never offered inside a generator expression (it would become an
async generator); when the analysis cannot say (``in_genexp`` unknown) and the call is inside a
loop or comprehension, a safe rewrite is downgraded to unsafe.
"""
from __future__ import annotations

import functools

import re
from typing import List, Optional, Sequence, Tuple

import libcst as cst

from .models import DISPLAY_ONLY, SAFE, UNSAFE, Edit, Fix, Location

TO_THREAD = {"asyncio": "asyncio.to_thread", "anyio": "anyio.to_thread.run_sync", "trio": "trio.to_thread.run_sync"}
SLEEP = {"asyncio": "asyncio.sleep", "anyio": "anyio.sleep", "trio": "trio.sleep"}
# asyncio before 3.9 (no asyncio.to_thread): the loop's default executor, positional arguments only
RUN_IN_EXECUTOR = "asyncio.get_running_loop().run_in_executor(None, "

# Django's a-prefixed async twins: method -> the Django version that added it (reference §4.3).
DJANGO_TWINS = {
    **{m: "4.1" for m in (
        "get create get_or_create update_or_create bulk_create bulk_update count in_bulk latest earliest "
        "first last aggregate exists contains update delete explain").split()},
    **{m: "4.2" for m in "save refresh_from_db add remove clear set".split()},
    **{m: "5.2" for m in "create_user create_superuser get_by_natural_key".split()},
}

_EMPTY = cst.Module(body=[])
_EMPTY_CRLF = cst.Module(body=[], default_newline="\r\n")
_EMPTY_CR = cst.Module(body=[], default_newline="\r")
_TEXT_LIMIT = "\u2026"  # analysis cuts call texts longer than 2000 characters and ends them with an ellipsis


def _truncated(text: str) -> bool:
    return len(text) >= 2000 and text.endswith(_TEXT_LIMIT)


def _code(node, newline: str = "\n") -> str:
    mod = _EMPTY if newline == "\n" else _EMPTY_CRLF if newline == "\r\n" else _EMPTY_CR
    return mod.code_for_node(node)


def _newline_of(text: str) -> str:
    """The newline a call text uses (libcst renders line breaks inside it with the module's newline)."""
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    if i < 0 and "\r" in text:
        return "\r"
    return "\n"


# ---- call anatomy ------------------------------------------------------------------------------


class _Call:
    """Offsets (into the call text) of the parts of a call, checked against the text itself."""

    __slots__ = ("text", "node", "start", "func_end", "lpar", "args_start", "rpar", "end", "parenthesized",
                 "args", "nl")

    def __init__(self, text: str, node: cst.Call):
        self.text = text
        self.node = node
        self.nl = _newline_of(text)
        _code = self.code
        pre = sum(len(_code(p)) for p in node.lpar)
        self.parenthesized = bool(node.lpar)
        self.start = pre
        off = pre + len(_code(node.func))
        self.func_end = off
        off += len(_code(node.whitespace_after_func))
        self.lpar = off
        off += 1 + len(_code(node.whitespace_before_args))
        self.args_start = off
        # (arg node, arg start, value start, value end, arg end incl. comma/whitespace)
        self.args: List[Tuple[cst.Arg, int, int, int, int]] = []
        for a in node.args:
            a0 = off
            v0 = a0 + len(a.star) + len(_code(a.whitespace_after_star))
            if a.keyword is not None:
                v0 += len(_code(a.keyword))
                if isinstance(a.equal, cst.AssignEqual):
                    v0 += len(_code(a.equal))
            v1 = v0 + len(_code(a.value))
            off = a0 + len(_code(a))
            self.args.append((a, a0, v0, v1, off))
        self.rpar = off
        self.end = off + 1

    def code(self, node) -> str:
        return _code(node, self.nl)

    def valid(self) -> bool:
        t = self.text
        _code = self.code
        inner = _code(self.node.with_changes(lpar=(), rpar=()))
        return (
            t[self.start:self.start + len(inner)] == inner
            and self.start + len(inner) == self.end
            and t[self.lpar:self.lpar + 1] == "("
            and t[self.rpar:self.end] == ")"
            and t[self.start:self.func_end] == _code(self.node.func)
        )

    def simple_positional(self) -> bool:
        return bool(self.args) and all(a.keyword is None and not a.star for a, *_ in self.args)

    def has_keywords(self) -> bool:
        return any(a.keyword is not None or a.star == "**" for a, *_ in self.args)


@functools.lru_cache(maxsize=4096)
def _parse_call(text: str) -> Optional[_Call]:
    # memoised: many diagnostics share a call's text (libcst nodes are immutable, _Call is read-only)
    if not text or _truncated(text):
        return None
    try:
        node = cst.parse_expression(text)
    except Exception:
        return None
    if not isinstance(node, cst.Call):
        return None
    call = _Call(text, node)
    return call if call.valid() else None


def _split_call(text: str):
    """'a.b(x, y=1)' -> ('a.b', 'x, y=1', node) or None (used by the FAK201 suggestions)."""
    try:
        node = cst.parse_expression(text)
    except Exception:
        return None
    if not isinstance(node, cst.Call) or node.lpar:
        return None
    func = _code(node.func)
    args = ", ".join(_code(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for a in node.args)
    return func, args, node


def _breaks(s: str) -> bool:
    return "\n" in s or "#" in s or "\\" in s


# ---- edits -------------------------------------------------------------------------------------

TextEdit = Tuple[int, int, str]  # (start, end, content): offsets into the call text


def _apply_text(text: str, edits: Sequence[TextEdit]) -> str:
    out, last = [], 0
    for s, e, c in sorted(edits, key=lambda x: (x[0], x[1])):
        out.append(text[last:s])
        out.append(c)
        last = e
    out.append(text[last:])
    return "".join(out)


def _location(line: int, col: int, text: str, off: int) -> Location:
    nl = text.count("\n", 0, off)
    if nl == 0:
        return Location(line, col + off)
    return Location(line + nl, off - text.rfind("\n", 0, off))


def _to_edits(line: int, col: int, text: str, edits: Sequence[TextEdit]) -> Tuple[Edit, ...]:
    return tuple(
        Edit(c, _location(line, col, text, s), _location(line, col, text, e))
        for s, e, c in sorted(edits, key=lambda x: (x[0], x[1]))
    )


def _import_edit(summary: Optional[dict], lib: str) -> Tuple[Edit, ...]:
    """``import LIB`` at the import line unless the module already binds ``LIB`` to it."""
    if summary is None:
        return ()
    imports = summary.get("imports", {}) or {}
    if imports.get(lib) == lib:
        return ()
    line = int(summary.get("import_line") or 1)
    loc = Location(line, 1)
    return (Edit(f"import {lib}\n", loc, loc),)


def _version(target_version: Optional[str]) -> Optional[Tuple[int, int]]:
    if not target_version:
        return None
    m = re.match(r"^\s*(?:py)?(\d)\.?(\d+)", str(target_version))
    return (int(m.group(1)), int(m.group(2))) if m else None


def _comments(text: str) -> List[str]:
    return re.findall(r"#[^\n]*", text)


def _keeps_comments(before: str, after: str) -> bool:
    """Every comment of the original text is still there (strings may contain '#': compare lists)."""
    a = _comments(after)
    for c in _comments(before):
        if c in a:
            a.remove(c)
        else:
            return False
    return True


@functools.lru_cache(maxsize=4096)
def _parses(expr: str) -> bool:
    try:
        cst.parse_expression(expr)
        return True
    except Exception:
        return False


# ---- plans: which text edits rewrite a call ----------------------------------------------------


def _wrap(call_text: str, edits: List[TextEdit], start: int, end: int, prefix: str, wrap: bool) -> None:
    """Insert ``prefix`` at ``start``; with ``wrap``, parenthesise the whole rewritten call."""
    if wrap:
        edits.append((start, start, "(" + prefix))
        edits.append((end, end, ")"))
    else:
        edits.append((start, start, prefix))


def _plan_to_thread(call: _Call, lib: str, version, wrap: bool):
    """``f(a, k=v)`` -> ``await asyncio.to_thread(f, a, k=v)``; (edits, import root) or (None, reason)."""
    if lib in ("anyio", "trio"):
        if call.has_keywords():
            return None, f"`{TO_THREAD[lib]}` passes no keyword arguments"
        head = TO_THREAD[lib] + "("
        root = lib
    elif version is not None and version < (3, 9):
        if version < (3, 7):
            return None, "needs Python 3.7+ (`asyncio.get_running_loop`)"
        if call.has_keywords():
            return None, "`asyncio.to_thread` needs Python 3.9 and `run_in_executor` passes no keyword arguments"
        head = RUN_IN_EXECUTOR
        root = "asyncio"
    else:
        head = "asyncio.to_thread("
        root = "asyncio"
    t = call.text
    edits: List[TextEdit] = []
    _wrap(t, edits, call.start, call.end, "await " + head, wrap)
    # "(" (and any space before it) becomes ", " -- or "," when the arguments start on a new line
    if call.args:
        gap = t[call.lpar + 1:call.args_start]  # kept: a space, or a comment and line break
        edits.append((call.func_end, call.lpar + 1, "," if gap else ", "))
    else:
        edits.append((call.func_end, call.lpar + 1, ""))
    return edits, root


def _plan_iteration(text: str, lib: str, version):
    """``for x in it`` -> ``for x in await asyncio.to_thread(list, it)`` (an iterable has no trailer)."""
    try:
        node = cst.parse_expression(text)
    except Exception:
        return None, "cannot parse the iterable"
    if isinstance(node, (cst.Tuple, cst.StarredElement)) and not getattr(node, "lpar", None):
        return None, "bare tuple"
    if isinstance(node, (cst.Yield, cst.NamedExpr, cst.Lambda)) and not getattr(node, "lpar", None):
        return None, "needs parentheses"
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) \
            and isinstance(node.slice[0].slice.value, cst.Integer):
        return None, "indexing (`qs[0]`): materialising the whole iterable would change what runs"
    fn, cut = "list", 0
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in _EVALUATOR_CALLS \
            and not node.lpar and len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star \
            and text.startswith(node.func.value + "("):
        # `ids = set(\n    qs.values_list(...)\n)` (a multi-line evaluation, reported at its call): the call runs
        # in the thread: `await asyncio.to_thread(set, \n    qs.values_list(...)\n)`
        fn, cut = node.func.value, len(node.func.value) + 1
    if lib in ("anyio", "trio"):
        head, root = TO_THREAD[lib] + f"({fn}, ", lib
    elif version is not None and version < (3, 9):
        if version < (3, 7):
            return None, "needs Python 3.7+"
        head, root = RUN_IN_EXECUTOR + f"{fn}, ", "asyncio"
    else:
        head, root = f"asyncio.to_thread({fn}, ", "asyncio"
    if cut:
        if text[cut:].lstrip(" \t")[:1] in ("\n", "\r", "#"):
            head = head.rstrip()  # the argument starts on the next line: no trailing space
        return [(0, cut, "await " + head)], root
    return [(0, 0, "await " + head), (len(text), len(text), ")")], root


# builtins whose call evaluates its argument (``analysis._EVALUATORS``)
_EVALUATOR_CALLS = frozenset(("list", "tuple", "set", "frozenset", "sorted", "len", "bool", "sum", "any", "all",
                              "max", "min", "dict", "enumerate", "reversed"))


def fix_for_site(site, lib: str, suggestion: Optional[str], summary: Optional[dict] = None,
                 target_version: Optional[str] = None, whole_expression: bool = False) -> Optional[Fix]:
    """The fix for one blocking site (FAK101-FAK108), or None when there is nothing to show.

    ``target_version`` is the project's minimum Python (``"3.N"``, from ``target-version`` or
    ``requires-python``); rewrites needing a newer Python are not offered.
    """
    kind = site.fix or "to_thread"
    if kind == "none":
        kind = "to_thread"
    text = site.text or ""
    if kind == "display" or _truncated(text):
        return Fix(DISPLAY_ONLY, suggestion, ())
    if getattr(site, "awaited", False):
        return None
    in_genexp = getattr(site, "in_genexp", None)
    if in_genexp:
        note = "an `await` inside a generator expression would turn it into an async generator"
        return Fix(DISPLAY_ONLY, f"{suggestion}; {note}" if suggestion else note, ())
    version = _version(target_version)
    wrap = bool(getattr(site, "trailer", False))
    lib = lib if lib in TO_THREAD else "asyncio"

    api = getattr(site, "api", "") or ""
    if site.iteration and (api.startswith(("truth test of ", "membership test of ")) or api.endswith(".__getitem__")):
        # `if qs:` / `qs or []`: materialising it would change the value an `or` gives: the suggestion only
        return Fix(DISPLAY_ONLY, suggestion, ())
    if site.iteration:
        edits, root = _plan_iteration(text, lib, version)
        if edits is None:
            return Fix(DISPLAY_ONLY, suggestion, ())
        return _finish(site, summary, edits, root, UNSAFE, "Materialise it in a worker thread: `{}`", suggestion)

    call = _parse_call(text)
    if call is None:
        return Fix(DISPLAY_ONLY, suggestion, ())
    wrap = wrap and not call.parenthesized
    t = call.text
    edits: Optional[List[TextEdit]] = None
    root: Optional[str] = None
    applicability = SAFE
    template = "Replace with `{}`"

    if kind == "sleep" and call.simple_positional() and len(call.args) == 1:
        edits = []
        _wrap(t, edits, call.start, call.end, "await ", wrap)
        edits.append((call.start, call.func_end, SLEEP[lib]))
        root = lib
    elif kind == "await_arg" and call.simple_positional() and len(call.args) == 1:
        a, a0, v0, v1, a1 = call.args[0]
        value = a.value
        atom = isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) or bool(
            getattr(value, "lpar", None))
        edits = []
        if atom and not _breaks(t[call.lpar + 1:v0]) and not _breaks(t[v1:call.rpar]):
            # asyncio.run(main()) -> await main()
            edits.append((call.start, v0, "(await " if wrap else "await "))
            edits.append((v1, call.end, ")" if wrap else ""))
        else:
            # keep the parentheses (and any comments inside them): await (\n    main()  # why\n)
            edits.append((call.start, call.lpar, "(await " if wrap else "await "))
            if wrap:
                edits.append((call.end, call.end, ")"))
        template = "Await the coroutine directly: `{}`"
    elif kind == "wrap_future" and isinstance(call.node.func, cst.Attribute) and lib == "asyncio":
        recv_end = call.start + len(call.code(call.node.func.value))
        dropped = t[recv_end:call.end]
        if not call.args:
            edits = []
            _wrap(t, edits, call.start, call.end, "await asyncio.wrap_future(", wrap)
            edits.append((recv_end, call.end, ")"))
        elif len(call.args) == 1 and not call.args[0][0].star and (
                call.args[0][0].keyword is None or call.args[0][0].keyword.value == "timeout"):
            # fut.result(5) -> await asyncio.wait_for(asyncio.wrap_future(fut), 5): the timeout's
            # exception type differs before Python 3.11, so this one is unsafe
            a, a0, v0, v1, a1 = call.args[0]
            edits = []
            _wrap(t, edits, call.start, call.end, "await asyncio.wait_for(asyncio.wrap_future(", wrap)
            edits.append((recv_end, v0, "), "))
            dropped = t[recv_end:v0] + t[v1:call.rpar]
            applicability = UNSAFE
        if edits is not None and "#" in dropped:
            edits = None  # would drop a comment
        root = "asyncio"
    elif kind == "django_async" and isinstance(call.node.func, cst.Attribute):
        meth = call.node.func.attr.value
        if meth in DJANGO_TWINS:
            a1 = call.func_end
            a0 = a1 - len(meth)
            edits = []
            _wrap(t, edits, call.start, call.end, "await ", wrap)
            edits.append((a0, a1, "a" + meth))
            ver = DJANGO_TWINS[meth]
            if meth == "delete" and str(getattr(site, "api", "") or "").startswith("django.Model."):
                ver = "4.2"  # Model.adelete came a release after QuerySet.adelete
            template = f"Use the async ORM method (Django {ver}+): `{{}}`"
    elif kind not in ("sleep", "await_arg", "wrap_future", "django_async", "to_thread"):
        return Fix(DISPLAY_ONLY, suggestion, ())
    if whole_expression:
        # several blocking calls in one expression (`open(p).read()`): one worker thread for all of them,
        # never nested offloads
        edits = []
        if lib == "asyncio" and version is not None and version < (3, 9):
            _wrap(t, edits, call.start, call.end, "await " + RUN_IN_EXECUTOR + "lambda: ", wrap)
            root = "asyncio"
        else:
            _wrap(t, edits, call.start, call.end, f"await {TO_THREAD[lib]}(lambda: ", wrap)
            root = lib
        edits.insert(len(edits) - (1 if wrap else 0), (call.end, call.end, ")"))
        return _finish(site, summary, edits, root, UNSAFE, "Run the whole expression in one worker thread: `{}`",
                       suggestion)

    if edits is None:
        if kind == "django_async":
            return Fix(DISPLAY_ONLY, suggestion, ())
        # any other blocking call (or a safe rewrite whose shape does not fit): a worker thread
        edits, root = _plan_to_thread(call, lib, version, wrap)
        if edits is None:
            return Fix(DISPLAY_ONLY, suggestion, ())
        applicability = UNSAFE
        template = "Run it in a worker thread: `{}`"

    if applicability == SAFE and in_genexp is None and getattr(site, "in_loop", False):
        applicability = UNSAFE  # cannot tell a loop from a generator expression
    return _finish(site, summary, edits, root, applicability, template, suggestion)


def _finish(site, summary, edits: List[TextEdit], root: Optional[str], applicability: str, template: str,
            suggestion: Optional[str]) -> Fix:
    text = site.text
    new = _apply_text(text, edits)
    if not _keeps_comments(text, new):
        return Fix(DISPLAY_ONLY, suggestion, ())
    if not _parses(new) and not _parses("(" + new + "\n)"):
        return Fix(DISPLAY_ONLY, suggestion, ())
    out = _to_edits(site.line, site.col, text, edits)
    imports: Tuple[str, ...] = ()
    if root:
        imp = _import_edit(summary, root)
        out = imp + out
        imports = (root,)
    return Fix(applicability, template.format(_short(new)), out, imports)


def fix_for_edge(edge, lib: str, summary: Optional[dict] = None, target_version: Optional[str] = None
                 ) -> Optional[Fix]:
    """FAK401: a sync call to a project function that blocks -> ``await asyncio.to_thread(f, ...)`` (unsafe).

    Needs ``edge.trailer`` (like :class:`~fakeasync_lint.project.Site`) to know whether the rewrite
    must be parenthesised; without it no fix is offered.
    """
    if getattr(edge, "awaited", False):
        return None
    trailer = getattr(edge, "trailer", None)
    if trailer is None or getattr(edge, "in_genexp", False):
        return None
    call = _parse_call(edge.text or "")
    if call is None:
        return None
    lib = lib if lib in TO_THREAD else "asyncio"
    edits, root = _plan_to_thread(call, lib, _version(target_version), bool(trailer) and not call.parenthesized)
    if edits is None:
        return None
    return _finish(edge, summary, edits, root, UNSAFE, "Run it in a worker thread: `{}`", None)


def _short(s: str, n: int = 80) -> str:
    s = re.sub(r"\s+", " ", s)
    return s if len(s) <= n else s[: n - 1] + "\u2026"


# ---- FAK201 ----------------------------------------------------------------------------------------

ASYNC_URLS = [
    # (prefix of the URL's scheme, async scheme to suggest, sync driver name)
    ("postgresql+psycopg2", "postgresql+asyncpg", "psycopg2"),
    ("postgresql+pg8000", "postgresql+asyncpg", "pg8000"),
    ("postgresql+psycopg", "postgresql+psycopg", "psycopg (sync under create_engine)"),
    ("postgresql", "postgresql+asyncpg", "psycopg2 (SQLAlchemy 2.0) / psycopg (2.1)"),
    ("postgres", "postgresql+asyncpg", "psycopg2"),
    ("sqlite+pysqlite", "sqlite+aiosqlite", "sqlite3"),
    ("sqlite", "sqlite+aiosqlite", "sqlite3"),
    ("mysql+pymysql", "mysql+aiomysql", "PyMySQL"),
    ("mysql+mysqldb", "mysql+aiomysql", "mysqlclient"),
    ("mysql+mysqlconnector", "mysql+aiomysql", "mysql-connector"),
    ("mysql", "mysql+aiomysql", "mysqlclient"),
    ("mariadb", "mariadb+aiomysql", "mysqlclient"),
    ("oracle", "oracle+oracledb_async", "cx_Oracle / oracledb"),
    ("mssql", "mssql+aioodbc", "pyodbc"),
]
_URL = re.compile(r"""^\s*[rRuU]?(['"])([A-Za-z0-9_+\-]+)://""")


def factory_suggestion(kind: str, site):
    """FAK201 message, suggestion and display-only fix (with the replacement text as an edit when known)."""
    text = site.text
    if kind == "sqlalchemy":
        parts = _split_call(text)
        url_scheme = None
        if parts is not None:
            _, args, node = parts
            if node.args and isinstance(node.args[0].value, cst.SimpleString):
                m = _URL.match(node.args[0].value.value)
                if m:
                    url_scheme = m.group(2)
        driver = "a synchronous DB-API driver"
        target = "postgresql+asyncpg"
        if url_scheme:
            for pre, asy, drv in ASYNC_URLS:
                if url_scheme == pre or url_scheme.startswith(pre + "+") or url_scheme.startswith(pre):
                    driver, target = drv, asy
                    break
        if url_scheme and url_scheme.endswith(("asyncpg", "aiosqlite", "aiomysql", "asyncmy", "psycopg_async")):
            message = (f"`create_engine()` with the async driver `{url_scheme}` builds a sync Engine: using it from "
                       "sync code raises MissingGreenlet and async code cannot await it")
        else:
            message = (f"`{site.label}()` builds a synchronous SQLAlchemy engine ({driver}) in code that runs on the "
                       "event loop: every query through it blocks")
        new = text
        edits: Tuple[Edit, ...] = ()
        call = _parse_call(text)
        if call is not None and not call.parenthesized:
            # `create_engine`, `sqlalchemy.create_engine`, an alias: all become `create_async_engine`
            t_edits: List[TextEdit] = [(call.start, call.func_end, "create_async_engine")]
            if url_scheme and call.args:
                _, _, v0, v1, _ = call.args[0]
                j = text.find(url_scheme + "://", v0, v1)
                if j >= 0 and url_scheme != target:
                    t_edits.append((j, j + len(url_scheme), target))
            if t_edits:
                new = _apply_text(text, t_edits)
                edits = _to_edits(site.line, site.col, text, t_edits)
        suggestion = (f"`from sqlalchemy.ext.asyncio import create_async_engine`; "
                      f"`{_short(new, 90)}` and `async with engine.connect() as conn: await conn.execute(...)`")
        fix = Fix(DISPLAY_ONLY, f"Use `{_short(new, 90)}`", edits)
        return message, suggestion, fix
    # supabase
    message = (f"`{site.label}()` builds the synchronous Supabase client in code that runs on the event loop: "
               "every `.execute()` on it is a blocking HTTP request")
    suggestion = "`client = await acreate_client(url, key)` (supabase >= 2.4.6) and `await client.table(...)...execute()`"
    new = None
    call = _parse_call(text)
    if call is not None and not call.parenthesized:
        func = call.node.func
        name = func.attr if isinstance(func, cst.Attribute) else func if isinstance(func, cst.Name) else None
        if name is not None and name.value == "create_client":
            new = _apply_text(text, [(call.start, call.start, "await "),
                                     (call.func_end - len("create_client"), call.func_end, "acreate_client")])
    return message, suggestion, Fix(DISPLAY_ONLY, f"Use `{_short(new)}`" if new else "Use `await acreate_client(...)`", ())
