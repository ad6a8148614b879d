"""Device inventory CSV: one device per row, ``node`` required, every other column optional.

Known columns (header names are case-insensitive, spaces and dashes count as ``_``;
``sysObjectID`` and ``sysDescr`` are understood): ``node, hostname, manufacturer, model, mac,
sys_object_id, sys_descr, role``; any other column is kept in ``DeviceRecord.extra``.
A row without a node, or with a malformed MAC or OID, is an
:class:`~cleanpath.errors.InputError` naming its line, or with ``skip_bad`` skipped and
counted; a missing ``node`` header or an unreadable file is always an error.

>>> text = "Node,MAC,Agent\\nr1,00-1b-c5-00-00-07,snmp\\n,,\\nr2,zz,\\n"
>>> inv = parse_inventory_csv(text, skip_bad=True)
>>> [(d.node, d.mac, dict(d.extra)) for d in inv.devices]
[('r1', '00:1B:C5:00:00:07', {'agent': 'snmp'})]
>>> [str(s) for s in inv.skipped]
["<input>:4: malformed MAC 'zz'"]
>>> parse_inventory_csv(text, source="inv.csv")
Traceback (most recent call last):
...
cleanpath.errors.InputError: inv.csv:4: malformed MAC 'zz'
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from cleanpath.domain import DeviceRecord, Inventory, Skipped
from cleanpath.errors import InputError
from cleanpath.ingest._common import header_key, next_record, unique_header
from cleanpath.kb.oui import normalize_mac

__all__ = ["INVENTORY_COLUMNS", "parse_inventory_csv", "read_inventory_csv"]

INVENTORY_COLUMNS = (
    "node",
    "hostname",
    "manufacturer",
    "model",
    "mac",
    "sys_object_id",
    "sys_descr",
    "role",
)
#: other spellings of the known columns (after :func:`header_key`): SNMP object names
_ALIASES = {
    "host_name": "hostname",
    "sysobjectid": "sys_object_id",
    "sysdescr": "sys_descr",
}
_OID = re.compile(r"\.?\d+(?:\.\d+)+")


class _BadRow(ValueError):
    """A row that is skipped (the message is the reason)."""


def _device(row: dict[str, str], line: int, source: str | None) -> DeviceRecord:
    fields = {k: (row.get(k) or "").strip() or None for k in INVENTORY_COLUMNS}
    if fields["node"] is None:
        raise _BadRow("missing node")
    if fields["mac"] is not None:
        try:
            fields["mac"] = normalize_mac(fields["mac"])
        except ValueError:
            raise _BadRow(f"malformed MAC {fields['mac']!r}") from None
    oid = fields["sys_object_id"]
    if oid is not None:
        if not _OID.fullmatch(oid):
            raise _BadRow(f"malformed sys_object_id {oid!r}")
        fields["sys_object_id"] = oid.lstrip(".")
    extra = {k: v.strip() for k, v in row.items() if k not in INVENTORY_COLUMNS and v and v.strip()}
    return DeviceRecord(
        node=str(fields["node"]),
        hostname=fields["hostname"],
        manufacturer=fields["manufacturer"],
        model=fields["model"],
        mac=fields["mac"],
        sys_object_id=fields["sys_object_id"],
        sys_descr=fields["sys_descr"],
        role=fields["role"],
        source=source,
        line=line,
        extra=extra,
    )


def _header(reader: csv.DictReader[str], source: str | None) -> list[str]:
    names = [_ALIASES.get(k, k) for k in map(header_key, reader.fieldnames or [])]
    if "node" not in names:
        raise InputError("no 'node' column in the header", path=source, line=1, field="node")
    return unique_header(names, source)


def parse_inventory_csv(
    text: str, *, source: str | None = None, skip_bad: bool = False
) -> Inventory:
    """Parse inventory CSV ``text`` (a leading BOM is allowed); ``source`` names the file.

    A bad row raises InputError naming its line; with ``skip_bad`` it is skipped and counted
    in ``Inventory.skipped`` instead (what ``cleanpath audit`` does, listing them).
    """
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    done = 0  # lines read by complete records: a bad record starts after them
    try:
        reader.fieldnames = _header(reader, source)
        devices: list[DeviceRecord] = []
        skipped: list[Skipped] = []
        done = reader.line_num
        for row in reader:
            done = reader.line_num
            inner = sum(v.count("\n") for v in row.values() if isinstance(v, str))
            line = reader.line_num - inner
            why = "more fields than the header has" if None in row else None
            if why is None and not any((v or "").strip() for v in row.values()):
                continue
            try:
                if why is None:
                    devices.append(_device(row, line, source))
            except _BadRow as exc:
                why = str(exc)
            if why is not None and not skip_bad:
                raise InputError(why, path=source, line=line)
            if why is not None:
                skipped.append(Skipped(source, line, why))
    except csv.Error as exc:
        raise InputError(f"bad CSV: {exc}", path=source, line=next_record(text, done)) from None
    sources = (source,) if source else ()
    return Inventory(tuple(devices), skipped=tuple(skipped), sources=sources)


def read_inventory_csv(path: Path | str, *, skip_bad: bool = False) -> Inventory:
    """Read an inventory CSV file (UTF-8, BOM allowed); ``skip_bad`` as in
    :func:`parse_inventory_csv`."""
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read inventory: {exc.strerror or exc}", path=name) from None
    except UnicodeDecodeError as exc:
        line = Path(path).read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text", path=name, line=line) from None
    return parse_inventory_csv(text, source=name, skip_bad=skip_bad)
