"""A plain networkx reference of all-pairs exposure, one root (destination) at a time.

It is written for the benchmark: it can stop after any number of roots (a time cap), and
what it has finished is exact for those roots, so the engine can be checked on them and the
full time extrapolated. Same contract as ``tests/analysis/nx_reference.py`` (ECMP equal split
at every node over the next hops ``u`` with ``d(v,t) == w(v,u) + d(u,t)``; exposed share =
share of the volume meeting an untrusted node, endpoints included; clean distance on the
graph without untrusted nodes); the benchmark checks the two agree on a small graph.

Per root ``t`` it does what a careful networkx user would: one
``nx.dijkstra_predecessor_and_distance`` from ``t`` on the reversed graph (its predecessor
lists are exactly the ECMP next hops toward ``t``, ties by exact float equality), a
near-to-far pass for clean shares, a far-to-near pass splitting flows, and one more
Dijkstra on the trusted subgraph for clean distances. Graphs are built once per network.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import numpy.typing as npt

from cleanpath.model.network import Network

FloatArray = npt.NDArray[np.float64]

STAT_KEYS = (
    "pairs", "unroutable", "exposed_volume", "sensitive_exposed_volume", "clean_pairs",
    "sensitive_clean_pairs", "stretch_sum",
)  # fmt: skip


@dataclass
class RefGraphs:
    """Reversed graph, reversed trusted subgraph and lookups, built once per network."""

    rev: nx.DiGraph
    rev_trusted: nx.DiGraph
    untrusted: frozenset[int]
    arc_of: dict[tuple[int, int], int]


@dataclass
class RefTotals:
    """Sums over the finished roots (node / arc arrays indexed like the engine's);
    ``exposed_by_source[v]`` is the exposed volume of the demands leaving ``v``."""

    node_volume: FloatArray
    node_sensitive_volume: FloatArray
    arc_volume: FloatArray
    arc_sensitive_volume: FloatArray
    exposed_by_source: FloatArray
    stats: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAT_KEYS, 0.0))
    roots: list[int] = field(default_factory=list)
    wall_s: float = 0.0
    cpu_s: float = 0.0


def ref_graphs(net: Network) -> RefGraphs:
    """networkx graphs of ``net``: one arc per engine arc (parallel links already merged)."""
    g = nx.DiGraph()
    g.add_nodes_from(range(net.n_nodes))
    arc_of: dict[tuple[int, int], int] = {}
    for u in range(net.n_nodes):
        for a in range(int(net.indptr[u]), int(net.indptr[u + 1])):
            v = int(net.indices[a])
            g.add_edge(u, v, weight=float(net.weight[a]))
            arc_of[(u, v)] = a
    bad = frozenset(int(i) for i in np.flatnonzero(net.untrusted))
    rev = g.reverse(copy=True)
    rev_trusted = rev.subgraph([v for v in rev if v not in bad]).copy()
    return RefGraphs(rev, rev_trusted, bad, arc_of)


def reference_root(
    rg: RefGraphs, t: int, volume: float, sensitive: np.ndarray, acc: RefTotals
) -> None:
    """Add all demands ``(v, t)``, ``v != t``, of ``volume`` to ``acc``."""
    pred, dist = nx.dijkstra_predecessor_and_distance(rg.rev, t, weight="weight")
    order = list(dist)  # settle order: non-decreasing distance to t
    bad = rg.untrusted
    clean: dict[int, float] = {}
    for v in order:
        if v in bad:
            clean[v] = 0.0
        elif v == t:
            clean[v] = 1.0
        else:
            hops = pred[v]
            clean[v] = sum(clean[u] for u in hops) / len(hops)
    cdist: dict[int, float] = {}
    if t not in bad:
        cdist = nx.single_source_dijkstra_path_length(rg.rev_trusted, t, weight="weight")
    sens_t = bool(sensitive[t])
    flow: dict[int, float] = dict.fromkeys(order, 0.0)
    flow_s: dict[int, float] = dict.fromkeys(order, 0.0)
    st = acc.stats
    n = acc.node_volume.shape[0]
    st["pairs"] += n - 1
    st["unroutable"] += n - len(order)
    for v in reversed(order):
        f, fs = flow[v], flow_s[v]
        if v != t:
            sens = sens_t or bool(sensitive[v])
            f += volume
            fs += volume if sens else 0.0
            e = 1.0 - clean[v]
            st["exposed_volume"] += e * volume
            acc.exposed_by_source[v] += e * volume
            if sens:
                st["sensitive_exposed_volume"] += e * volume
            if v in cdist:
                st["clean_pairs"] += 1
                st["sensitive_clean_pairs"] += 1 if sens else 0
                st["stretch_sum"] += cdist[v] / dist[v]
        acc.node_volume[v] += f
        acc.node_sensitive_volume[v] += fs
        if v == t:
            continue
        hops = pred[v]
        share, share_s = f / len(hops), fs / len(hops)
        for u in hops:
            flow[u] += share
            flow_s[u] += share_s
            a = rg.arc_of[(v, u)]
            acc.arc_volume[a] += share
            acc.arc_sensitive_volume[a] += share_s


def reference_all_pairs(
    net: Network,
    roots: Iterable[int],
    *,
    volume: float,
    sensitive: np.ndarray,
    cap_s: float = math.inf,
    graphs: RefGraphs | None = None,
) -> RefTotals:
    """Run :func:`reference_root` over ``roots`` until done or ``cap_s`` wall seconds pass
    (the root running at the cap is finished; ``roots``/``wall_s``/``cpu_s`` say what ran)."""
    rg = graphs or ref_graphs(net)
    n, m = net.n_nodes, net.n_arcs
    acc = RefTotals(np.zeros(n), np.zeros(n), np.zeros(m), np.zeros(m), np.zeros(n))
    w0, c0 = time.perf_counter(), time.process_time()
    for t in roots:
        reference_root(rg, int(t), volume, sensitive, acc)
        acc.roots.append(int(t))
        if time.perf_counter() - w0 > cap_s:
            break
    acc.wall_s = time.perf_counter() - w0
    acc.cpu_s = time.process_time() - c0
    return acc
