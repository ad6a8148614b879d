"""Shared vocabulary: enums, aliases and the frozen records that flow out of ``ingest``.

Records keep where they came from (``source`` file and ``line``) so that every verdict and
every error can point back at the input that caused it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CoordinateKind",
    "CoverStatus",
    "DemandClass",
    "DemandRecord",
    "DeviceRecord",
    "Inventory",
    "LinkRecord",
    "NodeId",
    "NodeRecord",
    "SiteRecord",
    "Skipped",
    "Topology",
]

NodeId = str


class DemandClass(enum.StrEnum):
    """Traffic class of a demand: sensitive traffic must take clean paths."""

    SENSITIVE = "sensitive"
    NORMAL = "normal"


class CoverStatus(enum.StrEnum):
    """A policy verdict. ``UNKNOWN`` is a first-class answer, not an error."""

    COVERED = "covered"
    NOT_COVERED = "not_covered"
    UNKNOWN = "unknown"


class CoordinateKind(enum.StrEnum):
    """What node coordinates mean: only geographical ones may go on a map."""

    GEOGRAPHICAL = "geographical"
    PIXEL = "pixel"
    NONE = "none"


def _frozen_attrs() -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """A node as read from a topology file. ``id`` is the file's node id, as a string."""

    id: NodeId
    label: str
    lat: float | None = None
    lon: float | None = None
    external: bool = False
    hyperedge: bool = False
    country: str | None = None
    line: int | None = None
    attrs: Mapping[str, Any] = field(default_factory=_frozen_attrs, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "lat": self.lat,
            "lon": self.lon,
            "external": self.external,
            "hyperedge": self.hyperedge,
            "country": self.country,
        }


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A link as read from a topology file (parallel links are separate records).

    ``capacity`` is in the file's unit (bit/s for Topology Zoo, module units for SNDlib);
    ``weight`` is the IGP weight or routing cost when the file has one; ``length`` is km
    when known. ``modules`` lists SNDlib (capacity, cost) modules that can be installed.
    """

    id: str
    src: NodeId
    dst: NodeId
    capacity: float | None = None
    weight: float | None = None
    length: float | None = None
    directed: bool = False
    modules: tuple[tuple[float, float], ...] = ()
    line: int | None = None
    attrs: Mapping[str, Any] = field(default_factory=_frozen_attrs, compare=False)


@dataclass(frozen=True, slots=True)
class DemandRecord:
    """A traffic demand from ``src`` to ``dst`` of ``volume`` (in the file's unit)."""

    src: NodeId
    dst: NodeId
    volume: float
    cls: DemandClass = DemandClass.NORMAL
    id: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class SiteRecord:
    """A named point of interest (e.g. a military installation) with its coordinates."""

    name: str
    lat: float
    lon: float
    kind: str = ""
    country: str | None = None
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Topology:
    """Everything a topology reader found in one file."""

    name: str
    nodes: tuple[NodeRecord, ...]
    links: tuple[LinkRecord, ...]
    demands: tuple[DemandRecord, ...] = ()
    directed: bool = False
    coordinates: CoordinateKind = CoordinateKind.NONE
    source: str | None = None
    format: str = ""
    attribution: str | None = None
    meta: Mapping[str, Any] = field(default_factory=_frozen_attrs, compare=False)


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    """One device of an inventory, with every field optional but the node it sits at.

    ``source``/``line`` say where it was read (a CSV row, an snmprec file, an agent address).
    ``extra`` holds further signals a reader found (e.g. ENTITY-MIB fields, LLDP data).
    """

    node: NodeId
    hostname: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    mac: str | None = None
    sys_object_id: str | None = None
    sys_descr: str | None = None
    role: str | None = None
    source: str | None = None
    line: int | None = None
    extra: Mapping[str, Any] = field(default_factory=_frozen_attrs, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "hostname": self.hostname,
            "manufacturer": self.manufacturer,
            "model": self.model,
            "mac": self.mac,
            "sys_object_id": self.sys_object_id,
            "sys_descr": self.sys_descr,
            "role": self.role,
            "source": self.source,
            "line": self.line,
            "extra": dict(self.extra),
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record a reader could not use: kept, counted and reported, never silently lost."""

    source: str | None
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.source or '<input>'}:{self.line}" if self.line else (self.source or "")
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Inventory:
    """Devices (and links, e.g. from LLDP or NetBox cables) read from one or more sources."""

    devices: tuple[DeviceRecord, ...]
    links: tuple[LinkRecord, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    sources: tuple[str, ...] = ()

    def __add__(self, other: Inventory) -> Inventory:
        return Inventory(
            self.devices + other.devices,
            self.links + other.links,
            self.skipped + other.skipped,
            self.sources + other.sources,
        )
