"""`extend-exclude` keeps files out of the report, not out of the call graph (pyright's rule);
`index-exclude` drops them from the index entirely."""
import json

from conftest import run_cli

HELPER = "import time\n\n\ndef slow():\n    time.sleep(1)\n\n\nasync def also_async():\n    time.sleep(2)\n"
API = "from legacy.helper import slow\n\n\nasync def handler():\n    slow()\n"


def project(tmp_path, table):
    (tmp_path / "pyproject.toml").write_text("[tool.fakeasync-lint]\n" + table)
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "__init__.py").write_text("")
    (tmp_path / "legacy" / "helper.py").write_text(HELPER)
    (tmp_path / "api.py").write_text(API)
    return tmp_path


def check(cwd, *args):
    code, out, err = run_cli(["check", "--no-cache", "--format", "json", *args], cwd=cwd)
    assert code in (0, 1), err
    return sorted((d["path"], d["location"]["row"], d["code"]) for d in json.loads(out))


def test_excluded_files_are_not_reported_but_their_chains_are_followed(tmp_path):
    root = project(tmp_path, 'extend-exclude = ["legacy/**"]\n')
    assert check(root, ".") == [("api.py", 5, "FAK401")]
    assert check(root, "api.py") == [("api.py", 5, "FAK401")]
    # the excluded file given explicitly is still linted (ruff semantics), unless --force-exclude
    assert ("legacy/helper.py", 9, "FAK103") in check(root, "legacy/helper.py")
    assert check(root, "--force-exclude", "legacy/helper.py") == []


def test_index_exclude_drops_files_from_the_index(tmp_path):
    root = project(tmp_path, 'index-exclude = ["legacy/**"]\nextend-exclude = ["legacy/**"]\n')
    assert check(root, ".") == []


def test_without_exclusion_everything_is_reported(tmp_path):
    root = project(tmp_path, "")
    assert check(root, ".") == [("api.py", 5, "FAK401"), ("legacy/helper.py", 9, "FAK103")]
