"""The normalised evidence of one machine: components, firmware, PCR values and what failed.

Every collector (Redfish, lspci, dmidecode, TPM event log) produces an :class:`Evidence`;
the comparator only ever sees these records. Evidence round-trips through JSON so that it
can be saved on a trusted host and audited later (``cleanpath hw collect``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cleanpath.errors import InputError

__all__ = [
    "IDENTITY_FIELDS",
    "Component",
    "Evidence",
    "Failure",
    "Firmware",
    "merge_evidence",
    "normalise_hex_id",
    "parse_evidence",
    "read_evidence",
]

IDENTITY_FIELDS = (
    "manufacturer",
    "model",
    "serial_number",
    "part_number",
    "vendor_id",
    "device_id",
    "subsystem_vendor_id",
    "subsystem_id",
)
_ID_FIELDS = ("vendor_id", "device_id", "subsystem_vendor_id", "subsystem_id")
EVIDENCE_FORMAT = "cleanpath-hw-evidence/1"


def normalise_hex_id(value: object, *, bare_decimal: bool = False) -> str | None:
    """A PCI/USB id as 4 lower-case hex digits, whatever way a source spelled it.

    Redfish services write ``"0x15b3"`` (hex, as the schema asks), ``"4215"`` or ``4215``
    (decimal, HPE iLO) and ``"0xABCD"``; lspci writes bare hex (``15b3``). Bare digit strings
    are read as decimal only when ``bare_decimal`` (Redfish); integers are always numbers.
    Empty or unparsable values give ``None``.

    >>> [normalise_hex_id(v, bare_decimal=True) for v in ("0x15b3", "4215", 4215, "0xABCD")]
    ['15b3', '1077', '1077', 'abcd']
    >>> [normalise_hex_id(v) for v in ("1077", "19e5", "", None, "zz")]
    ['1077', '19e5', None, None, None]
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().lower()
        base = 10 if bare_decimal and text.isdigit() else 16
        try:
            number = int(text, 16) if text.startswith("0x") else int(text, base)
        except ValueError:
            return None
    return f"{number:04x}" if 0 <= number <= 0xFFFF else None


def _clean(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text if text and text.lower() not in {"not available", "n/a", "none"} else None


@dataclass(frozen=True, slots=True)
class Component:
    """One enumerable part. ``slot`` is its stable key (Redfish path, PCI address, DMI locator).

    ``attrs`` holds further identity fields a source reports (capacity, class code, ...);
    ``firmware_version`` is the firmware the component itself reports, if any.
    """

    kind: str
    slot: str
    manufacturer: str | None = None
    model: str | None = None
    serial_number: str | None = None
    part_number: str | None = None
    vendor_id: str | None = None
    device_id: str | None = None
    subsystem_vendor_id: str | None = None
    subsystem_id: str | None = None
    firmware_version: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()
    source: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.slot}"

    def identity(self) -> dict[str, str]:
        """The fields compared between baseline and evidence (absent ones left out)."""
        out = {f: v for f in IDENTITY_FIELDS if (v := getattr(self, f)) is not None}
        out.update(self.attrs)
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "slot": self.slot}
        out.update({f: v for f in IDENTITY_FIELDS if (v := getattr(self, f)) is not None})
        if self.attrs:
            out["attrs"] = dict(self.attrs)
        if self.firmware_version is not None:
            out["firmware_version"] = self.firmware_version
        if self.source:
            out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Component:
        attrs = d.get("attrs") or {}
        if not isinstance(attrs, Mapping):
            raise InputError("attrs must be a mapping", field="attrs")
        for f in _ID_FIELDS:
            if isinstance(d.get(f), int):
                raise InputError("write PCI/USB IDs as quoted hex strings, e.g. '19e5'", field=f)
        return cls(
            kind=str(d["kind"]),
            slot=str(d["slot"]),
            **{f: _clean(d.get(f)) for f in IDENTITY_FIELDS},
            firmware_version=_clean(d.get("firmware_version")),
            attrs=tuple(sorted((str(k), str(v)) for k, v in attrs.items())),
            source=str(d.get("source") or ""),
        )


