"""NetBox exports (CSV and JSON): devices, interface MACs, cables as links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.errors import InputError
from cleanpath.ingest.netbox import netbox_inventory, parse_netbox, read_netbox


def test_csv_devices_interfaces_and_cables(data_dir: Path) -> None:
    nb = data_dir / "netbox"
    inv = read_netbox([nb / "devices.csv", nb / "interfaces.csv", nb / "cables.csv"])
    devices = {d.node: d for d in inv.devices}
    assert list(devices) == ["core-a", "agg-b", "acc-c", "cam-d"]
    core = devices["core-a"]
    assert (core.manufacturer, core.model, core.role) == ("Huawei", "CE12804", "Core")
    assert core.mac == "00:e0:fc:10:00:01"  # the management interface's MAC
    assert core.extra["if_macs"] == ("00:e0:fc:10:00:01", "00:e0:fc:10:00:02")
    assert core.extra["serial"] == "2102351QGH10"
    assert core.extra["primary_ip"] == "192.0.2.1/24"
    assert core.line == 2
    assert core.source == str(nb / "devices.csv")
    assert devices["acc-c"].mac is None  # its one interface has no MAC
    assert devices["agg-b"].extra["asset_tag"] == "AT-0002"
    links = [(x.src, x.attrs["src_port"], x.dst, x.attrs["dst_port"]) for x in inv.links]
    assert links == [
        ("core-a", "10GE1/0/1", "agg-b", "xgei-1/1/0/1"),
        ("agg-b", "gei-1/1/0/2", "acc-c", "GigabitEthernet1/0/1"),
        ("acc-c", "GigabitEthernet1/0/2", "cam-d", "eth0"),
    ]
    assert [(s.line, s.reason) for s in inv.skipped] == [
        (5, "cable C-0004: device not in the export")
    ]


def test_api_json_netbox_3_and_4_shapes(data_dir: Path) -> None:
    nb = data_dir / "netbox"
    with pytest.raises(InputError, match="cable end is not a device interface") as exc:
        read_netbox([nb / "devices.json", nb / "interfaces.json", nb / "cables.json"])
    assert exc.value.path == str(nb / "cables.json")
    inv = read_netbox(
        [nb / "devices.json", nb / "interfaces.json", nb / "cables.json"], skip_bad=True
    )
    devices = {d.node: d for d in inv.devices}
    assert devices["core-a"].manufacturer == "Huawei"
    assert devices["core-a"].extra["status"] == "active"
    assert devices["core-a"].extra["netbox_id"] == 11
    assert devices["agg-b"].role == "Aggregation"  # NetBox 3.x "device_role"
    assert devices["core-a"].mac == "00:e0:fc:10:00:02"  # NetBox 4.2 primary_mac_address
    assert devices["agg-b"].mac == "00:19:c6:20:00:01"  # NetBox <= 4.1 mac_address
    assert [(x.id, x.src, x.dst) for x in inv.links] == [("cable:C-0001", "core-a", "agg-b")]
    assert len(inv.skipped) == 1


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("Name,Manufacturer\n,Huawei\n", "device without a name", 2),
        ("device,name,mac_address\nsw1,ge1,zz:zz\n", "bad MAC 'zz:zz'", 2),
        ("foo,bar\n1,2\n", "cannot tell devices, interfaces or cables", 1),
        ('{"results": 5}', "expected a list of objects", None),
        ("[1, 2", "invalid JSON", 1),
    ],
)
def test_bad_rows_name_file_and_line(text: str, message: str, line: int | None) -> None:
    with pytest.raises(InputError, match=message) as exc:
        parse_netbox(text, source="export.csv")
    assert exc.value.path == "export.csv"
    assert exc.value.line == line


def test_skip_bad_counts_rows() -> None:
    out = parse_netbox("Name,Type\nsw1,S5735\n,x\nsw2,S6730\n", source="d.csv", skip_bad=True)
    assert [d.node for d in out.devices] == ["sw1", "sw2"]
    assert [(s.line, s.reason) for s in out.skipped] == [(3, "device without a name")]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_junk_is_refused_or_read_never_a_crash(data: str | bytes) -> None:
    try:
        parse_netbox(data, source="junk.csv", skip_bad=True)
    except InputError as exc:
        where = exc.path
    else:
        where = "junk.csv"
    assert where == "junk.csv"


NB_FILES = ("devices", "interfaces", "cables")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


def _error(data: str | bytes, source: str, skip_bad: bool) -> InputError | None:
    try:
        netbox_inventory([parse_netbox(data, source=source, skip_bad=skip_bad)])
    except InputError as exc:
        return exc
    return None


def _located(data: str | bytes, source: str, *, csv_file: bool) -> None:
    """Read or refused with an InputError that names the file and the line (CSV) or the
    line/element (JSON); never another exception."""
    for skip_bad in (False, True):
        exc = _error(data, source, skip_bad)
        if exc is None:
            continue
        assert exc.path == source
        named = exc.line is not None or (not csv_file and exc.field is not None)
        assert named or exc.message.startswith("expected a list of objects"), str(exc)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(NB_FILES), data=st.data())
def test_mutated_csv_exports_fail_with_file_and_line(
    data_dir: Path, name: str, data: st.DataObject
) -> None:
    seed = (data_dir / "netbox" / f"{name}.csv").read_text()
    cut = data.draw(st.integers(0, len(seed)))
    end = data.draw(st.integers(cut, min(len(seed), cut + 40)))
    junk = data.draw(st.text(alphabet=st.sampled_from('",\n\r\x00:;x 0f'), max_size=12))
    _located(seed[:cut] + junk + seed[end:], f"{name}.csv", csv_file=True)


def _paths(doc: object, here: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [here]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*here, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*here, i))
    return out


@settings(max_examples=80, deadline=None)
@given(name=st.sampled_from(NB_FILES), data=st.data())
def test_json_exports_with_values_of_the_wrong_shape(
    data_dir: Path, name: str, data: st.DataObject
) -> None:
    """Any value of the API documents replaced by any JSON value: a result, or an
    InputError naming the file and the element (``results[3].name``)."""
    doc = json.loads((data_dir / "netbox" / f"{name}.json").read_text())
    path = data.draw(st.sampled_from(_paths(doc)[1:]))
    node = doc
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = data.draw(JSON_VALUES)  # type: ignore[index]
    _located(json.dumps(doc), f"{name}.json", csv_file=False)


def test_json_errors_name_the_element() -> None:
    doc = {"results": [{"name": "sw1"}, {"name": ["sw2"]}]}
    with pytest.raises(InputError, match="expected text") as exc:
        parse_netbox(json.dumps(doc), source="devices.json")
    assert (exc.value.path, exc.value.line, exc.value.field) == (
        "devices.json",
        None,
        "results[1].name",
    )
    out = parse_netbox(json.dumps(doc), source="devices.json", skip_bad=True)
    assert [d.node for d in out.devices] == ["sw1"]
    assert [s.reason for s in out.skipped] == [
        "results[1].name: expected text or an object with a name, got a list"
    ]
    cable = [{"a_terminations": [{"object": 5}], "b_terminations": []}]
    with pytest.raises(InputError, match="cable end is not a device interface") as exc:
        parse_netbox(json.dumps(cable), source="cables.json")
    assert exc.value.field == "[0]"


def test_malformed_csv_names_the_line() -> None:
    import csv

    text = 'Name,Type\nsw1,S5735\nsw2,"' + "x" * (csv.field_size_limit() + 1) + '"\n'
    with pytest.raises(InputError, match="malformed CSV") as exc:
        parse_netbox(text, source="devices.csv")
    assert (exc.value.path, exc.value.line) == ("devices.csv", 3)
    text = 'Name,Type\nsw1,S5735\n\n\nsw2,"' + "x" * (csv.field_size_limit() + 1) + '"\n'
    with pytest.raises(InputError, match="malformed CSV") as exc:
        parse_netbox(text, source="devices.csv")
    assert exc.value.line == 5  # blank lines before the bad record are not blamed


def test_one_page_of_a_paginated_api_answer_is_refused_not_read_as_all() -> None:
    page = {"count": 250, "next": "https://netbox.example/api/dcim/devices/?limit=50&offset=50",
            "previous": None, "results": [{"name": f"sw{i}"} for i in range(50)]}  # fmt: skip
    with pytest.raises(InputError, match=r"50 of 250 objects") as exc:
        parse_netbox(json.dumps(page), source="devices.json")
    assert (exc.value.path, exc.value.field) == ("devices.json", "next")
    last = {**page, "next": None}  # the last (or only) page is complete
    assert len(parse_netbox(json.dumps(last), source="devices.json").devices) == 50
