"""The local engine: numba kernels over a fixed partition of roots (thread-count independent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cleanpath.analysis.engines import _kernels
from cleanpath.errors import AnalysisError
from cleanpath.model.network import Network

__all__ = [
    "N_CHUNKS", "RawExposure", "grouped_by_root", "kernel_graph", "reverse_csr", "run_local",
]  # fmt: skip

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

N_CHUNKS = 64
"""Roots are cut into this many chunks whatever the number of threads or workers."""
BATCH = 8
"""Chunks handed to the compiled code per call (progress is reported between calls)."""
SMALL_WORK = 20_000_000
"""Runs with at most this many root x (node + arc) steps go to the compiled code in one call:
each parallel call costs thread wake-up and a barrier, which dominates small runs."""


def local_batch(net: Network, n_roots: int) -> int:
    """Chunks per compiled call for the local engine (the chunking itself never changes, so
    neither do the results)."""
    return N_CHUNKS if n_roots * (net.n_nodes + net.n_arcs) <= SMALL_WORK else BATCH


@dataclass(frozen=True, eq=False)
class RawExposure:
    """Engine output, demands in the engine's (root-grouped) order."""

    node_volume: FloatArray
    node_sensitive_volume: FloatArray
    arc_volume: FloatArray
    arc_sensitive_volume: FloatArray
    exposed_share: FloatArray
    dist: FloatArray
    clean_dist: FloatArray


def reverse_csr(net: Network) -> tuple[IntArray, IntArray, IntArray]:
    """CSR of incoming arcs: for node u, ``rsrc[k]`` is the tail of arc ``rarc[k]`` into u."""
    n = net.n_nodes
    tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(net.indptr))
    perm = np.argsort(net.indices, kind="stable").astype(np.int64)
    rptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(rptr, net.indices + 1, 1)
    np.cumsum(rptr, out=rptr)
    return rptr, tails[perm], perm


