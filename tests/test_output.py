"""Output formats: JSON (+ schema), text/concise/statistics, SARIF, GitHub, GitLab, Mermaid."""
from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
import types
from pathlib import Path

import jsonschema
import pytest

from fakeasync_lint.models import DISPLAY_ONLY, SAFE, UNSAFE, Diagnostic, Edit, Fix, Frame, Location
from fakeasync_lint.output import FORMATS, _common, render
from fakeasync_lint.output.github import escape_data, escape_property
from fakeasync_lint.output.mermaid import escape_label
from fakeasync_lint.rules.base import Rule

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "fakeasync_lint" / "schemas" / "diagnostics.schema.json"

RULES = {
    "FAK101": Rule(
        code="FAK101",
        name="blocking-database-call",
        summary="Blocking database call inside async function",
        doc="## What it does\n\nFinds synchronous database calls inside `async def`.\n\n"
        "## Why is this bad?\n\nThe event loop stops while the driver waits.\n",
        fix="unsafe",
    ),
    "FAK102": Rule(
        code="FAK102",
        name="blocking-sleep",
        summary="Blocking sleep inside async function",
        doc="Finds `time.sleep` in `async def`.",
        severity="warning",
        fix="safe",
    ),
    "FAK403": Rule(
        code="FAK403",
        name="blocking-call-chain",
        summary="Async endpoint reaches a blocking call",
        doc="Follows calls from the endpoint to the blocking line.",
        severity="info",
    ),
}


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch):
    """Independent of the real ``fakeasync_lint.rules`` registry (written concurrently)."""
    monkeypatch.setattr(_common, "get_rule_or_none", lambda code: RULES.get(code))


def loc(row, col):
    return Location(row, col)


TRACE = [
    Frame("app/api.py", 10, 5, "get_user", 'endpoint "GET /users"'),
    Frame("app/service.py", 22, 9, "UserService.fetch", "calls provider"),
    Frame("app/db.py", 31, 5, "fetch_row", "cursor.execute blocks"),
]


def make_diagnostics():
    traced = Diagnostic(
        code="FAK101",
        message="Blocking psycopg2 call `cursor.execute` in async function",
        path="app/api.py",
        filename="/proj/app/api.py",
        location=loc(10, 5),
        end_location=loc(10, 28),
        suggestion="use psycopg 3 async",
        function="get_user",
        fix=Fix(
            UNSAFE,
            "Wrap in `asyncio.to_thread`",
            (Edit("await asyncio.to_thread(fetch_row)", loc(10, 5), loc(10, 28)),),
            ("asyncio",),
        ),
        trace=list(TRACE),
        noqa_row=10,
        fingerprint="fak1:0123abcd",
    )
    sleepy = Diagnostic(
        code="FAK102",
        message="Blocking `time.sleep` — ça bloque la boucle 😴",
        path="src/my dir/a,b:c.py",
        filename="/proj/src/my dir/a,b:c.py",
        location=loc(3, 7),
        end_location=loc(3, 20),
        severity="warning",
        suggestion="await asyncio.sleep(1)",
        function="Worker.run",
        fix=Fix(SAFE, "Replace with `await asyncio.sleep(1)`", (Edit("await asyncio.sleep(1)", loc(3, 7), loc(3, 20)),)),
        noqa_row=3,
        fingerprint="fak1:feedbeef",
        baseline="new",
    )
    plain = Diagnostic(
        code="FAK403",
        message='Progress 100% done\nsecond "line"',
        path="app/z.py",
        filename="/proj/app/z.py",
        location=loc(1, 1),
        end_location=loc(1, 4),
        severity="info",
        fix=Fix(DISPLAY_ONLY, "Switch to httpx.AsyncClient", (Edit("x", loc(1, 1), loc(1, 4)),)),
    )
    return [traced, sleepy, plain]


@pytest.fixture
def diags():
    return make_diagnostics()


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# ------------------------------------------------------------------------------------------ JSON


JSON_KEYS = [
    "code", "name", "message", "severity", "filename", "path", "location", "end_location", "fix",
    "noqa_row", "url", "cell", "suggestion", "function", "trace", "fingerprint", "root",
]


