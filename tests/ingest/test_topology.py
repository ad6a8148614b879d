"""The topology registry: choosing a reader by format name, extension and first bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cleanpath.errors import InputError, UnknownFormatError
from cleanpath.ingest import TOPOLOGY_READERS, read_topology, sniff_format

FIXTURES = {
    "zoo_tiny.graphml": "graphml",
    "sndlib_tiny.txt": "sndlib-native",
    "sndlib_tiny.xml": "sndlib-xml",
    "sndlib_tiny_matrix.xml": "sndlib-xml",
    "nodelink_tiny.json": "node-link-json",
}


@pytest.mark.parametrize(("name", "fmt"), sorted(FIXTURES.items()))
def test_picks_reader_by_extension_or_content(data_dir: Path, name: str, fmt: str) -> None:
    path = data_dir / "topologies" / name
    t = read_topology(path)
    assert t.format == fmt
    assert t.source == str(path)
    assert read_topology(path, format=fmt) == t
    assert TOPOLOGY_READERS[fmt](path) == t


@pytest.mark.parametrize(("name", "fmt"), sorted(FIXTURES.items()))
def test_sniffs_files_without_a_telling_extension(
    data_dir: Path, tmp_path: Path, name: str, fmt: str
) -> None:
    copy = tmp_path / "network.dat"
    shutil.copy(data_dir / "topologies" / name, copy)
    t = read_topology(copy)
    assert t.format == fmt
    assert t.source == str(copy)


def test_graphml_in_an_xml_file(data_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "zoo.xml"
    shutil.copy(data_dir / "topologies" / "zoo_tiny.graphml", copy)
    assert read_topology(copy).format == "graphml"


def test_unknown_content_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mystery.txt"
    path.write_text("hello\n")
    with pytest.raises(UnknownFormatError) as info:
        read_topology(path)
    assert info.value.path == str(path)


def test_unknown_format_name(data_dir: Path) -> None:
    with pytest.raises(UnknownFormatError, match="gml"):
        read_topology(data_dir / "topologies" / "zoo_tiny.graphml", format="gml")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_topology(tmp_path / "absent.xml")


def test_errors_from_the_chosen_reader_name_the_file(data_dir: Path) -> None:
    path = data_dir / "topologies" / "malformed_unknown_node.txt"
    with pytest.raises(InputError) as info:
        read_topology(path)
    assert info.value.path == str(path)
    assert info.value.line == 30


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"\xef\xbb\xbf?SNDlib native format; type: network", "sndlib-native"),
        (b'<?xml version="1.0"?>\n<network xmlns="http://sndlib.zib.de/network">', "sndlib-xml"),
        (b"  <graphml>", "graphml"),
        (b'\n{"nodes": []}', "node-link-json"),
        (b"", None),
        (b"a,b,c\n", None),
    ],
)
def test_sniff_format(head: bytes, fmt: str | None) -> None:
    assert sniff_format(head) == fmt