def grouped_by_root(
    dst: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """Stable order of demands by destination: (order, roots, dptr)."""
    order = np.argsort(dst, kind="stable").astype(np.int64)
    sd = dst[order]
    roots, starts = np.unique(sd, return_index=True)
    dptr = np.append(starts, sd.shape[0]).astype(np.int64)
    return order, roots.astype(np.int64), dptr


def chunk_bounds(n_roots: int, dptr: IntArray, n_chunks: int = N_CHUNKS) -> IntArray:
    """Cut roots into at most ``n_chunks`` runs of about equal demand count."""
    k = max(1, min(n_chunks, n_roots))
    if n_roots == 0:
        return np.zeros(1, dtype=np.int64)
    targets = np.linspace(0, dptr[-1], k + 1)[1:-1]
    cuts = np.searchsorted(dptr[1:], targets, side="left") + 1
    bounds = np.unique(np.concatenate([[0], np.clip(cuts, 1, n_roots), [n_roots]]))
    return bounds.astype(np.int64)


MAX_BUCKETS = 1 << 16
"""Integer weights up to this use the bucket queue; larger or real weights use a heap."""


def integer_weights(net: Network, *, use_dial: bool | None = None) -> tuple[IntArray, int]:
    """(integer weights, number of buckets) for Dial's queue, or (dummy, 0) for the heap.
    The bucket count is a power of two above the largest weight (a ring indexed by a mask)."""
    w = net.weight
    ok = net.integer_weights and (w.size == 0 or float(w.max()) < MAX_BUCKETS)
    if use_dial is False or not ok:
        return np.zeros(1, dtype=np.int64), 0
    top = int(w.max()) + 1 if w.size else 1
    return w.astype(np.int64), 1 << (top - 1).bit_length()


def kernel_graph(net: Network, *, use_dial: bool | None = None) -> tuple[Any, ...]:
    """The graph tuple the kernels take (see ``_kernels``): forward heads, reversed CSR with
    per-entry weights, bucket count; int32 indices (half the memory traffic of int64)."""
    if net.n_arcs + net.n_nodes >= 2**31 - 1:
        raise AnalysisError(f"network too large for the engine: {net.n_arcs} arcs")
    rptr, rsrc, rarc = reverse_csr(net)
    iweight, nbuckets = integer_weights(net, use_dial=use_dial)
    i32 = np.int32
    riw = iweight[rarc] if nbuckets else iweight
    rw = np.ascontiguousarray(net.weight[rarc], dtype=np.float64)
    return (net.indices.astype(i32), rptr.astype(i32), rsrc.astype(i32), rarc.astype(i32),
            rw, riw, nbuckets)  # fmt: skip


@dataclass(frozen=True, eq=False)
class ExplicitPlan:
    """Demands grouped by destination and cut into fixed chunks (shared by all engines)."""

    order: IntArray
    roots: IntArray
    dptr: IntArray
    src: IntArray
    volume: FloatArray
    sensitive: BoolArray
    bounds: IntArray

    @property
    def n_chunks(self) -> int:
        return int(self.bounds.shape[0]) - 1

    @property
    def n_roots(self) -> int:
        return int(self.roots.shape[0])


def plan_explicit(
    net: Network, src: IntArray, dst: IntArray, volume: FloatArray, sensitive: BoolArray
) -> ExplicitPlan:
    order, roots, dptr = grouped_by_root(dst)
    bounds = chunk_bounds(roots.shape[0], dptr)
    return ExplicitPlan(order, roots, dptr, src[order], volume[order], sensitive[order], bounds)


def explicit_batch(
    net: Network,
    plan: ExplicitPlan,
    b0: int,
    clean_paths: bool,
    *,
    batch: int = BATCH,
    g: tuple[Any, ...] | None = None,
) -> tuple[int, tuple[npt.NDArray[Any], ...]]:
    """Per-chunk partials of chunks ``b0:b0+batch``; returns (roots done, partials). ``g``:
    the :func:`kernel_graph` of ``net`` when the caller has it."""
    b1 = min(plan.n_chunks, b0 + batch)
    bounds, dptr = plan.bounds, plan.dptr
    r0, r1 = int(bounds[b0]), int(bounds[b1])
    d0, d1 = int(dptr[r0]), int(dptr[r1])
    node, arc, out = _kernels.run_explicit(
        bounds[b0 : b1 + 1] - r0, plan.roots[r0:r1], dptr[r0 : r1 + 1] - d0,
        plan.src[d0:d1], plan.volume[d0:d1], plan.sensitive[d0:d1],
        kernel_graph(net) if g is None else g, np.ascontiguousarray(net.untrusted), clean_paths,
    )  # fmt: skip
    res = (node[..., 0], node[..., 1], arc[..., 0], arc[..., 1], out[0], out[1], out[2])
    return r1, tuple(res)


def reduce_explicit(
    net: Network, plan: ExplicitPlan, parts: list[tuple[int, tuple[npt.NDArray[Any], ...]]]
) -> tuple[IntArray, RawExposure]:
    """Fold batch partials in chunk order (bit-identical whatever ran them)."""
    n, m, nd = net.n_nodes, net.n_arcs, plan.src.shape[0]
    acc = [np.zeros(n), np.zeros(n), np.zeros(m), np.zeros(m)]
    per = [np.empty(nd), np.empty(nd), np.empty(nd)]
    d0 = 0
    for _, res in parts:
        for part, a in zip(res[:4], acc, strict=True):
            for row in part:
                a += row
        d1 = d0 + res[4].shape[0]
        for out, part in zip(per, res[4:], strict=True):
            out[d0:d1] = part
        d0 = d1
    return plan.order, RawExposure(*acc, *per)


def run_local(
    net: Network,
    src: IntArray,
    dst: IntArray,
    volume: FloatArray,
    sensitive: BoolArray,
    *,
    clean_paths: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[IntArray, RawExposure]:
    """Run the kernels; returns (order, raw) with raw per-demand arrays in ``order``."""
    plan = plan_explicit(net, src, dst, volume, sensitive)
    parts = []
    batch, g = local_batch(net, plan.n_roots), kernel_graph(net)
    for b0 in range(0, plan.n_chunks, batch):
        parts.append(explicit_batch(net, plan, b0, clean_paths, batch=batch, g=g))
        if progress is not None:
            progress(parts[-1][0], plan.n_roots)
    return reduce_explicit(net, plan, parts)


LOCALITY_MIN_NODES = 2000
"""From this size on, the all-pairs engine renumbers nodes (reverse Cuthill-McKee) so that
neighbours sit close in memory; results are mapped back, so callers never see it."""


def locality_order(net: Network) -> IntArray | None:
    """A bandwidth-reducing node order (RCM), or None for small networks."""
    if net.n_nodes < LOCALITY_MIN_NODES:
        return None
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    n = net.n_nodes
    a = csr_matrix((np.ones(net.n_arcs), net.indices, net.indptr), shape=(n, n))
    return np.asarray(reverse_cuthill_mckee(a, symmetric_mode=False), dtype=np.int64)


def permuted(net: Network, perm: IntArray) -> tuple[Network, IntArray]:
    """``net`` with node ``k`` = old node ``perm[k]``; returns it and, per new arc, its old
    arc index (arcs keep their order within a node)."""
    from dataclasses import replace

    n, m = net.n_nodes, net.n_arcs
    pos = np.empty(n, dtype=np.int64)
    pos[perm] = np.arange(n, dtype=np.int64)
    deg = np.diff(net.indptr)[perm]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(deg, out=indptr[1:])
    arc_perm = np.repeat(net.indptr[perm] - indptr[:-1], deg) + np.arange(m, dtype=np.int64)
    new = replace(
        net,
        node_ids=tuple(net.node_ids[i] for i in perm), labels=tuple(net.labels[i] for i in perm),
        lat=net.lat[perm], lon=net.lon[perm], external=net.external[perm],
        hyperedge=net.hyperedge[perm], indptr=indptr, indices=pos[net.indices[arc_perm]],
        weight=net.weight[arc_perm], capacity=net.capacity[arc_perm],
        length=net.length[arc_perm], arc_link=net.arc_link[arc_perm],
        untrusted=net.untrusted[perm].copy(), _index={},
    )  # fmt: skip
    return new, arc_perm
