"""SNDlib XML reader (static instances and traffic-matrix files); see :mod:`.sndlib`."""

from __future__ import annotations

from cleanpath.domain import DemandRecord, LinkRecord, NodeRecord, Topology
from cleanpath.errors import InputError
from cleanpath.ingest._common import stem_of
from cleanpath.ingest._sndlib_common import Parts, assemble, make_link, node_record
from cleanpath.ingest._xml import Element, parse_xml

__all__ = ["parse_sndlib_xml"]


def _xml_float(parts: Parts, elem: Element, tag: str, what: str, default: float = 0.0) -> float:
    child = elem.find(tag)
    if child is None:
        return default
    return parts.num(child.text, child.line, f"{what} <{tag}>")


def _xml_required(parts: Parts, elem: Element, tag: str) -> str:
    value = elem.child_text(tag)
    if not value:
        raise InputError(
            f"<{elem.tag}> without <{tag}>", path=parts.source, line=elem.line, field=elem.tag
        )
    return value


def _xml_id(parts: Parts, elem: Element) -> str:
    value = elem.attrs.get("id")
    if not value:
        raise InputError(
            f"<{elem.tag}> without an id", path=parts.source, line=elem.line, field=elem.tag
        )
    return value


def _xml_node(parts: Parts, e: Element) -> NodeRecord:
    nid = _xml_id(parts, e)
    coords = e.find("coordinates")
    if coords is None:
        raise InputError(
            f"node {nid!r} has no <coordinates>", path=parts.source, line=e.line, field="node"
        )
    x, y = _xml_required(parts, coords, "x"), _xml_required(parts, coords, "y")
    return node_record(parts, nid, x, y, coords.line)


def _xml_link(parts: Parts, e: Element) -> LinkRecord:
    lid = _xml_id(parts, e)
    src, dst = _xml_required(parts, e, "source"), _xml_required(parts, e, "target")
    what = f"link {lid!r}"
    pre = e.find("preInstalledModule")
    modules = []
    extra = e.find("additionalModules")
    for mod in () if extra is None else extra.iter("addModule"):
        modules.append(
            (_xml_float(parts, mod, "capacity", what), _xml_float(parts, mod, "cost", what))
        )
    return make_link(
        lid,
        src,
        dst,
        e.line,
        0.0 if pre is None else _xml_float(parts, pre, "capacity", what),
        0.0 if pre is None else _xml_float(parts, pre, "cost", what),
        _xml_float(parts, e, "routingCost", what),
        _xml_float(parts, e, "setupCost", what),
        tuple(modules),
    )


def _xml_demand(parts: Parts, e: Element) -> DemandRecord:
    did = _xml_id(parts, e)
    src, dst = _xml_required(parts, e, "source"), _xml_required(parts, e, "target")
    value = _xml_required(parts, e, "demandValue")
    volume = parts.num(value, e.line, f"demand {did!r} demandValue", lo=0)
    paths = e.find("admissiblePaths")
    if paths is not None:
        parts.meta["admissible_paths"] = parts.meta.get("admissible_paths", 0) + len(paths.children)
    return DemandRecord(src, dst, volume, id=did, line=e.line)


def _xml_section(parts: Parts, parent: Element, tag: str, required: bool) -> list[Element]:
    section = parent.find(tag)
    if section is None:
        if required:
            raise InputError(
                f"missing <{tag}> in <{parent.tag}>",
                path=parts.source,
                line=parent.line,
                field=parent.tag,
            )
        return []
    return section.children


def parse_sndlib_xml(
    data: str | bytes, *, source: str | None = None, name: str | None = None
) -> Topology:
    """Parse an SNDlib XML network or traffic-matrix file (namespace
    ``http://sndlib.zib.de/network``); matrix files give nodes and demands, no links."""
    root = parse_xml(data, source=source, root="network", what="an SNDlib XML file")
    parts = Parts(source)
    meta = root.find("meta")
    parts.meta.update({c.tag: c.text for c in ([] if meta is None else meta.children)})
    structure = root.find("networkStructure")
    if structure is None:
        raise InputError("missing <networkStructure>", path=source, line=root.line, field="network")
    nodes = structure.find("nodes")
    parts.nodes = [_xml_node(parts, e) for e in _xml_section(parts, structure, "nodes", True)]
    parts.links = [_xml_link(parts, e) for e in _xml_section(parts, structure, "links", False)]
    parts.demands = [_xml_demand(parts, e) for e in _xml_section(parts, root, "demands", False)]
    network = name or stem_of(source, "sndlib")
    declared = None if nodes is None else nodes.attrs.get("coordinatesType")
    return assemble(parts, network=network, name=name, fmt="sndlib-xml", declared=declared)
