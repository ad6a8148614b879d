"""``cleanpath discover``: poll SNMP agents, write the inventory and LLDP topology."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cleanpath.cli._app import app, console, err_console, plain
from cleanpath.discover.run import AgentOutcome, DiscoveryResult, discover
from cleanpath.discover.snmp import Credentials
from cleanpath.discover.targets import read_targets
from cleanpath.errors import InputError

__all__ = ["discover_command"]


def _credentials(
    community: str | None, v3_user: str | None, auth_key: str | None, priv_key: str | None
) -> Credentials:
    if v3_user is None and (auth_key or priv_key):
        raise InputError("--auth-key/--priv-key need --v3-user", field="v3-user")
    if v3_user is not None and community is not None:
        raise InputError("use either --community or --v3-user", field="community")
    if priv_key and not auth_key:
        raise InputError("SNMPv3 privacy needs an --auth-key too", field="auth-key")
    return Credentials(
        community=community or "public", v3_user=v3_user, auth_key=auth_key, priv_key=priv_key
    )


def _run_with_progress(run: object, total: int) -> DiscoveryResult:
    counts = {"ok": 0, "failed": 0}
    columns = (
        TextColumn("[bold]polling"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "ok {task.fields[ok]}  failed {task.fields[failed]}  remaining {task.fields[left]}"
        ),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as bar:
        task = bar.add_task("poll", total=total, ok=0, failed=0, left=total)

        def progress(o: AgentOutcome) -> None:
            counts["ok" if o.ok else "failed"] += 1
            done = counts["ok"] + counts["failed"]
            bar.update(
                task, completed=done, left=total - done, ok=counts["ok"], failed=counts["failed"]
            )

        assert callable(run)
        result: DiscoveryResult = run(progress)
    return result


def _summary(result: DiscoveryResult, out: Path | None) -> None:
    inv = result.inventory
    polled = sum(1 for d in inv.devices if not d.extra.get("observed_only"))
    table = Table("device", "agent", "sysObjectID", "model", "mac", title="discovered devices")
    for d in inv.devices[:50]:
        table.add_row(
            plain(d.node),
            plain(d.extra.get("agent", "(LLDP neighbour)")),
            plain(d.sys_object_id or ""),
            plain(d.model or ""),
            plain(d.mac or ""),
        )
    console.print(table)
    console.print(
        f"{polled} agents answered, {len(result.failed)} failed, "
        f"{len(inv.devices) - polled} LLDP neighbours not polled, {len(inv.links)} links"
        + (f"; written to {plain(out)}" if out else "")
    )
    for a in result.failed[:20]:
        err_console.print(f"[red]failed[/] {plain(a.agent)}: {plain(a.error)}", highlight=False)


@app.command("discover")
def discover_command(
    targets: Annotated[
        list[str],
        typer.Argument(help="Files of host[:port][,community] lines, or addresses/CIDRs."),
    ],
    community: Annotated[
        str | None, typer.Option(help="SNMPv2c community (default 'public').")
    ] = None,
    v3_user: Annotated[str | None, typer.Option(help="SNMPv3 user name.")] = None,
    auth_key: Annotated[str | None, typer.Option(help="SNMPv3 auth key (SHA).")] = None,
    priv_key: Annotated[str | None, typer.Option(help="SNMPv3 privacy key (AES-128).")] = None,
    port: Annotated[int, typer.Option(help="UDP port when a target names none.")] = 161,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each reply.")] = 2.0,
    retries: Annotated[int, typer.Option(help="Retries per request.")] = 1,
    concurrency: Annotated[int, typer.Option(help="Agents polled at the same time.")] = 100,
    out: Annotated[
        Path | None, typer.Option(help="Write devices.csv (.csv) or result.json (.json).")
    ] = None,
) -> None:
    """Poll SNMP agents: inventory (system, ENTITY, IF, BRIDGE, LLDP MIBs) + LLDP topology.

    Example: cleanpath discover targets.txt 10.0.0.0/28 --community lab --out result.json
    """
    creds = _credentials(community, v3_user, auth_key, priv_key)
    found = read_targets(targets, port=port, community=None)
    result = _run_with_progress(
        lambda progress: discover(
            found,
            credentials=creds,
            timeout=timeout,
            retries=retries,
            concurrency=concurrency,
            progress=progress,
        ),
        len(found),
    )
    if out is not None:
        from cleanpath.discover.result import write_result

        write_result(result, out)
    _summary(result, out)
    if result.agents and not any(a.ok for a in result.agents):
        raise typer.Exit(1)
