"""Turn project facts into diagnostics (all rules), honouring selection and suppressions."""
from __future__ import annotations

import hashlib
import os
import re
from typing import Callable, Dict, Iterable, List, Optional

from . import catalog
from .libfacts import LIB_FAMILIES
from .models import DISPLAY_ONLY, Diagnostic, Fix, Frame, Location
from .fixes import fix_for_edge
from .project import Edge, Facts, Site, chain, reachable_sites

_WS = re.compile(r"\s+")

# the blocking rules whose severity depends on what reaches the finding (severity by reach): an
# endpoint (an error), or only a command-line script's own loop (``script-severity``, a warning)
from .rules import REACH_RULES  # noqa: E402

REACH_CODES = frozenset(REACH_RULES)

TO_THREAD = {"asyncio": "asyncio.to_thread", "anyio": "anyio.to_thread.run_sync", "trio": "trio.to_thread.run_sync"}
SLEEP = {"asyncio": "asyncio.sleep", "anyio": "anyio.sleep", "trio": "trio.sleep"}


_COMMENT = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|#[^\n]*""")


def strip_comments(text: str) -> str:
    """Drop ``# comments`` from a multi-line call as written (strings are kept)."""
    if "#" not in text or "\n" not in text:
        return text
    return _COMMENT.sub(lambda m: m.group(1) or "", text)


def short(text: str, n: int = 80) -> str:
    t = _WS.sub(" ", strip_comments(text or "")).strip()
    t = t.replace("( ", "(").replace(" )", ")")
    return t if len(t) <= n else t[: n - 1] + "\u2026"


def fill(text: Optional[str], lib: str) -> Optional[str]:
    if text is None:
        return None
    return (
        text.replace("{to_thread}", TO_THREAD.get(lib, "asyncio.to_thread"))
        .replace("{sleep}", SLEEP.get(lib, "asyncio.sleep"))
        .replace("{lib}", lib)
    )


_REDEF = re.compile(r"@L\d+(?:\.\d+)?(?=\.|$)")


_INDEXED = re.compile(r"\[\d+\]$")  # an iteration site that is `qs[0]` (``analysis._subscript_before``)


def display_qual(q: str) -> str:
    """A qualname as users write it: an earlier definition of a redefined name (``f@L12``) shows as ``f``."""
    return _REDEF.sub("", q) if "@L" in q else q


def _site_display(s) -> str:
    """How a blocking site reads in a chain: `open()`, `book.author` (a read), `with lock:` (entering)."""
    if s.api.endswith((".__get__", ".__getattr__", ".__bind__")):
        return f"`{short(s.label, 40)}`"
    if s.api.endswith(".__enter__"):
        return f"`with {short(s.label, 40)}:`"
    return f"`{short(s.label, 40)}()`"


def _nested_sites(sites):
    """{id(site): ("out", inner sites)} for sites that contain other blocking sites of the same expression
    (`open(p).read()` holds `open(p)`), and {id(inner): ("in", outer)} for the contained ones: a chain of
    blocking calls in one expression is one finding, whose fix offloads the expression once."""
    out = {}
    if len(sites) < 2:
        return out
    spans = sorted(sites, key=lambda x: (x.line, x.col, -x.end_line, -x.end_col))
    for i, a in enumerate(spans):
        if id(a) in out and out[id(a)][0] == "in":
            continue
        inner = []
        for b in spans[i + 1:]:
            if (b.line, b.col) > (a.end_line, a.end_col):
                break
            if (b.end_line, b.end_col) <= (a.end_line, a.end_col) and (b.line, b.col, b.end_line, b.end_col) != (
                    a.line, a.col, a.end_line, a.end_col) and not b.iteration:
                inner.append(b)
        if inner and not a.iteration:
            out[id(a)] = ("out", inner)
            for b in inner:
                out[id(b)] = ("in", a)
    return out


def _site_code(s) -> str:
    if s.family == "user":
        return "FAK108"
    return catalog.FAMILIES.get(s.family, {}).get("code", "FAK101")


def fname(q: str) -> str:
    """Short display name of a function qualname: ``Class.method`` or ``func``."""
    if q == "<module>":
        return "<module>"
    q = display_qual(q)
    parts = q.split(".")
    # drop the module part: keep from the first capitalised/class segment or the last name
    return ".".join(parts[-2:]) if len(parts) >= 2 and parts[-2][:1].isupper() else parts[-1]


