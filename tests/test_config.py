from __future__ import annotations

import os
from pathlib import Path

import pytest

from fakeasync_lint.config import (
    DEFAULT_DISABLED,
    KNOWN_CODES,
    ConfigError,
    Settings,
    find_config,
    infer_target_version,
    load_settings,
    resolve_selection,
)

ALL = frozenset(KNOWN_CODES)
DEFAULT = ALL - {"FAK402"}
FAK1 = frozenset(c for c in KNOWN_CODES if c.startswith("FAK1"))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pyproject(tmp_path: Path, body: str, header: str = "[tool.fakeasync-lint]\n") -> Path:
    return write(tmp_path / "pyproject.toml", header + body)


@pytest.fixture(autouse=True)
def _chdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


# ---------------------------------------------------------------------------------- constants


def test_known_codes_and_default_disabled():
    assert len(KNOWN_CODES) == 15
    assert "FAK000" in KNOWN_CODES and "FAK108" in KNOWN_CODES and "FAK403" in KNOWN_CODES
    assert DEFAULT_DISABLED == {"FAK402"}


# ---------------------------------------------------------------------------------- selection


def test_defaults_without_config(tmp_path):
    s = load_settings([tmp_path])
    assert s.config_path is None
    assert s.enabled_codes(tmp_path / "a.py") == DEFAULT
    assert not s.is_enabled("FAK402", tmp_path / "a.py")
    assert s.is_enabled("FAK101", tmp_path / "a.py")
    assert s.blocking_calls == {} and s.allowed_calls == [] and s.extend_exclude == []


def test_select_prefix_and_ignore(tmp_path):
    pyproject(tmp_path, 'select = ["FAK1", "FAK201"]\nignore = ["FAK105"]\n')
    s = load_settings([tmp_path])
    assert s.config_path == tmp_path / "pyproject.toml"
    assert s.enabled_codes() == (FAK1 | {"FAK201"}) - {"FAK105"}


@pytest.mark.parametrize("sel", ["ALL", "FAK", "all"])
def test_all_and_fak_select_everything_including_opt_in(tmp_path, sel):
    pyproject(tmp_path, f'select = ["{sel}"]\n')
    assert load_settings([tmp_path]).enabled_codes() == ALL


def test_fak402_opt_in_via_extend_select(tmp_path):
    pyproject(tmp_path, 'extend-select = ["FAK402"]\n')
    assert load_settings([tmp_path]).enabled_codes() == ALL


def test_fak4_prefix_extend_enables_fak402(tmp_path):
    assert resolve_selection(None, ["FAK4"], []) == ALL


def test_more_specific_select_beats_prefix_ignore():
    assert resolve_selection(["FAK101"], [], ["FAK1"]) == {"FAK101"}
    assert resolve_selection(["FAK1"], [], ["FAK101"]) == FAK1 - {"FAK101"}
    # equal specificity: ignore wins
    assert resolve_selection(["FAK101"], [], ["FAK101"]) == frozenset()


def test_cli_select_replaces_config_layer(tmp_path):
    # ruff: select=[E,F], ignore=[F401]; --select F401 enforces only F401
    pyproject(tmp_path, 'select = ["FAK1", "FAK2"]\nignore = ["FAK101"]\nextend-select = ["FAK301"]\n')
    s = load_settings([tmp_path], cli_overrides={"select": ["FAK101"]})
    assert s.enabled_codes() == {"FAK101"}
    assert s.select == ["FAK101"] and s.ignore == [] and s.extend_select == []


def test_cli_extend_select_and_ignore_extend_config(tmp_path):
    pyproject(tmp_path, 'select = ["FAK1"]\nignore = ["FAK101"]\n')
    s = load_settings([tmp_path], cli_overrides={"extend_select": ["FAK3"], "ignore": ["FAK102"]})
    assert s.enabled_codes() == (FAK1 | {"FAK301", "FAK302"}) - {"FAK101", "FAK102"}


