"""SNDlib readers: the native text format and the XML format (static instances and the
dynamic traffic-matrix files, whose ``<links>`` element is empty).

Geographical instances store x = longitude, y = latitude. Pixel layouts get
:attr:`CoordinateKind.PIXEL`, ``lat``/``lon`` None and ``x``/``y`` kept in ``attrs``. The
native format does not say which kind it has, so the documented list of pixel instances
(:data:`PIXEL_NETWORKS`) decides, and values outside longitude/latitude ranges always do.
SNDlib does not store whether links are directed: links are read as undirected records
(instances that list each cable once per direction keep both records). Capacities and
demand values are in the instance's unit (``meta["unit"]`` when the file gives one).

SNDlib data has no clear licence (see the project's data notes): read it from a user path,
never bundle it.

>>> text = '''?SNDlib native format; type: network; version: 1.0
... NODES (
...   A ( 13.4 52.5 )
...   B ( 11.6 48.1 )
... )
... LINKS (
...   L1 ( A B ) 0.00 0.00 0.00 0.00 ( 40.00 10.00 )
... )
... DEMANDS (
...   D1 ( A B ) 1 5.00 UNLIMITED
... )'''
>>> t = parse_sndlib_native(text, name="tiny")
>>> t.nodes[0].lat, t.links[0].capacity, t.links[0].modules, t.demands[0].volume
(52.5, None, ((40.0, 10.0),), 5.0)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from cleanpath.domain import DemandRecord, LinkRecord, Topology
from cleanpath.errors import InputError
from cleanpath.ingest._common import decode_text, read_with, stem_of
from cleanpath.ingest._sndlib_common import (
    PIXEL_NETWORKS,
    SNDLIB_CITATION,
    Parts,
    assemble,
    make_link,
    node_record,
)
from cleanpath.ingest._sndlib_xml import parse_sndlib_xml

__all__ = [
    "PIXEL_NETWORKS",
    "SNDLIB_CITATION",
    "parse_sndlib_native",
    "parse_sndlib_xml",
    "read_sndlib_native",
    "read_sndlib_xml",
]

_HEADER = "?SNDlib native format"
_SECTION = re.compile(r"^([A-Z_]+)\s*\($")
_NODE = re.compile(r"^(\S+)\s*\(\s*(\S+)\s+(\S+)\s*\)$")
_LINK = re.compile(r"^(\S+)\s*\(\s*(\S+)\s+(\S+)\s*\)\s*([^()]*?)\s*\(([^()]*)\)$")
_DEMAND = re.compile(r"^(\S+)\s*\(\s*(\S+)\s+(\S+)\s*\)\s+(\S+)\s+(\S+)\s+(\S+)$")
_NAME_COMMENT = re.compile(r"^#\s*network\s+(\S+)\s*$")


def _link_record(parts: Parts, m: re.Match[str], line: int) -> LinkRecord:
    lid, src, dst, costs, mods = m.groups()
    values = costs.split()
    if len(values) != 4:
        raise InputError(
            f"link {lid!r}: expected 4 numbers (pre-installed capacity, its cost, routing "
            f"cost, setup cost), found {len(values)}",
            path=parts.source,
            line=line,
            field="link",
        )
    pre, pre_cost, routing, setup = (parts.num(v, line, f"link {lid!r}") for v in values)
    mod_values = [parts.num(v, line, f"link {lid!r} modules", lo=0) for v in mods.split()]
    if len(mod_values) % 2:
        raise InputError(
            f"link {lid!r}: modules need (capacity cost) pairs",
            path=parts.source,
            line=line,
            field="link",
        )
    modules = tuple(zip(mod_values[::2], mod_values[1::2], strict=True))
    return make_link(lid, src, dst, line, pre, pre_cost, routing, setup, modules)


def _native_entry(parts: Parts, section: str, body: str, line: int) -> None:
    """Read one line of a NODES, LINKS, DEMANDS or META section."""
    if section == "META":
        key, eq, value = body.partition("=")
        if not eq:
            raise InputError(
                "expected 'attribute = value'", path=parts.source, line=line, field="META"
            )
        parts.meta[key.strip()] = value.strip()
        return
    pattern = {"NODES": _NODE, "LINKS": _LINK, "DEMANDS": _DEMAND}[section]
    m = pattern.match(body)
    if m is None:
        raise InputError(
            f"cannot read this {section} line: {body[:80]!r}",
            path=parts.source,
            line=line,
            field=section,
        )
    if section == "NODES":
        nid, x, y = m.groups()
        parts.nodes.append(node_record(parts, nid, x, y, line))
    elif section == "LINKS":
        parts.links.append(_link_record(parts, m, line))
    else:
        did, src, dst, _unit, value, _max_len = m.groups()
        volume = parts.num(value, line, f"demand {did!r} value", lo=0)
        parts.demands.append(DemandRecord(src, dst, volume, id=did, line=line))


def _native_lines(text: str, source: str | None) -> Iterable[tuple[int, str]]:
    """Numbered, stripped, non-comment lines after the format header."""
    lines = iter(enumerate(text.splitlines(), start=1))
    for no, raw in lines:
        if raw.strip():
            if not raw.strip().startswith(_HEADER):
                raise InputError(
                    f"not an SNDlib native file: expected {_HEADER!r}", path=source, line=no
                )
            break
    for no, raw in lines:
        body = raw.strip()
        if body and not body.startswith("#"):
            yield no, body


def _native_sections(parts: Parts, text: str) -> set[str]:
    section, opened, depth, seen, paths = None, 0, 0, set(), 0
    for no, body in _native_lines(text, parts.source):
        if section is None:
            m = _SECTION.match(body)
            if m is None:
                raise InputError(
                    f"expected a section like 'NODES (', found {body[:40]!r}",
                    path=parts.source,
                    line=no,
                )
            section, opened, depth = m.group(1), no, 0
            seen.add(section)
        elif body == ")" and depth == 0:
            section = None
        elif section in ("NODES", "LINKS", "DEMANDS", "META"):
            _native_entry(parts, section, body, no)
        else:  # ADMISSIBLE_PATHS and unknown sections: nested blocks, counted not kept
            depth += body.endswith("(") - (body == ")")
            paths += depth > 0 and body.endswith(")")
    if section is not None:
        raise InputError(
            f"section {section} is not closed", path=parts.source, line=opened, field=section
        )
    if paths:
        parts.meta["admissible_paths"] = paths
    return seen


def parse_sndlib_native(
    data: str | bytes, *, source: str | None = None, name: str | None = None
) -> Topology:
    """Parse an SNDlib native-format network (``?SNDlib native format; type: network``)."""
    text = decode_text(data)
    parts = Parts(source)
    seen = _native_sections(parts, text)
    for required in ("NODES", "LINKS"):
        if required not in seen:
            raise InputError(f"missing section {required}", path=source, field=required)
    network = next((m.group(1) for m in map(_NAME_COMMENT.match, text.splitlines()[:5]) if m), None)
    if network:
        parts.meta["network"] = network
    network = network or name or stem_of(source, "sndlib")
    return assemble(
        parts, network=network, name=name or stem_of(source, network), fmt="sndlib-native"
    )


def read_sndlib_native(path: str | Path) -> Topology:
    """Read an SNDlib native ``.txt`` file; errors name the file."""
    return read_with(parse_sndlib_native, path)


def read_sndlib_xml(path: str | Path) -> Topology:
    """Read an SNDlib ``.xml`` network or traffic-matrix file; errors name the file."""
    return read_with(parse_sndlib_xml, path)
