"""The replacement plan as a MILP, solved by HiGHS (``highspy``, which takes a warm start).

Variables: ``y[j, p]`` = 1 when candidate ``j`` is replaced by the end of phase ``p``
(binary, non-decreasing in ``p``) and ``z[g, p]`` in [0, 1] = group ``g`` is clean after phase
``p``. Phase ``p`` spends ``Σ_j c_j (y[j, p] − y[j, p−1]) ≤ budget[p]``; a deadline fixes
``y[j, p] = 1`` from its phase on.

* Fixed routing: ``z[g, p] ≤ y[j, p]`` for every candidate ``j`` the group needs.
* Adaptive routing: ``z[g, p] ≤ Σ_{j ∈ C} y[j, p]`` for every *separator* ``C`` (a set of
  untrusted nodes whose removal disconnects the group's ends once the others are trusted).
  There are exponentially many, so they are added lazily: solve, find the groups that the
  solution calls clean but that are not connected, add the separator that blocks them (the
  untrusted boundary of the end's reachable set), re-solve. The loop ends when no cut is
  violated, at which point the solution is optimal for the full model.

The greedy plan is the warm start; the reported gap is HiGHS's dual bound against the best
feasible plan, including the weight that is clean whatever is done.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix, csc_matrix, csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components

from cleanpath.analysis.planner_groups import AdaptiveGroups, FixedGroups, induced_adjacency
from cleanpath.analysis.planner_model import PlanProblem
from cleanpath.errors import SolverError

__all__ = ["MilpOutcome", "solve_milp"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
INF = highspy.kHighsInf


@dataclass(frozen=True)
class MilpOutcome:
    phase_of: IntArray
    objective: float
    bound: float
    gap: float
    status: str
    rounds: int
    cuts: int


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on C-level stdout when the first instance is made."""
    import sys

    sys.stdout.flush()
    try:
        fd = os.dup(1)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(fd, 1)
        os.close(fd)
        os.close(devnull)


