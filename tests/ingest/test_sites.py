"""Site list reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanpath.errors import InputError
from cleanpath.ingest.sites import parse_sites_csv, read_sites_csv

from .located import assert_located_error


def test_sites(data_dir: Path) -> None:
    path = data_dir / "topologies" / "sites.csv"
    sites = read_sites_csv(path)
    assert [(s.name, s.lat, s.lon, s.kind, s.country) for s in sites] == [
        ("Test Site North", 52.5, 13.4, "military", "Germany"),
        ("Test Site South", -33.9, 151.2, "port", None),
        ("Antimeridian", 0.0, -180.0, "", None),
    ]
    assert sites[0].source == "cleanpath test fixture (invented)"
    assert sites[1].source == str(path)  # no source column value: the file is the source
    assert [s.line for s in sites] == [2, 3, 4]


def test_minimal_columns_and_aliases(data_dir: Path) -> None:
    (site,) = read_sites_csv(data_dir / "topologies" / "sites_minimal.csv")
    assert (site.name, site.lat, site.lon, site.kind) == ("A", 1.0, 2.0, "")


@pytest.mark.parametrize(
    ("fixture", "line", "field", "words"),
    [
        ("malformed_sites_lat.csv", 3, "lat", "91.5 is outside [-90, 90]"),
        ("malformed_sites_header.csv", 1, "header", "missing lat"),
    ],
)
def test_malformed(data_dir: Path, fixture: str, line: int, field: str, words: str) -> None:
    path = data_dir / "topologies" / fixture
    assert_located_error(read_sites_csv, path, line=line, field=field, words=words)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("name,lat,lon\n,1,2\n", "empty site name"),
        ("name,lat,lon\nA,1,181\n", "outside"),
        ("name,lat,lon\nA,x,1\n", "not a number"),
        ("name,lat,lon\nA,1\n", "not a number"),
    ],
)
def test_bad_text(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_sites_csv(text, source="s.csv")
