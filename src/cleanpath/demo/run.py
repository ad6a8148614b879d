"""The bundled demo: three real operator networks, illustrative inventories, US military
installations as sensitive endpoints, one self-contained HTML report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from cleanpath.pipeline import AuditResult, DemandSpec, audit

__all__ = ["DEMO_TRAFFIC_TOTAL", "run_demo"]

DEMO_TRAFFIC_TOTAL = 1000.0
"""Volume of the background (normal) gravity-model traffic per network, in arbitrary units;
each sensitive site-to-hub demand carries 1 unit."""


def run_demo(
    out: Path,
    *,
    seed: int = 2026,
    as_of: date = date(2026, 11, 28),
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[AuditResult], list[Path]]:
    """Audit every demo scenario and write the reports into ``out``."""
    from cleanpath.audit_io import write_audit_outputs
    from cleanpath.demo.inventory import illustrative_inventory, write_inventory_csv
    from cleanpath.demo.scenario import demo_scenarios
    from cleanpath.ingest.topology import read_topology
    from cleanpath.kb import load_kb

    kb = load_kb()
    results = []
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
        if progress is not None:
            progress(k + 1, len(scenarios))
    paths = write_audit_outputs(
        results, out, title="cleanpath demo: untrusted equipment on paths to US installations",
        illustrative_inventory=True, generated=as_of,
    )  # fmt: skip
    return results, paths
