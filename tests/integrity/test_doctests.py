"""Docstring examples of the integrity package and the Redfish collector run as tests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cleanpath.integrity

NAMES = sorted(
    [f"cleanpath.integrity.{m.name}" for m in pkgutil.iter_modules(cleanpath.integrity.__path__)]
    + ["cleanpath.discover.redfish"]
)


@pytest.mark.parametrize("name", NAMES)
def test_module_examples(name: str) -> None:
    failed, _ = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert failed == 0


def test_examples_exist_where_they_matter() -> None:
    tried = sum(doctest.testmod(importlib.import_module(n)).attempted for n in NAMES)
    assert tried >= 20
