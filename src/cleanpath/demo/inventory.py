"""A seeded, reproducible, **illustrative** inventory for a demo topology.

Real device models from the bundled catalogue are assigned to the topology's internal,
non-hyperedge nodes: the best-connected nodes get core routers, the next tier aggregation
routers, the rest PoP switches (spur sites reached by one neighbour get a transport device).
A share of the nodes (by default the profile's, e.g. 25 % for ``europe``) gets gear from a
target vendor (Huawei, ZTE, H3C, Hikvision). The shares and vendor mixes are illustrative
assumptions, **not** a statement about the real operator's equipment.

>>> from cleanpath.domain import LinkRecord, NodeRecord, Topology
>>> nodes = tuple(NodeRecord(str(i), f"City {i}") for i in range(5))
>>> links = tuple(LinkRecord(f"l{i}", "0", str(i)) for i in range(1, 5))
>>> inv = illustrative_inventory(Topology("star", nodes, links), seed=1)
>>> [d.role for d in inv.devices]
['core', 'aggregation', 'aggregation', 'optical', 'optical']
>>> inv == illustrative_inventory(Topology("star", nodes, links), seed=1)
True
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from cleanpath.demo.catalog import Catalog, CatalogEntry, Profile, read_catalog
from cleanpath.domain import DeviceRecord, Inventory, NodeRecord, Topology
from cleanpath.errors import InputError, ModelError
from cleanpath.ingest.inventory import INVENTORY_COLUMNS

__all__ = [
    "INVENTORY_COLUMNS",
    "eligible_nodes",
    "illustrative_inventory",
    "inventory_csv_text",
    "write_inventory_csv",
]

CORE_SHARE = 0.2
AGGREGATION_SHARE = 0.4
_ABBR = {"core": "cr", "aggregation": "ar", "switch": "sw", "optical": "tx", "camera": "cam"}


def eligible_nodes(topology: Topology) -> list[NodeRecord]:
    """The nodes that get devices: internal (not external) and not hyperedges."""
    return [n for n in topology.nodes if not n.external and not n.hyperedge]


def _degrees(topology: Topology, ids: set[str]) -> dict[str, int]:
    """Distinct neighbours of each node (parallel links and self-loops count once/never)."""
    nbrs: dict[str, set[str]] = {i: set() for i in ids}
    for link in topology.links:
        if link.src == link.dst:
            continue
        if link.src in nbrs:
            nbrs[link.src].add(link.dst)
        if link.dst in nbrs:
            nbrs[link.dst].add(link.src)
    return {i: len(s) for i, s in nbrs.items()}


def _roles(nodes: Sequence[NodeRecord], degree: dict[str, int]) -> dict[str, str]:
    """Core for the top 20 % by degree (at least one), aggregation for the next 40 %."""
    order = sorted(nodes, key=lambda n: (-degree[n.id], n.id))
    n_core = max(1, round(CORE_SHARE * len(order)))
    n_agg = round(AGGREGATION_SHARE * len(order))
    roles: dict[str, str] = {}
    for rank, node in enumerate(order):
        if rank < n_core:
            roles[node.id] = "core"
        elif rank < n_core + n_agg:
            roles[node.id] = "aggregation"
        else:
            roles[node.id] = "optical" if degree[node.id] <= 1 else "switch"
    return roles


def _pick(
    rng: random.Random, catalog: Catalog, profile: Profile, role: str, target: bool
) -> CatalogEntry:
    """A seeded draw among the role's entries, weighted by the profile's maker weights."""
    weights = profile.target if target else profile.other
    pool = [
        e
        for e in catalog.entries
        if e.role == role and catalog.is_target(e) is target and weights.get(e.manufacturer, 0) > 0
    ]
    if not pool:  # the profile gives no weight to any maker of this role: take them all
        pool = [e for e in catalog.entries if e.role == role and catalog.is_target(e) is target]
    if not pool:
        raise ModelError(f"catalogue has no {'target' if target else 'other'} {role} device")
    per_maker = Counter(e.manufacturer for e in pool)
    w = [weights.get(e.manufacturer, 1.0) / per_maker[e.manufacturer] for e in pool]
    return rng.choices(pool, weights=w, k=1)[0]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "node"


def _mac(rng: random.Random, oui: str) -> str:
    return oui.upper() + "".join(f":{rng.randrange(256):02X}" for _ in range(3))


class _Builder:
    """Turns (node, entry) pairs into DeviceRecords with unique hostnames and seeded MACs."""

    def __init__(self, rng: random.Random, catalog: Catalog) -> None:
        self.rng = rng
        self.source = f"illustrative:{catalog.source}"
        self.counts: Counter[str] = Counter()
        self.devices: list[DeviceRecord] = []

    def add(self, node: NodeRecord, entry: CatalogEntry, role: str) -> None:
        stem = f"{_slug(node.label or node.id)}-{_ABBR[role]}"
        self.counts[stem] += 1
        self.devices.append(
            DeviceRecord(
                node=node.id,
                hostname=f"{stem}{self.counts[stem]}",
                manufacturer=entry.label_name,
                model=entry.model,
                mac=_mac(self.rng, entry.oui),
                sys_object_id=entry.sys_object_id,
                sys_descr=entry.sys_descr,
                role=role,
                source=self.source,
                extra={
                    "catalog_key": entry.key,
                    "maker": entry.manufacturer,
                    "forwarding": entry.forwarding,
                    "evidence": entry.evidence,
                },
            )
        )


def _check_options(catalog: Catalog, profile: str, shares: dict[str, float | None]) -> Profile:
    if profile not in catalog.profiles:
        known = ", ".join(sorted(catalog.profiles))
        raise InputError(f"unknown profile {profile!r} (known: {known})", field="profile")
    for name, value in shares.items():
        if value is not None and not 0.0 <= value <= 1.0:
            raise InputError(f"must be between 0 and 1, got {value}", field=name)
    return catalog.profiles[profile]


def illustrative_inventory(
    topology: Topology,
    *,
    seed: int,
    untrusted_share: float | None = None,
    profile: str = "europe",
    camera_share: float = 0.0,
    catalog: Catalog | None = None,
) -> Inventory:
    """Assign catalogue devices to ``topology``'s internal, non-hyperedge nodes.

    One forwarding device per node; ``round(untrusted_share * n)`` nodes (default: the
    profile's share) get target-vendor gear. With ``camera_share > 0`` that share of the
    nodes also gets a CCTV camera/NVR (``role="camera"``, not in the traffic path). The same
    ``seed`` and topology always give the same inventory. Every record has
    ``source="illustrative:catalog.yaml"``; ``extra`` holds the catalogue key, the real
    maker, ``forwarding`` and the evidence kind.
    """
    catalog = catalog or read_catalog()
    prof = _check_options(
        catalog, profile, {"untrusted_share": untrusted_share, "camera_share": camera_share}
    )
    share = prof.untrusted_share if untrusted_share is None else untrusted_share
    nodes = eligible_nodes(topology)
    if not nodes:
        raise ModelError(f"topology {topology.name!r} has no internal, non-hyperedge node")
    rng = random.Random(f"cleanpath-demo:{seed}:{topology.name}")
    roles = _roles(nodes, _degrees(topology, {n.id for n in nodes}))
    ids = [n.id for n in nodes]
    targets = set(rng.sample(ids, round(share * len(ids))))
    cameras = set(rng.sample(ids, round(camera_share * len(ids))))
    build = _Builder(rng, catalog)
    for node in nodes:
        role = roles[node.id]
        build.add(node, _pick(rng, catalog, prof, role, node.id in targets), role)
        if node.id in cameras:
            build.add(node, _pick(rng, catalog, prof, "camera", rng.random() < share), "camera")
    return Inventory(devices=tuple(build.devices), sources=(build.source,))


def inventory_csv_text(inventory: Inventory) -> str:
    """The inventory as CSV text with the columns that
    :func:`cleanpath.ingest.inventory.parse_inventory_csv` reads (empty cell for None).

    >>> from cleanpath.domain import DeviceRecord, Inventory
    >>> print(inventory_csv_text(Inventory((DeviceRecord("n1", model="MX80"),))).strip())
    node,hostname,manufacturer,model,mac,sys_object_id,sys_descr,role
    n1,,,MX80,,,,
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(INVENTORY_COLUMNS)
    for dev in inventory.devices:
        row = dev.to_dict()
        writer.writerow(["" if row[c] is None else row[c] for c in INVENTORY_COLUMNS])
    return buf.getvalue()


def write_inventory_csv(inventory: Inventory, path: str | Path) -> Path:
    """Write :func:`inventory_csv_text` to ``path`` (UTF-8) and return the path."""
    p = Path(path)
    p.write_text(inventory_csv_text(inventory), encoding="utf-8")
    return p
