"""Configuration files: discovery, both file forms, unknown keys and rules refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from capsule_audit.config_file import find_config, load_config
from capsule_audit.errors import ConfigError
from capsule_audit.models.findings import Severity


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.capsule-audit]\nselect = ["CA1"]\nfail-on = "warning"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    config = load_config(cwd=deep)
    assert config.select == ("CA1",) and config.fail_on == "warning"


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    _write(tmp_path / "capsule-audit.toml", 'ignore = ["CA504"]\n')
    _write(tmp_path / "sub" / "pyproject.toml", "[tool.other]\nx = 1\n")
    assert find_config(tmp_path / "sub") == tmp_path / "capsule-audit.toml"
    assert load_config(cwd=tmp_path / "sub").ignore == ("CA504",)


def test_capsule_audit_toml_wins_in_one_folder(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.capsule-audit]\nselect = ["CA1"]\n')
    _write(tmp_path / "capsule-audit.toml", 'select = ["CA5"]\n')
    assert load_config(cwd=tmp_path).select == ("CA5",)


def test_no_file_gives_defaults_and_overrides_win(tmp_path: Path) -> None:
    found = find_config(tmp_path)
    assert found is None or found.parent != tmp_path  # nothing in this folder (maybe above it)
    config = load_config(
        _write(tmp_path / "capsule-audit.toml", 'fail-on = "warning"\n'),
        overrides={"fail_on": "info", "select": None},
    )
    assert config.fail_on == "info" and config.select == ()


def test_full_settings_are_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "capsule-audit.toml",
        'severity = { CA104 = "info" }\n[thresholds]\n"CA103.threshold" = 90\n'
        '[[suppressions]]\nrule = "CA101"\nreason = "known double export"\n',
    )
    config = load_config(path)
    assert config.severity == {"CA104": Severity.INFO}
    assert config.thresholds == {"CA103.threshold": 90.0}
    assert config.suppressions[0].rule == "CA101"


@pytest.mark.parametrize(
    "text",
    [
        "colour = 1\n",  # unknown key
        'select = ["CA999"]\n',  # unknown rule
        'severity = { nonexistent-rule = "info" }\n',
        '[thresholds]\n"CA998.x" = 1\n',
        '[[suppressions]]\nrule = "CA101"\n',  # no reason
        'fail-on = "sometimes"\n',
        "select = [\n",  # not TOML
    ],
)
def test_bad_configuration_is_a_config_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError):
        load_config(_write(tmp_path / "capsule-audit.toml", text))


def test_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_config(tmp_path / "missing.toml")


def test_the_retired_group_budget_key_is_an_unknown_key(tmp_path: Path) -> None:
    (tmp_path / "capsule-audit.toml").write_text("group-budget = 1000\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="group"):
        load_config(cwd=tmp_path)


def _readme_toml() -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    return readme.split("```toml\n", 1)[1].split("```", 1)[0]


def test_the_readme_block_works_pasted_into_either_file(tmp_path: Path) -> None:
    block = _readme_toml()
    assert block.startswith("[tool.capsule-audit]")
    own = load_config(_write(tmp_path / "own" / "capsule-audit.toml", block))
    pyproject = load_config(_write(tmp_path / "py" / "pyproject.toml", block))
    assert own == pyproject and own.fail_on == "warning" and own.thresholds == {"CA303.tolerance_days": 3}


def test_capsule_audit_toml_may_not_mix_both_spellings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not both"):
        load_config(
            _write(tmp_path / "capsule-audit.toml", 'fail-on = "info"\n[tool.capsule-audit]\njobs = 2\n')
        )


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("CA303.tolerence_days", "3", "did you mean 'CA303.tolerance_days'"),  # the typo
        ("as-of-date-mismatch.tolerance_days", "3", "did you mean 'CA303.tolerance_days'"),  # by name
        ("CA303", "3", "unknown rule option"),
        ("CA103.window", "2.5", "must be an integer"),
        ("CA103.threshold", "101", "out of range"),
    ],
)
def test_rule_options_are_declared_and_a_wrong_one_is_refused(
    tmp_path: Path, key: str, value: str, says: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(_write(tmp_path / "capsule-audit.toml", f'[thresholds]\n"{key}" = {value}\n'))
    assert says.replace("'", "") in str(refused.value).replace("'", "")
