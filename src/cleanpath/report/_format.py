"""Formatting shared by the HTML and Markdown renderers: numbers, shares, verdicts, tables.

>>> fmt_num(1234567.0), fmt_num(2.5), fmt_num(0.000123), fmt_num(None), fmt_num(3)
('1,234,567', '2.50', '0.000123', '–', '3')
>>> fmt_share(0.1234), fmt_share(None)
('12.3 %', '–')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "ILLUSTRATIVE_NOTICE",
    "VERDICT_COLORS",
    "VERDICT_LABELS",
    "Table",
    "devices_table",
    "evidence_table",
    "flows_table",
    "fmt_bool",
    "fmt_num",
    "fmt_share",
    "integrity_table",
    "label_map",
    "plan_table",
    "sensitive_flows",
    "sites_table",
    "summary_rows",
    "vendor_table",
]

ILLUSTRATIVE_NOTICE = (
    "The device inventory in this report is illustrative: real device models were assigned "
    "at random (seeded) to the nodes of public topologies. It makes no claim about the "
    "equipment of the real operators of these networks."
)
VERDICT_LABELS = {
    "covered": "covered",
    "unknown": "unknown",
    "not_covered": "not covered",
    "no_device": "no device",
}
VERDICT_COLORS = {
    "covered": "#d62728",
    "unknown": "#8c8c8c",
    "not_covered": "#2ca02c",
    "no_device": "#d9d9d9",
}
# (key, label, kind): kind is "int", "num" or "share".
SUMMARY_FIELDS = (
    ("nodes", "Nodes", "int"),
    ("links", "Links", "int"),
    ("devices", "Devices", "int"),
    ("covered_devices", "Covered devices", "int"),
    ("unknown_devices", "Unknown devices", "int"),
    ("total_volume", "Total traffic volume", "num"),
    ("exposed_volume", "Volume crossing covered equipment", "num"),
    ("exposed_share", "Share of volume exposed", "share"),
    ("sensitive_volume", "Sensitive volume", "num"),
    ("sensitive_exposed_volume", "Sensitive volume crossing covered equipment", "num"),
    ("sensitive_exposed_share", "Share of sensitive volume exposed", "share"),
    ("sensitive_flows", "Sensitive flows", "int"),
    ("sensitive_flows_clean_path", "Sensitive flows with a clean path", "int"),
    ("sensitive_flows_no_clean_path", "Sensitive flows without a clean path", "int"),
    ("unroutable", "Unroutable flows", "int"),
)

Table = tuple[tuple[str, ...], Sequence[tuple[str, ...]]]
"""(header, rows) of display strings."""


def _finite(x: Any) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def fmt_num(x: Any) -> str:
    """Thousands separators; two decimals below 1,000; three significant digits below 1."""
    if isinstance(x, int) and not isinstance(x, bool):
        return f"{x:,}"
    v = _finite(x)
    if v is None:
        return "–"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 1 or v == 0:
        return f"{v:,.2f}"
    return f"{v:.3g}"


def fmt_share(x: Any) -> str:
    """A 0..1 share as a percentage with one decimal."""
    v = _finite(x)
    return "–" if v is None else f"{100 * v:.1f} %"


def fmt_bool(x: Any) -> str:
    return "–" if x is None else ("yes" if x else "no")


def _fmt(x: Any, kind: str) -> str:
    if kind == "share":
        return fmt_share(x)
    if kind == "int" and _finite(x) is not None and float(x) == int(float(x)):
        return f"{int(float(x)):,}"
    return fmt_num(x)


def _text(x: Any) -> str:
    return "–" if x is None or x == "" else str(x)


def summary_rows(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows: the schema's fields in a fixed order, then any extra keys."""
    rows = [(label, _fmt(summary.get(key), kind)) for key, label, kind in SUMMARY_FIELDS]
    known = {key for key, _, _ in SUMMARY_FIELDS}
    for key in sorted(set(summary) - known):
        value = summary[key]
        if isinstance(value, int | float | str) or value is None:
            shown = _text(value) if isinstance(value, str) else fmt_num(value)
            rows.append((key.replace("_", " ").capitalize(), shown))
    return rows


def label_map(net: Mapping[str, Any]) -> dict[str, str]:
    """Node id -> label (the id when the label is empty)."""
    return {str(n["id"]): str(n.get("label") or n["id"]) for n in net["nodes"]}


