"""Evidence rules: each reads one kind of signal of a device and says what it points to.

Every rule has the signature ``rule(device, kb) -> list[Evidence]`` and never raises on odd
device data (a malformed value gives no evidence). Add a rule by writing such a function and
listing it in :data:`cleanpath.identify.signals.RULES`.

>>> from cleanpath.kb import load_kb
>>> from cleanpath.domain import DeviceRecord
>>> dev = DeviceRecord("r1", sys_object_id="1.3.6.1.4.1.2011.2.23")
>>> [e.points_to for e in sys_object_id_pen(dev, load_kb())]
['huawei']
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cleanpath.domain import DeviceRecord
from cleanpath.errors import InputError
from cleanpath.identify.model import Evidence
from cleanpath.kb import (
    KnowledgeBase,
    OuiEntry,
    PenMeaning,
    SysDescrPattern,
    Vendor,
    pen_of_oid,
)

__all__ = [
    "BASE_RULES",
    "OWN_PEN",
    "OWN_PEN_SHARED",
    "SEEN_ON",
    "SEEN_ON_ONLY",
    "Rule",
    "ambiguous_name",
    "embedded_pen",
    "mac_block",
    "mac_oui",
    "mac_owner",
    "manufacturer_field",
    "sys_descr_patterns",
    "sys_object_id_pen",
    "text_field",
]

Rule = Callable[[DeviceRecord, KnowledgeBase], list[Evidence]]

EXPLICIT = 0.9  # a manufacturer name given in the inventory
OWN_PEN = 0.8  # sysObjectID under the registrant's own enterprise number
OWN_PEN_SHARED = 0.3  # own number that other makers' devices are known to report too
SEEN_ON = 0.3  # a misused number that devices of one maker (among others) are known to report
SEEN_ON_ONLY = 0.5  # a misused number known only from one maker's devices (exclusive)
STACK_SEEN_ON = 0.15  # a stack's number seen on one maker's devices: a candidate only
BARE_ROOT = 0.36  # a stack's bare root sysObjectID known from one maker's devices: just names it
NIC = 0.2  # a MAC block names the NIC maker, a weak hint for the box


def ambiguous_name(
    kb: KnowledgeBase, signal: str, text: str, rule: str, weight: float
) -> Evidence | None:
    """Evidence from a name several makers use ("Alcatel-Lucent"): it names none of them
    alone (``points_to`` None) and supports whichever the other evidence names (``among``);
    None when ``text`` is not such a name.

    >>> from cleanpath.kb import load_kb
    >>> e = ambiguous_name(load_kb(), "ent_physical_mfg_name", "Alcatel-Lucent", "entity_mib", 0.75)
    >>> e.points_to, e.among
    (None, ('nokia', 'alcatel-lucent-enterprise'))
    """
    makers = kb.makers_named(text)
    if not makers:
        return None
    names = " or ".join(kb.vendor(k).name for k in makers)
    detail = f"{text!r} may mean {names}: supports whichever other evidence names"
    return Evidence(signal, text, rule, None, weight, detail, among=makers)


def manufacturer_field(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """The inventory's manufacturer column, matched against vendor names and aliases."""
    text = (device.manufacturer or "").strip()
    if not text:
        return []
    shared = ambiguous_name(kb, "manufacturer", text, "manufacturer_field", EXPLICIT)
    if shared is not None:
        return [shared]
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
    """sysObjectID → IANA enterprise number → its registrant (stack numbers say nothing),
    plus the enterprise whose OID the sysObjectID embeds, if any (:func:`embedded_pen`)."""
    oid = (device.sys_object_id or "").strip()
    return _pen_evidence(oid, kb) + embedded_pen(oid, kb)


EMBEDDED = 0.5  # an enterprise OID written inside another's sysObjectID: the brand's own


