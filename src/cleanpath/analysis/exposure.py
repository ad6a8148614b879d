"""Exposure: how much traffic crosses untrusted equipment, and whether a clean path exists.

Every demand is routed on shortest paths by IGP weight with ECMP: at every node the traffic
splits equally among the next hops that lie on a shortest path to the destination, as
routers do. For each demand the result gives the share of its volume that meets at least one
untrusted node (its endpoints count), and whether a path exists that avoids every untrusted
node, with its stretch (clean distance / shortest distance). Each node and link gets the
volume and the sensitive volume it carries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from cleanpath.analysis.engines.local import run_local
from cleanpath.errors import AnalysisError
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network

__all__ = ["ENGINES", "ExposureResult", "exposure"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _run_dask(*args: Any, **kwargs: Any) -> Any:
    from cleanpath.analysis.engines.dask import run_dask

    return run_dask(*args, **kwargs)


ENGINES: dict[str, Callable[..., Any]] = {"local": run_local, "dask": _run_dask}
"""Engines by name; ``engine=`` picks one. ``dask`` takes ``scheduler=`` and ``n_workers=``."""


@dataclass(frozen=True, eq=False)
class ExposureResult:
    """Per node, per arc and per demand results of :func:`exposure` (demands in input order).

    ``exposed_share`` is NaN and ``dist`` is inf for unroutable demands; ``clean_dist`` is inf
    where no clean path exists (NaN when clean paths were not computed).
    """

    network: Network
    demands: Demands
    node_volume: FloatArray
    node_sensitive_volume: FloatArray
    arc_volume: FloatArray
    arc_sensitive_volume: FloatArray
    exposed_share: FloatArray
    dist: FloatArray
    clean_dist: FloatArray

    @property
    def routable(self) -> BoolArray:
        return np.isfinite(self.dist)

    @property
    def clean_path_exists(self) -> BoolArray:
        return np.isfinite(self.clean_dist)

    @property
    def stretch(self) -> FloatArray:
        """clean distance / shortest distance; NaN where there is no clean path."""
        with np.errstate(invalid="ignore", divide="ignore"):
            out = self.clean_dist / self.dist
        out[~(self.clean_path_exists & self.routable)] = np.nan
        return out

    @property
    def exposed_volume(self) -> FloatArray:
        return np.where(self.routable, self.exposed_share, 0.0) * self.demands.volume

    @property
    def link_volume(self) -> FloatArray:
        """Volume per physical link (both directions added)."""
        out = np.zeros(self.network.n_links)
        np.add.at(out, self.network.arc_link, self.arc_volume)
        return out

    @property
    def link_sensitive_volume(self) -> FloatArray:
        out = np.zeros(self.network.n_links)
        np.add.at(out, self.network.arc_link, self.arc_sensitive_volume)
        return out

    def worst(self, k: int | None = None, *, sensitive_only: bool = False) -> IntArray:
        """Indices of demands, worst first: unroutable ones (the worst case), then sensitive
        before normal, then by decreasing exposed volume, exposed share and input order.
        ``k=None`` returns all."""
        d = self.demands
        idx = np.arange(len(d.src), dtype=np.int64)
        if sensitive_only:
            idx = idx[d.sensitive]
        unr = ~self.routable[idx]
        share = np.nan_to_num(self.exposed_share[idx], nan=1.0)
        vol = self.exposed_volume[idx]
        keys = (idx, -share, -vol, ~d.sensitive[idx], ~unr)
        ranked = idx[np.lexsort(keys)]
        return ranked if k is None else ranked[:k]

    def summary(self) -> dict[str, float | int]:
        """Totals for reports: volumes, exposed shares and clean-path counts."""
        d = self.demands
        vol, sens = d.volume, d.sensitive
        routable = self.routable
        exp_v = self.exposed_volume
        total = float(vol.sum())
        sens_total = float(vol[sens].sum())
        clean = self.clean_path_exists
        return {
            "nodes": self.network.n_nodes,
            "links": self.network.n_links,
            "untrusted_nodes": int(self.network.untrusted.sum()),
            "demands": len(vol),
            "unroutable": int((~routable).sum()),
            "total_volume": total,
            "exposed_volume": float(exp_v.sum()),
            "exposed_share": float(exp_v.sum() / total) if total > 0 else 0.0,
            "sensitive_flows": int(sens.sum()),
            "sensitive_volume": sens_total,
            "sensitive_exposed_volume": float(exp_v[sens].sum()),
            "sensitive_exposed_share": (
                float(exp_v[sens].sum() / sens_total) if sens_total > 0 else 0.0
            ),
            "sensitive_flows_exposed": int((sens & routable & (self.exposed_share > 0)).sum()),
            "sensitive_flows_clean_path": int((sens & clean).sum()),
            "sensitive_flows_no_clean_path": int((sens & ~clean).sum()),
        }

    def demand_row(self, k: int) -> dict[str, Any]:
        """One demand as a plain dict (node ids as in the input)."""
        net, d = self.network, self.demands
        routable = bool(self.routable[k])
        clean = bool(self.clean_path_exists[k]) and routable
        stretch = float(self.stretch[k]) if clean else None
        return {
            "src": net.node_ids[d.src[k]],
            "dst": net.node_ids[d.dst[k]],
            "volume": float(d.volume[k]),
            "class": "sensitive" if d.sensitive[k] else "normal",
            "routable": routable,
            "exposed_share": float(self.exposed_share[k]) if routable else None,
            "clean_path_exists": clean,
            "stretch": stretch,
        }

    def node_rows(self) -> list[dict[str, Any]]:
        return node_rows(self.network, self.node_volume, self.node_sensitive_volume)


def node_rows(
    net: Network, volume: FloatArray, sensitive_volume: FloatArray
) -> list[dict[str, Any]]:
    """Per node ``{id, label, untrusted, carried_volume, carried_sensitive_volume}`` (the
    ``nodes`` of the audit JSON contract), for either engine's result."""
    return [
        {
            "id": net.node_ids[i],
            "label": net.labels[i],
            "untrusted": bool(net.untrusted[i]),
            "carried_volume": float(volume[i]),
            "carried_sensitive_volume": float(sensitive_volume[i]),
        }
        for i in range(net.n_nodes)
    ]