def test_json_validates_against_schema(diags, validator):
    out = render(diags, "json")
    data = json.loads(out)
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []
    assert len(data) == 3


def test_json_keys_and_values(diags):
    data = json.loads(render(diags, "json"))
    by_code = {d["code"]: d for d in data}
    assert list(by_code["FAK101"]) == JSON_KEYS  # no baseline key when not active
    assert list(by_code["FAK102"]) == JSON_KEYS + ["baseline"]
    first = by_code["FAK101"]
    assert first["name"] == "blocking-database-call"
    assert first["url"].endswith("#fak101")
    assert first["cell"] is None
    assert first["location"] == {"row": 10, "column": 5}
    assert first["end_location"] == {"row": 10, "column": 28}
    assert first["fix"] == {
        "applicability": "unsafe",
        "message": "Wrap in `asyncio.to_thread`",
        "edits": [
            {
                "content": "await asyncio.to_thread(fetch_row)",
                "location": {"row": 10, "column": 5},
                "end_location": {"row": 10, "column": 28},
            }
        ],
    }
    assert first["trace"][0] == {
        "path": "app/api.py", "line": 10, "column": 5, "function": "get_user",
        "note": 'endpoint "GET /users"',
    }
    assert [f["function"] for f in first["trace"]] == ["get_user", "UserService.fetch", "fetch_row"]
    assert by_code["FAK102"]["baseline"] == "new"
    assert by_code["FAK403"]["suggestion"] is None and by_code["FAK403"]["trace"] == []


def test_json_formatting(diags):
    out = render(diags, "json")
    assert out.endswith("]\n")
    assert "\n  {\n    \"code\": " in out  # indent 2
    assert "ça bloque la boucle 😴" in out  # ensure_ascii=False
    assert render([], "json") == "[]\n"


def test_json_lines(diags, validator):
    out = render(diags, "json-lines")
    lines = out.splitlines()
    assert len(lines) == 3 and out.endswith("\n")
    objs = [json.loads(line) for line in lines]
    assert not list(validator.iter_errors(objs))
    assert objs == json.loads(render(diags, "json"))
    assert all(": " not in line.split('"message"')[0] for line in lines)  # compact separators
    assert render([], "json-lines") == ""


@pytest.mark.parametrize(
    "mutate",
    [
        lambda o: o.update(extra=1),
        lambda o: o.update(code="FA101"),
        lambda o: o.pop("trace"),
        lambda o: o.pop("fingerprint"),
        lambda o: o.update(cell=0),
        lambda o: o.update(baseline="old"),
        lambda o: o.update(severity="critical"),
        lambda o: o["location"].update(column=0),
        lambda o: o["location"].update(offset=3),
        lambda o: o["fix"].update(applicability="maybe"),
        lambda o: o["fix"].update(imports=["asyncio"]),
        lambda o: o["fix"]["edits"][0].pop("content"),
        lambda o: o["trace"][0].update(extra="x"),
        lambda o: o["trace"][1].pop("note"),
        lambda o: o["trace"].append("app/db.py:31"),
        lambda o: o.update(name="Blocking Database Call"),
    ],
)
def test_schema_rejects_mutations(diags, validator, mutate):
    data = json.loads(render(diags, "json"))
    assert not list(validator.iter_errors(data))
    bad = copy.deepcopy(data)
    target = next(o for o in bad if o["code"] == "FAK101")
    mutate(target)
    assert list(validator.iter_errors(bad)), "mutated output should not validate"


def test_json_statistics(diags):
    rows = json.loads(render(diags, "json", statistics=True))
    assert rows == [
        {"code": "FAK101", "name": "blocking-database-call", "count": 1, "fixable": "unsafe", "fixable_count": 1},
        {"code": "FAK102", "name": "blocking-sleep", "count": 1, "fixable": "safe", "fixable_count": 1},
        {"code": "FAK403", "name": "blocking-call-chain", "count": 1, "fixable": None, "fixable_count": 0},
    ]


# ------------------------------------------------------------------------------------------ text


