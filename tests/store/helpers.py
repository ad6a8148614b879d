"""Small hand-built audits for the store, web and report tests (real pipeline, real KB)."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from cleanpath.domain import (
    CoordinateKind,
    DeviceRecord,
    Inventory,
    LinkRecord,
    NodeRecord,
    SiteRecord,
    Topology,
)
from cleanpath.kb import KnowledgeBase, load_kb
from cleanpath.pipeline import AuditResult, DemandSpec, audit

AS_OF = date(2026, 11, 1)

# A ring a-b-c-f-e-d-a with a chord b-e, placed in central Europe.
_NODES = {
    "a": (50.0, 5.0), "b": (50.0, 7.0), "c": (50.0, 9.0),
    "d": (48.0, 5.0), "e": (48.0, 7.0), "f": (48.0, 9.0),
}  # fmt: skip
_LINKS = [("a", "b"), ("b", "c"), ("c", "f"), ("f", "e"), ("e", "d"), ("d", "a"), ("b", "e")]

BEFORE = {
    "a": ("Cisco", "ASR 9006"), "b": ("Huawei", "NE40E-X8"), "c": ("Juniper", "MX480"),
    "d": ("Cisco", "NCS 5501"), "e": ("Acme Widgets", "W-1"), "f": ("Nokia", "7750 SR-7"),
}  # fmt: skip
"""One device per node; the Huawei router at b is covered, Acme at e is of unknown make."""

AFTER = {**BEFORE, "b": ("Nokia", "7750 SR-12"), "f": ("ZTE", "ZXR10 M6000")}
"""b's Huawei router replaced by Nokia; f's Nokia router replaced by a (covered) ZTE one."""


def topology(name: str = "ring") -> Topology:
    nodes = tuple(NodeRecord(k, k.upper(), lat=v[0], lon=v[1]) for k, v in _NODES.items())
    links = tuple(LinkRecord(f"l{i}", s, t) for i, (s, t) in enumerate(_LINKS))
    return Topology(name, nodes, links, coordinates=CoordinateKind.GEOGRAPHICAL)


def inventory(makes: dict[str, tuple[str, str]]) -> Inventory:
    devs = tuple(
        DeviceRecord(node, hostname=f"{node}-r1", manufacturer=m, model=mod, role="router",
                     source="inventory.csv", line=i + 2)
        for i, (node, (m, mod)) in enumerate(sorted(makes.items()))
    )  # fmt: skip
    return Inventory(devs, sources=("inventory.csv",))


SITES = (
    SiteRecord("Site West", 50.1, 5.1, kind="base"),
    SiteRecord("Site South", 47.9, 9.1, kind="base"),
)
HUBS = (SiteRecord("Hub East", 50.0, 9.1, kind="hub"),)


def make_result(makes: dict[str, tuple[str, str]] = BEFORE, *, name: str = "ring") -> AuditResult:
    """A real audit of the ring with sensitive site-to-hub demands on top of gravity traffic."""
    return audit(
        topology(name), kb=_kb(), as_of=AS_OF, inventory=inventory(makes), sites=SITES,
        hubs=HUBS, demands=DemandSpec(gravity_total=100.0, seed=7), weight="distance",
    )  # fmt: skip


@cache
def _kb() -> KnowledgeBase:
    return load_kb()


@cache
def before() -> AuditResult:
    return make_result(BEFORE)


@cache
def after() -> AuditResult:
    return make_result(AFTER)


def write_inputs(folder: Path, makes: dict[str, tuple[str, str]]) -> dict[str, Path]:
    """The ring, an inventory and the sites as files (node-link JSON and CSV)."""
    import json

    nodes = [{"id": k, "label": k.upper(), "lat": v[0], "lon": v[1]} for k, v in _NODES.items()]
    links = [{"source": s, "target": t} for s, t in _LINKS]
    net = folder / "ring.json"
    net.write_text(json.dumps({"nodes": nodes, "links": links}), encoding="utf-8")
    inv = folder / "inventory.csv"
    lines = ["node,hostname,manufacturer,model,role"]
    lines += [f"{n},{n}-r1,{m},{mod},router" for n, (m, mod) in sorted(makes.items())]
    inv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sites = folder / "sites.csv"
    rows = ["name,lat,lon,kind"] + [f"{s.name},{s.lat},{s.lon},{s.kind}" for s in SITES + HUBS]
    sites.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return {"network": net, "inventory": inv, "sites": sites}
