"""Node-link JSON reader, checked against networkx's own node_link_data output too."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from cleanpath.domain import CoordinateKind
from cleanpath.errors import InputError
from cleanpath.ingest.nodelink import parse_node_link, read_node_link

from .located import assert_located_error


def test_tiny_file(data_dir: Path) -> None:
    t = read_node_link(data_dir / "topologies" / "nodelink_tiny.json")
    assert t.name == "tiny-json"
    assert t.format == "node-link-json"
    assert t.coordinates == CoordinateKind.GEOGRAPHICAL
    nodes = {n.id: n for n in t.nodes}
    assert list(nodes) == ["fra", "ams", "7", "peer"]
    assert nodes["fra"].attrs == {"untrusted": True}
    assert (nodes["ams"].lat, nodes["ams"].lon, nodes["ams"].country) == (
        52.37,
        4.90,
        "Netherlands",
    )
    assert nodes["7"].hyperedge
    assert nodes["peer"].external
    assert nodes["peer"].label == "peer"
    assert nodes["peer"].attrs == {"asn": 64500}
    parallel = [lk for lk in t.links if (lk.src, lk.dst) == ("fra", "ams")]
    assert [(lk.capacity, lk.weight) for lk in parallel] == [(1e10, 10.0), (1e9, 20.0)]
    assert parallel[0].length == 360.5
    assert t.links[2].attrs == {"key": 0, "medium": "fibre"}
    assert [lk.id for lk in t.links] == ["e0", "e1", "e2", "x1"]


def test_edges_key_and_directed(data_dir: Path) -> None:
    t = read_node_link(data_dir / "topologies" / "nodelink_edges_directed.json")
    assert t.directed
    assert all(lk.directed for lk in t.links)
    assert t.coordinates == CoordinateKind.NONE
    assert [(lk.src, lk.dst, lk.weight) for lk in t.links] == [("0", "1", 1.5), ("1", "2", None)]


def test_reads_networkx_output() -> None:
    g = nx.MultiGraph(name="ref")
    g.add_node("a", lat=1.0, lon=2.0, label="A")
    g.add_node("b")
    g.add_edge("a", "b", capacity=5.0)
    g.add_edge("a", "b", capacity=7.0)
    doc = json.dumps(nx.node_link_data(g, edges="links"))
    t = parse_node_link(doc)
    assert t.name == "ref"
    assert [lk.capacity for lk in t.links] == [5.0, 7.0]
    assert t.nodes[0].label == "A"


@pytest.mark.parametrize(
    ("fixture", "field", "line", "words"),
    [
        ("malformed_nodelink_unknown_node.json", "links[1].target", None, "unknown node 'zz'"),
        ("malformed_nodelink_truncated.json", None, 3, "malformed JSON"),
        ("malformed_nodelink_bad_lat.json", "nodes[0].lat", None, "not a number"),
    ],
)
def test_malformed(
    data_dir: Path, fixture: str, field: str | None, line: int | None, words: str
) -> None:
    path = data_dir / "topologies" / fixture
    assert_located_error(read_node_link, path, line=line, field=field, words=words)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[]", "must be an object"),
        ('{"links": []}', "missing section 'nodes'"),
        ('{"nodes": []}', "missing section 'links' or 'edges'"),
        ('{"nodes": {}, "links": []}', "must be a list"),
        ('{"nodes": [1], "links": []}', "must be a JSON object"),
        ('{"nodes": [{"label": "x"}], "links": []}', "without an id"),
        ('{"nodes": [{"id": [1]}], "links": []}', "expected a node id"),
        ('{"nodes": [{"id": 1}, {"id": "1"}], "links": []}', "duplicate node id"),
        ('{"nodes": [{"id": 1, "lat": 95, "lon": 0}], "links": []}', "outside"),
        ('{"nodes": [{"id": 1, "external": "yes"}], "links": []}', "true/false"),
        ('{"nodes": [{"id": 1}], "links": [{"target": 1}]}', "without a source"),
        (
            '{"nodes": [{"id": 1}], "links": [{"source": 1, "target": 1, "weight": true}]}',
            "not a number",
        ),
        (
            '{"nodes": [{"id": 1}], "links": [{"source": 1, "target": 1, "capacity": -1}]}',
            "outside",
        ),
        ("[" * 100000, "malformed JSON"),
    ],
)
def test_bad_text(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_node_link(text, source="x.json")
