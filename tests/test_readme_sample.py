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


def test_readme_precommit_rev_is_a_sha_and_the_tag_is_the_version():
    """The snippet pins a commit SHA (no release tag exists yet); the tag the README tells to create
    is `v` + the package version, which moves with the version."""
    import re

    from fakeasync_lint import __version__

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## pre-commit", 1)[1].split("\n## ", 1)[0]
    snippet = section.split("```yaml", 1)[1].split("```", 1)[0]
    (rev,) = re.findall(r"^\s*rev:\s*(\S+)", snippet, re.M)
    assert re.fullmatch(r"[0-9a-f]{40}", rev)
    tags = set(re.findall(r"\bv\d+\.\d+\.\d+\b", section))
    assert tags == {f"v{__version__}"}
