"""FAK301 (N+1 query) and FAK302 (sequential awaited I/O in a loop).

A call inside a loop of an ``async def`` is reported when
  * it does one round trip per iteration: an awaited async database/network call from the catalog
    (``ASYNC_IO``), or a project function that reaches one (or a blocking DB/network call), and
  * its arguments depend on the loop variable (or on names recomputed in the body), and
  * the iterations are independent: no value carried from one iteration to the next (pagination
    cursors), no ``break`` (search loops), no ``sleep`` (retries, backoff, rate limits), not an
    ``async for`` over a stream, not under ``async with lock/semaphore/transaction``.
A write per item (`await row.asave()`, `INSERT ...`, `coll.insert_one(...)`) is FAK301 too ("N+1 writes":
one round trip per row, which `bulk_create` / `insert_many` / `executemany` make one); a write that is the same
every iteration, and `session.add(row)` (queued until the flush), are not.
"""
from __future__ import annotations

import re
from typing import Dict, Optional, Set

import libcst as cst

from . import analysis, catalog
from .models import DISPLAY_ONLY, UNSAFE, Edit, Fix, Location

_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|UPSERT|MERGE|REPLACE|CREATE|ALTER|DROP|TRUNCATE|GRANT)\b", re.I)
# callee names that say "this writes": writes keep their order and are not an N+1 read
_WRITE_NAME = re.compile(r"^_*(set|insert|update|delete|create|migrate|save|store|write|add|remove|put|upsert|"
                         r"restore|install|uninstall|register|run|apply|drop|import|sync|persist|commit|bulk|increment|decrement|"
                         r"incr|decr|revoke|grant|enqueue|publish|mark|reset|acquire|release)(_|$)")
_WRITE_METHODS = frozenset(("add", "add_all", "commit", "flush", "delete", "save", "asave", "adelete", "insert",
                            "insert_one", "insert_many", "update_one", "update_many", "delete_one", "upsert",
                            "create", "acreate", "update", "aupdate", "update_or_create", "aupdate_or_create",
                            "replace_one", "delete_many", "bulk_write"))
# methods that queue a change for the next flush: no round trip of their own
_QUEUED = frozenset(("add", "add_all", "merge", "expunge"))
_EMPTY = cst.Module(body=[])


def writes(method: str) -> bool:
    """A method or function named like a write (`save`, `acreate`, `insert_one`, `update_user`, ...)."""
    return method in _WRITE_METHODS or bool(_WRITE_NAME.match(method))
# `for chunk in chunked(ids, 1000)`, `batched(rows, 500)`, `make_batches(...)`, `itertools.batched(...)`
_BATCHED = re.compile(r"^[\w.]*(batch|chunk)\w*\(", re.I)


def io_kinds(facts) -> Dict[str, Set[str]]:
    """func -> {"db", "net"}: the round trips it makes, directly or through project calls."""

    io: Dict[str, Set[str]] = {f: set(k) for f, k in facts.io_direct.items()}
    for fq, sites in facts.sites.items():
        for s in sites:
            if _WRITE.search(s.text) or s.label.rsplit(".", 1)[-1] in _WRITE_METHODS:
                continue  # a write is not a read round trip
            code = catalog.FAMILIES.get(s.family, {}).get("code")
            kind = catalog.IO_KIND_OF_CODE.get(code) or catalog.IO_KIND_OF_FAMILY.get(s.family)
            if kind:
                io.setdefault(fq, set()).add(kind)
    callers: Dict[str, list] = {}
    for es in facts.edges.values():
        for e in es:
            callers.setdefault(e.callee, []).append(e.caller)
    work = list(io)
    while work:
        f = work.pop()
        kinds = io[f]
        for c in callers.get(f, ()):
            cur = io.setdefault(c, set())
            if not kinds <= cur:
                cur |= kinds
                work.append(c)
    return io


