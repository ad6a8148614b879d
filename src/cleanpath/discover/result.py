"""Discovery output: ``devices.csv`` (an inventory CSV) and ``result.json`` (inventory + links).

``result.json`` holds everything: devices (with ``extra``), LLDP links, agents that failed
and every agent's outcome. :func:`read_discovery_json` turns it back into the
``(Topology, Inventory)`` pair that ``cleanpath audit`` needs.

>>> from cleanpath.domain import DeviceRecord, Inventory, LinkRecord
>>> from cleanpath.discover.run import DiscoveryResult
>>> inv = Inventory((DeviceRecord("a", hostname="a", extra={"agent": "10.0.0.1:161/public"}),
...                  DeviceRecord("b")), (LinkRecord("l1", "a", "b"),))
>>> topo, back = parse_discovery_json(discovery_json(DiscoveryResult(inv, ())))
>>> [n.id for n in topo.nodes], [(x.src, x.dst) for x in topo.links], back.devices[0].extra["agent"]
(['a', 'b'], [('a', 'b')], '10.0.0.1:161/public')
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cleanpath.discover.run import DiscoveryResult
from cleanpath.domain import DeviceRecord, Inventory, LinkRecord, NodeRecord, Skipped, Topology
from cleanpath.errors import InputError
from cleanpath.ingest._common import decode_text, load_json, read_with

__all__ = [
    "CSV_COLUMNS",
    "FORMAT",
    "devices_csv",
    "discovery_json",
    "parse_discovery_json",
    "read_discovery_json",
    "write_result",
]

FORMAT = "cleanpath-discovery"
BASE_COLUMNS = ("node", "hostname", "manufacturer", "model", "mac", "sys_object_id", "sys_descr")
#: extra keys written as CSV columns after the base columns and ``agent``
EXTRA_COLUMNS = (
    "sys_name",
    "sys_location",
    "ent_physical_mfg_name",
    "ent_physical_model_name",
    "ent_physical_descr",
    "ent_physical_serial",
    "ent_physical_firmware",
    "ent_physical_software",
    "bridge_mac",
    "lldp_chassis_mac",
    "lldp_chassis_id",
    "lldp_loc_sys_name",
    "lldp_loc_sys_desc",
    "if_macs",
    "vendor_subtree_hits",
    "lldp_rem_sys_desc",
    "lldp_rem_chassis_id",
    "lldp_seen_by",
    "observed_only",
    "warnings",
)
CSV_COLUMNS = (*BASE_COLUMNS, "agent", *EXTRA_COLUMNS)


def _cell(value: Any) -> str:
    """One CSV cell: lists joined with `` | ``, mappings as ``key:value`` words."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return " ".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return " | ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def devices_csv(result: DiscoveryResult) -> str:
    """The inventory CSV: base columns, ``agent`` (``host:port/community``), collected fields."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for d in result.inventory.devices:
        base = d.to_dict()
        w.writerow(
            [_cell(base[c]) for c in BASE_COLUMNS]
            + [_cell(d.extra.get("agent"))]
            + [_cell(d.extra.get(c)) for c in EXTRA_COLUMNS]
        )
    return out.getvalue()


def _link_dict(link: LinkRecord) -> dict[str, Any]:
    return {"id": link.id, "src": link.src, "dst": link.dst, **dict(link.attrs)}


def discovery_json(result: DiscoveryResult) -> str:
    """``result.json``: devices, links, skipped (failed agents) and every agent's outcome."""
    inv = result.inventory
    doc = {
        "format": FORMAT,
        "version": 1,
        "devices": [d.to_dict() for d in inv.devices],
        "links": [_link_dict(x) for x in inv.links],
        "skipped": [{"source": s.source, "line": s.line, "reason": s.reason} for s in inv.skipped],
        "agents": [a.to_dict() for a in result.agents],
    }
    return json.dumps(doc, indent=1, sort_keys=False, default=str) + "\n"


