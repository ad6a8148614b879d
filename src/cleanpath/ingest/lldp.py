"""LLDP neighbour tables: links between devices, and evidence about the neighbours.

A neighbour's LLDP system description is what the *neighbour* says about itself; it is
stored on the neighbour's record (``extra["lldp_rem_sys_desc"]``), never on the device whose
table listed it. Neighbours are matched to known devices by chassis id (a MAC of the device,
or its textual chassis id), then by system name; unmatched neighbours become devices of
unknown make (``extra["observed_only"] = True``).

Neighbour tables come from SNMP (LLDP-MIB ``lldpRemTable``, see :func:`neighbours_from_values`)
or from a CSV/JSON file (:func:`parse_lldp`) with the columns ``local, local_port,
chassis_id, port_id, sys_name, sys_descr`` (``port_descr``, ``chassis_id_subtype`` optional;
header names are case-insensitive, ``System Name`` and ``System Description`` are understood).

>>> inv = parse_lldp("local,local_port,chassis_id,port_id,sys_name,sys_descr\\n"
...                  "core1,ge0/1,00:e0:fc:00:00:01,GE1/0/1,agg1,Huawei VRP\\n")
>>> [(d.node, d.extra.get("lldp_rem_sys_desc")) for d in inv.devices]
[('agg1', ('Huawei VRP',)), ('core1', None)]
>>> [(link.src, link.dst) for link in inv.links]
[('core1', 'agg1')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cleanpath.domain import DeviceRecord, Inventory, LinkRecord, Skipped
from cleanpath.errors import InputError
from cleanpath.ingest._common import (
    CSV_EXTRA,
    csv_records,
    decode_text,
    header_key,
    load_json,
    read_with,
    unique_header,
)
from cleanpath.ingest.mib import (
    LLDP_LOC_PORT,
    LLDP_LOC_PORT_COLUMNS,
    LLDP_REM,
    LLDP_REM_COLUMNS,
    SnmpValue,
    chassis_text,
    column_rows,
    format_mac,
    oid_key,
    text_of,
)

__all__ = [
    "LldpNeighbour",
    "link_neighbours",
    "neighbours_from_values",
    "parse_lldp",
    "read_lldp",
]


@dataclass(frozen=True, slots=True)
class LldpNeighbour:
    """One row of a device's LLDP neighbour table (what ``local`` heard on ``local_port``)."""

    local: str
    local_port: str | None
    chassis_id: str | None
    port_id: str | None = None
    port_descr: str | None = None
    sys_name: str | None = None
    sys_descr: str | None = None
    source: str | None = None
    line: int | None = None


def _rem_chassis(row: Mapping[int, SnmpValue]) -> str | None:
    value = row.get(5)
    if value is None:
        return None
    if row.get(4) == 4:
        return format_mac(value) or chassis_text(value)
    return chassis_text(value)


def neighbours_from_values(
    values: Mapping[str, SnmpValue], *, local: str, source: str | None = None
) -> tuple[LldpNeighbour, ...]:
    """The LLDP-MIB remote table of one agent (index: timeMark.localPortNum.remIndex).

    >>> v = {"1.0.8802.1.1.2.1.4.1.1.9.0.3.1": b"sw2", "1.0.8802.1.1.2.1.3.7.1.3.3": b"Gi0/3"}
    >>> neighbours_from_values(v, local="sw1")[0].local_port
    'Gi0/3'
    """
    rows = column_rows(values, LLDP_REM, LLDP_REM_COLUMNS)
    ports = column_rows(values, LLDP_LOC_PORT, LLDP_LOC_PORT_COLUMNS)
    out = []
    for index in sorted(rows, key=oid_key):
        row = rows[index]
        parts = index.split(".")
        port_num = parts[1] if len(parts) == 3 else None
        port = ports.get(port_num or "", {})
        out.append(
            LldpNeighbour(
                local=local,
                local_port=chassis_text(port[3]) if 3 in port else port_num,
                chassis_id=_rem_chassis(row),
                port_id=chassis_text(row[7]) if 7 in row else None,
                port_descr=text_of(row.get(8)),
                sys_name=text_of(row.get(9)),
                sys_descr=text_of(row.get(10)),
                source=source,
            )
        )
    return tuple(out)


