"""The bundled demo: three real operator networks, illustrative inventories, US military
installations as sensitive endpoints, one self-contained HTML report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cleanpath.analysis.planner import ReplacementPlan
from cleanpath.analysis.planner_audit import node_costs, plan_for_audit
from cleanpath.kb.costs import CostTable, load_costs
from cleanpath.pipeline import AuditResult, DemandSpec, audit

__all__ = ["DEMO_TRAFFIC_TOTAL", "DemoRun", "demo_plan", "run_demo"]

DEMO_PHASES = 3
DEMO_SUBSIDY = 0.395
"""The share of the cost the FCC reimbursement program paid after proration (2022-07-15)."""
DEMO_BUDGET_SHARE = 0.25
"""Each phase's operator budget: this share of the net cost of replacing every covered node
(at least the dearest single node), so the plan has to choose what comes first."""

DEMO_TRAFFIC_TOTAL = 1000.0
"""Volume of the background (normal) gravity-model traffic per network, in arbitrary units;
each sensitive site-to-hub demand carries 1 unit."""


@dataclass(frozen=True, eq=False)
class DemoRun:
    """What :func:`run_demo` produced: audits, plans (one per network) and written files."""

    results: list[AuditResult]
    plans: list[ReplacementPlan]
    paths: list[Path]


def demo_plan(res: AuditResult, costs: CostTable, *, time_limit: float = 30.0) -> ReplacementPlan:
    """The demo's phased plan: ``DEMO_PHASES`` phases, each with ``DEMO_BUDGET_SHARE`` of the
    net cost of replacing every covered node (at least the dearest node), ``DEMO_SUBSIDY`` paid
    by a subsidy, fixed routing, maximising the clean sensitive volume (MILP)."""
    cost, _, _ = node_costs(res, costs)
    net = 1 - DEMO_SUBSIDY
    # every node must be affordable in some phase (unspent money does not carry over)
    per_phase = max(DEMO_BUDGET_SHARE * sum(cost.values()), max(cost.values(), default=0.0)) * net
    return plan_for_audit(
        res, costs=costs, budget=[per_phase] * DEMO_PHASES, subsidy=DEMO_SUBSIDY,
        objective="sensitive", routing="fixed", solver="milp", time_limit=time_limit,
    )  # fmt: skip


def run_demo(
    out: Path,
    *,
    seed: int = 2026,
    as_of: date = date(2026, 11, 28),
    progress: Callable[[int, int], None] | None = None,
) -> DemoRun:
    """Audit every demo scenario, plan its replacement, and write the reports into ``out``."""
    from cleanpath.audit_io import write_audit_outputs
    from cleanpath.demo.inventory import illustrative_inventory, write_inventory_csv
    from cleanpath.demo.scenario import demo_scenarios
    from cleanpath.ingest.topology import read_topology
    from cleanpath.kb import load_kb
    from cleanpath.report.context import plan_context

    kb, costs = load_kb(), load_costs()
    results, plans = [], []
    out.mkdir(parents=True, exist_ok=True)
    scenarios = demo_scenarios()
    for k, sc in enumerate(scenarios):
        topo = read_topology(Path(str(sc.graphml)))
        inv = illustrative_inventory(topo, seed=seed + sc.seed, profile=sc.profile)
        write_inventory_csv(inv, out / f"inventory-{topo.name}.csv")
        res = audit(
            topo, kb=kb, as_of=as_of, inventory=inv, sites=sc.sites, hubs=sc.hubs,
            demands=DemandSpec(gravity_total=DEMO_TRAFFIC_TOTAL, seed=seed + sc.seed),
            weight="distance",
        )  # fmt: skip
        results.append(res)
        plans.append(demo_plan(res, costs))
        if progress is not None:
            progress(k + 1, len(scenarios))
    note = (f"Illustrative budget: {DEMO_PHASES} phases, each {DEMO_BUDGET_SHARE:.0%} of the net "
            "cost of replacing every covered device (at least the dearest one); subsidy "
            f"{DEMO_SUBSIDY:.1%}; device costs are order-of-magnitude estimates "
            "(kb/data/costs.yaml).")  # fmt: skip
    paths = write_audit_outputs(
        results, out, title="cleanpath demo: untrusted equipment on paths to US installations",
        illustrative_inventory=True, generated=as_of,
        plans=[plan_context(p, note=note) for p in plans],
    )  # fmt: skip
    return DemoRun(results, plans, paths)
