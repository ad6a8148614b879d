"""Shared helpers of the exposure tests: build cases, run engine and reference, compare."""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import numpy as np

from cleanpath.analysis.exposure import ExposureResult, exposure
from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network, build_network

from .nx_reference import Demand, ReferenceResult, merged_digraph, reference_exposure

RTOL = 1e-9
RESULT_FIELDS = (
    "exposed_share",
    "dist",
    "clean_dist",
    "node_volume",
    "node_sensitive_volume",
    "arc_volume",
    "arc_sensitive_volume",
)
"""The array outputs of an ExposureResult."""


def assert_identical(a: ExposureResult, b: ExposureResult) -> None:
    """Bit-identical outputs (NaN equals NaN)."""
    for name in RESULT_FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def topo(
    nodes: Sequence[str] | str,
    links: Sequence[tuple[str, str] | tuple[str, str, float] | tuple[str, str, float, float]],
    *,
    directed: bool = False,
    name: str = "t",
) -> Topology:
    """A Topology from node ids and ``(src, dst[, weight[, capacity]])`` tuples."""
    recs = []
    for k, lk in enumerate(links):
        w = float(lk[2]) if len(lk) > 2 else 1.0  # type: ignore[misc]
        cap = float(lk[3]) if len(lk) > 3 else None  # type: ignore[misc]
        recs.append(LinkRecord(f"l{k}", lk[0], lk[1], capacity=cap, weight=w))
    return Topology(name, tuple(NodeRecord(x, x) for x in nodes), tuple(recs), directed=directed)


def reference_graph(t: Topology) -> nx.DiGraph:
    """The routing graph of ``t`` built straight from its records (not from the engine's
    model): weights as given, 1 where absent, parallel links merged."""
    links = [
        (lk.src, lk.dst, 1.0 if lk.weight is None else float(lk.weight), lk.directed or t.directed)
        for lk in t.links
    ]
    return merged_digraph([n.id for n in t.nodes], links)


def demand_tuples(net: Network, dem: Demands) -> list[Demand]:
    d = dem.materialize()
    ids = net.node_ids
    return [
        (ids[s], ids[t], float(v), bool(x))
        for s, t, v, x in zip(d.src, d.dst, d.volume, d.sensitive, strict=True)
    ]


def ref_stretch(ref: ReferenceResult) -> np.ndarray:
    out = np.full(len(ref.dist), np.nan)
    for k, (d, c) in enumerate(zip(ref.dist, ref.clean_dist, strict=True)):
        if math.isfinite(d) and math.isfinite(c):
            out[k] = c / d
    return out


def assert_matches(res: ExposureResult, ref: ReferenceResult, *, label: str = "") -> None:
    """Engine == reference to 1e-9 relative on every per-demand, node and arc output."""
    net = res.network
    scale = max(1.0, float(np.abs(res.demands.volume).sum()))
    atol_v = 1e-12 * scale

    def close(actual: object, desired: object, what: str, atol: float) -> None:
        np.testing.assert_allclose(
            actual, desired, rtol=RTOL, atol=atol, err_msg=f"{label}: {what}"
        )

    close(res.exposed_share, ref.exposed_share, "exposed_share", 1e-12)
    close(res.dist, ref.dist, "dist", 0.0)
    close(res.clean_dist, ref.clean_dist, "clean_dist", 0.0)
    np.testing.assert_array_equal(
        res.clean_path_exists, np.isfinite(ref.clean_dist), err_msg=f"{label}: clean path"
    )
    close(res.stretch, ref_stretch(ref), "stretch", 0.0)
    ids = net.node_ids
    tails = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
    arcs = [(ids[u], ids[v]) for u, v in zip(tails, net.indices, strict=True)]
    assert set(ref.arc_volume) <= set(arcs), f"{label}: reference uses arcs the engine lacks"
    for name, keys in (
        ("node_volume", ids),
        ("node_sensitive_volume", ids),
        ("arc_volume", arcs),
        ("arc_sensitive_volume", arcs),
    ):
        want = getattr(ref, name)
        close(getattr(res, name), [want.get(k, 0.0) for k in keys], name, atol_v)


def check_case(
    t: Topology, untrusted: Sequence[str], dem: Demands | None = None, *, label: str = ""
) -> tuple[ExposureResult, ReferenceResult]:
    """Build the network, run engine and reference on ``dem`` (all pairs when None)."""
    net = build_network(t, untrusted=untrusted)
    dem = Demands.all_pairs_of(net) if dem is None else dem
    res = exposure(net, dem)
    ref = reference_exposure(reference_graph(t), untrusted, demand_tuples(net, dem))
    assert_matches(res, ref, label=label or t.name)
    return res, ref
