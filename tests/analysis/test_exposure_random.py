"""Seeded random graphs with small integer weights (many ECMP ties): engine == references."""

from __future__ import annotations

import dataclasses
import math
import random

import numpy as np
import pytest

from cleanpath.analysis.exposure import exposure
from cleanpath.domain import Topology
from cleanpath.model.demands import Demands
from cleanpath.model.network import build_network

from .helpers import check_case, reference_graph, topo
from .nx_reference import brute_force_share, ecmp_path_probabilities


def random_case(
    seed: int, *, n: int, m: int, directed: bool, max_w: int
) -> tuple[Topology, list[str]]:
    """n nodes, m random links (parallel links and both directions allowed), weights
    1..max_w, 0-30 % untrusted nodes."""
    rng = random.Random(seed)
    ids = [f"n{i}" for i in range(n)]
    links = []
    for _ in range(m):
        u, v = rng.sample(ids, 2)
        links.append((u, v, float(rng.randint(1, max_w))))
    bad = rng.sample(ids, rng.randint(0, max(1, int(0.3 * n))))
    return topo(ids, links, directed=directed, name=f"random-{seed}"), bad


CASES = [
    (seed, n, m, directed, max_w)
    for seed, (n, m, directed, max_w) in enumerate(
        [
            (6, 8, False, 1),
            (8, 14, False, 2),
            (10, 20, True, 2),
            (12, 18, False, 3),
            (15, 40, True, 3),
            (20, 30, False, 1),
            (25, 60, True, 2),
            (40, 80, False, 3),
            (60, 150, True, 1),
            (80, 120, False, 2),
        ]
        * 3
    )
]


@pytest.mark.parametrize(("seed", "n", "m", "directed", "max_w"), CASES)
def test_random_graph_matches_reference(
    seed: int, n: int, m: int, directed: bool, max_w: int
) -> None:
    t, bad = random_case(seed, n=n, m=m, directed=directed, max_w=max_w)
    net = build_network(t, untrusted=bad)
    rng = np.random.default_rng(seed)
    sens = rng.random(n) < 0.3
    check_case(t, bad, Demands.all_pairs_of(net, volume=1.5, sensitive_nodes=sens))
    # explicit demands with random volumes, repeated pairs and zero volumes
    k = 3 * n
    src, dst = rng.integers(0, n, k), rng.integers(0, n, k)
    keep = src != dst
    vol = rng.choice([0.0, 0.25, 1.0, 3.0, 1e6], size=k)
    d = Demands.from_arrays(net, src[keep], dst[keep], vol[keep], rng.random(k)[keep] < 0.5)
    check_case(t, bad, d)


@pytest.mark.parametrize("seed", range(12))
def test_random_graph_matches_path_enumeration(seed: int) -> None:
    """Per demand, the engine's share equals the sum of the ECMP probabilities of the
    shortest paths that touch an untrusted node, found by nx.all_shortest_paths."""
    t, bad = random_case(seed, n=9, m=16, directed=seed % 2 == 1, max_w=2)
    net = build_network(t, untrusted=bad)
    r = exposure(net, Demands.all_pairs_of(net))
    g = reference_graph(t)
    ids = net.node_ids
    node_vol = dict.fromkeys(ids, 0.0)
    for k, (s, d) in enumerate(zip(r.demands.src, r.demands.dst, strict=True)):
        u, v = ids[s], ids[d]
        want = brute_force_share(g, set(bad), u, v)
        if math.isnan(want):
            assert math.isnan(r.exposed_share[k])
            continue
        assert r.exposed_share[k] == pytest.approx(want, rel=1e-9, abs=1e-12)
        paths = ecmp_path_probabilities(g, u, v)
        assert sum(p for _, p in paths) == pytest.approx(1.0, rel=1e-12)
        for x in {x for path, _ in paths for x in path}:
            node_vol[x] += sum(p for path, p in paths if x in path)
    np.testing.assert_allclose(r.node_volume, [node_vol[x] for x in ids], rtol=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_random_float_weights_match_reference(seed: int) -> None:
    """Non-integer weights run on the heap queue; 0.1 + 0.2 != 0.3 in binary, so near-ties
    must be broken exactly as the reference's exact comparison breaks them."""
    rng = random.Random(1000 + seed)
    t, bad = random_case(1000 + seed, n=25, m=60, directed=seed % 2 == 0, max_w=1)
    weights = [0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
    links = tuple(dataclasses.replace(lk, weight=rng.choice(weights)) for lk in t.links)
    t = dataclasses.replace(t, links=links)
    net = build_network(t, untrusted=bad)
    assert not net.integer_weights
    sens = np.random.default_rng(seed).random(25) < 0.3
    check_case(t, bad, Demands.all_pairs_of(net, sensitive_nodes=sens))
