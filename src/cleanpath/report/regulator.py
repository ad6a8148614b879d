"""The covered-equipment listing in the shape of a regulator filing, as CSV.

One row per covered device (optionally also the devices of unknown make, flagged so): where
it is, who made it, what it is, the policy entry that covers it with that entry's source and
date, the evidence that tied the device to the listed entity, and a replacement cost
estimate with its kind, basis and date from the cost table. The rows are built from device
rows as the store keeps them (``cleanpath.store.rows.device_rows``), so a listing can be
made from a result in memory or from a saved run.

>>> rows = covered_equipment_rows([{
...     "node_id": "n1", "node_label": "Frankfurt", "lat": 50.1, "lon": 8.7,
...     "hostname": "fra-cr1", "role": "core", "manufacturer": "Huawei", "brand": "huawei",
...     "model": "NE40E", "status": "covered", "entity_name": "Huawei Technologies Company",
...     "entry_id": "huawei", "scope": "all", "date_added": "2021-03-12",
...     "entry_source": "FCC Covered List", "reason": "on the list",
...     "evidence": [{"signal": "manufacturer", "value": "Huawei", "points_to": "huawei"}],
...     "source": "inv.csv", "line": 2}], policy="us-fcc", as_of="2026-11-28", costs=None)
>>> rows[0]["manufacturer"], rows[0]["listed_since"], rows[0]["evidence"]
('Huawei', '2021-03-12', "manufacturer 'Huawei' → huawei")
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleanpath.kb.costs import CostTable
    from cleanpath.pipeline import AuditResult
    from cleanpath.store import Store

__all__ = [
    "REGULATOR_COLUMNS",
    "covered_equipment_rows",
    "regulator_csv",
    "regulator_rows_from_result",
    "regulator_rows_from_store",
    "write_regulator_csv",
]

REGULATOR_COLUMNS = (
    "item", "network", "node_id", "location", "latitude", "longitude", "hostname", "role",
    "manufacturer", "brand", "model", "verdict", "policy", "as_of", "policy_entry", "entry_id",
    "scope", "listed_since", "policy_source", "evidence", "inventory_record",
    "replacement_cost_estimate", "currency", "cost_kind", "cost_basis", "cost_date",
    "cost_confidence",
)  # fmt: skip
"""The CSV header, in order."""


def _evidence(value: Any) -> str:
    """The stored evidence chain as one cell: ``signal 'value' → maker (rule, weight)`` per
    item; rule and weight tell apart two readings of the same text (runs saved before the
    rule was stored show the weight only).

    >>> _evidence([{"signal": "sys_descr", "value": "Huawei", "points_to": "huawei",
    ...             "rule": "name_mentions", "weight": 0.45}])
    "sys_descr 'Huawei' → huawei (name_mentions, 0.45)"
    """
    items = json.loads(value) if isinstance(value, str) else list(value or [])
    parts = []
    for e in items:
        to = f" → {e['points_to']}" if e.get("points_to") else ""
        how = ", ".join(str(x) for x in (e.get("rule"), e.get("weight")) if x not in (None, ""))
        parts.append(
            f"{e.get('signal', '')} {e.get('value', '')!r}{to}" + (f" ({how})" if how else "")
        )
    return "; ".join(parts)


def _cost(costs: CostTable | None, role: str | None, model: str | None) -> dict[str, Any]:
    if costs is None:
        return dict.fromkeys(("replacement_cost_estimate", "currency", "cost_kind",
                              "cost_basis", "cost_date", "cost_confidence"), "")  # fmt: skip
    e = costs.lookup(role, model)
    return {
        "replacement_cost_estimate": f"{e.cost:.0f}", "currency": costs.currency,
        "cost_kind": e.kind, "cost_basis": e.source or e.basis or "", "cost_date": e.date,
        "cost_confidence": e.confidence,
    }  # fmt: skip


def _coord(x: Any) -> str:
    return "" if x is None else f"{float(x):.5f}"


def covered_equipment_rows(
    devices: Iterable[Mapping[str, Any]], *, policy: str, as_of: str, network: str = "",
    costs: CostTable | None, include_unknown: bool = False,
) -> list[dict[str, str]]:  # fmt: skip
    """Filing rows for the covered devices (and unknown ones with ``include_unknown``),
    ordered by location and hostname; every value is a string."""
    wanted = {"covered", "unknown"} if include_unknown else {"covered"}
    picked = [d for d in devices if d["status"] in wanted]
    picked.sort(key=lambda d: (str(d.get("node_label") or d["node_id"]), d.get("hostname") or ""))
    rows = []
    for k, d in enumerate(picked, start=1):
        where = f"{d.get('source') or ''}:{d['line']}" if d.get("line") else d.get("source")
        row = {
            "item": str(k), "network": network, "node_id": d["node_id"],
            "location": d.get("node_label") or d["node_id"], "latitude": _coord(d.get("lat")),
            "longitude": _coord(d.get("lon")), "hostname": d.get("hostname") or "",
            "role": d.get("role") or "", "manufacturer": d.get("manufacturer") or "",
            "brand": d.get("brand") or "", "model": d.get("model") or "",
            "verdict": d["status"], "policy": policy, "as_of": as_of,
            "policy_entry": d.get("entity_name") or "", "entry_id": d.get("entry_id") or "",
            "scope": d.get("scope") or "", "listed_since": d.get("date_added") or "",
            "policy_source": d.get("entry_source") or "",
            "evidence": _evidence(d.get("evidence")), "inventory_record": where or "",
        } | _cost(costs, d.get("role"), d.get("model"))  # fmt: skip
        rows.append({c: str(row[c]) for c in REGULATOR_COLUMNS})
    return rows


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a spreadsheet cell that cannot run as a formula: host names, models and
    descriptions come from the devices themselves (an SNMP sysName of ``=HYPERLINK(…)``), so
    a leading ``= + - @``, tab or CR gets a ``'`` before it (OWASP's CSV-injection advice);
    numbers are left alone.

    >>> spreadsheet_safe("=1+2"), spreadsheet_safe("-12.5"), spreadsheet_safe("r1")
    ("'=1+2", '-12.5', 'r1')
    """
    if not text.startswith(_FORMULA):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


