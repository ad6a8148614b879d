"""Rich rendering shared by commands: summaries, tables, progress bars."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cleanpath.cli._app import console, err_console, plain
from cleanpath.pipeline import AuditResult


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback ``(done, total)`` drawing a rich bar on stderr (only on a terminal)."""
    prog = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=True, disable=not err_console.is_terminal,
    )  # fmt: skip
    task = prog.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        prog.update(task, completed=done, total=total)

    with prog:
        yield update


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def summary_table(res: AuditResult, *, title: str | None = None) -> Table:
    s = res.summary()
    t = Table(title=title or plain(f"{res.network.name}: audit as of {res.as_of} ({res.policy})"),
              show_header=False, title_justify="left")  # fmt: skip
    t.add_column("what")
    t.add_column("value", justify="right")
    rows: list[tuple[str, Any]] = [
        ("nodes / links", f"{s['nodes']} / {s['links']}"),
        ("devices (covered / unknown / not covered)",
         f"{s['devices']} ({s['covered_devices']} / {s['unknown_devices']} / "
         f"{s['not_covered_devices']})"),
        ("untrusted nodes", s["untrusted_nodes"]),
        ("demands (unroutable)", f"{s['demands']} ({s['unroutable']})"),
        ("traffic crossing untrusted equipment", _pct(s["exposed_share"])),
        ("sensitive traffic crossing untrusted equipment", _pct(s["sensitive_exposed_share"])),
        ("sensitive flows: exposed / total", f"{s['sensitive_flows_exposed']} / "
         f"{s['sensitive_flows']}"),
        ("sensitive flows with a clean path", s["sensitive_flows_clean_path"]),
        ("sensitive flows without a clean path", s["sensitive_flows_no_clean_path"]),
    ]  # fmt: skip
    if s["skipped_records"]:
        rows.append(("skipped input records", s["skipped_records"]))
    for k, v in rows:
        t.add_row(k, str(v))
    return t


def top_devices_table(res: AuditResult, k: int = 5) -> Table:
    import numpy as np

    ex = res.exposure
    t = Table(title="top devices by sensitive volume carried", title_justify="left")
    for c in ("node", "manufacturer", "model", "verdict", "sensitive volume", "all volume"):
        t.add_column(c, justify="right" if "volume" in c else "left")
    order = np.argsort(-ex.node_sensitive_volume, kind="stable")
    shown = 0
    for i in order:
        nv = res.node_verdicts[int(i)]
        if not nv.devices:
            continue
        style = {"covered": "red", "unknown": "yellow"}.get(str(nv.status), "green")
        t.add_row(
            plain(res.network.labels[int(i)]), plain(nv.manufacturer or "?"),
            plain(nv.model or "?"),
            f"[{style}]{nv.status}[/]", f"{ex.node_sensitive_volume[i]:.3g}",
            f"{ex.node_volume[i]:.3g}",
        )  # fmt: skip
        shown += 1
        if shown >= k:
            break
    return t


def print_audit(res: AuditResult) -> None:
    console.print(summary_table(res))
    console.print(top_devices_table(res))
    for s in res.skipped[:10]:
        err_console.print(f"[yellow]skipped[/] {plain(s)}", highlight=False)
    if len(res.skipped) > 10:
        err_console.print(f"[yellow]… and {len(res.skipped) - 10} more skipped records[/]")


def plan_doc_table(doc: dict[str, Any]) -> Table:
    """The phased table of a plan's JSON document (``ReplacementPlan.to_dict()``)."""
    gap = doc["optimality_gap"]
    head = (f"{doc['network']}: {doc['objective']} objective, {doc['routing']} routing, "
            f"solver {doc['solver']}" + ("" if gap is None else f", gap {gap:.2g}"))  # fmt: skip
    t = Table(title=plain(head), title_justify="left")
    for c in ("phase", "devices", "cost", "subsidy", "operator pays", "clean share after"):
        t.add_column(c, justify="left" if c == "devices" else "right")
    for p in doc["phases"]:
        t.add_row(str(p["phase"]), plain(", ".join(p["devices"]) or "-"), f"{p['cost']:,.0f}",
                  f"{p['subsidy']:,.0f}", f"{p['net_cost']:,.0f}",
                  f"{100 * p['clean_share_after']:.1f}%")  # fmt: skip
    return t


def plan_table(plan: Any) -> Table:
    """The phased table of a :class:`~cleanpath.analysis.planner.ReplacementPlan`."""
    return plan_doc_table(plan.to_dict())
