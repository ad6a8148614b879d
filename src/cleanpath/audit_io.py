"""File I/O around one audit: read every input named on the command line, write outputs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

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


def _read_network(path: Path) -> tuple[Topology, Inventory | None]:
    """A topology file, or a ``cleanpath discover`` result.json (topology and inventory)."""
    from cleanpath.discover.result import FORMAT, read_discovery_json
    from cleanpath.ingest.topology import read_topology

    if path.suffix.lower() == ".json":
        try:
            with path.open("rb") as fh:
                head = fh.read(4096)
        except OSError:
            head = b""
        if FORMAT.encode() in head:
            return read_discovery_json(path)
    return read_topology(path), None


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

    topo, inv = _read_network(network)
    for p in inventory:
        part = read_inventory_csv(p, skip_bad=True)  # bad rows are listed in the report
        inv = part if inv is None else inv + part
    all_sites = tuple(read_sites(sites)) if sites else ()
    hubs = tuple(s for s in all_sites if s.kind.lower() in HUB_KINDS)
    plain = tuple(s for s in all_sites if s.kind.lower() not in HUB_KINDS)
    return AuditInputs(topo, inv, _demand_spec(demands, seed), plain, hubs)


def read_integrity_reports(specs: Sequence[str]) -> list[dict[str, Any]]:
    """``NODE=FILE`` pairs, FILE being ``cleanpath hw audit --format json`` output, as the
    report context's ``integrity`` rows (one per node)."""
    import json

    from cleanpath.errors import InputError
    from cleanpath.integrity.report import SEVERITY

    rows = []
    for spec in specs:
        node, sep, file = spec.partition("=")
        if not sep or not node or not file:
            raise InputError(f"expected NODE=FILE, got {spec!r}", field="integrity")
        try:
            doc = json.loads(Path(file).read_text(encoding="utf-8"))
            findings = doc["findings"]
            failures = doc.get("coverage", {}).get("failures", [])
            found = [
                {"severity": SEVERITY.get(f["kind"], "medium"), "kind": f["kind"],
                 "component": f["component"], "detail": f["detail"],
                 "message": f"{f['kind']}: {f['component']}: {f['detail']}"}
                for f in findings
            ]  # fmt: skip
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=file) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"not a 'hw audit --format json' document: {exc}", path=file) from None
        status = "partial" if failures else ("findings" if found else "ok")
        rows.append({"node": node, "status": status, "findings": found})
    return rows


def write_audit_outputs(
    res: AuditResult | Sequence[AuditResult],
    out: Path,
    *,
    title: str | None = None,
    illustrative_inventory: bool = False,
    generated: date | None = None,
    integrity: Sequence[dict[str, Any]] = (),
    plans: Sequence[dict[str, Any] | None] = (),
) -> list[Path]:
    """Write report.html, report.md, report.json, results.json (the JSON contract) and the
    covered-equipment listing (covered-equipment.csv, one file per network when several)."""
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
    if integrity:
        ctx["networks"][0]["integrity"] = list(integrity)
    for net_ctx, plan in zip(ctx["networks"], plans, strict=False):
        if plan is not None:
            net_ctx["plan"] = plan
    paths = write_report(ctx, out)
    doc = {r.network.name: r.to_json_contract(all_demands=True) for r in results}
    p = out / "results.json"
    p.write_text(json.dumps(doc, indent=1, sort_keys=True, allow_nan=False) + "\n", "utf-8")
    from cleanpath.report.regulator import write_regulator_csv

    filings = [
        write_regulator_csv(
            r, out / ("covered-equipment.csv" if len(results) == 1
                      else f"covered-equipment-{r.network.name}.csv")
        )
        for r in results
    ]  # fmt: skip
    return [*paths, p, *filings]
