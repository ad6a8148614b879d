"""Hypothesis: a rerouted sensitive flow never touches an untrusted node, never exceeds its
demand, and a routing that cannot fit keeps every link within capacity."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.analysis.reroute import reroute
from cleanpath.model.demands import Demands

from .test_reroute import random_net


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(4, 9),
    n_dem=st.integers(1, 8),
    method=st.sampled_from(["arc", "path"]),
    volume=st.floats(0.5, 20.0),
)
def test_sensitive_flow_never_touches_untrusted(
    seed: int, n: int, n_dem: int, method: str, volume: float
) -> None:
    net = random_net(seed, n=n)
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, n_dem)
    dst = (src + rng.integers(1, n, n_dem)) % n
    dem = Demands.from_arrays(net, src, dst, np.full(n_dem, volume), rng.random(n_dem) < 0.6)
    r = reroute(net, dem, method=method)  # type: ignore[arg-type]
    bad = set(net.untrusted_ids())
    for s in r.sensitive:
        for nodes, flow in s.paths:
            assert not bad & set(nodes)
            assert nodes[0] == s.src
            assert nodes[-1] == s.dst
            assert flow > 0
        assert s.routed <= s.volume * (1 + 1e-7)
        assert (s.status == "clean") == (s.routed >= s.volume * (1 - 1e-7))
    tails = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
    touches = net.untrusted[tails] | net.untrusted[net.indices]
    assert np.all(r.sensitive_arc_load[touches] == 0.0)
    if r.stage == "B":
        assert np.all(r.arc_load_after <= net.capacity * (1 + 1e-6) + 1e-9)
