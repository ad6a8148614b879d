"""The report context: one plain dict shared by every renderer (see ``context_schema.md``).

:func:`check_context` checks the keys every renderer relies on and raises ``ValueError``
naming the first missing or wrong one (a context is built by our own code, so a bad one is a
programming error, not an input error).

>>> check_context(minimal_context())
>>> ctx = minimal_context()
>>> del ctx["networks"][0]["summary"]["nodes"]
>>> check_context(ctx)
Traceback (most recent call last):
...
ValueError: report context: networks[0].summary: missing key 'nodes'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "COORDINATE_KINDS",
    "DEVICE_EVIDENCE_KEYS",
    "EVIDENCE_KEYS",
    "FLOW_KEYS",
    "LINK_KEYS",
    "NETWORK_KEYS",
    "NODE_KEYS",
    "SITE_KEYS",
    "SUMMARY_KEYS",
    "TOP_DEVICE_KEYS",
    "TOP_KEYS",
    "VENDOR_KEYS",
    "VERDICTS",
    "check_context",
    "minimal_context",
]

TOP_KEYS = (
    "title",
    "generated",
    "cleanpath_version",
    "kb_version",
    "policy",
    "as_of",
    "illustrative_inventory",
    "attributions",
    "networks",
)
NETWORK_KEYS = (
    "name",
    "attribution",
    "coordinates",
    "summary",
    "nodes",
    "links",
    "sites",
    "flows",
    "top_devices",
    "exposure_by_vendor",
)
SUMMARY_KEYS = (
    "nodes",
    "links",
    "devices",
    "covered_devices",
    "unknown_devices",
    "total_volume",
    "exposed_volume",
    "exposed_share",
    "sensitive_volume",
    "sensitive_exposed_volume",
    "sensitive_exposed_share",
    "sensitive_flows",
    "sensitive_flows_clean_path",
    "sensitive_flows_no_clean_path",
    "unroutable",
)
NODE_KEYS = (
    "id",
    "label",
    "lat",
    "lon",
    "verdict",
    "manufacturer",
    "model",
    "untrusted",
    "external",
    "hyperedge",
    "carried_volume",
    "carried_sensitive_volume",
)
LINK_KEYS = ("src", "dst")
SITE_KEYS = ("name", "lat", "lon", "kind", "node", "source")
FLOW_KEYS = (
    "src",
    "dst",
    "src_label",
    "dst_label",
    "volume",
    "class",
    "exposed_share",
    "clean_path_exists",
    "stretch",
    "path",
)
TOP_DEVICE_KEYS = (
    "node",
    "label",
    "manufacturer",
    "model",
    "verdict",
    "reason",
    "carried_sensitive_volume",
)
VENDOR_KEYS = ("vendor", "devices", "carried_volume", "carried_sensitive_volume")
PLAN_PHASE_KEYS = ("phase", "nodes", "cost", "clean_sensitive_share")
PLAN_CURVE_KEYS = ("spent", "clean_sensitive_share")
INTEGRITY_KEYS = ("node", "status", "findings")
DEVICE_EVIDENCE_KEYS = ("node", "device", "manufacturer", "confidence", "verdict", "evidence")
EVIDENCE_KEYS = ("signal", "value", "rule", "points_to", "weight")
FINDING_KEYS = ("severity", "message")
VERDICTS = ("covered", "unknown", "not_covered", "no_device")
COORDINATE_KINDS = ("geographical", "pixel", "none")
_ROWS = {
    "nodes": NODE_KEYS,
    "links": LINK_KEYS,
    "sites": SITE_KEYS,
    "flows": FLOW_KEYS,
    "top_devices": TOP_DEVICE_KEYS,
    "exposure_by_vendor": VENDOR_KEYS,
}


def _fail(where: str, what: str) -> ValueError:
    return ValueError(f"report context: {where}: {what}")


def _keys(obj: Any, keys: Sequence[str], where: str) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise _fail(where, f"must be a mapping, got {type(obj).__name__}")
    for key in keys:
        if key not in obj:
            raise _fail(where, f"missing key {key!r}")
    return obj


def _rows(obj: Any, keys: Sequence[str], where: str) -> Sequence[Mapping[str, Any]]:
    if not isinstance(obj, list | tuple):
        raise _fail(where, "must be a list")
    return [_keys(row, keys, f"{where}[{i}]") for i, row in enumerate(obj)]


def _check_plan(plan: Any, where: str) -> None:
    plan = _keys(plan, ("curve", "phases"), where)
    _rows(plan["curve"], PLAN_CURVE_KEYS, f"{where}.curve")
    _rows(plan["phases"], PLAN_PHASE_KEYS, f"{where}.phases")


def _check_integrity(integrity: Any, where: str) -> None:
    for i, row in enumerate(_rows(integrity, INTEGRITY_KEYS, where)):
        _rows(row["findings"], FINDING_KEYS, f"{where}[{i}].findings")


def _check_network(net: Any, where: str) -> None:
    net = _keys(net, NETWORK_KEYS, where)
    if net["coordinates"] not in COORDINATE_KINDS:
        raise _fail(f"{where}.coordinates", f"must be one of {COORDINATE_KINDS}")
    _keys(net["summary"], SUMMARY_KEYS, f"{where}.summary")
    for key, keys in _ROWS.items():
        _rows(net[key], keys, f"{where}.{key}")
    for i, node in enumerate(net["nodes"]):
        if node["verdict"] not in VERDICTS:
            raise _fail(f"{where}.nodes[{i}].verdict", f"{node['verdict']!r} not in {VERDICTS}")
    for i, flow in enumerate(net["flows"]):
        if not isinstance(flow["path"], list | tuple):
            raise _fail(f"{where}.flows[{i}].path", "must be a list of node ids")
    if net.get("plan") is not None:
        _check_plan(net["plan"], f"{where}.plan")
    if net.get("integrity") is not None:
        _check_integrity(net["integrity"], f"{where}.integrity")
    if net.get("device_evidence") is not None:
        rows = _rows(net["device_evidence"], DEVICE_EVIDENCE_KEYS, f"{where}.device_evidence")
        for i, row in enumerate(rows):
            _rows(row["evidence"], EVIDENCE_KEYS, f"{where}.device_evidence[{i}].evidence")


def check_context(ctx: Any) -> None:
    """Raise ``ValueError`` naming the first missing key or wrong value of ``ctx``."""
    ctx = _keys(ctx, TOP_KEYS, "top level")
    if not isinstance(ctx["attributions"], list | tuple):
        raise _fail("attributions", "must be a list of strings")
    if not isinstance(ctx["networks"], list | tuple):
        raise _fail("networks", "must be a list")
    for i, net in enumerate(ctx["networks"]):
        _check_network(net, f"networks[{i}]")


def minimal_context() -> dict[str, Any]:
    """The smallest valid context: one two-node network (used in examples and tests)."""
    summary: dict[str, Any] = dict.fromkeys(SUMMARY_KEYS, 0)
    node = dict.fromkeys(NODE_KEYS)
    return {
        "title": "cleanpath report",
        "generated": "2026-11-28",
        "cleanpath_version": "0",
        "kb_version": "0",
        "policy": "us-fcc",
        "as_of": "2026-11-28",
        "illustrative_inventory": False,
        "attributions": [],
        "networks": [
            {
                "name": "tiny",
                "attribution": None,
                "coordinates": "none",
                "summary": summary,
                "nodes": [node | {"id": "a", "label": "A", "verdict": "unknown"}],
                "links": [],
                "sites": [],
                "flows": [],
                "top_devices": [],
                "exposure_by_vendor": [],
            }
        ],
    }
