"""Fix edits for blocking calls (computed from the call as written; libcst checks every rewrite parses).

The edits are relative to the original file.  A fix that needs ``import asyncio`` carries an extra
edit inserting it after the module docstring and ``__future__`` imports.
"""
from __future__ import annotations

import re
from typing import Optional, Tuple

import libcst as cst

from .models import DISPLAY_ONLY, SAFE, UNSAFE, Edit, Fix, Location

TO_THREAD = {"asyncio": "asyncio.to_thread", "anyio": "anyio.to_thread.run_sync", "trio": "trio.to_thread.run_sync"}
SLEEP = {"asyncio": "asyncio.sleep", "anyio": "anyio.sleep", "trio": "trio.sleep"}

_EMPTY = cst.Module(body=[])


def _split_call(text: str):
    """'a.b(x, y=1)' -> ('a.b', 'x, y=1', node) or None."""
    try:
        node = cst.parse_expression(text)
    except Exception:
        return None
    if not isinstance(node, cst.Call) or node.lpar:
        return None
    func = _EMPTY.code_for_node(node.func)
    args = ", ".join(_EMPTY.code_for_node(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for a in node.args)
    return func, args, node


def _import_edit(summary: Optional[dict], lib: str) -> Tuple[Edit, ...]:
    if summary is None:
        return ()
    imports = summary.get("imports", {})
    if imports.get(lib) == lib:
        return ()
    line = int(summary.get("import_line") or 1)
    loc = Location(line, 1)
    return (Edit(f"import {lib}\n", loc, loc),)


def fix_for_site(site, lib: str, suggestion: Optional[str], summary: Optional[dict] = None) -> Optional[Fix]:
    kind = site.fix or "to_thread"
    if site.iteration or site.family == "user":
        return None
    start = Location(site.line, site.col)
    end = Location(site.end_line, site.end_col)
    if kind == "display" or "\u2026" in site.text:
        return Fix(DISPLAY_ONLY, suggestion, ())
    parts = _split_call(site.text)
    if parts is None:
        return Fix(DISPLAY_ONLY, suggestion, ())
    func, args, node = parts
    trailer = bool(getattr(site, "trailer", False))
    content = None
    applicability = UNSAFE
    need_import = True
    if kind == "sleep":
        content = f"await {SLEEP.get(lib, 'asyncio.sleep')}({args})"
        applicability = SAFE
        message = f"Replace with `{content}`"
    elif kind == "await_arg" and len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star:
        content = f"await {args}"
        applicability = SAFE
        need_import = False
        message = f"Await the coroutine directly: `{content}`"
    elif kind == "wrap_future" and not node.args and isinstance(node.func, cst.Attribute):
        recv = _EMPTY.code_for_node(node.func.value)
        content = f"await asyncio.wrap_future({recv})"
        applicability = SAFE
        lib = "asyncio"
        message = f"Replace with `{content}`"
    elif kind == "django_async" and isinstance(node.func, cst.Attribute):
        recv = _EMPTY.code_for_node(node.func.value)
        meth = "a" + node.func.attr.value
        content = f"await {recv}.{meth}({args})"
        applicability = SAFE
        need_import = False
        message = f"Use the async ORM method: `{content}`"
    else:
        tt = TO_THREAD.get(lib, "asyncio.to_thread")
        if lib == "trio" or lib == "anyio":
            if any(a.keyword is not None for a in node.args):
                return Fix(DISPLAY_ONLY, suggestion, ())  # run_sync takes no kwargs
        content = f"await {tt}({func}{', ' + args if args else ''})"
        message = f"Run it in a worker thread: `{_short(content)}`"
    if trailer:
        content = f"({content})"
    try:
        cst.parse_expression(content if not content.startswith("await ") else content[6:])
    except Exception:
        return Fix(DISPLAY_ONLY, suggestion, ())
    edits = (Edit(content, start, end),)
    if need_import:
        root = (SLEEP.get(lib) or "asyncio").split(".")[0] if kind != "wrap_future" else "asyncio"
        edits = _import_edit(summary, root) + edits
    return Fix(applicability, message, edits)


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
                if url_scheme == pre or url_scheme.startswith(pre + "+") or url_scheme == pre:
                    driver, target = drv, asy
                    break
                if url_scheme.startswith(pre):
                    driver, target = drv, asy
                    break
        if url_scheme and url_scheme.endswith(("asyncpg", "aiosqlite", "aiomysql", "asyncmy", "psycopg_async")):
            message = (f"`create_engine()` with the async driver `{url_scheme}` builds a sync Engine: using it from "
                       "sync code raises MissingGreenlet and async code cannot await it")
        else:
            message = (f"`{site.label}()` builds a synchronous SQLAlchemy engine ({driver}) in code that runs on the "
                       "event loop: every query through it blocks")
        new = text
        if parts is not None and url_scheme:
            new = re.sub(re.escape(url_scheme) + "://", target + "://", text, count=1)
            func = parts[0]
            new = "create_async_engine" + new[len(func):] if new.startswith(func) else new
        suggestion = (f"`from sqlalchemy.ext.asyncio import create_async_engine`; "
                      f"`{_short(new, 90)}` and `async with engine.connect() as conn: await conn.execute(...)`")
        fix = Fix(DISPLAY_ONLY, f"Use `{_short(new, 90)}`", ())
        return message, suggestion, fix
    # supabase
    message = (f"`{site.label}()` builds the synchronous Supabase client in code that runs on the event loop: "
               "every `.execute()` on it is a blocking HTTP request")
    suggestion = "`client = await acreate_client(url, key)` (supabase >= 2.4.6) and `await client.table(...)...execute()`"
    return message, suggestion, Fix(DISPLAY_ONLY, "Use `await acreate_client(...)`", ())
