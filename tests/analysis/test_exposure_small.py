"""Tiny hand-built networks whose exposure, volumes and clean paths were worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cleanpath.analysis.exposure import exposure
from cleanpath.errors import AnalysisError
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network, build_network

from .helpers import assert_identical, check_case, topo

SQUARE = topo("abcd", [("a", "b"), ("b", "d"), ("a", "c"), ("c", "d")], name="square")


def one(net: Network, s: str, t: str, volume: float = 10.0, *, sensitive: bool = False) -> Demands:
    return Demands.from_arrays(net, [net.index_of(s)], [net.index_of(t)], [volume], [sensitive])


def arc_of(net: Network, u: str, v: str) -> int:
    i, j = net.index_of(u), net.index_of(v)
    (hits,) = np.nonzero(net.neighbors(i) == j)
    assert hits.size == 1
    return int(net.indptr[i] + hits[0])


def test_square_one_untrusted_node_half_exposed() -> None:
    net = build_network(SQUARE, untrusted=["b"])
    r = exposure(net, one(net, "a", "d", sensitive=True))
    assert r.exposed_share[0] == 0.5
    assert r.dist[0] == 2.0
    assert r.clean_dist[0] == 2.0
    assert r.stretch[0] == 1.0
    assert list(r.node_volume) == [10.0, 5.0, 5.0, 10.0]
    assert list(r.node_sensitive_volume) == [10.0, 5.0, 5.0, 10.0]
    for u, v, x in [("a", "b", 5.0), ("b", "d", 5.0), ("a", "c", 5.0), ("c", "d", 5.0)]:
        assert r.arc_volume[arc_of(net, u, v)] == x
        assert r.arc_volume[arc_of(net, v, u)] == 0.0
    assert r.exposed_volume[0] == 5.0
    check_case(SQUARE, ["b"], one(net, "a", "d"))


def test_diamond_unequal_weights_routes_on_the_short_side() -> None:
    # a-b-d costs 2, a-c-d costs 1 + 2 = 3: all traffic goes through b
    t = topo("abcd", [("a", "b", 1), ("b", "d", 1), ("a", "c", 1), ("c", "d", 2)])
    net = build_network(t, untrusted=["b"])
    r = exposure(net, one(net, "a", "d"))
    assert r.exposed_share[0] == 1.0
    assert (r.dist[0], r.clean_dist[0], r.stretch[0]) == (2.0, 3.0, 1.5)
    assert list(r.node_volume) == [10.0, 10.0, 0.0, 10.0]
    net_c = net.with_untrusted(["c"])
    r = exposure(net_c, one(net_c, "a", "d"))
    assert (r.exposed_share[0], r.clean_dist[0], r.stretch[0]) == (0.0, 2.0, 1.0)
    check_case(t, ["b"])
    check_case(t, ["c"])


def test_chain_all_pairs() -> None:
    t = topo("abcde", [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")], name="chain")
    net = build_network(t, untrusted=["c"])
    r = exposure(net, Demands.all_pairs_of(net))
    share = {
        (net.node_ids[s], net.node_ids[d]): x
        for s, d, x in zip(r.demands.src, r.demands.dst, r.exposed_share, strict=True)
    }
    assert share["a", "e"] == 1.0
    assert share["a", "b"] == 0.0
    assert share["e", "d"] == 0.0
    assert share["b", "d"] == 1.0
    assert share["c", "a"] == 1.0
    # node at position i lies on the ordered pairs (s, t) with min(s,t) <= i <= max(s,t):
    # 2 * ((i + 1) * (5 - i) - 1)
    assert list(r.node_volume) == [8.0, 14.0, 16.0, 14.0, 8.0]
    clean = {
        (net.node_ids[s], net.node_ids[d]): x
        for s, d, x in zip(r.demands.src, r.demands.dst, r.clean_path_exists, strict=True)
    }
    assert not clean["a", "e"]
    assert clean["a", "b"]
    assert not clean["c", "d"]
    check_case(t, ["c"])


def test_untrusted_endpoint_is_fully_exposed_with_no_clean_path() -> None:
    net = build_network(SQUARE, untrusted=["a"])
    d = Demands.from_arrays(net, [0, 3, 1], [3, 0, 2], [1.0, 1.0, 4.0])
    r = exposure(net, d)
    assert list(r.exposed_share) == [1.0, 1.0, 0.5]  # b -> c splits over a and d
    assert list(r.clean_path_exists) == [False, False, True]
    assert math.isnan(r.stretch[0])
    assert math.isnan(r.stretch[1])
    assert r.clean_dist[2] == 2.0  # b - d - c
    assert r.node_volume[0] == 1.0 + 1.0 + 2.0
    check_case(SQUARE, ["a"], d)


def test_ecmp_splits_per_hop_not_per_path() -> None:
    # s has two next hops x, y; x has two (m1, m2), y one (m3): 3 equal-cost paths, but
    # ECMP sends 1/2 via m3 and 1/4 via each of m1, m2 (not 1/3 each).
    links = [
        ("s", "x"),
        ("s", "y"),
        ("x", "m1"),
        ("x", "m2"),
        ("y", "m3"),
        ("m1", "t"),
        ("m2", "t"),
        ("m3", "t"),
    ]
    t = topo(["s", "x", "y", "m1", "m2", "m3", "t"], links)
    net = build_network(t, untrusted=["m3"])
    r = exposure(net, one(net, "s", "t", 8.0))
    assert r.exposed_share[0] == 0.5
    vol = dict(zip(net.node_ids, r.node_volume.tolist(), strict=True))
    assert vol == {"s": 8.0, "x": 4.0, "y": 4.0, "m1": 2.0, "m2": 2.0, "m3": 4.0, "t": 8.0}
    net2 = net.with_untrusted(["m1"])
    assert exposure(net2, one(net2, "s", "t")).exposed_share[0] == 0.25
    check_case(t, ["m3"])
    check_case(t, ["m1", "y"])


def test_disconnected_pair_is_reported_not_dropped() -> None:
    t = topo("abc", [("a", "b")])
    net = build_network(t)
    d = Demands.from_arrays(net, [0, 0, 2], [1, 2, 0], [1.0, 7.0, 3.0], [False, True, True])
    r = exposure(net, d)
    assert len(r.exposed_share) == 3
    assert r.exposed_share[0] == 0.0
    assert math.isnan(r.exposed_share[1])
    assert math.isnan(r.exposed_share[2])
    assert list(r.routable) == [True, False, False]
    assert math.isinf(r.dist[1])
    assert math.isinf(r.clean_dist[1])
    assert not r.clean_path_exists[1]
    assert math.isnan(r.stretch[1])
    assert list(r.node_volume) == [1.0, 1.0, 0.0]  # unroutable volume is carried nowhere
    assert list(r.node_sensitive_volume) == [0.0, 0.0, 0.0]
    assert r.summary()["unroutable"] == 2
    assert list(r.worst(1)) in ([1], [2])  # unroutable demands come first
    check_case(t, [], d)


def test_directed_graph_asymmetric_distances() -> None:
    # a -> b -> c costs 2, c -> a costs 1, a -> c direct costs 5
    t = topo("abc", [("a", "b", 1), ("b", "c", 1), ("c", "a", 1), ("a", "c", 5)], directed=True)
    net = build_network(t, untrusted=["b"])
    d = Demands.from_arrays(net, [0, 2], [2, 0], [3.0, 2.0])
    r = exposure(net, d)
    assert list(r.dist) == [2.0, 1.0]
    assert list(r.exposed_share) == [1.0, 0.0]
    assert list(r.clean_dist) == [5.0, 1.0]
    assert list(r.stretch) == [2.5, 1.0]
    assert r.arc_volume[arc_of(net, "a", "b")] == 3.0
    assert r.arc_volume[arc_of(net, "b", "c")] == 3.0
    assert r.arc_volume[arc_of(net, "c", "a")] == 2.0
    assert r.arc_volume[arc_of(net, "a", "c")] == 0.0
    check_case(t, ["b"], d)


def test_directed_unreachable_way_back() -> None:
    t = topo("ab", [("a", "b")], directed=True)
    net = build_network(t)
    r = exposure(net, Demands.all_pairs_of(net))
    assert list(r.routable) == [True, False]
    check_case(t, [])


def test_parallel_links_are_merged_before_routing() -> None:
    # a-b twice (weights 1 and 3): one arc per direction of weight 1, so a still splits
    # 1/2 : 1/2 between b and c (not 2/3 : 1/3 as if each parallel link were a next hop)
    links = [("a", "b", 1, 10), ("a", "b", 3, 20), ("b", "d", 1), ("a", "c", 1), ("c", "d", 1)]
    t = topo("abcd", links)
    net = build_network(t, untrusted=["b"])
    assert net.n_arcs == 8
    ab = arc_of(net, "a", "b")
    assert (net.weight[ab], net.capacity[ab]) == (1.0, 30.0)
    r = exposure(net, one(net, "a", "d"))
    assert r.exposed_share[0] == 0.5
    assert r.link_volume[0] == 5.0
    assert r.link_volume[1] == 0.0
    check_case(t, ["b"])


def test_parallel_link_with_lower_weight_changes_the_route() -> None:
    links = [("a", "b", 5), ("b", "d", 1), ("a", "c", 1), ("c", "d", 1), ("b", "a", 1)]
    t = topo("abcd", links)
    check_case(t, ["b"])  # a-b merged to weight 1: the square again
    net = build_network(t, untrusted=["b"])
    assert exposure(net, one(net, "a", "d")).exposed_share[0] == 0.5


def test_all_pairs_equals_materialized_demands() -> None:
    net = build_network(SQUARE, untrusted=["b"])
    sens = np.array([False, False, True, False])
    a = exposure(net, Demands.all_pairs_of(net, volume=2.0, sensitive_nodes=sens))
    b = exposure(net, Demands.all_pairs_of(net, volume=2.0, sensitive_nodes=sens).materialize())
    assert_identical(a, b)
    assert a.node_sensitive_volume[2] == 2.0 * 6  # c is an endpoint of 6 ordered pairs


def test_clean_paths_off_gives_nan_clean_distance() -> None:
    net = build_network(SQUARE, untrusted=["b"])
    r = exposure(net, one(net, "a", "d"), clean_paths=False)
    assert r.exposed_share[0] == 0.5
    assert math.isnan(r.clean_dist[0])


def test_unknown_engine_is_an_analysis_error() -> None:
    net = build_network(SQUARE)
    with pytest.raises(AnalysisError, match="unknown engine"):
        exposure(net, one(net, "a", "d"), engine="nope")


def test_demands_of_another_network_are_an_analysis_error() -> None:
    net = build_network(SQUARE)
    other = build_network(topo("ab", [("a", "b")]))
    with pytest.raises(AnalysisError, match="different network"):
        exposure(net, Demands.all_pairs_of(other))


def test_progress_reaches_every_destination() -> None:
    t = topo([f"n{i}" for i in range(100)], [(f"n{i}", f"n{i + 1}") for i in range(99)])
    net = build_network(t)
    seen: list[tuple[int, int]] = []
    exposure(
        net, Demands.all_pairs_of(net), progress=lambda done, total: seen.append((done, total))
    )
    assert seen
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1] == (100, 100)
