"""The docstring examples of the knowledge base and identification modules run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "cleanpath.kb",
    "cleanpath.kb.iana",
    "cleanpath.kb.loader",
    "cleanpath.kb.macindex",
    "cleanpath.kb.model",
    "cleanpath.kb.names",
    "cleanpath.kb.naming",
    "cleanpath.kb.oui",
    "cleanpath.kb.pens",
    "cleanpath.identify.appliance",
    "cleanpath.identify.batch",
    "cleanpath.identify.evaluate",
    "cleanpath.identify.fusion",
    "cleanpath.identify.rules",
    "cleanpath.identify.signals",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
