"""Phased rip-and-replace plan: which untrusted devices to replace first, under a budget.

:func:`plan` builds the problem (groups of demands that need the same devices, see
:mod:`~cleanpath.analysis.planner_groups`), runs the greedy heuristic
(:mod:`~cleanpath.analysis.planner_greedy`) and, with ``solver="milp"``, the HiGHS MILP warm
started from it (:mod:`~cleanpath.analysis.planner_milp`), and returns a
:class:`ReplacementPlan`: per phase the devices, cost, subsidy and clean share after it,
and the curve of clean volume against money spent. :func:`plan_for_audit` (in
:mod:`~cleanpath.analysis.planner_audit`) does the same from an audit result.

>>> from cleanpath.domain import NodeRecord, LinkRecord, Topology
>>> from cleanpath.model.network import build_network
>>> from cleanpath.model.demands import Demands
>>> t = Topology("line", tuple(NodeRecord(x, x) for x in "abc"),
...              (LinkRecord("1", "a", "b"), LinkRecord("2", "b", "c")))
>>> net = build_network(t, untrusted=["b"])
>>> dem = Demands.from_arrays(net, [0], [2], [5.0], [True])
>>> p = plan(net, dem, costs={"b": 100.0}, budget=60.0, subsidy=0.5)
>>> p.replaced, p.objective_value, p.phases[0].subsidy, p.phases[0].clean_share_after
(('b',), 5.0, 50.0, 1.0)
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from cleanpath.analysis.planner_greedy import greedy_plan, order_moves
from cleanpath.analysis.planner_groups import adaptive_groups, fixed_groups
from cleanpath.analysis.planner_milp import solve_milp
from cleanpath.analysis.planner_model import Goal, PlanProblem, Routing
from cleanpath.errors import AnalysisError
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network

__all__ = [
    "CurvePoint",
    "Objective",
    "PlanPhase",
    "ReplacementPlan",
    "build_problem",
    "plan",
    "solve",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Objective = Literal["sensitive", "total", "min-cost"]
Solver = Literal["milp", "greedy"]


@dataclass(frozen=True)
class PlanPhase:
    """One phase: devices replaced in it (node ids), gross cost, subsidy, the operator's
    share, its budget and the clean weight/share after it."""

    index: int
    devices: tuple[str, ...]
    cost: float
    subsidy: float
    net_cost: float
    budget: float
    clean_volume_after: float
    clean_share_after: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "phase": self.index,
            "devices": list(self.devices),
            "cost": self.cost,
            "subsidy": self.subsidy,
            "net_cost": self.net_cost,
            "budget": self.budget if np.isfinite(self.budget) else None,
            "clean_volume_after": self.clean_volume_after,
            "clean_share_after": self.clean_share_after,
        }


@dataclass(frozen=True)
class CurvePoint:
    """After buying ``devices`` (in plan order): money spent so far and clean volume."""

    phase: int
    devices: tuple[str, ...]
    cost: float
    net_cost: float
    clean_volume: float
    clean_share: float

    def to_dict(self) -> dict[str, Any]:
        return {"phase": self.phase, "devices": list(self.devices), "cost": self.cost,
                "net_cost": self.net_cost, "clean_volume": self.clean_volume,
                "clean_share": self.clean_share}  # fmt: skip


@dataclass(frozen=True)
class ReplacementPlan:
    """The answer of :func:`plan`. ``objective_value`` is the clean volume summed over the
    phases (``maximise``) or the total gross cost (``min-cost``); ``optimality_gap`` is
    relative, 0 for a proven optimum, None for the greedy solver."""

    network: str
    routing: Routing
    objective: Objective
    solver: Solver
    replaced: tuple[str, ...]
    objective_value: float
    bound: float | None
    optimality_gap: float | None
    cost: float
    subsidy: float
    net_cost: float
    phases: tuple[PlanPhase, ...]
    curve: tuple[CurvePoint, ...]
    clean_volume_before: float
    total_volume: float
    candidates: int
    groups: int
    seconds: float
    stats: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``cleanpath plan --format json``."""
        return {
            "network": self.network,
            "routing": self.routing,
            "objective": self.objective,
            "solver": self.solver,
            "replaced": list(self.replaced),
            "objective_value": self.objective_value,
            "bound": self.bound,
            "optimality_gap": self.optimality_gap,
            "cost": self.cost,
            "subsidy": self.subsidy,
            "net_cost": self.net_cost,
            "clean_volume_before": self.clean_volume_before,
            "total_volume": self.total_volume,
            "phases": [p.to_dict() for p in self.phases],
            "curve": [c.to_dict() for c in self.curve],
            "candidates": self.candidates,
            "groups": self.groups,
            "seconds": self.seconds,
            "stats": dict(self.stats),
        }


