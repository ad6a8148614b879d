"""The network model: compact arrays that the analyses run on.

A :class:`Network` holds nodes in index order, a CSR adjacency of directed *arcs* (an
undirected link gives two arcs) with IGP weight, capacity and length per arc, the physical
link each arc belongs to, and one ``untrusted`` flag per node. It is immutable; what-if
changes make a new one with :meth:`Network.with_untrusted`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import networkx as nx
import numpy as np
import numpy.typing as npt

from cleanpath.domain import CoordinateKind, LinkRecord, NodeId, Topology
from cleanpath.errors import ModelError

__all__ = ["Network", "WeightSpec", "build_network", "haversine_km"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

WeightSpec = Literal["auto", "unit", "distance"] | str
"""``auto`` (the file's weight if it has one, else 1), ``unit``, ``distance`` (km between
coordinates, 1 where unknown) or the name of a link attribute."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km.

    >>> round(haversine_km(52.52, 13.40, 48.14, 11.58))
    504
    """
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, eq=False)
class Network:
    """Nodes, arcs (CSR) and trust flags.

    Arc ``a`` of node ``u`` lives at ``indptr[u] <= a < indptr[u + 1]`` and leads to
    ``indices[a]``; ``arc_link[a]`` is its physical link (``link_src``/``link_dst``).
    """

    name: str
    node_ids: tuple[NodeId, ...]
    labels: tuple[str, ...]
    lat: FloatArray
    lon: FloatArray
    external: BoolArray
    hyperedge: BoolArray
    indptr: IntArray
    indices: IntArray
    weight: FloatArray
    capacity: FloatArray
    length: FloatArray
    arc_link: IntArray
    link_src: IntArray
    link_dst: IntArray
    link_ids: tuple[str, ...]
    untrusted: BoolArray
    directed: bool = False
    coordinates: CoordinateKind = CoordinateKind.NONE
    attribution: str | None = None
    _index: dict[NodeId, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._index:
            self._index.update({nid: i for i, nid in enumerate(self.node_ids)})
        for arr in (self.indptr, self.indices, self.weight, self.untrusted):
            arr.setflags(write=False)

    # -- sizes and lookups -------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)

    @property
    def n_arcs(self) -> int:
        return int(self.indices.shape[0])

    @property
    def n_links(self) -> int:
        return int(self.link_src.shape[0])

    @property
    def integer_weights(self) -> bool:
        """True when every weight is a positive integer (bucket-queue Dijkstra applies)."""
        w = self.weight
        return bool(w.size == 0 or (np.all(w == np.floor(w)) and np.all(w >= 1)))

    def index_of(self, node: NodeId) -> int:
        """Index of a node id; raises :class:`ModelError` naming the id when unknown."""
        try:
            return self._index[str(node)]
        except KeyError:
            raise ModelError(f"unknown node id {node!r} (not in network {self.name!r})") from None

    def indices_of(self, nodes: Iterable[NodeId], *, field: str | None = None) -> IntArray:
        out = []
        for n in nodes:
            try:
                out.append(self._index[str(n)])
            except KeyError:
                raise ModelError(
                    f"unknown node id {n!r} (not in network {self.name!r})", field=field
                ) from None
        return np.asarray(out, dtype=np.int64)

    def has_node(self, node: NodeId) -> bool:
        return str(node) in self._index

    def neighbors(self, i: int) -> IntArray:
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    # -- what-if -------------------------------------------------------------------------
    def with_untrusted(self, untrusted: BoolArray | Iterable[NodeId]) -> Network:
        """A copy with a new set of untrusted nodes (a boolean mask or node ids)."""
        if isinstance(untrusted, np.ndarray) and untrusted.dtype == np.bool_:
            mask = untrusted.copy()
            if mask.shape != (self.n_nodes,):
                raise ModelError(f"untrusted mask has shape {mask.shape}, need ({self.n_nodes},)")
        else:
            mask = np.zeros(self.n_nodes, dtype=np.bool_)
            mask[self.indices_of(untrusted, field="untrusted")] = True
        return replace(self, untrusted=mask, _index=self._index)

    def untrusted_ids(self) -> list[NodeId]:
        return [self.node_ids[i] for i in np.flatnonzero(self.untrusted)]

    # -- interop -----------------------------------------------------------------------
    def _symmetric(self) -> bool:
        """True when every arc u -> v has a reverse arc v -> u of the same weight/capacity."""
        tails = np.repeat(np.arange(self.n_nodes), np.diff(self.indptr))
        fwd = set(zip(tails.tolist(), self.indices.tolist(), self.weight.tolist(),
                      self.capacity.tolist(), strict=True))  # fmt: skip
        return all((v, u, w, c) in fwd for u, v, w, c in fwd)

    def to_networkx(self) -> nx.Graph | nx.DiGraph:
        """A networkx graph with node attrs (label, lat, lon, untrusted, ...) and, per
        node pair, the smallest arc weight (parallel links merged: capacities summed).
        A DiGraph when the network is directed or has one-way arcs (directed links)."""
        directed = self.directed or not self._symmetric()
        g: nx.Graph | nx.DiGraph = nx.DiGraph() if directed else nx.Graph()
        g.graph["name"] = self.name
        g.graph["coordinates"] = self.coordinates.value
        if self.attribution is not None:
            g.graph["attribution"] = self.attribution
        for i, nid in enumerate(self.node_ids):
            g.add_node(
                nid,
                label=self.labels[i],
                lat=None if np.isnan(self.lat[i]) else float(self.lat[i]),
                lon=None if np.isnan(self.lon[i]) else float(self.lon[i]),
                untrusted=bool(self.untrusted[i]),
                external=bool(self.external[i]),
                hyperedge=bool(self.hyperedge[i]),
            )
        for u in range(self.n_nodes):
            for a in range(int(self.indptr[u]), int(self.indptr[u + 1])):
                v = int(self.indices[a])
                uid, vid = self.node_ids[u], self.node_ids[v]
                g.add_edge(
                    uid,
                    vid,
                    weight=float(self.weight[a]),
                    capacity=float(self.capacity[a]),
                    length=float(self.length[a]),
                )
        return g

    @classmethod
    def from_networkx(
        cls, g: nx.Graph, *, weight: str = "weight", name: str | None = None
    ) -> Network:
        """Build from a networkx graph; node attr ``untrusted`` sets trust, edge attrs
        ``weight`` (or the one named), ``capacity`` and ``length`` and graph attrs
        ``coordinates`` and ``attribution`` are read when present."""
        from cleanpath.domain import NodeRecord

        nodes = []
        for n, d in g.nodes(data=True):
            lat, lon = d.get("lat"), d.get("lon")
            nodes.append(
                NodeRecord(
                    id=str(n),
                    label=str(d.get("label", n)),
                    lat=None if lat is None else float(lat),
                    lon=None if lon is None else float(lon),
                    external=bool(d.get("external", False)),
                    hyperedge=bool(d.get("hyperedge", False)),
                )
            )
        links = []
        edges = g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True)
        for k, e in enumerate(edges):
            u, v, d = e[0], e[1], e[-1]
            w = d.get(weight)
            links.append(
                LinkRecord(
                    id=str(k),
                    src=str(u),
                    dst=str(v),
                    capacity=d.get("capacity"),
                    weight=None if w is None else float(w),
                    length=d.get("length"),
                    directed=g.is_directed(),
                )
            )
        topo = Topology(
            name=name or str(g.graph.get("name", "network")),
            nodes=tuple(nodes),
            links=tuple(links),
            directed=g.is_directed(),
        )
        try:
            coordinates = CoordinateKind(g.graph.get("coordinates", CoordinateKind.NONE))
        except ValueError:
            raise ModelError(
                f"unknown coordinates kind {g.graph['coordinates']!r}", field="coordinates"
            ) from None
        topo = replace(topo, coordinates=coordinates, attribution=g.graph.get("attribution"))
        untrusted = [str(n) for n, d in g.nodes(data=True) if d.get("untrusted")]
        return build_network(topo, weight="auto", untrusted=untrusted)


def _link_weight(
    link: LinkRecord, spec: WeightSpec, dist_km: float | None, has_file_weight: bool
) -> float:
    if spec == "unit":
        return 1.0
    if spec == "distance":
        return max(dist_km, 1e-3) if dist_km is not None else 1.0
    if spec == "auto":
        if has_file_weight and link.weight is not None:
            return float(link.weight)
        return 1.0
    value = link.attrs.get(spec)
    if value is None and spec == "weight":
        value = link.weight
    if value is None:
        raise ModelError(f"link {link.id!r} has no attribute {spec!r}", field="weight")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ModelError(
            f"link {link.id!r}: attribute {spec!r} is not a number: {value!r}", field="weight"
        ) from None


def build_network(
    topology: Topology,
    *,
    weight: WeightSpec = "auto",
    untrusted: Iterable[NodeId] | None = None,
    parallel: Literal["merge", "keep"] = "merge",
    progress: Callable[[int, int], None] | None = None,
) -> Network:
    """Build the array model of ``topology``.

    Parallel links between the same pair are merged into one arc per direction (weight: the
    smallest, capacity: the sum, length: the smallest) with ``parallel="merge"``, or kept as
    separate arcs with ``"keep"``. Self-loops are dropped (they never lie on a shortest path).
    Weights must be positive.

    >>> from cleanpath.domain import NodeRecord, LinkRecord, Topology
    >>> nodes = (NodeRecord("a", "A"), NodeRecord("b", "B"))
    >>> t = Topology("t", nodes, (LinkRecord("l", "a", "b"),))
    >>> net = build_network(t)
    >>> net.n_nodes, net.n_arcs, float(net.weight[0])
    (2, 2, 1.0)
    """
    if parallel not in ("merge", "keep"):
        raise ModelError(f"parallel must be 'merge' or 'keep', not {parallel!r}", field="parallel")
    if not topology.nodes:
        raise ModelError(f"network {topology.name!r} has no nodes")
    ids = [n.id for n in topology.nodes]
    index: dict[NodeId, int] = {}
    for i, nid in enumerate(ids):
        if nid in index:
            raise ModelError(f"duplicate node id {nid!r}", line=topology.nodes[i].line)
        index[nid] = i
    n = len(ids)
    lat = np.array([np.nan if x.lat is None else x.lat for x in topology.nodes], dtype=np.float64)
    lon = np.array([np.nan if x.lon is None else x.lon for x in topology.nodes], dtype=np.float64)
    has_file_weight = any(lk.weight is not None for lk in topology.links)
    geo = topology.coordinates == CoordinateKind.GEOGRAPHICAL

    # (u, v) -> [weight, capacity, length, link index] merged per direction
    arcs: dict[tuple[int, int] | tuple[int, int, int], list[float]] = {}
    link_src: list[int] = []
    link_dst: list[int] = []
    link_ids: list[str] = []
    total = len(topology.links)
    for k, lk in enumerate(topology.links):
        if progress is not None and k % 4096 == 0:
            progress(k, total)
        try:
            u, v = index[lk.src], index[lk.dst]
        except KeyError as exc:
            raise ModelError(
                f"link {lk.id!r} names unknown node {exc.args[0]!r}", line=lk.line
            ) from None
        if u == v:
            continue
        dist = None
        if lk.length is not None:
            dist = float(lk.length)
        elif geo and not (np.isnan(lat[u]) or np.isnan(lat[v])):
            dist = haversine_km(lat[u], lon[u], lat[v], lon[v])
        w = _link_weight(lk, weight, dist, has_file_weight)
        if not (w > 0 and math.isfinite(w)):
            raise ModelError(f"link {lk.id!r} has weight {w!r}; weights must be > 0", line=lk.line)
        cap = math.inf if lk.capacity is None else float(lk.capacity)
        length = math.nan if dist is None else dist
        li = len(link_ids)
        link_ids.append(lk.id)
        link_src.append(u)
        link_dst.append(v)
        directions = [(u, v)] if (lk.directed or topology.directed) else [(u, v), (v, u)]
        for a, b in directions:
            key: tuple[int, int] | tuple[int, int, int] = (
                (a, b) if parallel == "merge" else (a, b, li)
            )
            cur = arcs.get(key)
            if cur is None:
                arcs[key] = [w, cap, length, float(li)]
            else:
                if w < cur[0]:
                    cur[0], cur[3] = w, float(li)
                cur[1] += cap
                cur[2] = length if math.isnan(cur[2]) else min(cur[2], length)
    keys = sorted(arcs)
    src = np.fromiter((k[0] for k in keys), dtype=np.int64, count=len(keys))
    dst = np.fromiter((k[1] for k in keys), dtype=np.int64, count=len(keys))
    vals = np.array([arcs[k] for k in keys], dtype=np.float64).reshape(-1, 4)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, src + 1, 1)
    np.cumsum(indptr, out=indptr)
    mask = np.zeros(n, dtype=np.bool_)
    net = Network(
        name=topology.name,
        node_ids=tuple(ids),
        labels=tuple(x.label for x in topology.nodes),
        lat=lat,
        lon=lon,
        external=np.array([x.external for x in topology.nodes], dtype=np.bool_),
        hyperedge=np.array([x.hyperedge for x in topology.nodes], dtype=np.bool_),
        indptr=indptr,
        indices=dst,
        weight=vals[:, 0].copy(),
        capacity=vals[:, 1].copy(),
        length=vals[:, 2].copy(),
        arc_link=vals[:, 3].astype(np.int64),
        link_src=np.asarray(link_src, dtype=np.int64),
        link_dst=np.asarray(link_dst, dtype=np.int64),
        link_ids=tuple(link_ids),
        untrusted=mask,
        directed=topology.directed,
        coordinates=topology.coordinates,
        attribution=topology.attribution,
    )
    if untrusted is not None:
        net = net.with_untrusted(list(untrusted))
    return net


def node_attr_table(net: Network) -> Sequence[Mapping[str, Any]]:
    """Rows ``{id, label, lat, lon, untrusted}`` per node, in index order."""
    return [
        {
            "id": net.node_ids[i],
            "label": net.labels[i],
            "lat": None if np.isnan(net.lat[i]) else float(net.lat[i]),
            "lon": None if np.isnan(net.lon[i]) else float(net.lon[i]),
            "untrusted": bool(net.untrusted[i]),
        }
        for i in range(net.n_nodes)
    ]
