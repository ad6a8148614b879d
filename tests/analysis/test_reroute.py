"""Clean-path rerouting: known optima, max-flow oracle, arc vs path formulations, reasons."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from cleanpath.analysis.reroute import reroute
from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network, build_network


def net_of(links: list[tuple[str, str, float, float]], untrusted: list[str]) -> Network:
    nodes = sorted({x for lk in links for x in lk[:2]})
    recs = tuple(LinkRecord(f"{a}{b}", a, b, weight=w, capacity=c) for a, b, w, c in links)
    return build_network(Topology("t", tuple(NodeRecord(x, x) for x in nodes), recs),
                         untrusted=untrusted)  # fmt: skip


def ladder() -> Network:
    """a to d over b (untrusted, short) or over c or e (trusted, longer)."""
    return net_of([("a", "b", 1, 10), ("b", "d", 1, 10), ("a", "c", 2, 10), ("c", "d", 2, 10),
                   ("a", "e", 3, 10), ("e", "d", 3, 10)], ["b"])  # fmt: skip


@pytest.mark.parametrize("method", ["arc", "path"])
def test_split_over_two_clean_paths_halves_utilisation(method: str) -> None:
    net = ladder()
    a, d = net.index_of("a"), net.index_of("d")
    r = reroute(net, Demands.from_arrays(net, [a], [d], [10.0], [True]), method=method)  # type: ignore[arg-type]
    s = r.sensitive[0]
    assert s.status == "clean"
    assert s.routed == pytest.approx(10.0)
    assert sorted(p for p, _ in s.paths) == [("a", "c", "d"), ("a", "e", "d")]
    assert [f for _, f in s.paths] == pytest.approx([5.0, 5.0])
    assert r.max_util_after == pytest.approx(0.5)
    assert r.max_util_before == pytest.approx(1.0)  # ECMP: all 10 on a-b-d


@pytest.mark.parametrize("method", ["arc", "path"])
def test_normal_traffic_takes_the_untrusted_path_to_make_room(method: str) -> None:
    net = ladder()
    a, d = net.index_of("a"), net.index_of("d")
    dem = Demands.from_arrays(net, [a, a], [d, d], [12.0, 12.0], [True, False])
    r = reroute(net, dem, method=method)  # type: ignore[arg-type]
    assert r.sensitive[0].status == "clean"
    assert r.max_util_after == pytest.approx(0.8)  # 24 over three paths of 10
    load = dict(zip(r.network.link_ids, r.link_util_after, strict=True))
    assert load["ab"] == pytest.approx(0.8)


def test_no_clean_path_names_the_separating_nodes() -> None:
    net = net_of([("a", "b", 1, 10), ("b", "c", 1, 10), ("a", "x", 1, 10), ("x", "c", 1, 10)],
                 ["b", "x"])  # fmt: skip
    ia, ic = net.index_of("a"), net.index_of("c")
    r = reroute(net, Demands.from_arrays(net, [ia], [ic], [1.0], [True]))
    s = r.sensitive[0]
    assert s.status == "no_clean_path"
    assert set(s.bottleneck) == {"b", "x"}
    assert "separate" in s.reason
    assert s.paths == ()
    r2 = reroute(net, Demands.from_arrays(net, [net.index_of("b")], [0], [1.0], [True]))
    assert r2.sensitive[0].bottleneck == ("b",)
    assert "end" in r2.sensitive[0].reason


def trusted_maxflow(net: Network, s: int, t: int) -> float:
    g = nx.DiGraph()
    for u in range(net.n_nodes):
        for a in range(int(net.indptr[u]), int(net.indptr[u + 1])):
            v = int(net.indices[a])
            if not (net.untrusted[u] or net.untrusted[v]):
                g.add_edge(u, v, capacity=float(net.capacity[a]))
    if s not in g or t not in g:
        return 0.0
    return float(nx.maximum_flow_value(g, s, t))


def random_net(seed: int, n: int = 8) -> Network:
    rng = np.random.default_rng(seed)
    pairs = {(int(rng.integers(0, i)), i) for i in range(1, n)}
    while len(pairs) < min(n + 4, n * (n - 1) // 2):
        a, b = sorted(int(x) for x in rng.choice(n, 2, replace=False))
        pairs.add((a, b))
    links = [(f"v{a}", f"v{b}", float(rng.integers(1, 4)), float(rng.integers(1, 8)))
             for a, b in sorted(pairs)]  # fmt: skip
    bad = [f"v{int(i)}" for i in rng.choice(n, 2, replace=False)]
    return net_of(links, bad)


@pytest.mark.parametrize("method", ["arc", "path"])
@pytest.mark.parametrize("seed", range(6))
def test_single_sensitive_demand_routes_the_trusted_max_flow(seed: int, method: str) -> None:
    net = random_net(seed)
    trusted = np.flatnonzero(~net.untrusted)
    s, t = int(trusted[0]), int(trusted[-1])
    r = reroute(net, Demands.from_arrays(net, [s], [t], [100.0], [True]), method=method)  # type: ignore[arg-type]
    d = r.sensitive[0]
    best = trusted_maxflow(net, s, t)
    assert d.routed == pytest.approx(min(best, 100.0), rel=1e-6, abs=1e-6)
    if d.status == "insufficient_capacity":
        cut_cap = sum(float(net.capacity[a]) for a in range(net.n_arcs)
                      if net.link_ids[net.arc_link[a]] in d.bottleneck
                      and net.indices[a] != s)  # fmt: skip
        assert cut_cap >= best - 1e-6


@pytest.mark.parametrize("seed", range(5))
def test_arc_and_path_formulations_agree(seed: int) -> None:
    net = random_net(seed + 10, n=9)
    rng = np.random.default_rng(seed)
    src = rng.integers(0, net.n_nodes, 10)
    dst = (src + rng.integers(1, net.n_nodes, 10)) % net.n_nodes
    dem = Demands.from_arrays(net, src, dst, rng.uniform(0.1, 1.0, 10), rng.random(10) < 0.5)
    a = reroute(net, dem, method="arc")
    p = reroute(net, dem, method="path")
    assert a.stage == p.stage
    if a.stage == "A":
        assert a.max_util_after == pytest.approx(p.max_util_after, rel=1e-5, abs=1e-7)
    sa = sum(s.routed for s in a.sensitive)
    sp = sum(s.routed for s in p.sensitive)
    assert sa == pytest.approx(sp, rel=1e-5, abs=1e-6)


def test_igp_cost_objective_prefers_short_clean_path() -> None:
    net = ladder()
    a, d = net.index_of("a"), net.index_of("d")
    r = reroute(net, Demands.from_arrays(net, [a], [d], [4.0], [True]), objective="igp-cost")
    assert r.sensitive[0].paths == ((("a", "c", "d"), pytest.approx(4.0)),)


def test_separators_are_the_same_both_ways_and_say_when_one_replacement_suffices() -> None:
    # ring a-b-c-d-a with a spur d-e; b and d untrusted: only d stands between a and e
    ring = [("a", "b", 1, 10), ("b", "c", 1, 10), ("c", "d", 1, 10), ("d", "a", 1, 10),
            ("d", "e", 1, 10)]  # fmt: skip
    net = net_of(ring, ["b", "d"])
    a, e = net.index_of("a"), net.index_of("e")
    r = reroute(net, Demands.from_arrays(net, [a, e], [e, a], [1.0, 1.0], [True, True]))
    assert [s.bottleneck for s in r.sensitive] == [("d",), ("d",)]
    assert all("replacing any one of them" in s.reason for s in r.sensitive)
    # two untrusted layers (a-u1-u2-c): no single replacement opens a path; both are named
    deep = net_of([("a", "u1", 1, 10), ("u1", "u2", 1, 10), ("u2", "c", 1, 10)], ["u1", "u2"])
    ia, ic = deep.index_of("a"), deep.index_of("c")
    s = reroute(deep, Demands.from_arrays(deep, [ia], [ic], [1.0], [True])).sensitive[0]
    assert set(s.bottleneck) == {"u1", "u2"}
    assert "replacing any one" not in s.reason
