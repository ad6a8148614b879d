"""PCI functions from ``lspci -nn -vmm`` text, or from an ``lspci -x`` hex dump via ``lspci -F``.

>>> text = "Slot:\\t0000:3b:00.0\\nClass:\\tEthernet controller [0200]\\n" \\
...        "Vendor:\\tHuawei Technologies Co., Ltd. [19e5]\\nDevice:\\tHi1822 [1822]\\n"
>>> c = parse_lspci(text).components[0]
>>> c.slot, c.vendor_id, c.device_id, c.manufacturer
('0000:3b:00.0', '19e5', '1822', 'Huawei Technologies Co., Ltd.')
"""

from __future__ import annotations

import re
from pathlib import Path

from cleanpath.errors import InputError
from cleanpath.integrity._tools import read_bytes, run_tool
from cleanpath.integrity.model import Component, Evidence, normalise_hex_id

__all__ = ["is_lspci_dump", "parse_lspci", "read_lspci"]

_NAMED = re.compile(r"^(?P<name>.*?)\s*\[(?P<id>[0-9a-fA-F]{4})\]$")
_DUMP = re.compile(r"^[0-9a-f]{2}: (?:[0-9a-f]{2} ?){1,16}$", re.MULTILINE)


def _named(value: str | None) -> tuple[str | None, str | None]:
    """``"Huawei ... [19e5]"`` → (``"Huawei ..."``, ``"19e5"``); a bare ``19e5`` → (None, id)."""
    if value is None:
        return None, None
    m = _NAMED.match(value.strip())
    if m:
        return (m["name"] or None), normalise_hex_id(m["id"])
    bare = normalise_hex_id(value) if re.fullmatch(r"[0-9a-fA-F]{4}", value.strip()) else None
    return (None, bare) if bare else (value.strip() or None, None)


def _record(fields: dict[str, str], line: int, source: str | None) -> Component:
    slot = fields.get("Slot")
    if not slot:
        raise InputError("record has no Slot:", path=source, line=line, field="Slot")
    vendor, vid = _named(fields.get("Vendor"))
    device, did = _named(fields.get("Device"))
    _, svid = _named(fields.get("SVendor"))
    _, sid = _named(fields.get("SDevice"))
    cls_name, cls_id = _named(fields.get("Class"))
    attrs = {"class": cls_id or cls_name, "rev": fields.get("Rev")}
    if slot.count(":") == 1:
        slot = "0000:" + slot
    return Component(
        "pci_function",
        slot,
        manufacturer=vendor,
        model=device,
        vendor_id=vid,
        device_id=did,
        subsystem_vendor_id=svid,
        subsystem_id=sid,
        attrs=tuple(sorted((k, v) for k, v in attrs.items() if v)),
        source="lspci",
    )


def parse_lspci(text: str, *, source: str | None = None) -> Evidence:
    """Components of ``lspci -vmm -nn [-D]`` output (records separated by blank lines)."""
    comps: list[Component] = []
    fields: dict[str, str] = {}
    start = 1
    for no, raw in enumerate([*text.splitlines(), ""], start=1):
        line = raw.rstrip()
        if not line:
            if fields:
                comps.append(_record(fields, start, source))
            fields = {}
            continue
        if not fields:
            start = no
        key, sep, value = line.partition(":")
        if not sep or not key or " " in key.strip():
            raise InputError(f"not an lspci -vmm line: {line[:60]!r}", path=source, line=no)
        fields[key.strip()] = value.strip()
    if not comps:
        raise InputError("no PCI function records (expected lspci -vmm -nn output)", path=source)
    return Evidence(
        tuple(sorted(comps, key=lambda c: c.slot)),
        (),
        {},
        (),
        (f"lspci {source or '<text>'}",),
        ("lspci",),
    )


def is_lspci_dump(text: str) -> bool:
    """True for ``lspci -x``-style hex dumps (``00: e5 19 ...`` lines)."""
    return bool(_DUMP.search(text))


def read_lspci(path: str | Path) -> Evidence:
    """Evidence from a file of ``lspci -vmm -nn`` text or an ``lspci -x`` dump (decoded by
    running the real ``lspci -F FILE -vmm -nn -D``)."""
    text = read_bytes(path).decode("utf-8", errors="replace")
    if is_lspci_dump(text):
        text = run_tool(
            ["lspci", "-F", str(path), "-vmm", "-nn", "-D"], path=path, package="pciutils"
        )
    return parse_lspci(text, source=str(path))
