"""`fakeasync-lint report`: the Markdown report on the seed app (flowcharts, root causes, escaping)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakeasync_lint.config import load_settings
from fakeasync_lint.report import render_report, report_command
from fakeasync_lint.runner import run

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed_app"

RED = "fill:#ff6b6b"
ENDPOINTS = {
    "GET /tables": "postgresql_provider.py",
    "GET /files": "postgresql_provider.py",
    "POST /activity/logs": "activity_log_service.py",
}


@pytest.fixture(scope="module")
def report_text():
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        settings = load_settings(["fixtures/seed_app"], None, {})
        result = run(["fixtures/seed_app"], settings, use_cache=False)
        return render_report(result, title="Seed app")
    finally:
        os.chdir(old)


# ---- helpers ----------------------------------------------------------------------------------------


def fences_balanced(text: str) -> bool:
    """Every ``` line opens or closes a block; openings carry an info string or none, closings none."""
    open_ = False
    for line in text.splitlines():
        if line.startswith("```"):
            if open_:
                if line.strip() != "```":
                    return False
                open_ = False
            else:
                open_ = True
        elif "```" in line and not open_:
            return False  # a stray fence-like run inside text
    return not open_


def mermaid_blocks(text: str):
    """[(the enclosing ``## `` heading, mermaid source)] in document order."""
    out = []
    heading = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            heading = line
        if line.strip() == "```mermaid":
            j = i + 1
            while lines[j].strip() != "```":
                j += 1
            out.append((heading, "\n".join(lines[i + 1:j])))
            i = j
        i += 1
    return out


NODE = re.compile(r'^\s*(N\d+)\["(.*)"\]\s*$')
EDGE = re.compile(r'^\s*N\d+ (-->|-\.->)(\|"[^"]*"\|)? N\d+\s*$')
STYLE = re.compile(r"^\s*style (N\d+) (.*)$")


def parse_mermaid(src: str):
    """nodes {id: label}, red node ids in style order; asserts every line is well formed."""
    lines = [ln for ln in src.splitlines() if ln.strip()]
    assert lines[0] == "graph TB"
    nodes, red = {}, []
    for ln in lines[1:]:
        m = NODE.match(ln)
        if m:
            assert '"' not in m.group(2), f"unescaped quote in label: {ln}"
            nodes[m.group(1)] = m.group(2)
            continue
        if EDGE.match(ln):
            continue
        m = STYLE.match(ln)
        assert m, f"unexpected mermaid line: {ln!r}"
        if RED in m.group(2):
            red.append(m.group(1))
    return nodes, red


def endpoint_blocks(text: str):
    """{endpoint head: mermaid source} for the per-endpoint sections."""
    out = {}
    for heading, src in mermaid_blocks(text):
        m = re.match(r"^## Issue #\d+: `(.+)`$", heading or "")
        if m:
            out[m.group(1)] = src
    return out


def check_last_red(src: str, filename: str):
    nodes, red = parse_mermaid(src)
    assert red, "no red node"
    lab = nodes[red[-1]]
    m = re.match(r"^([\w./-]+):(\d+)(?:-(\d+))?<br/>(.*?)<br/>", lab)
    assert m, lab
    assert m.group(1).endswith(filename), lab
    line = int(m.group(2))
    path = next(SEED.rglob(filename))
    src_lines = path.read_text().splitlines()
    assert 1 <= line <= len(src_lines)
    # the label's call text (unescaped, possibly truncated) appears on that line or the call's lines
    call = m.group(4).replace("#quot;", '"').replace("#35;", "#").rstrip("…")
    end = int(m.group(3) or line)
    written = "".join(re.sub(r"\s+|#.*", "", ln) for ln in src_lines[line - 1:end])
    assert re.sub(r"\s+", "", call)[:20] in written, (call, written)