def _fak000_advice(msg: str) -> str:
    """What to do about an unanalysable file: it depends on why."""
    if msg.startswith("valid Python") or "crashed" in msg or msg.startswith("internal error"):
        return ("the file is valid Python that the analyser cannot handle; nothing else in it was checked "
                "(exclude it, or report it to fakeasync-lint)")
    if "nested too deeply" in msg:
        return "flatten the deepest expression or block; nothing else in it was checked"
    return "fix the file so that Python can parse it; nothing else in it was checked"


def _short_frame(q: str) -> str:
    """``stripe._api_requestor._APIRequestor.request`` -> ``_APIRequestor.request``."""
    parts = q.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else q


def library_frames(api: str) -> List[Frame]:
    """The chain inside the library, below a call of derived library API ``api``: marked as library frames
    (their lines are not known: the facts keep only the functions)."""
    from .libfacts import chain_of

    found = chain_of(api)
    if found is None:
        return []
    source, frames, prim = found
    out = []
    for i, q in enumerate(frames):
        parts = q.split(".")
        k = len(parts) - 1
        while k > 1 and parts[k - 1][:1].isupper():
            k -= 1  # Class.method: the module ends before the class
        path = "/".join(parts[:k]) + ".py"
        last = i == len(frames) - 1
        note = f"calls `{prim}`, which blocks" if last else f"calls `{_short_frame(frames[i + 1])}()`"
        out.append(Frame(path, 1, 1, q, note, library=source))
    return out


def _library_message(s, fn: str, why: str) -> Optional[str]:
    """A call of a library API whose blocking was derived from the library's code: say where the fact
    comes from and the chain down to the primitive."""
    from .libfacts import chain_of

    found = chain_of(s.api)
    if found is None:
        return None
    source, frames, prim = found
    hops = [_short_frame(f) for f in frames[:6]] + (["..."] if len(frames) > 6 else [])
    t, _, m = s.api.rpartition(".")
    what = (f"reading `{short(s.label, 60)}` (a property)" if m in ((catalog.TYPES.get(t) or {}).get("props") or "").split()
            else f"`{short(s.label, 60)}()`")
    return f"{what} ({source}, derived) blocks the event loop in `{fn}`: it {why}: {' → '.join(hops)} → `{prim}`"