def regulator_csv(rows: Iterable[Mapping[str, str]]) -> str:
    """The rows as CSV text with the :data:`REGULATOR_COLUMNS` header, every cell
    :func:`spreadsheet_safe` (the filing is meant to be opened in a spreadsheet)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=REGULATOR_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows({k: spreadsheet_safe(str(v)) for k, v in r.items()} for r in rows)
    return buf.getvalue()


def regulator_rows_from_result(
    res: AuditResult, *, costs: CostTable | None = None, include_unknown: bool = False
) -> list[dict[str, str]]:
    """Filing rows for an audit result in memory (costs from ``kb.load_costs()`` by default)."""
    from cleanpath.kb.costs import load_costs
    from cleanpath.store.rows import device_rows

    return covered_equipment_rows(
        device_rows(res), policy=res.policy, as_of=res.as_of.isoformat(),
        network=res.network.name, costs=costs or load_costs(), include_unknown=include_unknown,
    )  # fmt: skip


def regulator_rows_from_store(
    store: Store, run_id: int, *, costs: CostTable | None = None, include_unknown: bool = False
) -> list[dict[str, str]]:
    """Filing rows for a saved run (every device of it, page by page)."""
    from cleanpath.kb.costs import load_costs
    from cleanpath.store import MAX_PAGE

    run = store.run(run_id)
    devices: list[dict[str, Any]] = []
    while True:
        page = store.devices(run_id, limit=MAX_PAGE, offset=len(devices))
        devices += page.items
        if not page.items or len(devices) >= page.total:
            break
    return covered_equipment_rows(
        devices, policy=run["policy"], as_of=run["as_of"], network=run["network"],
        costs=costs or load_costs(), include_unknown=include_unknown,
    )  # fmt: skip


def write_regulator_csv(res: AuditResult, path: Path, *, include_unknown: bool = False) -> Path:
    """Write the covered-equipment listing of ``res`` to ``path``."""
    path.write_text(regulator_csv(regulator_rows_from_result(res, include_unknown=include_unknown)),
                    encoding="utf-8")  # fmt: skip
    return path
