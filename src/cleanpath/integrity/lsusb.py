"""USB devices from recorded ``lsusb`` output (lsusb has no dump input; the text is parsed).

Each device is keyed by its ID and its rank among devices with that ID (``12d1:1506#1``),
not by bus/device number, which changes when a device is plugged in again.

>>> ev = parse_lsusb("Bus 001 Device 004: ID 12d1:1506 Huawei Technologies Co., Ltd. Modem\\n")
>>> c = ev.components[0]
>>> c.kind, c.slot, c.vendor_id, c.device_id, c.model
('usb_device', '12d1:1506#1', '12d1', '1506', 'Huawei Technologies Co., Ltd. Modem')
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from cleanpath.errors import InputError
from cleanpath.integrity._tools import read_bytes
from cleanpath.integrity.model import Component, Evidence

__all__ = ["parse_lsusb", "read_lsusb"]

_LINE = re.compile(
    r"^Bus (?P<bus>\d{3}) Device (?P<dev>\d{3}): ID (?P<vid>[0-9a-fA-F]{4}):(?P<pid>[0-9a-fA-F]{4})"
    r"(?: (?P<name>.*))?$"
)


def parse_lsusb(text: str, *, source: str | None = None) -> Evidence:
    """Components of plain ``lsusb`` output; any other non-blank line is an InputError."""
    seen: Counter[str] = Counter()
    comps = []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = _LINE.match(line)
        if m is None:
            raise InputError(f"not an lsusb line: {line[:60]!r}", path=source, line=no)
        vid, pid = m["vid"].lower(), m["pid"].lower()
        seen[f"{vid}:{pid}"] += 1
        comps.append(Component("usb_device", f"{vid}:{pid}#{seen[f'{vid}:{pid}']}",
                               model=(m["name"] or "").strip() or None, vendor_id=vid,
                               device_id=pid, source="lsusb"))  # fmt: skip
    if not comps:
        raise InputError("no USB devices (expected lsusb output)", path=source)
    return Evidence(tuple(comps), sources=(f"lsusb {source or '<text>'}",), kinds=("lsusb",))


def read_lsusb(path: str | Path) -> Evidence:
    """Evidence from a file of recorded ``lsusb`` output."""
    text = read_bytes(path).decode("utf-8", errors="replace")
    return parse_lsusb(text, source=str(path))
