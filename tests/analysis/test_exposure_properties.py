"""Hypothesis properties of exposure, and independence from the number of numba threads."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import replace

import networkx as nx
import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.analysis.allpairs import exposure_all_pairs
from cleanpath.analysis.exposure import ExposureResult, exposure
from cleanpath.analysis.paths import shortest_path
from cleanpath.domain import Topology
from cleanpath.model.demands import Demands
from cleanpath.model.network import build_network

from .helpers import assert_identical, reference_graph, topo
from .nx_reference import path_weight
from .test_exposure_random import random_case


@pytest.fixture(scope="module", autouse=True)
def _one_numba_thread() -> Iterator[None]:
    """Hypothesis runs hundreds of tiny cases: one thread avoids the cost of waking the
    OpenMP pool on a busy machine. The last test shows the thread count changes nothing."""
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(before)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Topology, list[str], Demands]:
    n = draw(st.integers(2, 9))
    ids = [f"v{i}" for i in range(n)]
    node = st.sampled_from(ids)
    links = draw(
        st.lists(
            st.tuples(node, node, st.integers(1, 3)).filter(lambda x: x[0] != x[1]),
            max_size=3 * n,
        )
    )
    t = topo(ids, links, directed=draw(st.booleans()), name="hyp")
    bad = draw(st.lists(node, unique=True, max_size=n))
    net = build_network(t, untrusted=bad)
    pairs = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.sampled_from([0.0, 0.5, 1.0, 7.0, 1e9]),
                st.booleans(),
            ).filter(lambda x: x[0] != x[1]),
            min_size=1,
            max_size=30,
        )
    )
    src, dst, vol, sens = zip(*pairs, strict=True)
    return t, bad, Demands.from_arrays(net, src, dst, vol, sens)


def run(t: Topology, bad: list[str], d: Demands) -> ExposureResult:
    return exposure(build_network(t, untrusted=bad), d)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_exposure_is_a_share(case: tuple[Topology, list[str], Demands]) -> None:
    r = run(*case)
    ok = r.routable
    assert np.all(np.isnan(r.exposed_share[~ok]))
    assert np.all((r.exposed_share[ok] >= 0.0) & (r.exposed_share[ok] <= 1.0))
    net = r.network
    endpoint_bad = net.untrusted[r.demands.src] | net.untrusted[r.demands.dst]
    assert np.all(r.exposed_share[ok & endpoint_bad] == 1.0)
    assert not np.any(r.clean_path_exists[endpoint_bad])


@settings(max_examples=100, deadline=None)
@given(cases(), st.data())
def test_one_more_untrusted_node_never_lowers_exposure(
    case: tuple[Topology, list[str], Demands], data: st.DataObject
) -> None:
    t, bad, d = case
    extra = data.draw(st.sampled_from([n.id for n in t.nodes]))
    before, after = run(t, bad, d), run(t, [*bad, extra], d)
    ok = before.routable
    assert np.all(after.exposed_share[ok] >= before.exposed_share[ok])
    assert np.all(after.clean_dist >= before.clean_dist)
    # trust does not change routing
    np.testing.assert_array_equal(after.dist, before.dist)
    np.testing.assert_array_equal(after.node_volume, before.node_volume)
    np.testing.assert_array_equal(after.arc_volume, before.arc_volume)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_clean_path_avoids_untrusted_nodes(case: tuple[Topology, list[str], Demands]) -> None:
    """The engine reports clean distances only: rebuild one clean path in the trusted
    subgraph, check it avoids every untrusted node and has exactly the engine's length."""
    t, bad, d = case
    r = run(t, bad, d)
    g = reference_graph(t)
    trusted = g.subgraph([v for v in g if v not in set(bad)])
    ids = r.network.node_ids
    for k, (s, u) in enumerate(zip(r.demands.src, r.demands.dst, strict=True)):
        a, b = ids[s], ids[u]
        if not r.clean_path_exists[k]:
            assert a in bad or b in bad or not nx.has_path(trusted, a, b)
            continue
        path = nx.shortest_path(trusted, a, b, weight="weight")
        assert not set(path) & set(bad)
        assert path_weight(g, path) == r.clean_dist[k]
        assert r.stretch[k] >= 1.0


