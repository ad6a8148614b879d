"""The docstring examples of the topology, demand and site readers run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "cleanpath.ingest._common",
    "cleanpath.ingest._linkspeed",
    "cleanpath.ingest._xml",
    "cleanpath.ingest.demands",
    "cleanpath.ingest.graphml",
    "cleanpath.ingest.nodelink",
    "cleanpath.ingest.sites",
    "cleanpath.ingest.sndlib",
    "cleanpath.ingest.topology",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
