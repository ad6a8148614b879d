"""Capacity from free-text link labels (Topology Zoo ``LinkLabel``/``LinkType``)."""

from __future__ import annotations

import pytest

from cleanpath.ingest._linkspeed import NAMED_RATES, parse_link_speed


@pytest.mark.parametrize(
    ("text", "bps"),
    [
        ("10 Gbps", 10e9),
        ("1 Gbps", 1e9),
        ("45 Mbps DS-3", 45e6),  # the explicit number wins over the circuit name
        ("DTP-Ring 2.5 Gbit/s", 2.5e9),
        ("9600 bit/s", 9600.0),
        ("1G Ethernet", 1e9),
        ("STM-16", 2488.32e6),
        ("OC-48", 2488.32e6),
        ("POS OC-48", 2488.32e6),
        ("OC-192c", 9953.28e6),
        ("STM-64x2", 2 * 9953.28e6),
        ("2x10Gb/s", 20e9),
        ("3 x 622Mbps", 3 * 622e6),
        ("8*GbE", 8e9),
        ("4x1 Gbps + 2x STM-1", 4e9 + 2 * 155.52e6),
        ("ANS CO+RE T1", 1.544e6),
        ("internetMCI T3", 44.736e6),
        ("E1", 2.048e6),
        ("GigE", 1e9),
        ("10GE", 10e9),
    ],
)
def test_rates(text: str, bps: float) -> None:
    parsed = parse_link_speed(text)
    assert parsed is not None
    assert parsed[0] == pytest.approx(bps)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Fibre ottica spenta (Dark Fibre)",
        "1-2.5 Gb/s",  # a range
        "10-33Mbps",
        "300M-1Gb/s",
        "< 2.5 Gbps",  # a bound
        "<= 10 Mbps",
        ">10Gbps",
        "155Mbs/1Gbps",  # alternatives
        "GigE/FE/ATM",
        "Managed Fiber (10Gbps, 100Mbps)",  # two rates
        "CANARIE N*10Gbit/s",  # unknown multiplier
        "Completion 2007-2008",
        "SeaMeWe-3",
        "1Q 2003",
        "3 M",
    ],
)
def test_no_single_rate(text: str) -> None:
    assert parse_link_speed(text) is None


def test_sonet_and_sdh_rates_agree() -> None:
    for sdh, sonet in (("STM1", "OC3"), ("STM4", "OC12"), ("STM16", "OC48"), ("STM64", "OC192")):
        assert NAMED_RATES[sdh] == NAMED_RATES[sonet]
    assert NAMED_RATES["STM16"] == 16 * NAMED_RATES["STM1"]