def check_report(text: str):
    assert fences_balanced(text)
    blocks = endpoint_blocks(text)
    for head, filename in ENDPOINTS.items():
        assert head in blocks, f"no flowchart for {head}: {sorted(blocks)}"
        check_last_red(blocks[head], filename)
    assert not any("/health" in h for h in blocks)
    assert "/health" not in text
    for _, src in mermaid_blocks(text):
        parse_mermaid(src)  # well formed, no unescaped quotes


# ---- render_report ----------------------------------------------------------------------------------


def test_report_has_a_flowchart_per_endpoint(report_text):
    check_report(report_text)
    assert report_text.startswith("# Seed app\n")


def test_flowchart_goes_endpoint_service_provider(report_text):
    src = endpoint_blocks(report_text)["GET /tables"]
    nodes, red = parse_mermaid(src)
    labels = list(nodes.values())
    assert labels[0] == "API Request:<br/>GET /tables"
    assert any(lab.startswith("file_processing.py:16<br/>async def get_tables()") for lab in labels)
    assert any("file_processing_service.py:17" in lab for lab in labels)
    wrapper = [n for n, lab in nodes.items() if "postgresql_provider.py:37" in lab]
    assert wrapper and "Fake async wrapper" in nodes[wrapper[0]]
    assert re.search(rf"style {wrapper[0]} fill:#ffe066", src)
    # several blocking lines of the same function are siblings under the wrapper
    assert len(red) >= 5
    for n in red:
        assert re.search(rf"^\s*{wrapper[0]} --> {n}$", src, re.M), n
    # the N+1 loop edge is drawn
    assert "in loop (N+1)" in src


def test_root_cause_table(report_text):
    section = report_text.split("## Root causes", 1)[1].split("\n## ", 1)[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("| ") and "`" in ln]
    row = [r for r in rows if "`cursor.execute(query, params)`" in r]
    assert len(row) == 1, rows
    cells = [c.strip() for c in row[0].strip("|").split(" | ")]
    assert cells[4] == "**CRITICAL**"
    assert cells[5] == "2"
    assert "postgresql_provider.py:50" in cells[1]
    assert "`GET /tables`" in cells[6] and "`GET /files`" in cells[6]
    # FAK201 engines are critical root causes
    eng = [r for r in rows if "create_engine(" in r]
    assert eng and "**CRITICAL**" in eng[0] and "FAK201" in eng[0]
    supa = [r for r in rows if "`supabase.rpc(" in r]
    assert supa and all("**HIGH**" in r for r in supa)


def test_sections_for_n_plus_one_and_helpers(report_text):
    assert "## N+1 loops (FAK301, FAK302)" in report_text
    n1 = report_text.split("## N+1 loops", 1)[1].split("\n## ", 1)[0]
    assert "FAK301" in n1 or "None found." in n1
    helpers = report_text.split("## Sync helpers called from async code (FAK401)", 1)[1].split("\n## ", 1)[0]
    assert "PostgreSQLProvider.close" in helpers
    assert "```mermaid" in helpers


def test_labels_are_escaped():
    from fakeasync_lint.report import _Graph, label

    g = _Graph()
    a = g.node(("a",), label('f("x") <b> & `y` #1'))
    b = g.node(("b",), label("plain"))
    g.edge(a, b, 'say "hi"')
    src = "\n".join(g.lines())
    nodes, _ = parse_mermaid(src)
    assert nodes[a] == "f(#quot;x#quot;) #lt;b#gt; #amp; #96;y#96; #35;1"
    assert '|"say #quot;hi#quot;"|' in src


def test_code_span_in_table_cells():
    from fakeasync_lint.report import code

    assert code("a | b") == "`a \\| b`"
    assert code("x`y") == "`` x`y ``"
    assert "```" not in code("a```b")


def test_report_without_findings(tmp_path):
    (tmp_path / "app.py").write_text("async def f():\n    return 1\n")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        settings = load_settings(["."], None, {}, isolated=True)
        text = render_report(run(["."], settings, use_cache=False))
    finally:
        os.chdir(old)
    assert fences_balanced(text)
    assert "No findings." in text
    assert "```mermaid" not in text


