"""Pieces shared by the SNDlib native and XML readers (not public API)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cleanpath.domain import CoordinateKind, DemandRecord, LinkRecord, NodeRecord, Topology
from cleanpath.errors import InputError
from cleanpath.ingest._common import parse_number

__all__ = ["PIXEL_NETWORKS", "SNDLIB_CITATION", "Parts", "assemble", "make_link", "node_record"]

#: SNDlib instances whose coordinates are a pixel layout (``coordinatesType="pixel"`` in the
#: XML files; pioro40 has no XML and its values look like pixels).
PIXEL_NETWORKS = frozenset(
    {
        "atlanta",
        "di-yuan",
        "france",
        "giul39",
        "newyork",
        "norway",
        "sun",
        "ta1",
        "zib54",
        "pioro40",
    }
)
SNDLIB_CITATION = (
    "SNDlib (Zuse Institute Berlin). Cite: S. Orlowski, R. Wessäly, M. Pióro and "
    'A. Tomaszewski, "SNDlib 1.0 - Survivable Network Design Library", Networks 55(3), 2010. '
    "Data terms unclear (ZIB Academic License): research and evaluation use only."
)


@dataclass
class Parts:
    """What a reader collected before the records are checked and assembled."""

    source: str | None
    nodes: list[NodeRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    demands: list[DemandRecord] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def num(self, value: str, line: int, what: str, lo: float | None = None) -> float:
        return parse_number(
            value,
            source=self.source,
            line=line,
            field=what,
            lo=lo,
            hi=None if lo is None else float("inf"),
        )


def _coordinate_kind(
    network: str, xy: Iterable[tuple[float, float]], declared: str | None
) -> tuple[CoordinateKind, str]:
    """Pixel or geographical, and why we think so."""
    if declared in ("pixel", "geographical"):
        return CoordinateKind(declared), "coordinatesType attribute"
    if network.lower() in PIXEL_NETWORKS:
        return CoordinateKind.PIXEL, "documented SNDlib pixel instance"
    if any(abs(x) > 180 or abs(y) > 90 for x, y in xy):
        return CoordinateKind.PIXEL, "values outside longitude/latitude ranges"
    return CoordinateKind.GEOGRAPHICAL, "SNDlib default (x = longitude, y = latitude)"


def _place(nodes: list[NodeRecord], kind: CoordinateKind) -> list[NodeRecord]:
    """Set lat/lon from the x/y kept in attrs when the coordinates are geographical."""
    if kind != CoordinateKind.GEOGRAPHICAL:
        return nodes
    out = []
    for n in nodes:
        x, y = n.attrs.get("x"), n.attrs.get("y")
        placed = x is not None and y is not None and abs(x) <= 180 and abs(y) <= 90
        out.append(
            NodeRecord(
                n.id,
                n.label,
                y if placed else None,
                x if placed else None,
                line=n.line,
                attrs=n.attrs,
            )
        )
    return out


def assemble(
    parts: Parts, *, network: str, name: str | None, fmt: str, declared: str | None = None
) -> Topology:
    """Check endpoints, decide the coordinate kind and build the Topology."""
    ids: set[str] = set()
    for n in parts.nodes:
        if n.id in ids:
            raise InputError(
                f"duplicate node id {n.id!r}", path=parts.source, line=n.line, field="node"
            )
        ids.add(n.id)
    records: list[LinkRecord | DemandRecord] = [*parts.links, *parts.demands]
    for rec in records:
        kind_name = "link" if isinstance(rec, LinkRecord) else "demand"
        for end in (rec.src, rec.dst):
            if end not in ids:
                raise InputError(
                    f"{kind_name} {rec.id!r} names unknown node {end!r}",
                    path=parts.source,
                    line=rec.line,
                    field=kind_name,
                )
    xy = [(n.attrs["x"], n.attrs["y"]) for n in parts.nodes]
    kind, basis = _coordinate_kind(network, xy, declared)
    parts.meta["coordinates_basis"] = basis
    return Topology(
        name=name or network,
        nodes=tuple(_place(parts.nodes, kind)),
        links=tuple(parts.links),
        demands=tuple(parts.demands),
        coordinates=kind if parts.nodes else CoordinateKind.NONE,
        source=parts.source,
        format=fmt,
        attribution=SNDLIB_CITATION,
        meta=parts.meta,
    )


def node_record(parts: Parts, nid: str, x: str, y: str, line: int) -> NodeRecord:
    attrs = {"x": parts.num(x, line, f"node {nid!r} x"), "y": parts.num(y, line, f"node {nid!r} y")}
    return NodeRecord(nid, nid, line=line, attrs=attrs)


def make_link(
    lid: str,
    src: str,
    dst: str,
    line: int,
    pre: float,
    pre_cost: float,
    routing: float,
    setup: float,
    modules: tuple[tuple[float, float], ...],
) -> LinkRecord:
    return LinkRecord(
        id=lid,
        src=src,
        dst=dst,
        capacity=pre if pre > 0 else None,
        weight=routing if routing > 0 else None,
        modules=modules,
        line=line,
        attrs={
            "preinstalled_capacity": pre,
            "preinstalled_capacity_cost": pre_cost,
            "routing_cost": routing,
            "setup_cost": setup,
        },
    )