@dataclass(frozen=True, slots=True)
class Firmware:
    """One firmware image as reported (FirmwareInventory member, BIOS, BMC, device firmware)."""

    id: str
    name: str
    version: str | None
    software_id: str | None = None
    manufacturer: str | None = None
    updateable: bool | None = None
    related: tuple[str, ...] = ()
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "version": self.version}
        if self.source:
            out["source"] = self.source
        if self.software_id:
            out["software_id"] = self.software_id
        if self.manufacturer:
            out["manufacturer"] = self.manufacturer
        if self.updateable is not None:
            out["updateable"] = self.updateable
        if self.related:
            out["related"] = list(self.related)
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Firmware:
        upd = d.get("updateable")
        return cls(
            id=str(d["id"]),
            name=str(d.get("name") or d["id"]),
            version=_clean(d.get("version")),
            software_id=_clean(d.get("software_id")),
            manufacturer=_clean(d.get("manufacturer")),
            updateable=upd if isinstance(upd, bool) else None,
            related=tuple(str(r) for r in d.get("related") or ()),
            source=str(d.get("source") or ""),
        )


@dataclass(frozen=True, slots=True)
class Failure:
    """A piece of evidence that could not be read: where (URI path, file) and why."""

    where: str
    error: str

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "error": self.error}


def _pcr_map(pcrs: Mapping[str, Mapping[Any, str]]) -> dict[str, dict[int, str]]:
    return {
        str(bank): {int(i): str(v).lower().removeprefix("0x") for i, v in values.items()}
        for bank, values in pcrs.items()
    }


@dataclass(frozen=True, slots=True)
class Evidence:
    """All that was read about one machine, from one or more sources.

    ``pcrs`` maps a hash bank (``sha256``) to PCR index → hex value. ``sources`` names what
    was read; ``kinds`` which kinds of evidence (``redfish``, ``lspci``, ``dmidecode``,
    ``tpm``) are present, so the report can say what was *not* examined.
    """

    components: tuple[Component, ...] = ()
    firmware: tuple[Firmware, ...] = ()
    pcrs: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    failures: tuple[Failure, ...] = ()
    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": EVIDENCE_FORMAT,
            "sources": list(self.sources),
            "kinds": list(self.kinds),
            "components": [c.to_dict() for c in self.components],
            "firmware": [f.to_dict() for f in self.firmware],
            "pcrs": {b: {str(i): v for i, v in sorted(m.items())} for b, m in self.pcrs.items()},
            "failures": [f.to_dict() for f in self.failures],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Evidence:
        if d.get("format") != EVIDENCE_FORMAT:
            raise InputError(
                f"not a cleanpath evidence file (format {d.get('format')!r})", field="format"
            )
        try:
            return cls(
                components=tuple(Component.from_dict(c) for c in d.get("components") or ()),
                firmware=tuple(Firmware.from_dict(f) for f in d.get("firmware") or ()),
                pcrs=_pcr_map(d.get("pcrs") or {}),
                failures=tuple(
                    Failure(str(f["where"]), str(f["error"])) for f in d.get("failures") or ()
                ),
                sources=tuple(str(s) for s in d.get("sources") or ()),
                kinds=tuple(str(k) for k in d.get("kinds") or ()),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"malformed evidence record: {exc!r}") from None

    def with_failures(self, more: Iterable[Failure]) -> Evidence:
        return replace(self, failures=self.failures + tuple(more))


def merge_evidence(parts: Iterable[Evidence]) -> Evidence:
    """One Evidence of several sources (components and failures are concatenated).

    >>> a = Evidence(components=(Component("system", "s"),), sources=("x",), kinds=("lspci",))
    >>> merge_evidence([a, Evidence(sources=("y",), kinds=("tpm",))]).kinds
    ('lspci', 'tpm')
    """
    comps: list[Component] = []
    fws: list[Firmware] = []
    pcrs: dict[str, dict[int, str]] = {}
    fails: list[Failure] = []
    sources: list[str] = []
    kinds: list[str] = []
    for ev in parts:
        comps += ev.components
        fws += ev.firmware
        fails += ev.failures
        sources += ev.sources
        kinds += [k for k in ev.kinds if k not in kinds]
        for bank, values in ev.pcrs.items():
            pcrs.setdefault(bank, {}).update(values)
    return Evidence(tuple(comps), tuple(fws), pcrs, tuple(fails), tuple(sources), tuple(kinds))


def parse_evidence(text: str, *, source: str | None = None) -> Evidence:
    """An Evidence from the JSON that :meth:`Evidence.to_dict` wrote."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=source, line=exc.lineno) from None
    if not isinstance(data, Mapping):
        raise InputError("evidence must be a JSON object", path=source)
    try:
        return Evidence.from_dict(data)
    except InputError as exc:
        raise exc.located(source) if source else exc from None


def read_evidence(path: str | Path) -> Evidence:
    """Read a saved evidence file (JSON)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read evidence: {exc.strerror}", path=str(path)) from None
    return parse_evidence(text, source=str(path))
