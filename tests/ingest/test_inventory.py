"""Inventory CSV reader: columns, BOM, skipped rows, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.errors import InputError
from cleanpath.ingest.inventory import parse_inventory_csv, read_inventory_csv


def test_fixture_reads_devices_and_skips_bad_rows(data_dir: Path) -> None:
    path = data_dir / "inventory" / "inventory.csv"
    with pytest.raises(InputError, match=r"inventory\.csv:4: missing node"):
        read_inventory_csv(path)  # without skip_bad the first bad row stops the read
    inv = read_inventory_csv(path, skip_bad=True)
    assert [d.node for d in inv.devices] == ["core1", "agg1", "cam7", "edge9"]
    core = inv.devices[0]
    assert core.manufacturer == "Huawei Technologies Co.,Ltd"
    assert core.mac == "00:E0:FC:12:34:56"
    assert core.sys_descr is not None
    assert core.sys_descr.startswith("Huawei Versatile Routing Platform")
    assert (core.role, dict(core.extra), core.line, core.source) == (
        "core",
        {"agent": "snmp"},
        2,
        str(path),
    )
    assert inv.devices[1].sys_object_id == "1.3.6.1.4.1.25506.11.1.120"  # leading dot dropped
    assert inv.devices[3].mac == "00:1B:C5:00:00:10"
    assert [(s.line, s.reason) for s in inv.skipped] == [
        (4, "missing node"),
        (6, "malformed MAC '00:1b:c5:00:00'"),
        (7, "malformed sys_object_id '1.3.6.x.4'"),
    ]
    assert all(s.source == str(path) for s in inv.skipped)
    assert inv.sources == (str(path),)


def test_missing_node_header_names_file_and_line() -> None:
    with pytest.raises(InputError) as err:
        parse_inventory_csv("hostname,mac\nr1,00:00:0c:00:00:01\n", source="inv.csv")
    assert str(err.value) == "inv.csv:1: node: no 'node' column in the header"


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read inventory") as err:
        read_inventory_csv(tmp_path / "missing.csv")
    assert err.value.path == str(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"node,hostname\nr1,ok\nr2,caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8") as err2:
        read_inventory_csv(latin)
    assert err2.value.line == 3


def test_only_node_column_and_extra_fields() -> None:
    inv = parse_inventory_csv("NODE\nr1\n\nr2\n")
    assert [(d.node, d.line) for d in inv.devices] == [("r1", 2), ("r2", 4)]
    too_many = parse_inventory_csv("node,mac\nr1,,surplus\n", source="x.csv", skip_bad=True)
    assert [str(s) for s in too_many.skipped] == ["x.csv:2: more fields than the header has"]
    with pytest.raises(InputError, match=r"x\.csv:2: more fields than the header has"):
        parse_inventory_csv("node,mac\nr1,,surplus\n", source="x.csv")


def test_duplicate_columns_rejected() -> None:
    with pytest.raises(InputError, match="duplicate columns"):
        parse_inventory_csv("node,MAC,mac\nr1,,\n")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_junk_never_crashes(text: str) -> None:
    try:
        inv = parse_inventory_csv(
            "node,mac,sys_object_id\n" + text, source="junk.csv", skip_bad=True
        )
    except InputError as err:
        path = err.path
    else:
        path = "junk.csv"
        assert all(d.node for d in inv.devices)
        assert all(s.line and s.line > 1 for s in inv.skipped)
    assert path == "junk.csv"
