"""Less repetition: findings that share a root cause (the blocking call at the end of their chains) carry
one `root` identity in JSON, the text summary names the top root causes, `--group-by root` lists each once."""
import json

from conftest import run_cli

HELPER = "import time\n\n\ndef slow():\n    time.sleep(1)\n\n\ndef other():\n    open('x').read()\n"
CALLERS = "".join(f"async def h{i}():\n    slow()\n\n\n" for i in range(4))


def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n")
    (tmp_path / "helper.py").write_text(HELPER)
    (tmp_path / "api.py").write_text("from helper import other, slow\n\n\n" + CALLERS +
                                     "async def lone():\n    other()\n")
    return tmp_path


def test_json_root_identity_groups_callers(tmp_path):
    root = project(tmp_path)
    code, out, err = run_cli(["check", "--no-cache", "--format", "json", "."], cwd=root)
    assert code == 1, err
    ds = json.loads(out)
    roots = {d["function"].rsplit(".", 1)[-1]: d["root"] for d in ds}
    assert len({roots[f"h{i}"] for i in range(4)}) == 1  # four callers, one root cause
    assert roots["lone"] != roots["h0"]
    assert all(d["root"].startswith("root:") for d in ds)


def test_text_summary_and_group_by_root(tmp_path):
    root = project(tmp_path)
    code, out, err = run_cli(["check", "--no-cache", "."], cwd=root)
    assert "1 root cause explains 4 findings" in out, out
    code, out, err = run_cli(["check", "--no-cache", "--group-by", "root", "."], cwd=root)
    assert code == 1, err
    blocks = [b for b in out.split("\n\n") if "finding" in b.splitlines()[0]]
    first = blocks[0].splitlines()
    assert "time.sleep" in first[0] and "(4 findings)" in first[0]
    assert sum(1 for line in first[1:] if "FAK401" in line) == 4
    code, out, err = run_cli(["check", "--no-cache", "--group-by", "root", "--format", "json", "."], cwd=root)
    assert code == 2 and "--group-by root" in err
