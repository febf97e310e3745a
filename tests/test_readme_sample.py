"""The README's sample output is what the tool prints (no stale samples)."""
import re

from conftest import ROOT, run_cli


def test_readme_first_sample_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(fixtures/seed_app/\S+ FAK403 .*?)```", readme, re.S)
    assert block, "the README's first sample block is missing"
    sample = block.group(1).rstrip("\n").splitlines()
    code, out, _err = run_cli(["check", "--no-cache", "fixtures/seed_app"], cwd=ROOT)
    assert code == 1
    lines = out.splitlines()
    start = lines.index(sample[0])  # the sample's first line is printed as is
    assert lines[start:start + len(sample)] == sample
