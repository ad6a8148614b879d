"""A plain networkx reference for the exposure engine: obviously correct, slow on purpose.

Semantics (the contract the engine is tested against):

* Parallel links are merged before routing: one arc per direction with the smallest weight.
  An undirected link gives both directions, a directed one only ``src -> dst``.
* ECMP: demand (s, t) of volume V enters at s; at every node v the traffic splits equally
  among v's next hops toward t, i.e. the out-neighbours u with ``d(v,t) == w(v,u) + d(u,t)``
  (shortest-path distances by IGP weight).
* ``exposed_share(s, t)`` is the share of V that meets at least one untrusted node, endpoints
  included (an untrusted s or t gives 1.0).
* The carried volume of a node is the sum over demands of the volume passing through it,
  source and destination included; arcs likewise; sensitive volumes count only sensitive
  demands.
* The clean path is the shortest s-t path in the graph with every untrusted node removed.
* An unroutable pair has ``dist = inf``, ``exposed_share = NaN`` and carries nothing.

Two references are given: :func:`reference_exposure` works per destination (Dijkstra on the
reversed graph, then plain loops over nodes sorted by distance); :func:`brute_force_share`
enumerates every shortest path of one demand with ``nx.all_shortest_paths`` and weighs it by
the product of its ECMP split factors, so it shares no code shape with the engine at all.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx

Node = Hashable
Demand = tuple[Node, Node, float, bool]  # (src, dst, volume, sensitive)


def merged_digraph(
    nodes: Iterable[Node], links: Iterable[tuple[Node, Node, float, bool]]
) -> nx.DiGraph:
    """A DiGraph with one arc per direction and the smallest weight of parallel links.

    ``links`` are ``(src, dst, weight, directed)``; an undirected link gives both arcs;
    self-loops are dropped.
    """
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    for u, v, w, directed in links:
        if u == v:
            continue
        for a, b in [(u, v)] if directed else [(u, v), (v, u)]:
            if g.has_edge(a, b):
                g[a][b]["weight"] = min(g[a][b]["weight"], w)
            else:
                g.add_edge(a, b, weight=w)
    return g


@dataclass
class ReferenceResult:
    """Per demand lists (input order) and per node / per arc dicts."""

    exposed_share: list[float]
    dist: list[float]
    clean_dist: list[float]
    node_volume: dict[Node, float] = field(default_factory=lambda: defaultdict(float))
    node_sensitive_volume: dict[Node, float] = field(default_factory=lambda: defaultdict(float))
    arc_volume: dict[tuple[Node, Node], float] = field(default_factory=lambda: defaultdict(float))
    arc_sensitive_volume: dict[tuple[Node, Node], float] = field(
        default_factory=lambda: defaultdict(float)
    )


def next_hops(g: nx.DiGraph, dist_to_t: dict[Node, float], v: Node) -> list[Node]:
    """Out-neighbours u of v with d(v,t) == w(v,u) + d(u,t)."""
    return [
        u
        for u in g.successors(v)
        if u in dist_to_t and dist_to_t[v] == g[v][u]["weight"] + dist_to_t[u]
    ]


def distances_to(g: nx.DiGraph, t: Node) -> dict[Node, float]:
    """d(v, t) for every v that reaches t."""
    return dict(nx.single_source_dijkstra_path_length(g.reverse(copy=False), t, weight="weight"))


def clean_shares(g: nx.DiGraph, untrusted: set[Node], t: Node, d: dict[Node, float]) -> dict:
    """Share of the traffic from v to t that meets no untrusted node (v and t included)."""
    clean: dict[Node, float] = {}
    for v in sorted(d, key=lambda x: d[x]):  # next hops are strictly nearer to t
        if v in untrusted:
            clean[v] = 0.0
        elif v == t:
            clean[v] = 1.0
        else:
            hops = next_hops(g, d, v)
            clean[v] = sum(clean[u] for u in hops) / len(hops)
    return clean


def _route_volumes(
    g: nx.DiGraph, t: Node, d: dict[Node, float], own: dict[Node, float]
) -> tuple[dict[Node, float], dict[tuple[Node, Node], float]]:
    """Volumes through nodes and arcs when ``own[s]`` enters at s for destination t."""
    inflow: dict[Node, float] = defaultdict(float)
    node_v: dict[Node, float] = defaultdict(float)
    arc_v: dict[tuple[Node, Node], float] = defaultdict(float)
    for v in sorted(d, key=lambda x: -d[x]):  # far to near
        f = inflow[v] + own.get(v, 0.0)
        if f == 0.0:
            continue
        node_v[v] += f
        if v == t:
            continue
        hops = next_hops(g, d, v)
        for u in hops:
            inflow[u] += f / len(hops)
            arc_v[(v, u)] += f / len(hops)
    return node_v, arc_v


def reference_exposure(
    g: nx.DiGraph, untrusted: Iterable[Node], demands: Sequence[Demand]
) -> ReferenceResult:
    """Exposure of every demand, carried volumes and clean distances (see module doc)."""
    bad = set(untrusted)
    trusted = g.subgraph([v for v in g if v not in bad])
    n = len(demands)
    res = ReferenceResult([math.nan] * n, [math.inf] * n, [math.inf] * n)
    by_dst: dict[Node, list[int]] = defaultdict(list)
    for k, (_, t, _, _) in enumerate(demands):
        by_dst[t].append(k)
    for t, ks in by_dst.items():
        d = distances_to(g, t)
        clean = clean_shares(g, bad, t, d)
        cd = distances_to(trusted, t) if t not in bad else {}
        own: dict[Node, float] = defaultdict(float)
        own_s: dict[Node, float] = defaultdict(float)
        for k in ks:
            s, _, vol, sens = demands[k]
            res.clean_dist[k] = cd.get(s, math.inf)
            if s not in d:
                continue  # unroutable: NaN share, inf distance, carries nothing
            res.dist[k] = d[s]
            res.exposed_share[k] = 1.0 - clean[s]
            own[s] += vol
            if sens:
                own_s[s] += vol
        for acc_n, acc_a, src in (
            (res.node_volume, res.arc_volume, own),
            (res.node_sensitive_volume, res.arc_sensitive_volume, own_s),
        ):
            node_v, arc_v = _route_volumes(g, t, d, src)
            for key, x in node_v.items():
                acc_n[key] += x
            for arc, x in arc_v.items():
                acc_a[arc] += x
    return res


def path_weight(g: nx.DiGraph, path: Sequence[Node]) -> float:
    return sum(g[a][b]["weight"] for a, b in itertools.pairwise(path))


def ecmp_path_probabilities(g: nx.DiGraph, s: Node, t: Node) -> list[tuple[list[Node], float]]:
    """Every shortest s-t path with the share of traffic ECMP sends along it: the product,
    over the nodes of the path but t, of 1 / (number of next hops of that node toward t).
    The next-hop count is taken from the forward shortest-path DAG of each node."""
    out = []
    n_hops: dict[Node, int] = {}
    for path in nx.all_shortest_paths(g, s, t, weight="weight"):
        p = 1.0
        for v in path[:-1]:
            if v not in n_hops:
                # successors u of v that start a shortest v-t path
                best = nx.dijkstra_path_length(g, v, t, weight="weight")
                n_hops[v] = sum(
                    1
                    for u in g.successors(v)
                    if nx.has_path(g, u, t)
                    and g[v][u]["weight"] + nx.dijkstra_path_length(g, u, t, weight="weight")
                    == best
                )
            p /= n_hops[v]
        out.append((path, p))
    return out


def brute_force_share(g: nx.DiGraph, untrusted: set[Node], s: Node, t: Node) -> float:
    """Exposed share of demand (s, t) by enumerating its shortest paths; NaN if unroutable."""
    if not nx.has_path(g, s, t):
        return math.nan
    return sum(p for path, p in ecmp_path_probabilities(g, s, t) if untrusted.intersection(path))
