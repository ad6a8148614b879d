"""Capacity files: read, mapped onto links, used by rerouting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.errors import InputError, ModelError
from cleanpath.ingest.capacities import parse_capacities_csv, read_capacities_csv
from cleanpath.model.capacity import link_capacities
from cleanpath.model.demands import Demands
from cleanpath.model.network import build_network


def _square() -> Topology:
    nodes = tuple(NodeRecord(x, x) for x in "abcd")
    links = tuple(LinkRecord(a + b, a, b, capacity=10) for a, b in ("ab", "bd", "ac", "cd"))
    return Topology("sq", nodes, links)


def test_by_link_and_by_ends() -> None:
    net = build_network(_square())
    recs = parse_capacities_csv("link,capacity\nab,3\n") + parse_capacities_csv(
        "src,dst,capacity\nd,c,4\n"
    )
    cap = link_capacities(net, recs)
    assert dict(zip(net.link_ids, cap.tolist(), strict=True)) == {
        "ab": 3.0, "bd": 10.0, "ac": 10.0, "cd": 4.0}  # fmt: skip


def test_reroute_respects_a_capacity_file() -> None:
    from cleanpath.analysis.reroute import reroute

    net = build_network(_square(), untrusted=["b"])
    cap = link_capacities(net, parse_capacities_csv("src,dst,capacity\na,c,4\nc,d,4\n"))
    dem = Demands.from_arrays(net, [0], [3], [6.0], [True])
    res = reroute(net, dem, capacity=cap)
    row = res.sensitive[0]
    assert row.status == "insufficient_capacity"
    assert row.routed == pytest.approx(4.0)
    unlimited = reroute(net, dem, capacity=np.full(net.n_links, np.inf))
    assert unlimited.sensitive[0].status == "clean"


def test_errors_name_file_line_and_link(tmp_path: Path) -> None:
    f = tmp_path / "cap.csv"
    f.write_text("src,dst,capacity\na,b,lots\n")
    with pytest.raises(InputError) as err:
        read_capacities_csv(f)
    assert str(f) in str(err.value)
    assert ":2:" in str(err.value)
    f.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="missing"):
        read_capacities_csv(f)
    net = build_network(_square())
    with pytest.raises(ModelError, match="no link between"):
        link_capacities(net, parse_capacities_csv("src,dst,capacity\na,d,1\n"))
    with pytest.raises(ModelError, match="unknown link"):
        link_capacities(net, parse_capacities_csv("link,capacity\nzz,1\n"))