def _per_node(
    net: Network, values: Mapping[str, float] | FloatArray | float, what: str
) -> FloatArray:
    if isinstance(values, int | float):
        return np.full(net.n_nodes, float(values))
    if isinstance(values, np.ndarray):
        if values.shape != (net.n_nodes,):
            raise AnalysisError(f"{what} array has shape {values.shape}, need ({net.n_nodes},)")
        return values.astype(np.float64)
    out = np.full(net.n_nodes, np.nan)
    for node, v in values.items():
        out[net.index_of(node)] = float(v)
    return out


def build_problem(
    net: Network,
    demands: Demands,
    *,
    costs: Mapping[str, float] | FloatArray | float,
    budget: float | Sequence[float],
    phases: int = 1,
    subsidy: float = 0.0,
    objective: Objective = "sensitive",
    routing: Routing = "fixed",
    deadlines: Mapping[str, int] | None = None,
) -> PlanProblem:
    """The :class:`PlanProblem` behind :func:`plan` (arguments as there)."""
    dem = demands.materialize()
    weight = dem.volume if objective == "total" else np.where(dem.sensitive, dem.volume, 0.0)
    if routing == "fixed":
        groups: Any = fixed_groups(net, dem.src, dem.dst, weight)
    elif routing == "adaptive":
        groups = adaptive_groups(net, dem.src, dem.dst, weight)
    else:
        raise AnalysisError(f"unknown routing {routing!r}; use fixed or adaptive", field="routing")
    cand = groups.candidates
    node_cost = _per_node(net, costs, "cost")[cand]
    missing = [net.node_ids[c] for c, v in zip(cand, node_cost, strict=True) if np.isnan(v)]
    if missing:
        raise AnalysisError(f"no cost for untrusted node(s) {', '.join(missing[:5])}",
                            field="costs")  # fmt: skip
    b = np.asarray([budget] * phases if isinstance(budget, int | float) else budget, dtype=float)
    if b.shape[0] != phases:
        raise AnalysisError(f"{b.shape[0]} budgets for {phases} phases", field="budget")
    due = np.full(cand.shape[0], -1, dtype=np.int64)
    pos = {int(c): j for j, c in enumerate(cand)}
    for node, ph in (deadlines or {}).items():
        j = pos.get(net.index_of(node))
        if j is not None:
            due[j] = ph
    goal: Goal = "min-cost" if objective == "min-cost" else "maximise"
    return PlanProblem(net, groups, node_cost, float(subsidy), b, due, goal)


def plan(
    net: Network,
    demands: Demands,
    *,
    costs: Mapping[str, float] | FloatArray | float,
    budget: float | Sequence[float],
    phases: int = 1,
    subsidy: float = 0.0,
    objective: Objective = "sensitive",
    routing: Routing = "fixed",
    solver: Solver = "milp",
    deadlines: Mapping[str, int] | None = None,
    time_limit: float = 60.0,
    gap: float = 1e-6,
) -> ReplacementPlan:
    """Plan the replacement of ``net``'s untrusted nodes.

    ``costs``: gross cost per node (node id → cost, an array over nodes or one number);
    ``budget``: the operator's money per phase (one number for every phase or one per
    phase; ``inf`` for none), spent on ``cost × (1 − subsidy)``; ``objective``: maximise the
    clean ``sensitive`` or ``total`` volume, or ``min-cost`` to make every sensitive demand
    clean; ``routing``: ``fixed`` (today's ECMP shortest paths) or ``adaptive`` (any clean
    path); ``deadlines``: node id → last phase index (0-based) it must be replaced in;
    ``time_limit`` (seconds) covers the whole call, ``gap`` is the MILP's relative target.
    """
    t0 = time.perf_counter()
    pr = build_problem(net, demands, costs=costs, budget=budget, phases=phases,
                       subsidy=subsidy, objective=objective, routing=routing,
                       deadlines=deadlines)  # fmt: skip
    return solve(pr, objective=objective, solver=solver, time_limit=time_limit, gap=gap, t0=t0)


