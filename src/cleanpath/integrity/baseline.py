"""The golden bill of materials and firmware allowlist of a machine, as editable YAML.

``baseline_from_evidence`` records what a trusted unit reports; a person then reviews the
file, e.g. adds further allowed versions to a firmware entry. ``parse_baseline`` reads it
back and names the field that is wrong.

>>> from cleanpath.integrity.model import Component, Evidence, Firmware
>>> ev = Evidence((Component("memory", "Systems/1/Memory/DIMM1", serial_number="S1"),),
...               (Firmware("UpdateService/FirmwareInventory/BIOS", "BIOS", "1.2"),))
>>> b = parse_baseline(dump_baseline(baseline_from_evidence(ev)))
>>> b.firmware[0].allowed, b.components[0].serial_number
(('1.2',), 'S1')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cleanpath.errors import InputError
from cleanpath.integrity.model import Component, Evidence, Failure

__all__ = [
    "BASELINE_FORMAT",
    "Baseline",
    "FirmwareRule",
    "baseline_from_evidence",
    "dump_baseline",
    "parse_baseline",
    "read_baseline",
]

BASELINE_FORMAT = "cleanpath-hw-baseline/1"


@dataclass(frozen=True, slots=True)
class FirmwareRule:
    """Allowed versions of one firmware item (exact strings; versions are free text)."""

    id: str
    name: str
    allowed: tuple[str, ...]
    software_id: str | None = None
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "allowed": list(self.allowed)}
        if self.software_id:
            out["software_id"] = self.software_id
        if self.source:
            out["source"] = self.source
        return out


@dataclass(frozen=True, slots=True)
class Baseline:
    """Expected components, firmware allowlist, golden PCRs and evidence known to be absent.

    ``known_gaps`` are resources that could not be read when the baseline was made (a link
    the BMC itself breaks); the audit does not report them again.
    """

    components: tuple[Component, ...]
    firmware: tuple[FirmwareRule, ...]
    pcrs: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    known_gaps: tuple[Failure, ...] = ()
    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": BASELINE_FORMAT,
            "sources": list(self.sources),
            "kinds": list(self.kinds),
            "components": [
                {k: v for k, v in c.to_dict().items() if k != "firmware_version"}
                for c in self.components
            ],
            "firmware": [f.to_dict() for f in self.firmware],
            "pcrs": {b: {i: v for i, v in sorted(m.items())} for b, m in self.pcrs.items()},
            "known_gaps": [g.to_dict() for g in self.known_gaps],
        }


def baseline_from_evidence(ev: Evidence) -> Baseline:
    """The baseline that ``ev`` would pass with no findings."""
    rules = tuple(
        FirmwareRule(f.id, f.name, (f.version,) if f.version else (), f.software_id, f.source)
        for f in ev.firmware
    )
    return Baseline(ev.components, rules, ev.pcrs, ev.failures, ev.sources, ev.kinds)


def dump_baseline(b: Baseline) -> str:
    """YAML text of ``b`` (block style, keys in a stable order)."""
    head = "# cleanpath hardware baseline: review it, then add allowed firmware versions.\n"
    return head + yaml.safe_dump(b.to_dict(), sort_keys=False, allow_unicode=True, width=100)


def _list(d: Mapping[str, Any], key: str) -> list[Any]:
    value = d.get(key) or []
    if not isinstance(value, list):
        raise InputError(f"{key} must be a list", field=key)
    return value


def _rule(i: int, d: Any) -> FirmwareRule:
    if not isinstance(d, Mapping) or "id" not in d:
        raise InputError("firmware entry needs an id", field=f"firmware[{i}]")
    allowed = d.get("allowed") or []
    if not isinstance(allowed, list):
        raise InputError("allowed must be a list of versions", field=f"firmware[{i}].allowed")
    sid = d.get("software_id")
    return FirmwareRule(
        str(d["id"]),
        str(d.get("name") or d["id"]),
        tuple(str(v) for v in allowed),
        str(sid) if sid else None,
        str(d.get("source") or ""),
    )


def _component(i: int, d: Any) -> Component:
    if not isinstance(d, Mapping) or "kind" not in d or "slot" not in d:
        raise InputError("component needs kind and slot", field=f"components[{i}]")
    try:
        return Component.from_dict(d)
    except InputError as exc:
        raise InputError(exc.message, field=f"components[{i}].{exc.field}") from None


def _pcrs(value: Any) -> dict[str, dict[int, str]]:
    if not isinstance(value, Mapping):
        raise InputError("pcrs must map a bank to {index: hex}", field="pcrs")
    out: dict[str, dict[int, str]] = {}
    for bank, values in value.items():
        if not isinstance(values, Mapping):
            raise InputError("must map PCR index to hex", field=f"pcrs.{bank}")
        try:
            out[str(bank)] = {int(k): str(v).lower().removeprefix("0x") for k, v in values.items()}
        except ValueError:
            raise InputError("PCR index must be a number", field=f"pcrs.{bank}") from None
    return out


def parse_baseline(text: str, *, source: str | None = None) -> Baseline:
    """A Baseline from YAML text; InputError naming the field (and line for bad YAML)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            f"bad YAML: {getattr(exc, 'problem', exc)}", path=source, line=line
        ) from None
    try:
        if not isinstance(data, Mapping) or data.get("format") != BASELINE_FORMAT:
            raise InputError(
                f"not a cleanpath baseline (format must be {BASELINE_FORMAT})", field="format"
            )
        gaps = tuple(
            Failure(str(g.get("where", "")), str(g.get("error", "")))
            for g in _list(data, "known_gaps")
            if isinstance(g, Mapping)
        )
        return Baseline(
            components=tuple(_component(i, d) for i, d in enumerate(_list(data, "components"))),
            firmware=tuple(_rule(i, d) for i, d in enumerate(_list(data, "firmware"))),
            pcrs=_pcrs(data.get("pcrs") or {}),
            known_gaps=gaps,
            sources=tuple(str(s) for s in _list(data, "sources")),
            kinds=tuple(str(s) for s in _list(data, "kinds")),
        )
    except InputError as exc:
        raise (exc.located(source) if source else exc) from None


def read_baseline(path: str | Path) -> Baseline:
    """Read a baseline YAML file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read baseline: {exc.strerror}", path=str(path)) from None
    return parse_baseline(text, source=str(path))
