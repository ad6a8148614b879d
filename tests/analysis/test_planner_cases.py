"""Small planning instances and a brute-force oracle for the planner tests."""

from __future__ import annotations

import itertools

import numpy as np

from cleanpath.analysis.planner_model import PlanProblem
from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network, build_network


def random_case(
    seed: int, n: int = 9, extra: int = 5, n_untrusted: int = 4, n_demands: int = 12
) -> tuple[Network, Demands, dict[str, float]]:
    """A connected random network (a random tree plus ``extra`` links, small integer
    weights), ``n_untrusted`` untrusted nodes, random demands and integer costs."""
    rng = np.random.default_rng(seed)
    ids = [f"n{i}" for i in range(n)]
    pairs = {(int(rng.integers(0, i)), i) for i in range(1, n)}
    while len(pairs) < n - 1 + extra:
        a, b = sorted(int(x) for x in rng.choice(n, 2, replace=False))
        pairs.add((a, b))
    links = tuple(
        LinkRecord(f"l{k}", ids[a], ids[b], weight=float(rng.integers(1, 3)))
        for k, (a, b) in enumerate(sorted(pairs))
    )
    bad = [ids[int(i)] for i in rng.choice(n, n_untrusted, replace=False)]
    net = build_network(Topology(f"r{seed}", tuple(NodeRecord(x, x) for x in ids), links),
                        untrusted=bad)  # fmt: skip
    src = rng.integers(0, n, n_demands)
    dst = (src + rng.integers(1, n, n_demands)) % n
    vol = rng.integers(1, 10, n_demands).astype(float)
    sens = rng.random(n_demands) < 0.7
    costs = {x: float(rng.integers(1, 6)) * 10.0 for x in bad}
    return net, Demands.from_arrays(net, src, dst, vol, sens), costs


def brute_force(pr: PlanProblem) -> tuple[float, np.ndarray] | None:
    """The best objective over every assignment of candidates to phases (or none)."""
    best: tuple[float, np.ndarray] | None = None
    for combo in itertools.product(range(-1, pr.phases), repeat=pr.m):
        phase_of = np.asarray(combo, dtype=np.int64)
        if not pr.feasible(phase_of):
            continue
        obj = pr.objective(phase_of)
        better = best is None or (obj < best[0] if pr.goal == "min-cost" else obj > best[0])
        if better:
            best = (obj, phase_of)
    return best
