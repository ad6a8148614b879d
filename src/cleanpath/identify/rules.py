"""Evidence rules: each reads one kind of signal of a device and says what it points to.

Every rule has the signature ``rule(device, kb) -> list[Evidence]`` and never raises on odd
device data (a malformed value gives no evidence). Add a rule by writing such a function and
listing it in :data:`RULES`.

>>> from cleanpath.kb import load_kb
>>> from cleanpath.domain import DeviceRecord
>>> dev = DeviceRecord("r1", sys_object_id="1.3.6.1.4.1.2011.2.23")
>>> [e.points_to for e in sys_object_id_pen(dev, load_kb())]
['huawei']
"""

from __future__ import annotations

from collections.abc import Callable

from cleanpath.domain import DeviceRecord
from cleanpath.errors import InputError
from cleanpath.identify.model import Evidence
from cleanpath.kb import KnowledgeBase, PenMeaning, pen_of_oid

__all__ = [
    "OWN_PEN",
    "OWN_PEN_SHARED",
    "RULES",
    "Rule",
    "mac_oui",
    "manufacturer_field",
    "sys_descr_patterns",
    "sys_object_id_pen",
]

Rule = Callable[[DeviceRecord, KnowledgeBase], list[Evidence]]

EXPLICIT = 0.9  # a manufacturer name given in the inventory
OWN_PEN = 0.8  # sysObjectID under the registrant's own enterprise number
OWN_PEN_SHARED = 0.5  # own number that other makers' devices are known to report too
SEEN_ON = 0.3  # a misused number that devices of one maker are known to report
NIC = 0.2  # a MAC block names the NIC maker, a weak hint for the box


def manufacturer_field(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """The inventory's manufacturer column, matched against vendor names and aliases."""
    text = (device.manufacturer or "").strip()
    if not text:
        return []
    vendor = kb.vendor_by_name(text)
    if vendor is None:
        return [
            Evidence(
                "manufacturer",
                text,
                "manufacturer_field",
                None,
                0.0,
                "name not in the knowledge base",
            )
        ]
    return [
        Evidence(
            "manufacturer", text, "manufacturer_field", vendor.key, EXPLICIT, f"named {vendor.name}"
        )
    ]


def sys_object_id_pen(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """sysObjectID → IANA enterprise number → its registrant (stack numbers say nothing)."""
    oid = (device.sys_object_id or "").strip()
    pen = pen_of_oid(oid) if oid else None
    entry = kb.pen(pen) if pen is not None else None
    if pen is None or entry is None:
        return []
    what = f"PEN {pen} {entry.organization}"
    if entry.meaning == PenMeaning.STACK:
        return [_oid_evidence(oid, None, 0.0, f"{what}: a software stack's number, any maker")]
    if entry.meaning == PenMeaning.MISUSED:
        if entry.seen_on is None:
            return [_oid_evidence(oid, None, 0.0, f"{what}: reported by several makers")]
        seen = kb.vendor(entry.seen_on).name
        detail = f"{what}: not {seen}'s number, but {seen} devices report it"
        return [_oid_evidence(oid, entry.seen_on, SEEN_ON, detail)]
    if entry.vendor_key is None:
        return [_oid_evidence(oid, None, 0.0, f"{what}: registrant not in the vendor KB")]
    weight = OWN_PEN if entry.exclusive else OWN_PEN_SHARED
    return [_oid_evidence(oid, entry.vendor_key, weight, what)]


def _oid_evidence(oid: str, points_to: str | None, weight: float, detail: str) -> Evidence:
    return Evidence("sys_object_id", oid, "sys_object_id_pen", points_to, weight, detail)


def sys_descr_patterns(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """Regular expressions of ``patterns.yaml`` over sysDescr (and other text fields)."""
    found: list[Evidence] = []
    for pattern in kb.patterns:
        text = getattr(device, pattern.field, None)
        m = pattern.regex.search(text) if isinstance(text, str) else None
        if m is None:
            continue
        rule = f"pattern:{pattern.id}"
        shown = m.group(0)[:80]
        if pattern.manufacturer:
            found.append(
                Evidence(
                    pattern.field,
                    shown,
                    rule,
                    pattern.manufacturer,
                    pattern.weight,
                    pattern.label,
                )
            )
        brand = pattern.brand
        if pattern.brand_group and m.group(pattern.brand_group):
            vendor = kb.vendor_by_name(m.group(pattern.brand_group))
            brand = vendor.key if vendor else None
        if brand:
            found.append(
                Evidence(
                    pattern.field,
                    shown,
                    rule,
                    brand,
                    pattern.weight,
                    f"brand named in {pattern.field}",
                    about="brand",
                )
            )
    return found


def mac_oui(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """The MAC's registered block: the NIC maker, a weak hint of the box's manufacturer."""
    mac = (device.mac or "").strip()
    if not mac:
        return []
    try:
        block = kb.mac(mac)
    except InputError:
        return []
    if block is None:
        return []
    vendor = kb.vendor_by_name(block.long_name)
    detail = f"MAC block {block.prefix} ({block.bits} bits) registered to {block.long_name}"
    return [
        Evidence(
            "mac",
            mac,
            "mac_oui",
            vendor.key if vendor else None,
            NIC if vendor else 0.0,
            detail,
            about="nic",
        )
    ]


RULES: tuple[Rule, ...] = (manufacturer_field, sys_object_id_pen, sys_descr_patterns, mac_oui)
