"""Compare evidence with a baseline: components, firmware, makers, PCRs, missing evidence.

>>> from cleanpath.integrity.baseline import baseline_from_evidence
>>> from cleanpath.integrity.model import Component, Evidence
>>> gold = Evidence((Component("memory", "M/1", serial_number="A"),
...                  Component("memory", "M/2", serial_number="B")), kinds=("redfish",))
>>> now = Evidence((Component("memory", "M/1", serial_number="X"),), kinds=("redfish",))
>>> [(f.kind, f.component) for f in compare(now, baseline_from_evidence(gold)).findings]
[('missing', 'memory:M/2'), ('changed', 'memory:M/1')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from cleanpath.integrity.baseline import Baseline, FirmwareRule
from cleanpath.integrity.model import Evidence, Failure, Firmware
from cleanpath.integrity.vendors import UntrustedCheck, untrusted_check

__all__ = ["FINDING_KINDS", "AuditReport", "Finding", "compare", "version_key"]

FindingKind = Literal[
    "added",
    "missing",
    "changed",
    "firmware_not_allowed",
    "firmware_downgraded",
    "untrusted_vendor",
    "pcr_mismatch",
    "evidence_missing",
]
FINDING_KINDS: tuple[str, ...] = FindingKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Finding:
    """One deviation: ``component`` names what (``kind:slot``, firmware id, ``pcr:bank:i``)."""

    kind: FindingKind
    component: str
    expected: str | None
    actual: str | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "component": self.component,
            "expected": self.expected,
            "actual": self.actual,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Findings plus what was examined: sources, evidence kinds, counts, failures."""

    findings: tuple[Finding, ...]
    sources: tuple[str, ...]
    kinds: tuple[str, ...]
    checked: Mapping[str, int]
    failures: tuple[Failure, ...]
    policy: str | None = None

    @property
    def ok(self) -> bool:
        return not self.findings

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(FINDING_KINDS, 0)
        for f in self.findings:
            out[f.kind] += 1
        return out


def _under(slot: str, gap: str) -> bool:
    return gap == "" or slot == gap or slot.startswith(gap + "/")


def _fmt(d: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(d.items()))


def _components(ev: Evidence, base: Baseline, gaps: Sequence[str]) -> Iterable[Finding]:
    now = {c.key: c for c in ev.components}
    for b in base.components:
        c = now.pop(b.key, None)
        if c is None:
            if not any(_under(b.slot, g) for g in gaps):
                yield Finding(
                    "missing",
                    b.key,
                    _fmt(b.identity()),
                    None,
                    f"{b.kind} in baseline not reported at {b.slot}",
                )
            continue
        old, new = b.identity(), c.identity()
        diff = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        if diff:
            yield Finding(
                "changed",
                b.key,
                _fmt({k: old.get(k, "-") for k in diff}),
                _fmt({k: new.get(k, "-") for k in diff}),
                f"{b.kind} at {b.slot}: {', '.join(diff)} changed",
            )
    for c in now.values():
        yield Finding(
            "added", c.key, None, _fmt(c.identity()), f"{c.kind} at {c.slot} is not in the baseline"
        )


