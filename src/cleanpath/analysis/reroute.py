"""Clean-path rerouting within link capacity: which sensitive traffic can avoid every
untrusted node *today*, by routing alone, without overloading links.

Sensitive demands may use only trusted nodes (their ends included); normal demands any node.
The multicommodity-flow LP (:mod:`~cleanpath.analysis.reroute_lp`) minimises the maximum link
utilisation (or the total IGP cost); when even the best routing overloads a link, capacities
are kept hard and the unserved sensitive volume is minimised. Each sensitive demand then gets
its clean paths with their flow split, or the reason it has none:

* ``no_clean_path``: an end is untrusted or every path crosses an untrusted node; the
  untrusted nodes that separate it are named. Such a demand is routed as normal traffic (it
  still exists) and is *not* part of the clean routing.
* ``insufficient_capacity``: part of it cannot fit; the saturated links that separate its
  ends in the trusted network at the optimum are named (its bottleneck cut).

>>> from cleanpath.domain import NodeRecord, LinkRecord, Topology
>>> from cleanpath.model.network import build_network
>>> from cleanpath.model.demands import Demands
>>> t = Topology("sq", tuple(NodeRecord(x, x) for x in "abcd"), (
...     LinkRecord("ab", "a", "b", capacity=10), LinkRecord("bd", "b", "d", capacity=10),
...     LinkRecord("ac", "a", "c", capacity=4), LinkRecord("cd", "c", "d", capacity=4)))
>>> net = build_network(t, untrusted=["b"])
>>> r = reroute(net, Demands.from_arrays(net, [0], [3], [6.0], [True]))
>>> d = r.sensitive[0]
>>> d.status, d.routed, d.bottleneck, d.paths
('insufficient_capacity', 4.0, ('ac',), ((('a', 'c', 'd'), 4.0),))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import connected_components

from cleanpath.analysis.exposure import exposure
from cleanpath.analysis.planner_groups import clean_pairs, induced_adjacency
from cleanpath.analysis.reroute_lp import Commodities, FlowSolution, solve_arc, solve_path
from cleanpath.errors import AnalysisError
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network

__all__ = ["ARC_LIMIT", "RerouteResult", "SensitiveRouting", "reroute"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ARC_LIMIT = 400_000
"""``method="auto"`` uses the arc formulation up to this many flow variables."""


@dataclass(frozen=True)
class SensitiveRouting:
    """The clean routing of one sensitive demand (node ids as in the input)."""

    demand: int
    src: str
    dst: str
    volume: float
    routed: float
    status: Literal["clean", "no_clean_path", "insufficient_capacity"]
    reason: str
    paths: tuple[tuple[tuple[str, ...], float], ...]
    bottleneck: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"demand": self.demand, "src": self.src, "dst": self.dst, "volume": self.volume,
                "routed": self.routed, "status": self.status, "reason": self.reason,
                "paths": [{"nodes": list(p), "flow": f} for p, f in self.paths],
                "bottleneck": list(self.bottleneck)}  # fmt: skip


@dataclass(frozen=True, eq=False)
class RerouteResult:
    """Utilisation before (ECMP shortest paths) and after, per link (the larger direction),
    and the clean routing of every sensitive demand."""

    network: Network
    method: str
    objective: str
    stage: str
    link_util_before: FloatArray
    link_util_after: FloatArray
    arc_load_after: FloatArray
    sensitive_arc_load: FloatArray
    sensitive: tuple[SensitiveRouting, ...]
    normal_unserved: float
    iterations: int

    @property
    def max_util_before(self) -> float:
        return float(self.link_util_before.max(initial=0.0))

    @property
    def max_util_after(self) -> float:
        return float(self.link_util_after.max(initial=0.0))

    def summary(self) -> dict[str, Any]:
        st = [s.status for s in self.sensitive]
        vol = sum(s.volume for s in self.sensitive)
        return {"method": self.method, "objective": self.objective, "stage": self.stage,
                "max_utilisation_before": self.max_util_before,
                "max_utilisation_after": self.max_util_after,
                "sensitive_demands": len(st), "clean": st.count("clean"),
                "no_clean_path": st.count("no_clean_path"),
                "insufficient_capacity": st.count("insufficient_capacity"),
                "sensitive_volume": vol,
                "sensitive_routed_clean": sum(s.routed for s in self.sensitive),
                "normal_unserved": self.normal_unserved}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        net = self.network
        links = [{"link": net.link_ids[k], "before": float(b), "after": float(a)}
                 for k, (b, a) in enumerate(zip(self.link_util_before, self.link_util_after,
                                                strict=True))]  # fmt: skip
        return {"network": net.name, "summary": self.summary(), "links": links,
                "sensitive": [s.to_dict() for s in self.sensitive]}  # fmt: skip


def _link_util(net: Network, arc_load: FloatArray, cap: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.where(np.isfinite(cap), arc_load / cap, 0.0)
    u = np.nan_to_num(u, nan=0.0, posinf=np.inf)
    out = np.zeros(net.n_links)
    np.maximum.at(out, net.arc_link, u)
    return out


@dataclass(frozen=True)
class _Borders:
    """The network's arcs both ways and its trusted components, built once per result."""

    out: Any
    into: Any
    component: npt.NDArray[np.int32]

    @classmethod
    def of(cls, net: Network) -> _Borders:
        adj = induced_adjacency(net)
        sub = induced_adjacency(net, ~net.untrusted)
        _, lab = connected_components(sub, directed=True, connection="weak")
        return cls(adj, adj.T.tocsr(), lab)


