"""Single paths for display: one shortest path, or one clean path, between two nodes."""

from __future__ import annotations

import heapq

import numpy as np

from cleanpath.model.network import Network

__all__ = ["shortest_path"]


def shortest_path(net: Network, src: int, dst: int, *, clean: bool = False) -> list[int]:
    """Node indices of one shortest path from ``src`` to ``dst`` (ties broken by the lower
    node index), avoiding untrusted nodes when ``clean``; ``[]`` when there is none.

    >>> from cleanpath.domain import NodeRecord, LinkRecord, Topology
    >>> from cleanpath.model.network import build_network
    >>> t = Topology("sq", tuple(NodeRecord(x, x) for x in "abcd"), (
    ...     LinkRecord("1", "a", "b"), LinkRecord("2", "b", "d"),
    ...     LinkRecord("3", "a", "c"), LinkRecord("4", "c", "d")))
    >>> net = build_network(t, untrusted=["b"])
    >>> shortest_path(net, 0, 3), shortest_path(net, 0, 3, clean=True)
    ([0, 1, 3], [0, 2, 3])
    """
    blocked = net.untrusted if clean else np.zeros(net.n_nodes, dtype=np.bool_)
    if blocked[src] or blocked[dst]:
        return []
    dist = {src: 0.0}
    prev: dict[int, int] = {}
    heap = [(0.0, src)]
    done: set[int] = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        if u == dst:
            break
        for a in range(int(net.indptr[u]), int(net.indptr[u + 1])):
            v = int(net.indices[a])
            if blocked[v] or v in done:
                continue
            nd = d + float(net.weight[a])
            if nd < dist.get(v, np.inf) or (nd == dist.get(v) and u < prev.get(v, u + 1)):
                dist[v] = nd
                prev[v] = u
                heapq.heappush(heap, (nd, v))
    if dst not in done:
        return []
    path = [dst]
    while path[-1] != src:
        path.append(prev[path[-1]])
    return path[::-1]
