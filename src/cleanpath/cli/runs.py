"""``cleanpath runs list|show``, ``cleanpath diff``, ``cleanpath check`` and ``cleanpath serve``.

Each command opens the results database (``--db``, $CLEANPATH_DB, ./cleanpath.duckdb), calls
one library function and renders the answer as a table or as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cleanpath import settings
from cleanpath.cli import _options as opt
from cleanpath.cli._app import app, console, plain
from cleanpath.errors import InputError

runs_app = typer.Typer(
    help="Saved audit runs: list them, show one, write its covered-equipment filing.",
    no_args_is_help=True,
)
app.add_typer(runs_app, name="runs")

Db = opt.Db
Format = Annotated[str, typer.Option("--format", help="Output: table or json.")]


def _fmt(value: str) -> str:
    if value not in ("table", "json"):
        raise InputError(f"unknown format {value!r}; use table or json", field="format")
    return value


def _json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, indent=1, sort_keys=True, default=str) + "\n")


def _pct(x: Any) -> str:
    return "–" if x is None else f"{100 * float(x):.1f}%"


def _yes_no(x: Any) -> str:
    """A clean-path flag: yes, no, or – when the flow is absent from that run."""
    return "–" if x is None else ("yes" if x else "no")


@runs_app.command("list")
def runs_list(
    db: Db = None,
    network: Annotated[str | None, typer.Option(help="Only runs of this network.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many runs.")] = 50,
    format: Format = "table",
) -> None:
    """List saved runs, newest first.

    Example: cleanpath runs list --db cleanpath.duckdb
    """
    from cleanpath.store import Store, default_db

    with Store.open(default_db(db), read_only=True) as store:
        page = store.runs(network=network, limit=limit)
    if _fmt(format) == "json":
        return _json(page.to_dict())
    t = Table(title=f"{page.total} saved run(s); sens.exp = share of sensitive traffic "
                    "crossing untrusted equipment", title_justify="left")  # fmt: skip
    for c in ("run", "network", "saved (UTC)", "as of", "covered", "sens.exp"):
        t.add_column(c, no_wrap=True)
    for r in page.items:
        s = r["summary"]
        covered = f"{s.get('covered_devices', '')}/{s.get('devices', '')}"
        t.add_row(str(r["run_id"]), plain(r["network"]), r["created_at"][:16].replace("T", " "),
                  r["as_of"], covered,
                  _pct(s.get("sensitive_exposed_share")))  # fmt: skip
    console.print(t)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[int, typer.Argument(help="Run id (see `cleanpath runs list`).")],
    db: Db = None,
    format: Format = "table",
) -> None:
    """Show one run: summary, inputs and worst flows.

    Example: cleanpath runs show 3
    """
    from cleanpath.store import Store, default_db
    from cleanpath.web.views import run_view

    with Store.open(default_db(db), read_only=True) as store:
        run = run_view(store, run_id)
    if _fmt(format) == "json":
        return _json(run)
    t = Table(title=plain(f"run {run_id}: {run['network']} ({run['policy']} as of "
                          f"{run['as_of']}, KB {run['kb_version']})"),
              show_header=False, title_justify="left")  # fmt: skip
    for k, v in run["summary"].items():
        t.add_row(k.replace("_", " "), _pct(v) if "share" in k else str(v))
    for i in run["inputs"]:
        t.add_row(plain(f"input {i['name']}"), i["sha256"])
    console.print(t)
    console.print(_flow_table("worst flows", run["top_flows"][:10]))


@runs_app.command("filing")
def runs_filing(
    run_id: Annotated[int, typer.Argument(help="Run id (see `cleanpath runs list`).")],
    db: Db = None,
    out: Annotated[Path | None, typer.Option(help="Write the CSV here (default stdout).")] = None,
    include_unknown: Annotated[
        bool, typer.Option(help="Also list devices of unknown make.")
    ] = False,
) -> None:
    """Write the covered-equipment listing of a run (regulator-filing shape) as CSV.

    Example: cleanpath runs filing 3 --out covered-equipment.csv
    """
    from cleanpath.report.regulator import regulator_csv, regulator_rows_from_store
    from cleanpath.store import Store, default_db

    with Store.open(default_db(db), read_only=True) as store:
        text = regulator_csv(
            regulator_rows_from_store(store, run_id, include_unknown=include_unknown)
        )
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {plain(out)}")


def _flow_table(title: str, flows: list[dict[str, Any]]) -> Table:
    t = Table(title=title, title_justify="left")
    for c in ("from", "to", "volume", "exposed share", "clean path"):
        t.add_column(c)
    for f in flows:
        t.add_row(plain(f.get("src_label") or f["src"]), plain(f.get("dst_label") or f["dst"]),
                  f"{f['volume']:.3g}", _pct(f.get("exposed_share")),
                  _yes_no(bool(f.get("clean_path_exists"))))  # fmt: skip
    return t


def _change_table(title: str, rows: list[dict[str, Any]]) -> Table:
    t = Table(title=f"{title} ({len(rows)})", title_justify="left")
    for c in ("from", "to", "exposed before", "exposed after", "clean before", "clean after"):
        t.add_column(c)
    for f in rows[:50]:
        t.add_row(plain(f["src"]), plain(f["dst"]), _pct(f["exposed_share_a"]),
                  _pct(f["exposed_share_b"]), _yes_no(f["clean_path_a"]),
                  _yes_no(f["clean_path_b"]))  # fmt: skip
    return t


def _device_table(title: str, rows: list[dict[str, Any]]) -> Table:
    t = Table(title=f"{title} ({len(rows)})", title_justify="left")
    for c in ("node", "host", "before", "after"):
        t.add_column(c)
    for d in rows:
        before = f"{d['manufacturer_a'] or '–'} {d['model_a'] or ''} ({d['status_a'] or 'absent'})"
        after = f"{d['manufacturer_b'] or '–'} {d['model_b'] or ''} ({d['status_b'] or 'removed'})"
        t.add_row(plain(d["label"] or d["node_id"]), plain(d["hostname"] or ""), plain(before),
                  plain(after))  # fmt: skip
    return t


@app.command()
def diff(
    run_a: Annotated[int, typer.Argument(help="The run before.")],
    run_b: Annotated[int, typer.Argument(help="The run after.")],
    db: Db = None,
    format: Format = "table",
) -> None:
    """What changed between two runs: devices that became covered or were replaced,
    sensitive flows that gained or lost exposure or a clean path, volume changes.

    Example: cleanpath diff 1 2
    """
    from cleanpath.store import Store, default_db, diff_runs

    with Store.open(default_db(db), read_only=True) as store:
        d = diff_runs(store, run_a, run_b)
    if _fmt(format) == "json":
        return _json(d.to_dict() | {"counts": d.counts()})
    if not d.same_network:
        console.print(f"[yellow]runs {run_a} and {run_b} audit different networks[/]")
    console.print(_device_table("devices that became covered", d.became_covered))
    console.print(_device_table("covered devices replaced or removed", d.replaced))
    for key in ("gained_exposure", "lost_exposure", "gained_clean_path", "lost_clean_path"):
        console.print(_change_table(f"sensitive flows that {key.replace('_', ' ')}",
                                    getattr(d, key)))  # fmt: skip
    t = Table(title="largest changes of carried volume", title_justify="left")
    for c in ("node", "before", "after", "change"):
        t.add_column(c)
    for v in d.volume_deltas:
        t.add_row(plain(v["label"] or v["node_id"]), f"{v['volume_a']:.4g}",
                  f"{v['volume_b']:.4g}", f"{v['volume_delta']:+.4g}")  # fmt: skip
    console.print(t)


def _baseline(store: Any, value: str | None, run_id: int, network: str) -> int | None:
    if value is None:
        return None
    if value == "latest":
        return store.latest_run(network=network, before=run_id)  # type: ignore[no-any-return]
    try:
        return int(value)
    except ValueError:
        raise InputError(f"not a run id or 'latest': {value!r}", field="baseline") from None


@app.command()
def check(
    network: opt.NetworkArg,
    inventory: opt.Inventory = None,
    untrusted_nodes: opt.UntrustedNodes = None,
    demands: opt.Demands = None,
    sites: opt.Sites = None,
    weight: opt.Weight = None,
    policy: opt.Policy = None,
    as_of: opt.AsOf = None,
    unknown_untrusted: opt.UnknownUntrusted = False,
    seed: opt.Seed = 0,
    engine: opt.Engine = None,
    scheduler: opt.Scheduler = None,
    baseline: Annotated[
        str | None, typer.Option(help="Run id to compare with, or 'latest'.")
    ] = None,
    max_sensitive_exposure: Annotated[
        float, typer.Option(help="Largest exposed share allowed per sensitive flow (0..1).")
    ] = 0.0,
    db: Db = None,
    format: Format = "table",
) -> None:
    """Audit NETWORK, save the run, and exit 1 listing the offending flows when a sensitive
    flow is more exposed than --max-sensitive-exposure or gained exposure since --baseline.

    Example: cleanpath check net.graphml --inventory devices.csv --sites sites.csv --baseline latest
    """
    policy, weight = settings.value("policy", policy), settings.value("weight", weight)
    engine, scheduler = settings.value("engine", engine), settings.value("scheduler", scheduler)
    from cleanpath.audit_io import load_audit_inputs
    from cleanpath.cli.audit import parse_date, parse_node_list
    from cleanpath.kb import load_kb
    from cleanpath.pipeline import audit
    from cleanpath.store import Store, check_run, default_db, hash_files

    _fmt(format)
    inputs = load_audit_inputs(network, inventory=inventory or [], demands=demands,
                               sites=sites, seed=seed)  # fmt: skip
    res = audit(
        inputs.topology, kb=load_kb(), as_of=parse_date(as_of), inventory=inputs.inventory,
        untrusted_nodes=parse_node_list(untrusted_nodes), demands=inputs.demands,
        sites=inputs.sites, hubs=inputs.hubs, weight=weight, policy=policy,
        unknown_is_untrusted=unknown_untrusted, engine=engine, scheduler=scheduler,
    )  # fmt: skip
    files = [network, *(inventory or []), *([sites] if sites else [])]
    files += [Path(demands)] if demands and Path(demands).is_file() else []
    with Store.open(default_db(db)) as store:
        run_id = store.save_run(res, inputs=hash_files(files), label="check")
        base = _baseline(store, baseline, run_id, res.network.name)
        result = check_run(store, run_id, baseline=base,
                           max_sensitive_exposure=max_sensitive_exposure)  # fmt: skip
    _print_check(result, format)
    if not result.ok:
        sys.exit(1)  # not typer.Exit: main() runs click with standalone_mode=False


def _print_check(result: Any, format: str) -> None:
    if format == "json":
        return _json(result.to_dict())
    over, gained = result.over_threshold, result.gained_exposure
    if over:
        console.print(_flow_table(f"sensitive flows over {_pct(result.max_sensitive_exposure)} "
                                  f"exposure ({len(over)})", over))  # fmt: skip
    if gained:
        console.print(_change_table(f"sensitive flows that gained exposure since run "
                                    f"{result.baseline}", gained))  # fmt: skip
    if result.unlisted_exposed:
        console.print(f"{result.unlisted_exposed} more exposed sensitive flows (not kept)")
    for note in result.notes:
        console.print(f"[yellow]note:[/] {plain(note)}")
    verdict = "[green]pass[/]" if result.ok else "[bold red]FAIL[/]"
    console.print(f"check of run {result.run_id}: {verdict}")


@app.command()
def serve(
    db: Db = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(help="Bearer token clients must send; required "
                     "off loopback (setting token).")] = None,
) -> None:  # fmt: skip
    """Serve the dashboard and its JSON API (OpenAPI at /openapi.json).

    Example: cleanpath serve --db cleanpath.duckdb --port 8000
    """
    from cleanpath.store import default_db
    from cleanpath.web import require_token_for
    from cleanpath.web import serve as run_server

    token = settings.value("token", token)
    require_token_for(host, token)
    path = default_db(db)
    shown = f"[{host}]" if ":" in host else host
    console.print(plain(f"serving {path} on http://{shown}:{port}/  (Ctrl-C stops)"),
                  highlight=False)  # fmt: skip
    run_server(path, host=host, port=port, token=token)
