"""cleanpath: find untrusted-vendor equipment in a network, measure the traffic that crosses
it, find clean paths for sensitive traffic and plan the cheapest rip-and-replace.

The library is the product; the ``cleanpath`` command is a thin layer over it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from cleanpath.analysis.exposure import ExposureResult, exposure
from cleanpath.domain import (
    CoverStatus,
    DemandClass,
    DemandRecord,
    DeviceRecord,
    Inventory,
    LinkRecord,
    NodeRecord,
    SiteRecord,
    Skipped,
    Topology,
)
from cleanpath.errors import CleanpathError, InputError, ModelError
from cleanpath.model.demands import Demands, gravity_demands
from cleanpath.model.network import Network, build_network
from cleanpath.pipeline import AuditResult, DemandSpec, audit

__all__ = [
    "AuditResult",
    "CleanpathError",
    "CoverStatus",
    "DemandClass",
    "DemandRecord",
    "DemandSpec",
    "Demands",
    "DeviceRecord",
    "ExposureResult",
    "InputError",
    "Inventory",
    "LinkRecord",
    "ModelError",
    "Network",
    "NodeRecord",
    "SiteRecord",
    "Skipped",
    "Topology",
    "__version__",
    "audit",
    "build_network",
    "exposure",
    "gravity_demands",
]
