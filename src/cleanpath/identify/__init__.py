"""Identify devices: brand, manufacturer, confidence and the evidence behind them.

``identify(devices, kb)`` runs the evidence rules of :mod:`cleanpath.identify.rules` on each
device and combines them (:mod:`cleanpath.identify.fusion`). Pure: no files, no network.
"""

from __future__ import annotations

from cleanpath.identify.fusion import MIN_SCORE, STRONG, identify, identify_device
from cleanpath.identify.model import About, Evidence, Identification
from cleanpath.identify.rules import (
    RULES,
    Rule,
    mac_oui,
    manufacturer_field,
    sys_descr_patterns,
    sys_object_id_pen,
)

__all__ = [
    "MIN_SCORE",
    "RULES",
    "STRONG",
    "About",
    "Evidence",
    "Identification",
    "Rule",
    "identify",
    "identify_device",
    "mac_oui",
    "manufacturer_field",
    "sys_descr_patterns",
    "sys_object_id_pen",
]