class _Model:
    """Column layout and the HiGHS instance."""

    def __init__(self, pr: PlanProblem, time_limit: float, gap: float) -> None:
        self.pr = pr
        self.m, self.P, self.G = pr.m, pr.phases, pr.groups.n_groups
        pos = pr.net_cost[pr.net_cost > 0]
        self.sc = float(pos.mean()) if pos.size else 1.0
        self.sw = float(pr.groups.weight.mean()) if self.G else 1.0
        with _quiet_stdout():
            self.h = highspy.Highs()  # type: ignore[no-untyped-call]
        for k, v in (("output_flag", False), ("time_limit", float(time_limit)),
                     ("mip_rel_gap", float(gap)), ("random_seed", 0)):  # fmt: skip
            self.h.setOptionValue(k, v)

    def y(self, j: Any, p: Any) -> IntArray:
        out: IntArray = np.asarray(j, dtype=np.int64) * self.P + np.asarray(p, dtype=np.int64)
        return out

    def z(self, g: Any, p: Any) -> IntArray:
        out: IntArray = (
            self.m * self.P + np.asarray(g, dtype=np.int64) * self.P + np.asarray(p, dtype=np.int64)
        )
        return out

    def build(self, rows: list[tuple[IntArray, IntArray, FloatArray, FloatArray]]) -> None:
        """Pass columns and the rows given as (row-local ids, cols, values, upper bounds)."""
        pr, m, P, G = self.pr, self.m, self.P, self.G
        n = m * P + G * P
        cost = np.zeros(n)
        lo, hi = np.zeros(n), np.ones(n)
        if pr.goal == "min-cost":
            cost[self.y(np.arange(m), P - 1)] = pr.cost / self.sc
            lo[self.z(np.arange(G), P - 1)] = 1.0
        else:
            cost[m * P :] = -np.repeat(pr.groups.weight / self.sw, P)
            hi[m * P :] = _reachable(pr).ravel()
        for j in np.flatnonzero(pr.due >= 0):
            lo[self.y(j, np.arange(int(pr.due[j]), P))] = 1.0
        r_ids, cols, vals, ubs, off = [], [], [], [], 0
        for rid, c, v, ub in rows:
            r_ids.append(rid + off)
            cols.append(c)
            vals.append(v)
            ubs.append(ub)
            off += ub.shape[0]
        a = csc_matrix(
            coo_matrix(
                (np.concatenate(vals), (np.concatenate(r_ids), np.concatenate(cols))),
                shape=(off, n),
            )
        )
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, off
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lo, hi
        lp.row_lower_ = np.full(off, -INF)
        lp.row_upper_ = np.concatenate(ubs)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data
        lp.integrality_ = [highspy.HighsVarType.kInteger] * (m * P) + [
            highspy.HighsVarType.kContinuous
        ] * (G * P)
        self.h.passModel(lp)

    def add_rows(self, cols: list[IntArray], vals: list[FloatArray]) -> None:
        starts = np.cumsum([0] + [c.shape[0] for c in cols[:-1]]).astype(np.int32)
        idx = np.concatenate(cols).astype(np.int32)
        k = len(cols)
        self.h.addRows(k, np.full(k, -INF), np.zeros(k), idx.shape[0], starts, idx,
                       np.concatenate(vals))  # fmt: skip

    def warm(self, phase_of: IntArray) -> None:
        pr, P = self.pr, self.P
        x = np.zeros(self.m * P + self.G * P)
        for p in range(P):
            rep = (phase_of >= 0) & (phase_of <= p)
            x[self.y(np.arange(self.m), p)] = rep
            x[self.z(np.arange(self.G), p)] = pr.group_clean(rep)
        sol = highspy.HighsSolution()
        sol.col_value = list(x)
        sol.value_valid = True
        self.h.setSolution(sol)

    def solve(self) -> tuple[IntArray | None, float, str]:
        self.h.run()
        status = self.h.modelStatusToString(self.h.getModelStatus())
        info = self.h.getInfo()
        if info.primal_solution_status != 2:  # kSolutionStatusFeasible
            return None, float(info.mip_dual_bound), status
        col = np.asarray(self.h.getSolution().col_value)
        y = col[: self.m * self.P].reshape(self.m, self.P) > 0.5
        phase_of = np.where(y.any(axis=1), y.argmax(axis=1), -1).astype(np.int64)
        return phase_of, float(info.mip_dual_bound), status


def _base_rows(md: _Model) -> list[tuple[IntArray, IntArray, FloatArray, FloatArray]]:
    pr, m, P = md.pr, md.m, md.P
    rows = []
    if P > 1:
        jj = np.repeat(np.arange(m), P - 1)
        pp = np.tile(np.arange(1, P), m)
        k = np.arange(jj.shape[0])
        rows.append((np.repeat(k, 2), np.stack([md.y(jj, pp - 1), md.y(jj, pp)], 1).ravel(),
                     np.tile([1.0, -1.0], k.shape[0]), np.zeros(k.shape[0])))  # fmt: skip
    for p in range(P):
        if not np.isfinite(pr.budget[p]):
            continue
        cols = [md.y(np.arange(m), p)]
        vals = [pr.net_cost / md.sc]
        if p > 0:
            cols.append(md.y(np.arange(m), p - 1))
            vals.append(-pr.net_cost / md.sc)
        c = np.concatenate(cols)
        rows.append((np.zeros(c.shape[0], dtype=np.int64), c, np.concatenate(vals),
                     np.array([float(pr.budget[p]) / md.sc])))  # fmt: skip
    return rows


def _reachable(pr: PlanProblem) -> BoolArray:
    """``[g, p]``: group ``g`` can be clean after phase ``p`` at all (fixed routing: its
    devices cost no more than the budgets up to ``p``; adaptive: always)."""
    g = pr.groups
    out: BoolArray = np.ones((g.n_groups, pr.phases), dtype=np.bool_)
    if isinstance(g, FixedGroups) and g.n_groups:
        need = g.members.astype(np.float64) @ pr.net_cost
        out &= need[:, None] <= np.cumsum(pr.budget)[None, :] * (1 + 1e-9) + 1e-9
    return out


