"""GraphML reader, with the Internet Topology Zoo conventions.

Every ``<edge>`` becomes its own :class:`LinkRecord` (parallel circuits stay parallel, each
with its own speed). Zoo quirks handled here: string node ids, repeated and literal
``"None"`` labels, ``Internal=0`` external nodes, ``hyperedge=1`` cloud nodes, missing
coordinates, and link speed as ``LinkSpeedRaw``, ``LinkSpeed`` + ``LinkSpeedUnits`` or free
text in ``LinkLabel``/``LinkType``. Plain GraphML works too (directed graphs, a ``weight`` key).

>>> doc = '''<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
... <key id="w" for="edge" attr.name="weight" attr.type="double"/>
... <graph edgedefault="directed"><node id="a"/><node id="b"/>
... <edge source="a" target="b"><data key="w">3</data></edge></graph></graphml>'''
>>> t = parse_graphml(doc, name="tiny")
>>> t.directed, [n.id for n in t.nodes], t.links[0].weight, t.attribution
(True, ['a', 'b'], 3.0, None)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.errors import InputError
from cleanpath.ingest._common import coordinate_kind, parse_number, read_with, stem_of
from cleanpath.ingest._linkspeed import parse_link_speed
from cleanpath.ingest._xml import Element, parse_xml

__all__ = ["ZOO_CITATION", "parse_graphml", "read_graphml", "zoo_attribution"]

ZOO_CITATION = (
    'S. Knight, H. X. Nguyen, N. Falkner, R. Bowden and M. Roughan, "The Internet Topology '
    'Zoo", IEEE Journal on Selected Areas in Communications 29(9), 2011'
)
_SPEED_UNITS = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
_ZOO_GRAPH_KEYS = ("Network", "Source")


def zoo_attribution(network: str) -> str:
    """The CC BY 4.0 attribution line for a Topology Zoo network.

    >>> zoo_attribution("Abilene").startswith('"Abilene" from The Internet Topology Zoo')
    True
    """
    return (
        f'"{network}" from The Internet Topology Zoo (topology-zoo.org), licensed under '
        f"CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Cite: {ZOO_CITATION}."
    )


@dataclass(frozen=True, slots=True)
class _Key:
    name: str
    domain: str
    type: str
    default: str | None


def _typed(value: str, kind: str) -> Any:
    """A GraphML value converted by its declared type; text that does not convert stays text."""
    try:
        if kind in ("int", "long", "integer"):
            return int(value)
        if kind in ("float", "double"):
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return value.strip().lower() in ("true", "1")
    return value


def _read_keys(root: Element, source: str | None) -> dict[str, _Key]:
    keys: dict[str, _Key] = {}
    for k in root.iter("key"):
        kid = k.attrs.get("id")
        if kid is None:
            raise InputError("<key> without an id", path=source, line=k.line, field="key")
        default = k.find("default")
        keys[kid] = _Key(
            name=k.attrs.get("attr.name", kid),
            domain=k.attrs.get("for", "all"),
            type=k.attrs.get("attr.type", "string"),
            default=None if default is None else default.text,
        )
    return keys


class _Raw(dict[str, str]):
    """Raw ``<data>`` text by attribute name, with the line of each value."""

    def __init__(self, elem: Element) -> None:
        super().__init__()
        self.line = elem.line
        self.lines: dict[str, int] = {}

    def where(self, name: str) -> int:
        return self.lines.get(name, self.line)


def _data(elem: Element, keys: Mapping[str, _Key], domain: str) -> _Raw:
    """Raw text of each ``<data>`` child by attribute name, key defaults filled in."""
    out = _Raw(elem)
    for k in keys.values():
        if k.default is not None and k.domain in (domain, "all"):
            out[k.name] = k.default
    for d in elem.iter("data"):
        kid = d.attrs.get("key", "")
        key = keys.get(kid)
        name = key.name if key is not None else kid
        out[name] = d.text
        out.lines[name] = d.line
    return out


def _attrs(raw: Mapping[str, str], keys: Mapping[str, _Key], domain: str) -> dict[str, Any]:
    types = {k.name: k.type for k in keys.values() if k.domain in (domain, "all")}
    return {name: _typed(value, types.get(name, "string")) for name, value in raw.items()}


def _num(
    raw: _Raw,
    names: tuple[str, ...],
    source: str | None,
    lo: float | None = None,
    hi: float | None = None,
) -> float | None:
    """The first non-blank value among ``names`` as a number (errors name its line)."""
    for name in names:
        value = raw.get(name)
        if value is not None and value.strip() != "":
            return parse_number(
                value, source=source, line=raw.where(name), field=name, lo=lo, hi=hi
            )
    return None


def _node(e: Element, keys: Mapping[str, _Key], source: str | None) -> NodeRecord:
    raw = _data(e, keys, "node")
    lat = _num(raw, ("Latitude", "latitude", "lat"), source, -90.0, 90.0)
    lon = _num(raw, ("Longitude", "longitude", "lon"), source, -180.0, 180.0)
    if lat is None or lon is None:
        lat = lon = None
    return NodeRecord(
        id=e.attrs["id"],
        label=raw.get("label") or e.attrs["id"],
        lat=lat,
        lon=lon,
        external=_num(raw, ("Internal",), source) == 0,
        hyperedge=_num(raw, ("hyperedge",), source) == 1,
        country=raw.get("Country") or raw.get("country") or None,
        line=e.line,
        attrs=_attrs(raw, keys, "node"),
    )


def _capacity(raw: _Raw, source: str | None) -> tuple[float, str] | None:
    """Capacity in bit/s and the basis it was read from, or None."""
    for name in ("LinkSpeedRaw", "capacity"):
        value = _num(raw, (name,), source, lo=0.0)
        if value is not None:
            return value, name
    units = (raw.get("LinkSpeedUnits") or "").strip().upper()
    speed = _num(raw, ("LinkSpeed",), source, lo=0.0) if units in _SPEED_UNITS else None
    if speed is not None:
        return speed * _SPEED_UNITS[units], "LinkSpeed+LinkSpeedUnits"
    for name in ("LinkLabel", "LinkType"):
        parsed = parse_link_speed(raw.get(name) or "")
        if parsed is not None:
            return parsed[0], f"{name} text {parsed[1]!r}"
    return None


def _link(
    e: Element, lid: str, keys: Mapping[str, _Key], directed: bool, source: str | None
) -> LinkRecord:
    raw = _data(e, keys, "edge")
    attrs = _attrs(raw, keys, "edge")
    cap = _capacity(raw, source)
    if cap is not None:
        attrs["capacity_basis"] = cap[1]
    flag = e.attrs.get("directed")
    return LinkRecord(
        id=lid,
        src=e.attrs["source"],
        dst=e.attrs["target"],
        capacity=None if cap is None else cap[0],
        weight=_num(raw, ("weight",), source),
        length=_num(raw, ("length",), source, lo=0.0),
        directed=directed if flag is None else flag.strip().lower() == "true",
        line=e.line,
        attrs=attrs,
    )


def _unique_labels(nodes: list[NodeRecord]) -> list[NodeRecord]:
    """Replace literal ``"None"`` labels by the node id and number repeated labels
    ``"X (2)"``, ``"X (3)"``; the label as written is kept in ``attrs["original_label"]``."""
    plain = [n.id if n.label == "None" else n.label for n in nodes]
    taken = set(plain)
    first: set[str] = set()
    counts: dict[str, int] = {}
    out = []
    for n, label in zip(nodes, plain, strict=True):
        new = label
        if label in first:
            k = counts.get(label, 1) + 1
            while f"{label} ({k})" in taken:
                k += 1
            counts[label] = k
            new = f"{label} ({k})"
            taken.add(new)
        first.add(label)
        if new != n.label:
            attrs = {**n.attrs, "original_label": n.label}
            n = replace(n, label=new, attrs=attrs)
        out.append(n)
    return out


def _nodes(graph: Element, keys: Mapping[str, _Key], source: str | None) -> list[NodeRecord]:
    nodes: list[NodeRecord] = []
    seen: set[str] = set()
    for e in graph.iter("node"):
        nid = e.attrs.get("id")
        if nid is None:
            raise InputError("<node> without an id", path=source, line=e.line, field="node")
        if nid in seen:
            raise InputError(f"duplicate node id {nid!r}", path=source, line=e.line, field="node")
        seen.add(nid)
        nodes.append(_node(e, keys, source))
    return _unique_labels(nodes)


def _links(
    graph: Element, keys: Mapping[str, _Key], ids: set[str], directed: bool, source: str | None
) -> list[LinkRecord]:
    links: list[LinkRecord] = []
    used: set[str] = set()
    for k, e in enumerate(graph.iter("edge")):
        for end in ("source", "target"):
            nid = e.attrs.get(end)
            if nid is None:
                raise InputError(f"<edge> without a {end}", path=source, line=e.line, field="edge")
            if nid not in ids:
                raise InputError(
                    f"edge names unknown node {nid!r}",
                    path=source,
                    line=e.line,
                    field=f"edge {end}",
                )
        lid = e.attrs.get("id") or f"e{k}"
        while lid in used:
            lid = f"{lid}#{k}"
        used.add(lid)
        links.append(_link(e, lid, keys, directed, source))
    return links


def parse_graphml(
    data: str | bytes, *, source: str | None = None, name: str | None = None
) -> Topology:
    """Parse GraphML text into a :class:`Topology` (see the module docs for the rules)."""
    root = parse_xml(data, source=source, root="graphml", what="GraphML")
    keys = _read_keys(root, source)
    graph = root.find("graph")
    if graph is None:
        raise InputError(
            "GraphML without a <graph> element", path=source, line=root.line, field="graphml"
        )
    directed = graph.attrs.get("edgedefault", "undirected") == "directed"
    meta = _attrs(_data(graph, keys, "graph"), keys, "graph")
    nodes = _nodes(graph, keys, source)
    links = _links(graph, keys, {n.id for n in nodes}, directed, source)
    ignored = Counter(c.tag for c in graph.children if c.tag not in ("data", "node", "edge"))
    ignored.update("nested graph" for e in graph.iter("node") if e.find("graph") is not None)
    if ignored:  # e.g. GraphML <hyperedge> elements: counted, not read
        meta["ignored_elements"] = dict(ignored)
    zoo = all(k in meta for k in _ZOO_GRAPH_KEYS)
    network = str(meta.get("Network") or meta.get("label") or "")
    title = name or stem_of(source, "") or network or "graphml"
    return Topology(
        name=title,
        nodes=tuple(nodes),
        links=tuple(links),
        directed=directed,
        coordinates=coordinate_kind(nodes),
        source=source,
        format="graphml",
        attribution=zoo_attribution(network or title) if zoo else None,
        meta=meta,
    )


def read_graphml(path: str | Path) -> Topology:
    """Read a GraphML file (e.g. a Topology Zoo ``.graphml``); errors name the file."""
    return read_with(parse_graphml, path)
