"""``cleanpath audit`` and ``cleanpath demo``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cleanpath import settings
from cleanpath.cli import _options as opt
from cleanpath.cli._app import app, console, plain
from cleanpath.cli._render import plan_table, print_audit, progress_bar
from cleanpath.errors import InputError

if TYPE_CHECKING:
    from cleanpath.demo.run import DemoRun


def parse_date(value: str | None, *, field: str = "as-of") -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"not a date (YYYY-MM-DD): {value!r}", field=field) from None


def parse_node_list(value: str | None) -> list[str]:
    """``ID,ID,...`` or ``@FILE`` (one node id per line, # comments allowed)."""
    if not value:
        return []
    if value.startswith("@"):
        path = Path(value[1:])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"cannot read node list: {exc.strerror}", path=str(path)) from None
        return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [x.strip() for x in value.split(",") if x.strip()]


@app.command()
def audit(
    network: opt.NetworkArg,
    inventory: opt.Inventory = None,
    untrusted_nodes: opt.UntrustedNodes = None,
    demands: opt.Demands = None,
    sites: opt.Sites = None,
    weight: opt.Weight = None,
    policy: opt.Policy = None,
    as_of: opt.AsOf = None,
    unknown_untrusted: opt.UnknownUntrusted = False,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write report.html, report.md, report.json, results.json (the JSON contract) and "
            "covered-equipment.csv here."
        ),
    ] = None,
    integrity: Annotated[
        list[str] | None,
        typer.Option(help="NODE=FILE: a 'hw audit --format json' result shown in the report."),
    ] = None,
    format: Annotated[str, typer.Option(help="Output: table or json.")] = "table",
    top: Annotated[int, typer.Option(help="Worst demands listed in JSON.")] = 100,
    all_demands: Annotated[bool, typer.Option(help="List every demand in JSON.")] = False,
    seed: opt.Seed = 0,
    engine: opt.Engine = None,
    scheduler: opt.Scheduler = None,
    db: opt.Db = None,
    save: Annotated[bool, typer.Option(help="Save the run in the results database.")] = True,
) -> None:
    """Audit a network: who made each device, how much (sensitive) traffic crosses covered
    equipment, and which flows have a clean path.

    Example: cleanpath audit net.graphml --inventory devices.csv --demands all-pairs --format json
    """
    policy, weight = settings.value("policy", policy), settings.value("weight", weight)
    engine, scheduler = settings.value("engine", engine), settings.value("scheduler", scheduler)
    from cleanpath.audit_io import load_audit_inputs, read_integrity_reports, write_audit_outputs
    from cleanpath.kb import load_kb
    from cleanpath.pipeline import audit as run_audit

    if format not in ("table", "json"):
        raise InputError(f"unknown format {format!r}; use table or json", field="format")
    inputs = load_audit_inputs(network, inventory=inventory or [], demands=demands,
                               sites=sites, seed=seed)  # fmt: skip
    with progress_bar("routing demands") as update:
        res = run_audit(
            inputs.topology, kb=load_kb(), as_of=parse_date(as_of),
            inventory=inputs.inventory, untrusted_nodes=parse_node_list(untrusted_nodes),
            demands=inputs.demands, sites=inputs.sites, hubs=inputs.hubs, weight=weight,
            policy=policy, unknown_is_untrusted=unknown_untrusted, engine=engine,
            scheduler=scheduler, progress=update,
        )  # fmt: skip
    hw_rows = read_integrity_reports(integrity or [])
    if out is not None:
        write_audit_outputs(res, out, integrity=hw_rows)
    run_id = None
    if save:
        from cleanpath.store import hash_files, save_audit

        named = [network, *(inventory or [])] + ([sites] if sites else [])
        if demands not in (None, "all-pairs", "gravity"):
            named.append(Path(demands))
        run_id = save_audit(db, res, hash_files(named))[0]
    if format == "json":
        doc = res.to_json_contract(top=top, all_demands=all_demands)
        sys.stdout.write(json.dumps(doc, indent=1, allow_nan=False) + "\n")
    else:
        print_audit(res)
        if out is not None:
            console.print(f"report written to {plain(out)}/report.html")
        if run_id is not None:
            from cleanpath.store import default_db

            console.print(f"saved as run {run_id} in {plain(default_db(db))}")


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("cleanpath-demo"),
    seed: Annotated[int, typer.Option(help="Seed of the illustrative inventory.")] = 2026,
    as_of: Annotated[str | None, typer.Option(help="Verdict date YYYY-MM-DD.")] = "2026-11-28",
    db: opt.Db = None,
) -> None:
    """Audit three real operator networks (Topology Zoo, CC BY 4.0) with an illustrative
    inventory and US military sites as sensitive endpoints; write an HTML report.

    Example: cleanpath demo --out cleanpath-demo
    """
    from cleanpath.demo.run import run_demo

    with progress_bar("auditing demo networks") as update:
        run = run_demo(out, seed=seed, as_of=parse_date(as_of), progress=update)
    console.print("[bold]cleanpath demo[/] — the device inventory is [italic]illustrative[/] "
                  "(seeded), not a claim about these operators.")  # fmt: skip
    for res, plan in zip(run.results, run.plans, strict=True):
        print_audit(res)
        console.print(plan_table(plan))
    for p in run.paths:
        console.print(f"wrote {plain(p)}")
    from cleanpath.store import dashboard_command

    ids = _save_demo(db, run, out)
    console.print(f"saved runs {', '.join(map(str, ids))}")
    console.print(plain(dashboard_command(db)), highlight=False, soft_wrap=True)


def _save_demo(db: Path | None, run: DemoRun, out: Path) -> list[int]:
    """Save each demo network's run with its plan and the hashes of the files it was audited
    from (its own graph and inventory, the shared site lists), as one batch."""
    import uuid

    from cleanpath.demo.scenario import data_file, demo_scenarios
    from cleanpath.store import Store, default_db, hash_files

    shared = [Path(str(data_file(name))) for name in ("sites.csv", "hubs.csv")]
    batch = uuid.uuid4().hex[:12]
    ids = []
    with Store.open(default_db(db)) as store:
        for res, plan, sc in zip(run.results, run.plans, demo_scenarios(), strict=True):
            files = [Path(str(sc.graphml)), out / f"inventory-{res.network.name}.csv", *shared]
            inputs = hash_files([f for f in files if f.is_file()])
            ids.append(store.save_run(res, inputs=inputs, plan=plan.to_dict(), batch=batch,
                                      label="demo"))  # fmt: skip
    return ids