def write_result(result: DiscoveryResult, path: str | Path) -> Path:
    """Write ``result`` as CSV (``.csv``) or JSON (any other suffix); returns the path."""
    p = Path(path)
    text = devices_csv(result) if p.suffix.lower() == ".csv" else discovery_json(result)
    try:
        p.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", path=str(p)) from None
    return p


def _thaw(value: Any) -> Any:
    """JSON lists back to tuples, recursively (records hold tuples)."""
    if isinstance(value, list):
        return tuple(_thaw(v) for v in value)
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def _str(item: Mapping[str, Any], key: str, where: str, source: str | None) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(f"expected a string, got {value!r}"[:120], path=source, field=where)
    return value


def _device(item: Any, i: int, source: str | None) -> DeviceRecord:
    if not isinstance(item, dict) or not isinstance(item.get("node"), str) or not item["node"]:
        raise InputError("a device needs a node name", path=source, field=f"devices[{i}].node")
    extra = _thaw(item.get("extra") or {})
    if not isinstance(extra, dict):
        raise InputError("extra must be an object", path=source, field=f"devices[{i}].extra")
    hits = extra.get("vendor_subtree_hits")
    if isinstance(hits, dict):
        extra["vendor_subtree_hits"] = {int(k): v for k, v in hits.items() if str(k).isdigit()}
    fields = ("hostname", "manufacturer", "model", "mac", "sys_object_id", "sys_descr", "role")
    kw = {f: _str(item, f, f"devices[{i}].{f}", source) for f in fields}
    line = item.get("line")
    return DeviceRecord(
        node=item["node"],
        source=_str(item, "source", f"devices[{i}].source", source),
        line=line if isinstance(line, int) else None,
        extra=extra,
        **kw,
    )


def _link(item: Any, i: int, nodes: set[str], source: str | None) -> LinkRecord:
    if not isinstance(item, dict) or item.get("src") not in nodes or item.get("dst") not in nodes:
        raise InputError("a link must join two devices", path=source, field=f"links[{i}]")
    attrs = {k: v for k, v in item.items() if k not in ("id", "src", "dst")}
    return LinkRecord(str(item.get("id") or f"link{i}"), item["src"], item["dst"], attrs=attrs)


def parse_discovery_json(
    data: str | bytes, *, source: str | None = None
) -> tuple[Topology, Inventory]:
    """A ``result.json`` as (topology of every device and LLDP link, inventory)."""
    doc = load_json(decode_text(data), source=source)  # deep nesting, huge numbers: one line
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f'not a {FORMAT} file (no "format": "{FORMAT}")', path=source)
    items = doc.get("devices")
    if not isinstance(items, list):
        raise InputError("devices must be a list", path=source, field="devices")
    devices = tuple(_device(x, i, source) for i, x in enumerate(items))
    nodes = {d.node for d in devices}
    links = tuple(_link(x, i, nodes, source) for i, x in enumerate(doc.get("links") or []))
    skipped = tuple(
        Skipped(s.get("source"), s.get("line"), str(s.get("reason")))
        for s in doc.get("skipped") or []
        if isinstance(s, dict)
    )
    inventory = Inventory(devices, links, skipped, (source,) if source else ())
    topo = Topology(
        name=Path(source).stem if source else "discovery",
        nodes=tuple(
            NodeRecord(d.node, d.hostname or d.node, attrs=_node_attrs(d)) for d in devices
        ),
        links=links,
        source=source,
        format=FORMAT,
    )
    return topo, inventory


def _node_attrs(d: DeviceRecord) -> dict[str, Any]:
    keys = ("agent", "observed_only")
    return {k: d.extra[k] for k in keys if k in d.extra}


def read_discovery_json(path: str | Path) -> tuple[Topology, Inventory]:
    """Read a ``cleanpath discover --out result.json`` file (errors name the file)."""
    return read_with(parse_discovery_json, path)