class Reporter:
    def __init__(self, facts: Facts, settings, report_paths: Optional[set], cwd: str, display_path: Callable[[str], str],
                 modules: Optional[List[str]] = None, used_from_async: Optional[Dict[str, bool]] = None,
                 io=None):
        self.facts = facts
        self.settings = settings
        self.report_paths = report_paths  # None = all
        self.cwd = cwd
        self.display = display_path
        self.out: List[Diagnostic] = []
        self._ep_reach: Optional[Dict[tuple, int]] = None
        # the modules whose functions the rules visit (an incremental run: only the affected ones)
        self.modules = list(facts.module_functions) if modules is None else modules
        self.ufa: Dict[str, bool] = dict(used_from_async or {})  # module -> FAK201's "imported by async code"
        self.io = io  # func -> I/O kinds (loops.io_kinds), computed when first needed
        self._reach: Optional[tuple] = None

    # ---- helpers --------------------------------------------------------------------------------
    def wanted(self, path: str) -> bool:
        return self.report_paths is None or path in self.report_paths

    def lib(self, module: str) -> str:
        s = self.facts.summaries.get(module)
        return s.get("lib", "asyncio") if s else "asyncio"

    def emit(self, code, message, path, module, line, col, end_line, end_col, func, suggestion=None,
             trace=(), statement="", fix=None, severity="error"):
        if not self.wanted(path):
            return
        if not self.settings.is_enabled(code, path):
            return
        s = self.facts.summaries.get(module)
        if s is not None and _suppressed(s, code, line):
            return
        reach = "endpoint" if code == "FAK403" else None
        if code in REACH_CODES and func:
            reach, why = self.reach(func)
            if reach == "script":
                severity = getattr(self.settings, "script_severity", "warning")
                message += why
        disp = self.display(path)
        d = Diagnostic(
            code=code,
            message=message,
            path=disp,
            filename=os.path.abspath(path) if not os.path.isabs(path) else path,
            location=Location(line, col),
            end_location=Location(end_line, end_col),
            severity=severity,
            suggestion=suggestion,
            function=display_qual(func) if func else func,
            fix=fix,
            trace=list(trace),
            noqa_row=line,
            statement=_WS.sub(" ", statement).strip(),
            reach=reach,
        )
        self.out.append(d)

    def frame_for_site(self, s: Site) -> Frame:
        note = f"`{short(s.text, 100)}` blocks the event loop ({catalog.FAMILIES.get(s.family, {}).get('label', s.family)})"
        if s.api.endswith(".__get__"):
            note = f"reading `{short(s.label, 100)}` runs a lazy query (a foreign key) that blocks the event loop"
        elif s.api.endswith(".__getattr__"):
            note = (f"reading `{short(s.label, 100)}` evaluates the lazy `request.user` (a session and a user "
                    f"query) that blocks the event loop")
        elif s.api.endswith(".__bind__"):
            note = (f"`{short(s.label, 100)}` is the lazy user, kept in a local whose attributes are read below: the "
                    f"first read loads the session and the user (sync queries that block the event loop)")
        if s.family == "user":
            note = f"`{short(s.text, 100)}` is configured as blocking"
        return Frame(self.display(s.path), s.line, s.col, fname(s.func), note)

    def frame_for_edge(self, e: Edge) -> Frame:
        callee = fname(e.callee)
        if e.dispatch:
            return Frame(self.display(e.path), e.line, e.col, fname(e.caller),
                         f"abstract: runs an implementation, `{callee}`")
        if getattr(e, "read", 0):
            return Frame(self.display(e.path), e.line, e.col, fname(e.caller),
                         f"reads property `{callee}`: `{short(e.text, 100)}`")
        verb = "awaits" if e.awaited else "calls"
        inh = getattr(e, "inherited", None)
        if inh:
            return Frame(self.display(e.path), e.line, e.col, fname(e.caller),
                         f"{verb} `{fname(inh[0])}()`, inherited `{fname(inh[1])}`, which runs `{callee}()`: "
                         f"`{short(e.text, 100)}`")
        return Frame(self.display(e.path), e.line, e.col, fname(e.caller), f"{verb} `{callee}()`: `{short(e.text, 100)}`")

    def trace_of(self, steps) -> List[Frame]:
        out = []
        for st in steps:
            out.append(self.frame_for_site(st) if isinstance(st, Site) else self.frame_for_edge(st))
        if steps and isinstance(steps[-1], Site) and steps[-1].family in LIB_FAMILIES:
            out.extend(library_frames(steps[-1].api))
        return out

    def entry_reach(self) -> Dict[tuple, int]:
        """(path, line, col) of a blocking site -> number of entry points that reach it."""
        if self._ep_reach is None:
            reach: Dict[tuple, int] = {}
            for q in self.facts.entry_points:
                if q not in self.facts.blocks:
                    continue
                for steps in reachable_sites(self.facts, q, limit=200):
                    s = steps[-1]
                    k = (s.path, s.line, s.col)
                    reach[k] = reach.get(k, 0) + 1
            self._ep_reach = reach
        return self._ep_reach

    def reach_maps(self) -> tuple:
        """See :func:`reach_maps` (computed once)."""
        if self._reach is None:
            self._reach = reach_maps(self.facts)
        return self._reach

    def reach(self, fq: str) -> "tuple[Optional[str], str]":
        """("endpoint", "") when an entry point reaches ``fq``; ("script", why) when only a command-line
        script's ``asyncio.run(...)`` does (nothing else runs on that loop); (None, "") otherwise."""
        served, scripted = self.reach_maps()
        if fq in served:
            return "endpoint", ""
        root = scripted.get(fq)
        if root is None:
            return None, ""
        path, line, text = root
        sev = getattr(self.settings, "script_severity", "warning")
        return "script", (f"; reached only from `{short(text, 60)}` ({self.display(path)}:{line}): a command-line "
                          f"script's own event loop, where nothing else runs (so a {sev}, `script-severity`)")

    # ---- rules ----------------------------------------------------------------------------------
    def run(self) -> List[Diagnostic]:
        f = self.facts
        for mod in self.modules:
            s = f.summaries.get(mod)
            if s is not None and s.get("error") and self.wanted(s["path"]):
                line, col, msg = s["error"]
                self.emit_error(s, line, col, msg)
        self.local_rules()
        self.factory_rules()
        self.chain_rules()
        self.entry_rules()
        from .loops import loop_rules

        loop_rules(self)
        return self.out

    def emit_error(self, s, line, col, msg):
        path = s["path"]
        if not self.settings.is_enabled("FAK000", path):
            return
        self.out.append(
            Diagnostic(
                code="FAK000",
                message=f"file could not be analysed: {msg}",
                path=self.display(path),
                filename=os.path.abspath(path),
                location=Location(max(1, int(line)), max(1, int(col))),
                end_location=Location(max(1, int(line)), max(1, int(col)) + 1),
                severity="error",
                suggestion=_fak000_advice(msg),
                noqa_row=None,
            )
        )

    def local_rules(self):
        f = self.facts
        reach = None
        for fq, sites in f.sites.items():
            func = f.functions.get(fq)
            if func is None or not func["async"]:
                continue
            live = [s for s in sites if not s.awaited and self.wanted(s.path)]
            inner_of = _nested_sites(live)
            for s in live:
                nested = inner_of.get(id(s))
                if nested is not None and nested[0] == "in":
                    if _site_code(nested[1]) == _site_code(s):
                        continue  # inside another blocking call of the same kind: reported with it
                if reach is None:
                    reach = self.entry_reach()
                n = reach.get((s.path, s.line, s.col), 0)
                if nested is not None and nested[0] == "in":
                    # another rule's call inside that expression: reported under its own code, fixed by the
                    # outer finding's single offload (no nested worker threads)
                    self.emit_site(s, func, n, None, fix_elsewhere=True)
                else:
                    self.emit_site(s, func, n, nested[1] if nested else None)

    def emit_site(self, s: Site, func: dict, n_entries: int, inner=None, fix_elsewhere: bool = False):
        lib = self.lib(s.module)
        fn = f"async def {func['name']}"
        if s.family == "user":
            pat, sugg = s.user_pattern
            code = "FAK108"
            msg = f"`{s.label}()` is configured as blocking (`blocking-calls`: `{pat}`) and is called inside `{fn}`"
            suggestion = sugg
        else:
            fam = catalog.FAMILIES.get(s.family, {})
            code = fam.get("code", "FAK101")
            label = fam.get("label", s.family)
            why = fam.get("why", "blocks")
            tag = "" if label.lower() in s.label.lower() or label.lower() in s.api.lower() else f" ({label})"
            if s.api.endswith(".__get__"):
                msg = (f"reading `{short(s.label, 60)}` loads the related row with a lazy query ({label}): it "
                       f"blocks the event loop in `{fn}` (and raises SynchronousOnlyOperation)")
            elif s.api.endswith(".__getattr__"):
                msg = (f"reading `{short(s.label, 60)}` evaluates the lazy `request.user` ({label}: the session and "
                       f"the user are loaded with sync queries): it blocks the event loop in `{fn}` (and raises "
                       f"SynchronousOnlyOperation)")
            elif s.api.endswith(".__bind__"):
                msg = (f"`{short(s.label, 60)}` is the lazy user, kept in a local whose attributes are read later in "
                       f"`{fn}`: the first read loads the session and the user ({label}, sync queries) on the event "
                       f"loop (and raises SynchronousOnlyOperation)")
            elif s.api.endswith(".__enter__"):
                msg = f"`with {short(s.label, 60)}:`{tag} blocks the event loop in `{fn}`: it {why}"
            elif s.api.rpartition(".")[2] in ((catalog.TYPES.get(s.api.rpartition(".")[0]) or {}).get("props")
                                               or "").split():
                msg = f"reading `{short(s.label, 60)}` (a property){tag} blocks the event loop in `{fn}`: it {why}"
            elif s.iteration and s.api.endswith(".__getitem__"):
                msg = (f"`{short(s.label, 60)}` loads the session from its backend on first use{tag} and blocks the "
                       f"event loop in `{fn}`: it {why}")
            elif s.iteration and s.api.startswith("membership test of ") and (
                    catalog.TYPES.get(s.api[len("membership test of "):]) or {}).get("getitem"):
                msg = (f"testing membership in `{short(s.label, 60)}` (`in`) loads the session from its backend on "
                       f"first use{tag} and blocks the event loop in `{fn}`: it {why}")
            elif s.iteration and s.api.startswith("membership test of "):
                msg = (f"testing membership in `{short(s.label, 60)}` (`in`){tag} iterates it and blocks the event "
                       f"loop in `{fn}`: it {why}")
            elif s.iteration and s.api.startswith("truth test of "):
                msg = (f"testing `{short(s.label, 60)}` for truth{tag} evaluates the queryset (it fetches every "
                       f"row) and blocks the event loop in `{fn}`: it {why}")
            elif s.iteration and _INDEXED.search(s.label):
                msg = f"indexing `{short(s.label, 60)}`{tag} blocks the event loop in `{fn}`: it {why}"
            elif s.iteration:
                msg = f"iterating over `{short(s.label, 60)}`{tag} blocks the event loop in `{fn}`: it {why}"
            else:
                msg = f"`{short(s.label, 60)}()`{tag} blocks the event loop in `{fn}`: it {why}"
            if s.family in LIB_FAMILIES:
                msg = _library_message(s, fn, why) or msg
            suggestion = fill(s.replacement or fam.get("replacement"), lib)
        if inner:
            names = ", ".join(f"`{short(x.label, 40)}()`" for x in inner[:3]) + (", ..." if len(inner) > 3 else "")
            msg += f"; the same expression also blocks in {names}: offload the whole expression once"
        if fix_elsewhere:
            msg += "; it is part of a larger blocking expression: offload that expression once"
        if s.in_loop:
            msg += "; it runs once per loop iteration"
        if n_entries:
            msg += f" (reached from {n_entries} entry point{'s' if n_entries != 1 else ''})"
        from .fixes import fix_for_site

        if fix_elsewhere:
            fix = Fix(DISPLAY_ONLY, suggestion, ()) if suggestion else None
        else:
            fix = fix_for_site(s, lib, suggestion, self.facts.summaries.get(s.module),
                               target_version=self.settings.target_version, whole_expression=bool(inner))
        trace = ()
        if s.family in LIB_FAMILIES:  # the chain inside the library, down to the primitive
            lf = library_frames(s.api)
            if lf:
                trace = [self.frame_for_site(s)] + lf
        self.emit(code, msg, s.path, s.module, s.line, s.col, s.end_line, s.end_col, func["qual"],
                  suggestion=suggestion, statement=s.text, fix=fix, trace=trace)

    def factory_rules(self):
        f = self.facts
        for s in f.factories:
            if not self.wanted(s.path):
                continue
            summ = f.summaries.get(s.module)
            if summ is None:
                continue
            if not any(fn["async"] for fn in summ["functions"].values()) and not self._used_from_async(s):
                continue
            kind = s.family.split(":", 1)[1]
            from .fixes import factory_suggestion

            message, suggestion, fix = factory_suggestion(kind, s)
            self.emit("FAK201", message, s.path, s.module, s.line, s.col, s.end_line, s.end_col,
                      s.func if s.func != "<module>" else None, suggestion=suggestion, statement=s.text, fix=fix)

    def _used_from_async(self, s: Site) -> bool:
        r = self.ufa.get(s.module)
        if r is None:
            r = self.ufa[s.module] = used_from_async(self.facts.summaries, s.module)
        return r

    def chain_rules(self):
        f = self.facts
        for mod in self.modules:
            for fq in f.module_functions.get(mod, ()):
                self._chain_rules(fq)

    def _chain_rules(self, fq: str) -> None:
        f = self.facts
        edges = f.edges.get(fq)
        if edges:
            caller = f.functions.get(fq)
            if caller is None or not caller["async"]:
                return
            for e in edges:
                if e.dispatch or not self.wanted(e.path) or e.callee not in f.blocks:
                    continue  # an abstract method's implementations: reported at its callers
                callee = f.functions.get(e.callee)
                if callee is None:
                    continue
                steps = [e] + chain(f, e.callee)
                last = steps[-1]
                if not isinstance(last, Site):
                    continue
                names = " → ".join(
                    [f"`{fname(x.callee)}`" for x in steps[:-1]] + [_site_display(last)]
                )
                inh = getattr(e, "inherited", None)
                if inh:  # `UserService.get_by_id()` runs the base's method with `cls.model` bound to the subclass
                    names = f"`{fname(inh[1])}` → " + names
                where = f"{self.display(last.path)}:{last.line}"
                if not callee["async"] and not e.awaited:
                    lib = self.lib(caller["module"])
                    prop = getattr(e, "read", 0)
                    if prop:
                        msg = (f"reads `{short(e.label, 60)}`, the property `{fname(e.callee)}`"
                               f"{' (computed on the first read of each instance)' if prop == 2 else ''}, which blocks: "
                               f"{names} ({where})")
                    elif inh:
                        msg = f"calls `{fname(inh[0])}()`, which blocks: {names} ({where})"
                    else:
                        msg = f"calls `{fname(e.callee)}()`, which blocks: {names} ({where})"
                    if e.in_loop:
                        msg += "; it runs once per loop iteration"
                    n_eps = self.reach_maps()[0].get(fq, 0)
                    if n_eps:
                        msg += f" (reached from {n_eps} entry point{'s' if n_eps != 1 else ''})"
                    sugg = (
                        f"offload it: `await {TO_THREAD.get(lib, 'asyncio.to_thread')}({fname(e.callee).split('.')[-1]}, ...)`, "
                        f"or make the chain down to `{short(last.label, 40)}` async"
                    )
                    fix = None
                    if prop:
                        sugg = (f"read it in a worker thread: `await {TO_THREAD.get(lib, 'asyncio.to_thread')}"
                                f"(lambda: {short(e.text, 40)})`, or make the chain down to `{short(last.label, 40)}` async")
                    else:
                        fix = fix_for_edge(e, lib, self.facts.summaries.get(caller["module"]),
                                           target_version=self.settings.target_version)
                    self.emit("FAK401", msg, e.path, caller["module"], e.line, e.col, e.end_line, e.end_col, fq,
                              suggestion=sugg, trace=self.trace_of(steps), statement=e.text, fix=fix)
                elif callee["async"] and e.awaited:
                    msg = (f"awaits `{fname(e.callee)}()`, which blocks the event loop at {where} "
                           f"(`{short(last.text, 60)}`)")
                    sugg = f"make `{fname(e.callee)}` really async (an async driver or client), or offload its blocking part to a thread"
                    self.emit("FAK402", msg, e.path, caller["module"], e.line, e.col, e.end_line, e.end_col, fq,
                              suggestion=sugg, trace=self.trace_of(steps), statement=e.text, severity="warning")

    def entry_rules(self):
        """FAK403: one diagnostic per entry point and blocking function, listing its blocking lines."""
        f = self.facts
        for q, ep in sorted(f.entry_points.items()):
            func = f.functions.get(q)
            if func is None or q not in f.blocks or not self.wanted(func["path"]):
                continue
            chains = reachable_sites(f, q, limit=50)
            head = f"{ep.method} {ep.route}".strip() if ep.kind in ("route", "websocket") else (
                f"startup handler `{func['name']}`" if ep.kind == "startup" else f"async view `{func['name']}`"
            )
            ep_frame = Frame(self.display(func["path"]), func["line"], func["col"], fname(q),
                             f"{head}: entry point `{fname(q)}`")
            groups: Dict[tuple, list] = {}
            for steps in chains:
                last = steps[-1]
                groups.setdefault((last.path, last.func), []).append(steps)
            for (path, bfunc), group in groups.items():
                steps = group[0]
                last = steps[-1]
                via = " → ".join([f"`{fname(q)}`"] + [f"`{fname(x.callee)}`" for x in steps[:-1]])
                lines = ", ".join(
                    f"`{short(g[-1].text, 50)}` (line {g[-1].line})" for g in group[:6]
                ) + (f" and {len(group) - 6} more" if len(group) > 6 else "")
                n = len(group)
                msg = (f"{head} blocks the event loop: {via} reaches {n} blocking call{'s' if n != 1 else ''} "
                       f"in {self.display(path)}: {lines}")
                fam = catalog.FAMILIES.get(last.family, {})
                sugg = fam.get("replacement") if last.family != "user" else (last.user_pattern or ("", ""))[1]
                sugg = fill(sugg, self.lib(last.module))
                self.emit("FAK403", msg, func["path"], func["module"], func["line"], func["col"], func["line"],
                          func["col"] + len(("async def " if func["async"] else "def ") + func["name"]), q,
                          suggestion=sugg, trace=[ep_frame] + self.trace_of(steps),
                          statement=f"{head} {_project_relative(path, self.settings.project_root)} {bfunc}")