def embedded_pen(oid: str, kb: KnowledgeBase) -> list[Evidence]:
    """A sysObjectID that carries a second enterprise OID inside it (a switch stack's
    subtree holding the brand's product OID: ``1.3.6.1.4.1.89.1.1.1.3.6.1.4.1.4526.100.4.25``
    ends in Netgear's ``1.3.6.1.4.1.4526.100.4.25``) points to that second registrant.

    >>> from cleanpath.kb import load_kb
    >>> [e.points_to for e in embedded_pen("1.3.6.1.4.1.89.1.1.1.3.6.1.4.1.4526.100.4.25",
    ...                                      load_kb())]
    ['netgear']
    """
    text = oid.lstrip(".")
    inner = text.find(".1.3.6.1.4.1.", len("1.3.6.1.4.1."))
    pen = pen_of_oid(text[inner + 1 :]) if inner > 0 else None
    entry = kb.pen(pen) if pen else None
    if entry is None or entry.vendor_key is None or entry.meaning != PenMeaning.OWN:
        return []
    detail = f"embeds PEN {pen} {entry.organization}'s OID {text[inner + 1 :]}"
    return [_oid_evidence(oid, entry.vendor_key, EMBEDDED, detail)]


def _pen_evidence(oid: str, kb: KnowledgeBase) -> list[Evidence]:
    pen = pen_of_oid(oid) if oid else None
    entry = kb.pen(pen) if pen is not None else None
    if pen is None or entry is None:
        return []
    what = f"PEN {pen} {entry.organization}"
    if entry.meaning == PenMeaning.STACK:
        detail = f"{what}: a software stack's number, any maker"
        if entry.seen_on is not None and oid.lstrip(".") == f"1.3.6.1.4.1.{pen}":
            seen = kb.vendor(entry.seen_on).name
            detail = (
                f"exact bare {entry.organization} root {oid.lstrip('.')}, seen on {seen} devices "
                f"(not {seen}'s number: a low-confidence identification, needs inspection)"
            )
            return [_oid_evidence(oid, entry.seen_on, BARE_ROOT, detail)]
        if entry.seen_on is not None:
            seen = kb.vendor(entry.seen_on).name
            detail += f" (seen on {seen} devices: a candidate, not evidence enough)"
            return [_oid_evidence(oid, entry.seen_on, STACK_SEEN_ON, detail)]
        return [_oid_evidence(oid, None, 0.0, detail)]
    if entry.meaning == PenMeaning.MISUSED:
        if entry.seen_on is None:
            return [_oid_evidence(oid, None, 0.0, f"{what}: reported by several makers")]
        seen = kb.vendor(entry.seen_on).name
        detail = f"{what}: not {seen}'s number, but {seen} devices report it"
        weight = SEEN_ON_ONLY if entry.exclusive else SEEN_ON
        return [_oid_evidence(oid, entry.seen_on, weight, detail)]
    weight = OWN_PEN if entry.exclusive else OWN_PEN_SHARED
    if entry.among:
        makers = " or ".join(kb.vendor(k).name for k in entry.among)
        detail = f"{what}: a number products of {makers} report (split business)"
        return [_oid_evidence(oid, None, weight, detail, entry.among)]
    if entry.vendor_key is None:
        return [_oid_evidence(oid, None, 0.0, f"{what}: registrant not in the vendor KB")]
    if entry.seen_on is not None and entry.seen_on != entry.vendor_key:
        seen = kb.vendor(entry.seen_on).name
        also = f"{what}: the registrant's number, also reported by {seen} devices"
        return [
            _oid_evidence(oid, entry.vendor_key, weight, also),
            _oid_evidence(oid, entry.seen_on, SEEN_ON, also),
        ]
    return [_oid_evidence(oid, entry.vendor_key, weight, what)]


def _oid_evidence(
    oid: str, points_to: str | None, weight: float, detail: str, among: tuple[str, ...] = ()
) -> Evidence:
    rule = "sys_object_id_pen"
    return Evidence("sys_object_id", oid, rule, points_to, weight, detail, among=among)


def text_field(device: DeviceRecord, name: str) -> str | None:
    """A text signal of the device: a record attribute, else an ``extra`` key (lists of
    texts, as readers store banners or OS matches, are joined with `` | ``)."""
    value = getattr(device, name, None) if name in _RECORD_FIELDS else device.extra.get(name)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list | tuple):
        parts = [_item_text(v) for v in value]
        return " | ".join(p for p in parts if p) or None
    return None


