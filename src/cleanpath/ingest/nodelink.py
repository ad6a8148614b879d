"""Node-link JSON reader (the shape of ``networkx.node_link_data``).

``{"directed": bool, "multigraph": bool, "graph": {...}, "nodes": [{"id": ..., ...}],
"links" | "edges": [{"source": ..., "target": ..., ...}]}``. Known node attributes are
``label``, ``lat``/``lon`` (or ``latitude``/``longitude``), ``external``, ``hyperedge`` and
``country``; known link attributes ``id``, ``weight``, ``capacity``, ``length`` and
``directed``. Everything else (e.g. ``untrusted``) is kept in ``attrs``. JSON has no line
numbers per record, so errors name the record as ``field`` (e.g. ``nodes[3].lat``).

>>> t = parse_node_link('{"nodes": [{"id": 1, "lat": 52.5, "lon": 13.4}, {"id": 2}],'
...                     ' "links": [{"source": 1, "target": 2, "capacity": 10}]}')
>>> [n.id for n in t.nodes], t.nodes[0].lat, t.links[0].capacity, t.coordinates.value
(['1', '2'], 52.5, 10.0, 'geographical')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.errors import InputError
from cleanpath.ingest._common import (
    coordinate_kind,
    decode_text,
    parse_number,
    read_with,
    stem_of,
)

__all__ = ["parse_node_link", "read_node_link"]

_NODE_KEYS = {
    "id",
    "label",
    "lat",
    "lon",
    "latitude",
    "longitude",
    "external",
    "hyperedge",
    "country",
}
_LINK_KEYS = {"id", "source", "target", "weight", "capacity", "length", "directed"}


class _Ctx:
    def __init__(self, source: str | None) -> None:
        self.source = source

    def error(self, message: str, where: str) -> InputError:
        return InputError(message, path=self.source, field=where)

    def number(
        self, value: Any, where: str, lo: float | None = None, hi: float | None = None
    ) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.error(f"not a number: {value!r}", where)
        return parse_number(str(value), source=self.source, line=None, field=where, lo=lo, hi=hi)

    def flag(self, value: Any, where: str) -> bool:
        if value is None:
            return False
        if isinstance(value, bool) or value in (0, 1):
            return bool(value)
        raise self.error(f"expected true/false, found {value!r}", where)

    def ident(self, value: Any, where: str) -> str:
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
        raise self.error(f"expected a node id (string or integer), found {value!r}", where)


def _node(ctx: _Ctx, d: Any, where: str) -> NodeRecord:
    if not isinstance(d, dict):
        raise ctx.error("a node must be a JSON object", where)
    if "id" not in d:
        raise ctx.error("node without an id", where)
    nid = ctx.ident(d["id"], f"{where}.id")
    lat = ctx.number(d.get("lat", d.get("latitude")), f"{where}.lat", -90, 90)
    lon = ctx.number(d.get("lon", d.get("longitude")), f"{where}.lon", -180, 180)
    if lat is None or lon is None:
        lat = lon = None
    label, country = d.get("label"), d.get("country")
    return NodeRecord(
        id=nid,
        label=nid if label is None or label == "" else str(label),
        lat=lat,
        lon=lon,
        external=ctx.flag(d.get("external"), f"{where}.external"),
        hyperedge=ctx.flag(d.get("hyperedge"), f"{where}.hyperedge"),
        country=None if country is None else str(country),
        attrs={k: v for k, v in d.items() if k not in _NODE_KEYS},
    )


def _link(ctx: _Ctx, d: Any, k: int, where: str, ids: set[str], directed: bool) -> LinkRecord:
    if not isinstance(d, dict):
        raise ctx.error("a link must be a JSON object", where)
    ends = []
    for end in ("source", "target"):
        if end not in d:
            raise ctx.error(f"link without a {end}", where)
        nid = ctx.ident(d[end], f"{where}.{end}")
        if nid not in ids:
            raise ctx.error(f"link names unknown node {nid!r}", f"{where}.{end}")
        ends.append(nid)
    flag = d.get("directed")
    return LinkRecord(
        id=str(d["id"]) if d.get("id") is not None else f"e{k}",
        src=ends[0],
        dst=ends[1],
        capacity=ctx.number(d.get("capacity"), f"{where}.capacity", 0, float("inf")),
        weight=ctx.number(d.get("weight"), f"{where}.weight"),
        length=ctx.number(d.get("length"), f"{where}.length", 0, float("inf")),
        directed=directed if flag is None else ctx.flag(flag, f"{where}.directed"),
        attrs={k: v for k, v in d.items() if k not in _LINK_KEYS},
    )


def _load(data: str | bytes, source: str | None) -> dict[str, Any]:
    try:
        doc = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", path=source, line=exc.lineno) from None
    except RecursionError:
        raise InputError("malformed JSON: nested too deeply", path=source) from None
    except ValueError as exc:  # an integer of more than 4300 digits
        raise InputError(f"malformed JSON: {exc}", path=source) from None
    if not isinstance(doc, dict):
        raise InputError("node-link JSON must be an object", path=source, line=1)
    return doc


def _section(ctx: _Ctx, doc: Mapping[str, Any], *names: str) -> tuple[str, list[Any]]:
    for name in names:
        if name in doc:
            if not isinstance(doc[name], list):
                raise ctx.error(f"{name!r} must be a list", name)
            return name, doc[name]
    raise ctx.error(f"missing section {' or '.join(map(repr, names))}", names[0])


def parse_node_link(
    data: str | bytes, *, source: str | None = None, name: str | None = None
) -> Topology:
    """Parse node-link JSON into a :class:`Topology` (parallel links are kept)."""
    doc = _load(data, source)
    ctx = _Ctx(source)
    directed = ctx.flag(doc.get("directed"), "directed")
    graph = doc.get("graph") or {}
    meta = dict(graph) if isinstance(graph, dict) else {"graph": graph}
    nodes: list[NodeRecord] = []
    ids: set[str] = set()
    for i, d in enumerate(_section(ctx, doc, "nodes")[1]):
        node = _node(ctx, d, f"nodes[{i}]")
        if node.id in ids:
            raise ctx.error(f"duplicate node id {node.id!r}", f"nodes[{i}].id")
        ids.add(node.id)
        nodes.append(node)
    key, raw_links = _section(ctx, doc, "links", "edges")
    links = [_link(ctx, d, k, f"{key}[{k}]", ids, directed) for k, d in enumerate(raw_links)]
    return Topology(
        name=name or str(meta.get("name") or stem_of(source, "network")),
        nodes=tuple(nodes),
        links=tuple(links),
        directed=directed,
        coordinates=coordinate_kind(nodes),
        source=source,
        format="node-link-json",
        meta=meta,
    )


def read_node_link(path: str | Path) -> Topology:
    """Read a node-link JSON file; errors name the file."""
    return read_with(parse_node_link, path)
