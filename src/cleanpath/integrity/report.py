"""Render an integrity audit: JSON for CI, text for people, rows for the HTML report.

Every rendering carries the coverage section: what was examined and, plainly, what an
audit of reported inventory cannot detect.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cleanpath.integrity.compare import FINDING_KINDS, AuditReport

__all__ = [
    "COVERAGE_LIMITS",
    "coverage",
    "integrity_findings_by_node",
    "render_json",
    "render_text",
]

COVERAGE_LIMITS: tuple[str, ...] = (
    "An implant that adds no enumerable device and changes no measured code is invisible to "
    "this audit: Redfish, lspci, dmidecode and TPM event logs all miss it; only physical "
    "inspection can find it.",
    "Redfish inventory and firmware versions are self-reported by the BMC, the very component "
    "such an attack would target; a compromised BMC or OS can report the expected values.",
    "BMC firmware is not measured by the host TPM; without a hardware root of trust that "
    "attests the BMC, its integrity is not established here.",
    "PCR values prove only what was measured at boot (no runtime attacks), and only when the "
    "event log is backed by a TPM quote with a fresh nonce, which this audit does not verify.",
    "A baseline taken from an already-compromised unit certifies the compromise.",
    "A part from an untrusted maker sold under another brand may report that brand's name and IDs.",
)
_SELF_REPORTED = {
    "redfish": "self-reported by the BMC",
    "lspci": "reported by the host OS",
    "lsusb": "reported by the host OS",
    "dmidecode": "reported by the host firmware (SMBIOS)",
    "tpm": "event-log replay (not a verified quote)",
}


def coverage(report: AuditReport) -> dict[str, Any]:
    """What was examined, what could not be read, and what this audit cannot detect."""
    return {
        "sources": list(report.sources),
        "evidence": {k: _SELF_REPORTED.get(k, "") for k in report.kinds},
        "not_examined": [k for k in _SELF_REPORTED if k not in report.kinds],
        "checked": dict(report.checked),
        "failures": [f.to_dict() for f in report.failures],
        "cannot_detect": list(COVERAGE_LIMITS),
    }


def _doc(report: AuditReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "policy": report.policy,
        "counts": report.counts(),
        "findings": [f.to_dict() for f in report.findings],
        "coverage": coverage(report),
    }


def render_json(report: AuditReport) -> str:
    """The ``--format json`` document: ``findings`` [{kind, component, expected, actual,
    detail}], ``counts`` per kind, and ``coverage``."""
    return json.dumps(_doc(report), indent=2, sort_keys=False)


def render_text(report: AuditReport) -> str:
    """A Markdown-ish text report that ends with the coverage section."""
    lines = ["# Hardware and firmware integrity audit", ""]
    n = len(report.findings)
    lines.append(
        f"{n} finding(s)"
        + (" in the evidence examined." if n else ": no deviation found in the evidence examined.")
    )
    for kind in FINDING_KINDS:
        rows = [f for f in report.findings if f.kind == kind]
        if rows:
            lines += ["", f"## {kind} ({len(rows)})"]
            for f in rows:
                lines.append(f"- {f.component}: {f.detail}")
                if f.expected is not None or f.actual is not None:
                    lines.append(f"  expected: {f.expected or '-'} | actual: {f.actual or '-'}")
    cov = coverage(report)
    lines += ["", "## Coverage", "", "Examined:"]
    lines += [f"- {k}: {v}" for k, v in cov["evidence"].items()] or ["- nothing"]
    if cov["not_examined"]:
        lines.append("Not examined: " + ", ".join(cov["not_examined"]))
    if cov["failures"]:
        lines.append("Could not read:")
        lines += [f"- {f['where'] or '(service root)'}: {f['error']}" for f in cov["failures"]]
    lines += ["", "This audit cannot detect:"] + [f"- {t}" for t in COVERAGE_LIMITS]
    return "\n".join(lines) + "\n"


def integrity_findings_by_node(reports: Mapping[str, AuditReport]) -> list[dict[str, Any]]:
    """Rows for the HTML report (context key ``integrity`` per network): one per finding,
    ``{node, kind, component, detail}``, sorted by node then kind order.

    >>> from cleanpath.integrity.compare import Finding
    >>> r = AuditReport((Finding("missing", "memory:M/2", "x", None, "gone"),), (), (), {}, ())
    >>> integrity_findings_by_node({"fra1": r})
    [{'node': 'fra1', 'kind': 'missing', 'component': 'memory:M/2', 'detail': 'gone'}]
    """
    order = {k: i for i, k in enumerate(FINDING_KINDS)}
    rows = [
        {"node": node, "kind": f.kind, "component": f.component, "detail": f.detail}
        for node, rep in reports.items()
        for f in rep.findings
    ]
    return sorted(rows, key=lambda r: (r["node"], order[r["kind"]], r["component"]))


SEVERITY: Mapping[str, str] = {
    "untrusted_vendor": "high",
    "pcr_mismatch": "high",
    "firmware_downgraded": "high",
    "changed": "medium",
    "added": "medium",
    "missing": "medium",
    "firmware_not_allowed": "medium",
    "evidence_missing": "low",
}
"""How a report ranks each finding kind (our convention, not a standard)."""


def integrity_context(reports: Mapping[str, AuditReport]) -> list[dict[str, Any]]:
    """The ``integrity`` entry of a network's report context: one row per audited node,
    ``{node, status, findings: [{severity, message, kind, component, detail}]}``; status is
    ``ok``, ``findings`` or ``partial`` (some evidence could not be read).

    >>> from cleanpath.integrity.compare import Finding
    >>> r = AuditReport((Finding("missing", "memory:M/2", "x", None, "gone"),), (), (), {}, ())
    >>> integrity_context({"fra1": r})[0]["findings"][0]["message"]
    'missing: memory:M/2: gone'
    """
    out = []
    for node in sorted(reports):
        rep = reports[node]
        status = "partial" if rep.failures else ("findings" if rep.findings else "ok")
        rows = [
            {
                "severity": SEVERITY[f.kind],
                "message": f"{f.kind}: {f.component}: {f.detail}",
                "kind": f.kind,
                "component": f.component,
                "detail": f.detail,
            }
            for f in rep.findings
        ]
        out.append({"node": node, "status": status, "findings": rows})
    return out
