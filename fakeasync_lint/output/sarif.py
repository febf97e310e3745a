"""``sarif``: one SARIF 2.1.0 run, shaped for GitHub code scanning (see conventions.md §2)."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Dict, List, Optional, Sequence
from urllib.parse import quote

from ..models import DISPLAY_ONLY, Diagnostic, Edit, Frame
from ..rules.base import Rule
from ._common import rule_for

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "fakeasync-lint"
INFORMATION_URI = "https://github.com/fakeasync-lint/fakeasync-lint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "fakeasyncFingerprint/v1"
MAX_DESCRIPTION = 1024  # GitHub's limit for shortDescription / fullDescription

LEVELS = {"error": "error", "fatal": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "fatal": "error", "warning": "warning", "info": "recommendation"}
BASELINE_STATE = {"new": "new", "baselined": "unchanged"}

# Characters kept verbatim in a relative URI path (RFC 3986 pchar minus ':' which would look like
# a scheme in a first segment); everything else, including spaces and non-ASCII, is %-encoded.
_URI_SAFE = "/!$&'()*+,;=@~"
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def level(severity: str) -> str:
    return LEVELS.get(severity, "warning")


def _truncate(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _first_paragraph(markdown: str) -> str:
    """The first prose paragraph of a rule doc (headings skipped), joined onto one line."""
    paragraph: List[str] = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            if paragraph:
                break
            continue
        if line.startswith("#") or line.startswith("```"):
            if paragraph:
                break
            continue
        paragraph.append(line)
    return " ".join(paragraph)


def directory_uri(cwd: str) -> str:
    """``file://`` URI of a directory, with a trailing slash (for ``originalUriBaseIds``)."""
    if _WINDOWS_DRIVE.match(cwd) and os.name != "nt":
        uri = PureWindowsPath(cwd).as_uri()
    else:
        uri = Path(os.path.abspath(cwd)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def artifact_location(path: str) -> Dict[str, str]:
    """Repo-relative paths are %-encoded relative URIs against ``%SRCROOT%``; absolute ones are
    ``file://`` URIs (files outside the working directory)."""
    if path.startswith("/"):
        return {"uri": PurePosixPath(path).as_uri()}
    if _WINDOWS_DRIVE.match(path):
        return {"uri": PureWindowsPath(path).as_uri()}
    return {"uri": quote(path.replace("\\", "/"), safe=_URI_SAFE), "uriBaseId": SRCROOT}


def _region(start_row: int, start_col: int, end_row: int, end_col: int) -> Dict[str, int]:
    return {"startLine": start_row, "startColumn": start_col, "endLine": end_row, "endColumn": end_col}


def reporting_descriptor(rule: Rule) -> Dict[str, Any]:
    doc = rule.doc or rule.summary
    full = _first_paragraph(rule.doc) or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _truncate(rule.summary or rule.code)},
        "fullDescription": {"text": _truncate(full or rule.code)},
        "help": {"text": doc or rule.code, "markdown": doc or rule.code},
        "helpUri": rule.url,
        "defaultConfiguration": {"enabled": rule.default_enabled, "level": level(rule.severity)},
        "properties": {
            "tags": ["async", "performance"],
            "problem.severity": PROBLEM_SEVERITY.get(rule.severity, "warning"),
        },
    }


def _frame_location(frame: Frame) -> Dict[str, Any]:
    region: Dict[str, int] = {"startLine": frame.line}
    if frame.column >= 1:
        region["startColumn"] = frame.column
    location: Dict[str, Any] = {
        "physicalLocation": {"artifactLocation": artifact_location(frame.path), "region": region},
        "message": {"text": frame.note or frame.function or f"{frame.path}:{frame.line}"},
    }
    if frame.function:
        location["logicalLocations"] = [{"fullyQualifiedName": frame.function, "kind": "function"}]
    if frame.library:
        # a frame inside a third-party library: a logical location only (its file is not in the
        # repository, its line is not known)
        del location["physicalLocation"]
        location["message"]["text"] = f"[{frame.library}] {location['message']['text']}"
        location["properties"] = {"library": frame.library}
    return location


def _code_flows(trace: Sequence[Frame]) -> List[Dict[str, Any]]:
    locations = [
        {"location": _frame_location(frame), "executionOrder": index}
        for index, frame in enumerate(trace)
    ]
    return [{"threadFlows": [{"locations": locations}]}]


def _replacement(edit: Edit) -> Dict[str, Any]:
    return {
        "deletedRegion": _region(
            edit.location.row, edit.location.column, edit.end_location.row, edit.end_location.column
        ),
        "insertedContent": {"text": edit.content},
    }


def sarif_result(d: Diagnostic, rule_index: int) -> Dict[str, Any]:
    result: Dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": {"text": d.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(d.path),
                    "region": _region(
                        d.location.row, d.location.column, d.end_location.row, d.end_location.column
                    ),
                }
            }
        ],
    }
    if d.function:
        result["locations"][0]["logicalLocations"] = [
            {"fullyQualifiedName": d.function, "kind": "function"}
        ]
    if d.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: d.fingerprint}
    if d.baseline in BASELINE_STATE:
        result["baselineState"] = BASELINE_STATE[d.baseline]
    if d.trace:
        result["codeFlows"] = _code_flows(d.trace)
    if d.fix is not None and d.fix.applicability != DISPLAY_ONLY and d.fix.edits:
        fix: Dict[str, Any] = {}
        if d.fix.message:
            fix["description"] = {"text": d.fix.message}
        fix["artifactChanges"] = [
            {
                "artifactLocation": artifact_location(d.path),
                "replacements": [_replacement(edit) for edit in d.fix.edits],
            }
        ]
        fix["properties"] = {"applicability": d.fix.applicability}
        result["fixes"] = [fix]
    properties: Dict[str, Any] = {}
    if d.suggestion:
        properties["suggestion"] = d.suggestion
    if properties:
        result["properties"] = properties
    return result


def build_sarif(
    diagnostics: Sequence[Diagnostic],
    *,
    cwd: Optional[str] = None,
    tool_version: str = "0.1.0",
) -> Dict[str, Any]:
    """The SARIF log as a dict. ``cwd`` (default: the process's working directory) is the
    ``%SRCROOT%`` that the relative ``artifactLocation.uri`` values resolve against."""
    codes = sorted({d.code for d in diagnostics})
    rules = [rule_for(code) for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    root = directory_uri(cwd if cwd is not None else os.getcwd())
    run: Dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": tool_version,
                "semanticVersion": tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [reporting_descriptor(rule) for rule in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {SRCROOT: {"uri": root}},
        "results": [sarif_result(d, index[d.code]) for d in diagnostics],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(
    diagnostics: Sequence[Diagnostic],
    *,
    cwd: Optional[str] = None,
    tool_version: str = "0.1.0",
) -> str:
    log = build_sarif(diagnostics, cwd=cwd, tool_version=tool_version)
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


__all__ = ["build_sarif", "render_sarif", "artifact_location", "directory_uri", "level"]
