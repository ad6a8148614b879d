"""The replacement plan of an audited network: device costs from the cost table (by role
and model of the covered devices in each node, overridable per node), deadlines by role and
date, and the sensitive demands of the audit or of a separate list.

>>> parse_budget("3e6/phase", 3)
[3000000.0, 3000000.0, 3000000.0]
>>> parse_budget("3e6", 3)
[1000000.0, 1000000.0, 1000000.0]
>>> parse_deadlines(["core=2026-12-31"])
{'core': datetime.date(2026, 12, 31)}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from cleanpath.analysis.planner import Objective, ReplacementPlan, Solver, build_problem, solve
from cleanpath.analysis.planner_model import Routing
from cleanpath.domain import CoverStatus, DemandClass, DemandRecord
from cleanpath.errors import InputError
from cleanpath.kb.costs import CostTable
from cleanpath.model.demands import Demands

__all__ = [
    "AuditLike",
    "node_costs",
    "parse_budget",
    "parse_deadlines",
    "phase_deadlines",
    "plan_for_audit",
]

if TYPE_CHECKING:
    from cleanpath.analysis.allpairs import AllPairsExposure
    from cleanpath.analysis.exposure import ExposureResult
    from cleanpath.model.network import Network


class AuditLike(Protocol):
    """What the planner reads from an audit (``cleanpath.pipeline.AuditResult``); a
    protocol keeps analysis below the pipeline layer."""

    @property
    def network(self) -> Network: ...
    @property
    def exposure(self) -> ExposureResult | AllPairsExposure: ...
    @property
    def identifications(self) -> Sequence[Any]: ...
    @property
    def verdicts(self) -> Sequence[Any]: ...
    @property
    def settings(self) -> Mapping[str, Any]: ...


def parse_budget(value: str, phases: int) -> list[float]:
    """``AMOUNT/phase`` (every phase gets AMOUNT) or ``AMOUNT`` (split equally); ``inf``
    for no limit."""
    text = value.strip().lower().replace(",", "").replace("_", "")
    per_phase = text.endswith("/phase")
    number = text.removesuffix("/phase").strip()
    try:
        amount = float(number)
    except ValueError:
        raise InputError(f"budget is not a number: {value!r}", field="budget") from None
    if not amount >= 0:
        raise InputError(f"budget must be >= 0: {value!r}", field="budget")
    if phases < 1:
        raise InputError("need at least one phase", field="phases")
    return [amount if per_phase or math.isinf(amount) else amount / phases] * phases


def parse_deadlines(items: Sequence[str]) -> dict[str, date]:
    """``ROLE=YYYY-MM-DD`` items → role → date."""
    out: dict[str, date] = {}
    for item in items:
        role, sep, when = item.partition("=")
        try:
            if not sep or not role.strip():
                raise ValueError
            out[role.strip().casefold()] = date.fromisoformat(when.strip())
        except ValueError:
            raise InputError(f"deadline must look like core=2026-12-31, not {item!r}",
                             field="deadline") from None  # fmt: skip
    return out


def phase_deadlines(
    node_roles: Mapping[str, Sequence[str]],
    deadlines: Mapping[str, date],
    phase_ends: Sequence[date],
) -> dict[str, int]:
    """Node id → last phase index (0-based) whose end is on or before the earliest deadline
    of the node's roles."""
    out: dict[str, int] = {}
    for node, roles in node_roles.items():
        dates = [deadlines[r] for r in roles if r in deadlines]
        if not dates:
            continue
        due = min(dates)
        ok = [p for p, end in enumerate(phase_ends) if end <= due]
        if not ok:
            raise InputError(f"node {node!r} is due {due} but the first phase ends "
                             f"{phase_ends[0]}", field="deadline")  # fmt: skip
        out[node] = ok[-1]
    return out


