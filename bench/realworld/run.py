#!/usr/bin/env python3
"""The real-world bench: fetch each labelled case, lint it as a user would, score it.

    python bench/realworld/run.py                 # every case, ours + ruff + flake8-async, both splits
    python bench/realworld/run.py --details       # also every miss, false positive and reported negative
    python bench/realworld/run.py --split dev     # only the dev split (debug on this one, never on held-out)
    python bench/realworld/run.py --case ID ...   # some cases
    python bench/realworld/run.py --record "note" # append dated rows to bench/realworld/results.md

Sources are fetched into a cache outside the repository ($FAKEASYNC_BENCH_CACHE, default
~/.cache/fakeasync-lint-bench/realworld): PyPI files by the JSON API (checked against the case's sha256),
git commits with `git fetch --depth 1 URL COMMIT`.  Where the network has no GitHub (this project's
sandbox), set FAKEASYNC_BENCH_GIT_MIRRORS to a directory of bare clones named `owner+name` (with the
git directory itself or a `repo/` below it): the commit is exported from there with `git archive`.

Each case is linted from its project root (`fakeasync-lint check --no-cache .` in that directory),
so cross-module facts count; ruff (`--select ASYNC`) runs the same way; flake8-async runs on the
labelled files (it is a per-file checker).  The JSON result goes to the cache directory
(`result.json`) or `--json PATH`.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import score as S  # noqa: E402

TOOLS = ("ours", "ruff", "flake8-async")


def _tool_env() -> dict:
    """The cases are checked as a new user checks a fresh clone: without the project's dependencies
    installed (no environment: the catalog and the shipped library facts), whatever venv runs the bench."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("VIRTUAL_ENV", None)
    return env


