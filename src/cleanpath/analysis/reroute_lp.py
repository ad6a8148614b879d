"""Multicommodity-flow LPs behind :mod:`~cleanpath.analysis.reroute` (HiGHS via scipy).

A *commodity* is one ``(src, dst, class)`` pair with a volume; class ``sensitive`` may use
only arcs between trusted nodes, ``normal`` any arc. Two formulations:

* ``arc``: commodities with the same destination and class are merged (exact for these
  objectives); one flow variable per (merged commodity, allowed arc), one conservation row per
  (merged commodity, node). Per-pair paths come from a flow decomposition afterwards.
* ``path``: column generation. The master LP has one variable per known path; pricing is one
  Dijkstra per source with arc lengths ``−dual(capacity row) + ε·weight``; paths with negative
  reduced cost enter until none is left (then the LP optimum over all paths is reached).

Stage A minimises the maximum utilisation ``U`` (or the total IGP cost within capacity);
when that cannot respect the capacities, stage B keeps capacities hard and minimises unserved
volume, normal traffic weighted ``NORMAL_PRIORITY`` times more than sensitive traffic (the
question is how much sensitive traffic fits beside today's traffic).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, hstack
from scipy.sparse.csgraph import dijkstra

from cleanpath.errors import SolverError
from cleanpath.model.network import Network

__all__ = ["Commodities", "FlowSolution", "solve_arc", "solve_path"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Paths = list[list[tuple[IntArray, float]]]
LpObjective = Literal["max-utilisation", "igp-cost"]

NORMAL_PRIORITY = 1000.0
EPS_COST = 1e-5


@dataclass(frozen=True)
class Commodities:
    """Pairs to route: ``src``, ``dst``, ``volume``, ``sensitive`` (one entry per pair)."""

    src: IntArray
    dst: IntArray
    volume: FloatArray
    sensitive: BoolArray

    def __len__(self) -> int:
        return int(self.src.shape[0])


@dataclass(frozen=True)
class FlowSolution:
    """Per commodity: paths (arc index arrays) with flows and unserved volume; arc loads."""

    paths: Paths
    unserved: FloatArray
    arc_load: FloatArray
    stage: str
    utilisation: float
    iterations: int


def _allowed(net: Network) -> BoolArray:
    tails = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
    return ~(net.untrusted[tails] | net.untrusted[net.indices])


def _lp(c: FloatArray, a_ub: csr_matrix | None, b_ub: FloatArray | None, a_eq: csr_matrix,
        b_eq: FloatArray, upper: FloatArray, time_limit: float) -> object:  # fmt: skip
    bounds = np.stack([np.zeros_like(upper), upper], axis=1)
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds,
                  method="highs", options={"time_limit": time_limit})  # fmt: skip
    if res.status not in (0, 2):
        raise SolverError(f"HiGHS could not solve the routing LP: {res.message}")
    return res


# -- arc formulation ---------------------------------------------------------------------------
def _arc_blocks(
    net: Network, com: Commodities
) -> tuple[list[tuple[int, bool]], list[IntArray], csr_matrix, FloatArray]:
    """Merged commodities (dst, sensitive), their arcs, the conservation matrix and rhs."""
    trusted_arc = _allowed(net)
    tails = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
    keys = sorted({(int(t), bool(s)) for t, s in zip(com.dst, com.sensitive, strict=True)})
    n = net.n_nodes
    rows, cols, vals, rhs, arcs = [], [], [], [], []
    off = 0
    for k, (t, sens) in enumerate(keys):
        a = np.flatnonzero(trusted_arc) if sens else np.arange(net.n_arcs)
        arcs.append(a)
        col = off + np.arange(a.shape[0])
        for node, sign in ((tails[a], 1.0), (net.indices[a], -1.0)):
            keep = node != t
            rows.append(k * n + node[keep])
            cols.append(col[keep])
            vals.append(np.full(int(keep.sum()), sign))
        supply = np.zeros(n)
        sel = (com.dst == t) & (com.sensitive == sens)
        np.add.at(supply, com.src[sel], com.volume[sel])
        rhs.append(supply)
        off += a.shape[0]
    a_eq = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(len(keys) * n, off)).tocsr()  # fmt: skip
    return keys, arcs, a_eq, np.concatenate(rhs)


def solve_arc(net: Network, com: Commodities, cap: FloatArray, *, objective: LpObjective,
              time_limit: float = 60.0) -> FlowSolution:  # fmt: skip
    """Arc formulation (see module docstring); ``cap`` per arc, ``inf`` for none."""
    keys, arcs, a_eq, b_eq = _arc_blocks(net, com)
    all_arcs = np.concatenate(arcs)
    nf = all_arcs.shape[0]
    scale = max(float(com.volume.sum()), 1e-12)
    w = net.weight[all_arcs] / float(net.weight.max())
    fin = np.isfinite(cap)
    cap_rows = csr_matrix(
        (np.ones(nf), (all_arcs, np.arange(nf))), shape=(net.n_arcs, nf))[fin]  # fmt: skip
    capn = cap[fin] / scale
    b = b_eq / scale
    stage = "A"
    if objective == "max-utilisation" and fin.any():
        c = np.append(EPS_COST * w, 1.0)
        a_ub = hstack([cap_rows, csr_matrix(-capn[:, None])]).tocsr()
        a_eq2 = hstack([a_eq, csr_matrix((a_eq.shape[0], 1))]).tocsr()
        res = _lp(c, a_ub, np.zeros(capn.shape[0]), a_eq2, b, np.full(nf + 1, np.inf), time_limit)
        x = res.x[:nf]  # type: ignore[attr-defined]
        ok = res.x[nf] <= 1.0 + 1e-9  # type: ignore[attr-defined]
    else:
        res = _lp(w, cap_rows if fin.any() else None, capn if fin.any() else None, a_eq, b,
                  np.full(nf, np.inf), time_limit)  # fmt: skip
        ok = res.status == 0  # type: ignore[attr-defined]
        x = res.x if ok else None  # type: ignore[attr-defined]
    if not ok:
        stage = "B"
        x = _arc_stage_b(net, keys, a_eq, b, cap_rows, capn, w, time_limit)
    assert x is not None
    x = x * scale
    return _decompose_all(net, com, keys, arcs, x, stage)


def _arc_stage_b(net: Network, keys: list[tuple[int, bool]], a_eq: csr_matrix, b: FloatArray,
                 cap_rows: csr_matrix, capn: FloatArray, w: FloatArray,
                 time_limit: float) -> FloatArray:  # fmt: skip
    n = net.n_nodes
    supply_rows = np.flatnonzero(b > 0)
    nr = supply_rows.shape[0]
    prio = np.array([1.0 if keys[r // n][1] else NORMAL_PRIORITY for r in supply_rows])
    short = csr_matrix((np.ones(nr), (supply_rows, np.arange(nr))), shape=(a_eq.shape[0], nr))
    nf = w.shape[0]
    c = np.concatenate([EPS_COST * w, prio])
    a_ub = hstack([cap_rows, csr_matrix((cap_rows.shape[0], nr))]).tocsr()
    upper = np.concatenate([np.full(nf, np.inf), b[supply_rows]])
    res = _lp(c, a_ub, capn, hstack([a_eq, short]).tocsr(), b, upper, time_limit)
    return np.asarray(res.x[:nf])  # type: ignore[attr-defined]


def _decompose(net: Network, flow: dict[int, float], src: int, dst: int,
               amount: float) -> list[tuple[IntArray, float]]:  # fmt: skip
    """Peel paths ``src → dst`` carrying ``amount`` off ``flow`` (arc → flow), cancelling
    cycles on the way."""
    out: list[tuple[IntArray, float]] = []
    tol = 1e-9 * max(amount, 1e-12)
    while amount > tol:
        v, path, seen = src, [], {src: 0}
        while v != dst:
            lo, hi = int(net.indptr[v]), int(net.indptr[v + 1])
            best = max(range(lo, hi), key=lambda a: flow.get(a, 0.0), default=-1)
            if best < 0 or flow.get(best, 0.0) <= tol:
                return out  # numerical leftovers: stop
            path.append(best)
            v = int(net.indices[best])
            if v in seen:  # a cycle: cancel it and restart the walk
                cyc = path[seen[v] :]
                d = min(flow[a] for a in cyc)
                for a in cyc:
                    flow[a] -= d
                v, path, seen = src, [], {src: 0}
                continue
            seen[v] = len(path)
        d = min(amount, *(flow[a] for a in path)) if path else amount
        for a in path:
            flow[a] -= d
        out.append((np.asarray(path, dtype=np.int64), d))
        amount -= d
    return out


def _decompose_all(net: Network, com: Commodities, keys: list[tuple[int, bool]],
                   arcs: list[IntArray], x: FloatArray, stage: str) -> FlowSolution:  # fmt: skip
    load = np.zeros(net.n_arcs)
    paths: Paths = [[] for _ in range(len(com))]
    unserved = np.zeros(len(com))
    off = 0
    for k, (t, sens) in enumerate(keys):
        a = arcs[k]
        xk = x[off : off + a.shape[0]]
        off += a.shape[0]
        np.add.at(load, a, xk)
        flow = {int(arc): float(f) for arc, f in zip(a, xk, strict=True) if f > 0}
        members = np.flatnonzero((com.dst == t) & (com.sensitive == sens))
        for i in members[np.argsort(-com.volume[members], kind="stable")]:
            paths[i] = _decompose(net, flow, int(com.src[i]), t, float(com.volume[i]))
            unserved[i] = max(0.0, float(com.volume[i]) - sum(f for _, f in paths[i]))
    return FlowSolution(paths, unserved, load, stage, 0.0, 1)


# -- path formulation (column generation) ------------------------------------------------------
def _shortest(net: Network, length: FloatArray, allowed: BoolArray, srcs: IntArray) -> IntArray:
    tails = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
    g = csr_matrix((length[allowed], (tails[allowed], net.indices[allowed])),
                   shape=(net.n_nodes, net.n_nodes))  # fmt: skip
    _, pred = dijkstra(g, directed=True, indices=srcs, return_predecessors=True)
    return np.asarray(pred, dtype=np.int64)


def _arc_of(net: Network) -> dict[tuple[int, int], int]:
    """(u, v) → cheapest arc (parallel arcs: the lowest weight)."""
    out: dict[tuple[int, int], int] = {}
    for u in range(net.n_nodes):
        for a in range(int(net.indptr[u]), int(net.indptr[u + 1])):
            key = (u, int(net.indices[a]))
            if key not in out or net.weight[a] < net.weight[out[key]]:
                out[key] = a
    return out


def _price(
    net: Network, com: Commodities, length: FloatArray, arc_of: dict[tuple[int, int], int]
) -> list[IntArray]:
    """The shortest path of every commodity under ``length`` (arc index arrays)."""
    out: list[IntArray] = [np.zeros(0, dtype=np.int64)] * len(com)
    trusted = _allowed(net)
    for sens, allowed in ((True, trusted), (False, np.ones(net.n_arcs, dtype=np.bool_))):
        sel = np.flatnonzero(com.sensitive == sens)
        if sel.size == 0:
            continue
        srcs = np.unique(com.src[sel])
        pred = _shortest(net, length, allowed, srcs)
        row = {int(s): r for r, s in enumerate(srcs)}
        for i in sel:
            p, v, nodes = pred[row[int(com.src[i])]], int(com.dst[i]), []
            while v != com.src[i] and v >= 0:
                nodes.append(v)
                v = int(p[v])
            nodes.append(int(com.src[i]))
            nodes.reverse()
            out[i] = np.array(
                [arc_of[(a, b)] for a, b in itertools.pairwise(nodes)], dtype=np.int64
            )
    return out


def solve_path(net: Network, com: Commodities, cap: FloatArray, *, objective: LpObjective,
               time_limit: float = 60.0, max_rounds: int = 200) -> FlowSolution:  # fmt: skip
    """Path formulation by column generation (see module docstring)."""
    arc_of = _arc_of(net)
    w = net.weight / float(net.weight.max())
    scale = max(float(com.volume.sum()), 1e-12)
    cols: list[tuple[int, IntArray]] = list(enumerate(_price(net, com, w, arc_of)))
    seen = {(k, p.tobytes()) for k, p in cols}
    stage = "B" if objective == "igp-cost" else "A"
    fin = np.flatnonzero(np.isfinite(cap))
    rounds = 0
    while rounds < max_rounds:
        rounds += 1
        res, dual_cap = _master(net, com, cols, cap, fin, w, scale, stage)
        length = np.maximum(-dual_cap, 0.0) + EPS_COST * w
        new = 0
        for k, p in enumerate(_price(net, com, length, arc_of)):
            if (k, p.tobytes()) not in seen:
                seen.add((k, p.tobytes()))
                cols.append((k, p))
                new += 1
        if new:
            continue
        if stage == "A" and fin.size and res.x[-1] > 1.0 + 1e-9:  # type: ignore[attr-defined]
            stage = "B"  # the best routing overloads a link: keep capacities hard
            continue
        break
    return _path_solution(net, com, cols, res.x, scale, stage, rounds)  # type: ignore[attr-defined]


def _master(
    net: Network, com: Commodities, cols: list[tuple[int, IntArray]], cap: FloatArray,
    fin: IntArray, w: FloatArray, scale: float, stage: str,
) -> tuple[object, FloatArray]:  # fmt: skip
    npth, nk = len(cols), len(com)
    r, c = [], []
    for j, (_, p) in enumerate(cols):
        r.append(p)
        c.append(np.full(p.shape[0], j))
    use = csr_matrix((np.ones(sum(x.shape[0] for x in r)), (np.concatenate(r), np.concatenate(c))),
                     shape=(net.n_arcs, npth))[fin]  # fmt: skip
    owner = np.array([k for k, _ in cols])
    a_eq = csr_matrix((np.ones(npth), (owner, np.arange(npth))), shape=(nk, npth))
    cost = np.array([EPS_COST * w[p].sum() for _, p in cols])
    capn = cap[fin] / scale
    if fin.size == 0:
        res = _lp(cost, None, None, a_eq, com.volume / scale, np.full(npth, np.inf), 60.0)
        return res, np.zeros(net.n_arcs)
    if stage == "A":
        a_ub = hstack([use, csr_matrix(-capn[:, None])]).tocsr()
        res = _lp(np.append(cost, 1.0), a_ub, np.zeros(fin.shape[0]),
                  hstack([a_eq, csr_matrix((nk, 1))]).tocsr(), com.volume / scale,
                  np.full(npth + 1, np.inf), 60.0)  # fmt: skip
    else:
        prio = np.where(com.sensitive, 1.0, NORMAL_PRIORITY)
        a_ub = hstack([use, csr_matrix((fin.shape[0], nk))]).tocsr()
        res = _lp(np.concatenate([cost, prio]), a_ub, capn,
                  hstack([a_eq, csr_matrix(np.eye(nk))]).tocsr(), com.volume / scale,
                  np.concatenate([np.full(npth, np.inf), com.volume / scale]), 60.0)  # fmt: skip
    dual = np.zeros(net.n_arcs)
    dual[fin] = res.ineqlin.marginals  # type: ignore[attr-defined]
    return res, dual


def _path_solution(
    net: Network, com: Commodities, cols: list[tuple[int, IntArray]], x: FloatArray,
    scale: float, stage: str, rounds: int,
) -> FlowSolution:  # fmt: skip
    paths: Paths = [[] for _ in range(len(com))]
    load = np.zeros(net.n_arcs)
    for j, (k, p) in enumerate(cols):
        f = float(x[j]) * scale
        if f > 1e-9 * scale:
            paths[k].append((p, f))
            np.add.at(load, p, f)
    served = np.array([sum(f for _, f in ps) for ps in paths])
    return FlowSolution(paths, np.maximum(com.volume - served, 0.0), load, stage, 0.0, rounds)
