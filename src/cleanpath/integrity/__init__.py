"""Hardware and firmware integrity: evidence of a server compared with a golden baseline.

Collectors (``cleanpath.discover.redfish``, :mod:`.lspci`, :mod:`.dmidecode`, :mod:`.tpm`)
give an :class:`Evidence`; :func:`baseline_from_evidence` records a golden bill of materials
and firmware allowlist; :func:`compare` lists :class:`Finding` records (kinds in
:data:`FINDING_KINDS`); :mod:`.report` renders them with a coverage section that says what
such an audit cannot detect.
"""

from __future__ import annotations

from cleanpath.integrity.baseline import (
    Baseline,
    FirmwareRule,
    baseline_from_evidence,
    dump_baseline,
    parse_baseline,
    read_baseline,
)
from cleanpath.integrity.collect import audit_evidence, collect_evidence
from cleanpath.integrity.compare import FINDING_KINDS, AuditReport, Finding, compare
from cleanpath.integrity.dmidecode import parse_dmidecode, read_dmidecode
from cleanpath.integrity.lspci import parse_lspci, read_lspci
from cleanpath.integrity.lsusb import parse_lsusb, read_lsusb
from cleanpath.integrity.model import (
    Component,
    Evidence,
    Failure,
    Firmware,
    merge_evidence,
    normalise_hex_id,
    parse_evidence,
    read_evidence,
)
from cleanpath.integrity.report import (
    COVERAGE_LIMITS,
    coverage,
    integrity_context,
    integrity_findings_by_node,
    render_json,
    render_text,
)
from cleanpath.integrity.tpm import parse_pcr_values, read_eventlog

__all__ = [
    "COVERAGE_LIMITS",
    "FINDING_KINDS",
    "AuditReport",
    "Baseline",
    "Component",
    "Evidence",
    "Failure",
    "Finding",
    "Firmware",
    "FirmwareRule",
    "audit_evidence",
    "baseline_from_evidence",
    "collect_evidence",
    "compare",
    "coverage",
    "dump_baseline",
    "integrity_context",
    "integrity_findings_by_node",
    "merge_evidence",
    "normalise_hex_id",
    "parse_baseline",
    "parse_dmidecode",
    "parse_evidence",
    "parse_lspci",
    "parse_lsusb",
    "parse_pcr_values",
    "read_baseline",
    "read_dmidecode",
    "read_eventlog",
    "read_evidence",
    "read_lspci",
    "read_lsusb",
    "render_json",
    "render_text",
]