def loop_rules(rep) -> None:
    facts = rep.facts
    if not facts.loop_calls:
        return
    if rep.io is None:
        rep.io = io_kinds(facts)
    io = rep.io
    # `async for` loops over finite query results (a Django queryset), by function and line
    # (and over a project async generator that runs a query: `async for e in repo.stream(stmt)`)
    finite = {(fq, rec[0]) for fq, rec, io_kind, c, _s in facts.loop_calls
              if io_kind == "finite" or (io_kind == "rows" and "db" in io.get(c, ()))}
    done = set()  # a call reported once (a mixin method's call also weighs what its host runs)
    batches = {}  # (function, loop index) -> the round trips of a gathered comprehension's calls
    for fq, rec, io_kind, callee, is_site in facts.loop_calls:
        if len(rec) <= 8 or not isinstance(rec[8], list) or len(rec[8]) not in (2, 3):
            continue  # not a call inside a loop (`async for` over a query's rows)
        if io_kind in ("db", "net"):
            batches.setdefault((fq, rec[8][1]), set()).add(io_kind)
        cf = facts.functions.get(callee) if callee is not None else None
        if cf is not None and cf["async"]:
            batches.setdefault((fq, rec[8][1]), set()).update(io.get(callee, ()))
    for fq, rec, io_kind, callee, is_site in facts.loop_calls:
        if io_kind in ("finite", "rows") or (fq, rec[0], rec[1]) in done:
            continue
        func = facts.functions.get(fq)
        if func is None or not func["async"] or (is_site and io_kind not in ("db", "net")):
            continue
        path = func["path"]
        if not rep.wanted(path):
            continue
        sl, sc, el, ec, term, flags, text, label = rec[:8]
        argnames, idx = rec[8][:2]
        offloaded = len(rec[8]) > 2  # `await sync_to_async(f)(...)`: the round trip is what f does
        loops = func.get("loops") or []
        if not (0 <= idx < len(loops)) or loops[idx] is None:
            continue
        kind_, lline, lcol, targets, dependent, carried, lflags, iter_text, span, loop_text = (loops[idx] + [None] * 10)[:10]
        streaming = kind_ in ("async_for", "async_comp") and (fq, lline) not in finite
        if streaming or lflags & (analysis.L_BREAK | analysis.L_SLEEP | analysis.L_QUEUE | analysis.L_YIELD):
            continue
        if flags & analysis.F_GUARDED:
            continue
        gathered = bool(lflags & analysis.L_GATHER)
        awaited = bool(flags & analysis.F_AWAITED) or gathered
        kinds: Set[str] = set()
        receivers = {a[1:] for a in argnames if a[:1] == "^"}
        fresh = {a[1:] for a in argnames if a[:1] == "="}  # assigned earlier in the same iteration
        batch = set()  # `await gather(*tasks)` per iteration: the network round trips of its batch
        for a in argnames:
            if a[:1] == "%":
                batch |= batches.get((fq, int(a[1:])), set()) & {"net"}
        argnames = [a[1:] if a[:1] == "=" else a for a in argnames if a[:1] not in ("^", "%")]
        if io_kind == "send":
            # a message to the receiver itself: in order when it is the same destination every time
            if not receivers & set(dependent or ()):
                continue
            io_kind = "net"
        if io_kind and (awaited or is_site):
            kinds.add(io_kind)  # a blocking query / request per item is one round trip per item too
        kinds |= batch
        if callee is not None:
            cf = facts.functions.get(callee)
            if cf is not None and awaited and cf["async"]:
                kinds |= io.get(callee, set())
            elif cf is not None and offloaded and not cf["async"]:
                kinds |= io.get(callee, set()) & {"db"}  # a query per item, run in a thread (requests: see project)
            elif cf is not None and not awaited and not cf["async"]:
                # a blocking sync helper per iteration is FAK401's; only an N+1 *query* is FAK301 too
                kinds |= io.get(callee, set()) & {"db"}
        if io_kind == "dbw" and (awaited or is_site):
            kinds.add("db")  # an awaited SQL write of its own (`INSERT ...`): a database round trip per item
        kinds &= {"db", "net"}
        if gathered:
            kinds &= {"db"}  # requests gathered together are the fix for FAK302; queries are N all the same
        if not kinds:
            continue
        args = set(argnames) | receivers  # a call on a loop-dependent receiver depends on the loop too
        if (args - fresh) & set(carried or ()):
            continue  # pagination: a value carried from the previous iteration
        it = (iter_text or "").strip()
        invariant = False
        if not args & (set(dependent or ()) | fresh):
            # the same call every iteration: no N+1 over the loop variable, unless it is an awaited database
            # read in a `for` loop or comprehension (not a `while` poll): the same query N times, which one
            # query before the loop replaces
            if not ("db" in kinds and awaited and kind_ in ("for", "comp") and not gathered) \
                    or it.startswith("range(") or not targets or all(t.strip("_") == "" for t in targets):
                continue  # `for _ in range(3)`: a repetition asked for (tests, retries)
            invariant = True
        if kind_ != "while" and (not it or it == "..." or it[0] in "([{'\""):
            continue  # a loop over a literal: a few known items
        if _BATCHED.search(it):
            continue  # one call per chunk of a batching helper: already batched
        loop_desc = _loop_desc(kind_, targets, iter_text)
        # a read (a lazy relation, a property) or a call
        what = f"reading `{label}`" if flags & analysis.F_ATTR else f"`{' '.join(text.split())[:80]}`" if offloaded \
            else f"`{label}()`"
        method = label.rsplit(".", 1)[-1]
        if "db" in kinds:
            callee_name = (callee or "").rsplit(".", 1)[-1]
            if method in _QUEUED or "migrat" in fq.lower():
                continue  # `session.add(row)` only queues the row (one flush sends them all); migrations
            write = bool(_WRITE.search(text) or method in _WRITE_METHODS or _WRITE_NAME.match(callee_name)
                         or io_kind == "dbw")
            if write and (invariant or callee is not None or is_site or kind_ == "while" or "__in=" in text
                          or (it.startswith("range(") and it.count(",") >= 2)):
                # the same write every iteration (a counter, a status); a project function that writes
                # (`await set_flow_run_state(run)`: its own steps, often an ordered protocol); a blocking write
                # (its FAK101 says it); a `while` loop draining a table; a write per chunk (`pk__in=batch`,
                # `for i in range(0, len(ids), size)`): not one per row
                continue
            code = "FAK301"
            blocking = is_site or (callee is not None and callee in facts.blocks)
            if write:
                msg = (f"N+1 writes: {what} writes one row per iteration of {loop_desc}, one round trip each "
                       f"(1 + N round trips per request)")
                if blocking:
                    msg += "; each of them also blocks the event loop"
                sugg = ("write them in one round trip: `bulk_create(...)` / `bulk_update(...)` / "
                        "`filter(pk__in=ids).update(...)` / `.delete()` (Django), `insert_many` / `bulk_write` "
                        "(MongoDB), `executemany` or one `INSERT ... VALUES` (SQL); keep the loop only when each "
                        "write depends on the previous one")
                fix = Fix(DISPLAY_ONLY, sugg, ())
            elif invariant:
                msg = (f"repeated query: {what} runs the same database query on every iteration of {loop_desc} "
                       f"(its arguments do not change in the loop: N round trips for one answer)")
                sugg = "run it once before the loop and reuse the result"
                fix = Fix(DISPLAY_ONLY, sugg, ())
            elif gathered:
                msg = (f"N+1 query: {what} runs one database query per item of {loop_desc}, all started at "
                       f"once by `gather` (1 + N queries per request); on one session or connection they cannot "
                       f"run concurrently (SQLAlchemy AsyncSession: InvalidRequestError; asyncpg: another "
                       f"operation is in progress)")
            else:
                msg = (f"N+1 query: {what} runs one database query per iteration of {loop_desc}, in sequence "
                       f"(1 + N round trips per request)")
            if not invariant and not write:
                if blocking:
                    msg += "; each of them also blocks the event loop"
                sugg = ("fetch all rows in one query: collect the keys and use `WHERE id = ANY(:ids)` / `IN (...)`, a "
                        "JOIN, or eager loading (`selectinload()`, `prefetch_related()`); `asyncio.gather` over one "
                        "connection does not help (asyncpg: \"another operation is in progress\")")
                fix = _n1_sketch(text, targets, iter_text, sugg)
        else:
            code = "FAK302"
            msg = (f"{'sequential requests' if is_site else 'sequential awaits'}: {what} waits for one network round trip per iteration of {loop_desc}, "
                   f"one after another, though the iterations are independent")
            if is_site:
                msg += "; each of them also blocks the event loop: make the call async first, then run them together"
            own = sorted(receivers & set(dependent or ()))
            if own:
                msg += (f"; each iteration talks to its own `{own[0]}`, so running them together with `gather` "
                        f"is safe")
            elif not is_site and "." in label and "[" not in label.rsplit(".", 1)[0]:
                msg += (f"; they share `{label.rsplit('.', 1)[0]}`: `gather` over one client that pools or multiplexes "
                        f"connections (httpx, aiohttp, redis.asyncio, a gRPC channel) is safe, over one raw "
                        f"connection or websocket it is not")
            sugg = ("start them together: `await asyncio.gather(*(call(x) for x in items))` bounded by an "
                    "`asyncio.Semaphore` (or an `asyncio.TaskGroup` on Python 3.11+); prefer a batch endpoint if the "
                    "API has one")
            fix = _gather_fix(kind_, span, loop_text, text, targets, iter_text, rep.facts.summaries.get(func["module"]))
            if batch and not io_kind and callee is None:
                msg = (f"sequential batches: {what} waits for a batch of network round trips per iteration of "
                       f"{loop_desc}, one batch after another, though the iterations are independent")
                sugg = ("build the calls of every iteration first and run them in one `asyncio.gather` (or one "
                        "`asyncio.TaskGroup`), bounded by the `asyncio.Semaphore` the batches stood for")
                fix = None
        done.add((fq, rec[0], rec[1]))
        rep.emit(code, msg, path, func["module"], sl, sc, el, ec, fq, suggestion=sugg, statement=text,
                 fix=fix, severity="warning")


