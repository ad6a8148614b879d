"""``cleanpath settings`` and settings reaching the commands through env and config file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import run_cli


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("CONFIG", "DB", "POLICY", "WEIGHT", "TOKEN", "REDFISH_PASSWORD"):
        monkeypatch.delenv(f"CLEANPATH_{name}", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_settings_lists_sources(
    capsys: pytest.CaptureFixture[str], clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / "cleanpath.toml").write_text('weight = "unit"\ntoken = "t0ken"\n')
    monkeypatch.setenv("CLEANPATH_POLICY", "uk-huawei")
    res = run_cli(capsys, "settings", "--format", "json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    rows = {r["name"]: r for r in doc["settings"]}
    assert rows["policy"]["value"] == "uk-huawei"
    assert rows["policy"]["source"] == "environment CLEANPATH_POLICY"
    assert rows["weight"]["value"] == "unit"
    assert rows["weight"]["source"].startswith("config ")
    assert rows["token"]["value"] == "****"  # secrets are never printed
    assert "t0ken" not in res.out
    assert rows["db"]["source"] == "default"


def test_policy_setting_reaches_audit(
    capsys: pytest.CaptureFixture[str], clean_env: Path, data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    ring = str(data_dir / "audit" / "ring.graphml")
    (clean_env / "cleanpath.toml").write_text('policy = "mars"\n')
    res = run_cli(capsys, "audit", ring, "--format", "json", "--no-save")
    assert res.code == 1
    assert "mars" in res.err
    monkeypatch.setenv("CLEANPATH_POLICY", "venus")
    res = run_cli(capsys, "audit", ring, "--format", "json", "--no-save")
    assert res.code == 1
    assert "venus" in res.err
    res = run_cli(capsys, "audit", ring, "--format", "json", "--no-save", "--policy", "us-fcc")
    assert res.code == 0, res.err  # the command line beats both


def test_bad_config_is_one_line(capsys: pytest.CaptureFixture[str], clean_env: Path) -> None:
    (clean_env / "cleanpath.toml").write_text("colour = 1\n")
    res = run_cli(capsys, "settings")
    assert res.code == 1
    lines = [ln for ln in res.err.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert "cleanpath.toml" in lines[0]
    assert "colour" in lines[0]