def cache_dir() -> Path:
    env = os.environ.get("FAKEASYNC_BENCH_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fakeasync-lint-bench" / "realworld"


# ---- fetching --------------------------------------------------------------------------------

def _safe_members_tar(tf: tarfile.TarFile, dest: Path):
    for m in tf.getmembers():
        target = (dest / m.name).resolve()
        if not str(target).startswith(str(dest.resolve())) or m.issym() or m.islnk() or m.isdev():
            continue
        yield m


def _unpack(data: bytes, name: str, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    if name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                target = (dest / info.filename).resolve()
                if str(target).startswith(str(dest.resolve())) and not info.is_dir():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(zf.read(info))
    else:
        with tarfile.open(fileobj=io.BytesIO(data)) as tf:
            tf.extractall(dest, members=list(_safe_members_tar(tf, dest)))


def fetch_pypi(spec: str, sha256: str, dist: str, dest: Path) -> None:
    name, version = spec.split("==", 1)
    # the project's JSON lists every release's files (some mirrors have no per-version endpoint)
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=60) as r:
        meta = json.load(r)
    files = meta.get("releases", {}).get(version, [])
    pick = [f for f in files if f.get("digests", {}).get("sha256") == sha256]
    if not pick:
        raise RuntimeError(f"{spec}: no file with sha256 {sha256[:12]}… on PyPI (have: "
                           + ", ".join(f["filename"] for f in files) + ")")
    f = pick[0]
    with urllib.request.urlopen(f["url"], timeout=300) as r:
        data = r.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise RuntimeError(f"{spec}: downloaded {f['filename']} does not match its sha256")
    _unpack(data, f["filename"], dest)


def _mirror_for(url: str) -> Optional[Path]:
    roots = os.environ.get("FAKEASYNC_BENCH_GIT_MIRRORS")
    if not roots:
        return None
    m = re.match(r"https?://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$", url)
    if not m:
        return None
    want = f"{m.group(1)}+{m.group(2)}"
    for root in roots.split(os.pathsep):
        bases = [Path(root) / want]
        if not bases[0].exists() and Path(root).is_dir():  # GitHub's owner and repository names ignore case
            bases = [p for p in Path(root).iterdir() if p.name.lower() == want.lower()]
        for base in bases:
            # a bare clone, one under `repo/`, or a clone with a work tree there (`repo/.git`)
            for cand in (base / "repo", base, base / "repo" / ".git"):
                if (cand / "HEAD").exists() and (cand / "objects").exists():
                    return cand
    return None


# what the linters read: Python sources and the files that mark or configure a project root (big binary
# files are left out: some mirrors do not carry them)
GIT_SUFFIXES = (".py", ".pyi")
GIT_NAMES = ("pyproject.toml", "setup.cfg", "setup.py", "ruff.toml", ".ruff.toml")


def _export(git: List[str], commit: str, dest: Path) -> None:
    """Write the commit's Python sources and project files under ``dest`` (``git`` = the git command
    with its directory options)."""
    listing = subprocess.run([*git, "ls-tree", "-r", "-z", commit], check=True, capture_output=True).stdout
    wanted = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, sha = meta.split()
        name = path.decode("utf-8", "surrogateescape")
        if kind != b"blob" or mode == b"120000":
            continue
        if name.endswith(GIT_SUFFIXES) or name.rsplit("/", 1)[-1] in GIT_NAMES:
            wanted.append((sha.decode(), name))
    proc = subprocess.Popen([*git, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out, _ = proc.communicate(b"".join(sha.encode() + b"\n" for sha, _ in wanted))
    pos = 0
    root = dest.resolve()
    for sha, name in wanted:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        data = out[pos:pos + size]
        pos += size + 1
        target = (dest / name).resolve()
        if not str(target).startswith(str(root) + os.sep):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def fetch_git(url: str, commit: str, dest: Path) -> None:
    mirror = _mirror_for(url)
    dest.mkdir(parents=True, exist_ok=True)
    if mirror is not None:
        _export(["git", f"--git-dir={mirror}"], commit, dest)
        return
    work = dest.parent / (dest.name + ".git")
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(["git", "init", "-q", "--bare", str(work)], check=True)
    subprocess.run(["git", f"--git-dir={work}", "fetch", "-q", "--depth", "1", url, commit], check=True)
    _export(["git", f"--git-dir={work}"], commit, dest)
    shutil.rmtree(work, ignore_errors=True)


def source_key(case: S.Case) -> str:
    src = case.source
    if "pypi" in src:
        return "pypi-" + re.sub(r"[^A-Za-z0-9._-]", "_", src["pypi"]) + "-" + src["sha256"][:12]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", src["git"].rstrip("/").split("/")[-1])
    return f"git-{name}-{src['commit'][:12]}"


def materialise(case: S.Case, cache: Path) -> Path:
    """The unpacked source of ``case`` (shared by cases of the same source), fetched once."""
    src_dir = cache / "sources" / source_key(case)
    done = src_dir / ".complete"
    if not done.exists():
        shutil.rmtree(src_dir, ignore_errors=True)
        tmp = src_dir.with_name(src_dir.name + ".part")
        shutil.rmtree(tmp, ignore_errors=True)
        if "pypi" in case.source:
            fetch_pypi(case.source["pypi"], case.source["sha256"], case.source.get("dist", "sdist"), tmp)
        else:
            fetch_git(case.source["git"], case.source["commit"], tmp)
        tmp.rename(src_dir)
        done.write_text(json.dumps(case.source))
    return src_dir


# ---- running the tools ----------------------------------------------------------------------

def _rel(path: str, root: Path) -> str:
    p = Path(path)
    if not p.is_absolute():
        p = root / p
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def run_ours(root: Path, timeout: int) -> Tuple[List[S.Report], float, str]:
    cmd = [sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "--exit-zero", "--format", "json", "."]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=timeout,
                       env=_tool_env())
    dt = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        return [], dt, f"exit {p.returncode}: {p.stderr.strip()[-400:]}"
    out = []
    for d in json.loads(p.stdout or "[]"):
        out.append((_rel(d["filename"], root), d["location"]["row"], d["code"]))
    return out, dt, ""


def run_ruff(root: Path, timeout: int) -> Tuple[List[S.Report], float, str]:
    exe = shutil.which("ruff")
    if exe is None:
        return [], 0.0, "ruff not installed (pip install ruff)"
    cmd = [exe, "check", "--isolated", "--no-cache", "--select", "ASYNC", "--output-format", "json",
           "--exit-zero", "."]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=timeout)
    dt = time.perf_counter() - t0
    try:
        data = json.loads(p.stdout or "[]")
    except json.JSONDecodeError:
        return [], dt, f"exit {p.returncode}: {p.stderr.strip()[-300:]}"
    return [(_rel(d["filename"], root), d["location"]["row"], d["code"]) for d in data], dt, ""


F8_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>ASYNC\d+)")


def run_flake8_async(root: Path, files: Sequence[str], timeout: int) -> Tuple[List[S.Report], float, str]:
    exe = shutil.which("flake8-async")
    if exe is None:
        return [], 0.0, "flake8-async not installed (pip install flake8-async)"
    present = [f for f in files if (root / f).is_file()]
    if not present:
        return [], 0.0, ""
    t0 = time.perf_counter()
    p = subprocess.run([exe, *present], cwd=root, capture_output=True, text=True, timeout=timeout)
    dt = time.perf_counter() - t0
    out = []
    for line in p.stdout.splitlines():
        m = F8_RE.match(line)
        if m:
            out.append((_rel(m["path"], root), int(m["line"]), m["code"]))
    return out, dt, ""