_TOKEN = re.compile(r"\d+|[a-z]+")


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key for free-text versions: numbers compare as numbers, words as words.

    >>> version_key("1.45.455b66-rev4") < version_key("1.45.455b66-rev10")
    True
    >>> version_key("P79 v1.95 (12/06/2019)") > version_key("P79 v1.45")
    True
    """
    return tuple((0, int(t)) if t.isdigit() else (1, t) for t in _TOKEN.findall(version.lower()))


def _shape(key: tuple[tuple[int, int | str], ...]) -> tuple[int | str, ...]:
    return tuple(kind if kind == 0 else val for kind, val in key)


def _is_downgrade(version: str, allowed: Sequence[str]) -> bool:
    """True when ``version`` has the same shape as every allowed version and is older."""
    key = version_key(version)
    keys = [version_key(a) for a in allowed]
    comparable = [k for k in keys if _shape(k) == _shape(key)]
    return bool(comparable) and len(comparable) == len(keys) and key < min(comparable)


def _firmware(ev: Evidence, base: Baseline, gaps: Sequence[str]) -> Iterable[Finding]:
    rules: dict[str, FirmwareRule] = {r.id: r for r in base.firmware}
    seen: set[str] = set()
    for f in ev.firmware:
        seen.add(f.id)
        rule = rules.get(f.id)
        yield from _firmware_one(f, rule)
    for r in rules.values():
        if r.id not in seen and not any(_under(r.id.split("#")[0], g) for g in gaps):
            yield Finding(
                "missing",
                r.id,
                ", ".join(r.allowed) or None,
                None,
                f"firmware {r.name!r} in baseline not reported",
            )


def _firmware_one(f: Firmware, rule: FirmwareRule | None) -> Iterable[Finding]:
    version = f.version or "(no version)"
    if rule is None:
        yield Finding(
            "firmware_not_allowed",
            f.id,
            None,
            version,
            f"firmware {f.name!r} has no allowlist entry in the baseline",
        )
        return
    allowed = ", ".join(rule.allowed) or None
    if f.version in rule.allowed:
        if rule.software_id and f.software_id and f.software_id != rule.software_id:
            yield Finding(
                "firmware_not_allowed",
                f.id,
                rule.software_id,
                f.software_id,
                f"firmware {f.name!r}: SoftwareId differs from the baseline",
            )
        return
    if f.version is not None and _is_downgrade(f.version, rule.allowed):
        yield Finding(
            "firmware_downgraded",
            f.id,
            allowed,
            version,
            f"firmware {f.name!r} is older than every allowed version",
        )
    else:
        yield Finding(
            "firmware_not_allowed",
            f.id,
            allowed,
            version,
            f"firmware {f.name!r} version is not on the allowlist",
        )


def _pcrs(ev: Evidence, base: Baseline) -> Iterable[Finding]:
    for bank, golden in sorted(base.pcrs.items()):
        values = ev.pcrs.get(bank, {})
        for i, want in sorted(golden.items()):
            got = values.get(i)
            if got != want:
                why = "not in the evidence" if got is None else "differs from the golden value"
                yield Finding(
                    "pcr_mismatch", f"pcr:{bank}:{i}", want, got, f"PCR {i} ({bank}) {why}"
                )


def _evidence(ev: Evidence, base: Baseline) -> Iterable[Finding]:
    known = {(g.where, g.error) for g in base.known_gaps}
    for fail in ev.failures:
        if (fail.where, fail.error) in known:
            continue
        where = fail.where or "(service root)"
        n = sum(_under(c.slot, fail.where) for c in base.components)
        yield Finding(
            "evidence_missing",
            where,
            None,
            None,
            f"could not read {where}: {fail.error}; {n} baseline component(s) under it not checked",
        )
    for kind in base.kinds:
        if kind not in ev.kinds:
            yield Finding(
                "evidence_missing",
                kind,
                kind,
                None,
                f"the baseline was made with {kind} evidence; none was given",
            )


def _untrusted(ev: Evidence, check: UntrustedCheck) -> Iterable[Finding]:
    for c in ev.components:
        hit = check(c)
        if hit is not None:
            maker, why = hit
            yield Finding("untrusted_vendor", c.key, None, maker, f"{c.kind} at {c.slot}: {why}")


def _present(source: str, kinds: set[str]) -> bool:
    return not source or source in kinds


def compare(
    ev: Evidence, base: Baseline, *, check: UntrustedCheck | None = None, policy: str | None = None
) -> AuditReport:
    """Every deviation of ``ev`` from ``base``, in a stable order.

    Resources that could not be read (``ev.failures``) give ``evidence_missing`` and the
    baseline components under them are not reported missing; so does a kind of evidence
    the baseline has and ``ev`` lacks (its components and firmware are then not compared).
    ``check`` decides untrusted makers (default: the hardware vendor table; see
    :func:`~cleanpath.integrity.vendors.untrusted_check`).
    """
    kinds = set(ev.kinds)
    gaps = [f.where for f in ev.failures]
    scoped = replace(
        base,
        components=tuple(c for c in base.components if _present(c.source, kinds)),
        firmware=tuple(r for r in base.firmware if _present(r.source, kinds)),
    )
    findings = [
        *_components(ev, scoped, gaps),
        *_firmware(ev, scoped, gaps),
        *_untrusted(ev, check or untrusted_check(None)),
        *(_pcrs(ev, base) if "tpm" in kinds else ()),
        *_evidence(ev, base),
    ]
    checked = {
        "components": len(ev.components),
        "firmware": len(ev.firmware),
        "pcrs": sum(len(v) for v in ev.pcrs.values()),
    }
    order = {k: i for i, k in enumerate(FINDING_KINDS)}
    findings.sort(key=lambda f: (order[f.kind], f.component))
    return AuditReport(tuple(findings), ev.sources, ev.kinds, checked, ev.failures, policy)