def test_cli_extend_select_reenables_exact_config_ignore(tmp_path):
    pyproject(tmp_path, 'ignore = ["FAK101"]\n')
    s = load_settings([tmp_path], cli_overrides={"extend_select": ["FAK101"]})
    assert s.is_enabled("FAK101")


def test_cli_comma_separated_and_empty_means_not_given(tmp_path):
    pyproject(tmp_path, 'select = ["FAK2"]\n')
    s = load_settings([tmp_path], cli_overrides={"select": ["FAK101,FAK102"]})
    assert s.enabled_codes() == {"FAK101", "FAK102"}
    s = load_settings([tmp_path], cli_overrides={"select": (), "ignore": None})
    assert s.enabled_codes() == {"FAK201"}


def test_lowercase_codes_are_normalised(tmp_path):
    pyproject(tmp_path, 'select = ["fak101"]\n')
    s = load_settings([tmp_path])
    assert s.select == ["FAK101"]
    assert s.enabled_codes() == {"FAK101"}


# ------------------------------------------------------------------------- per-file-ignores


def test_per_file_ignores_globs(tmp_path):
    pyproject(
        tmp_path,
        'per-file-ignores = {"tests/**" = ["FAK1"], "__init__.py" = ["FAK301"], '
        '"scripts/*.py" = ["FAK201"], "!src/**" = ["FAK403"]}\n',
    )
    s = load_settings([tmp_path])
    root = tmp_path
    # tests/** matches tests/a.py and deeper files, not sub/tests/a.py
    assert s.enabled_codes(root / "tests" / "a.py") == DEFAULT - FAK1 - {"FAK403"}
    assert s.enabled_codes(root / "tests" / "x" / "y.py") == DEFAULT - FAK1 - {"FAK403"}
    assert "FAK101" in s.enabled_codes(root / "sub" / "tests" / "a.py")
    # bare filename: any depth
    assert not s.is_enabled("FAK301", root / "src" / "pkg" / "deep" / "__init__.py")
    assert s.is_enabled("FAK301", root / "src" / "pkg" / "mod.py")
    # single * does not cross directories
    assert not s.is_enabled("FAK201", root / "scripts" / "run.py")
    assert s.is_enabled("FAK201", root / "scripts" / "sub" / "run.py")
    # negation: FAK403 ignored outside src/
    assert s.is_enabled("FAK403", root / "src" / "pkg" / "mod.py")
    assert not s.is_enabled("FAK403", root / "other.py")


def test_per_file_ignores_relative_input_paths(tmp_path):
    pyproject(tmp_path, 'per-file-ignores = {"tests/**" = ["FAK101"]}\n')
    s = load_settings(["."])
    assert not s.is_enabled("FAK101", "tests/test_x.py")
    assert s.is_enabled("FAK101", "src/x.py")


def test_per_file_ignores_relative_to_config_dir_not_cwd(tmp_path, monkeypatch):
    proj = tmp_path / "proj"
    write(proj / "pyproject.toml", '[tool.fakeasync-lint]\nper-file-ignores = {"tests/**" = ["FAK101"]}\n')
    (proj / "tests").mkdir()
    monkeypatch.chdir(tmp_path)
    s = load_settings(["proj"])
    assert s.project_root == proj
    assert not s.is_enabled("FAK101", "proj/tests/a.py")
    assert s.is_enabled("FAK101", "tests/a.py")  # tmp_path/tests is outside the project


def test_per_file_ignores_unquoted_dotted_key(tmp_path):
    # `__init__.py = [...]` is parsed by TOML as a nested table; it is flattened back
    pyproject(tmp_path, "[tool.fakeasync-lint.per-file-ignores]\n__init__.py = [\"FAK301\"]\n", header="")
    s = load_settings([tmp_path])
    assert s.per_file_ignores == [("__init__.py", ("FAK301",))]
    assert not s.is_enabled("FAK301", tmp_path / "a" / "__init__.py")


