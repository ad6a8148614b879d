"""Identify large inventories fast: columns in, manufacturer and confidence arrays out.

Rows that carry only a MAC, a sysObjectID and a sysDescr depend on the MAC only through the
vendor its block names. So MACs are looked up vectorised (:class:`~cleanpath.kb.macindex.
MacIndex`), every rule but the MAC rule runs once per ``(sysObjectID, sysDescr)``, and the
vote (:func:`~cleanpath.identify.fusion.fuse`) runs once per ``(sysObjectID, sysDescr, MAC
vendor)`` group on its first row. The answer per row equals ``identify_device`` on that row;
the evidence chain of a row is obtained by calling ``identify_device`` on it.

>>> from cleanpath.kb import load_kb
>>> res = identify_columns(load_kb(), sys_object_ids=["1.3.6.1.4.1.2011.2.23", None],
...                        sys_descrs=[None, "Cisco IOS Software"],
...                        macs=["00:e0:fc:00:00:01", ""])
>>> res.manufacturers, res.groups
(['huawei', 'cisco'], 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleanpath.domain import DeviceRecord
from cleanpath.identify.appliance import stack_agent_macs
from cleanpath.identify.fusion import fuse
from cleanpath.identify.model import Evidence
from cleanpath.identify.rules import mac_oui
from cleanpath.identify.signals import RULES
from cleanpath.kb import KnowledgeBase
from cleanpath.kb.macindex import MacIndex, mac_index, parse_macs

__all__ = ["BatchResult", "identify_columns"]

_VENDOR_CODES: dict[tuple[str, int], np.ndarray] = {}


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Per row: manufacturer key (None = unknown) and confidence; ``groups`` identified."""

    manufacturers: list[str | None]
    confidence: np.ndarray
    groups: int


def _vendor_codes(kb: KnowledgeBase, index: MacIndex) -> np.ndarray:
    """Per MAC block, a small integer naming the KB vendor it maps to (0 = none)."""
    key = (kb.version, id(index))
    codes = _VENDOR_CODES.get(key)
    if codes is None:
        known: dict[str, int] = {}
        values = []
        for entry in index.entries:
            vendor = kb.vendor_by_name(entry.long_name, registry=False)
            values.append(known.setdefault(vendor.key, len(known) + 1) if vendor else 0)
        codes = _VENDOR_CODES[key] = np.array([*values, 0], dtype=np.int32)
    return codes


def identify_columns(
    kb: KnowledgeBase,
    *,
    sys_object_ids: Sequence[str | None],
    sys_descrs: Sequence[str | None],
    macs: Sequence[str | None],
) -> BatchResult:
    """Identify rows given as three equal-length columns (None or "" = missing)."""
    n = len(macs)
    if not len(sys_object_ids) == len(sys_descrs) == n:
        raise ValueError("columns must have the same length")
    index = mac_index(kb.oui_table())
    blocks = index.lookup_many(parse_macs([m or "" for m in macs]))
    vendor = _vendor_codes(kb, index)[blocks].tolist()  # -1 (no block) -> the trailing 0
    groups: dict[tuple[str | None, str | None, int], int] = {}
    row_group = np.empty(n, dtype=np.int64)
    firsts: list[int] = []
    for i, key in enumerate(zip(sys_object_ids, sys_descrs, vendor, strict=True)):
        g = groups.get(key)
        if g is None:
            g = groups[key] = len(firsts)
            firsts.append(i)
        row_group[i] = g
    makers: list[str | None] = []
    conf = np.empty(len(firsts), dtype=np.float64)
    base: dict[tuple[str | None, str | None], tuple[Evidence, ...]] = {}
    per_mac = (mac_oui, stack_agent_macs)  # rules that read the row's MAC
    others = tuple(r for r in RULES if r not in per_mac)
    for g, i in enumerate(firsts):
        dev = DeviceRecord(
            str(i), mac=macs[i] or None, sys_object_id=sys_object_ids[i], sys_descr=sys_descrs[i]
        )
        pair = (sys_object_ids[i], sys_descrs[i])
        if pair not in base:
            base[pair] = tuple(e for rule in others for e in rule(dev, kb))
        ident = fuse(dev, base[pair] + tuple(e for r in per_mac for e in r(dev, kb)), kb)
        makers.append(ident.manufacturer)
        conf[g] = ident.confidence
    return BatchResult([makers[g] for g in row_group.tolist()], conf[row_group], len(firsts))
