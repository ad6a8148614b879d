"""Records of identification: one :class:`Evidence` per signal, one :class:`Identification`
per device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from cleanpath.domain import DeviceRecord

__all__ = ["About", "Evidence", "Identification"]

About = Literal["manufacturer", "brand", "nic"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One signal and what it says.

    ``signal`` is the device field read (``sys_object_id``, ``sys_descr``, ``mac``, ...),
    ``value`` its text, ``rule`` the rule that read it, ``points_to`` the vendor key it names
    (None when it names no vendor the knowledge base knows, e.g. a software-stack PEN),
    ``weight`` how strongly (0-1), ``about`` whether it speaks of the box's manufacturer, its
    brand, or only its network interface (a MAC block), and ``detail`` the reading in words.
    ``among`` lists the makers a name several makers use may mean ("Alcatel-Lucent": Nokia
    or Alcatel-Lucent Enterprise); such evidence has no ``points_to``: it supports whichever
    of them the device's other evidence names (see :func:`cleanpath.identify.fusion.fuse`).
    """

    signal: str
    value: str
    rule: str
    points_to: str | None
    weight: float
    detail: str = ""
    about: About = "manufacturer"
    among: tuple[str, ...] = ()

    def __str__(self) -> str:
        one_of = "one of " + " | ".join(self.among) if self.among else "no vendor"
        target = self.points_to or one_of
        return f"{self.signal} {self.value!r} → {target} ({self.detail}, weight {self.weight:g})"

    def to_dict(self) -> dict[str, Any]:
        among = {"among": list(self.among)} if self.among else {}
        return {
            **among,
            "signal": self.signal,
            "value": self.value,
            "rule": self.rule,
            "points_to": self.points_to,
            "weight": self.weight,
            "detail": self.detail,
            "about": self.about,
        }


@dataclass(frozen=True, slots=True)
class Identification:
    """What a device is: brand and manufacturer (vendor keys) with confidence and evidence.

    ``manufacturer`` is None (and ``confidence`` 0) when the evidence does not settle it;
    ``conflicts`` lists signals that point at different, unrelated makers (strong ones lower
    the confidence); ``candidates`` are the other vendors the evidence hints at, with their
    combined weight (for an unknown manufacturer: who it might be).
    """

    device: DeviceRecord
    brand: str | None
    manufacturer: str | None
    manufacturer_name: str | None
    model: str | None
    confidence: float
    evidence: tuple[Evidence, ...]
    conflicts: tuple[str, ...] = ()
    candidates: tuple[tuple[str, float], ...] = ()

    @property
    def node(self) -> str:
        return self.device.node

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.device.node,
            "brand": self.brand,
            "manufacturer": self.manufacturer,
            "manufacturer_name": self.manufacturer_name,
            "model": self.model,
            "confidence": self.confidence,
            "evidence": [e.to_dict() for e in self.evidence],
            "conflicts": list(self.conflicts),
            "candidates": [{"vendor": k, "score": s} for k, s in self.candidates],
        }
