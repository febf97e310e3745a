"""Whole-project analysis: chains from endpoint to blocking line (FAK401/FAK402/FAK403)."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli
from test_fixtures import expected_for

APP = FIXTURES / "project_app"
SEED = FIXTURES / "seed_app"


def check_json(args, cwd=ROOT):
    code, out, err = run_cli(["check", "--format", "json", "--no-cache", *args], cwd=cwd)
    assert code in (0, 1), err
    return json.loads(out)


def test_project_app_exact():
    diags = check_json(["fixtures/project_app"])
    got = {}
    for d in diags:
        got.setdefault(Path(d["filename"]).resolve(), set()).add((d["location"]["row"], d["code"]))
    for path in APP.rglob("*.py"):
        assert got.get(path.resolve(), set()) == expected_for(path), path


def test_fak402_is_opt_in():
    plain = check_json(["fixtures/project_app"])
    assert not any(d["code"] == "FAK402" for d in plain)
    opted = check_json(["--extend-select", "FAK402", "fixtures/project_app"])
    hits = [d for d in opted if d["code"] == "FAK402"]
    assert [(Path(d["path"]).name, d["location"]["row"]) for d in hits] == [
        ("routes.py", 10), ("routes.py", 15), ("users.py", 33)]
    assert "blocks the event loop at" in hits[-1]["message"] and "storage.py:6" in hits[-1]["message"]


def _seed_routes():
    diags = check_json(["fixtures/seed_app"])
    return diags, {d["message"].split(" blocks the event loop")[0]: d for d in diags if d["code"] == "FAK403"}


def test_every_seed_endpoint_is_traced_to_the_blocking_line():
    diags, routes = _seed_routes()
    assert {"GET /tables", "GET /files", "POST /activity/logs"} <= set(routes)
    assert not any("/health" in r for r in routes)
    tables = routes["GET /tables"]
    trace = tables["trace"]
    assert trace[0]["function"] == "get_tables" and "GET /tables" in trace[0]["note"]
    names = [f["function"] for f in trace]
    assert names[1:] == ["get_tables", "FileProcessingService.get_tables", "PostgreSQLProvider.execute_query"]
    last = trace[-1]
    assert last["path"].endswith("core/database/postgresql_provider.py")
    src = (ROOT / last["path"]).read_text().splitlines()[last["line"] - 1]
    quoted = last["note"].split("`")[1]
    assert quoted.split("(")[0] in src, (quoted, src)
    assert "cursor.execute(query, params)" in tables["message"]
    # every frame points at a real line of a real file
    for f in trace:
        assert (ROOT / f["path"]).is_file() and f["line"] >= 1 and f["column"] >= 1


def test_root_cause_counts_entry_points():
    diags, _ = _seed_routes()
    execs = [d for d in diags if d["code"] == "FAK101" and "cursor.execute" in d["message"]]
    assert execs and all("reached from 2 entry points" in d["message"] for d in execs)


def test_one_changed_file_gives_the_same_diagnostics(tmp_path):
    whole = check_json(["fixtures/project_app"])
    for rel in ["app/services/users.py", "app/api/routes.py", "app/core/storage.py"]:
        single = check_json([f"fixtures/project_app/{rel}"])
        single = [d for d in single if d["path"].endswith(rel)]  # (plus the findings its chains cause)
        mine = [d for d in whole if d["path"].endswith(rel)]
        strip = lambda ds: [(d["code"], d["location"], d["message"], d["trace"]) for d in ds]
        assert strip(single) == strip(mine), rel


def test_stdin_resolves_into_the_project():
    src = (APP / "app/services/users.py").read_text()
    code, out, err = run_cli(
        ["check", "--format", "json", "--no-cache", "--stdin-filename", "fixtures/project_app/app/services/users.py", "-"],
        input=src, cwd=ROOT,
    )
    diags = json.loads(out)
    assert code == 1
    assert sorted(d["location"]["row"] for d in diags if d["code"] == "FAK401") == [12, 16, 19, 25]


def test_text_output_shows_the_chain_indented():
    code, out, _ = run_cli(["check", "--no-cache", "--select", "FAK403", "fixtures/project_app"], cwd=ROOT)
    assert code == 1
    lines = out.splitlines()
    i = next(n for n, l in enumerate(lines) if "GET /users/settings" in l)
    chain = [l for l in lines[i + 1:i + 8] if l.startswith("    ")]
    assert len(chain) >= 4 and "config.py" in chain[-1]


def test_mermaid_format_draws_the_chain():
    code, out, _ = run_cli(["check", "--no-cache", "--format", "mermaid", "--select", "FAK403", "fixtures/seed_app"], cwd=ROOT)
    assert out.count("graph TB") == len([1 for l in out.splitlines() if l.startswith("%% FAK403")]) >= 3
    assert "postgresql_provider.py" in out


def test_subprocess_entry_point():
    r = subprocess.run([sys.executable, "-m", "fakeasync_lint", "check", "--no-cache", "--format", "json",
                        "fixtures/project_app"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr
    assert {d["code"] for d in json.loads(r.stdout)} == {"FAK401", "FAK403"}


def test_an_inherited_call_is_named_as_called():
    """`UserService.query()` runs the base's `CommonService.query` with `cls.model = User`: the message names
    the method as written at the call, then the base method and what it runs."""
    diags = check_json([str(FIXTURES / "projects" / "peewee_services")])
    msgs = [d["message"] for d in diags if d["code"] == "FAK401" and d["path"].endswith("api/services.py")
            and d["location"]["row"] == 8]
    assert len(msgs) == 1, msgs
    assert msgs[0].startswith("calls `UserService.query()`, which blocks: `CommonService.query` → `BaseModel.query`")
    d = [d for d in diags if d["code"] == "FAK401" and d["location"]["row"] == 8][0]
    assert "inherited `CommonService.query`" in d["trace"][0]["note"]


def test_a_property_read_is_reported_as_a_read_without_a_fix():
    diags = check_json([str(FIXTURES / "projects" / "properties")])
    d = [d for d in diags if d["code"] == "FAK401" and d["path"].endswith("api.py") and d["location"]["row"] == 14]
    assert len(d) == 1
    assert d[0]["message"].startswith("reads `s.data`, the property `Settings.data`, which blocks:")
    assert d[0]["fix"] is None
    assert d[0]["trace"][0]["note"].startswith("reads property `Settings.data`")
