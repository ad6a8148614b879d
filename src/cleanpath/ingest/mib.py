"""Turn SNMP values (from a recording or a live agent) into a :class:`DeviceRecord`.

Both :mod:`cleanpath.ingest.snmprec` and :mod:`cleanpath.discover.snmp` end with a plain
mapping ``OID -> value`` (OIDs without a leading dot; OCTET STRING and Opaque as ``bytes``,
integer types as ``int``, OBJECT IDENTIFIER and IpAddress as ``str``). This module reads the
system group, ENTITY-MIB, IF-MIB, BRIDGE-MIB and LLDP-MIB out of that mapping. A value of the
wrong type or shape is not fatal: it is recorded in ``extra["warnings"]`` and left out.

>>> d = device_from_values({"1.3.6.1.2.1.1.5.0": b"sw1", "1.3.6.1.2.1.17.1.1.0": bytes(range(6))},
...                        node="a", source="t")
>>> d.hostname, d.mac, d.extra["bridge_mac"]
('sw1', '00:01:02:03:04:05', '00:01:02:03:04:05')
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cleanpath.domain import DeviceRecord

__all__ = [
    "ENTITY_COLUMNS",
    "LLDP_LOC_PORT_COLUMNS",
    "LLDP_REM_COLUMNS",
    "SCALARS",
    "SnmpValue",
    "device_from_values",
    "format_mac",
    "oid_key",
    "pen_counts",
    "text_of",
]

SnmpValue = bytes | int | str

MAX_TEXT = 4096  # longer strings are cut (a huge field must not blow up a report)

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
BRIDGE_ADDR = "1.3.6.1.2.1.17.1.1.0"
LLDP_LOC = "1.0.8802.1.1.2.1.3"
ENT_PHYS = "1.3.6.1.2.1.47.1.1.1.1"
IF_PHYS_ADDRESS = "1.3.6.1.2.1.2.2.1.6"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
LLDP_LOC_PORT = "1.0.8802.1.1.2.1.3.7.1"
ENTERPRISES = "1.3.6.1.4.1."

#: scalars fetched with one GET: OID -> extra key (None: a DeviceRecord field)
SCALARS: Mapping[str, str] = {
    SYS_DESCR: "sys_descr",
    SYS_OBJECT_ID: "sys_object_id",
    "1.3.6.1.2.1.1.3.0": "sys_uptime",
    "1.3.6.1.2.1.1.4.0": "sys_contact",
    SYS_NAME: "sys_name",
    "1.3.6.1.2.1.1.6.0": "sys_location",
    BRIDGE_ADDR: "bridge_mac",
    f"{LLDP_LOC}.1.0": "lldp_chassis_id_subtype",
    f"{LLDP_LOC}.2.0": "lldp_chassis_id",
    f"{LLDP_LOC}.3.0": "lldp_loc_sys_name",
    f"{LLDP_LOC}.4.0": "lldp_loc_sys_desc",
}
#: entPhysicalTable columns we read: column number -> extra key suffix
ENTITY_COLUMNS: Mapping[int, str] = {
    2: "descr",
    5: "class",
    7: "name",
    8: "hardware_rev",
    9: "firmware",
    10: "software",
    11: "serial",
    12: "mfg_name",
    13: "model_name",
}
#: lldpRemTable columns: column number -> neighbour field
LLDP_REM_COLUMNS: Mapping[int, str] = {
    4: "chassis_id_subtype",
    5: "chassis_id",
    6: "port_id_subtype",
    7: "port_id",
    8: "port_descr",
    9: "sys_name",
    10: "sys_descr",
}
#: lldpLocPortTable columns: 3 = lldpLocPortId, 4 = lldpLocPortDesc
LLDP_LOC_PORT_COLUMNS: Mapping[int, str] = {3: "port_id", 4: "port_descr"}

_MAC_TEXT = re.compile(r"^[0-9a-fA-F]{2}([:\-. ]?[0-9a-fA-F]{2}){5}$")
_PLACEHOLDERS = frozenset({"", "<private>", "unknown", "n/a", "none"})


def oid_key(oid: str) -> tuple[int, ...]:
    """Numeric sort key of a dotted OID (non-numeric arcs sort first).

    >>> sorted(["1.3.10", "1.3.9"], key=oid_key)
    ['1.3.9', '1.3.10']
    """
    return tuple(int(p) if p.isdigit() else -1 for p in oid.strip(".").split("."))


def text_of(value: SnmpValue | None) -> str | None:
    """A printable string of an SNMP value: UTF-8 (else Latin-1), NULs dropped, cut at 4 KiB.

    >>> text_of(b"VRP (R) software\\x00"), text_of(7), text_of(b"  ")
    ('VRP (R) software', '7', None)
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            decoded = value.decode("utf-8")
        except UnicodeDecodeError:
            decoded = value.decode("latin-1")
    else:
        decoded = str(value)
    text = decoded.replace("\x00", "").strip()[:MAX_TEXT]
    return text or None


