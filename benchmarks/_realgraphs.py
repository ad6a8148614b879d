"""Readers for the shared real graphs that have no reader in the package (benchmark only).

Rocketfuel ``.cch`` router maps (largest component), Rocketfuel ``weights.intra`` (directed
``src dst weight`` lines, both directions listed) and the SNAP AS edge list (self-loops
removed). Formats as described in ``shared/notes/topology-formats.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.model.network import Network, build_network

TOPOLOGIES = Path(__file__).resolve().parents[2] / "shared" / "data" / "topologies"
_CCH = re.compile(r"^(\d+)\s.*?->\s*(.*?)\s*=")
_NBR = re.compile(r"<(\d+)>")


def _topology(name: str, g: nx.Graph, weight: bool) -> Topology:
    nodes = tuple(NodeRecord(str(v), str(v)) for v in sorted(g, key=str))
    links = tuple(
        LinkRecord(str(k), str(u), str(v), weight=float(d["weight"]) if weight else None)
        for k, (u, v, d) in enumerate(
            sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
        )
    )
    return Topology(name, nodes, links)


def largest_component(g: nx.Graph) -> nx.Graph:
    return g.subgraph(max(nx.connected_components(g), key=len)).copy()


def parse_cch(text: str) -> nx.Graph:
    """Router-level adjacency of a Rocketfuel ``.cch`` map (neighbours in ``<...>``; external
    ``{...}`` links and neighbours without a line of their own are kept as bare nodes)."""
    g = nx.Graph()
    for line in text.splitlines():
        m = _CCH.match(line)
        if m is None:
            continue
        u = int(m.group(1))
        g.add_node(u)
        for v in _NBR.findall(m.group(2)):
            if int(v) != u:
                g.add_edge(u, int(v))
    return g


def read_cch(asn: int) -> Network:
    """Largest component of Rocketfuel map ``asn`` (unit weights: the map has none)."""
    g = largest_component(
        parse_cch((TOPOLOGIES / "rocketfuel/cch-r0" / f"{asn}.r0.cch").read_text())
    )
    return build_network(_topology(f"rocketfuel-{asn}", g, weight=False))


def read_weights_intra(asn: int) -> Network:
    """Rocketfuel inferred IGP weights (``weights.intra``), largest component; the weight of
    a pair is the smallest listed for either direction (they are symmetric in the data)."""
    g = nx.Graph()
    path = TOPOLOGIES / "rocketfuel/weights-dist" / str(asn) / "weights.intra"
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[0] == parts[1]:
            continue
        u, v, w = parts[0], parts[1], float(parts[2])
        if not g.has_edge(u, v) or w < g[u][v]["weight"]:
            g.add_edge(u, v, weight=w)
    return build_network(_topology(f"rocketfuel-{asn}-weights", largest_component(g), weight=True))


def read_snap_as() -> Network:
    """SNAP as20000102 (6,474 ASes), self-loops removed, unit weights."""
    g = nx.Graph()
    path = TOPOLOGIES / "large/snap-as733/as20000102.txt"
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        a, b = line.split()[:2]
        if a != b:
            g.add_edge(int(a), int(b))
    return build_network(_topology("snap-as20000102", largest_component(g), weight=False))