def _loop_desc(kind, targets, iter_text) -> str:
    t = ", ".join(targets) if targets else "..."
    if kind == "while":
        return "a `while` loop"
    if kind in ("comp", "async_comp"):
        return f"a comprehension over `{iter_text}`"
    if kind == "async_for":
        return f"`async for {t} in {iter_text}`"
    return f"`for {t} in {iter_text}`"


def _n1_sketch(call_text, targets, iter_text, sugg) -> Fix:
    """A display-only batched version, sketched from the loop."""
    try:
        node = cst.parse_expression(call_text)
    except Exception:
        return Fix(DISPLAY_ONLY, sugg, ())
    key = None
    if isinstance(node, cst.Call):
        for a in node.args:
            code = _EMPTY.code_for_node(a.value)
            if any(re.search(rf"\b{re.escape(t)}\b", code) for t in targets):
                key = code
                break
    if key is None or not targets:
        return Fix(DISPLAY_ONLY, sugg, ())
    inner = key.strip("()").rstrip(",").strip() if key.startswith("(") else key
    sketch = (f"keys = [{inner} for {targets[0]} in {iter_text}]; "
              f"rows = one query with `= ANY(:keys)` (or `IN`) over keys, then group rows by key")
    return Fix(DISPLAY_ONLY, f"Batch it: {sketch}", ())


