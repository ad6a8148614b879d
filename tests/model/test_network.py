"""The array network model: build_network, trust flags, networkx round trip, errors."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from cleanpath.domain import CoordinateKind, LinkRecord, NodeRecord, Topology
from cleanpath.errors import ModelError
from cleanpath.model.network import Network, build_network, haversine_km


def net_of(
    links: list[LinkRecord], nodes: str = "abcd", *, directed: bool = False, **kw: object
) -> Network:
    t = Topology(
        "t", tuple(NodeRecord(x, x.upper()) for x in nodes), tuple(links), directed=directed
    )
    return build_network(t, **kw)  # type: ignore[arg-type]


def arcs(net: Network) -> dict[tuple[str, str], tuple[float, float]]:
    """(tail id, head id) -> (weight, capacity)."""
    tails = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
    return {
        (net.node_ids[u], net.node_ids[v]): (float(w), float(c))
        for u, v, w, c in zip(tails, net.indices, net.weight, net.capacity, strict=True)
    }


def test_undirected_link_gives_two_arcs_in_csr_order() -> None:
    net = net_of([LinkRecord("1", "b", "a", weight=2.0), LinkRecord("2", "c", "b")])
    assert (net.n_nodes, net.n_links, net.n_arcs) == (4, 2, 4)
    assert list(net.indptr) == [0, 1, 3, 4, 4]
    assert arcs(net) == {
        ("a", "b"): (2.0, math.inf),
        ("b", "a"): (2.0, math.inf),
        ("b", "c"): (1.0, math.inf),
        ("c", "b"): (1.0, math.inf),
    }
    assert list(net.neighbors(1)) == [0, 2]
    assert net.integer_weights


def test_parallel_links_merge_min_weight_and_summed_capacity() -> None:
    links = [
        LinkRecord("1", "a", "b", capacity=10.0, weight=3.0, length=50.0),
        LinkRecord("2", "b", "a", capacity=2.5, weight=1.0, length=40.0),
        LinkRecord("3", "a", "b", capacity=1.0, weight=7.0),
        LinkRecord("4", "b", "c", capacity=4.0),
    ]
    net = net_of(links, weight="auto")
    a = arcs(net)
    assert a["a", "b"] == a["b", "a"] == (1.0, 13.5)
    assert a["b", "c"] == (1.0, 4.0)  # a link without weight gets 1 when others have one
    assert net.n_arcs == 4
    assert net.n_links == 4
    ab = net.indptr[0]
    assert net.link_ids[net.arc_link[ab]] == "2"  # the arc's link is the cheapest one
    assert net.length[ab] == 40.0


def test_parallel_keep_keeps_one_arc_per_link() -> None:
    links = [LinkRecord("1", "a", "b", weight=3.0), LinkRecord("2", "a", "b", weight=1.0)]
    net = net_of(links, parallel="keep")
    assert net.n_arcs == 4
    assert sorted(net.weight[net.indptr[0] : net.indptr[1]]) == [1.0, 3.0]


def test_directed_links_and_self_loops() -> None:
    links = [
        LinkRecord("1", "a", "b", directed=True),
        LinkRecord("2", "c", "c"),
        LinkRecord("3", "b", "c"),
    ]
    net = net_of(links)
    assert set(arcs(net)) == {("a", "b"), ("b", "c"), ("c", "b")}
    net = net_of([LinkRecord("1", "a", "b"), LinkRecord("2", "b", "a")], directed=True)
    assert set(arcs(net)) == {("a", "b"), ("b", "a")}
    assert net.directed


def test_weight_specs() -> None:
    nodes = (NodeRecord("x", "X", lat=52.52, lon=13.40), NodeRecord("y", "Y", lat=48.14, lon=11.58))
    lk = LinkRecord("1", "x", "y", weight=5.0, attrs={"cost": "7"})
    t = Topology("g", nodes, (lk,), coordinates=CoordinateKind.GEOGRAPHICAL)
    assert build_network(t).weight[0] == 5.0
    assert build_network(t, weight="unit").weight[0] == 1.0
    assert build_network(t, weight="cost").weight[0] == 7.0
    assert build_network(t, weight="distance").weight[0] == haversine_km(52.52, 13.40, 48.14, 11.58)
    with pytest.raises(ModelError, match="no attribute 'delay'"):
        build_network(t, weight="delay")


@pytest.mark.parametrize("w", [0.0, -1.0, math.inf, math.nan])
def test_zero_negative_or_non_finite_weights_are_rejected(w: float) -> None:
    with pytest.raises(ModelError, match="weights must be > 0") as err:
        net_of(
            [LinkRecord("1", "a", "b", weight=2.0), LinkRecord("bad", "b", "c", weight=w, line=12)]
        )
    assert "'bad'" in str(err.value)
    assert err.value.line == 12


def test_unknown_node_ids_raise_model_error() -> None:
    with pytest.raises(ModelError, match="unknown node 'zz'") as err:
        net_of([LinkRecord("1", "a", "zz", line=3)])
    assert err.value.line == 3
    net = net_of([LinkRecord("1", "a", "b")])
    with pytest.raises(ModelError, match="unknown node id 'q'") as err:
        net.with_untrusted(["a", "q"])
    assert err.value.field == "untrusted"
    with pytest.raises(ModelError, match="unknown node id"):
        build_network(Topology("t", (NodeRecord("a", "A"),), ()), untrusted=["b"])
    with pytest.raises(ModelError, match="unknown node id"):
        net.index_of("nope")
    with pytest.raises(ModelError):
        net.indices_of(["a", "nope"])


def test_duplicate_node_and_empty_network_are_model_errors() -> None:
    with pytest.raises(ModelError, match="duplicate node id 'a'"):
        build_network(Topology("t", (NodeRecord("a", "A"), NodeRecord("a", "B")), ()))
    with pytest.raises(ModelError, match="no nodes"):
        build_network(Topology("t", (), ()))


def test_with_untrusted_ids_and_mask() -> None:
    net = net_of([LinkRecord("1", "a", "b")], untrusted=["b"])
    assert net.untrusted_ids() == ["b"]
    other = net.with_untrusted(["a", "c"])
    assert other.untrusted_ids() == ["a", "c"]
    assert net.untrusted_ids() == ["b"]  # the original is unchanged
    assert other.indices is net.indices
    mask = np.array([False, False, False, True])
    assert net.with_untrusted(mask).untrusted_ids() == ["d"]
    with pytest.raises(ModelError, match="shape"):
        net.with_untrusted(np.array([True]))
    with pytest.raises(ValueError, match="read-only"):
        net.untrusted[0] = True


def _same_model(a: Network, b: Network) -> None:
    assert a.node_ids == b.node_ids
    assert a.labels == b.labels
    assert a.directed == b.directed
    for name in ("indptr", "indices", "weight", "capacity", "untrusted", "external", "hyperedge"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_array_equal(a.lat, b.lat)
    np.testing.assert_array_equal(a.lon, b.lon)


@pytest.mark.parametrize("directed", [False, True])
def test_networkx_round_trip(directed: bool) -> None:
    nodes = (
        NodeRecord("a", "A", lat=1.0, lon=2.0),
        NodeRecord("b", "B", external=True),
        NodeRecord("c", "C", hyperedge=True),
        NodeRecord("d", "D"),
    )
    links = (
        LinkRecord("1", "a", "b", capacity=10.0, weight=2.0),
        LinkRecord("2", "a", "b", capacity=5.0, weight=4.0),
        LinkRecord("3", "b", "c", weight=1.5),
        LinkRecord("4", "c", "a", capacity=1.0),
    )
    net = build_network(Topology("rt", nodes, links, directed=directed), untrusted=["c"])
    g = net.to_networkx()
    assert g.is_directed() == directed
    assert g.nodes["c"]["untrusted"] is True
    assert g.nodes["b"]["external"] is True
    assert g["a"]["b"]["weight"] == 2.0
    assert g["a"]["b"]["capacity"] == 15.0
    back = Network.from_networkx(g)
    _same_model(net, back)
    assert back.name == "rt"


def test_from_networkx_multigraph_and_plain_graph() -> None:
    g = nx.MultiGraph()
    g.add_edge(1, 2, weight=3.0, capacity=1.0)
    g.add_edge(1, 2, weight=2.0, capacity=1.0)
    g.add_edge(2, 3)
    g.nodes[3]["untrusted"] = True
    net = Network.from_networkx(g, name="m")
    assert net.node_ids == ("1", "2", "3")
    assert arcs(net)["1", "2"] == (2.0, 2.0)
    assert arcs(net)["2", "3"] == (1.0, math.inf)
    assert net.untrusted_ids() == ["3"]
    plain = Network.from_networkx(nx.path_graph(4))
    assert plain.n_arcs == 6
    assert set(plain.weight) == {1.0}
    g2 = nx.Graph()
    g2.add_edge("x", "y", cost=4.0)
    assert Network.from_networkx(g2, weight="cost").weight[0] == 4.0


def test_round_trip_keeps_one_way_links_of_an_undirected_network() -> None:
    """An undirected topology may hold a directed link: its single arc must survive
    to_networkx / from_networkx (as a DiGraph), or routing would change silently."""
    links = [
        LinkRecord("1", "a", "b", weight=1.0, directed=True),
        LinkRecord("2", "b", "c"),
        LinkRecord("3", "a", "c", weight=5.0),
        LinkRecord("4", "c", "a", weight=2.0),
    ]
    net = net_of(links, "abc")
    assert not net.directed
    back = Network.from_networkx(net.to_networkx())
    assert arcs(back) == arcs(net)


def test_round_trip_keeps_coordinate_kind_and_attribution() -> None:
    nodes = (NodeRecord("x", "X", lat=52.5, lon=13.4), NodeRecord("y", "Y", lat=48.1, lon=11.6))
    t = Topology(
        "geo",
        nodes,
        (LinkRecord("1", "x", "y"),),
        coordinates=CoordinateKind.GEOGRAPHICAL,
        attribution="CC BY 4.0, someone",
    )
    net = build_network(t)
    back = Network.from_networkx(net.to_networkx())
    assert back.coordinates == CoordinateKind.GEOGRAPHICAL
    assert back.attribution == "CC BY 4.0, someone"


def test_unknown_parallel_mode_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="parallel") as err:
        net_of([LinkRecord("1", "a", "b")], parallel="sum")
    assert err.value.field == "parallel"


def test_from_networkx_rejects_unknown_coordinate_kind() -> None:
    g = nx.path_graph(2)
    g.graph["coordinates"] = "polar"
    with pytest.raises(ModelError, match="polar") as err:
        Network.from_networkx(g)
    assert err.value.field == "coordinates"
