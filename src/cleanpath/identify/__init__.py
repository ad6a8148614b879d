"""Identify devices: brand, manufacturer, confidence and the evidence behind them.

``identify(devices, kb)`` runs the evidence rules of :mod:`cleanpath.identify.rules` on each
device and combines them (:mod:`cleanpath.identify.fusion`). Pure: no files, no network.
"""

from __future__ import annotations

from cleanpath.identify.appliance import stack_agent_macs
from cleanpath.identify.fusion import MIN_SCORE, STRONG, fuse, identify, identify_device
from cleanpath.identify.model import About, Evidence, Identification
from cleanpath.identify.rules import (
    BASE_RULES,
    Rule,
    mac_oui,
    manufacturer_field,
    sys_descr_patterns,
    sys_object_id_pen,
)
from cleanpath.identify.signals import (
    RULES,
    entity_mib,
    interface_macs,
    lldp_heard,
    model_table,
    name_mentions,
    nmap_signals,
    vendor_subtree,
)

__all__ = [
    "BASE_RULES",
    "MIN_SCORE",
    "RULES",
    "STRONG",
    "About",
    "Evidence",
    "Identification",
    "Rule",
    "entity_mib",
    "fuse",
    "identify",
    "identify_device",
    "interface_macs",
    "lldp_heard",
    "mac_oui",
    "manufacturer_field",
    "model_table",
    "name_mentions",
    "nmap_signals",
    "stack_agent_macs",
    "sys_descr_patterns",
    "sys_object_id_pen",
    "vendor_subtree",
]