def exposure(
    net: Network,
    demands: Demands,
    *,
    clean_paths: bool = True,
    engine: Literal["local", "dask"] | str = "local",
    progress: Callable[[int, int], None] | None = None,
    **engine_options: Any,
) -> ExposureResult:
    """Route ``demands`` on ECMP shortest paths of ``net`` and measure exposure.

    ``engine`` picks the implementation (see :data:`ENGINES`); ``progress(done, total)`` is
    called as destinations finish. All-pairs demands are materialised here.

    >>> from cleanpath.domain import NodeRecord, LinkRecord, Topology
    >>> from cleanpath.model.network import build_network
    >>> t = Topology("sq", tuple(NodeRecord(x, x) for x in "abcd"), (
    ...     LinkRecord("1", "a", "b"), LinkRecord("2", "b", "d"),
    ...     LinkRecord("3", "a", "c"), LinkRecord("4", "c", "d")))
    >>> net = build_network(t, untrusted=["b"])
    >>> r = exposure(net, Demands.from_arrays(net, [0], [3], [10.0]))
    >>> float(r.exposed_share[0]), bool(r.clean_path_exists[0]), float(r.stretch[0])
    (0.5, True, 1.0)
    >>> [float(x) for x in r.node_volume]
    [10.0, 5.0, 5.0, 10.0]
    """
    try:
        run = ENGINES[engine]
    except KeyError:
        raise AnalysisError(
            f"unknown engine {engine!r}; known: {', '.join(sorted(ENGINES))}", field="engine"
        ) from None
    if net.n_nodes == 0:
        raise AnalysisError("the network is empty")
    dem = demands.materialize()
    if dem.n_nodes != net.n_nodes:
        raise AnalysisError("demands were built for a different network")
    try:
        order, raw = run(
            net, dem.src, dem.dst, dem.volume, dem.sensitive,
            clean_paths=clean_paths, progress=progress, **engine_options,
        )  # fmt: skip
    except TypeError as exc:
        if engine_options and "unexpected keyword" in str(exc):
            raise AnalysisError(f"engine {engine!r}: {exc}", field="engine") from None
        raise
    inv = np.empty_like(order)
    inv[order] = np.arange(order.shape[0])
    return ExposureResult(
        network=net,
        demands=dem,
        node_volume=raw.node_volume,
        node_sensitive_volume=raw.node_sensitive_volume,
        arc_volume=raw.arc_volume,
        arc_sensitive_volume=raw.arc_sensitive_volume,
        exposed_share=raw.exposed_share[inv],
        dist=raw.dist[inv],
        clean_dist=raw.clean_dist[inv],
    )