def node_costs(
    res: AuditLike, table: CostTable, overrides: Mapping[str, float] | None = None
) -> tuple[dict[str, float], dict[str, list[str]], dict[str, str]]:
    """Per untrusted node: cost (sum over its covered devices, by model then role), roles,
    and a basis string naming where each cost came from."""
    counted = {CoverStatus.COVERED}
    if res.settings.get("unknown_is_untrusted"):
        counted.add(CoverStatus.UNKNOWN)
    net = res.network
    untrusted = set(net.untrusted_ids())
    cost: dict[str, float] = {}
    roles: dict[str, list[str]] = {}
    basis: dict[str, str] = {}
    labels: dict[str, int] = {}
    for lab in net.labels:
        labels[lab] = labels.get(lab, 0) + 1
    lookup = {lab: net.node_ids[i] for i, lab in enumerate(net.labels) if labels[lab] == 1}
    lookup.update({nid: nid for nid in net.node_ids})
    for ident, v in zip(res.identifications, res.verdicts, strict=True):
        node = lookup.get(ident.device.node, "")
        if node not in untrusted or v.status not in counted:
            continue
        e = table.lookup(ident.device.role, ident.model or ident.device.model)
        cost[node] = cost.get(node, 0.0) + e.cost
        roles.setdefault(node, []).append((ident.device.role or "unknown").casefold())
        basis[node] = (basis.get(node, "") + f"{e.kind}:{e.model or e.role} ").strip() + " "
    fallback = table.lookup(None, None)
    for node in untrusted:
        if node not in cost:
            cost[node] = fallback.cost
            roles[node] = ["unknown"]
            basis[node] = f"{fallback.kind}:{fallback.role}"
    for node, value in (overrides or {}).items():
        if not net.has_node(node):
            raise InputError(f"cost given for unknown node {node!r}", field="costs")
        cost[node] = value
        basis[node] = "override"
    return cost, roles, {k: v.strip() for k, v in basis.items()}


def _demands(res: AuditLike, sensitive: Sequence[DemandRecord] | None) -> Demands:
    from cleanpath.analysis.exposure import ExposureResult

    ex = res.exposure
    # all pairs were aggregated by the audit: list them again
    base = ex.demands if isinstance(ex, ExposureResult) else ex.demand_set().materialize()
    if sensitive is None:
        return base
    plain = base.with_sensitive(np.zeros(len(base), dtype=np.bool_))
    recs = [replace(r, cls=DemandClass.SENSITIVE) for r in sensitive]
    return plain + Demands.from_records(res.network, recs)


def plan_for_audit(
    res: AuditLike,
    *,
    costs: CostTable,
    budget: Sequence[float],
    cost_overrides: Mapping[str, float] | None = None,
    sensitive: Sequence[DemandRecord] | None = None,
    subsidy: float = 0.0,
    objective: Objective = "sensitive",
    routing: Routing = "fixed",
    solver: Solver = "milp",
    deadlines: Mapping[str, date] | None = None,
    phase_ends: Sequence[date] | None = None,
    time_limit: float = 60.0,
    gap: float = 1e-6,
) -> ReplacementPlan:
    """Plan the replacement of the untrusted nodes of an audit (one phase per ``budget``
    entry; ``phase_ends`` dates the phases when ``deadlines`` (role → date) are given)."""
    cost, roles, basis = node_costs(res, costs, cost_overrides)
    due: dict[str, int] = {}
    if deadlines:
        if phase_ends is None or len(phase_ends) != len(budget):
            raise InputError("deadlines need one end date per phase", field="phase-end")
        due = phase_deadlines(roles, deadlines, phase_ends)
    pr = build_problem(
        res.network, _demands(res, sensitive), costs=cost, budget=list(budget),
        phases=len(budget), subsidy=subsidy, objective=objective, routing=routing,
        deadlines=due,
    )  # fmt: skip
    out = solve(pr, objective=objective, solver=solver, time_limit=time_limit, gap=gap)
    stats: dict[str, Any] = dict(out.stats)
    stats["cost_basis"] = {n: {"cost": cost[n], "basis": basis[n]} for n in sorted(cost)}
    stats["cost_table_version"] = costs.version
    stats["currency"] = costs.currency
    if phase_ends is not None:
        stats["phase_ends"] = [d.isoformat() for d in phase_ends]
    return replace(out, stats=stats)