def test_text_golden(diags):
    out = render(diags, "text", show_fixes=True)
    expected = (
        "app/api.py:10:5: FAK101 Blocking psycopg2 call `cursor.execute` in async function\n"
        "  help: use psycopg 3 async\n"
        '    → app/api.py:10 get_user: endpoint "GET /users"\n'
        "    → app/service.py:22 UserService.fetch: calls provider\n"
        "    → app/db.py:31 fetch_row: cursor.execute blocks\n"
        "  fix (unsafe): Wrap in `asyncio.to_thread`\n"
        "\n"
        "app/z.py:1:1: FAK403 Progress 100% done second \"line\"\n"
        "  fix (displayonly): Switch to httpx.AsyncClient\n"
        "\n"
        "src/my dir/a,b:c.py:3:7: FAK102 [*] Blocking `time.sleep` — ça bloque la boucle 😴\n"
        "  help: await asyncio.sleep(1)\n"
        "  fix (safe): Replace with `await asyncio.sleep(1)`\n"
        "\n"
        "Found 3 errors (FAK101: 1, FAK102: 1, FAK403: 1).\n"
        "Of these, 1 is a warning and 1 is info.\n"
        "[*] 1 fixable with --fix (1 more with --unsafe-fixes)\n"
    )
    assert out == expected


def test_text_hides_fixes_by_default(diags):
    out = render(diags, "text")
    assert "  fix (" not in out
    assert "  help: use psycopg 3 async\n" in out


def test_concise(diags):
    out = render(diags, "concise")
    assert out.splitlines() == [
        "app/api.py:10:5: FAK101 Blocking psycopg2 call `cursor.execute` in async function",
        'app/z.py:1:1: FAK403 Progress 100% done second "line"',
        "src/my dir/a,b:c.py:3:7: FAK102 [*] Blocking `time.sleep` — ça bloque la boucle 😴",
        "Found 3 errors (FAK101: 1, FAK102: 1, FAK403: 1).",
        "Of these, 1 is a warning and 1 is info.",
        "[*] 1 fixable with --fix (1 more with --unsafe-fixes)",
    ]
    assert "help:" not in out and "→" not in out


def test_summary_variants(diags):
    assert render([], "text") == "All checks passed!\n"
    assert render([], "text", summary=False) == ""
    one = render(diags[:1], "concise")
    assert one.splitlines()[1:] == [
        "Found 1 error (FAK101: 1).",
        "No safe fixes available (1 fixable with --unsafe-fixes)",
    ]
    no_summary = render(diags, "text", summary=False)
    assert "Found" not in no_summary and "fixable" not in no_summary
    twice = render(diags[:1] * 2 + diags[2:], "concise").splitlines()
    assert "Found 3 errors (FAK101: 2, FAK403: 1)." in twice


def test_colour_off_by_default(diags):
    for fmt in FORMATS:
        assert "\x1b[" not in render(diags, fmt, cwd="/proj"), fmt
    assert "\x1b[" not in render(diags, "text", statistics=True)


def test_colour_on(diags):
    out = render(diags, "text", color=True)
    assert "\x1b[1mapp/api.py:10:5:\x1b[0m" in out
    assert "\x1b[1;31mFAK101\x1b[0m" in out
    assert "\x1b[36mhelp: use psycopg 3 async\x1b[0m" in out


def test_statistics_table(diags):
    out = render(diags * 2 + diags[:1], "text", statistics=True)
    lines = out.splitlines()
    assert lines[:3] == [
        "3\tFAK101\t[-] blocking-database-call",
        "2\tFAK102\t[*] blocking-sleep",
        "2\tFAK403\t[ ] blocking-call-chain",
    ]
    assert lines[3] == "Found 7 errors (FAK101: 3, FAK102: 2, FAK403: 2)."
    assert "→" not in out and "help:" not in out


def test_render_rejects_bad_options(diags):
    with pytest.raises(ValueError):
        render(diags, "xml")
    with pytest.raises(ValueError):
        render(diags, "sarif", statistics=True)


def test_render_sorts_output(diags):
    out = render(list(reversed(diags)), "concise", summary=False)
    assert [line.split(":")[0] for line in out.splitlines()] == ["app/api.py", "app/z.py", "src/my dir/a,b"]


