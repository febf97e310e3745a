"""Scoring of the real-world bench: labels (``cases/*.toml``) against a tool's reports, line by line.

Pure functions, no I/O beyond reading the case files: ``tests/test_realworld_score.py`` tests them.

A *report* is ``(path, line, code)`` with ``path`` relative to the case's project root.  Reports fall in
two groups: **blocking** (a call that blocks: FAK1xx, FAK2xx, FAK401; flake8-async / ruff ASYNC2xx) and
**loop** (FAK301 / FAK302).  FAK403 (an entry point's roll-up of findings reported elsewhere), FAK402
(opt-in) and FAK000 are not scored.

- A positive label is **found** when the tool reports a code of the label's group on its line, and
  **exact** when the label's own code is among them.
- A negative is **reported** when the tool reports a code of its group on its line.
- Precision counts reported (file, line, group) units in labelled files: a unit on a positive label of its
  group is a true positive; on a negative, a false positive; elsewhere in a file marked ``exhaustive``, a
  false positive; elsewhere in other files, unknown (not counted).
"""
from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FAMILIES = ("db", "http", "sleep", "file", "subprocess", "sdk", "thread-wait", "django", "loop-n+1",
            "loop-sequential")
LOOP_FAMILIES = ("loop-n+1", "loop-sequential")
KINDS = ("direct", "indirect", "loop")
CODE_RE = re.compile(r"^FAK\d{3}$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
HELDOUT_BUCKETS = 4  # one project in four is held out


class CaseError(ValueError):
    """A case file that does not follow FORMAT.md."""


@dataclass(frozen=True)
class Label:
    case: str
    path: str
    line: int
    text: str
    family: str
    kind: str
    code: str
    function: str
    source: str
    note: str = ""

    @property
    def group(self) -> str:
        return "loop" if self.family in LOOP_FAMILIES else "blocking"


@dataclass(frozen=True)
class Negative:
    case: str
    path: str
    line: int
    text: str
    family: str
    what: str

    @property
    def group(self) -> str:
        return "loop" if self.family in LOOP_FAMILIES else "blocking"


@dataclass
class Case:
    id: str
    project: str
    framework: str
    backing: str
    source: dict
    root: str
    files: Dict[str, bool]  # path -> exhaustive
    labels: List[Label]
    negatives: List[Negative]
    file: str = ""

    @property
    def split(self) -> str:
        return split_of(self.project)


def split_of(project: str) -> str:
    """``heldout`` for one project in four (by a hash of its name, so nobody picks), else ``dev``.
    All cases of a project share its split."""
    digest = hashlib.sha256(project.strip().lower().encode()).digest()
    return "heldout" if digest[0] % HELDOUT_BUCKETS == 0 else "dev"


def _req(d: dict, key: str, kind, where: str):
    if key not in d:
        raise CaseError(f"{where}: missing `{key}`")
    v = d[key]
    if not isinstance(v, kind) or isinstance(v, bool) and kind is not bool:
        raise CaseError(f"{where}: `{key}` must be {getattr(kind, '__name__', kind)}")
    return v


def parse_case(data: dict, where: str = "case") -> Case:
    cid = _req(data, "id", str, where)
    if not ID_RE.match(cid):
        raise CaseError(f"{where}: id {cid!r} must match {ID_RE.pattern}")
    source = _req(data, "source", dict, where)
    if "pypi" in source:
        if "==" not in str(source["pypi"]) or not re.fullmatch(r"[0-9a-f]{64}", str(source.get("sha256", ""))):
            raise CaseError(f"{where}: a pypi source needs `NAME==VERSION` and the file's `sha256`")
    elif "git" in source:
        if not SHA_RE.match(str(source.get("commit", ""))):
            raise CaseError(f"{where}: a git source needs a 40-hex `commit`")
    else:
        raise CaseError(f"{where}: `source` needs `pypi` or `git`")
    root = data.get("root", source.get("root", ""))
    if not isinstance(root, str) or root.startswith("/") or ".." in Path(root).parts:
        raise CaseError(f"{where}: `root` must be a relative path inside the unpacked source")
    files: Dict[str, bool] = {}
    labels: List[Label] = []
    negatives: List[Negative] = []
    backing = str(data.get("backing", ""))
    for k, f in enumerate(_req(data, "file", list, where)):
        fw = f"{where}: file[{k}]"
        path = _req(f, "path", str, fw)
        if path.startswith("/") or ".." in Path(path).parts:
            raise CaseError(f"{fw}: path must be relative to the root")
        files[path] = bool(f.get("exhaustive", False))
        for j, lab in enumerate(f.get("label", [])):
            lw = f"{fw}.label[{j}]"
            family = _req(lab, "family", str, lw)
            kind = _req(lab, "kind", str, lw)
            code = _req(lab, "code", str, lw)
            if family not in FAMILIES:
                raise CaseError(f"{lw}: unknown family {family!r}")
            if kind not in KINDS:
                raise CaseError(f"{lw}: unknown kind {kind!r}")
            if not CODE_RE.match(code):
                raise CaseError(f"{lw}: code {code!r} is not FAKnnn")
            if (family in LOOP_FAMILIES) != (kind == "loop"):
                raise CaseError(f"{lw}: loop families go with kind = \"loop\" and only they do")
            labels.append(Label(cid, path, _req(lab, "line", int, lw), _req(lab, "text", str, lw), family, kind,
                                code, str(lab.get("function", "")), str(lab.get("source", backing)),
                                str(lab.get("note", ""))))
        for j, neg in enumerate(f.get("negative", [])):
            nw = f"{fw}.negative[{j}]"
            family = str(neg.get("family", "db"))
            if family not in FAMILIES:
                raise CaseError(f"{nw}: unknown family {family!r}")
            negatives.append(Negative(cid, path, _req(neg, "line", int, nw), _req(neg, "text", str, nw), family,
                                      str(neg.get("what", ""))))
    return Case(cid, _req(data, "project", str, where), str(data.get("framework", "other")), backing, source,
                root, files, labels, negatives)


def load_cases(directory: Path) -> List[Case]:
    cases = []
    seen: Set[str] = set()
    for p in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise CaseError(f"{p.name}: {e}") from None
        case = parse_case(data, p.name)
        if case.id != p.stem:
            raise CaseError(f"{p.name}: id {case.id!r} differs from the file name")
        if case.id in seen:
            raise CaseError(f"{p.name}: duplicate id")
        seen.add(case.id)
        case.file = p.name
        cases.append(case)
    return cases


def check_pins(case: Case, root: Path) -> List[str]:
    """Each label's and negative's ``text`` must be on its line of the fetched source."""
    problems = []
    cache: Dict[str, List[str]] = {}
    for item in list(case.labels) + list(case.negatives):
        if item.path not in cache:
            try:
                cache[item.path] = (root / item.path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError as e:
                cache[item.path] = []
                problems.append(f"{case.id}: {item.path}: cannot read ({e.strerror})")
        lines = cache[item.path]
        if not lines:
            continue
        got = lines[item.line - 1] if 0 < item.line <= len(lines) else None
        if got is None or item.text not in got:
            problems.append(f"{case.id}: {item.path}:{item.line}: expected {item.text!r}, found {got!r}")
    return problems


# ---- reports ---------------------------------------------------------------------------------

Report = Tuple[str, int, str]  # (path relative to the case root, line, code)


def group_of(code: str) -> Optional[str]:
    """The scored group of a code, or None when the code is not scored."""
    if code.startswith("FAK"):
        if code in ("FAK301", "FAK302"):
            return "loop"
        if code in ("FAK000", "FAK402", "FAK403"):
            return None
        return "blocking"
    if code.startswith("ASYNC2"):  # flake8-async / ruff blocking-call rules
        return "blocking"
    return None


@dataclass
class LabelResult:
    label: Label
    found: bool
    exact: bool
    codes: Tuple[str, ...]


@dataclass
class NegativeResult:
    negative: Negative
    reported: bool
    codes: Tuple[str, ...]


@dataclass
class CaseScore:
    labels: List[LabelResult] = field(default_factory=list)
    negatives: List[NegativeResult] = field(default_factory=list)
    tp: int = 0
    fp: int = 0
    unknown: int = 0
    false_positives: List[Tuple[str, int, Tuple[str, ...]]] = field(default_factory=list)


def score_case(case: Case, reports: Iterable[Report]) -> CaseScore:
    by_line: Dict[Tuple[str, int, str], Set[str]] = {}
    for path, line, code in reports:
        if path not in case.files:
            continue
        g = group_of(code)
        if g is None:
            continue
        by_line.setdefault((path, line, g), set()).add(code)
    out = CaseScore()
    positive_units = set()
    for lab in case.labels:
        codes = by_line.get((lab.path, lab.line, lab.group), set())
        positive_units.add((lab.path, lab.line, lab.group))
        out.labels.append(LabelResult(lab, bool(codes), lab.code in codes, tuple(sorted(codes))))
    negative_units = set()
    for neg in case.negatives:
        codes = by_line.get((neg.path, neg.line, neg.group), set())
        negative_units.add((neg.path, neg.line, neg.group))
        out.negatives.append(NegativeResult(neg, bool(codes), tuple(sorted(codes))))
    for unit, codes in sorted(by_line.items()):
        if unit in positive_units:
            out.tp += 1
        elif unit in negative_units or case.files.get(unit[0], False):
            out.fp += 1
            out.false_positives.append((unit[0], unit[1], tuple(sorted(codes))))
        else:
            out.unknown += 1
    return out


def ratio(n: int, d: int) -> Optional[float]:
    return n / d if d else None


def summarise(cases: Sequence[Case], scores: Dict[str, CaseScore]) -> dict:
    """Figures over ``cases``: recall by family, by kind, loops, Django, precision, negatives."""
    rows: Dict[str, List[int]] = {}  # key -> [found, exact, total]

    def bump(key: str, r: LabelResult) -> None:
        row = rows.setdefault(key, [0, 0, 0])
        row[0] += r.found
        row[1] += r.exact
        row[2] += 1

    tp = fp = unknown = neg_rep = neg_total = 0
    neg_groups: Dict[str, List[int]] = {}
    for case in cases:
        s = scores.get(case.id)
        if s is None:
            continue
        for r in s.labels:
            bump("all", r)
            bump("family:" + r.label.family, r)
            bump("kind:" + r.label.kind, r)
            if r.label.kind != "loop":
                bump("blocking:" + ("django" if r.label.family == "django" else "non-django"), r)
        for n in s.negatives:
            neg_total += 1
            neg_rep += n.reported
            key = "loop" if n.negative.group == "loop" else ("django" if n.negative.family == "django" else "blocking")
            g = neg_groups.setdefault(key, [0, 0])
            g[0] += n.reported
            g[1] += 1
        tp += s.tp
        fp += s.fp
        unknown += s.unknown
    return {
        "recall": {k: {"found": v[0], "exact": v[1], "total": v[2], "recall": ratio(v[0], v[2]),
                       "exact_recall": ratio(v[1], v[2])} for k, v in sorted(rows.items())},
        "precision": {"tp": tp, "fp": fp, "unknown": unknown, "precision": ratio(tp, tp + fp)},
        "negatives": {"reported": neg_rep, "total": neg_total, "rate": ratio(neg_rep, neg_total),
                      "by_group": {k: {"reported": v[0], "total": v[1], "rate": ratio(v[0], v[1])}
                                   for k, v in sorted(neg_groups.items())}},
    }