# ---- report ----------------------------------------------------------------------------------

def pct(x: Optional[float]) -> str:
    return "  –  " if x is None else f"{100 * x:5.1f}"


ROW_KEYS = [
    ("all positives", "all"),
    ("blocking, direct", "kind:direct"),
    ("blocking, indirect", "kind:indirect"),
    ("loops (N+1 / sequential)", "kind:loop"),
    ("django", "family:django"),
] + [(f"family {f}", f"family:{f}") for f in S.FAMILIES if f != "django"]


W = 27  # column width


def print_table(title: str, summaries: Dict[str, dict]) -> None:
    print(f"\n## {title}   (recall% found/total =exact-code recall%)")
    head = f"{'':28}" + "".join(f"{t:>{W}}" for t in summaries)
    print(head)

    def row(name, pick, fmt) -> None:
        """One table row: a cell per tool (blank where the tool has no such figure)."""
        cells = [" " * W if pick(s) is None else fmt(pick(s)).rjust(W) for s in summaries.values()]
        if any(c.strip() for c in cells):
            print(f"{name:28}" + "".join(cells))

    for name, key in ROW_KEYS:
        row(name, lambda s, k=key: s["recall"].get(k),
            lambda r: f"{pct(r['recall'])}% {r['found']:>3}/{r['total']:<3} ={pct(r['exact_recall'])}%")
    row("precision (scored lines)", lambda s: s["precision"],
        lambda p: f"{pct(p['precision'])}% tp{p['tp']} fp{p['fp']}")
    for g in ("blocking", "django", "loop"):
        row("negatives reported: " + g, lambda s, g=g: s["negatives"]["by_group"].get(g),
            lambda n: f"{pct(n['rate'])}% {n['reported']}/{n['total']}")