# ---------------------------------------------------------------------------------------- github


def test_github_escaping_functions():
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    assert escape_data("100%0A") == "100%250A"  # no double decoding surprises


def test_github_annotations(diags):
    lines = render(diags, "github").splitlines()
    assert len(lines) == 3
    first, plain, sleepy = lines
    assert first == (
        "::error file=app/api.py,line=10,col=5,endLine=10,endColumn=28,"
        "title=FAK101 (blocking-database-call)::"
        "Blocking psycopg2 call `cursor.execute` in async function"
        "%0Ahelp: use psycopg 3 async"
        '%0A→ app/api.py:10 get_user: endpoint "GET /users"'
        "%0A→ app/service.py:22 UserService.fetch: calls provider"
        "%0A→ app/db.py:31 fetch_row: cursor.execute blocks"
    )
    assert sleepy.startswith(
        "::warning file=src/my dir/a%2Cb%3Ac.py,line=3,col=7,endLine=3,endColumn=20,"
        "title=FAK102 (blocking-sleep)::Blocking `time.sleep` — ça bloque la boucle 😴%0A"
    )
    assert plain == (
        "::notice file=app/z.py,line=1,col=1,endLine=1,endColumn=4,title=FAK403 (blocking-call-chain)::"
        'Progress 100%25 done%0Asecond "line"'
    )
    for line in lines:  # one physical line per annotation, properties never contain raw separators
        props = line.split("::")[1].split(" ", 1)[1]
        for pair in props.split(","):
            assert re.fullmatch(r"[A-Za-z]+=[^,:\n]*", pair), pair
    assert render([], "github") == ""


# ---------------------------------------------------------------------------------------- gitlab


def test_gitlab_structure(diags):
    issues = json.loads(render(diags, "gitlab"))
    assert [set(i) for i in issues] == [{"description", "check_name", "fingerprint", "severity", "location"}] * 3
    first = issues[0]
    assert first["description"] == "FAK101: Blocking psycopg2 call `cursor.execute` in async function"
    assert first["check_name"] == "FAK101"
    assert first["fingerprint"] == hashlib.md5(b"fak1:0123abcd").hexdigest()
    assert first["severity"] == "major"
    assert first["location"] == {"path": "app/api.py", "lines": {"begin": 10, "end": 10}}
    assert [i["severity"] for i in issues] == ["major", "info", "minor"]
    no_fp = issues[1]  # FAK403 has no fingerprint: md5 of path + code + message
    assert re.fullmatch(r"[0-9a-f]{32}", no_fp["fingerprint"])
    assert render([], "gitlab") == "[]\n"


def test_gitlab_fatal_and_multiline_end(diags):
    d = diags[2]
    d.severity = "fatal"
    d.end_location = loc(3, 1)  # exclusive end at column 1: the issue ends on line 2
    (issue,) = json.loads(render([d], "gitlab"))
    assert issue["severity"] == "blocker"
    assert issue["location"]["lines"] == {"begin": 1, "end": 2}


def test_gitlab_fingerprints_unique(diags):
    dupes = [copy.deepcopy(diags[0]) for _ in range(3)] + [copy.deepcopy(diags[2]) for _ in range(2)]
    issues = json.loads(render(dupes, "gitlab"))
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == 5
    assert all(re.fullmatch(r"[0-9a-f]{32}", f) for f in fingerprints)
    # deterministic
    assert fingerprints == [i["fingerprint"] for i in json.loads(render(dupes, "gitlab"))]


# ----------------------------------------------------------------------------------------- SARIF

_TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}}
_REGION = {
    "type": "object",
    "required": ["startLine", "startColumn", "endLine", "endColumn"],
    "properties": {k: {"type": "integer", "minimum": 1} for k in ("startLine", "startColumn", "endLine", "endColumn")},
}
# GitHub code scanning's required fields (conventions.md §2.1); the OASIS schema comes later.
SARIF_MINIMAL_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["$schema", "version", "runs"],
    "properties": {
        "$schema": {"const": "https://json.schemastore.org/sarif-2.1.0.json"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results", "columnKind", "originalUriBaseIds"],
                "properties": {
                    "columnKind": {"const": "unicodeCodePoints"},
                    "originalUriBaseIds": {
                        "type": "object",
                        "required": ["%SRCROOT%"],
                        "properties": {
                            "%SRCROOT%": {
                                "type": "object",
                                "required": ["uri"],
                                "properties": {"uri": {"type": "string", "pattern": "^file:///.*/$"}},
                            }
                        },
                    },
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "version", "informationUri", "rules"],
                                "properties": {
                                    "name": {"const": "fakeasync-lint"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": [
                                                "id", "name", "shortDescription", "fullDescription",
                                                "help", "helpUri", "defaultConfiguration",
                                            ],
                                            "properties": {
                                                "shortDescription": _TEXT,
                                                "fullDescription": _TEXT,
                                                "help": {"type": "object", "required": ["text", "markdown"]},
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "required": ["level"],
                                                    "properties": {"level": {"enum": ["note", "warning", "error"]}},
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "ruleIndex", "level", "message", "locations"],
                            "properties": {
                                "level": {"enum": ["note", "warning", "error"]},
                                "message": _TEXT,
                                "locations": {
                                    "type": "array",
                                    "minItems": 1,
                                    "maxItems": 10,
                                    "items": {
                                        "type": "object",
                                        "required": ["physicalLocation"],
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "required": ["artifactLocation", "region"],
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "required": ["uri", "uriBaseId"],
                                                        "properties": {"uriBaseId": {"const": "%SRCROOT%"}},
                                                    },
                                                    "region": _REGION,
                                                },
                                            }
                                        },
                                    },
                                },
                                "fixes": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["artifactChanges"],
                                        "properties": {
                                            "artifactChanges": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "required": ["artifactLocation", "replacements"],
                                                    "properties": {
                                                        "replacements": {
                                                            "type": "array",
                                                            "minItems": 1,
                                                            "items": {
                                                                "type": "object",
                                                                "required": ["deletedRegion", "insertedContent"],
                                                                "properties": {"deletedRegion": _REGION},
                                                            },
                                                        }
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def _sarif(diags, **kw):
    return json.loads(render(diags, "sarif", cwd="/proj/my repo", **kw))


def test_sarif_minimal_schema(diags):
    log = _sarif(diags, tool_version="9.9.9")
    validator = jsonschema.Draft202012Validator(SARIF_MINIMAL_SCHEMA)
    assert [e.message for e in validator.iter_errors(log)] == []
    broken = copy.deepcopy(log)
    del broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["endColumn"]
    assert list(validator.iter_errors(broken))
    empty = _sarif([])
    assert not list(validator.iter_errors(empty))
    assert empty["runs"][0]["results"] == [] and empty["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_driver_and_rules(diags):
    run = _sarif(diags, tool_version="9.9.9")["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "fakeasync-lint" and driver["version"] == "9.9.9"
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["FAK101", "FAK102", "FAK403"]
    r101 = driver["rules"][0]
    assert r101["name"] == "blocking-database-call"
    assert r101["shortDescription"]["text"] == "Blocking database call inside async function"
    assert r101["fullDescription"]["text"] == "Finds synchronous database calls inside `async def`."
    assert r101["help"]["markdown"] == RULES["FAK101"].doc
    assert r101["helpUri"] == RULES["FAK101"].url
    assert [r["defaultConfiguration"]["level"] for r in driver["rules"]] == ["error", "warning", "note"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///proj/my%20repo/"
    for result in run["results"]:  # ruleIndex points at the rule
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_results(diags):
    results = _sarif(diags)["runs"][0]["results"]
    first, plain, sleepy = results
    assert [r["level"] for r in results] == ["error", "note", "warning"]
    assert first["message"]["text"] == diags[0].message
    phys = first["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": "app/api.py", "uriBaseId": "%SRCROOT%"}
    assert phys["region"] == {"startLine": 10, "startColumn": 5, "endLine": 10, "endColumn": 28}
    assert first["partialFingerprints"] == {"fakeasyncFingerprint/v1": "fak1:0123abcd"}
    assert "partialFingerprints" not in plain  # no fingerprint: let upload-sarif compute its own
    assert sleepy["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/my%20dir/a,b%3Ac.py"
    assert sleepy["baselineState"] == "new"

    flow = first["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [f["location"]["message"]["text"] for f in flow] == [fr.note for fr in TRACE]
    assert [f["location"]["physicalLocation"]["region"]["startLine"] for f in flow] == [10, 22, 31]
    assert flow[1]["location"]["physicalLocation"]["artifactLocation"]["uri"] == "app/service.py"
    assert "codeFlows" not in sleepy

    (fix,) = first["fixes"]
    assert fix["description"]["text"] == "Wrap in `asyncio.to_thread`"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "app/api.py"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 10, "startColumn": 5, "endLine": 10, "endColumn": 28},
            "insertedContent": {"text": "await asyncio.to_thread(fetch_row)"},
        }
    ]
    assert "fixes" not in plain  # displayonly fixes are never exported
    assert sleepy["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == (
        "await asyncio.sleep(1)"
    )


def test_sarif_non_ascii_kept(diags):
    out = render(diags, "sarif", cwd="/proj")
    assert "ça bloque la boucle 😴" in out and out.endswith("}\n")


# --------------------------------------------------------------------------------------- mermaid


def test_mermaid(diags):
    second = copy.deepcopy(diags[0])
    second.path, second.location = "app/other.py", loc(4, 1)
    second.trace = [Frame("app/other.py", 4, 1, "handler", "endpoint"), Frame("app/db.py", 31, 5, "q", 'uses "raw" SQL')]
    out = render(diags + [second], "mermaid")
    assert out.count("graph TB") == 2  # the diagnostics without trace are skipped
    assert "```" not in out
    blocks = out.split("\n\n")
    assert len(blocks) == 2
    first = blocks[0].splitlines()
    assert first[0] == "%% FAK101 app/api.py:10 Blocking psycopg2 call `cursor.execute` in async function"
    assert first[1] == "graph TB"
    assert first[2] == '    N0["app/api.py:10<br/>get_user<br/>endpoint #quot;GET /users#quot;"]'
    assert "    N0 --> N1" in first and "    N1 --> N2" in first
    assert first[-1] == "    style N2 fill:#ff6b6b,stroke:#c92a2a,color:#fff"
    assert blocks[1].splitlines()[0].startswith("%% FAK101 app/other.py:4 ")
    assert "uses #quot;raw#quot; SQL" in blocks[1]
    assert "style N1 fill:#ff6b6b" in blocks[1]
    # no raw quote inside any node label
    for line in out.splitlines():
        m = re.match(r'\s+N\d+\["(.*)"\]$', line)
        if m:
            assert '"' not in m.group(1)
    assert render(diags[1:], "mermaid") == ""


def test_mermaid_escape_label():
    assert escape_label('a "b" <c> & #d `e`') == "a #quot;b#quot; #lt;c#gt; #amp; #35;d #96;e#96;"
    assert escape_label("two\nlines") == "two lines"


# ------------------------------------------------------------------------------- rule registry


def test_registry_missing_falls_back(monkeypatch, diags):
    monkeypatch.undo()  # drop the fake registry: use the real lazy lookup
    fake = types.ModuleType("fakeasync_lint.rules")  # a registry without get_rule
    monkeypatch.setitem(sys.modules, "fakeasync_lint.rules", fake)
    assert _common.get_rule_or_none("FAK101") is None
    rule = _common.rule_for("FAK999")
    assert rule.code == "FAK999" and rule.name == "fak999"

    def get_rule(code):
        raise KeyError(code)

    fake.get_rule = get_rule
    assert _common.get_rule_or_none("FAK999") is None
    fake.get_rule = lambda code: RULES[code]
    assert _common.get_rule_or_none("FAK102") is RULES["FAK102"]
    # every format still renders with placeholder rules
    monkeypatch.setattr(_common, "get_rule_or_none", lambda code: None)
    for fmt in FORMATS:
        assert render(diags, fmt, cwd="/proj")
