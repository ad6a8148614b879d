"""Shared fixtures: paths to our own small fixtures and to the real data in ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def shared_data_dir() -> Path | None:
    """``$CLEANPATH_SHARED_DATA`` or ``../shared/data`` beside the repository, if present."""
    env = os.environ.get("CLEANPATH_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "data")
    for c in candidates:
        if c.is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """tests/data: fixtures we wrote ourselves."""
    return DATA


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data (real public data); the test is skipped when it is not there."""
    d = shared_data_dir()
    if d is None:
        pytest.skip("../shared/data is not present")
    return d


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False,
        help="Rewrite golden files under tests/golden/ instead of comparing.",
    )  # fmt: skip


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """``golden(name, text)``: compare ``text`` with tests/golden/<name> (or rewrite it)."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = Path(__file__).resolve().parent / "golden" / name
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {path} did not exist; written, check it in")
            return
        assert text == path.read_text(encoding="utf-8"), (
            f"{name} differs from the golden file; rerun with --update-golden if intended"
        )

    return check


@pytest.fixture(autouse=True)
def _results_db_in_tmp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commands save runs by default: keep every test's database out of the working tree."""
    if "CLEANPATH_DB" not in os.environ or os.environ["CLEANPATH_DB"].startswith(str(REPO)):
        db = tmp_path_factory.mktemp("db") / "cleanpath.duckdb"
        monkeypatch.setenv("CLEANPATH_DB", str(db))