def _separators(net: Network, s: int, t: int, b: _Borders) -> tuple[tuple[str, ...], bool]:
    """The untrusted nodes between the ends (or the untrusted end itself), and whether
    replacing any one of them alone opens a trusted path: the untrusted nodes next to both
    ends' trusted components when there are such (the same answer in both directions), else
    every untrusted node next to either component (a deeper untrusted layer lies between)."""
    for end in (s, t):
        if net.untrusted[end]:
            return (net.node_ids[end],), False
    lab = b.component
    after_s = set(b.out[np.flatnonzero(lab == lab[s])].indices.tolist())
    before_t = set(b.into[np.flatnonzero(lab == lab[t])].indices.tolist())
    both = {v for v in after_s & before_t if net.untrusted[v]}
    chosen = both or {v for v in after_s | before_t if net.untrusted[v]}
    return tuple(net.node_ids[v] for v in sorted(chosen)), bool(both)


def _bottleneck(net: Network, s: int, load: FloatArray, cap: FloatArray) -> tuple[str, ...]:
    """Saturated trusted links leaving the set reachable from ``s`` over trusted arcs with
    spare capacity."""
    tails = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
    trusted = ~(net.untrusted[tails] | net.untrusted[net.indices])
    spare = trusted & (load < cap * (1 - 1e-7) - 1e-9)
    reach = np.zeros(net.n_nodes, dtype=np.bool_)
    reach[s] = True
    stack = [s]
    while stack:
        u = stack.pop()
        for a in range(int(net.indptr[u]), int(net.indptr[u + 1])):
            v = int(net.indices[a])
            if spare[a] and not reach[v]:
                reach[v] = True
                stack.append(v)
    cut = trusted & reach[tails] & ~reach[net.indices]
    return tuple(sorted({net.link_ids[net.arc_link[a]] for a in np.flatnonzero(cut)}))


def _commodities(net: Network, dem: Demands) -> tuple[Commodities, BoolArray, BoolArray]:
    """All routable demands as commodities; sensitive ones without a clean path become
    normal. Returns (commodities, routable mask, clean-possible mask) over demands."""
    everything = np.ones(net.n_nodes, dtype=np.bool_)
    routable = clean_pairs(net, everything, dem.src, dem.dst)
    clean_ok = clean_pairs(net, ~net.untrusted, dem.src, dem.dst)
    use = routable & (dem.volume > 0)
    sens = dem.sensitive & clean_ok
    return Commodities(dem.src[use], dem.dst[use], dem.volume[use], sens[use]), use, clean_ok


