"""``fakeasync-lint report``: a Markdown performance report in the style of a hand-written review.

Per affected endpoint (FAK403) a Mermaid ``graph TB`` flowchart from the API request through the
service layer down to the blocking lines (the fake-async wrapper yellow, blocking lines red), the
blocking lines with their async replacement, impact and root cause; then a table of root causes
(distinct blocking sites and FAK201 engine/client constructions) with severity and scope, the N+1
loops (FAK301/FAK302), and the sync helpers called from async code (FAK401).

Only :class:`~fakeasync_lint.runner.RunResult` is read (``diagnostics`` and ``facts``); nothing is
re-analysed here.
"""
from __future__ import annotations

import os
import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

import click

from . import __version__, catalog
from .diagnose import fill, fname, short
from .models import Diagnostic
from .output.mermaid import escape_label
from .project import Edge, Facts, Site, chain, reachable_sites

RED = "fill:#ff6b6b,stroke:#c92a2a,stroke-width:3px,color:#fff"
YELLOW = "fill:#ffe066,stroke:#ffd43b,stroke-width:2px"
PINK = "fill:#fee,stroke:#fcc,stroke-width:2px"
BLUE = "fill:#e7f5ff,stroke:#74c0fc,stroke-width:1px"

MAX_SITES_PER_GRAPH = 12  # red nodes per flowchart; the rest is summarised in one node
MAX_HELPER_GRAPHS = 30  # FAK401 helpers drawn as flowcharts; the rest only in the table
MAX_CALLERS_PER_HELPER = 8
MAX_KEY_PROBLEMS = 6  # "Key problem" paragraphs per endpoint
N_PLUS_ONE_CODES = ("FAK301", "FAK302")
LOCAL_CODES = ("FAK101", "FAK102", "FAK103", "FAK104", "FAK105", "FAK106", "FAK107", "FAK108")
FACTORY_LABELS = {"sqlalchemy": "synchronous SQLAlchemy engine", "supabase": "synchronous Supabase client"}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}

SiteKey = Tuple[str, int, int]  # (absolute path, line, column)


# ---- small text helpers ---------------------------------------------------------------------------


def code(text: str) -> str:
    """``text`` as a Markdown code span (safe in table cells: pipes escaped, backticks fenced)."""
    text = (text or "").replace("\n", " ").replace("|", "\\|")
    if "`" not in text:
        return f"`{text}`"
    ticks = "``" if "``" not in text else "```"
    if ticks == "```":  # never emit a fence-like run of backticks
        text = text.replace("`", "'")
        return f"`{text}`"
    return f"{ticks} {text} {ticks}"


def cell(text: str) -> str:
    """Plain text safe inside a Markdown table cell."""
    return (text or "").replace("\n", " ").replace("|", "\\|")


def label(*parts: str) -> str:
    """A quoted Mermaid node label: every part escaped, parts joined by line breaks."""
    return "<br/>".join(escape_label(p) for p in parts if p)


