"""Settings: declared once, resolved command line > environment > config file > default."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanpath import settings
from cleanpath.errors import InputError


def test_precedence() -> None:
    env = {"CLEANPATH_POLICY": "uk-huawei"}
    config = {"policy": "de-5g", "weight": "unit"}
    assert settings.resolve("policy", "au-5g", env=env, config=config).source == "command line"
    v = settings.resolve("policy", env=env, config=config)
    assert (v.value, v.source) == ("uk-huawei", "environment CLEANPATH_POLICY")
    v = settings.resolve("weight", env=env, config=config)
    assert (v.value, v.source) == ("unit", "config file")
    v = settings.resolve("db", env=env, config=config)
    assert (v.value, v.source) == (Path("cleanpath.duckdb"), "default")


def test_config_file_found_and_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLEANPATH_CONFIG", raising=False)
    monkeypatch.delenv("CLEANPATH_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert settings.config_path() is None
    (tmp_path / "cleanpath.toml").write_text('[cleanpath]\ndb = "runs/x.duckdb"\n')
    assert settings.config_path() == tmp_path / "cleanpath.toml"
    v = settings.resolve("db")
    assert v.value == Path("runs/x.duckdb")
    assert v.source == f"config {tmp_path / 'cleanpath.toml'}"
    other = tmp_path / "other.toml"
    other.write_text('redfish_password = "s3cret"\n')  # top level, underscores
    monkeypatch.setenv("CLEANPATH_CONFIG", str(other))
    values = {v.setting.name: v for v in settings.effective()}
    assert values["redfish-password"].value == "s3cret"
    assert values["redfish-password"].shown() == "****"
    assert values["db"].source == "default"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("colour = 'red'\n", "unknown setting"),
        ("policy = [1, 2]\n", "policy must be a str"),
        ("db = true\n", "db must be a path"),
        ("policy = \n", "not a TOML file"),
        ("cleanpath = 3\n", "must be a table"),
    ],
)
def test_bad_config_names_the_file(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        settings.read_config(path)
    assert needle in str(info.value)
    assert str(path) in str(info.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read config file"):
        settings.read_config(tmp_path / "nope.toml")
