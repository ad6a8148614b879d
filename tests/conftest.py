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
