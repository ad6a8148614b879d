"""Synthetic ISP-like graphs for benchmarks: connected, average degree ~3.5, integer weights."""

from __future__ import annotations

import numpy as np

from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.model.network import Network, build_network


def isp_like(
    n: int, *, seed: int = 0, degree: float = 3.5, wmax: int = 100, untrusted_share: float = 0.10
) -> Network:
    """Nodes on a unit square; a random spanning tree over near neighbours plus extra short
    links up to the target average degree; weights uniform integers in [1, wmax]."""
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2))
    order = np.argsort(xy[:, 0] + 1e-9 * np.arange(n))
    edges: set[tuple[int, int]] = set()
    # spanning tree: attach each node (in x order) to a random one of its nearest earlier nodes
    for k in range(1, n):
        v = int(order[k])
        lo = max(0, k - 30)
        prev = order[lo:k]
        d = np.hypot(*(xy[prev] - xy[v]).T)
        u = int(prev[rng.choice(np.argsort(d)[:3])])
        edges.add((min(u, v), max(u, v)))
    target = round(degree * n / 2)
    cell = max(1, int(np.sqrt(n / 4)))
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(xy):
        grid.setdefault((int(x * cell), int(y * cell)), []).append(i)
    while len(edges) < target:
        v = int(rng.integers(n))
        cx, cy = int(xy[v, 0] * cell), int(xy[v, 1] * cell)
        near = [
            u for dx in (-1, 0, 1) for dy in (-1, 0, 1) for u in grid.get((cx + dx, cy + dy), ())
        ]
        u = int(rng.choice(near))
        if u != v:
            edges.add((min(u, v), max(u, v)))
    nodes = tuple(NodeRecord(str(i), f"r{i}") for i in range(n))
    w = rng.integers(1, wmax + 1, size=len(edges))
    links = tuple(
        LinkRecord(str(k), str(a), str(b), weight=float(w[k]))
        for k, (a, b) in enumerate(sorted(edges))
    )
    net = build_network(Topology(f"isp{n}", nodes, links), weight="auto")
    k = round(untrusted_share * n)
    mask = np.zeros(n, dtype=np.bool_)
    mask[rng.choice(n, size=k, replace=False)] = True
    return net.with_untrusted(mask)
