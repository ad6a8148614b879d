"""The docstring examples of the discovery modules and the device-input readers run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "cleanpath.discover.result",
    "cleanpath.discover.run",
    "cleanpath.discover.snmp",
    "cleanpath.discover.targets",
    "cleanpath.discover.v2c",
    "cleanpath.ingest.lldp",
    "cleanpath.ingest.mib",
    "cleanpath.ingest.netbox",
    "cleanpath.ingest.nmap",
    "cleanpath.ingest.snmprec",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
