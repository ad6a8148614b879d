"""All-pairs exposure without an N x N matrix: per-destination results are streamed and folded
into totals, a histogram of exposed shares and the top-k worst demands.

One demand of ``volume`` for every ordered pair of distinct nodes; a pair is sensitive when
either end is a sensitive node. The worst demands are re-evaluated exactly with
:func:`~cleanpath.analysis.exposure.exposure`, so their rows equal the explicit engine's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cleanpath.analysis.engines import _kernels
from cleanpath.analysis.engines.local import (
    N_CHUNKS,
    chunk_bounds,
    kernel_graph,
    local_batch,
    locality_order,
    permuted,
)
from cleanpath.analysis.exposure import ExposureResult, exposure, node_rows
from cleanpath.errors import AnalysisError
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network

__all__ = ["AllPairsExposure", "exposure_all_pairs", "run_all_pairs_local"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

HIST_EDGES = "bin 0: share == 0; bins 1..18: (0, 1) in 18 equal parts; bin 19: share == 1"


@dataclass(frozen=True, eq=False)
class AllPairsExposure:
    """Aggregated all-pairs results (see module docstring)."""

    network: Network
    volume: float | FloatArray
    sensitive_nodes: BoolArray
    node_volume: FloatArray
    node_sensitive_volume: FloatArray
    arc_volume: FloatArray
    arc_sensitive_volume: FloatArray
    stats: dict[str, float]
    histogram: IntArray
    top: ExposureResult

    def summary(self) -> dict[str, float | int]:
        st = self.stats
        n = self.network.n_nodes
        k = int(self.sensitive_nodes.sum())
        if isinstance(self.volume, np.ndarray):  # dense matrix: its positive entries
            pairs, sens_pairs = int(st["pairs"]), int(st["sensitive_pairs"])
            total, sens_vol = st["total_volume"], st["sensitive_volume"]
        else:
            pairs = n * (n - 1)
            sens_pairs = pairs - (n - k) * (n - k - 1)
            total = pairs * self.volume
            sens_vol = sens_pairs * self.volume
        return {
            "nodes": n,
            "links": self.network.n_links,
            "untrusted_nodes": int(self.network.untrusted.sum()),
            "demands": pairs,
            "unroutable": int(st["unroutable"]),
            "total_volume": total,
            "exposed_volume": st["exposed_volume"],
            "exposed_share": st["exposed_volume"] / total if total else 0.0,
            "sensitive_flows": sens_pairs,
            "sensitive_volume": sens_vol,
            "sensitive_exposed_volume": st["sensitive_exposed_volume"],
            "sensitive_exposed_share": (
                st["sensitive_exposed_volume"] / sens_vol if sens_vol else 0.0
            ),
            "sensitive_flows_exposed": int(st["sensitive_exposed_pairs"]),
            "sensitive_flows_clean_path": int(st["sensitive_clean_pairs"]),
            "sensitive_flows_no_clean_path": sens_pairs - int(st["sensitive_clean_pairs"]),
            "pairs_clean_path": int(st["clean_pairs"]),
            "mean_stretch": st["stretch_sum"] / st["clean_pairs"] if st["clean_pairs"] else 0.0,
        }

    def demand_set(self) -> Demands:
        """The implicit demand set these results are for (one volume, or the matrix)."""
        if isinstance(self.volume, np.ndarray):
            return Demands.from_matrix(
                self.network, self.volume, sensitive_nodes=self.sensitive_nodes
            )
        return Demands.all_pairs_of(
            self.network, volume=self.volume, sensitive_nodes=self.sensitive_nodes
        )

    # The explicit result's interface, over the retained worst demands only.
    @property
    def demands(self) -> Demands:
        return self.top.demands

    def worst(self, k: int | None = None, *, sensitive_only: bool = False) -> IntArray:
        """Indices into :attr:`demands` (the retained worst demands), worst first."""
        return self.top.worst(k, sensitive_only=sensitive_only)

    def demand_row(self, k: int) -> dict[str, Any]:
        return self.top.demand_row(k)

    def node_rows(self) -> list[dict[str, Any]]:
        return node_rows(self.network, self.node_volume, self.node_sensitive_volume)


_STAT_NAMES = (
    "pairs", "unroutable", "exposed_volume", "routable_sensitive_pairs",
    "routable_sensitive_volume",
    "sensitive_exposed_volume", "clean_pairs", "sensitive_clean_pairs", "sensitive_exposed_pairs",
    "stretch_sum", "total_volume", "sensitive_pairs", "sensitive_volume",
)  # fmt: skip


def plan_chunks(net: Network, roots: IntArray) -> IntArray:
    """Chunk bounds over ``roots``: fixed by the root count alone, never by threads/workers."""
    dptr = np.arange(roots.shape[0] + 1, dtype=np.int64)
    return chunk_bounds(roots.shape[0], dptr, N_CHUNKS)


def all_pairs_batch(
    net: Network,
    roots: IntArray,
    bounds: IntArray,
    b0: int,
    b1: int,
    *,
    volume: float | FloatArray,
    sensitive_nodes: BoolArray,
    clean_paths: bool,
    top_k: int,
    label: IntArray | None = None,
    g: tuple[Any, ...] | None = None,
) -> tuple[npt.NDArray[Any], ...]:
    """Per-chunk partials of chunks ``b0:b1`` (a unit of work for any engine). ``label``
    gives each node's index in the caller's numbering (top-k pairs are named by it); ``g``
    is the :func:`kernel_graph` of ``net`` when the caller has it."""
    if label is None:
        label = np.arange(net.n_nodes, dtype=np.int64)
    r0, r1 = int(bounds[b0]), int(bounds[b1])
    if isinstance(volume, np.ndarray):
        vol, vmat = 0.0, volume
    else:
        vol, vmat = float(volume), np.empty((0, 0))
    node, arc, *rest = _kernels.run_all_pairs(
        bounds[b0 : b1 + 1] - r0, roots[r0:r1], vol, vmat, sensitive_nodes, label,
        kernel_graph(net) if g is None else g, np.ascontiguousarray(net.untrusted), clean_paths,
        top_k,
    )  # fmt: skip
    return (node[..., 0], node[..., 1], arc[..., 0], arc[..., 1], *rest)


class Folder:
    """Adds per-chunk partials in chunk order, so every engine gets bit-identical sums."""

    def __init__(self, n: int, m: int) -> None:
        self.acc = [np.zeros(n), np.zeros(n), np.zeros(m), np.zeros(m), np.zeros(_kernels.N_STATS),
                    np.zeros(_kernels.N_HIST, np.int64)]  # fmt: skip
        self.keys: list[FloatArray] = []
        self.idxs: list[IntArray] = []

    def add(self, res: tuple[npt.NDArray[Any], ...]) -> None:
        for part, a in zip(res[:6], self.acc, strict=True):
            for row in part:
                a += row
        self.keys.append(res[6].ravel())
        self.idxs.append(res[7].ravel())

    def result(self) -> tuple[npt.NDArray[Any], ...]:
        return (*self.acc, np.concatenate(self.keys), np.concatenate(self.idxs))


def run_all_pairs_local(
    net: Network,
    roots: IntArray,
    *,
    volume: float | FloatArray,
    sensitive_nodes: BoolArray,
    clean_paths: bool,
    top_k: int,
    progress: Callable[[int, int], None] | None = None,
    label: IntArray | None = None,
) -> tuple[npt.NDArray[Any], ...]:
    """Run the all-pairs kernel for destinations ``roots``; returns summed partials
    (node_vol, node_sens, arc_vol, arc_sens, stats, hist, topkey, topidx)."""
    bounds = plan_chunks(net, roots)
    folder = Folder(net.n_nodes, net.n_arcs)
    n_chunks = bounds.shape[0] - 1
    batch, g = local_batch(net, int(roots.shape[0])), kernel_graph(net)
    for b0 in range(0, n_chunks, batch):
        b1 = min(n_chunks, b0 + batch)
        folder.add(all_pairs_batch(net, roots, bounds, b0, b1, volume=volume,
                                   sensitive_nodes=sensitive_nodes, clean_paths=clean_paths,
                                   top_k=top_k, label=label, g=g))  # fmt: skip
        if progress is not None:
            progress(int(bounds[b1]), int(roots.shape[0]))
    return folder.result()


def _unpermute(values: FloatArray, perm: IntArray) -> FloatArray:
    out = np.empty_like(values)
    out[perm] = values
    return out


def _checked_volume(volume: float | FloatArray, n: int) -> float | FloatArray:
    if not isinstance(volume, np.ndarray):
        if not (np.isfinite(volume) and volume >= 0):
            raise AnalysisError("volume must be finite and >= 0", field="volume")
        return float(volume)
    if volume.shape != (n, n):
        raise AnalysisError(f"volume matrix has shape {volume.shape}, need ({n}, {n})",
                            field="volume")  # fmt: skip
    mat = np.asarray(volume, dtype=np.float64)
    if not np.isfinite(mat).all() or (mat < 0).any():
        raise AnalysisError("volume matrix entries must be finite and >= 0", field="volume")
    return mat


def select_top(key: FloatArray, idx: IntArray, k: int) -> IntArray:
    """The k best (key desc, then pair index asc) among chunk candidates."""
    ok = key >= 0
    key, idx = key[ok], idx[ok]
    order = np.lexsort((idx, -key))
    return idx[order][:k]


def exposure_all_pairs(
    net: Network,
    *,
    volume: float | FloatArray = 1.0,
    sensitive_nodes: BoolArray | None = None,
    top_k: int = 100,
    clean_paths: bool = True,
    engine: str = "local",
    progress: Callable[[int, int], None] | None = None,
    **engine_options: Any,
) -> AllPairsExposure:
    """All-pairs exposure, streamed (memory O(nodes + links), not O(nodes²)).

    ``volume`` is one volume for every ordered pair, or a dense N x N matrix whose positive
    off-diagonal entries ``volume[s, t]`` are the demands (row = source, column = destination;
    it is read in place, never copied)."""
    if net.n_nodes < 2:
        raise AnalysisError("all-pairs exposure needs at least two nodes")
    volume = _checked_volume(volume, net.n_nodes)
    sens = np.zeros(net.n_nodes, np.bool_)
    if sensitive_nodes is not None:
        sens = np.asarray(sensitive_nodes, dtype=np.bool_).copy()
    if sens.shape != (net.n_nodes,):
        raise AnalysisError(
            f"sensitive_nodes has shape {sens.shape}, need ({net.n_nodes},)",
            field="sensitive_nodes",
        )
    roots = np.arange(net.n_nodes, dtype=np.int64)
    perm = locality_order(net)
    work, arc_perm, label = net, None, None
    if perm is not None:  # renumbered for memory locality; top-k pairs keep our numbering
        work, arc_perm = permuted(net, perm)
        label = perm
    opts = {
        "volume": volume,
        "sensitive_nodes": sens if perm is None else sens[perm],
        "clean_paths": clean_paths,
        "top_k": top_k,
        "progress": progress,
        "label": label,
    }
    if engine == "local":
        parts = run_all_pairs_local(work, roots, **opts)  # type: ignore[arg-type]
    elif engine == "dask":
        from cleanpath.analysis.engines.dask import run_all_pairs_dask

        parts = run_all_pairs_dask(work, roots, **opts, **engine_options)  # type: ignore[arg-type]
    else:
        raise AnalysisError(f"unknown engine {engine!r}; known: dask, local", field="engine")
    node_v, node_s, arc_v, arc_s, stats, hist, key, idx = parts
    if perm is not None and arc_perm is not None:
        node_v, node_s = _unpermute(node_v, perm), _unpermute(node_s, perm)
        arc_v, arc_s = _unpermute(arc_v, arc_perm), _unpermute(arc_s, arc_perm)
    top_pairs = select_top(key, idx, top_k)
    n = net.n_nodes
    src, dst = top_pairs // n, top_pairs % n
    sens_d = sens[src] | sens[dst]
    vol = volume[src, dst] if isinstance(volume, np.ndarray) else np.full(src.shape, volume)
    top = exposure(net, Demands.from_arrays(net, src, dst, vol, sens_d), clean_paths=clean_paths)
    return AllPairsExposure(
        network=net, volume=volume, sensitive_nodes=sens, node_volume=node_v,
        node_sensitive_volume=node_s, arc_volume=arc_v, arc_sensitive_volume=arc_s,
        stats=dict(zip(_STAT_NAMES, (float(x) for x in stats), strict=True)),
        histogram=hist.astype(np.int64), top=top,
    )  # fmt: skip