# ---- the command ------------------------------------------------------------------------------------


def invoke(args):
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        return runner.invoke(report_command, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_command_stdout_exit_zero():
    res = invoke(["fixtures/seed_app", "--no-cache"])
    assert res.exit_code == 0, res.output
    check_report(res.stdout)


def test_command_output_file(tmp_path):
    out = tmp_path / "report.md"
    res = invoke(["fixtures/seed_app", "--no-cache", "-o", str(out)])
    assert res.exit_code == 0
    assert res.stdout == ""
    text = out.read_text(encoding="utf-8")
    check_report(text)
    # links are relative to the report's directory
    m = re.search(r"\]\(([^)#]+postgresql_provider\.py)#L50\)", text)
    assert m and (tmp_path / m.group(1)).resolve() == (SEED / "core/database/postgresql_provider.py").resolve()


def test_command_select_limits_findings():
    res = invoke(["fixtures/seed_app", "--no-cache", "--select", "FAK106,FAK403"])
    assert res.exit_code == 0
    assert "| FAK101 |" not in res.stdout
    assert "`POST /activity/logs`" in res.stdout


def test_command_config_error_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[tool.fakeasync-lint]\nselect = [\"NOPE999\"]\n")
    res = invoke(["fixtures/seed_app", "--no-cache", "--config", str(bad)])
    assert res.exit_code == 2
    assert "error" in res.stderr.lower()


def test_command_bad_select_exits_2():
    res = invoke(["fixtures/seed_app", "--no-cache", "--select", "XYZ1"])
    assert res.exit_code == 2


def test_registered_on_main_if_present():
    from fakeasync_lint.cli import main

    assert "report" in main.list_commands(None)
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        res = runner.invoke(main, ["report", "fixtures/seed_app", "--no-cache"], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert res.exit_code == 0
    check_report(res.stdout)


def test_subprocess():
    proc = subprocess.run(
        [sys.executable, "-m", "fakeasync_lint.report", "fixtures/seed_app", "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 0, proc.stderr
    check_report(proc.stdout)


def test_endpoints_most_severe_first(report_text):
    heads = re.findall(r"^## Issue #\d+: `(.+)`$", report_text, re.M)
    assert heads[:2] == ["GET /tables", "GET /files"] or heads[:2] == ["GET /files", "GET /tables"]
    assert heads.index("POST /activity/logs") > 1


def test_max_endpoints_lists_the_rest():
    res = invoke(["fixtures/seed_app", "--no-cache", "--max-endpoints", "1"])
    assert res.exit_code == 0
    text = res.stdout
    assert len(re.findall(r"^## Issue #\d+: ", text, re.M)) == 1
    assert "**4 entry points block the event loop**" in text
    rest = text.split("## Further entry points that block the event loop", 1)[1]
    assert "`POST /activity/logs`" in rest
    assert fences_balanced(text)


def test_report_takes_checks_selection_options(tmp_path):
    """`report` accepts the selection options of `check` (--ignore, --extend-select, --per-file-ignores,
    --extend-exclude, --isolated); a bad code is a usage error (exit 2)."""
    from conftest import run_cli

    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    (tmp_path / "a.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    code, out, err = run_cli(["report", "--no-cache", "."], cwd=tmp_path)
    assert code == 0 and "FAK103" in out, err
    code, out, err = run_cli(["report", "--no-cache", "--ignore", "FAK103", "."], cwd=tmp_path)
    assert code == 0 and "FAK103" not in out, err
    code, out, err = run_cli(["report", "--no-cache", "--per-file-ignores", "a.py:FAK1", "--isolated", "."],
                             cwd=tmp_path)
    assert code == 0 and "FAK103" not in out, err
    code, out, err = run_cli(["report", "--no-cache", "--extend-select", "FAK999", "."], cwd=tmp_path)
    assert code == 2
