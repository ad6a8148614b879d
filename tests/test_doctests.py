"""The docstring examples of every cleanpath module run as tests (modules are found by walking
the package, so a new module's examples are run without being listed anywhere)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cleanpath

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(cleanpath.__path__, "cleanpath.")
    if not m.name.endswith("__main__")
)

HAVE_EXAMPLES = {
    "cleanpath.discover.result", "cleanpath.discover.run", "cleanpath.discover.snmp",
    "cleanpath.discover.targets", "cleanpath.discover.v2c",
    "cleanpath.ingest._common", "cleanpath.ingest._linkspeed", "cleanpath.ingest._xml",
    "cleanpath.ingest.demands", "cleanpath.ingest.graphml", "cleanpath.ingest.lldp",
    "cleanpath.ingest.mib", "cleanpath.ingest.netbox", "cleanpath.ingest.nmap",
    "cleanpath.ingest.nodelink", "cleanpath.ingest.sites", "cleanpath.ingest.sndlib",
    "cleanpath.ingest.snmprec", "cleanpath.ingest.topology",
    "cleanpath.kb", "cleanpath.kb.iana", "cleanpath.kb.loader", "cleanpath.kb.macindex",
    "cleanpath.kb.model", "cleanpath.kb.names", "cleanpath.kb.naming", "cleanpath.kb.oui",
    "cleanpath.kb.pens",
    "cleanpath.identify.appliance", "cleanpath.identify.batch", "cleanpath.identify.evaluate",
    "cleanpath.identify.fusion", "cleanpath.identify.rules", "cleanpath.identify.signals",
    "cleanpath.model.demands", "cleanpath.settings",
}  # fmt: skip
"""Modules whose examples document their readers and rules: they must keep having some."""


def _run(name: str) -> doctest.TestResults:
    return doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    result = _run(name)
    assert result.failed == 0
    if name in HAVE_EXAMPLES:
        assert result.attempted > 0


def test_listed_modules_exist() -> None:
    assert set(MODULES) >= HAVE_EXAMPLES


def test_integrity_examples_exist_where_they_matter() -> None:
    names = [n for n in MODULES if n.startswith("cleanpath.integrity.")]
    tried = sum(_run(n).attempted for n in [*names, "cleanpath.discover.redfish"])
    assert tried >= 20
