"""GraphML reader on our Zoo-style and plain fixtures (and networkx as the reference)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from cleanpath.domain import CoordinateKind
from cleanpath.errors import InputError
from cleanpath.ingest.graphml import ZOO_CITATION, parse_graphml, read_graphml
from cleanpath.model.network import build_network

from .located import assert_located_error


@pytest.fixture(scope="module")
def zoo(data_dir: Path):
    return read_graphml(data_dir / "topologies" / "zoo_tiny.graphml")


def test_nodes_keep_string_ids_and_flags(zoo) -> None:
    nodes = {n.id: n for n in zoo.nodes}
    assert list(nodes) == ["0", "1", "2", "3", "4", "5"]
    assert nodes["0"].lat == pytest.approx(52.52)
    assert nodes["0"].lon == pytest.approx(13.40)
    assert nodes["0"].country == "Germany"
    assert nodes["3"].hyperedge
    assert not nodes["3"].external
    assert nodes["4"].external
    assert not nodes["4"].hyperedge
    assert nodes["5"].lat is None
    assert nodes["5"].lon is None
    assert nodes["0"].line is not None
    assert nodes["0"].line < nodes["1"].line


def test_repeated_and_none_labels_made_unique(zoo) -> None:
    nodes = {n.id: n for n in zoo.nodes}
    assert nodes["0"].label == "Berlin"
    assert "original_label" not in nodes["0"].attrs
    assert nodes["2"].label == "Berlin (2)"
    assert nodes["5"].label == "Berlin (3)"
    assert nodes["2"].attrs["original_label"] == "Berlin"
    assert nodes["3"].label == "3"
    assert nodes["3"].attrs["original_label"] == "None"
    assert len({n.label for n in zoo.nodes}) == len(zoo.nodes)


def test_parallel_edges_kept_with_their_own_speeds(zoo) -> None:
    pair = [lk for lk in zoo.links if {lk.src, lk.dst} == {"0", "1"}]
    assert [lk.capacity for lk in pair] == [1e9, 10e9]
    assert pair[0].attrs["capacity_basis"] == "LinkSpeedRaw"
    assert pair[1].attrs["capacity_basis"] == "LinkSpeed+LinkSpeedUnits"
    assert len({lk.id for lk in zoo.links}) == len(zoo.links)
    net = build_network(zoo)
    assert net.n_links == len(zoo.links) - 1  # the self-loop is dropped by the model
    i, j = net.index_of("0"), net.index_of("1")
    arcs = range(int(net.indptr[i]), int(net.indptr[i + 1]))
    assert [float(net.capacity[a]) for a in arcs if net.indices[a] == j] == [11e9]


def test_capacity_from_free_text(zoo) -> None:
    by_pair = {(lk.src, lk.dst): lk for lk in zoo.links}
    stm16 = by_pair[("1", "2")]
    assert stm16.capacity == pytest.approx(2488.32e6)
    assert "STM-16" in stm16.attrs["capacity_basis"]
    assert by_pair[("2", "3")].capacity == 10e9
    assert by_pair[("0", "5")].capacity is None  # a range is not a capacity
    assert by_pair[("3", "4")].capacity is None
    assert "capacity_basis" not in by_pair[("3", "4")].attrs


def test_self_loop_tolerated(zoo) -> None:
    assert any(lk.src == lk.dst == "5" for lk in zoo.links)


def test_graph_meta_coordinates_and_attribution(zoo) -> None:
    assert zoo.name == "zoo_tiny"
    assert zoo.meta["Network"] == "TinyNet"
    assert zoo.meta["Backbone"] == 1
    assert zoo.coordinates == CoordinateKind.GEOGRAPHICAL
    assert zoo.format == "graphml"
    assert not zoo.directed
    assert zoo.attribution is not None
    assert "TinyNet" in zoo.attribution
    assert "CC BY 4.0" in zoo.attribution
    assert ZOO_CITATION in zoo.attribution
    assert "29(9)" in ZOO_CITATION


def test_matches_networkx_reference(data_dir: Path) -> None:
    path = data_dir / "topologies" / "zoo_tiny.graphml"
    ref = nx.read_graphml(path)
    ours = read_graphml(path)
    assert [n.id for n in ours.nodes] == list(ref.nodes)
    assert ref.number_of_edges() == len(ours.links)
    assert sorted((lk.src, lk.dst) for lk in ours.links) == sorted(
        (u, v) for u, v, _ in ref.edges(keys=True)
    )


def test_plain_directed_graphml_with_weights(data_dir: Path) -> None:
    t = read_graphml(data_dir / "topologies" / "plain_directed.graphml")
    assert t.directed
    assert t.attribution is None
    assert t.coordinates == CoordinateKind.NONE
    assert [(lk.id, lk.weight, lk.directed) for lk in t.links] == [
        ("ab", 2.5, True),
        ("bc", 1.0, True),  # the key's default
        ("ca", 4.0, False),  # per-edge directed="false"
    ]
    assert t.links[1].attrs["color"] == "red"
    assert [n.label for n in t.nodes] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("fixture", "line", "words"),
    [
        ("malformed_truncated.graphml", None, "malformed XML"),
        ("malformed_bad_latitude.graphml", 35, "not a number"),
        ("malformed_unknown_node.graphml", 86, "unknown node '99'"),
    ],
)
def test_malformed_files_name_file_and_line(
    data_dir: Path, fixture: str, line: int | None, words: str
) -> None:
    path = data_dir / "topologies" / fixture
    err = assert_located_error(read_graphml, path, words=words)
    assert err.line is not None
    if line is not None:
        assert err.line == line
    if fixture == "malformed_truncated.graphml":
        assert err.field == "node"  # the element that was open when the text ended


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("<root/>", "not GraphML"),
        ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"/>', "without a <graph>"),
        ("<graphml><graph><node/></graph></graphml>", "without an id"),
        ('<graphml><graph><node id="a"/><node id="a"/></graph></graphml>', "duplicate node"),
        ('<graphml><graph><node id="a"/><edge source="a"/></graph></graphml>', "target"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><graphml/>', "entity"),
        ("", "malformed XML"),
    ],
)
def test_bad_graphml_text(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_graphml(text, source="x.graphml")


def test_none_label_colliding_with_a_real_label() -> None:
    doc = """<graphml><key id="l" for="node" attr.name="label" attr.type="string"/><graph>
    <node id="7"><data key="l">7</data></node><node id="n"><data key="l">7 (2)</data></node>
    <node id="8"><data key="l">None</data></node><node id="9"><data key="l">7</data></node>
    </graph></graphml>"""
    labels = [n.label for n in parse_graphml(doc).nodes]
    assert labels == ["7", "7 (2)", "8", "7 (3)"]


def test_unsupported_elements_are_counted() -> None:
    doc = """<graphml><graph><node id="a"><graph id="inner"/></node><node id="b"/>
    <hyperedge><endpoint node="a"/><endpoint node="b"/></hyperedge></graph></graphml>"""
    t = parse_graphml(doc)
    assert [n.id for n in t.nodes] == ["a", "b"]
    assert t.meta["ignored_elements"] == {"hyperedge": 1, "nested graph": 1}