def _gather_fix(kind, span, loop_text, call_text, targets, iter_text, summary) -> Optional[Fix]:
    """Unsafe rewrite of the canonical accumulate shapes to `asyncio.gather`."""
    if not span or not loop_text or len(targets) != 1:
        return None
    try:
        if kind == "comp":
            node = cst.parse_expression(loop_text)
            if not (isinstance(node, cst.ListComp) and isinstance(node.elt, cst.Await)
                    and node.for_in.inner_for_in is None and not node.for_in.ifs
                    and node.for_in.asynchronous is None):
                return None
            call = _EMPTY.code_for_node(node.elt.expression)
            it = _EMPTY.code_for_node(node.for_in.iter)
            tgt = _EMPTY.code_for_node(node.for_in.target)
            content = f"await asyncio.gather(*({call} for {tgt} in {it}))"
        elif kind == "for":
            mod = cst.parse_module(loop_text + ("\n" if not loop_text.endswith("\n") else ""))
            if len(mod.body) != 1 or not isinstance(mod.body[0], cst.For):
                return None
            loop = mod.body[0]
            if loop.orelse is not None or loop.asynchronous is not None or not isinstance(loop.body, cst.IndentedBlock):
                return None
            if len(loop.body.body) != 1 or not isinstance(loop.body.body[0], cst.SimpleStatementLine):
                return None
            stmt = loop.body.body[0].body
            if len(stmt) != 1:
                return None
            small = stmt[0]
            it = _EMPTY.code_for_node(loop.iter)
            tgt = _EMPTY.code_for_node(loop.target)
            if (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)
                    and isinstance(small.value.func, cst.Attribute) and small.value.func.attr.value == "append"
                    and len(small.value.args) == 1 and isinstance(small.value.args[0].value, cst.Await)):
                acc = _EMPTY.code_for_node(small.value.func.value)
                call = _EMPTY.code_for_node(small.value.args[0].value.expression)
                content = f"{acc}.extend(await asyncio.gather(*({call} for {tgt} in {it})))\n"
            elif (isinstance(small, cst.Assign) and len(small.targets) == 1
                  and isinstance(small.targets[0].target, cst.Subscript) and isinstance(small.value, cst.Await)
                  and isinstance(loop.iter, cst.Name)):
                sub = small.targets[0].target
                key = _EMPTY.code_for_node(sub.slice[0].slice.value) if len(sub.slice) == 1 and isinstance(
                    sub.slice[0].slice, cst.Index) else None
                if key != tgt:
                    return None
                acc = _EMPTY.code_for_node(sub.value)
                call = _EMPTY.code_for_node(small.value.expression)
                content = f"{acc}.update(zip({it}, await asyncio.gather(*({call} for {tgt} in {it}))))\n"
            else:
                return None
        else:
            return None
        cst.parse_module(content if kind == "for" else f"async def _():\n    x = {content}\n")
    except Exception:
        return None
    start = Location(span[0], span[1])
    end = Location(span[2], span[3])
    edits = []
    if summary is not None and summary.get("imports", {}).get("asyncio") != "asyncio":
        line = int(summary.get("import_line") or 1)
        edits.append(Edit("import asyncio\n", Location(line, 1), Location(line, 1)))
    edits.append(Edit(content, start, end))
    return Fix(UNSAFE, "Run the iterations concurrently with `asyncio.gather` (order of results is kept; "
                       "bound it with a Semaphore for large inputs)", tuple(edits))