_PLACEHOLDER_NAMES = frozenset(
    {"", "-", "none", "(none)", "n/a", "unknown", "localhost", "localhost.localdomain"}
)
_PLACEHOLDER_IDS = frozenset({"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "000000000000"})


def _name_key(name: str | None) -> str | None:
    """A system name fit to match devices by, lower-cased; None for placeholders that many
    devices share (``<private>`` as redacted recordings show, ``localhost``, ...).

    >>> _name_key("SW-1.example.net"), _name_key("<private>"), _name_key(" localhost ")
    ('sw-1.example.net', None, None)
    """
    key = (name or "").strip().lower()
    if key in _PLACEHOLDER_NAMES or (key.startswith("<") and key.endswith(">")):
        return None
    return key


def _id_key(chassis: str | None) -> str | None:
    key = (chassis or "").strip().lower()
    return None if not key or key in _PLACEHOLDER_IDS else key


def _device_keys(d: DeviceRecord) -> tuple[list[str], list[str]]:
    ex = d.extra
    ids = [ex.get("lldp_chassis_mac"), ex.get("lldp_chassis_id"), ex.get("bridge_mac"), d.mac]
    ids += list(ex.get("if_macs") or ())
    names = [d.hostname, ex.get("lldp_loc_sys_name"), ex.get("sys_name")]
    id_keys = [k for k in map(_id_key, ids) if k]
    return id_keys, [k for k in map(_name_key, names) if k]


class _Index:
    """Finds the device a neighbour entry points at (chassis id first, then system name)."""

    def __init__(self, devices: Iterable[DeviceRecord]) -> None:
        self.by_id: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for d in devices:
            ids, names = _device_keys(d)
            for i in ids:
                self.by_id.setdefault(i, d.node)
            for n in names:
                self.by_name.setdefault(n, d.node)
                self.by_name.setdefault(n.split(".")[0], d.node)

    def find(self, n: LldpNeighbour) -> str | None:
        chassis, name = _id_key(n.chassis_id), _name_key(n.sys_name)
        if chassis and chassis in self.by_id:
            return self.by_id[chassis]
        if name:
            return self.by_name.get(name) or self.by_name.get(name.split(".")[0])
        return None

    def add(self, n: LldpNeighbour) -> str:
        chassis, name = _id_key(n.chassis_id), _name_key(n.sys_name)
        named = n.sys_name if name else None
        node = named or f"lldp:{chassis or n.local + '/' + (n.local_port or '?')}"
        if chassis:
            self.by_id.setdefault(chassis, node)
        if name:
            self.by_name.setdefault(name, node)
        return node


def _append(extra: dict[str, Any], key: str, value: str | None) -> None:
    if value and value not in extra.get(key, ()):
        extra[key] = (*extra.get(key, ()), value)


def _evidence(extra: dict[str, Any], n: LldpNeighbour) -> None:
    """What ``n.local`` heard about its neighbour, kept on the neighbour's record."""
    _append(extra, "lldp_rem_sys_desc", n.sys_descr)
    _append(extra, "lldp_rem_sys_name", n.sys_name)
    _append(extra, "lldp_rem_chassis_id", n.chassis_id)
    _append(extra, "lldp_seen_by", n.local)


def link_neighbours(
    devices: Sequence[DeviceRecord], neighbours: Iterable[LldpNeighbour]
) -> Inventory:
    """Links from neighbour tables, and devices updated with what neighbours said of them.

    Returns every device of ``devices`` (those described by a neighbour get LLDP evidence in
    ``extra``), plus one record of unknown make per neighbour not among ``devices``. A link
    heard from both ends is one :class:`LinkRecord`.
    """
    index = _Index(devices)
    known = {d.node: d for d in devices}
    evidence: dict[str, dict[str, Any]] = {}
    links: dict[frozenset[tuple[str, str | None]], LinkRecord] = {}
    for n in neighbours:
        remote = index.find(n) or index.add(n)
        if remote == n.local:
            continue
        _evidence(evidence.setdefault(remote, {}), n)
        ends = frozenset({(n.local, n.local_port), (remote, n.port_id)})
        if ends in links:
            continue
        links[ends] = LinkRecord(
            id=f"lldp:{n.local}[{n.local_port or '?'}]-{remote}[{n.port_id or '?'}]",
            src=n.local,
            dst=remote,
            line=n.line,
            attrs={"source": "lldp", "src_port": n.local_port, "dst_port": n.port_id},
        )
    out = [_merge(d, evidence.get(d.node)) for d in devices]
    for node, ev in evidence.items():
        if node not in known:
            descr = ev.get("lldp_rem_sys_desc", (None,))[0]
            out.append(
                DeviceRecord(
                    node=node,
                    hostname=ev.get("lldp_rem_sys_name", (None,))[0],
                    source="lldp",
                    extra={**ev, "observed_only": True, "lldp_sys_descr_first": descr},
                )
            )
    return Inventory(tuple(out), tuple(links.values()))


def _merge(d: DeviceRecord, ev: Mapping[str, Any] | None) -> DeviceRecord:
    if not ev:
        return d
    extra = dict(d.extra)
    for key, values in ev.items():
        for v in values:
            _append(extra, key, v)
    return replace(d, extra=extra)


_COLUMNS = ("local", "local_port", "chassis_id", "port_id", "port_descr", "sys_name", "sys_descr")
#: the names ``show lldp neighbors detail`` and spreadsheets use for the same columns
_ALIASES = {
    "system_name": "sys_name",
    "system_description": "sys_descr",
    "sys_desc": "sys_descr",
    "port_description": "port_descr",
    "port_desc": "port_descr",
}


def _row_neighbour(
    row: Mapping[str, Any], *, source: str | None, line: int | None
) -> LldpNeighbour:
    def get(key: str) -> str | None:
        value = row.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int | float | None):
            raise InputError(f"expected text, got {type(value).__name__}", field=key)
        return None if value is None or str(value).strip() == "" else str(value).strip()

    if CSV_EXTRA in row:
        raise InputError("more fields than the header has", path=source, line=line)

    local = get("local")
    if local is None:
        raise InputError("missing local device", path=source, line=line, field="local")
    if get("chassis_id") is None and get("sys_name") is None:
        raise InputError("neither chassis_id nor sys_name", path=source, line=line)
    chassis = get("chassis_id")
    return LldpNeighbour(
        local=local,
        local_port=get("local_port"),
        chassis_id=format_mac(chassis) or chassis,
        port_id=get("port_id"),
        port_descr=get("port_descr"),
        sys_name=get("sys_name"),
        sys_descr=get("sys_descr"),
        source=source,
        line=line,
    )


#: one neighbour: (CSV line, fields, JSON element such as ``neighbours[3]``)
_Row = tuple[int | None, Mapping[str, Any], str | None]


def _json_rows(text: str, source: str | None) -> list[_Row]:
    data = load_json(text, source=source)
    key = next((k for k in ("neighbours", "neighbors") if isinstance(data, dict) and k in data), "")
    items = data.get(key) if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError("expected a list of neighbour objects", path=source)
    return [(None, item, f"{key}[{i}]") for i, item in enumerate(items)]


def _header(names: list[str], source: str | None) -> list[str]:
    keys = [header_key(f) for f in names]
    header = unique_header([_ALIASES.get(k, k) for k in keys], source)
    if "local" not in header:
        raise InputError(f"a CSV header with {', '.join(_COLUMNS)} is needed", path=source, line=1)
    return header


def _rows(text: str, source: str | None) -> list[_Row]:
    if text.lstrip().startswith(("[", "{")):
        return _json_rows(text, source)
    _, records = csv_records(text, source, lambda names: _header(names, source))
    return [(line, row, None) for line, row in records]


def parse_lldp(
    data: str | bytes, *, source: str | None = None, skip_bad: bool = False
) -> Inventory:
    """An LLDP neighbour table file (CSV or JSON) as devices plus links."""
    neighbours: list[LldpNeighbour] = []
    skipped: list[Skipped] = []
    for line, row, element in _rows(decode_text(data), source):
        try:
            neighbours.append(_row_neighbour(row, source=source, line=line))
        except InputError as exc:  # named here: file, CSV line or JSON element, field
            where = ".".join(w for w in (element, exc.field) if w) or None
            if not skip_bad:
                raise InputError(exc.message, path=source, line=line, field=where) from None
            skipped.append(
                Skipped(source, line, f"{where}: {exc.message}" if element else exc.message)
            )
    locals_ = dict.fromkeys(n.local for n in neighbours)
    devices = [DeviceRecord(node=name, hostname=name, source=source) for name in locals_]
    inv = link_neighbours(devices, neighbours)
    return Inventory(
        tuple(sorted(inv.devices, key=lambda d: d.node)),
        inv.links,
        tuple(skipped),
        (source,) if source else (),
    )


def read_lldp(path: str | Path, *, skip_bad: bool = False) -> Inventory:
    """Read an LLDP neighbour table file; errors name the file and line."""
    return read_with(parse_lldp, path, skip_bad=skip_bad)