def solve(
    pr: PlanProblem,
    *,
    objective: Objective = "sensitive",
    solver: Solver = "milp",
    time_limit: float = 60.0,
    gap: float = 1e-6,
    t0: float | None = None,
) -> ReplacementPlan:
    """Solve a built problem with ``solver`` and assemble the plan."""
    t0 = time.perf_counter() if t0 is None else t0
    stats: dict[str, Any] = {}
    tg = time.perf_counter()
    try:
        warm, _ = greedy_plan(pr)
    except AnalysisError:
        if solver == "greedy":
            raise
        warm = None
    stats["greedy_seconds"] = time.perf_counter() - tg
    if warm is not None:
        stats["greedy_objective"] = pr.objective(warm)
    if solver == "greedy":
        assert warm is not None
        return _assemble(pr, objective, solver, warm, None, None, t0, stats)
    if solver != "milp":
        raise AnalysisError(f"unknown solver {solver!r}; use milp or greedy", field="solver")
    if pr.m == 0 or pr.groups.n_groups == 0:
        start = warm if warm is not None else np.full(pr.m, -1, dtype=np.int64)
        return _assemble(pr, objective, solver, start, pr.objective(start), 0.0, t0, stats)
    left = max(1.0, time_limit - (time.perf_counter() - t0))  # the limit covers everything
    out = solve_milp(pr, warm, time_limit=left, gap=gap)
    stats.update(milp_status=out.status, milp_rounds=out.rounds, milp_cuts=out.cuts)
    return _assemble(pr, objective, solver, out.phase_of, out.bound, out.gap, t0, stats)


def _assemble(
    pr: PlanProblem, objective: Objective, solver: Solver, phase_of: IntArray,
    bound: float | None, gap: float | None, t0: float, stats: dict[str, Any],
) -> ReplacementPlan:  # fmt: skip
    ids = pr.net.node_ids
    moves = order_moves(pr, phase_of)
    total = pr.total_weight

    def share(w: float) -> float:
        return w / total if total > 0 else 1.0

    rep = np.zeros(pr.m, dtype=np.bool_)
    curve, spent, spent_net = [], 0.0, 0.0
    for ph, js in moves:
        rep[list(js)] = True
        spent += float(pr.cost[list(js)].sum())
        spent_net += float(pr.net_cost[list(js)].sum())
        w = pr.clean_weight(rep)
        curve.append(CurvePoint(ph + 1, tuple(ids[pr.candidates[j]] for j in js), spent,
                                spent_net, w, share(w)))  # fmt: skip
    phases = []
    for p in range(pr.phases):
        order = [j for ph, js in moves if ph == p for j in js]
        c = float(pr.cost[order].sum())
        w = pr.clean_weight((phase_of >= 0) & (phase_of <= p))
        phases.append(PlanPhase(p + 1, tuple(ids[pr.candidates[j]] for j in order), c,
                                c * pr.subsidy, c - c * pr.subsidy, float(pr.budget[p]), w,
                                share(w)))  # fmt: skip
    cost = float(pr.cost[phase_of >= 0].sum())
    before = pr.clean_weight(np.zeros(pr.m, dtype=np.bool_))
    return ReplacementPlan(
        network=pr.net.name, routing=pr.routing, objective=objective, solver=solver,
        replaced=tuple(d for p in phases for d in p.devices),
        objective_value=pr.objective(phase_of), bound=bound, optimality_gap=gap, cost=cost,
        subsidy=cost * pr.subsidy, net_cost=cost - cost * pr.subsidy, phases=tuple(phases),
        curve=tuple(curve), clean_volume_before=before, total_volume=total, candidates=pr.m,
        groups=pr.groups.n_groups, seconds=time.perf_counter() - t0, stats=stats,
    )  # fmt: skip
