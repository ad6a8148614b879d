"""SNDlib native and XML readers on our hand-written instance pair and broken copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanpath.domain import CoordinateKind, Topology
from cleanpath.errors import InputError
from cleanpath.ingest.sndlib import (
    parse_sndlib_native,
    parse_sndlib_xml,
    read_sndlib_native,
    read_sndlib_xml,
)
from cleanpath.model.network import build_network

from .located import assert_located_error


def _fixture(data_dir: Path, name: str) -> Path:
    return data_dir / "topologies" / name


@pytest.fixture(scope="module")
def native(data_dir: Path) -> Topology:
    return read_sndlib_native(_fixture(data_dir, "sndlib_tiny.txt"))


@pytest.fixture(scope="module")
def xml(data_dir: Path) -> Topology:
    return read_sndlib_xml(_fixture(data_dir, "sndlib_tiny.xml"))


def test_native_nodes_are_geographical(native: Topology) -> None:
    assert [n.id for n in native.nodes] == ["Berlin", "Hamburg", "Munich", "Cologne"]
    berlin = native.nodes[0]
    assert (berlin.lat, berlin.lon) == (52.52, 13.40)
    assert berlin.attrs == {"x": 13.40, "y": 52.52}
    assert native.coordinates == CoordinateKind.GEOGRAPHICAL
    assert native.name == "sndlib_tiny"
    assert native.format == "sndlib-native"
    assert native.attribution is not None
    assert "Orlowski" in native.attribution


def test_native_links_capacity_modules_costs(native: Topology) -> None:
    links = {lk.id: lk for lk in native.links}
    assert links["L1"].capacity == 100.0
    assert links["L1"].modules == ((40.0, 10.0), (160.0, 30.0))
    assert links["L1"].weight == 2.0
    assert links["L1"].attrs["preinstalled_capacity_cost"] == 5.0
    assert links["L2"].capacity is None  # 0 pre-installed and no module installed
    assert links["L2"].attrs["setup_cost"] == 7.5
    assert links["L3"].weight is None
    assert links["L3"].attrs["routing_cost"] == 0.0
    assert links["L4"].modules == ()
    assert links["L1"].line == 20


def test_native_demands_meta_and_paths(native: Topology) -> None:
    assert [(d.id, d.src, d.dst, d.volume) for d in native.demands] == [
        ("D1", "Berlin", "Munich", 25.5),
        ("D2", "Munich", "Berlin", 12.0),
        ("D3", "Hamburg", "Cologne", 0.75),
    ]
    assert native.meta["unit"] == "MBITPERSEC"
    assert native.meta["network"] == "tiny"
    assert native.meta["admissible_paths"] == 2


def test_native_and_xml_agree(native: Topology, xml: Topology) -> None:
    assert [n.to_dict() for n in native.nodes] == [n.to_dict() for n in xml.nodes]
    assert [n.attrs for n in native.nodes] == [n.attrs for n in xml.nodes]

    def link_key(t: Topology) -> list[tuple[object, ...]]:
        return [
            (k.id, k.src, k.dst, k.capacity, k.weight, k.modules, dict(k.attrs)) for k in t.links
        ]

    assert link_key(native) == link_key(xml)
    assert [(d.id, d.src, d.dst, d.volume) for d in native.demands] == [
        (d.id, d.src, d.dst, d.volume) for d in xml.demands
    ]
    for key in ("unit", "time", "granularity", "origin", "admissible_paths"):
        assert native.meta[key] == xml.meta[key]
    assert xml.coordinates == CoordinateKind.GEOGRAPHICAL
    assert xml.meta["coordinates_basis"] == "coordinatesType attribute"


def test_builds_a_network(native: Topology) -> None:
    net = build_network(native)
    assert net.n_nodes == 4
    assert net.n_links == 5
    # L1 and L5 join the same pair: merged, capacities summed
    i, j = net.index_of("Berlin"), net.index_of("Hamburg")
    caps = [
        float(net.capacity[a])
        for a in range(int(net.indptr[i]), int(net.indptr[i + 1]))
        if net.indices[a] == j
    ]
    assert caps == [200.0]


def test_traffic_matrix_file(data_dir: Path) -> None:
    t = read_sndlib_xml(_fixture(data_dir, "sndlib_tiny_matrix.xml"))
    assert t.links == ()
    assert len(t.nodes) == 3
    assert sum(d.volume for d in t.demands) == 1.75
    assert t.meta["time"] == "20260101-0015"
    assert t.meta["unit"] == "MBITPERSEC"


def test_pixel_coordinates(data_dir: Path) -> None:
    text = _fixture(data_dir, "sndlib_pixel.txt").read_text()
    t = parse_sndlib_native(text)
    assert t.coordinates == CoordinateKind.PIXEL
    assert t.nodes[0].lat is None
    assert t.nodes[0].attrs == {"x": 250.0, "y": 410.0}
    assert "outside" in t.meta["coordinates_basis"]


def test_documented_pixel_instance_by_name(data_dir: Path) -> None:
    text = _fixture(data_dir, "sndlib_tiny.txt").read_text().replace("# network tiny", "#")
    t = parse_sndlib_native(text, name="atlanta")  # in range, but a known pixel layout
    assert t.coordinates == CoordinateKind.PIXEL
    assert all(n.lat is None for n in t.nodes)
    assert t.meta["coordinates_basis"] == "documented SNDlib pixel instance"
    pixel_xml = (
        _fixture(data_dir, "sndlib_tiny.xml")
        .read_text()
        .replace('coordinatesType="geographical"', 'coordinatesType="pixel"')
    )
    assert parse_sndlib_xml(pixel_xml).coordinates == CoordinateKind.PIXEL


@pytest.mark.parametrize(
    ("fixture", "line", "words"),
    [
        ("malformed_bad_number.txt", 21, "not a number: '0.0x'"),
        ("malformed_unknown_node.txt", 30, "unknown node 'Dresden'"),
        ("malformed_missing_links.txt", None, "missing section LINKS"),
        ("malformed_unknown_node.xml", 35, "unknown node 'Bonn'"),
        ("malformed_truncated.xml", 36, "malformed XML"),
    ],
)
def test_malformed(data_dir: Path, fixture: str, line: int | None, words: str) -> None:
    path = _fixture(data_dir, fixture)
    reader = read_sndlib_xml if fixture.endswith(".xml") else read_sndlib_native
    assert_located_error(reader, path, line=line, words=words)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("NODES (\n)\n", "not an SNDlib native file"),
        ("?SNDlib native format\nNODES (\n  A ( 1 2 )\n", "section NODES is not closed"),
        ("?SNDlib native format\nNODES (\n  A ( 1 )\n)\n", "cannot read this NODES line"),
        ("?SNDlib native format\nfoo\n", "expected a section"),
        (
            "?SNDlib native format\nNODES (\n  A ( 1 2 )\n  A ( 3 4 )\n)\nLINKS (\n)\n",
            "duplicate node id 'A'",
        ),
        (
            "?SNDlib native format\nNODES (\n A ( 1 2 )\n B ( 1 2 )\n)\nLINKS (\n"
            " L ( A B ) 1 2 3 ( 4 5 )\n)\n",
            "expected 4 numbers",
        ),
        (
            "?SNDlib native format\nNODES (\n A ( 1 2 )\n B ( 1 2 )\n)\nLINKS (\n"
            " L ( A B ) 1 2 3 4 ( 4 5 6 )\n)\n",
            "(capacity cost) pairs",
        ),
        ("?SNDlib native format\nMETA (\n  no equals sign\n)\n", "attribute = value"),
    ],
)
def test_bad_native_text(text: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        parse_sndlib_native(text, source="t.txt")
    assert words in str(info.value)
    assert info.value.path == "t.txt"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("<graphml/>", "not an SNDlib XML file"),
        ('<network xmlns="http://sndlib.zib.de/network"/>', "missing <networkStructure>"),
        ("<network><networkStructure/></network>", "missing <nodes>"),
        (
            "<network><networkStructure><nodes><node/></nodes></networkStructure></network>",
            "without an id",
        ),
        (
            '<network><networkStructure><nodes><node id="a"/></nodes></networkStructure></network>',
            "no <coordinates>",
        ),
        (
            '<network><networkStructure><nodes><node id="a"><coordinates><x>1</x></coordinates>'
            "</node></nodes></networkStructure></network>",
            "without <y>",
        ),
    ],
)
def test_bad_xml_text(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_sndlib_xml(text, source="t.xml")