def test_cli_per_file_ignores_forms(tmp_path):
    s = load_settings([tmp_path], cli_overrides={"per_file_ignores": ["tests/*:FAK101,FAK102", "conftest.py:FAK2"]})
    assert not s.is_enabled("FAK102", tmp_path / "tests" / "t.py")
    assert not s.is_enabled("FAK201", tmp_path / "x" / "conftest.py")
    assert s.is_enabled("FAK103", tmp_path / "tests" / "t.py")
    s = load_settings([tmp_path], cli_overrides={"per_file_ignores": {"tests/*": ["FAK103"]}})
    assert not s.is_enabled("FAK103", tmp_path / "tests" / "t.py")


def test_settings_constructed_directly():
    s = Settings(select=["FAK1"], per_file_ignores=[("gen/**", ("FAK",))], project_root=Path("/p"))
    assert s.enabled_codes("/p/gen/a.py") == frozenset()
    assert s.enabled_codes("/p/a.py") == FAK1
    assert s.enabled_codes(None) == FAK1


# ---------------------------------------------------------------------------------- values


def test_blocking_and_allowed_calls_and_target_version(tmp_path):
    pyproject(
        tmp_path,
        'target-version = "py310"\n'
        'allowed-calls = ["mylib.cached_read", "mylib.pure.*"]\n'
        "[tool.fakeasync-lint.blocking-calls]\n"
        '"mylib.fetch" = "use `await mylib.afetch()`"\n'
        '"*.sync_get" = "use get()"\n'
        'other.lib.call = "dotted bare key"\n',
    )
    s = load_settings([tmp_path])
    assert s.blocking_calls == {
        "mylib.fetch": "use `await mylib.afetch()`",
        "*.sync_get": "use get()",
        "other.lib.call": "dotted bare key",
    }
    assert s.allowed_calls == ["mylib.cached_read", "mylib.pure.*"]
    assert s.target_version == "3.10"


@pytest.mark.parametrize("raw,expected", [("py39", "3.9"), ("3.9", "3.9"), ("py312", "3.12"), ("3.13", "3.13")])
def test_target_version_forms(tmp_path, raw, expected):
    pyproject(tmp_path, f'target-version = "{raw}"\n')
    assert load_settings([tmp_path]).target_version == expected


def test_target_version_inferred_from_requires_python(tmp_path):
    pyproject(tmp_path, 'select = ["FAK1"]\n', header='[project]\nrequires-python = ">=3.9, <4"\n[tool.fakeasync-lint]\n')
    assert load_settings([tmp_path]).target_version == "3.9"


def test_target_version_explicit_beats_requires_python(tmp_path):
    pyproject(tmp_path, 'target-version = "py311"\n', header='[project]\nrequires-python = ">=3.8"\n[tool.fakeasync-lint]\n')
    assert load_settings([tmp_path]).target_version == "3.11"