def reach_maps(facts: Facts) -> tuple:
    """({function an entry point reaches: how many do}, {function: (path, line, runner text)} for those a script's own
    loop reaches: the coroutines run by ``asyncio.run(...)`` in module-level code or a sync function,
    ``project.Facts.module_scripts``).  Reached means: along the calls that make a caller block (a sync
    call of a blocking function, an await of a fake-async one), so every function on the way blocks."""
    served: Dict[str, int] = {}  # function -> how many entry points reach it
    for ep in facts.entry_points:
        if ep in facts.blocks:
            for q in _forward(facts, [ep]):
                served[q] = served.get(q, 0) + 1
    roots = {}
    for mod, runs in facts.module_scripts.items():
        for q, line, text in runs:
            if q in facts.blocks and q not in roots:
                s = facts.summaries.get(mod)
                roots[q] = (s["path"] if s is not None else mod, line, text)
    scripted: Dict[str, tuple] = {}
    for q, root in roots.items():
        for g in _forward(facts, [q]):
            scripted.setdefault(g, root)
    return served, scripted


def _forward(facts: Facts, roots) -> set:
    """The functions reached from ``roots`` along the calls through which blocking propagates
    (``project._propagate``): a sync call of a blocking sync function, an await of a fake-async one."""
    funcs, blocks, edges = facts.functions, facts.blocks, facts.edges
    seen = set(roots)
    todo = list(roots)
    while todo:
        q = todo.pop()
        f = funcs.get(q)
        if f is None:
            continue
        for e in edges.get(q, ()):
            c = e.callee
            if c in seen or c not in blocks:
                continue
            g = funcs.get(c)
            if g is None:
                continue
            if g["async"]:
                if not (f["async"] and e.awaited):
                    continue
            elif e.awaited:
                continue
            seen.add(c)
            todo.append(c)
    return seen