def _fixed_rows(md: _Model) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    g = md.pr.groups
    assert isinstance(g, FixedGroups)
    members = g.members
    if md.pr.goal != "min-cost":  # groups that cannot be clean have z fixed to 0
        members = members & np.asarray(_reachable(md.pr).any(axis=1))[:, None]
    gi, ji = np.nonzero(members)
    gi = np.repeat(gi, md.P)
    ji = np.repeat(ji, md.P)
    p = np.tile(np.arange(md.P), members.sum())
    k = np.arange(gi.shape[0])
    cols = np.stack([md.z(gi, p), md.y(ji, p)], 1).ravel()
    return np.repeat(k, 2), cols, np.tile([1.0, -1.0], k.shape[0]), np.zeros(k.shape[0])


class _Separators:
    """Untrusted boundaries that block a group, given the nodes that carry traffic."""

    def __init__(self, pr: PlanProblem) -> None:
        self.pr = pr
        net = pr.net
        self.adj = induced_adjacency(net)
        self.radj = self.adj.T.tocsr()
        self.pos = np.full(net.n_nodes, -1, dtype=np.int64)
        self.pos[pr.candidates] = np.arange(pr.m)

    def _closed(self, a: csr_matrix, allowed: BoolArray, seen: IntArray) -> frozenset[int]:
        heads = a[seen].indices
        return frozenset(int(self.pos[v]) for v in np.unique(heads[~allowed[heads]]))

    def cuts(self, rep: BoolArray, groups: IntArray) -> list[tuple[int, frozenset[int]]]:
        """For each group, the boundary of its source side and of its destination side."""
        net, gr = self.pr.net, self.pr.groups
        assert isinstance(gr, AdaptiveGroups)
        allowed = ~net.untrusted.copy()
        allowed[self.pr.candidates[rep]] = True
        sub = induced_adjacency(net, allowed)
        lab = connected_components(sub, directed=False)[1] if not net.directed else None
        cache: dict[tuple[int, bool], frozenset[int]] = {}
        out = []
        for g in groups:
            for end, rev in ((int(gr.src_node[g]), False), (int(gr.dst_node[g]), True)):
                if not allowed[end]:
                    out.append((int(g), frozenset({int(self.pos[end])})))
                    continue
                if lab is not None:
                    key = (int(lab[end]), False)
                    if key not in cache:
                        cache[key] = self._closed(self.adj, allowed, np.flatnonzero(lab == key[0]))
                    out.append((int(g), cache[key]))
                    continue
                a = self.radj if rev else self.adj
                sub_a = sub.T.tocsr() if rev else sub
                seen = breadth_first_order(sub_a, end, directed=True, return_predecessors=False)
                out.append((int(g), self._closed(a, allowed, seen)))
        return out


def _cut_rows(
    md: _Model, new: list[tuple[int, frozenset[int]]]
) -> tuple[list[IntArray], list[FloatArray]]:
    cols, vals = [], []
    for g, cset in new:
        js = np.array(sorted(cset), dtype=np.int64)
        for p in range(md.P):
            cols.append(np.concatenate([[md.z(g, p)], md.y(js, p)]).astype(np.int64))
            vals.append(np.concatenate([[1.0], -np.ones(js.shape[0])]))
    return cols, vals


def _violations(
    pr: PlanProblem, sep: _Separators, phase_of: IntArray, seen: set[tuple[int, frozenset[int]]]
) -> list[tuple[int, frozenset[int]]]:
    new: list[tuple[int, frozenset[int]]] = []
    for p in range(pr.phases):
        rep = (phase_of >= 0) & (phase_of <= p)
        bad = np.flatnonzero(~pr.group_clean(rep))
        for g, c in sep.cuts(rep, bad):
            if c and (g, c) not in seen:
                seen.add((g, c))
                new.append((g, c))
    return new


