"""File I/O around one audit: read every input named on the command line, write outputs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cleanpath.domain import Inventory, SiteRecord, Topology
from cleanpath.pipeline import AuditResult, DemandSpec

__all__ = ["AuditInputs", "load_audit_inputs", "write_audit_outputs"]

HUB_KINDS = frozenset({"hub", "capital", "exchange", "ixp"})


@dataclass(frozen=True)
class AuditInputs:
    topology: Topology
    inventory: Inventory | None
    demands: DemandSpec
    sites: tuple[SiteRecord, ...]
    hubs: tuple[SiteRecord, ...]


def _demand_spec(value: str | None, seed: int) -> DemandSpec:
    if value is None:
        return DemandSpec(seed=seed)
    if value == "all-pairs":
        return DemandSpec(all_pairs=True, seed=seed)
    if value == "gravity":
        return DemandSpec(gravity_total=1000.0, seed=seed)
    from cleanpath.ingest.demands import read_demands

    return DemandSpec(records=tuple(read_demands(Path(value))), seed=seed)


def load_audit_inputs(
    network: Path,
    *,
    inventory: Sequence[Path] = (),
    demands: str | None = None,
    sites: Path | None = None,
    seed: int = 0,
) -> AuditInputs:
    """Read the topology, inventories, demands and sites named by the user."""
    from cleanpath.ingest.inventory import read_inventory_csv
    from cleanpath.ingest.sites import read_sites_csv as read_sites
    from cleanpath.ingest.topology import read_topology

    topo = read_topology(network)
    inv: Inventory | None = None
    for p in inventory:
        part = read_inventory_csv(p)
        inv = part if inv is None else inv + part
    all_sites = tuple(read_sites(sites)) if sites else ()
    hubs = tuple(s for s in all_sites if s.kind.lower() in HUB_KINDS)
    plain = tuple(s for s in all_sites if s.kind.lower() not in HUB_KINDS)
    return AuditInputs(topo, inv, _demand_spec(demands, seed), plain, hubs)


def write_audit_outputs(
    res: AuditResult | Sequence[AuditResult],
    out: Path,
    *,
    title: str | None = None,
    illustrative_inventory: bool = False,
    generated: date | None = None,
) -> list[Path]:
    """Write report.html, report.md, report.json and results.json (the JSON contract)."""
    import json

    from cleanpath.report.context import build_context
    from cleanpath.report.files import write_report

    results = [res] if isinstance(res, AuditResult) else list(res)
    ctx = build_context(
        results,
        title=title or f"cleanpath audit: {', '.join(r.network.name for r in results)}",
        generated=generated or results[0].as_of,
        illustrative_inventory=illustrative_inventory,
    )
    paths = write_report(ctx, out)
    doc = {r.network.name: r.to_json_contract(all_demands=True) for r in results}
    p = out / "results.json"
    p.write_text(json.dumps(doc, indent=1, sort_keys=True, allow_nan=False) + "\n", "utf-8")
    return [*paths, p]
