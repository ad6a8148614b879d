"""Evidence rules over the further signals readers collect in ``DeviceRecord.extra``.

Each has the uniform signature ``rule(device, kb) -> list[Evidence]`` and tolerates every
shape a reader may store (tuples or `` | ``-joined text for lists, ``"2011:28"`` words or a
mapping for subtree counts). Key names are those of :mod:`cleanpath.ingest.mib` and the
nmap/NetBox readers: ``ent_physical_mfg_name(s)``, ``ent_physical_model_name``,
``vendor_subtree_hits``, ``bridge_mac``, ``lldp_chassis_mac``, ``if_macs``,
``nmap_mac_vendor``, ``nmap_os_matches``, ``banners``. A neighbour's LLDP description
(``lldp_rem_sys_desc``) is evidence about the device that *carries* it — readers store it on
the neighbour's own record — and is read as such, at a lower weight.

>>> from cleanpath.kb import load_kb
>>> from cleanpath.domain import DeviceRecord
>>> dev = DeviceRecord("smu", extra={"vendor_subtree_hits": {2011: 28}})
>>> [(e.points_to, e.weight) for e in vendor_subtree(dev, load_kb())]
[('huawei', 0.5)]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from cleanpath.domain import DeviceRecord
from cleanpath.identify.appliance import stack_agent_macs
from cleanpath.identify.model import Evidence
from cleanpath.identify.rules import BASE_RULES, NIC, Rule, ambiguous_name, mac_owner, text_field
from cleanpath.kb import KnowledgeBase, PenMeaning, normalize_model, pen_of_oid

__all__ = [
    "ENTITY_MFG",
    "MENTION",
    "MODEL_TABLE",
    "RULES",
    "entity_mib",
    "interface_macs",
    "lldp_heard",
    "model_table",
    "name_mentions",
    "nmap_signals",
    "vendor_subtree",
]

ENTITY_MFG = 0.75  # ENTITY-MIB entPhysicalMfgName: what the box says about its maker
UPS_MFG = 0.6  # UPS-MIB upsIdentManufacturer
MODEL_TABLE = 0.6  # a model string that is a NetBox device type of one vendor
COMWARE_GUESS = 0.4  # an HP/HPE model of a Comware family (H3C-made): a hint
MENTION = 0.45  # a known vendor name inside the device's own description
HOST_MENTION = 0.4  # a vendor name starting a host-name-like word ("ABB-acd364")
HEARD = 0.35  # what a neighbour's LLDP table says this device calls itself
NMAP_OS = 0.35  # an nmap OS guess naming a vendor (scaled by nmap's accuracy)
_MIN_NAME = 4  # vendor names shorter than this are not searched in free text


def _items(value: Any) -> list[str]:
    """A reader's list value as strings (tuple, list, or `` | ``-joined text)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(" | ") if v.strip()]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def entity_mib(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """ENTITY-MIB entPhysicalMfgName of the chassis as a vendor name.

    Makers named only on other entities (transceivers, power supplies, modules) are listed
    with weight 0: a third-party optic says nothing about the box. Without a chassis name, a
    single maker named by the entities votes at a lower weight.
    """
    chassis = _items(device.extra.get("ent_physical_mfg_name"))[:1]
    others = [n for n in _items(device.extra.get("ent_physical_mfg_names")) if n not in chassis]
    found: list[Evidence] = []
    for name in chassis:
        shared = ambiguous_name(kb, "ent_physical_mfg_name", name, "entity_mib", ENTITY_MFG)
        if shared is not None:
            found.append(shared)
            continue
        vendor = kb.vendor_by_name(name)
        detail = f"entPhysicalMfgName names {vendor.name}" if vendor else "name not in the KB"
        key, weight = (vendor.key, ENTITY_MFG) if vendor else (None, 0.0)
        if vendor is not None and vendor.key in kb.not_makers:
            detail = f"names {vendor.name}, a stack/chip/contract maker, not the box's brand"
            key, weight = None, 0.0
        found.append(Evidence("ent_physical_mfg_name", name, "entity_mib", key, weight, detail))
    for name in others:
        vendor = kb.vendor_by_name(name)
        key = vendor.key if vendor and vendor.key not in kb.not_makers else None
        alone = not chassis and len(others) == 1 and key is not None
        detail = (
            "the only maker named by the entities"
            if alone
            else "a component's maker, not the box's"
        )
        weight = ENTITY_MFG * 0.6 if alone else 0.0
        found.append(Evidence("ent_physical_mfg_names", name, "entity_mib", key, weight, detail))
    ups = _items(device.extra.get("ups_ident_manufacturer"))[:1]
    for name in ups:  # UPS-MIB upsIdentManufacturer (1.3.6.1.2.1.33.1.1.1.0), when a reader has it
        vendor = kb.vendor_by_name(name)
        key, weight = (vendor.key, UPS_MFG) if vendor else (None, 0.0)
        detail = f"upsIdentManufacturer names {vendor.name}" if vendor else "name not in the KB"
        found.append(Evidence("ups_ident_manufacturer", name, "entity_mib", key, weight, detail))
    return found


def _model_strings(device: DeviceRecord) -> list[tuple[str, str]]:
    out = [(f, t) for f in ("model", "ent_physical_model_name") if (t := text_field(device, f))]
    for f in ("sys_descr", "ent_physical_descr"):
        text = text_field(device, f) or ""
        out += [(f, tok) for tok in re.split(r"[\s,;()\[\]]+", text) if len(tok) >= 5]
    return out


def model_table(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """Model strings (model fields, and model-like words of the descriptions) that are a
    NetBox device type of exactly one vendor."""
    for signal, text in _model_strings(device):
        entries = kb.model(text)
        makers = {e.vendor_key for e in entries}
        if len(makers) != 1 or len(normalize_model(text)) < 5:
            continue
        e = entries[0]
        rule, what = "model_table", f"NetBox device type {e.manufacturer} {e.model}"
        found = [Evidence(signal, text, rule, e.vendor_key, MODEL_TABLE, what)]
        if e.comware_guess:
            hint = f"{what}: a Comware family, built by H3C (hint)"
            found.append(Evidence(signal, text, rule, "h3c", COMWARE_GUESS, hint))
            found[0] = Evidence(signal, text, rule, e.vendor_key, MODEL_TABLE, what, "brand")
        return found
    return []


def _subtree_counts(value: Any) -> dict[int, int]:
    items: list[tuple[Any, Any]]
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, str):
        words = value.replace(",", " ").split()
        items = [(w.partition(":")[0], w.partition(":")[2]) for w in words if ":" in w]
    else:
        return {}
    out: dict[int, int] = {}
    for pen, count in items:
        try:
            out[int(pen)] = int(count)
        except (TypeError, ValueError):
            continue
    return out


def vendor_subtree(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """OIDs walked under a vendor's enterprise subtree: the agent implements that vendor's
    private MIB. Only exclusive numbers count (a maker's own, or one only its devices are
    known to use, e.g. 1004849 on Dahua recorders); the sysObjectID's number is not counted
    twice."""
    counts = _subtree_counts(device.extra.get("vendor_subtree_hits"))
    own = pen_of_oid(device.sys_object_id or "")
    found: list[Evidence] = []
    for pen, count in sorted(counts.items()):
        entry = kb.pen(pen)
        if pen == own or entry is None or not entry.exclusive or count <= 0:
            continue
        maker = entry.vendor_key if entry.meaning == PenMeaning.OWN else None
        if entry.meaning == PenMeaning.MISUSED:
            maker = entry.seen_on  # a number only one maker's devices are known to use
        if maker is None:
            continue
        weight = 0.5 if count >= 10 else 0.4 if count >= 3 else 0.25
        detail = f"{count} OIDs under PEN {pen} ({entry.organization}), its private MIB"
        value = f"1.3.6.1.4.1.{pen}.* ({count} OIDs)"
        found.append(Evidence("vendor_subtree", value, "vendor_subtree", maker, weight, detail))
    return found


def interface_macs(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """Bridge, LLDP chassis and interface MACs: their blocks name NIC makers (weak).

    The record's own ``mac`` is read by :func:`~cleanpath.identify.rules.mac_oui`; here the
    other addresses vote once per registrant, with the share of interfaces it covers.
    """
    macs = [device.extra.get("bridge_mac"), device.extra.get("lldp_chassis_mac")]
    macs += _items(device.extra.get("if_macs"))
    own = (device.mac or "").lower()
    found: Counter[tuple[str | None, str]] = Counter()
    for mac in macs:
        if isinstance(mac, str) and mac and mac.lower() != own:
            hit = mac_owner(kb, mac)
            if hit is not None:
                found[hit] += 1
    total = sum(found.values())
    out = []
    for (key, org), n in found.most_common(3):
        detail = f"{n} of {total} other MACs in blocks of {org} (NIC maker)"
        weight = NIC if key and n * 2 > total else 0.0
        out.append(Evidence("if_macs", f"{n} MACs", "interface_macs", key, weight, detail, "nic"))
    return out


def _names_regex(kb: KnowledgeBase) -> re.Pattern[str]:
    cached = _NAME_CACHE.get(kb.version)
    if cached is not None:
        return cached
    curated = [n for v in kb.vendors.values() for n in v.names()]
    spelled = {n for n in (*curated, *kb.spellings) if len(n) >= _MIN_NAME or _acronym(n)}
    names = sorted(spelled | {n.upper() for n in spelled}, key=len, reverse=True)
    rx = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    _NAME_CACHE[kb.version] = rx
    return rx


_NAME_CACHE: dict[str, re.Pattern[str]] = {}


def _acronym(name: str) -> bool:
    """A three-letter name written in capitals (ABB, APC, NEC): searched as a whole word."""
    return len(name) == 3 and name.isalnum() and name.isupper()


def name_mentions(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """A vendor's name inside the device's own texts, as the KB writes it or in capitals
    (``RICOH``); other case changes do not count (a lower-case word is often a host name)."""
    found: dict[str, Evidence] = {}
    for signal in ("sys_descr", "ent_physical_descr", "lldp_loc_sys_desc", "banners"):
        text = text_field(device, signal) or ""
        for m in _names_regex(kb).finditer(text):
            # "Linux ABB-acd364 ...": a maker's default host name, weaker than its own words
            host = text[m.end() : m.end() + 1] == "-"
            weight, what = (HOST_MENTION, "a default host name") if host else (MENTION, "")
            shared = ambiguous_name(kb, signal, m.group(1), "name_mentions", weight)
            if shared is not None:
                found.setdefault("|".join(shared.among), shared)
                continue
            vendor = kb.vendor_by_name(m.group(1))
            if vendor is None or vendor.key in found or vendor.key in kb.not_makers:
                continue
            detail = f"names {vendor.name} in its own description" + (f" ({what})" if what else "")
            found[vendor.key] = Evidence(
                signal, m.group(1), "name_mentions", vendor.key, weight, detail
            )
    return list(found.values())


def lldp_heard(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """What neighbours heard this device announce (LLDP remote sysDesc, stored on this
    device's record by the LLDP reader): the patterns of the KB, at a lower weight."""
    texts = _items(device.extra.get("lldp_rem_sys_desc"))
    found: dict[str, Evidence] = {}
    for text in texts:
        for pattern in kb.patterns:
            if pattern.manufacturer and pattern.manufacturer not in found:
                m = pattern.regex.search(text) if "sys_descr" in pattern.fields else None
                if m is not None:
                    detail = f"neighbours heard it announce: {pattern.label}"
                    weight = min(HEARD, pattern.weight)
                    found[pattern.manufacturer] = Evidence(
                        "lldp_rem_sys_desc",
                        m.group(0)[:80],
                        "lldp_heard",
                        pattern.manufacturer,
                        weight,
                        detail,
                    )
    return list(found.values())


def _os_matches(value: Any) -> list[tuple[str, float]]:
    out = []
    for item in value if isinstance(value, list | tuple) else _items(value):
        if isinstance(item, Mapping):
            classes = item.get("classes") or ()
            vendors = [
                str(c.get("vendor")) for c in classes if isinstance(c, Mapping) and c.get("vendor")
            ]
            name = " ".join([str(item.get("name") or ""), *vendors]).strip()
            acc = item.get("accuracy")
        else:
            name, acc = str(item), None
        try:
            share = min(max(float(acc) / 100.0, 0.0), 1.0) if acc is not None else 1.0
        except (TypeError, ValueError):
            share = 1.0
        if name:
            out.append((name, share))
    return out


def nmap_signals(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """nmap's MAC vendor (a NIC maker, weak) and OS matches (vendor names or KB patterns,
    weighted by nmap's accuracy). Banners are read by the pattern and mention rules."""
    found: list[Evidence] = []
    mac_vendor = device.extra.get("nmap_mac_vendor")
    if isinstance(mac_vendor, str) and mac_vendor.strip():
        vendor = kb.vendor_by_name(mac_vendor, registry=False)
        key = vendor.key if vendor else None
        found.append(
            Evidence(
                "nmap_mac_vendor",
                mac_vendor,
                "nmap_signals",
                key,
                NIC if key else 0.0,
                "nmap's MAC vendor: the NIC maker",
                "nic",
            )
        )
    best: dict[str, Evidence] = {}
    for name, share in _os_matches(device.extra.get("nmap_os_matches")):
        for m in _names_regex(kb).finditer(name):
            vendor = kb.vendor_by_name(m.group(1))
            if vendor is None:
                continue
            weight = round(NMAP_OS * share, 3)
            if vendor.key not in best or best[vendor.key].weight < weight:
                detail = f"nmap OS match names {vendor.name} (accuracy {share:.0%})"
                best[vendor.key] = Evidence(
                    "nmap_os_matches", name, "nmap_signals", vendor.key, weight, detail
                )
    return found + list(best.values())


#: every rule, in the order their evidence is listed
RULES: tuple[Rule, ...] = (
    *BASE_RULES,
    entity_mib,
    model_table,
    vendor_subtree,
    name_mentions,
    interface_macs,
    nmap_signals,
    lldp_heard,
    stack_agent_macs,
)