def solve_milp(
    pr: PlanProblem, warm: IntArray | None, *, time_limit: float = 60.0, gap: float = 1e-6
) -> MilpOutcome:
    """Solve ``pr`` to ``gap`` (relative) or ``time_limit`` seconds (all rounds together)."""
    t0 = time.perf_counter()
    md = _Model(pr, time_limit, gap)
    rows = _base_rows(md)
    seen: set[tuple[int, frozenset[int]]] = set()
    sep = _Separators(pr) if pr.routing == "adaptive" else None
    if sep is None:
        rows.append(_fixed_rows(md))
    else:
        start = np.full(pr.m, -1, dtype=np.int64)
        rows.append(_cut_block(md, _violations(pr, sep, start, seen)))
    md.build([r for r in rows if r[3].shape[0]])
    best, best_obj = _incumbent(pr, warm)
    if sep is not None:  # leave time for later rounds, which have more cuts
        md.h.setOptionValue("time_limit", max(0.5, time_limit / 3))
    rounds = 0
    bound = -np.inf  # HiGHS minimises: a dual bound is a lower bound, the largest is best
    while True:
        rounds += 1
        if best is not None:
            md.warm(best)
        phase_of, b, status = md.solve()
        # every round solves a relaxation of the full model: its dual bound stays valid
        if np.isfinite(b):
            bound = max(bound, b)
        if phase_of is None:
            if best is None:
                raise SolverError(f"no plan meets the budgets and deadlines (HiGHS: {status})")
            break
        new = [] if sep is None else _violations(pr, sep, phase_of, seen)
        if pr.feasible(phase_of):
            obj = pr.objective(phase_of)
            if best is None or _better(pr, obj, best_obj):
                best, best_obj = phase_of, obj
        left = time_limit - (time.perf_counter() - t0)
        if not new or left <= 0:
            break
        md.h.setOptionValue("time_limit", max(0.5, left / 2))
        md.add_rows(*_cut_rows(md, new))
    if best is None:
        raise SolverError(f"no plan meets the budgets and deadlines (HiGHS: {status})")
    scale = md.sc if pr.goal == "min-cost" else md.sw
    return _outcome(pr, best, best_obj, bound, scale, status, rounds, len(seen))


def _cut_block(
    md: _Model, new: list[tuple[int, frozenset[int]]]
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    cols, vals = _cut_rows(md, new)
    if not cols:
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0), np.zeros(0)
    rid = np.repeat(np.arange(len(cols)), [c.shape[0] for c in cols])
    return rid, np.concatenate(cols), np.concatenate(vals), np.zeros(len(cols))


def _incumbent(pr: PlanProblem, warm: IntArray | None) -> tuple[IntArray | None, float]:
    if warm is None or not pr.feasible(warm):
        return None, float("nan")
    return warm, pr.objective(warm)


def _better(pr: PlanProblem, a: float, b: float) -> bool:
    return a < b - 1e-9 if pr.goal == "min-cost" else a > b + 1e-9


def _outcome(pr: PlanProblem, best: IntArray, obj: float, bound: float, scale: float,
             status: str, rounds: int, cuts: int) -> MilpOutcome:  # fmt: skip
    if pr.goal == "min-cost":
        true_bound = min(bound * scale, obj)
    else:
        true_bound = max(-bound * scale + pr.groups.clean_weight * pr.phases, obj)
    if not np.isfinite(true_bound):  # HiGHS stopped before its root bound: the trivial one
        g = pr.groups
        true_bound = 0.0 if pr.goal == "min-cost" else pr.phases * (g.clean_weight + g.weight.sum())
    gap = abs(true_bound - obj) / max(abs(obj), 1e-12) if obj or true_bound else 0.0
    return MilpOutcome(best, obj, true_bound, float(gap), status, rounds, cuts)
