"""Demand readers: CSV list and matrix forms, SNDlib files, and broken inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanpath.domain import DemandClass
from cleanpath.errors import InputError
from cleanpath.ingest.demands import (
    parse_demands_csv,
    parse_demands_sndlib,
    read_demands,
    read_demands_csv,
)

from .located import assert_located_error


def _path(data_dir: Path, name: str) -> Path:
    return data_dir / "topologies" / name


def test_list_form(data_dir: Path) -> None:
    demands = read_demands_csv(_path(data_dir, "demands_list.csv"))
    assert [(d.src, d.dst, d.volume, d.cls) for d in demands] == [
        ("Berlin", "Munich", 25.5, DemandClass.SENSITIVE),
        ("Munich", "Berlin", 12.0, DemandClass.NORMAL),
        ("Hamburg", "Cologne", 0.75, DemandClass.NORMAL),
        ("Berlin", "Hamburg", 0.0, DemandClass.NORMAL),
    ]
    assert [d.line for d in demands] == [2, 3, 5, 7]


def test_matrix_form(data_dir: Path) -> None:
    demands = read_demands_csv(_path(data_dir, "demands_matrix.csv"))
    assert [(d.src, d.dst, d.volume) for d in demands] == [
        ("Berlin", "Hamburg", 3.5),
        ("Hamburg", "Berlin", 1.0),
        ("Munich", "Berlin", 2.25),
    ]
    assert all(d.cls == DemandClass.NORMAL for d in demands)
    assert [d.line for d in demands] == [2, 3, 4]


def test_matrix_with_semicolons(data_dir: Path) -> None:
    demands = read_demands(_path(data_dir, "demands_matrix_semicolon.csv"))
    assert [(d.src, d.dst, d.volume) for d in demands] == [("a", "b", 7.0), ("b", "a", 1.5)]


def test_list_with_id_and_other_header_names() -> None:
    text = "id;Source;Target;Traffic\nx1;a;b;4\n"
    (d,) = parse_demands_csv(text)
    assert (d.id, d.src, d.dst, d.volume) == ("x1", "a", "b", 4.0)


@pytest.mark.parametrize("name", ["sndlib_tiny.txt", "sndlib_tiny.xml"])
def test_from_sndlib(data_dir: Path, name: str) -> None:
    demands = read_demands(_path(data_dir, name))
    assert [(d.id, d.volume) for d in demands] == [("D1", 25.5), ("D2", 12.0), ("D3", 0.75)]
    text = _path(data_dir, name).read_bytes()
    assert parse_demands_sndlib(text) == parse_demands_sndlib(text.decode("latin-1"))


@pytest.mark.parametrize(
    ("fixture", "line", "field", "words"),
    [
        ("malformed_demands_bad_class.csv", 2, "class", "sensitive or normal"),
        ("malformed_demands_not_square.csv", None, None, "not square"),
        ("malformed_demands_bad_volume.csv", 3, "a", "outside"),
    ],
)
def test_malformed(
    data_dir: Path, fixture: str, line: int | None, field: str | None, words: str
) -> None:
    path = _path(data_dir, fixture)
    assert_located_error(read_demands, path, line=line, field=field, words=words)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("src,dst\na,b\n", "'volume' column"),
        ("src,dst,volume\n,b,1\n", "empty node id"),
        ("src,dst,volume\na,b,nan\n", "not a finite number"),
        (",a,a\na,1,1\n", "distinct"),
        (",a,b\nc,1,1\n", "not a header id"),
        (",a\na,1,2\n", "cells"),
        ('src,dst,volume\n"a,b,1\n', "malformed CSV"),
    ],
)
def test_bad_text(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words) as info:
        parse_demands_csv(text, source="d.csv")
    assert info.value.path == "d.csv"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read") as info:
        read_demands(tmp_path / "nope.csv")
    assert info.value.path == str(tmp_path / "nope.csv")
