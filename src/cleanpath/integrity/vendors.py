"""Which maker a component comes from, by PCI/USB vendor ID or manufacturer name.

The IDs are facts from pci.ids/usb.ids (``data/hw_vendors.yaml``, with versions); whether
a maker is untrusted is a policy's call. Without a policy every maker listed in the file is
flagged; with one (``us-fcc``) only makers the policy covers, or may cover, on ``as_of``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from cleanpath.domain import CoverStatus, DeviceRecord
from cleanpath.errors import KnowledgeBaseError
from cleanpath.integrity.model import Component

__all__ = ["VENDORS_PATH", "MakerHit", "UntrustedCheck", "maker_hits", "untrusted_check"]

VENDORS_PATH = Path(__file__).resolve().parent / "data" / "hw_vendors.yaml"


@dataclass(frozen=True, slots=True)
class MakerHit:
    """A component signal that names a listed maker (``kb_vendor`` is a cleanpath.kb key)."""

    kb_vendor: str
    signal: str
    value: str
    detail: str

    def __str__(self) -> str:
        return f"{self.signal} {self.value} = {self.detail}"


@dataclass(frozen=True, slots=True)
class _Table:
    pci: Mapping[str, tuple[str, str]]
    usb: Mapping[str, tuple[str, str]]
    patterns: tuple[tuple[re.Pattern[str], str], ...]


def _ids(data: Mapping[str, Any], section: str) -> dict[str, tuple[str, str]]:
    src = data.get("sources", {})
    out = {}
    for row in data.get(section) or []:
        s = src.get(row["source"], {})
        where = f"{s.get('title', row['source'])} {s.get('version', '')}".strip()
        out[str(row["id"]).lower()] = (str(row["kb_vendor"]), f"{row['name']} ({where})")
    return out


@cache
def _table(path: Path = VENDORS_PATH) -> _Table:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        pats = tuple(
            (re.compile(rf"\b{p['pattern']}\b", re.IGNORECASE), str(p["kb_vendor"]))
            for p in data.get("manufacturer_patterns") or []
        )
        return _Table(_ids(data, "pci"), _ids(data, "usb"), pats)
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise KnowledgeBaseError(f"bad hardware vendor table: {exc}", path=str(path)) from None


def maker_hits(comp: Component) -> tuple[MakerHit, ...]:
    """Every signal of ``comp`` that names a maker listed in ``hw_vendors.yaml``.

    >>> c = Component("pcie_device", "s", manufacturer="Huawei", vendor_id="19e5")
    >>> [h.signal for h in maker_hits(c)]
    ['vendor_id', 'manufacturer']
    """
    t = _table()
    ids = t.usb if comp.kind.startswith("usb") else t.pci
    hits = []
    for sig in ("vendor_id", "subsystem_vendor_id"):
        value = getattr(comp, sig)
        if value is not None and value in ids:
            key, detail = ids[value]
            hits.append(MakerHit(key, sig, value, detail))
    if comp.manufacturer:
        for pat, key in t.patterns:
            if pat.search(comp.manufacturer):
                hits.append(MakerHit(key, "manufacturer", comp.manufacturer, f"names {key}"))
                break
    return tuple(hits)


UntrustedCheck = Callable[[Component], tuple[str, str] | None]
"""Returns (maker, reason) when a component comes from an untrusted maker, else None."""


def _no_policy(comp: Component) -> tuple[str, str] | None:
    hits = maker_hits(comp)
    if not hits:
        return None
    return hits[0].kb_vendor, "; ".join(map(str, hits)) + " (listed in hw_vendors.yaml)"


def untrusted_check(policy: str | None = None, *, as_of: date | None = None) -> UntrustedCheck:
    """The check the comparator uses: the vendor table alone, or a KB policy's verdict.

    With a policy, a listed maker gives a finding when the verdict is *covered* or
    *unknown* (not settled), and none when it is *not covered*.
    """
    if policy is None:
        return _no_policy
    from cleanpath.identify.model import Evidence as IdEvidence
    from cleanpath.identify.model import Identification
    from cleanpath.kb import load_kb

    pol = load_kb().policy(policy)
    day = as_of or date.today()

    def check(comp: Component) -> tuple[str, str] | None:
        hits = maker_hits(comp)
        if not hits:
            return None
        maker = hits[0].kb_vendor
        dev = DeviceRecord(node=comp.slot, manufacturer=comp.manufacturer, model=comp.model)
        ev = tuple(
            IdEvidence(h.signal, h.value, "hw_vendors", h.kb_vendor, 0.9, h.detail) for h in hits
        )
        ident = Identification(dev, maker, maker, None, comp.model, 0.9, ev)
        verdict = pol.verdict(ident, as_of=day)
        if verdict.status == CoverStatus.NOT_COVERED:
            return None
        e = verdict.entry
        why = (
            f"{e.entity_name}, listed {e.date_added}, scope {e.scope}; source: {e.source}"
            if e is not None and verdict.status == CoverStatus.COVERED
            else verdict.reason
        )
        signals = "; ".join(map(str, hits))
        return maker, f"{signals}; {pol.name} as of {day}: {verdict.status} ({why})"

    return check
