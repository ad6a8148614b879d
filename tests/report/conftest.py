"""Fixtures for the renderer tests: a small hand-built report context."""

from __future__ import annotations

from typing import Any

import pytest

from .context_fixture import context


@pytest.fixture
def ctx() -> dict[str, Any]:
    """A fresh context (tests may modify it)."""
    return context()