def _meaningful(text: str | None) -> str | None:
    return None if text is None or text.lower() in _PLACEHOLDERS else text


def format_mac(value: SnmpValue | None) -> str | None:
    """``aa:bb:cc:dd:ee:ff`` from 6 raw bytes or from MAC text; None for anything else.

    All-zero and all-ones addresses are not MACs of a device.

    >>> format_mac(b"\\x00\\x1b\\x2c\\x3d\\x4e\\x5f"), format_mac(b"00-1B-2C-3D-4E-5F")
    ('00:1b:2c:3d:4e:5f', '00:1b:2c:3d:4e:5f')
    >>> format_mac(b"\\x00" * 6), format_mac(b"abc"), format_mac(5)
    (None, None, None)
    """
    raw: bytes | None = None
    if isinstance(value, bytes) and len(value) == 6:
        raw = value
    elif isinstance(value, bytes | str):
        text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
        if _MAC_TEXT.match(text):
            raw = bytes.fromhex(re.sub(r"[^0-9a-fA-F]", "", text))
    if raw is None or raw in (b"\x00" * 6, b"\xff" * 6):
        return None
    return ":".join(f"{b:02x}" for b in raw)


def pen_counts(oids: Iterable[str]) -> dict[int, int]:
    """How many OIDs fall under each enterprise subtree 1.3.6.1.4.1.PEN.

    >>> pen_counts(["1.3.6.1.4.1.2011.5.1", "1.3.6.1.4.1.2011.6", "1.3.6.1.2.1.1.1.0"])
    {2011: 2}
    """
    counts: Counter[int] = Counter()
    for oid in oids:
        if oid.startswith(ENTERPRISES):
            head = oid[len(ENTERPRISES) :].split(".", 1)[0]
            if head.isdigit():
                counts[int(head)] += 1
    return dict(sorted(counts.items()))


def column_rows(
    values: Mapping[str, SnmpValue], table: str, columns: Iterable[int]
) -> dict[str, dict[int, SnmpValue]]:
    """Rows of a table: ``index -> {column: value}`` for the given columns."""
    rows: dict[str, dict[int, SnmpValue]] = {}
    wanted = set(columns)
    prefix = table + "."
    for oid, value in values.items():
        if not oid.startswith(prefix):
            continue
        col, _, index = oid[len(prefix) :].partition(".")
        if col.isdigit() and int(col) in wanted and index:
            rows.setdefault(index, {})[int(col)] = value
    return rows


@dataclass
class _Builder:
    """Collects fields, extra signals, OID provenance and warnings for one device."""

    extra: dict[str, Any]
    provenance: dict[str, str]
    warnings: list[str]

    def put(self, key: str, value: Any, oid: str) -> None:
        if value is not None and value != () and key not in self.extra:
            self.extra[key] = value
            self.provenance[key] = oid

    def warn(self, oid: str, problem: str) -> None:
        if len(self.warnings) < 50:
            self.warnings.append(f"{oid}: {problem}")


def _scalars(values: Mapping[str, SnmpValue], b: _Builder) -> None:
    for oid, key in SCALARS.items():
        value = values.get(oid)
        if value is None:
            continue
        if key == "sys_object_id":
            text = text_of(value) or ""
            if re.fullmatch(r"\.?\d+(\.\d+)+", text):
                b.put(key, text.lstrip("."), oid)
            if not isinstance(value, str) or not text:
                b.warn(oid, f"sysObjectID is not an OBJECT IDENTIFIER: {text[:80]!r}")
        elif key in ("sys_uptime", "lldp_chassis_id_subtype"):
            if isinstance(value, int):
                b.put(key, value, oid)
            else:
                b.warn(oid, f"expected an integer, got {text_of(value)!r}")
        elif key == "bridge_mac":
            mac = format_mac(value)
            if mac is None and value not in (b"", b"\x00" * 6):
                b.warn(oid, f"not a MAC address: {value!r}"[:120])
            b.put(key, mac, oid)
        elif key != "lldp_chassis_id":
            b.put(key, text_of(value), oid)
    _chassis(values, b)