def sensitive_flows(net: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The sensitive flows, in the context's (worst-first) order."""
    return [f for f in net["flows"] if f.get("class") == "sensitive"]


def flows_table(net: Mapping[str, Any]) -> Table:
    labels = label_map(net)
    header = ("From", "To", "Class", "Volume", "Exposed share", "Clean path", "Stretch", "Path")
    rows = [
        (
            _text(f.get("src_label") or f["src"]),
            _text(f.get("dst_label") or f["dst"]),
            _text(f.get("class")),
            fmt_num(f.get("volume")),
            fmt_share(f.get("exposed_share")),
            fmt_bool(f.get("clean_path_exists")),
            fmt_num(f.get("stretch")),
            " → ".join(labels.get(str(p), str(p)) for p in f["path"]) or "–",
        )
        for f in net["flows"]
    ]
    return header, rows


def devices_table(net: Mapping[str, Any]) -> Table:
    header = ("Node", "Manufacturer", "Model", "Verdict", "Reason", "Sensitive volume carried")
    rows = [
        (
            _text(d.get("label") or d["node"]),
            _text(d.get("manufacturer")),
            _text(d.get("model")),
            VERDICT_LABELS.get(str(d.get("verdict")), _text(d.get("verdict"))),
            _text(d.get("reason")),
            fmt_num(d.get("carried_sensitive_volume")),
        )
        for d in net["top_devices"]
    ]
    return header, rows


def _chain(evidence: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(
        f"{e['signal']} {_text(e['value'])!r} → {_text(e['points_to'])} "
        f"({e['rule']}, weight {fmt_num(e['weight'])})"
        for e in evidence
    )


def evidence_table(net: Mapping[str, Any]) -> Table:
    """Covered devices (and listed makers left unknown) with their evidence chains."""
    header = ("Device", "Node", "Manufacturer", "Confidence", "Verdict", "Listed as", "Evidence")
    rows = [
        (
            _text(d["device"]),
            _text(d["node"]),
            _text(d["manufacturer"]) + (f" (brand {d['brand']})" if d.get("brand")
                                        and d["brand"] != d.get("manufacturer") else ""),
            fmt_num(d.get("confidence")),
            VERDICT_LABELS.get(str(d["verdict"]), _text(d["verdict"])),
            _text(d.get("listed_as")),
            _chain(d["evidence"]),
        )
        for d in net.get("device_evidence") or []
    ]  # fmt: skip
    return header, rows


def vendor_table(net: Mapping[str, Any]) -> Table:
    header = ("Vendor", "Devices", "Volume carried", "Sensitive volume carried")
    rows = [
        (
            _text(v["vendor"]),
            fmt_num(v.get("devices")),
            fmt_num(v.get("carried_volume")),
            fmt_num(v.get("carried_sensitive_volume")),
        )
        for v in net["exposure_by_vendor"]
    ]
    return header, rows


def sites_table(net: Mapping[str, Any]) -> Table:
    labels = label_map(net)
    header = ("Site", "Kind", "Attached to", "Distance (km)", "Source")
    rows = []
    for s in list(net["sites"]) + list(net.get("hubs") or []):
        node = s.get("node")
        rows.append(
            (
                _text(s["name"]),
                _text(s.get("kind")),
                labels.get(str(node), _text(node)),
                fmt_num(s.get("distance_km")),
                _text(s.get("source")),
            )
        )
    return header, rows


def plan_table(plan: Mapping[str, Any], labels: Mapping[str, str]) -> Table:
    currency = str(plan.get("currency") or "")
    header = ("Phase", "Nodes replaced", f"Cost {currency}".strip(), "Clean sensitive share")
    rows = [
        (
            _text(p["phase"]),
            ", ".join(labels.get(str(n), str(n)) for n in p["nodes"]) or "–",
            fmt_num(p.get("cost")),
            fmt_share(p.get("clean_sensitive_share")),
        )
        for p in plan["phases"]
    ]
    return header, rows


def integrity_table(integrity: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> Table:
    header = ("Node", "Status", "Severity", "Finding")
    rows: list[tuple[str, ...]] = []
    for entry in integrity:
        node = labels.get(str(entry["node"]), str(entry["node"]))
        findings = entry["findings"] or [{"severity": "–", "message": "no finding"}]
        for f in findings:
            rows.append((node, _text(entry["status"]), _text(f["severity"]), _text(f["message"])))
    return header, rows