def test_target_version_inferred_without_config(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\nrequires-python = "~=3.10"\n')
    (tmp_path / "pkg").mkdir()
    s = load_settings([tmp_path / "pkg"])
    assert s.config_path is None
    assert s.target_version == "3.10"


def test_target_version_standalone_uses_sibling_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nrequires-python = ">=3.11"\n')
    write(tmp_path / "fakeasync-lint.toml", 'select = ["FAK1"]\n')
    s = load_settings([tmp_path])
    assert s.config_path == tmp_path / "fakeasync-lint.toml"
    assert s.target_version == "3.11"


@pytest.mark.parametrize(
    "spec,expected",
    [
        (">=3.9", "3.9"),
        (">=3.8,<3.13", "3.8"),
        ("~=3.10", "3.10"),
        ("==3.11.*", "3.11"),
        (">3.7", "3.7"),
        ("<3.12", None),
        ("", None),
        (None, None),
        (">=3.9,>=3.10", "3.10"),
        ("garbage", None),
    ],
)
def test_infer_target_version(spec, expected):
    assert infer_target_version(spec) == expected


def test_fingerprint_stable_and_sensitive():
    a = Settings(blocking_calls={"a.b": "x", "c.d": "y"}, allowed_calls=["z"], target_version="3.9")
    b = Settings(blocking_calls={"c.d": "y", "a.b": "x"}, allowed_calls=["z"], target_version="3.9", select=["FAK1"])
    assert a.fingerprint() == b.fingerprint()
    assert len(a.fingerprint()) == 32
    assert a.fingerprint() != Settings(blocking_calls={"a.b": "x"}, allowed_calls=["z"], target_version="3.9").fingerprint()
    assert a.fingerprint() != Settings(blocking_calls=a.blocking_calls, allowed_calls=["z"], target_version="3.10").fingerprint()
    assert a.fingerprint() != Settings(blocking_calls=a.blocking_calls, allowed_calls=[], target_version="3.9").fingerprint()


# ---------------------------------------------------------------------------------- discovery


def test_nested_pyproject_without_table_is_skipped(tmp_path):
    root_cfg = pyproject(tmp_path, 'select = ["FAK103"]\n')
    sub = tmp_path / "sub"
    write(sub / "pyproject.toml", '[project]\nname = "sub"\n[tool.black]\nline-length = 100\n')
    write(sub / "a.py", "")
    assert find_config([sub / "a.py"]) == root_cfg
    s = load_settings([sub / "a.py"])
    assert s.config_path == root_cfg
    assert s.project_root == tmp_path
    assert s.enabled_codes() == {"FAK103"}


def test_nearest_config_wins(tmp_path):
    pyproject(tmp_path, 'select = ["FAK103"]\n')
    inner = write(tmp_path / "sub" / "pyproject.toml", '[tool.fakeasync-lint]\nselect = ["FAK104"]\n')
    assert find_config([tmp_path / "sub"]) == inner
    assert load_settings([tmp_path / "sub"]).enabled_codes() == {"FAK104"}


def test_common_parent_of_paths(tmp_path):
    pyproject(tmp_path, 'select = ["FAK103"]\n')
    write(tmp_path / "a" / "pyproject.toml", '[tool.fakeasync-lint]\nselect = ["FAK104"]\n')
    write(tmp_path / "a" / "x.py", "")
    write(tmp_path / "b" / "y.py", "")
    assert find_config([tmp_path / "a" / "x.py", tmp_path / "b" / "y.py"]) == tmp_path / "pyproject.toml"
    assert find_config([tmp_path / "a" / "x.py"]) == tmp_path / "a" / "pyproject.toml"


def test_standalone_beats_pyproject_in_same_dir(tmp_path):
    pyproject(tmp_path, 'select = ["FAK103"]\n')
    write(tmp_path / "fakeasync-lint.toml", 'select = ["FAK104"]\n')
    assert find_config([tmp_path]) == tmp_path / "fakeasync-lint.toml"
    write(tmp_path / ".fakeasync-lint.toml", 'select = ["FAK105"]\n')
    assert find_config([tmp_path]) == tmp_path / ".fakeasync-lint.toml"
    assert load_settings([tmp_path]).enabled_codes() == {"FAK105"}


def test_explicit_config_overrides_discovery(tmp_path):
    pyproject(tmp_path, 'select = ["FAK103"]\n')
    other = write(tmp_path / "cfg" / "custom.toml", 'select = ["FAK201"]\n')
    s = load_settings([tmp_path], config_file=other)
    assert s.config_path == other
    assert s.project_root == tmp_path / "cfg"
    assert s.enabled_codes() == {"FAK201"}
    # an explicit file in pyproject form
    pp = write(tmp_path / "cfg" / "pyproject.toml", '[tool.fakeasync-lint]\nselect = ["FAK301"]\n')
    assert load_settings([tmp_path], config_file=pp).enabled_codes() == {"FAK301"}


def test_explicit_config_missing(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings([tmp_path], config_file=tmp_path / "nope.toml")


def test_explicit_pyproject_without_table(tmp_path):
    pp = write(tmp_path / "pyproject.toml", "[project]\nname='x'\n")
    with pytest.raises(ConfigError, match=r"no \[tool.fakeasync-lint\] table"):
        load_settings([tmp_path], config_file=pp)


def test_project_root_git_root_without_config(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path / "repo" / "src" / "a.py", "")
    s = load_settings([tmp_path / "repo" / "src" / "a.py"])
    assert s.config_path is None
    assert s.project_root == tmp_path / "repo"


def test_project_root_cwd_fallback(tmp_path):
    s = load_settings([tmp_path])
    # no git dir above tmp_path in a normal sandbox; if there is, it must be an ancestor
    assert s.project_root == Path(os.getcwd()) or tmp_path.is_relative_to(s.project_root)


def test_isolated_ignores_config(tmp_path):
    pyproject(tmp_path, 'select = ["FAK103"]\n')
    s = load_settings([tmp_path], isolated=True)
    assert s.config_path is None
    assert s.enabled_codes() == DEFAULT


def test_stdin_dash_ignored_for_discovery(tmp_path):
    cfg = pyproject(tmp_path, 'select = ["FAK103"]\n')
    assert load_settings(["-", "src/x.py"]).config_path == cfg


# ---------------------------------------------------------------------------------- errors


def err(tmp_path: Path, body: str, header: str = "[tool.fakeasync-lint]\n") -> str:
    pyproject(tmp_path, body, header)
    with pytest.raises(ConfigError) as info:
        load_settings([tmp_path])
    return str(info.value)


def test_error_select_is_string(tmp_path):
    msg = err(tmp_path, 'select = "FAK101"\n')
    assert str(tmp_path / "pyproject.toml") in msg
    assert "'select'" in msg
    assert "expected a list of rule codes" in msg
    assert "'FAK101'" in msg


def test_error_unknown_code_with_suggestion(tmp_path):
    msg = err(tmp_path, 'select = ["FAK109"]\n')
    assert "unknown rule code or prefix 'FAK109'" in msg
    assert "did you mean" in msg


@pytest.mark.parametrize("code", ["FAK5", "FAK1019", "E501", "F", "FA"])
def test_error_unknown_prefixes(tmp_path, code):
    msg = err(tmp_path, f'ignore = ["{code}"]\n')
    assert f"'{code}'" in msg and "'ignore'" in msg


def test_error_unknown_key_did_you_mean(tmp_path):
    msg = err(tmp_path, 'selct = ["FAK101"]\n')
    assert "unknown key 'selct'" in msg and "did you mean 'select'?" in msg


def test_error_snake_case_key(tmp_path):
    msg = err(tmp_path, 'extend_select = ["FAK101"]\n')
    assert "did you mean 'extend-select'?" in msg


def test_error_nested_lint_table_is_unknown_key(tmp_path):
    msg = err(tmp_path, 'select = ["FAK101"]\n[tool.fakeasync-lint.lint]\nselect = ["FAK1"]\n')
    assert "unknown key 'lint'" in msg


def test_error_invalid_toml(tmp_path):
    msg = err(tmp_path, "select = [\n")
    assert "invalid TOML" in msg and str(tmp_path / "pyproject.toml") in msg


def test_error_invalid_standalone_toml(tmp_path):
    write(tmp_path / "fakeasync-lint.toml", "select = = 1\n")
    with pytest.raises(ConfigError, match="fakeasync-lint.toml: invalid TOML"):
        load_settings([tmp_path])


def test_error_per_file_ignores_wrong_types(tmp_path):
    msg = err(tmp_path, 'per-file-ignores = ["tests/**"]\n')
    assert "'per-file-ignores'" in msg and "expected a table" in msg
    msg = err(tmp_path, 'per-file-ignores = {"tests/**" = "FAK101"}\n')
    assert "'tests/**'" in msg and "expected a list of rule codes" in msg
    msg = err(tmp_path, 'per-file-ignores = {"tests/**" = ["XYZ1"]}\n')
    assert "unknown rule code or prefix 'XYZ1'" in msg


def test_error_blocking_calls_wrong_types(tmp_path):
    msg = err(tmp_path, 'blocking-calls = ["mylib.fetch"]\n')
    assert "'blocking-calls'" in msg and "expected a table" in msg
    msg = err(tmp_path, 'blocking-calls = {"mylib.fetch" = 3}\n')
    assert "'mylib.fetch'" in msg and "expected a suggestion string" in msg
    msg = err(tmp_path, 'blocking-calls = {"my lib" = "x"}\n')
    assert "'my lib'" in msg and "qualified name" in msg


def test_error_allowed_calls_and_extend_exclude(tmp_path):
    msg = err(tmp_path, 'allowed-calls = "mylib.x"\n')
    assert "'allowed-calls'" in msg and "expected a list of call patterns" in msg
    msg = err(tmp_path, "extend-exclude = [1]\n")
    assert "'extend-exclude'" in msg and "got integer 1" in msg


@pytest.mark.parametrize("value", ['"python3.9"', '"py2"', "39", '"3"'])
def test_error_target_version(tmp_path, value):
    msg = err(tmp_path, f"target-version = {value}\n")
    assert "'target-version'" in msg and "py39" in msg


def test_error_table_not_a_table(tmp_path):
    msg = err(tmp_path, '"fakeasync-lint" = 3\n', header="[tool]\n")
    assert "expected a table" in msg


def test_error_cli_unknown_code(tmp_path):
    with pytest.raises(ConfigError, match=r"--select: unknown rule code or prefix 'FAK999'"):
        load_settings([tmp_path], cli_overrides={"select": ["FAK999"]})
    with pytest.raises(ConfigError, match="--per-file-ignores"):
        load_settings([tmp_path], cli_overrides={"per_file_ignores": ["tests/*"]})
    with pytest.raises(ConfigError, match="unknown command line override"):
        load_settings([tmp_path], cli_overrides={"bogus": ["x"]})


def test_error_unreadable_config(tmp_path):
    cfg = tmp_path / "fakeasync-lint.toml"
    cfg.mkdir()  # a directory is not a file: discovery skips it
    assert find_config([tmp_path]) is None
    f = write(tmp_path / "x.toml", "select=[]\n")
    if os.name != "nt" and os.geteuid() != 0:
        f.chmod(0)
        with pytest.raises(ConfigError, match="cannot read config file"):
            load_settings([tmp_path], config_file=f)


def test_error_non_utf8(tmp_path):
    f = tmp_path / "x.toml"
    f.write_bytes(b"select = ['\xff']\n")
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        load_settings([tmp_path], config_file=f)


def test_broken_unrelated_pyproject_is_tolerated(tmp_path):
    # a broken pyproject that does not mention the tool is not ours to judge
    write(tmp_path / "pyproject.toml", "[project\nname = 1\n")
    s = load_settings([tmp_path])
    assert s.config_path is None


def test_broken_pyproject_mentioning_tool_is_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.fakeasync-lint\nselect = []\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings([tmp_path])


def test_settings_mutation_invalidates_caches(tmp_path):
    s = Settings(project_root=tmp_path)
    assert s.is_enabled("FAK101", tmp_path / "a.py")
    s.ignore = ["FAK101"]
    assert not s.is_enabled("FAK101", tmp_path / "a.py")
    s.per_file_ignores = [("a.py", ("FAK102",))]
    assert not s.is_enabled("FAK102", tmp_path / "a.py")
    assert s.is_enabled("FAK102", tmp_path / "b.py")