_ITEM_KEYS = ("name", "text", "product", "extrainfo", "devicetype", "banner")


def _item_text(value: object) -> str:
    """Text of one list item: a string, or the text fields of a reader's dict (an nmap
    service: product, extra info, device type, script output)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        parts = [str(value[k]) for k in _ITEM_KEYS if isinstance(value.get(k), str)]
        scripts = value.get("scripts")
        if isinstance(scripts, dict):
            parts += [str(v) for v in scripts.values() if isinstance(v, str)]
        return " ".join(p for p in parts if p)
    return ""


_RECORD_FIELDS = frozenset(
    {"sys_descr", "sys_object_id", "model", "hostname", "manufacturer", "mac", "role"}
)


def sys_descr_patterns(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """Regular expressions of ``patterns.yaml`` over sysDescr and the other text fields.

    A pattern counts once per device (the first of its fields that matches); a sysDescr
    pattern also reads the LLDP local system description, the device's own words.
    """
    found: list[Evidence] = []
    texts: dict[str, str | None] = {}
    for pattern in kb.patterns:
        fields = pattern.fields or (pattern.field,)
        if "sys_descr" in fields and "lldp_loc_sys_desc" not in fields:
            fields = (*fields, "lldp_loc_sys_desc")
        for name in fields:
            if name not in texts:
                texts[name] = text_field(device, name)
            text = texts[name]
            m = pattern.regex.search(text) if text else None
            if m is not None:
                found.extend(_pattern_evidence(pattern, name, m, kb))
                break
    return found


def _pattern_evidence(
    pattern: SysDescrPattern, name: str, m: re.Match[str], kb: KnowledgeBase
) -> list[Evidence]:
    rule = f"pattern:{pattern.id}"
    shown = m.group(0)[:80]
    found = []
    if pattern.manufacturer:
        found.append(
            Evidence(name, shown, rule, pattern.manufacturer, pattern.weight, pattern.label)
        )
    brand = pattern.brand
    if pattern.brand_group and m.group(pattern.brand_group):
        vendor = kb.vendor_by_name(m.group(pattern.brand_group))
        brand = vendor.key if vendor else None
    if brand:
        found.append(
            Evidence(name, shown, rule, brand, pattern.weight, f"brand named in {name}", "brand")
        )
    return found


def mac_block(kb: KnowledgeBase, mac: str) -> tuple[OuiEntry, Vendor | None] | None:
    """The registered block of ``mac`` and the maker the KB knows its owner as (None when it
    does not: MAC owners resolve among curated and ``names.csv`` vendors only, as in
    :mod:`~cleanpath.identify.batch`; through the IANA registry too, one more labelled
    device of devices.csv was right, but a million-row inventory fell into 223,000 groups
    instead of 47,000 and ``identify_columns`` to about 63,000 rows/s); None when ``mac``
    is malformed or in no block."""
    try:
        block = kb.mac(mac)
    except InputError:
        return None
    if block is None:
        return None
    return block, kb.vendor_by_name(block.long_name, registry=False)


def mac_owner(kb: KnowledgeBase, mac: str) -> tuple[str | None, str] | None:
    """``(vendor key or None, registrant name)`` of ``mac``'s block (see :func:`mac_block`);
    None when ``mac`` is malformed or in no block."""
    hit = mac_block(kb, mac)
    if hit is None:
        return None
    block, vendor = hit
    return (vendor.key if vendor else None), block.long_name


def mac_oui(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """The MAC's registered block: the NIC maker, a weak hint of the box's manufacturer."""
    mac = (device.mac or "").strip()
    hit = mac_block(kb, mac) if mac else None
    if hit is None:
        return []
    block, vendor = hit
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


#: the first rules (inventory fields); :data:`cleanpath.identify.signals.RULES` adds the rest
BASE_RULES: tuple[Rule, ...] = (manufacturer_field, sys_object_id_pen, sys_descr_patterns, mac_oui)
