"""``cleanpath reroute``: which sensitive traffic can take a clean path today, by routing
alone, within link capacity."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cleanpath import settings
from cleanpath.cli import _options as opt
from cleanpath.cli._app import app, console, plain
from cleanpath.cli._render import progress_bar
from cleanpath.cli.audit import parse_date, parse_node_list
from cleanpath.errors import InputError

OBJECTIVES = ("max-utilisation", "igp-cost")
METHODS = ("auto", "arc", "path")


@app.command()
def reroute(
    network: opt.NetworkArg,
    inventory: opt.Inventory = None,
    untrusted_nodes: opt.UntrustedNodes = None,
    demands: opt.Demands = None,
    sites: opt.Sites = None,
    capacities: Annotated[
        Path | None, typer.Option(help="CSV link,capacity or src,dst,capacity.")
    ] = None,
    objective: Annotated[
        str, typer.Option(help="max-utilisation or igp-cost.")
    ] = "max-utilisation",
    method: Annotated[str, typer.Option(help="auto, arc or path (column generation).")] = "auto",
    policy: opt.Policy = None,
    as_of: opt.AsOf = None,
    weight: opt.Weight = None,
    format: Annotated[str, typer.Option(help="Output: table or json.")] = "table",
) -> None:
    """Route sensitive demands over trusted nodes only and normal ones anywhere, within link
    capacity (LP, HiGHS); say for each sensitive demand whether and why it cannot be clean.

    Example: cleanpath reroute net.graphml --untrusted-nodes 3,7 --capacities cap.csv
    """
    policy, weight = settings.value("policy", policy), settings.value("weight", weight)
    from cleanpath.analysis.exposure import ExposureResult
    from cleanpath.analysis.reroute import reroute as run_reroute
    from cleanpath.audit_io import load_audit_inputs
    from cleanpath.ingest.capacities import read_capacities_csv
    from cleanpath.kb import load_kb
    from cleanpath.model.capacity import link_capacities
    from cleanpath.pipeline import audit

    for value, allowed, name in ((objective, OBJECTIVES, "objective"), (method, METHODS, "method"),
                                 (format, ("table", "json"), "format")):  # fmt: skip
        if value not in allowed:
            raise InputError(f"{value!r}: use one of {', '.join(allowed)}", field=name)
    inputs = load_audit_inputs(network, inventory=inventory or [], demands=demands, sites=sites)
    with progress_bar("routing demands") as update:
        res = audit(
            inputs.topology, kb=load_kb(), as_of=parse_date(as_of), inventory=inputs.inventory,
            untrusted_nodes=parse_node_list(untrusted_nodes), demands=inputs.demands,
            sites=inputs.sites, hubs=inputs.hubs, weight=weight, policy=policy, progress=update,
        )  # fmt: skip
    if not isinstance(res.exposure, ExposureResult):
        raise InputError(
            "too many all-pairs demands to reroute; give a demand file", field="demands"
        )
    cap = link_capacities(res.network, read_capacities_csv(capacities)) if capacities else None
    out = run_reroute(res.network, res.exposure.demands, capacity=cap, objective=objective,  # type: ignore[arg-type]
                      method=method)  # type: ignore[arg-type]  # fmt: skip
    if format == "json":
        sys.stdout.write(json.dumps(out.to_dict(), indent=1, allow_nan=False, default=str) + "\n")
        return
    s = out.summary()
    t = Table(title=plain(f"{res.network.name}: clean rerouting ({s['method']}, {s['objective']})"),
              show_header=False, title_justify="left")  # fmt: skip
    for k, v in s.items():
        t.add_row(k.replace("_", " "), f"{v:.4g}" if isinstance(v, float) else str(v))
    console.print(t)
    rows = Table(title="sensitive demands that cannot be fully clean", title_justify="left")
    for c in ("src", "dst", "volume", "routed clean", "status", "why"):
        rows.add_column(c)
    for r in out.sensitive:
        if r.status != "clean":
            rows.add_row(plain(r.src), plain(r.dst), f"{r.volume:.4g}", f"{r.routed:.4g}", r.status,
                         plain(r.reason))  # fmt: skip
    console.print(rows)
