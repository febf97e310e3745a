"""``fakeasync-lint explain NAME`` / ``explain path.py:LINE``: why a call is or is not blocking.

For a name (``stripe.Customer.create``, ``requests.get``, ``slack_sdk.WebClient.chat_postMessage``): what it
resolves to, whether it blocks, the chain down to the primitive for a derived library API, and where the
fact comes from (the catalog's hand entries, derived from the installed package, the shipped facts).  For
a line of a file: the findings on that line with their chains, else each call on it and what it resolved
to.
"""
from __future__ import annotations

from typing import List, Optional

from . import catalog


def _describe_value(v) -> str:
    if v is None:
        return "unknown (not in the catalog, the library facts or the project)"
    k = v[0]
    if k == "F":
        return f"function `{v[1]}`"
    if k in ("T", "TC"):
        return f"{'an instance of' if k == 'T' else 'class'} `{v[1]}`"
    if k == "TM":
        return f"method `{v[2]}` of `{v[1]}`"
    if k == "C":
        return f"project class `{v[1]}`"
    if k == "I":
        return f"an instance of project class `{v[1]}`"
    if k == "M":
        return f"module `{v[1]}`"
    return repr(v)


def _source(api: str) -> str:
    spec = catalog.FUNCTIONS.get(api)
    if spec is None and "." in api:
        spec = catalog.TYPES.get(api.rsplit(".", 1)[0])
    if spec is not None and spec.get("_derived"):
        return f"{spec['_derived']} (derived from the library's code)"
    return "the catalog (hand entry)"


def explain_value(name: str, v, lib: str = "asyncio") -> List[str]:
    from .diagnose import fill
    from .libfacts import chain_of
    from .resolve import classify

    hit = classify(v)
    lines = [f"{name}: {_describe_value(v)}"]
    if hit is None:
        lines.append("  not blocking: nothing known about it blocks the calling thread")
        if v is not None and v[0] == "F":
            r = (catalog.FUNCTIONS.get(v[1]) or {}).get("returns")
            if r:
                lines.append(f"  returns `{r}`: its methods are judged as that type's")
        return lines
    fam_key, api, _fix, rep = hit
    fam = catalog.FAMILIES.get(fam_key) or {}
    lines[0] = f"{name}: blocks the event loop ({fam.get('code', 'FAK1xx')}): it {fam.get('why', 'blocks')}"
    lines.append(f"  fact: {api}, from {_source(api)}")
    ch = chain_of(api)
    if ch is not None:
        _src, frames, prim = ch
        lines.append("  chain:")
        for f in frames:
            lines.append(f"    {f}")
        pfam = None
        from .libfacts import PRIM

        p = PRIM.get(frames[-1])
        if p:
            pfam = catalog.FAMILIES.get(p[1]) or {}
        lines.append(f"    → {prim}" + (f" ({pfam.get('label')}: it {pfam.get('why')})" if pfam else ""))
    sugg = fill(rep or fam.get("replacement"), lib)
    if sugg:
        lines.append(f"  instead: {sugg}")
    return lines


def resolve_name(name: str):
    """The value of a dotted name as project-less code would see it (``import x; x.y.z``)."""
    from .project import ProjectIndex

    index = ProjectIndex({})
    res = index.resolver
    v = res.qual(name, 0)
    if v is None and "." in name:
        head, _, m = name.rpartition(".")
        hv = res.qual(head, 0)
        if hv is not None and hv[0] == "TC":
            return ("TM", hv[1], m)
        if hv is not None and hv[0] == "F":
            r = (catalog.FUNCTIONS.get(hv[1]) or {}).get("returns")
            if r:
                return ("TM", r, m)
    return v


def explain_line(result, path: str, line: int, display) -> List[str]:
    """Findings on a line, or what each call on it resolved to."""
    out: List[str] = []
    for d in result.diagnostics:
        if d.location.row == line and display(d.filename) == display(path):
            out.append(f"{d.code} {d.message}")
            from .output._common import frame_line

            for fr in d.trace or ():
                out.append(f"    → {frame_line(fr)}")
    if out:
        return out
    facts = result.facts
    if facts is None:
        return [f"{path}:{line}: no finding"]
    from .project import ProjectIndex

    s = None
    for summ in facts.summaries.values():
        if display(summ["path"]) == display(path):
            s = summ
            break
    if s is None:
        return [f"{path}:{line}: not a checked file"]
    index = ProjectIndex(facts.summaries)
    res = index.resolver
    res.module = s["module"]
    recs = [r for f in s["functions"].values() for r in f["calls"] if r[0] == line] + [
        r for r in s["module_calls"] if r[0] == line]
    if not recs:
        return [f"{path}:{line}: no call on this line"]
    out.append(f"{path}:{line}: no finding")
    for r in recs:
        v = res.val(r[4]) if r[4] is not None else None
        v = None if v is not None and v[0] == "DEFER" else v
        out.extend("  " + x for x in explain_value(f"`{r[6]}`", v))
    return out
