"""illustrative_inventory: seeded, only internal non-hyperedge nodes, honest shares."""

from __future__ import annotations

import csv
from collections import Counter
from importlib.resources import as_file
from pathlib import Path

import pytest

from cleanpath.demo import (
    INVENTORY_COLUMNS,
    demo_scenarios,
    illustrative_inventory,
    read_catalog,
    write_inventory_csv,
)
from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.errors import InputError, ModelError
from cleanpath.ingest.inventory import read_inventory_csv
from cleanpath.ingest.topology import read_topology


@pytest.fixture(scope="module")
def zoo_topologies() -> list[Topology]:
    out = []
    for sc in demo_scenarios():
        with as_file(sc.graphml) as p:
            out.append(read_topology(p))
    return out


def small_topology() -> Topology:
    """A ring of 8 internal nodes plus a hub at 0, one external peer and one hyperedge cloud."""
    nodes = [NodeRecord(str(i), f"City {i}") for i in range(8)]
    nodes.append(NodeRecord("ext", "Peer IX", external=True))
    nodes.append(NodeRecord("cloud", "MPLS cloud", hyperedge=True))
    links = [LinkRecord(f"r{i}", str(i), str((i + 1) % 8)) for i in range(8)]
    links += [LinkRecord(f"h{i}", "0", str(i)) for i in (2, 3, 4, 5)]
    links += [
        LinkRecord("x1", "0", "ext"),
        LinkRecord("x2", "cloud", "3"),
        LinkRecord("x3", "cloud", "6"),
    ]
    return Topology("small", tuple(nodes), tuple(links))


def test_same_seed_same_inventory_other_seed_differs(zoo_topologies: list[Topology]) -> None:
    for topo in zoo_topologies:
        a = illustrative_inventory(topo, seed=7)
        b = illustrative_inventory(topo, seed=7)
        c = illustrative_inventory(topo, seed=8)
        assert [d.to_dict() for d in a.devices] == [d.to_dict() for d in b.devices]
        assert [d.to_dict() for d in a.devices] != [d.to_dict() for d in c.devices]


def test_only_internal_non_hyperedge_nodes_get_devices() -> None:
    topo = small_topology()
    inv = illustrative_inventory(topo, seed=3, camera_share=0.5)
    placed = {d.node for d in inv.devices}
    assert placed == {str(i) for i in range(8)}
    forwarding = [d for d in inv.devices if d.role != "camera"]
    assert sorted(d.node for d in forwarding) == sorted(str(i) for i in range(8))
    assert sum(d.role == "camera" for d in inv.devices) == 4
    assert len({d.hostname for d in inv.devices}) == len(inv.devices)


def test_roles_follow_degree() -> None:
    inv = illustrative_inventory(small_topology(), seed=1)
    roles = {d.node: d.role for d in inv.devices}
    assert roles["0"] == "core"  # degree 6: the hub
    assert Counter(roles.values())["core"] == 2  # 20 % of 8, rounded


@pytest.mark.parametrize("share", [0.0, 0.25, 0.5, 1.0])
def test_untrusted_share_is_honoured(zoo_topologies: list[Topology], share: float) -> None:
    catalog = read_catalog()
    for topo in zoo_topologies:
        inv = illustrative_inventory(topo, seed=11, untrusted_share=share)
        n_target = sum(d.extra["maker"] in catalog.target_vendors for d in inv.devices)
        assert n_target == round(share * len(inv.devices))


def test_profile_default_share_and_records(zoo_topologies: list[Topology]) -> None:
    catalog = read_catalog()
    by_key = {e.key: e for e in catalog.entries}
    topo = zoo_topologies[0]
    inv = illustrative_inventory(topo, seed=5)
    share = sum(d.extra["maker"] in catalog.target_vendors for d in inv.devices) / len(inv.devices)
    assert 0.15 <= share <= 0.30
    for dev in inv.devices:
        entry = by_key[dev.extra["catalog_key"]]
        assert dev.source == "illustrative:catalog.yaml"
        assert dev.model == entry.model
        assert dev.manufacturer == entry.label_name
        assert dev.sys_object_id == entry.sys_object_id
        assert dev.mac is not None
        assert dev.mac.upper().startswith(entry.oui)
        assert len(dev.mac) == 17


def test_bad_options_raise_input_error() -> None:
    topo = small_topology()
    with pytest.raises(InputError, match="profile"):
        illustrative_inventory(topo, seed=1, profile="mars")
    with pytest.raises(InputError) as err:
        illustrative_inventory(topo, seed=1, untrusted_share=1.5)
    assert err.value.field == "untrusted_share"
    empty = Topology("empty", (NodeRecord("x", "X", external=True),), ())
    with pytest.raises(ModelError):
        illustrative_inventory(empty, seed=1)


def test_write_inventory_csv_round_trips(tmp_path: Path) -> None:
    inv = illustrative_inventory(small_topology(), seed=2, camera_share=0.5)
    path = write_inventory_csv(inv, tmp_path / "inv.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == INVENTORY_COLUMNS
    back = read_inventory_csv(path)
    assert back.skipped == ()
    fields = ("node", "hostname", "manufacturer", "model", "mac", "sys_object_id", "sys_descr")
    for got, want in zip(back.devices, inv.devices, strict=True):
        assert [getattr(got, f) for f in (*fields, "role")] == [
            getattr(want, f) for f in (*fields, "role")
        ]


def test_zoo_inventories_skip_external_nodes(zoo_topologies: list[Topology]) -> None:
    for topo in zoo_topologies:
        inv = illustrative_inventory(topo, seed=1)
        internal = {n.id for n in topo.nodes if not n.external and not n.hyperedge}
        assert len(internal) < len(topo.nodes)  # each demo network has external peers
        assert {d.node for d in inv.devices} == internal
