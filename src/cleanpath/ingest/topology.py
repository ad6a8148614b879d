"""The topology reader registry: pick a reader by format name, extension or content.

>>> sorted(TOPOLOGY_READERS)
['graphml', 'node-link-json', 'sndlib-native', 'sndlib-xml']
>>> sniff_format(b'<?xml version="1.0"?><graphml xmlns="...">')
'graphml'
>>> sniff_format(b"?SNDlib native format; type: network; version: 1.0")
'sndlib-native'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cleanpath.domain import Topology
from cleanpath.errors import UnknownFormatError
from cleanpath.ingest._common import load_file, read_with
from cleanpath.ingest.graphml import parse_graphml, read_graphml
from cleanpath.ingest.nodelink import parse_node_link, read_node_link
from cleanpath.ingest.sndlib import (
    parse_sndlib_native,
    parse_sndlib_xml,
    read_sndlib_native,
    read_sndlib_xml,
)

__all__ = ["TOPOLOGY_PARSERS", "TOPOLOGY_READERS", "read_topology", "sniff_format"]

#: Format name -> ``read_x(path)``.
TOPOLOGY_READERS: dict[str, Callable[[Path], Topology]] = {
    "graphml": read_graphml,
    "sndlib-native": read_sndlib_native,
    "sndlib-xml": read_sndlib_xml,
    "node-link-json": read_node_link,
}
#: Format name -> ``parse_x(data, *, source=, name=)``.
TOPOLOGY_PARSERS: dict[str, Callable[..., Topology]] = {
    "graphml": parse_graphml,
    "sndlib-native": parse_sndlib_native,
    "sndlib-xml": parse_sndlib_xml,
    "node-link-json": parse_node_link,
}
_BY_SUFFIX = {".graphml": "graphml", ".json": "node-link-json"}
_SNIFF_BYTES = 4096


def sniff_format(head: bytes) -> str | None:
    """The format name that the first bytes of a file suggest, or None."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"?SNDlib native format"):
        return "sndlib-native"
    if b"sndlib.zib.de/network" in text:
        return "sndlib-xml"
    if b"<graphml" in text:
        return "graphml"
    if text.startswith((b"{", b"[")):
        return "node-link-json"
    return None


def _choose(path: Path, format: str | None) -> str:
    if format is not None:
        if format not in TOPOLOGY_READERS:
            known = ", ".join(sorted(TOPOLOGY_READERS))
            raise UnknownFormatError(
                f"unknown topology format {format!r} (known: {known})", path=str(path)
            )
        return format
    by_suffix = _BY_SUFFIX.get(path.suffix.lower())
    if by_suffix is not None:
        return by_suffix
    sniffed = sniff_format(load_file(path)[:_SNIFF_BYTES])
    if sniffed is None:
        raise UnknownFormatError(
            "cannot tell the topology format (expected GraphML, SNDlib native or XML, or "
            "node-link JSON); name it with format=",
            path=str(path),
        )
    return sniffed


def read_topology(path: str | Path, *, format: str | None = None) -> Topology:
    """Read a topology file with the reader for ``format``, or the one its extension
    (``.graphml``, ``.json``) or, when ambiguous (``.xml``, ``.txt``, others), its first
    bytes suggest. An unknown format is an :class:`UnknownFormatError` naming the file."""
    p = Path(path)
    name = _choose(p, format)
    return read_with(TOPOLOGY_PARSERS[name], p)
