"""Every Topology Zoo and SNDlib file in ../shared/data parses and matches MANIFEST.csv.

MANIFEST ``edges`` means distinct undirected node pairs for the Zoo, and link records for
SNDlib (instances that list a cable once per direction count it twice); ``demands`` is the
number of demand records. Each file is parsed once (cached); tests are parametrized by file.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from cleanpath.domain import CoordinateKind, Topology
from cleanpath.ingest import read_graphml, read_sndlib_native, read_sndlib_xml
from conftest import shared_data_dir

pytestmark = pytest.mark.shared

_SHARED = shared_data_dir()
_TOPO = _SHARED / "topologies" if _SHARED is not None else None
_MANIFEST_PATH = _TOPO / "MANIFEST.csv" if _TOPO is not None else None
DYNAMIC_SAMPLE = 10


def _manifest() -> dict[str, dict[str, str]]:
    if _MANIFEST_PATH is None or not _MANIFEST_PATH.is_file():
        return {}
    with _MANIFEST_PATH.open(newline="") as f:
        return {row["path"]: row for row in csv.DictReader(f)}


MANIFEST = _manifest()


def _paths(prefix: str) -> list[str]:
    return sorted(p for p in MANIFEST if p.startswith(prefix))


def _dynamic_sample() -> list[str]:
    paths = _paths("sndlib/dynamic/")
    step = max(1, len(paths) // DYNAMIC_SAMPLE)
    return paths[::step][:DYNAMIC_SAMPLE]


_READERS: dict[str, Callable[[Path], Topology]] = {
    "zoo": read_graphml,
    "sndlib/native": read_sndlib_native,
    "sndlib/xml": read_sndlib_xml,
    "sndlib/dynamic": read_sndlib_xml,
}


@functools.cache
def _read(rel: str) -> Topology:
    assert _TOPO is not None
    reader = next(r for prefix, r in _READERS.items() if rel.startswith(prefix))
    return reader(_TOPO / rel)


def _counts(t: Topology, rel: str) -> tuple[int, int, int]:
    edges = (
        len({frozenset((lk.src, lk.dst)) for lk in t.links})
        if rel.startswith("zoo/")
        else len(t.links)
    )
    return len(t.nodes), edges, len(t.demands)


def _expected(rel: str) -> tuple[int, int, int]:
    row = MANIFEST[rel]
    return int(row["nodes"]), int(row["edges"]), int(row["demands"] or 0)


@pytest.mark.parametrize("rel", _paths("zoo/"))
def test_zoo_file(shared_data: Path, rel: str) -> None:
    t = _read(rel)
    assert _counts(t, rel) == _expected(rel)
    row = MANIFEST[rel]
    located = sum(n.lat is not None for n in t.nodes)
    assert f"{located}/{len(t.nodes)}" == row["coords"]
    notes = dict(x.partition("=")[::2] for x in row["notes"].split(";") if x)
    assert sum(n.hyperedge for n in t.nodes) == int(notes.get("hyperedge_nodes") or 0)
    assert sum(n.external for n in t.nodes) == int(notes.get("external_nodes") or 0)
    assert ("multigraph" in notes) == (len(t.links) > _counts(t, rel)[1])
    if row["capacities"]:  # "LinkSpeed on N edges"
        assert sum("LinkSpeed" in lk.attrs for lk in t.links) == int(row["capacities"].split()[2])
    assert t.attribution is not None
    assert "CC BY 4.0" in t.attribution
    assert len({n.label for n in t.nodes}) == len(t.nodes)
    assert all(lk.capacity is None or lk.capacity >= 0 for lk in t.links)


@pytest.mark.parametrize("rel", _paths("sndlib/native/") + _paths("sndlib/xml/"))
def test_sndlib_file(shared_data: Path, rel: str) -> None:
    t = _read(rel)
    assert _counts(t, rel) == _expected(rel)
    coords = MANIFEST[rel]["coords"]
    if rel.startswith("sndlib/xml/"):
        assert t.coordinates.value == coords
    else:
        assert coords == f"{len(t.nodes)}/{len(t.nodes)}"
    if t.coordinates == CoordinateKind.PIXEL:
        assert all(n.lat is None for n in t.nodes)
    else:
        assert all(n.lat is not None for n in t.nodes)


def _pairs() -> list[str]:
    xml = {Path(p).stem for p in _paths("sndlib/xml/")}
    return [Path(p).stem for p in _paths("sndlib/native/") if Path(p).stem in xml]


@pytest.mark.parametrize("instance", _pairs())
def test_sndlib_native_and_xml_agree(shared_data: Path, instance: str) -> None:
    native = _read(f"sndlib/native/{instance}.txt")
    xml = _read(f"sndlib/xml/{instance}.xml")
    assert native.coordinates == xml.coordinates  # the documented pixel list holds
    assert [n.to_dict() for n in native.nodes] == [n.to_dict() for n in xml.nodes]
    assert [n.attrs for n in native.nodes] == [n.attrs for n in xml.nodes]

    def links(t: Topology) -> list[tuple[object, ...]]:
        return [
            (k.id, k.src, k.dst, k.capacity, k.weight, k.modules, dict(k.attrs)) for k in t.links
        ]

    assert links(native) == links(xml)
    assert sorted((d.id, d.src, d.dst, d.volume) for d in native.demands) == sorted(
        (d.id, d.src, d.dst, d.volume) for d in xml.demands
    )
    assert native.meta.get("unit") == xml.meta.get("unit")
    assert native.meta.get("admissible_paths") == xml.meta.get("admissible_paths")


@pytest.mark.parametrize("rel", _dynamic_sample())
def test_sndlib_traffic_matrix(shared_data: Path, rel: str) -> None:
    t = _read(rel)
    assert _counts(t, rel) == _expected(rel)
    notes = MANIFEST[rel]["notes"]  # "traffic matrix; total 2541.720 MBITPERSEC; period ..."
    total = float(notes.split("total ")[1].split()[0])
    assert sum(d.volume for d in t.demands) == pytest.approx(total, abs=1e-3)
    assert t.meta["unit"] == "MBITPERSEC"
    assert f"period {t.meta['time']}" in notes
    instance = Path(rel).parent.name.split("-")[0]
    static = _read(f"sndlib/native/{instance}.txt")
    assert {d.src for d in t.demands} | {d.dst for d in t.demands} <= {n.id for n in static.nodes}
