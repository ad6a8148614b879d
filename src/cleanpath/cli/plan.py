"""``cleanpath plan``: a phased rip-and-replace plan under a budget."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cleanpath import settings
from cleanpath.cli import _options as opt
from cleanpath.cli._app import app, console, plain
from cleanpath.cli._render import plan_doc_table
from cleanpath.errors import InputError

_OBJECTIVES = ("sensitive", "total", "min-cost")
_FORMATS = ("table", "json", "csv")


def _choice(value: str, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise InputError(f"unknown {field} {value!r}; use {' or '.join(allowed)}", field=field)
    return value


def _phase_ends(first: str | None, phases: int) -> list[date] | None:
    if first is None:
        return None
    from cleanpath.cli.audit import parse_date

    d = parse_date(first, field="phase-end")
    return [d.replace(year=d.year + k) for k in range(phases)]


@app.command()
def plan(
    network: opt.NetworkArg,
    budget: Annotated[
        str,
        typer.Option(
            help="Operator's money: AMOUNT (total, split over phases), AMOUNT/phase, or inf."
        ),
    ],
    inventory: opt.Inventory = None,
    untrusted_nodes: opt.UntrustedNodes = None,
    demands: opt.Demands = None,
    sites: opt.Sites = None,
    sensitive: Annotated[
        Path | None, typer.Option(help="CSV src,dst,volume of sensitive demands.")
    ] = None,
    costs: Annotated[
        Path | None, typer.Option(help="CSV node,cost overriding the cost table.")
    ] = None,
    phases: Annotated[int, typer.Option(help="Number of phases (e.g. years).")] = 1,
    subsidy: Annotated[float, typer.Option(help="Share of the cost paid by a subsidy.")] = 0.0,
    objective: Annotated[str, typer.Option(help="sensitive, total or min-cost.")] = "sensitive",
    routing: Annotated[str, typer.Option(help="fixed (today's paths) or adaptive.")] = "fixed",
    solver: Annotated[str, typer.Option(help="milp or greedy.")] = "milp",
    deadline: Annotated[
        list[str] | None, typer.Option(help="ROLE=YYYY-MM-DD (repeatable), e.g. core=2026-12-31.")
    ] = None,
    phase_end: Annotated[
        str | None, typer.Option(help="End date of phase 1; later phases end yearly after it.")
    ] = None,
    time_limit: Annotated[float, typer.Option(help="MILP time limit in seconds.")] = 60.0,
    policy: opt.Policy = None,
    as_of: opt.AsOf = None,
    weight: opt.Weight = None,
    seed: opt.Seed = 0,
    format: Annotated[str, typer.Option(help="Output: table, json or csv.")] = "table",
) -> None:
    """Plan which untrusted devices to replace first, phase by phase, to clean the most
    sensitive traffic under a budget (or to clean all of it at least cost).

    Example: cleanpath plan net.graphml --untrusted-nodes A,B --budget 2e6/phase --phases 3
    --subsidy 0.395 --deadline core=2027-12-31 --phase-end 2026-12-31 --format json
    """
    policy, weight = settings.value("policy", policy), settings.value("weight", weight)
    from cleanpath.analysis.planner_audit import parse_budget, parse_deadlines, plan_for_audit
    from cleanpath.audit_io import load_audit_inputs
    from cleanpath.cli.audit import parse_date, parse_node_list
    from cleanpath.ingest.demands import read_demands_csv
    from cleanpath.kb import load_kb
    from cleanpath.kb.costs import load_costs, read_node_costs
    from cleanpath.pipeline import audit as run_audit

    fmt = _choice(format, _FORMATS, "format")
    deadlines = parse_deadlines(deadline or [])
    inputs = load_audit_inputs(network, inventory=inventory or [], demands=demands,
                               sites=sites, seed=seed)  # fmt: skip
    res = run_audit(
        inputs.topology, kb=load_kb(), as_of=parse_date(as_of), inventory=inputs.inventory,
        untrusted_nodes=parse_node_list(untrusted_nodes), demands=inputs.demands,
        sites=inputs.sites, hubs=inputs.hubs, weight=weight, policy=policy,
    )  # fmt: skip
    result = plan_for_audit(
        res, costs=load_costs(), budget=parse_budget(budget, phases),
        cost_overrides=read_node_costs(costs) if costs else None,
        sensitive=read_demands_csv(sensitive) if sensitive else None, subsidy=subsidy,
        objective=_choice(objective, _OBJECTIVES, "objective"),  # type: ignore[arg-type]
        routing=_choice(routing, ("fixed", "adaptive"), "routing"),  # type: ignore[arg-type]
        solver=_choice(solver, ("milp", "greedy"), "solver"),  # type: ignore[arg-type]
        deadlines=deadlines, phase_ends=_phase_ends(phase_end, phases), time_limit=time_limit,
    )  # fmt: skip
    doc = result.to_dict()
    if fmt == "json":
        sys.stdout.write(json.dumps(doc, indent=1, allow_nan=False) + "\n")
    elif fmt == "csv":
        sys.stdout.write(_csv(doc))
    else:
        _print_tables(doc)


def _csv(doc: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["phase", "devices", "cost", "subsidy", "net_cost", "clean_share_after"])
    for p in doc["phases"]:
        w.writerow([p["phase"], ";".join(p["devices"]), p["cost"], p["subsidy"], p["net_cost"],
                    p["clean_share_after"]])  # fmt: skip
    return buf.getvalue()


def _print_tables(doc: dict[str, Any]) -> None:
    console.print(plan_doc_table(doc))
    cv = Table(title="clean volume against money spent", title_justify="left")
    for col in ("after buying", "cost so far", "clean volume", "clean share"):
        cv.add_column(col, justify="left" if col == "after buying" else "right")
    cv.add_row("(nothing)", "0", f"{doc['clean_volume_before']:.4g}",
              f"{100 * doc['clean_volume_before'] / (doc['total_volume'] or 1):.1f}%")  # fmt: skip
    for pt in doc["curve"]:
        cv.add_row(plain(", ".join(pt["devices"])), f"{pt['cost']:,.0f}",
                   f"{pt['clean_volume']:.4g}", f"{100 * pt['clean_share']:.1f}%")  # fmt: skip
    console.print(cv)