@settings(max_examples=100, deadline=None)
@given(cases())
def test_library_paths_agree_with_engine(case: tuple[Topology, list[str], Demands]) -> None:
    """``analysis.paths.shortest_path`` (the path shown to users): a clean path walks real
    arcs, never touches an untrusted node and is exactly as long as the engine's clean
    distance; it is empty exactly when the engine finds no clean path."""
    t, bad, d = case
    r = run(t, bad, d)
    net = r.network
    g = reference_graph(t)
    for k, (s, u) in enumerate(zip(r.demands.src, r.demands.dst, strict=True)):
        s, u = int(s), int(u)
        clean = shortest_path(net, s, u, clean=True)
        plain = shortest_path(net, s, u)
        assert bool(clean) == bool(r.clean_path_exists[k])
        assert bool(plain) == bool(r.routable[k])
        for path, want in ((clean, r.clean_dist[k]), (plain, r.dist[k])):
            if not path:
                continue
            assert (path[0], path[-1]) == (s, u)
            ids = [net.node_ids[i] for i in path]
            assert all(g.has_edge(x, y) for x, y in itertools.pairwise(ids))
            assert path_weight(g, ids) == want
        assert not net.untrusted[clean].any()


@settings(max_examples=100, deadline=None)
@given(cases())
def test_volume_is_conserved(case: tuple[Topology, list[str], Demands]) -> None:
    """At every node: arcs in + volume starting here == arcs out + volume ending here, and
    that is the node's carried volume; what arrives at destinations is what entered."""
    r = run(*case)
    net, d = r.network, r.demands
    for vol, node_v, arc_v in (
        (d.volume, r.node_volume, r.arc_volume),
        (np.where(d.sensitive, d.volume, 0.0), r.node_sensitive_volume, r.arc_sensitive_volume),
    ):
        routed = np.where(r.routable, vol, 0.0)
        start = np.bincount(d.src, routed, minlength=net.n_nodes)
        end = np.bincount(d.dst, routed, minlength=net.n_nodes)
        tails = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
        arc_in = np.bincount(net.indices, arc_v, minlength=net.n_nodes)
        arc_out = np.bincount(tails, arc_v, minlength=net.n_nodes)
        scale = max(1.0, float(vol.sum())) * 1e-12
        np.testing.assert_allclose(arc_in + start, node_v, rtol=1e-9, atol=scale)
        np.testing.assert_allclose(arc_out + end, node_v, rtol=1e-9, atol=scale)
        assert end.sum() == pytest.approx(routed.sum(), rel=1e-12)
        assert np.all(arc_v >= 0.0)


def test_results_do_not_depend_on_numba_threads() -> None:
    """Explicit and streamed all-pairs results under 1 and 2 numba threads, compared with
    == (a float-weight network too, so both the Dial and the heap queue run)."""
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("numba has fewer than 2 threads here")
    t, bad = random_case(99, n=300, m=700, directed=False, max_w=2)
    t_float = replace(t, links=tuple(replace(lk, weight=lk.weight * 0.7) for lk in t.links))
    rng = np.random.default_rng(5)
    sens = rng.random(300) < 0.2
    before = numba.get_num_threads()
    for topology in (t, t_float):
        net = build_network(topology, untrusted=bad)
        d = Demands.all_pairs_of(net, volume=0.1, sensitive_nodes=sens)
        runs = []
        try:
            for threads in (1, 2):
                numba.set_num_threads(threads)
                runs.append((exposure(net, d), exposure_all_pairs(net, sensitive_nodes=sens)))
        finally:
            numba.set_num_threads(before)
        (one, ap1), (two, ap2) = runs
        assert_identical(one, two)
        for name in ("node_volume", "node_sensitive_volume", "arc_volume", "histogram"):
            assert (getattr(ap1, name) == getattr(ap2, name)).all(), name
        assert ap1.stats == ap2.stats
        assert (ap1.top.demands.src == ap2.top.demands.src).all()
        assert not math.isnan(float(one.node_volume.sum()))
