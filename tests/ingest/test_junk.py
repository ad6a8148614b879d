"""Parsers never crash on junk: they return or raise InputError (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanpath.errors import InputError
from cleanpath.ingest import (
    parse_demands_csv,
    parse_graphml,
    parse_node_link,
    parse_sites_csv,
    parse_sndlib_native,
    parse_sndlib_xml,
)
from cleanpath.ingest._linkspeed import parse_link_speed

PARSERS: dict[str, Callable[..., Any]] = {
    "graphml": parse_graphml,
    "sndlib-native": parse_sndlib_native,
    "sndlib-xml": parse_sndlib_xml,
    "node-link": parse_node_link,
    "demands": parse_demands_csv,
    "sites": parse_sites_csv,
}
SEEDS = {
    "graphml": "zoo_tiny.graphml",
    "sndlib-native": "sndlib_tiny.txt",
    "sndlib-xml": "sndlib_tiny.xml",
    "node-link": "nodelink_tiny.json",
    "demands": "demands_list.csv",
    "sites": "sites.csv",
}
FIXTURES = Path(__file__).resolve().parent.parent / "data" / "topologies"
JUNK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _survives(parse: Callable[..., Any], data: str | bytes) -> None:
    error: InputError | None = None
    try:
        parse(data, source="junk")
    except InputError as exc:
        error = exc
    assert error is None or error.path == "junk"


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@JUNK
@given(text=st.text(max_size=300))
def test_arbitrary_text(fmt: str, text: str) -> None:
    _survives(PARSERS[fmt], text)


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@JUNK
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes(fmt: str, data: bytes) -> None:
    _survives(PARSERS[fmt], data)


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@JUNK
@given(data=st.data())
def test_mutated_valid_files(fmt: str, data: st.DataObject) -> None:
    """Cut a valid fixture somewhere and splice junk in: still InputError or a result."""
    seed = (FIXTURES / SEEDS[fmt]).read_text()
    cut = data.draw(st.integers(0, len(seed)))
    end = data.draw(st.integers(cut, len(seed)))
    junk = data.draw(st.text(alphabet=st.sampled_from("<>()/\"'{}[],;=#x 0-.9\n?&"), max_size=20))
    _survives(PARSERS[fmt], seed[:cut] + junk + seed[end:])


@given(text=st.text(max_size=80))
@JUNK
def test_link_speed_never_crashes(text: str) -> None:
    parsed = parse_link_speed(text)
    assert parsed is None or parsed[0] >= 0