def _requirements_unmet() -> Optional[str]:
    """The tool is run from this checkout (``PYTHONPATH``), not installed: nothing made pip check its
    requirements in the interpreter running the bench.  An older libcst parses less (measured: libcst 1.0.1
    lost 8 labels through unparsable files), so a run there would record wrong figures."""
    import re
    from importlib import metadata

    text = (REPO / "pyproject.toml").read_text()
    for name, low in re.findall(r'"(libcst|click)>=([0-9.]+)"', text):
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            return f"{name} is not installed in {sys.executable}"
        if tuple(int(x) for x in re.findall(r"\d+", have)[:3]) < tuple(int(x) for x in low.split(".")):
            return f"{name} {have} in {sys.executable} is older than the required {name}>={low}"
    return None


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=HERE / "cases")
    ap.add_argument("--case", action="append", default=[], help="only these case ids (repeatable)")
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated: ours,ruff,flake8-async")
    ap.add_argument("--details", action="store_true", help="list misses, false positives and reported negatives")
    ap.add_argument("--json", type=Path, default=None, help="where to write the JSON result")
    ap.add_argument("--record", metavar="NOTE", default=None, help="append dated rows to results.md")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--check-pins", action="store_true", help="only fetch and check every label's text")
    args = ap.parse_args(argv)
    unmet = _requirements_unmet()
    if unmet and "ours" in args.tools:
        print(f"error: {unmet}: run the bench with the interpreter of an environment where "
              f"`pip install -e .` was done", file=sys.stderr)
        return 2

    try:
        cases = S.load_cases(args.cases)
    except S.CaseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.case:
        wanted = set(args.case)
        unknown = wanted - {c.id for c in cases}
        if unknown:
            print(f"error: unknown case(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        cases = [c for c in cases if c.id in wanted]
    if args.split != "all":
        cases = [c for c in cases if c.split == args.split]
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    bad = [t for t in tools if t not in TOOLS]
    if bad:
        print(f"error: unknown tool(s): {', '.join(bad)}", file=sys.stderr)
        return 2
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)

    # fetch + pins
    roots: Dict[str, Path] = {}
    problems: List[str] = []
    for case in cases:
        try:
            src = materialise(case, cache)
        except Exception as e:  # noqa: BLE001 - reported, the case is skipped
            problems.append(f"{case.id}: cannot fetch the source: {e}")
            continue
        root = src / case.root if case.root else src
        if not root.is_dir():
            problems.append(f"{case.id}: root {case.root!r} is not in the source")
            continue
        pin = S.check_pins(case, root)
        if pin:
            problems.extend(pin)
            continue
        roots[case.id] = root
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    if args.check_pins:
        print(f"{len(roots)}/{len(cases)} cases fetched with every pin in place")
        return 1 if problems else 0

    # run each tool once per distinct root
    by_root: Dict[Path, List[S.Case]] = {}
    for case in cases:
        if case.id in roots:
            by_root.setdefault(roots[case.id], []).append(case)
    reports: Dict[str, Dict[str, List[S.Report]]] = {t: {} for t in tools}
    timing: Dict[str, float] = {t: 0.0 for t in tools}
    errors: List[str] = []
    for root, rcases in by_root.items():
        for t in tools:
            if t == "ours":
                rep, dt, err = run_ours(root, args.timeout)
            elif t == "ruff":
                rep, dt, err = run_ruff(root, args.timeout)
            else:
                files = sorted({f for c in rcases for f in c.files})
                rep, dt, err = run_flake8_async(root, files, args.timeout)
            timing[t] += dt
            if err:
                errors.append(f"{t} on {root.name}: {err}")
            for c in rcases:
                reports[t][c.id] = rep
    for e in errors:
        print(f"warning: {e}", file=sys.stderr)

    scored = [c for c in cases if c.id in roots]
    result = {"date": _dt.date.today().isoformat(), "cases": len(scored),
              "projects": len({c.project for c in scored}), "tools": {}, "errors": errors + problems}
    scores: Dict[str, Dict[str, S.CaseScore]] = {}
    for t in tools:
        scores[t] = {c.id: S.score_case(c, reports[t].get(c.id, [])) for c in scored}
        result["tools"][t] = {
            "seconds": round(timing[t], 2),
            "splits": {
                split: S.summarise([c for c in scored if split == "all" or c.split == split], scores[t])
                for split in ("all", "dev", "heldout")
            },
        }

    n_labels = sum(len(c.labels) for c in scored)
    n_neg = sum(len(c.negatives) for c in scored)
    print(f"# real-world bench: {len(scored)} cases, {result['projects']} projects, "
          f"{sum(len(c.files) for c in scored)} files, {n_labels} labels, {n_neg} negatives")
    for split in ("all", "dev", "heldout"):
        if args.split != "all" and split not in (args.split,):
            continue
        sub = [c for c in scored if split == "all" or c.split == split]
        if not sub:
            continue
        print_table(f"{split} ({len(sub)} cases, {len({c.project for c in sub})} projects)",
                    {t: result["tools"][t]["splits"][split] for t in tools})
    if args.details and "ours" in scores:
        print("\n## details (ours)")
        for c in scored:
            if args.split == "all" and c.split == "heldout":
                continue  # the held-out split is for figures only, never for debugging
            s = scores["ours"][c.id]
            for r in s.labels:
                if not r.exact:
                    how = f"reported {','.join(r.codes)}" if r.found else "missed"
                    print(f"MISS  {c.id}: {r.label.path}:{r.label.line} [{r.label.family}/{r.label.kind} "
                          f"{r.label.code}] {how}: {r.label.text}")
            for path, line, codes in s.false_positives:
                print(f"FP    {c.id}: {path}:{line} {','.join(codes)}")
            for n in s.negatives:
                if n.reported:
                    print(f"NEG   {c.id}: {n.negative.path}:{n.negative.line} {','.join(n.codes)}: {n.negative.what}")
        if args.split == "all":
            print("(held-out cases omitted from the details: run with --split heldout only to report)")

    out = args.json or (cache / "result.json")
    out.write_text(json.dumps(result, indent=1, sort_keys=True))
    print(f"\nJSON result: {out}")
    if args.record is not None:
        record(result, tools, args.record, args.split)
    return 0


def record(result: dict, tools: Sequence[str], note: str, split_arg: str) -> None:
    path = HERE / "results.md"
    lines = []
    date = result["date"]
    for split in ("dev", "heldout", "all"):
        if split_arg != "all" and split != split_arg:
            continue
        for t in tools:
            s = result["tools"][t]["splits"][split]
            r = s["recall"]

            def cell(key):
                v = r.get(key)
                return "–" if v is None or v["recall"] is None else f"{100 * v['recall']:.0f}% ({v['found']}/{v['total']})"

            fams = " ".join(
                f"{f}:{cell('family:' + f)}" for f in S.FAMILIES if r.get("family:" + f)
            )
            prec = s["precision"]["precision"]
            neg = s["negatives"]["rate"]
            lines.append(
                f"| {date} | {note} | {split} | {t} | {cell('all')} | {cell('kind:direct')} | {cell('kind:indirect')} "
                f"| {cell('kind:loop')} | {cell('family:django')} | "
                f"{'–' if prec is None else f'{100 * prec:.1f}%'} ({s['precision']['tp']}/{s['precision']['fp']}) | "
                f"{'–' if neg is None else f'{100 * neg:.0f}%'} | {fams} |"
            )
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"recorded {len(lines)} rows in {path}")


if __name__ == "__main__":
    sys.exit(main())
