"""NetBox exports: devices, interfaces (MACs) and cables (links), as CSV or JSON.

CSV: the UI export ("Name, Manufacturer, Type, Role, Serial number, ...") or the bulk-import
form (``name, manufacturer, device_type, role, serial``); interfaces with ``device, name,
mac_address``; cables with ``side_a_device, side_a_name, side_b_device, side_b_name`` (or the
UI's ``Side A, Termination A, Side B, Termination B``). JSON: a REST API list (``{"results":
[...]}``) or a plain list of devices, interfaces or cables (NetBox 3.x and 4.x shapes).
Several files (devices + interfaces + cables) are merged by :func:`read_netbox`.

NetBox's manufacturer is what the operator recorded: it goes to ``DeviceRecord.manufacturer``
(an inventory claim the identification engine checks against the device's own signals).

>>> devices = parse_netbox("Name,Manufacturer,Type,Role\\nsw1,Huawei,S5735,access\\n")
>>> ifaces = parse_netbox("device,name,mac_address\\nsw1,GE0/0/1,00:E0:FC:00:00:01\\n")
>>> inv = netbox_inventory([devices, ifaces])
>>> d = inv.devices[0]
>>> d.node, d.manufacturer, d.model, d.role, d.mac
('sw1', 'Huawei', 'S5735', 'access', '00:e0:fc:00:00:01')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cleanpath.domain import DeviceRecord, Inventory, LinkRecord, Skipped
from cleanpath.errors import InputError
from cleanpath.ingest._common import (
    CSV_EXTRA,
    csv_records,
    decode_text,
    load_file,
    load_json,
    unique_header,
)
from cleanpath.ingest.mib import format_mac

__all__ = ["NetboxExport", "netbox_inventory", "parse_netbox", "read_netbox"]

#: canonical field -> accepted header names (lower case, spaces and dashes as "_")
_DEVICE = {
    "name": ("name", "device_name"),
    "manufacturer": ("manufacturer", "device_type_manufacturer"),
    "model": ("device_type", "type", "model", "device_type_model"),
    "role": ("role", "device_role"),
    "serial": ("serial", "serial_number"),
    "platform": ("platform",),
    "site": ("site",),
    "status": ("status",),
    "primary_ip": ("primary_ip", "ip_address", "primary_ipv4", "primary_ip4"),
    "asset_tag": ("asset_tag",),
}
_INTERFACE = {
    "device": ("device", "parent_device"),
    "name": ("name", "interface"),
    "mac": ("mac_address", "primary_mac_address", "mac"),
    "mgmt_only": ("mgmt_only", "management_only"),
}
_CABLE = {
    "a_device": ("side_a_device", "side_a", "device_a", "termination_a_device"),
    "a_name": ("side_a_name", "termination_a", "termination_a_name", "interface_a"),
    "b_device": ("side_b_device", "side_b", "device_b", "termination_b_device"),
    "b_name": ("side_b_name", "termination_b", "termination_b_name", "interface_b"),
    "label": ("label", "id"),
}


@dataclass
class NetboxExport:
    """What one export file held (rows keep their file and line)."""

    devices: list[DeviceRecord] = field(default_factory=list)
    interfaces: list[tuple[str, str, str | None, bool, int | None]] = field(default_factory=list)
    cables: list[tuple[str, str, str, str, str, int | None]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    source: str | None = None


def _norm(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_").replace("#", "")


def _pick(row: Mapping[str, Any], names: Sequence[str]) -> Any:
    for n in names:
        value = row.get(n)
        if value not in (None, ""):
            return value
    return None


def _name_of(value: Any, what: str = "value") -> str | None:
    """A NetBox nested object's display name, or the value itself (text or a number).

    >>> _name_of({"id": 3, "name": "Huawei"}), _name_of(" sw1 "), _name_of(None)
    ('Huawei', 'sw1', None)
    >>> _name_of(["sw1"], "name")
    Traceback (most recent call last):
    cleanpath.errors.InputError: name: expected text or an object with a name, got a list
    """
    if isinstance(value, dict):
        value = value.get("name") or value.get("model") or value.get("display")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        kind = {list: "a list", dict: "an object", bool: "true/false"}.get(type(value), "junk")
        raise InputError(f"expected text or an object with a name, got {kind}", field=what)
    text = str(value).strip()
    return text or None


def _kind(keys: Iterable[str]) -> str:
    k = set(keys)
    if k & {"a_terminations", "termination_a", "side_a_device", "side_a", "termination_a_device"}:
        return "cable"
    if k & {"mac_address", "primary_mac_address", "mgmt_only"} and k & {"device"}:
        return "interface"
    if k & {"name", "device_name"}:
        return "device"
    raise InputError("cannot tell devices, interfaces or cables from the columns/keys")


def _device(row: Mapping[str, Any], source: str | None, line: int | None) -> DeviceRecord:
    f = {key: _pick(row, names) for key, names in _DEVICE.items()}
    name = _name_of(f["name"], "name")
    if name is None:
        raise InputError("device without a name", path=source, line=line, field="name")
    dtype = f["model"]
    manufacturer = _name_of(f["manufacturer"], "manufacturer")
    if isinstance(dtype, dict):
        manufacturer = manufacturer or _name_of(dtype.get("manufacturer"), "manufacturer")
    extra: dict[str, Any] = {
        k: v
        for k in ("serial", "platform", "site", "status", "asset_tag")
        if (v := _name_of(_choice(f[k]), k)) is not None
    }
    ip = f["primary_ip"]
    ip = _name_of(ip.get("address") if isinstance(ip, dict) else ip, "primary_ip")
    if ip is not None:
        extra["primary_ip"] = ip
    if isinstance(row.get("id"), int | str):
        extra["netbox_id"] = row["id"]
    return DeviceRecord(
        node=name,
        hostname=name,
        manufacturer=manufacturer,
        model=_name_of(dtype, "device_type"),
        role=_name_of(f["role"], "role"),
        source=source,
        line=line,
        extra=extra,
    )


def _choice(value: Any) -> Any:
    """A NetBox choice field (``{"value": "active", "label": "Active"}``) as its value."""
    if isinstance(value, dict) and ("value" in value or "label" in value):
        return value.get("value") or value.get("label")
    return value


def _interface(
    row: Mapping[str, Any], source: str | None, line: int | None
) -> tuple[str, str, str | None, bool, int | None]:
    f = {key: _pick(row, names) for key, names in _INTERFACE.items()}
    device, name = _name_of(f["device"], "device"), _name_of(f["name"], "name")
    if device is None or name is None:
        raise InputError("interface without device or name", path=source, line=line)
    raw = _name_of(f["mac"].get("mac_address") if isinstance(f["mac"], dict) else f["mac"], "mac")
    mac = format_mac(raw) if raw else None
    if raw and mac is None:
        raise InputError(f"bad MAC {raw!r}", path=source, line=line, field="mac_address")
    mgmt = str(f["mgmt_only"]).lower() in ("true", "1", "yes")
    return device, name, mac, mgmt, line


def _end(row: Mapping[str, Any], side: str) -> tuple[str | None, str | None]:
    """(device, interface) of one cable end, from CSV columns or API terminations."""
    terms = row.get(f"{side}_terminations")
    if isinstance(terms, list) and terms:
        term = terms[0] if isinstance(terms[0], dict) else {}
        if term.get("object_type", "dcim.interface") != "dcim.interface":
            return None, None
        obj = term.get("object")
        if not isinstance(obj, dict):
            return None, None
        return _name_of(obj.get("device"), f"{side}_device"), _name_of(obj, f"{side}_name")
    old = row.get(f"termination_{side}")
    if isinstance(old, dict):
        if row.get(f"termination_{side}_type", "dcim.interface") != "dcim.interface":
            return None, None
        return _name_of(old.get("device"), f"{side}_device"), _name_of(old, f"{side}_name")
    return _name_of(_pick(row, _CABLE[f"{side}_device"]), f"{side}_device"), _name_of(
        _pick(row, _CABLE[f"{side}_name"]), f"{side}_name"
    )


def _cable(
    row: Mapping[str, Any], source: str | None, line: int | None
) -> tuple[str, str, str, str, str, int | None]:
    (a, pa), (b, pb) = _end(row, "a"), _end(row, "b")
    if not (a and b and pa and pb):
        raise InputError("cable end is not a device interface", path=source, line=line)
    label = _name_of(_pick(row, _CABLE["label"]), "label") or f"{a}:{pa}-{b}:{pb}"
    return a, pa, b, pb, label, line


#: one record: (CSV line, fields, JSON element such as ``results[3]``)
_Row = tuple[int | None, dict[str, Any], str | None]


def _rows(text: str, source: str | None) -> list[_Row]:
    if text.lstrip().startswith(("[", "{")):
        doc = load_json(text, source=source)
        items = doc.get("results") if isinstance(doc, dict) else doc
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InputError('expected a list of objects (or {"results": [...]})', path=source)
        if isinstance(doc, dict) and doc.get("next"):
            raise InputError(
                f"one page of a paginated API answer ({len(items)} of {doc.get('count', '?')} "
                "objects): fetch every page (?limit=0, or follow 'next') and read them all",
                path=source,
                field="next",
            )
        where = "results" if isinstance(doc, dict) else ""
        return [
            (None, {_norm(k): v for k, v in item.items()}, f"{where}[{i}]")
            for i, item in enumerate(items)
        ]
    header, records = csv_records(text, source, lambda names: _header(names, source))
    rows: list[_Row] = [
        (line, {k: _cell(v) for k, v in row.items()}, None) for line, row in records
    ]
    return rows or [(1, dict.fromkeys(header), None)]


def _header(names: list[str], source: str | None) -> list[str]:
    if not names:
        raise InputError("empty file: no CSV header, no JSON", path=source, line=1)
    return unique_header([_norm(h) for h in names], source)


def _cell(value: Any) -> Any:
    """A CSV cell as text; the cells past the header (a list) are kept as they are."""
    return value if isinstance(value, list) else (value or "").strip()


_PARSERS = {"device": _device, "interface": _interface, "cable": _cable}


def parse_netbox(
    data: str | bytes, *, source: str | None = None, skip_bad: bool = False
) -> NetboxExport:
    """One export file (devices, interfaces or cables; told apart by its columns/keys)."""
    rows = _rows(decode_text(data), source)
    try:
        kind = _kind(rows[0][1].keys()) if rows else "device"
    except InputError as exc:
        csv_header = None if rows[0][2] else 1  # the CSV header, or the first JSON element
        raise InputError(exc.message, path=source, line=csv_header, field=rows[0][2]) from None
    out = NetboxExport(source=source)
    targets: dict[str, list[Any]] = {
        "device": out.devices,
        "interface": out.interfaces,
        "cable": out.cables,
    }
    target = targets[kind]
    for line, row, element in rows:
        if all(v in (None, "") for v in row.values()):
            continue
        try:
            if CSV_EXTRA in row:
                raise InputError("more fields than the header has", path=source, line=line)
            target.append(_PARSERS[kind](row, source, line))
        except InputError as exc:  # named here: file, CSV line or JSON element, field
            where = ".".join(w for w in (element, exc.field) if w) or None
            if not skip_bad:
                raise InputError(exc.message, path=source, line=line, field=where) from None
            out.skipped.append(
                Skipped(source, line, f"{where}: {exc.message}" if element else exc.message)
            )
    return out


def _with_interfaces(d: DeviceRecord, ifaces: list[tuple[str, str | None, bool]]) -> DeviceRecord:
    macs = [m for _, m, _ in ifaces if m]
    if not macs:
        return d
    mgmt = [m for _, m, is_mgmt in ifaces if m and is_mgmt]
    extra = {**d.extra, "if_macs": tuple(dict.fromkeys(macs))}
    return replace(d, mac=d.mac or (mgmt or macs)[0], extra=extra)


def netbox_inventory(exports: Sequence[NetboxExport]) -> Inventory:
    """Merge exports: interface MACs go to their device, cables between devices become links."""
    devices = [d for e in exports for d in e.devices]
    skipped = [s for e in exports for s in e.skipped]
    known = {d.node for d in devices}
    by_device: dict[str, list[tuple[str, str | None, bool]]] = {}
    for e in exports:
        for dev, name, mac, mgmt, line in e.interfaces:
            if dev not in known:
                why = f"interface {dev}:{name}: device not in the export"
                skipped.append(Skipped(e.source, line, why))
                continue
            by_device.setdefault(dev, []).append((name, mac, mgmt))
    merged = [_with_interfaces(d, by_device.get(d.node, [])) for d in devices]
    links: list[LinkRecord] = []
    for e in exports:
        for a, pa, b, pb, label, line in e.cables:
            if a not in known or b not in known:
                skipped.append(Skipped(e.source, line, f"cable {label}: device not in the export"))
                continue
            attrs = {"source": "netbox-cable", "src_port": pa, "dst_port": pb}
            links.append(LinkRecord(f"cable:{label}", a, b, line=line, attrs=attrs))
    sources = tuple(e.source for e in exports if e.source)
    return Inventory(tuple(merged), tuple(links), tuple(skipped), sources)


def read_netbox(paths: str | Path | Sequence[str | Path], *, skip_bad: bool = False) -> Inventory:
    """Read one or more NetBox export files (devices, interfaces, cables) as one inventory."""
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    exports = []
    for p in items:
        try:
            exports.append(parse_netbox(load_file(p), source=str(p), skip_bad=skip_bad))
        except InputError as exc:
            raise exc if exc.path else exc.located(str(p)) from None
    return netbox_inventory(exports)