def reroute(
    net: Network,
    demands: Demands,
    *,
    capacity: FloatArray | None = None,
    objective: Literal["max-utilisation", "igp-cost"] = "max-utilisation",
    method: Literal["auto", "arc", "path"] = "auto",
    time_limit: float = 60.0,
) -> RerouteResult:
    """Route sensitive demands on trusted nodes only, within link capacities.

    ``capacity`` per link (``net.link_ids`` order) overrides the network's (``inf``: none);
    each direction of a link has the full capacity. ``method``: ``arc``, ``path`` (column
    generation) or ``auto`` (arc up to :data:`ARC_LIMIT` flow variables).
    """
    dem = demands.materialize()
    if dem.n_nodes != net.n_nodes:
        raise AnalysisError("demands were built for a different network")
    cap = net.capacity if capacity is None else np.asarray(capacity, dtype=float)[net.arc_link]
    com, use, clean_ok = _commodities(net, dem)
    keys = len({(int(t), bool(s)) for t, s in zip(com.dst, com.sensitive, strict=True)})
    if method == "auto":
        method = "arc" if keys * net.n_arcs <= ARC_LIMIT else "path"
    if method not in ("arc", "path"):
        raise AnalysisError(f"unknown method {method!r}; use auto, arc or path", field="method")
    solver = solve_arc if method == "arc" else solve_path
    sol = solver(net, com, cap, objective=objective, time_limit=time_limit)
    before = exposure(net, dem, clean_paths=False).arc_volume
    return _result(net, dem, cap, sol, use, clean_ok, com, method, objective, before)


def _result(net: Network, dem: Demands, cap: FloatArray, sol: FlowSolution, use: BoolArray,
            clean_ok: BoolArray, com: Commodities, method: str, objective: str,
            before: FloatArray) -> RerouteResult:  # fmt: skip
    ids = net.node_ids
    row = np.cumsum(use) - 1
    sens_load = np.zeros(net.n_arcs)
    out = []
    borders = _Borders.of(net) if (dem.sensitive & ~clean_ok).any() else None
    for k in np.flatnonzero(dem.sensitive):
        s, t, v = int(dem.src[k]), int(dem.dst[k]), float(dem.volume[k])
        if not clean_ok[k]:
            assert borders is not None  # built when some sensitive demand has no clean path
            sep, one = _separators(net, s, t, borders)
            one_fix = " (replacing any one of them opens a trusted path)" if one else ""
            why = ("no trusted path: untrusted " + ("end " if net.untrusted[s] or net.untrusted[t]
                   else "nodes separate the ends: ") + ", ".join(sep) + one_fix)  # fmt: skip
            out.append(SensitiveRouting(int(k), ids[s], ids[t], v, 0.0, "no_clean_path", why, (),
                                        sep))  # fmt: skip
            continue
        ps = sol.paths[row[k]] if use[k] else []
        paths = []
        for arcs, f in ps:
            np.add.at(sens_load, arcs, f)
            nodes = (ids[s], *(ids[int(net.indices[a])] for a in arcs))
            paths.append((nodes, f))
        routed = sum(f for _, f in paths)
        if routed >= v * (1 - 1e-7):
            out.append(SensitiveRouting(int(k), ids[s], ids[t], v, routed, "clean", "",
                                        tuple(paths), ()))  # fmt: skip
        else:
            cut = _bottleneck(net, s, sol.arc_load, cap)
            why = (f"not enough trusted capacity: {v - routed:.6g} of {v:.6g} does not fit; "
                   f"saturated links: {', '.join(cut)}")  # fmt: skip
            out.append(SensitiveRouting(int(k), ids[s], ids[t], v, routed,
                                        "insufficient_capacity", why, tuple(paths),
                                        cut))  # fmt: skip
    normal_unserved = float(sol.unserved[~com.sensitive].sum())
    return RerouteResult(net, method, objective, sol.stage, _link_util(net, before, cap),
                         _link_util(net, sol.arc_load, cap), sol.arc_load, sens_load,
                         tuple(out), normal_unserved, sol.iterations)  # fmt: skip
