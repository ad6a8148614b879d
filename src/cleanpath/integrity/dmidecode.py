"""System, board, BIOS, processor and DIMM records from ``dmidecode`` output or a binary dump.

A binary file (``dmidecode --dump-bin``) is decoded by running the real
``dmidecode --from-dump FILE``; text output is parsed directly.

>>> text = "Handle 0x0001, DMI type 1, 27 bytes\\nSystem Information\\n" \\
...        "\\tManufacturer: Supermicro\\n\\tProduct Name: SYS-1029U-TRTP\\n\\tSerial Number: S1\\n"
>>> c = parse_dmidecode(text).components[0]
>>> c.kind, c.slot, c.manufacturer, c.model, c.serial_number
('system', 'dmi/system', 'Supermicro', 'SYS-1029U-TRTP', 'S1')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cleanpath.errors import InputError
from cleanpath.integrity._tools import read_bytes, run_tool
from cleanpath.integrity.model import Component, Evidence, Firmware

__all__ = ["parse_dmidecode", "read_dmidecode"]

_HANDLE = re.compile(r"^Handle 0x[0-9A-Fa-f]+, DMI type (\d+),")
_EMPTY = {
    "not specified",
    "not provided",
    "to be filled by o.e.m.",
    "unknown",
    "no module installed",
    "default string",
    "not settable",
    "",
}


def _blocks(text: str, source: str | None) -> Iterator[tuple[int, int, dict[str, str]]]:
    """(DMI type, line of its Handle, top-level fields) of each structure."""
    dtype, line = -1, 0
    fields: dict[str, str] = {}
    for no, raw in enumerate(text.splitlines(), start=1):
        m = _HANDLE.match(raw)
        if m:
            if dtype >= 0:
                yield dtype, line, fields
            dtype, line, fields = int(m[1]), no, {}
        elif dtype >= 0 and raw.startswith("\t") and not raw.startswith("\t\t"):
            key, sep, value = raw.strip().partition(":")
            if sep:
                fields[key.strip()] = value.strip()
    if dtype >= 0:
        yield dtype, line, fields
    elif text.strip():
        raise InputError(
            "no 'Handle 0x..., DMI type N' records (expected dmidecode output)", path=source
        )


def _v(fields: dict[str, str], key: str) -> str | None:
    value = fields.get(key)
    return None if value is None or value.strip().lower() in _EMPTY else value.strip()


def _component(dtype: int, f: dict[str, str]) -> Component | None:
    def comp(kind: str, slot: str, model_key: str, **attrs: str | None) -> Component:
        return Component(
            kind,
            slot,
            manufacturer=_v(f, "Manufacturer"),
            model=_v(f, model_key),
            serial_number=_v(f, "Serial Number"),
            part_number=_v(f, "Part Number"),
            attrs=tuple(sorted((k, v) for k, v in attrs.items() if v)),
            source="dmidecode",
        )

    if dtype == 1:
        return comp("system", "dmi/system", "Product Name", version=_v(f, "Version"))
    if dtype == 2:
        return comp("baseboard", "dmi/baseboard", "Product Name", version=_v(f, "Version"))
    if dtype == 3:
        return comp("chassis", "dmi/chassis", "Type")
    if dtype == 4 and _v(f, "Status") != "Unpopulated":
        where = _v(f, "Socket Designation") or "?"
        return comp("processor", f"dmi/processor/{where}", "Version", cpu_id=_v(f, "ID"))
    if dtype == 17 and _v(f, "Size") is not None:
        where = _v(f, "Locator") or "?"
        return comp("memory", f"dmi/memory/{where}", "Type", size=_v(f, "Size"))
    return None


def parse_dmidecode(text: str, *, source: str | None = None) -> Evidence:
    """Components (types 1-4, 17) and BIOS firmware (type 0) of ``dmidecode`` text output."""
    comps: dict[str, Component] = {}
    fws: list[Firmware] = []
    for dtype, line, fields in _blocks(text, source):
        if dtype == 0:
            fws.append(
                Firmware(
                    "dmi/bios",
                    "BIOS (SMBIOS type 0)",
                    _v(fields, "Version"),
                    manufacturer=_v(fields, "Vendor"),
                    source="dmidecode",
                )
            )
            continue
        c = _component(dtype, fields)
        if c is not None:
            if c.slot in comps:
                raise InputError(f"second DMI record for {c.slot}", path=source, line=line)
            comps[c.slot] = c
    return Evidence(
        tuple(sorted(comps.values(), key=lambda c: c.slot)),
        tuple(fws),
        {},
        (),
        (f"dmidecode {source or '<text>'}",),
        ("dmidecode",),
    )


def read_dmidecode(path: str | Path) -> Evidence:
    """Evidence from ``dmidecode`` text output or a ``--dump-bin`` file (entry point
    ``_SM_``/``_SM3_``), which is decoded with the real ``dmidecode --from-dump``."""
    data = read_bytes(path)
    if data[:5] == b"_SM3_" or data[:4] == b"_SM_":
        text = run_tool(["dmidecode", "--from-dump", str(path)], path=path, package="dmidecode")
    else:
        text = data.decode("utf-8", errors="replace")
    return parse_dmidecode(text, source=str(path))