def used_from_async(summaries, mod: str) -> bool:
    """The module (that builds an engine/client) is imported by a module with async functions."""
    return used_from_async_many(summaries, (mod,))[mod]


def used_from_async_many(summaries, mods) -> Dict[str, bool]:
    """:func:`used_from_async` for several modules in one pass over the imports."""
    out = {m: False for m in mods}
    want = set(out)
    prefixes = tuple(m + "." for m in want)
    for m, summ in summaries.items():
        hits = None
        for v in summ.get("imports", {}).values():
            if v in want or v.startswith(prefixes):
                for w in want:
                    if w != m and (v == w or v.startswith(w + ".")):
                        hits = hits or set()
                        hits.add(w)
        if hits and any(fn["async"] for fn in summ["functions"].values()):
            for w in hits:
                out[w] = True
            want -= hits
            if not want:
                break
            prefixes = tuple(w + "." for w in want)
    return out


def _project_relative(path: str, root) -> str:
    """POSIX path below the project root (identities must not depend on the checkout location)."""
    try:
        rel = os.path.relpath(path, str(root))
    except ValueError:
        return path.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def _suppressed(summary: dict, code: str, line: int) -> bool:
    fc = summary.get("file_noqa")
    if fc == "*":
        return True
    if fc and any(code.startswith(c) for c in fc):
        return True
    codes = summary.get("noqa", {}).get(str(line), False)
    if codes is False:
        return False
    if codes is None:
        return True
    return any(code.startswith(c) for c in codes)


def add_fingerprints(diags: Iterable[Diagnostic]) -> None:
    """Line-number-free identity: code, path, function, normalised statement, occurrence index."""
    seen: Dict[str, int] = {}
    for d in sorted(diags, key=lambda d: d.sort_key()):
        base = f"{d.code}|{d.path}|{d.function or ''}|{d.statement or d.message}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        h = hashlib.sha1(f"{base}|{n}".encode("utf-8")).hexdigest()[:20]
        d.fingerprint = f"{d.code.lower()}:{h}"
