"""Gather evidence from every source given and run the audit (what the CLI calls)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cleanpath.errors import InputError
from cleanpath.integrity.baseline import Baseline
from cleanpath.integrity.compare import AuditReport, compare
from cleanpath.integrity.dmidecode import read_dmidecode
from cleanpath.integrity.lspci import read_lspci
from cleanpath.integrity.lsusb import read_lsusb
from cleanpath.integrity.model import Evidence, merge_evidence, read_evidence
from cleanpath.integrity.tpm import read_eventlog
from cleanpath.integrity.vendors import untrusted_check

__all__ = ["audit_evidence", "collect_evidence"]


def collect_evidence(
    *,
    redfish: str | None = None,
    user: str | None = None,
    password: str | None = None,
    auth: str = "basic",
    lspci: Sequence[Path] = (),
    lsusb: Sequence[Path] = (),
    dmidecode: Sequence[Path] = (),
    eventlog: Sequence[Path] = (),
    evidence: Sequence[Path] = (),
    timeout: float = 10.0,
) -> Evidence:
    """One Evidence from a Redfish service and/or files; InputError when no source is given.

    Redfish read failures are kept in ``Evidence.failures`` (a partial audit); a file that
    cannot be read or decoded raises InputError naming it.
    """
    parts = [read_evidence(p) for p in evidence]
    if redfish is not None:
        from cleanpath.discover.redfish import collect_redfish

        parts.append(
            collect_redfish(redfish, user=user, password=password, auth=auth, timeout=timeout)
        )
    parts += [read_lspci(p) for p in lspci]
    parts += [read_lsusb(p) for p in lsusb]
    parts += [read_dmidecode(p) for p in dmidecode]
    parts += [read_eventlog(p) for p in eventlog]
    if not parts:
        raise InputError(
            "no evidence source: give --redfish, --lspci, --dmidecode, --eventlog or --evidence",
            field="SOURCE",
        )
    return merge_evidence(parts)


def audit_evidence(
    ev: Evidence, base: Baseline, *, policy: str | None = None, as_of: date | None = None
) -> AuditReport:
    """Compare ``ev`` with ``base``; untrusted makers by ``policy`` (a cleanpath.kb policy
    such as ``us-fcc``) on ``as_of``, or by the hardware vendor table when no policy."""
    return compare(ev, base, check=untrusted_check(policy, as_of=as_of), policy=policy)