def _plural(n: int, word: str, plural: Optional[str] = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _sev(severity: str) -> str:
    return f"**{severity.upper()}**"


# ---- model ----------------------------------------------------------------------------------------


@dataclass
class Endpoint:
    qual: str
    head: str  # "GET /tables", "startup handler `lifespan`"
    kind: str
    func: dict
    chains: List[list] = field(default_factory=list)  # [Edge, ..., Site]


@dataclass
class RootCause:
    key: Tuple
    path: str  # absolute
    line: int
    end_line: int
    text: str
    family: str
    code: str
    kind: str  # "site" | "factory"
    func: str
    suggestion: Optional[str] = None
    in_loop: bool = False
    iteration: bool = False
    endpoints: List[str] = field(default_factory=list)
    severity: str = "medium"


class _Paths:
    """Display paths (relative to cwd), link targets and the short names used on diagram nodes."""

    def __init__(self, cwd: str, link_base: Optional[str]):
        self.cwd = cwd
        self.link_base = link_base or cwd
        self._short: Dict[str, str] = {}
        self._all: set = set()

    @staticmethod
    def _rel(p: str, base: str) -> str:
        if not os.path.isabs(p):
            return p.replace(os.sep, "/")
        try:
            rel = os.path.relpath(p, base)
        except ValueError:
            return p.replace(os.sep, "/")
        if rel.startswith(".." + os.sep + ".." + os.sep + ".."):
            return p.replace(os.sep, "/")
        return rel.replace(os.sep, "/")

    def display(self, p: str) -> str:
        rel = self._rel(p, self.cwd)
        return p.replace(os.sep, "/") if rel.startswith("../") else rel

    def link(self, p: str, line: int, end_line: Optional[int] = None) -> str:
        target = self._rel(p, self.link_base)
        anchor = f"#L{line}" + (f"-L{end_line}" if end_line and end_line > line else "")
        shown = f"{self.display(p)}:{line}" + (f"-{end_line}" if end_line and end_line > line else "")
        return f"[{cell(shown)}]({target.replace(' ', '%20')}{anchor})"

    def register(self, paths: Iterable[str]) -> None:
        self._all.update(self.display(p) for p in paths)
        self._short.clear()

    def short(self, p: str) -> str:
        """The shortest trailing part of the path that no other path in the report shares."""
        d = self.display(p)
        if d in self._short:
            return self._short[d]
        parts = d.split("/")
        others = [o.split("/") for o in self._all if o != d]
        for n in range(1, len(parts) + 1):
            tail = parts[-n:]
            if not any(o[-n:] == tail for o in others):
                self._short[d] = "/".join(tail)
                return self._short[d]
        self._short[d] = d
        return d


def _endpoint_head(ep, func: dict) -> str:
    if ep.kind in ("route", "websocket"):
        return f"{ep.method} {ep.route}".strip()
    if ep.kind == "startup":
        return f"startup handler {func['name']}"
    return f"async view {func['name']}"


def _family(s: Site) -> Tuple[str, str, Optional[str]]:
    """(label, code, replacement) of a blocking site."""
    if s.family == "user":
        pat, sugg = s.user_pattern or ("", "")
        return f"configured `{pat}`", "FAK108", sugg
    fam = catalog.FAMILIES.get(s.family, {})
    return fam.get("label", s.family), fam.get("code", "FAK101"), s.replacement or fam.get("replacement")


def _lib(facts: Facts, module: str) -> str:
    s = facts.summaries.get(module)
    return s.get("lib", "asyncio") if s else "asyncio"


def _call_text(s: Site, n: int = 70) -> str:
    t = short(s.text, n)
    return f"for … in {t}" if s.iteration else t


def _def(func: Optional[dict], qual: str) -> str:
    if func is None:
        return f"{fname(qual)}()"
    return f"{'async def' if func['async'] else 'def'} {fname(qual)}()"


# ---- the report -----------------------------------------------------------------------------------


class _Report:
    def __init__(self, result, title: Optional[str], cwd: Optional[str], link_base: Optional[str],
                 max_endpoints: Optional[int] = None):
        self.result = result
        self.facts: Facts = result.facts
        self.diags: List[Diagnostic] = list(result.diagnostics)
        self.title = title or "Fake-async performance report"
        self.paths = _Paths(cwd or os.getcwd(), link_base)
        self.by_loc: Dict[Tuple[str, int, int, str], Diagnostic] = {}
        for d in self.diags:
            self.by_loc.setdefault((os.path.abspath(d.filename), d.location.row, d.location.column, d.code), d)
        # every blocking site and factory, by (absolute path, line, col) and by display position
        self.sites: Dict[SiteKey, Site] = {}
        for ss in self.facts.sites.values():
            for s in ss:
                self.sites.setdefault((s.path, s.line, s.col), s)
        self.sites_by_display = {(self.paths.display(k[0]), k[1], k[2]): s for k, s in self.sites.items()}
        self.factories = {(s.path, s.line, s.col): s for s in self.facts.factories}
        self.endpoints = self._endpoints()
        self.causes = self._root_causes()
        self._order_endpoints()
        self.omitted: List[Endpoint] = []
        if max_endpoints is not None and max_endpoints >= 0 and len(self.endpoints) > max_endpoints:
            self.omitted = self.endpoints[max_endpoints:]
            self.endpoints = self.endpoints[:max_endpoints]
        self.helpers = self._helpers()
        paths = {k[0] for k in self.sites} | {f["path"] for f in self.facts.functions.values()
                                                if f["qual"] in self._drawn_funcs()}
        self.paths.register(paths)

    # -- collecting -------------------------------------------------------------------------------
    def _endpoints(self) -> List[Endpoint]:
        f = self.facts
        quals: List[str] = []
        fak403 = [d for d in self.diags if d.code == "FAK403"]
        for d in fak403:
            if d.function in f.entry_points and d.function not in quals:
                quals.append(d.function)
        if not fak403:  # FAK403 not selected: fall back to the facts
            quals = [q for q in f.entry_points if q in f.blocks and q in f.functions]
        out = []
        for q in quals:
            func = f.functions[q]
            ep = f.entry_points[q]
            e = Endpoint(q, _endpoint_head(ep, func), ep.kind, func, reachable_sites(f, q, limit=200))
            if e.chains:
                out.append(e)
        out.sort(key=lambda e: (self.paths.display(e.func["path"]), e.func["line"]))
        return out

    def _order_endpoints(self) -> None:
        """Most severe first (shared blocking code before single-use), then most blocking calls."""
        def key(e: Endpoint):
            sev = min((SEVERITY_ORDER[rc.severity] for rc in (self.cause_for(st[-1]) for st in e.chains)
                       if rc is not None), default=2)
            return (sev, e.kind not in ("route", "websocket", "view"), -len(e.chains),
                    self.paths.display(e.func["path"]), e.func["line"])
        self.endpoints.sort(key=key)

    def _root_causes(self) -> List[RootCause]:
        causes: "OrderedDict[Tuple, RootCause]" = OrderedDict()

        def add_site(s: Site) -> RootCause:
            k = ("site", s.path, s.line, s.col)
            rc = causes.get(k)
            if rc is None:
                fam, fcode, repl = _family(s)
                d = self.by_loc.get((s.path, s.line, s.col, fcode))
                sugg = d.suggestion if d is not None and d.suggestion else fill(repl, _lib(self.facts, s.module))
                rc = RootCause(k, s.path, s.line, s.end_line, s.text, fam, fcode, "site", s.func, sugg,
                               s.in_loop, s.iteration)
                causes[k] = rc
            return rc

        for e in self.endpoints:
            for steps in e.chains:
                rc = add_site(steps[-1])
                if e.head not in rc.endpoints:
                    rc.endpoints.append(e.head)
        for d in self.diags:
            if d.code in LOCAL_CODES:
                s = self.sites.get((os.path.abspath(d.filename), d.location.row, d.location.column))
                if s is not None:
                    add_site(s)
            elif d.code in ("FAK401", "FAK402") and d.trace:
                last = [f for f in d.trace if not f.library][-1]
                s = self.sites_by_display.get((last.path, last.line, last.column))
                if s is not None:
                    add_site(s)
        for d in self.diags:
            if d.code != "FAK201":
                continue
            fpath = os.path.abspath(d.filename)
            s = self.factories.get((fpath, d.location.row, d.location.column))
            kind = s.family.split(":", 1)[1] if s is not None else "engine"
            text = s.text if s is not None else d.statement
            k = ("factory", fpath, d.location.row, d.location.column)
            module = s.module if s is not None else None
            eps = []
            for e in self.endpoints:  # endpoints with a blocking call in the same module
                if any(st[-1].module == module or st[-1].path == fpath for st in e.chains):
                    eps.append(e.head)
            causes[k] = RootCause(k, fpath, d.location.row, d.end_location.row, text,
                                  FACTORY_LABELS.get(kind, f"synchronous {kind} client"), "FAK201", "factory", d.function or "<module>",
                                  d.suggestion, endpoints=eps, severity="critical")
        for rc in causes.values():
            if rc.kind == "site":
                n = len(rc.endpoints)
                rc.severity = "critical" if n >= 2 else ("high" if n == 1 else "medium")
        return sorted(causes.values(), key=lambda r: (SEVERITY_ORDER[r.severity], r.kind != "factory",
                                                      -len(r.endpoints), self.paths.display(r.path), r.line))

    def _helpers(self) -> "OrderedDict[str, List[Tuple[Diagnostic, Edge]]]":
        """FAK401 diagnostics grouped by the sync function they call."""
        groups: "OrderedDict[str, List[Tuple[Diagnostic, Edge]]]" = OrderedDict()
        for d in self.diags:
            if d.code != "FAK401" or not d.function:
                continue
            fpath = os.path.abspath(d.filename)
            edge = None
            for e in self.facts.edges.get(d.function, ()):
                if e.path == fpath and e.line == d.location.row and e.col == d.location.column:
                    edge = e
                    break
            if edge is None:
                continue
            groups.setdefault(edge.callee, []).append((d, edge))
        return groups

    def _drawn_funcs(self) -> set:
        out = set()
        for e in self.endpoints:
            out.add(e.qual)
            for steps in e.chains:
                for st in steps[:-1]:
                    out.add(st.caller)
                    out.add(st.callee)
        for callee, items in self.helpers.items():
            out.add(callee)
            for _, e in items:
                out.add(e.caller)
        return out

    def cause_for(self, s: Site) -> Optional[RootCause]:
        if getattr(self, "_cause_index", None) is None or len(self._cause_index) != len(self.causes):
            self._cause_index = {rc.key: rc for rc in self.causes}
        return self._cause_index.get(("site", s.path, s.line, s.col))

    # -- rendering --------------------------------------------------------------------------------
    def render(self) -> str:
        out: List[str] = []
        out += self.header()
        issue = 0
        for e in self.endpoints:
            issue += 1
            out += self.endpoint_section(issue, e)
        out += self.n_plus_one_section()
        out += self.helper_section()
        out += self.root_cause_section()
        out += self.summary_section()
        out += self.omitted_section()
        out += self.actions_section()
        text = "\n".join(out).rstrip() + "\n"
        return text

    def header(self) -> List[str]:
        r = self.result
        counts: Dict[str, int] = {}
        for d in self.diags:
            counts[d.code] = counts.get(d.code, 0) + 1
        n_eps = len(self.facts.entry_points)
        sites = [c for c in self.causes if c.kind == "site"]
        factories = [c for c in self.causes if c.kind == "factory"]
        n_blocking = len(self.endpoints) + len(self.omitted)
        lines = [
            f"# {self.title}",
            "",
            f"Generated by fakeasync-lint {__version__}: {_plural(r.files_checked, 'file')} checked "
            f"({r.files_indexed} indexed).",
            "",
            f"**{_plural(n_blocking, 'entry point')} {'blocks' if n_blocking == 1 else 'block'} the event loop** "
            f"(of {n_eps} found), through **{_plural(len(sites), 'blocking call')}** "
            f"and **{_plural(len(factories), 'synchronous engine/client', 'synchronous engines/clients')}** "
            "(FAK201). "
            f"{_plural(len(self.helpers), 'sync helper')} {'is' if len(self.helpers) == 1 else 'are'} "
            f"called directly from async code (FAK401).",
            "",
        ]
        if self.omitted:
            lines += [f"Only the {len(self.endpoints)} most severe entry points get a section below; "
                      f"{len(self.omitted)} more are listed at the end.", ""]
        if counts:
            lines += ["| Code | Findings |", "| ---- | -------: |"]
            for c in sorted(counts):
                lines.append(f"| {c} | {counts[c]} |")
            lines.append(f"| **Total** | **{sum(counts.values())}** |")
        else:
            lines.append("No findings.")
        errs = [d for d in self.diags if d.code == "FAK000"]
        if errs:
            lines += ["", f"{_plural(len(errs), 'file')} could not be analysed (FAK000): "
                      + ", ".join(self.paths.link(os.path.abspath(d.filename), d.location.row) for d in errs[:20])
                      + (" …" if len(errs) > 20 else "")]
        lines += ["", "---", ""]
        return lines

    # endpoint ---------------------------------------------------------------------------------------
    def endpoint_section(self, n: int, e: Endpoint) -> List[str]:
        f = self.facts
        func = e.func
        chains = sorted(e.chains, key=lambda st: (self.paths.display(st[-1].path), st[-1].line, st[-1].col))
        by_func: "OrderedDict[str, List[Site]]" = OrderedDict()
        for st in chains:
            by_func.setdefault(st[-1].func, []).append(st[-1])
        out = [f"## Issue #{n}: `{e.head}`", "", "### Description", ""]
        out.append(
            f"`{e.head}` is served by `{_def(func, e.qual)}` at {self.paths.link(func['path'], func['line'])}. "
            f"While it runs, {_plural(len(chains), 'blocking call')} in "
            f"{_plural(len(by_func), 'function')} {'stops' if len(chains) == 1 else 'stop'} the event loop."
        )
        out.append("")
        for i, (bq, sites) in enumerate(by_func.items()):
            if i == MAX_KEY_PROBLEMS:
                rest = len(by_func) - MAX_KEY_PROBLEMS
                out += [f"… and {_plural(rest, 'more function')} with blocking calls (listed under "
                        "*Blocking lines*).", ""]
                break
            bf = f.functions.get(bq)
            calls = ", ".join(code(short(s.label, 40) + ("" if s.iteration else "()")) for s in sites[:4])
            calls += f" and {len(sites) - 4} more" if len(sites) > 4 else ""
            where = self.paths.link(bf["path"], bf["line"]) if bf else self.paths.display(sites[0].path)
            if bf is not None and bf["async"]:
                out.append(f"**Key problem:** `{_def(bf, bq)}` ({where}) is marked `async` but calls {calls} "
                           "synchronously: a fake-async wrapper.")
            else:
                out.append(f"**Key problem:** `{_def(bf, bq)}` ({where}) is a sync function that calls {calls}; "
                           "it is called directly (not offloaded) from async code.")
            out.append("")
        out += ["### Flowchart", "", "```mermaid"] + self.endpoint_graph(e, chains) + ["```", ""]
        out += ["### Blocking lines", ""]
        for st in chains:
            s = st[-1]
            fam, fcode, _ = _family(s)
            rc = self.cause_for(s)
            loop = " — runs once per loop iteration" if s.in_loop else ""
            via = " → ".join([fname(e.qual)] + [fname(x.callee) for x in st[:-1]])
            out.append(f"- {self.paths.link(s.path, s.line, s.end_line)} {code(_call_text(s))} — {fam} "
                       f"({fcode}){loop}; via {code(via)}")
            if rc is not None and rc.suggestion:
                out.append(f"  - Fix: {rc.suggestion}")
        out += ["", "### Impact", ""]
        in_loop = [st[-1] for st in chains if st[-1].in_loop]
        loops = self.loop_calls(e)
        out.append(f"- Every call above holds the event loop: while `{e.head}` waits for I/O, no other request, "
                   "websocket or background task on this worker makes progress.")
        if in_loop or loops:
            out.append(f"- {_plural(len(in_loop) + len(loops), 'call')} on this path "
                       f"{'runs' if len(in_loop) + len(loops) == 1 else 'run'} once per loop iteration, "
                       "so the blocked time grows with the data (N+1): "
                       + ", ".join(f"{self.paths.link(p, ln)} {code(t)}" for p, ln, t in
                                   [(s.path, s.line, _call_text(s, 50)) for s in in_loop] + loops))
        shared = [self.cause_for(st[-1]) for st in chains]
        shared_n = max((len(rc.endpoints) for rc in shared if rc is not None), default=1)
        if shared_n > 1:
            out.append(f"- The same blocking code is reached from {shared_n} entry points; fixing it once "
                       "fixes them all.")
        out += ["", f"**Root cause:** {self.root_cause_text(chains)}", "", "---", ""]
        return out

    def loop_calls(self, e: Endpoint) -> List[Tuple[str, int, str]]:
        """Awaits/calls of blocking functions inside loops, in the functions on this endpoint's paths."""
        f = self.facts
        funcs = [e.qual]
        for st in e.chains:
            for x in st[:-1]:
                if x.callee not in funcs:
                    funcs.append(x.callee)
        out = []
        seen = set()
        for q in funcs:
            for ed in f.edges.get(q, ()):
                if not ed.in_loop or ed.callee not in f.blocks:
                    continue
                k = (ed.path, ed.line)
                if k in seen:
                    continue
                seen.add(k)
                out.append((ed.path, ed.line, ("await " if ed.awaited else "") + short(ed.text, 50)))
        return out

    def root_cause_text(self, chains: List[list]) -> str:
        fams: "OrderedDict[str, int]" = OrderedDict()
        modules = set()
        for st in chains:
            fam, fcode, _ = _family(st[-1])
            fams[f"{fam} ({fcode})"] = fams.get(f"{fam} ({fcode})", 0) + 1
            modules.add(st[-1].path)
        text = ", ".join(f"{_plural(v, 'call')} through the {k}" for k, v in fams.items()) + \
               " made directly in code that runs on the event loop."
        engines = [rc for rc in self.causes if rc.kind == "factory" and rc.path in modules]
        if engines:
            text += " The client is built synchronously at " + ", ".join(
                f"{self.paths.link(rc.path, rc.line, rc.end_line)} ({code(short(rc.text, 60))})" for rc in engines
            ) + " (FAK201)."
        return text

    def endpoint_graph(self, e: Endpoint, chains: List[list]) -> List[str]:
        f = self.facts
        g = _Graph()
        ep = f.entry_points[e.qual]
        if ep.kind in ("route", "websocket"):
            req = g.node(("req",), label("API Request:" if ep.kind == "route" else "WebSocket:", e.head))
        elif ep.kind == "startup":
            req = g.node(("req",), label("Application startup/shutdown:", f"{e.func['name']}()"))
        else:
            req = g.node(("req",), label("Async view:", e.func["name"]))
        shown = chains[:MAX_SITES_PER_GRAPH]
        blocking_funcs = {st[-1].func for st in shown}
        fnode = {}

        def func_node(q: str) -> str:
            if q in fnode:
                return fnode[q]
            fn = f.functions.get(q)
            role = ""
            if q == e.qual:
                role = {"route": "Route handler", "websocket": "WebSocket handler",
                        "startup": "Startup handler"}.get(ep.kind, "View")
            if q in blocking_funcs:
                role = (role + " · " if role else "") + (
                    "⚠️ Fake async wrapper" if fn and fn["async"] else "⚠️ Sync function on the event loop")
            nid = g.node(("f", q), label(f"{self.paths.short(fn['path'])}:{fn['line']}" if fn else "?",
                                         _def(fn, q), role))
            if q in blocking_funcs:
                g.style(nid, YELLOW)
            fnode[q] = nid
            return nid

        g.edge(req, func_node(e.qual))
        red = []
        drawn = set()  # (caller, callee, line) of the call edges already drawn
        for st in shown:
            prev = func_node(e.qual)
            for x in st[:-1]:
                nxt = func_node(x.callee)
                verb = "await" if x.awaited else "call"
                g.edge(prev, nxt, f"{verb} · line {x.line}" + (" · in loop (N+1)" if x.in_loop else ""))
                drawn.add((x.caller, x.callee, x.line))
                prev = nxt
            s = st[-1]
            lines = f"{s.line}-{s.end_line}" if s.end_line > s.line else f"{s.line}"
            fam, fcode, _ = _family(s)
            nid = g.node(("s", s.path, s.line, s.col),
                         label(f"{self.paths.short(s.path)}:{lines}", _call_text(s, 60),
                               f"❌ BLOCKING CALL ({fam})" + (" · in loop" if s.in_loop else "")))
            g.edge(func_node(s.func), nid)
            red.append(nid)
        # loops that call into the drawn blocking functions again (the N+1 shape of the seed report)
        for q in list(fnode):
            for x in f.edges.get(q, ()):
                if x.in_loop and ("f", x.callee) in g.ids and (q, x.callee, x.line) not in drawn:
                    drawn.add((q, x.callee, x.line))
                    verb = "await" if x.awaited else "call"
                    g.edge(fnode[q], fnode[x.callee], f"{verb} · line {x.line} · in loop (N+1)")
        if len(chains) > len(shown):
            more = g.node(("more",), label(f"… {_plural(len(chains) - len(shown), 'more blocking call')}",
                                           "listed below"))
            g.edge(func_node(e.qual), more, dotted=True)
            g.style(more, PINK)
        impact = g.node(("impact",), label("❌ Event loop blocked", "❌ All other requests on this worker wait"))
        for nid in red:
            g.edge(nid, impact, dotted=True)
        for nid in red:
            g.style(nid, RED)
        g.style(impact, PINK)
        return g.lines()

    # N+1 ---------------------------------------------------------------------------------------------
    def n_plus_one_section(self) -> List[str]:
        out = ["## N+1 loops (FAK301, FAK302)", ""]
        ds = [d for d in self.diags if d.code in N_PLUS_ONE_CODES]
        if not ds:
            out += ["None found.", "", "---", ""]
            return out
        for d in ds:
            out.append(f"### {d.code} at {self.paths.link(os.path.abspath(d.filename), d.location.row)}")
            out.append("")
            out.append(cell(d.message))
            if d.suggestion:
                out += ["", f"**Fix:** {d.suggestion}"]
            if d.trace:
                out += ["", "```mermaid"] + self.trace_graph(d) + ["```"]
            out.append("")
        out += ["---", ""]
        return out

    def trace_graph(self, d: Diagnostic) -> List[str]:
        g = _Graph()
        prev = None
        ids = []
        for i, fr in enumerate(d.trace):
            nid = g.node(("t", i), label(f"{self.paths.short(fr.path)}:{fr.line}", fr.function, short(fr.note, 80)))
            if prev is not None:
                g.edge(prev, nid)
            prev = nid
            ids.append(nid)
        if ids:
            g.style(ids[-1], RED)
        return g.lines()

    # FAK401 ------------------------------------------------------------------------------------------
    def helper_section(self) -> List[str]:
        f = self.facts
        out = ["## Sync helpers called from async code (FAK401)", ""]
        if not self.helpers:
            out += ["None found.", "", "---", ""]
            return out
        out += [
            "Each of these `def` functions reaches a blocking call and is called directly from an `async def` "
            "(not awaited through `asyncio.to_thread` or an executor), so it runs on the event loop.",
            "",
            "| Sync helper | Called from | Blocking line | Call |",
            "| ----------- | ----------- | ------------- | ---- |",
        ]
        rows = []
        for callee, items in self.helpers.items():
            steps = chain(f, callee)
            last = steps[-1] if steps and isinstance(steps[-1], Site) else None
            fn = f.functions.get(callee)
            callers = ", ".join(self.paths.link(e.path, e.line) for _, e in items[:4]) + (
                f" and {len(items) - 4} more" if len(items) > 4 else "")
            rows.append(
                f"| {code(fname(callee))} ({self.paths.link(fn['path'], fn['line']) if fn else ''}) | {callers} | "
                + (f"{self.paths.link(last.path, last.line, last.end_line)} | {code(_call_text(last, 60))} |"
                   if last else "? | ? |")
            )
        out += rows + [""]
        for i, (callee, items) in enumerate(self.helpers.items()):
            if i >= MAX_HELPER_GRAPHS:
                out += [f"_{len(self.helpers) - MAX_HELPER_GRAPHS} more helpers are listed in the table only._", ""]
                break
            out += [f"### `{fname(callee)}`", "", "```mermaid"] + self.helper_graph(callee, items) + ["```", ""]
        out += ["---", ""]
        return out

    def helper_graph(self, callee: str, items: List[Tuple[Diagnostic, Edge]]) -> List[str]:
        f = self.facts
        g = _Graph()
        steps = chain(f, callee)

        def func_node(q: str, yellow: bool = False) -> str:
            fn = f.functions.get(q)
            nid = g.node(("f", q), label(f"{self.paths.short(fn['path'])}:{fn['line']}" if fn else "?", _def(fn, q),
                                         "⚠️ Sync function on the event loop" if yellow else ""))
            if yellow:
                g.style(nid, YELLOW)
            return nid

        target = func_node(callee, yellow=True)
        seen_callers = set()
        for _, e in items:
            if len(seen_callers) >= MAX_CALLERS_PER_HELPER:
                break
            if (e.caller, e.line) in seen_callers:
                continue
            seen_callers.add((e.caller, e.line))
            c = func_node(e.caller)
            g.edge(c, target, f"call · line {e.line}" + (" · in loop" if e.in_loop else ""))
        if len(items) > len(seen_callers):
            more = g.node(("more",), label(f"… {_plural(len(items) - len(seen_callers), 'more caller')}"))
            g.edge(more, target, dotted=True)
            g.style(more, PINK)
        prev = target
        for st in steps:
            if isinstance(st, Edge):
                nxt = func_node(st.callee)
                g.edge(prev, nxt, f"call · line {st.line}")
                prev = nxt
            else:
                lines = f"{st.line}-{st.end_line}" if st.end_line > st.line else f"{st.line}"
                fam, _, _ = _family(st)
                nid = g.node(("s",), label(f"{self.paths.short(st.path)}:{lines}", _call_text(st, 60),
                                           f"❌ BLOCKING CALL ({fam})"))
                g.edge(prev, nid)
                g.style(nid, RED)
        return g.lines()

    # root causes / summary ----------------------------------------------------------------------------
    def root_cause_section(self) -> List[str]:
        out = ["## Root causes", ""]
        if not self.causes:
            return out + ["None found.", "", "---", ""]
        out += [
            "Severity: **CRITICAL** for a blocking call reached from two or more entry points and for every "
            "synchronous engine/client (FAK201), **HIGH** for one entry point, **MEDIUM** for blocking code no "
            "entry point was traced to.",
            "",
            "| # | Location | Call | Family / code | Severity | Endpoints | Reached from |",
            "| - | -------- | ---- | ------------- | -------- | --------: | ------------ |",
        ]
        for i, rc in enumerate(self.causes, 1):
            reached = ", ".join(code(h) for h in rc.endpoints[:3]) + (
                f" and {len(rc.endpoints) - 3} more" if len(rc.endpoints) > 3 else "")
            if rc.kind == "factory" and rc.endpoints:
                reached += " (blocking calls in the same module)"
            text = f"for … in {short(rc.text, 60)}" if rc.iteration else short(rc.text, 70)
            out.append(
                f"| {i} | {self.paths.link(rc.path, rc.line, rc.end_line)} | {code(text)} | {cell(rc.family)} "
                f"({rc.code}) | {_sev(rc.severity)} | {len(rc.endpoints)} | {reached or '—'} |"
            )
        out += ["", "---", ""]
        return out

    def summary_section(self) -> List[str]:
        out = ["## Summary: scope of impact", "", "| Issue | Severity | Scope |", "| ----- | -------- | ----- |"]
        rows = []
        for e in self.endpoints:
            sev = min((SEVERITY_ORDER[rc.severity] for rc in
                       (self.cause_for(st[-1]) for st in e.chains) if rc is not None), default=2)
            sev_name = [k for k, v in SEVERITY_ORDER.items() if v == sev][0]
            files = sorted({self.paths.short(st[-1].path) for st in e.chains})
            rows.append((sev, f"| Blocking I/O in `{cell(e.head)}` | {_sev(sev_name)} | "
                              f"{_plural(len(e.chains), 'blocking call')} in {', '.join(cell(x) for x in files[:3])}"
                              f"{' …' if len(files) > 3 else ''} |"))
        for rc in self.causes:
            if rc.kind == "factory":
                rows.append((0, f"| Synchronous engine/client {code(short(rc.text, 40))} | {_sev('critical')} | "
                                f"every call through it ({_plural(len(rc.endpoints), 'endpoint')} traced) |"))
        for d in self.diags:
            if d.code in N_PLUS_ONE_CODES:
                sev = 1 if d.code == "FAK301" else 2
                rows.append((sev, f"| N+1 loop ({d.code}) in `{cell(fname(d.function or ''))}` | "
                                  f"{_sev('high' if sev == 1 else 'medium')} | "
                                  f"{cell(self.paths.display(os.path.abspath(d.filename)))}:{d.location.row} |"))
        for callee, items in self.helpers.items():
            steps = chain(self.facts, callee)
            last = steps[-1] if steps and isinstance(steps[-1], Site) else None
            rc = self.cause_for(last) if last is not None else None
            sev = SEVERITY_ORDER[rc.severity] if rc is not None else 2
            sev_name = [k for k, v in SEVERITY_ORDER.items() if v == sev][0]
            rows.append((sev, f"| Sync helper `{cell(fname(callee))}` on the event loop | {_sev(sev_name)} | "
                              f"{_plural(len(items), 'call site')} |"))
        if not rows:
            return out[:2] + ["No fake-async code found.", ""]
        rows.sort(key=lambda r: r[0])
        out += [r for _, r in rows] + ["", "---", ""]
        return out

    def omitted_section(self) -> List[str]:
        if not self.omitted:
            return []
        out = ["## Further entry points that block the event loop", "",
               "| Entry point | Handler | Blocking calls | First blocking line |",
               "| ----------- | ------- | -------------: | ------------------- |"]
        for e in self.omitted:
            s = sorted((st[-1] for st in e.chains), key=lambda x: (self.paths.display(x.path), x.line))[0]
            out.append(f"| {code(e.head)} | {self.paths.link(e.func['path'], e.func['line'])} | {len(e.chains)} | "
                       f"{self.paths.link(s.path, s.line)} {code(_call_text(s, 50))} |")
        return out + ["", "---", ""]

    def actions_section(self) -> List[str]:
        out = ["## Recommended actions", ""]
        n = 0
        factories = [rc for rc in self.causes if rc.kind == "factory"]
        if factories:
            n += 1
            out += [f"### Priority {n} (CRITICAL): replace the synchronous engines/clients", ""]
            for rc in factories:
                out.append(f"- {self.paths.link(rc.path, rc.line, rc.end_line)} {code(short(rc.text, 60))}: "
                           f"{rc.suggestion or 'use the async engine/client'}")
            out.append("")
        crit = [rc for rc in self.causes if rc.kind == "site" and rc.severity in ("critical", "high")]
        if crit:
            n += 1
            out += [f"### Priority {n}: make the shared blocking calls async", ""]
            by_func: "OrderedDict[str, List[RootCause]]" = OrderedDict()
            for rc in crit:
                by_func.setdefault(rc.func, []).append(rc)
            for q, rcs in list(by_func.items())[:15]:
                eps = sorted({h for rc in rcs for h in rc.endpoints})
                out.append(f"- `{fname(q)}` ({_plural(len(rcs), 'blocking call')}, "
                           f"{_plural(len(eps), 'entry point')}): {rcs[0].suggestion or 'offload or use an async client'}")
            out.append("")
        if any(d.code in N_PLUS_ONE_CODES for d in self.diags):
            n += 1
            out += [f"### Priority {n}: batch the N+1 loops", "",
                    "- One query for all keys (`WHERE id = ANY(%s)`, a JOIN) instead of one query per element.", ""]
        if self.helpers:
            n += 1
            out += [f"### Priority {n}: offload the sync helpers", "",
                    "- `await asyncio.to_thread(helper, ...)` until the helper itself can be made async.", ""]
        if n == 0:
            out += ["Nothing to do.", ""]
        return out


class _Graph:
    """A Mermaid ``graph TB`` under construction: nodes by key, edges without duplicates."""

    def __init__(self):
        self.ids: Dict[Tuple, str] = {}
        self.decl: List[str] = []
        self.edges: List[str] = []
        self.edge_keys = set()
        self.styles: "OrderedDict[str, str]" = OrderedDict()

    def node(self, key: Tuple, text: str) -> str:
        if key in self.ids:
            return self.ids[key]
        nid = f"N{len(self.ids)}"
        self.ids[key] = nid
        self.decl.append(f'    {nid}["{text}"]')
        return nid

    def edge(self, a: str, b: str, text: str = "", dotted: bool = False) -> None:
        if (a, b) in self.edge_keys and not text:
            return
        if (a, b, text) in self.edge_keys:
            return
        self.edge_keys.add((a, b))
        self.edge_keys.add((a, b, text))
        arrow = "-.->" if dotted else "-->"
        lab = f'|"{label(text)}"|' if text else ""
        self.edges.append(f"    {a} {arrow}{lab} {b}")

    def style(self, nid: str, style: str) -> None:
        self.styles.pop(nid, None)
        self.styles[nid] = style

    def lines(self) -> List[str]:
        yellow = [f"    style {n} {s}" for n, s in self.styles.items() if s == YELLOW]
        pink = [f"    style {n} {s}" for n, s in self.styles.items() if s not in (YELLOW, RED)]
        red = [f"    style {n} {s}" for n, s in self.styles.items() if s == RED]
        return ["graph TB"] + self.decl + self.edges + [""] + yellow + pink + red


def render_report(result, *, title: Optional[str] = None, cwd: Optional[str] = None,
                  link_base: Optional[str] = None, max_endpoints: Optional[int] = None) -> str:
    """The Markdown report for a :class:`~fakeasync_lint.runner.RunResult`.

    ``cwd``: base of the displayed paths (default: the current directory); ``link_base``: directory the
    report's links are relative to (default: ``cwd``; the ``report`` command passes the output file's).
    ``max_endpoints``: at most this many per-endpoint sections (most severe first); the rest in a table.
    """
    if result.facts is None:
        raise ValueError("render_report needs a RunResult with facts")
    return _Report(result, title, cwd, link_base, max_endpoints).render()


# ---- command --------------------------------------------------------------------------------------


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the Markdown report to FILE (default: standard output).")
@click.option("--config", "config_file", type=click.Path(), default=None, help="Use this config file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the config's selection).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--per-file-ignores", multiple=True, help="GLOB:CODES pairs, e.g. 'tests/**:FAK103'.")
@click.option("--extend-exclude", multiple=True, help="Extra globs to exclude from the report.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--title", default=None, help="Title of the report.")
@click.option("--max-endpoints", type=click.IntRange(min=0), default=None,
              help="At most N per-endpoint sections (most severe first); the rest are listed in a table.")
def report_command(paths, output, config_file, no_cache, select, extend_select, ignore, per_file_ignores,
                   extend_exclude, isolated, title, max_endpoints):
    """Write a Markdown report for PATHS: per endpoint a flowchart down to the blocking lines.

    Exits 0 even when findings exist; 2 on configuration or usage errors.
    """
    from .config import ConfigError, settings_from_cli
    from .runner import run

    paths = list(paths) or ["."]
    try:
        settings = settings_from_cli(paths, config_file, isolated=isolated, select=select,
                                     extend_select=extend_select, ignore=ignore, per_file_ignores=per_file_ignores,
                                     extend_exclude=extend_exclude)
    except ConfigError as e:
        click.echo(f"fakeasync-lint: error: {e}", err=True)
        sys.exit(2)
    try:
        result = run(paths, settings, use_cache=not no_cache, need_facts=True)
        link_base = os.path.dirname(os.path.abspath(output)) if output else None
        text = render_report(result, title=title or f"Fake-async report: {', '.join(paths)}", link_base=link_base,
                             max_endpoints=max_endpoints)
    except Exception as e:  # never a traceback for users
        if os.environ.get("FAKEASYNC_DEBUG"):
            raise
        click.echo(f"fakeasync-lint: internal error: {type(e).__name__}: {e}", err=True)
        sys.exit(2)
    for err in result.errors:
        click.echo(f"fakeasync-lint: error: {err}", err=True)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as e:
            click.echo(f"fakeasync-lint: error: cannot write {output}: {e.strerror or e}", err=True)
            sys.exit(2)
    else:
        click.echo(text, nl=False)
    sys.exit(2 if result.errors else 0)


__all__ = ["render_report", "report_command"]

if __name__ == "__main__":  # pragma: no cover - `python -m fakeasync_lint.report`
    report_command()
