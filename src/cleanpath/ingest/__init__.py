"""File readers: each format as ``parse_x(text_or_bytes)`` plus ``read_x(path)``.

Topologies are read through the registry in :mod:`cleanpath.ingest.topology`
(``read_topology(path, format=None)``); demands and sites have their own readers.
"""

from __future__ import annotations

from cleanpath.ingest.demands import (
    parse_demands_csv,
    parse_demands_sndlib,
    read_demands,
    read_demands_csv,
)
from cleanpath.ingest.graphml import parse_graphml, read_graphml
from cleanpath.ingest.nodelink import parse_node_link, read_node_link
from cleanpath.ingest.sites import parse_sites_csv, read_sites_csv
from cleanpath.ingest.sndlib import (
    parse_sndlib_native,
    parse_sndlib_xml,
    read_sndlib_native,
    read_sndlib_xml,
)
from cleanpath.ingest.topology import TOPOLOGY_READERS, read_topology, sniff_format

__all__ = [
    "TOPOLOGY_READERS",
    "parse_demands_csv",
    "parse_demands_sndlib",
    "parse_graphml",
    "parse_node_link",
    "parse_sites_csv",
    "parse_sndlib_native",
    "parse_sndlib_xml",
    "read_demands",
    "read_demands_csv",
    "read_graphml",
    "read_node_link",
    "read_sites_csv",
    "read_sndlib_native",
    "read_sndlib_xml",
    "read_topology",
    "sniff_format",
]