def _chassis(values: Mapping[str, SnmpValue], b: _Builder) -> None:
    oid = f"{LLDP_LOC}.2.0"
    value = values.get(oid)
    if value is None:
        return
    if b.extra.get("lldp_chassis_id_subtype") == 4:
        mac = format_mac(value)
        if mac is None:
            b.warn(oid, f"chassis id of subtype macAddress is not a MAC: {value!r}"[:120])
        b.put("lldp_chassis_mac", mac, oid)
    else:
        b.put("lldp_chassis_id", chassis_text(value), oid)


def chassis_text(value: SnmpValue) -> str | None:
    """A chassis/port id as text: printable text as is, else MAC form, else hex."""
    if isinstance(value, bytes) and value and not value.isascii():
        return format_mac(value) or value.hex()
    if isinstance(value, bytes) and value and any(c < 32 for c in value.rstrip(b"\x00")):
        return format_mac(value) or value.hex()
    return text_of(value)


def _entity(values: Mapping[str, SnmpValue], b: _Builder) -> None:
    rows = column_rows(values, ENT_PHYS, ENTITY_COLUMNS)
    if not rows:
        return
    ordered = sorted(rows, key=oid_key)
    # the first chassis (entPhysicalClass 3) describes the box; else the first entity
    chassis = [i for i in ordered if rows[i].get(5) == 3]
    for index in chassis + ordered:
        for col, suffix in ENTITY_COLUMNS.items():
            if col == 5:
                continue
            oid = f"{ENT_PHYS}.{col}.{index}"
            b.put(f"ent_physical_{suffix}", _meaningful(text_of(rows[index].get(col))), oid)
    for col, key in ((12, "ent_physical_mfg_names"), (13, "ent_physical_model_names")):
        names = {_meaningful(text_of(rows[i].get(col))) for i in ordered}
        b.put(key, tuple(sorted(n for n in names if n)), f"{ENT_PHYS}.{col}")


def _interfaces(values: Mapping[str, SnmpValue], b: _Builder) -> None:
    prefix = IF_PHYS_ADDRESS + "."
    macs: list[str] = []
    for oid in sorted((o for o in values if o.startswith(prefix)), key=oid_key):
        value = values[oid]
        mac = format_mac(value)
        if mac is not None:
            macs.append(mac)
        elif isinstance(value, bytes) and len(value) not in (0, 6, 8):
            b.warn(oid, f"ifPhysAddress of {len(value)} bytes")
        elif not isinstance(value, bytes):
            b.warn(oid, f"ifPhysAddress is not an OCTET STRING: {value!r}"[:120])
    distinct = tuple(dict.fromkeys(macs))
    b.put("if_macs", distinct[:64], IF_PHYS_ADDRESS)
    if distinct:
        b.put("if_mac_count", len(distinct), IF_PHYS_ADDRESS)


def _base_mac(extra: Mapping[str, Any]) -> tuple[str | None, str | None]:
    for key in ("lldp_chassis_mac", "bridge_mac"):
        if extra.get(key):
            return extra[key], key
    macs = extra.get("if_macs") or ()
    return (macs[0], "if_macs") if macs else (None, None)


def device_from_values(
    values: Mapping[str, SnmpValue],
    *,
    node: str,
    source: str | None = None,
    line: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> DeviceRecord:
    """The device an agent (or recording) describes: fields, ``extra`` signals, provenance.

    ``extra`` adds caller-known keys (e.g. ``agent``). ``manufacturer`` stays empty: what the
    box claims about its maker is in ``extra`` (``ent_physical_mfg_name``) for the
    identification engine to weigh; ``model`` is the ENTITY-MIB model name when present.
    """
    b = _Builder(dict(extra or {}), {}, [])
    _scalars(values, b)
    _entity(values, b)
    _interfaces(values, b)
    hits = pen_counts(values)
    if hits:
        b.extra["vendor_subtree_hits"] = hits
    mac, mac_key = _base_mac(b.extra)
    if mac_key:
        b.provenance["mac"] = b.provenance[mac_key]
    if b.warnings:
        b.extra["warnings"] = tuple(b.warnings)
    b.extra["provenance"] = dict(sorted(b.provenance.items()))
    fields = b.extra
    return DeviceRecord(
        node=node,
        hostname=_meaningful(fields.get("sys_name")),
        model=fields.get("ent_physical_model_name"),
        mac=mac,
        sys_object_id=fields.pop("sys_object_id", None),
        sys_descr=fields.pop("sys_descr", None),
        source=source,
        line=line,
        extra=fields,
    )
