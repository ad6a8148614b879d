"""Which untrusted devices each demand depends on, grouped for the replacement planner.

*Fixed routing* keeps today's ECMP shortest paths: demand ``(s, t)`` is clean once every
untrusted node on any of its shortest paths (``s`` and ``t`` included) is replaced. One compiled
sweep per destination ``t`` (Dijkstra on the reversed graph, then near-to-far over the ECMP DAG)
gives, per node ``v``, the bit set of untrusted nodes on the DAG from ``v`` to ``t``. Demands
with equal sets form one group, so the MILP has one variable per group, not per demand.

*Adaptive routing* lets traffic take any path: demand ``(s, t)`` is clean once ``s`` and ``t``
are connected through trusted or replaced nodes. Trusted nodes that are connected through
trusted nodes alone are interchangeable, so demands are grouped by the pair of (trusted
component or untrusted node) of their ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba as nb
import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components

from cleanpath.analysis.engines._kernels import search, workspace
from cleanpath.analysis.engines.local import grouped_by_root, kernel_graph
from cleanpath.model.network import Network

__all__ = [
    "AdaptiveGroups",
    "FixedGroups",
    "adaptive_groups",
    "clean_pairs",
    "fixed_groups",
    "induced_adjacency",
    "untrusted_sets",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
U64Array = npt.NDArray[np.uint64]


@nb.njit(cache=True, nogil=True)
def _root_sets(root, g, untrusted, bit, words, dist, order, ws, mask):  # type: ignore[no-untyped-def]
    """Fill ``mask[v]`` = untrusted bits on the ECMP DAG from ``v`` to ``root``."""
    count = search(root, g, untrusted, dist, order, ws)
    indices, nh_ptr, nh_arc = g[0], ws[7], ws[8]
    for i in range(count):
        v = order[i]
        for w in range(words):
            mask[v, w] = 0
        for k in range(nh_ptr[i], nh_ptr[i + 1]):
            u = indices[nh_arc[k]]
            for w in range(words):
                mask[v, w] |= mask[u, w]
        b = bit[v]
        if b >= 0:
            mask[v, b // 64] |= np.uint64(1) << np.uint64(b % 64)


@nb.njit(cache=True, parallel=True)
def _all_sets(roots, dptr, dsrc, g, untrusted, bit, words):  # type: ignore[no-untyped-def]
    n = g[1].shape[0] - 1
    nd = dsrc.shape[0]
    out = np.zeros((nd, words), np.uint64)
    routable = np.zeros(nd, np.bool_)
    for r in nb.prange(roots.shape[0]):
        dist = np.empty(n, np.float64)
        order = np.empty(n, g[0].dtype)
        ws = workspace(n, g[0].shape[0], g[6], g[0])
        mask = np.zeros((n, words), np.uint64)
        _root_sets(roots[r], g, untrusted, bit, words, dist, order, ws, mask)
        for k in range(dptr[r], dptr[r + 1]):
            s = dsrc[k]
            if dist[s] < np.inf:
                routable[k] = True
                for w in range(words):
                    out[k, w] = mask[s, w]
    return out, routable


def untrusted_sets(
    net: Network, src: IntArray, dst: IntArray
) -> tuple[U64Array, BoolArray, IntArray]:
    """Per demand, the bit set (``uint64`` words) of untrusted nodes on its ECMP paths.

    Returns ``(bits, routable, candidates)``: bit ``j`` stands for node ``candidates[j]`` (the
    untrusted nodes in index order); ``routable`` is False where ``t`` is unreachable.
    """
    cand = np.flatnonzero(net.untrusted).astype(np.int64)
    words = max(1, (cand.shape[0] + 63) // 64)
    bit = np.full(net.n_nodes, -1, dtype=np.int64)
    bit[cand] = np.arange(cand.shape[0])
    order, roots, dptr = grouped_by_root(np.asarray(dst, dtype=np.int64))
    s = np.ascontiguousarray(np.asarray(src, dtype=np.int64)[order])
    untrusted = np.ascontiguousarray(net.untrusted)
    bits, ok = _all_sets(roots, dptr, s, kernel_graph(net), untrusted, bit, words)
    inv = np.empty_like(order)
    inv[order] = np.arange(order.shape[0])
    return bits[inv], ok[inv], cand


@dataclass(frozen=True, eq=False)
class FixedGroups:
    """Demand groups under fixed routing: group ``g`` needs every candidate in
    ``members[g]`` (a boolean row over ``candidates``) and carries ``weight[g]``."""

    candidates: IntArray
    members: BoolArray
    weight: FloatArray
    clean_weight: float
    unroutable_weight: float
    demand_group: IntArray

    @property
    def n_groups(self) -> int:
        return int(self.weight.shape[0])


def _bits_to_bool(bits: U64Array, m: int) -> BoolArray:
    as_bytes = bits.astype("<u8").view(np.uint8).reshape(bits.shape[0], -1)
    return np.unpackbits(as_bytes, axis=1, bitorder="little")[:, :m].astype(np.bool_)


def fixed_groups(net: Network, src: IntArray, dst: IntArray, weight: FloatArray) -> FixedGroups:
    """Group demands by the set of untrusted nodes on their ECMP paths (zero-weight and
    already clean demands are kept out of the groups; ``demand_group`` is -1 for them)."""
    bits, ok, cand = untrusted_sets(net, src, dst)
    w = np.asarray(weight, dtype=np.float64)
    nonempty = bits.any(axis=1)
    use = ok & nonempty & (w > 0)
    clean_w = float(w[ok & ~nonempty].sum())
    unroutable_w = float(w[~ok].sum())
    demand_group = np.full(w.shape[0], -1, dtype=np.int64)
    if not use.any():
        empty = np.zeros((0, cand.shape[0]), dtype=np.bool_)
        return FixedGroups(cand, empty, np.zeros(0), clean_w, unroutable_w, demand_group)
    uniq, inv = np.unique(bits[use], axis=0, return_inverse=True)
    gw = np.zeros(uniq.shape[0])
    np.add.at(gw, inv.ravel(), w[use])
    demand_group[use] = inv.ravel()
    members = _bits_to_bool(uniq, cand.shape[0])
    return FixedGroups(cand, members, gw, clean_w, unroutable_w, demand_group)


@dataclass(frozen=True, eq=False)
class AdaptiveGroups:
    """Demand groups under adaptive routing: group ``g`` is clean when a representative of
    ``src_node[g]`` reaches one of ``dst_node[g]`` over trusted or replaced nodes."""

    candidates: IntArray
    src_node: IntArray
    dst_node: IntArray
    weight: FloatArray
    clean_weight: float
    unroutable_weight: float

    @property
    def n_groups(self) -> int:
        return int(self.weight.shape[0])


def induced_adjacency(net: Network, allowed: BoolArray | None = None) -> csr_matrix:
    """0/1 adjacency of the arcs whose both ends are ``allowed`` (all arcs for None)."""
    tails = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
    keep = np.ones(net.n_arcs, dtype=np.bool_)
    if allowed is not None:
        keep = allowed[tails] & allowed[net.indices]
    data = np.ones(int(keep.sum()), dtype=np.int8)
    return csr_matrix((data, (tails[keep], net.indices[keep])), shape=(net.n_nodes, net.n_nodes))


def clean_pairs(net: Network, allowed: BoolArray, src: IntArray, dst: IntArray) -> BoolArray:
    """Which ``(src[k], dst[k])`` are connected through ``allowed`` nodes only."""
    sub = induced_adjacency(net, allowed)
    out = np.zeros(src.shape[0], dtype=np.bool_)
    ends_ok = allowed[src] & allowed[dst]
    if not net.directed:
        _, lab = connected_components(sub, directed=False)
        out[:] = ends_ok & (lab[src] == lab[dst])
        return out
    for s in np.unique(src[ends_ok]):
        reach = np.zeros(net.n_nodes, dtype=np.bool_)
        reach[breadth_first_order(sub, int(s), directed=True, return_predecessors=False)] = True
        sel = ends_ok & (src == s)
        out[sel] = reach[dst[sel]]
    return out


def adaptive_groups(
    net: Network, src: IntArray, dst: IntArray, weight: FloatArray
) -> AdaptiveGroups:
    """Group demands by the (trusted component or untrusted node) of each end."""
    cand = np.flatnonzero(net.untrusted).astype(np.int64)
    w = np.asarray(weight, dtype=np.float64)
    everything = np.ones(net.n_nodes, dtype=np.bool_)
    ok = clean_pairs(net, everything, src, dst)
    clean_now = clean_pairs(net, ~net.untrusted, src, dst)
    sub = induced_adjacency(net, ~net.untrusted)
    _, lab = connected_components(sub, directed=True, connection="strong")
    key = np.where(net.untrusted, -1 - np.arange(net.n_nodes), lab)
    use = ok & ~clean_now & (w > 0)
    pairs = np.stack([key[src[use]], key[dst[use]]], axis=1)
    if pairs.shape[0] == 0:
        e = np.zeros(0, dtype=np.int64)
        return AdaptiveGroups(cand, e, e, np.zeros(0), float(w[clean_now].sum()),
                              float(w[~ok].sum()))  # fmt: skip
    _, first, inv = np.unique(pairs, axis=0, return_index=True, return_inverse=True)
    gw = np.zeros(first.shape[0])
    np.add.at(gw, inv.ravel(), w[use])
    return AdaptiveGroups(
        cand, src[use][first], dst[use][first], gw,
        float(w[clean_now & ok].sum()), float(w[~ok].sum()),
    )  # fmt: skip
