"""LLDP neighbour tables: links, and neighbour descriptions kept on the neighbour's record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.domain import DeviceRecord
from cleanpath.errors import InputError
from cleanpath.ingest.lldp import LldpNeighbour, link_neighbours, parse_lldp, read_lldp


def test_csv_table_links_and_evidence(data_dir: Path) -> None:
    inv = read_lldp(data_dir / "lldp" / "neighbours.csv")
    devices = {d.node: d for d in inv.devices}
    assert set(devices) == {"core1", "agg-zte", "ap-17.example", "lldp:08:ed:ed:20:00:01"}
    # core1 and agg-zte describe each other: one link, each description on the other's record
    assert devices["agg-zte"].extra["lldp_rem_sys_desc"][0].startswith("ZTE 5950")
    assert devices["core1"].extra["lldp_rem_sys_desc"][0].startswith("Huawei")
    assert devices["core1"].extra["lldp_seen_by"] == ("agg-zte",)
    nvr = devices["lldp:08:ed:ed:20:00:01"]
    assert nvr.extra["observed_only"] is True
    assert nvr.extra["lldp_rem_sys_desc"] == ("DHI-NVR4208-8P-4KS2",)
    assert "DHI-NVR" not in json.dumps([devices["core1"].to_dict()], default=str)
    pairs = sorted(tuple(sorted((x.src, x.dst))) for x in inv.links)
    assert pairs == [
        ("agg-zte", "ap-17.example"),
        ("agg-zte", "core1"),
        ("core1", "lldp:08:ed:ed:20:00:01"),
    ]
    assert all(x.attrs["source"] == "lldp" for x in inv.links)


def test_json_table() -> None:
    text = json.dumps(
        {"neighbours": [{"local": "a", "local_port": "p1", "sys_name": "b", "port_id": "q1"}]}
    )
    inv = parse_lldp(text, source="n.json")
    assert [(x.src, x.dst) for x in inv.links] == [("a", "b")]


def test_matching_prefers_chassis_id_over_name() -> None:
    known = [
        DeviceRecord("sw-a", hostname="sw-a", extra={"bridge_mac": "00:00:5e:00:53:01"}),
        DeviceRecord("sw-b", hostname="sw-b.example.net"),
    ]
    heard = [
        # the name says sw-b, but the chassis MAC is sw-a's: the chassis id wins
        LldpNeighbour("x", "1", "00:00:5e:00:53:01", sys_name="sw-b"),
        # a short name matches a fully qualified host name
        LldpNeighbour("x", "2", None, sys_name="sw-b"),
        LldpNeighbour("x", "3", None, sys_name="SW-B.example.net"),
    ]
    inv = link_neighbours(known, heard)
    assert [x.dst for x in inv.links] == ["sw-a", "sw-b", "sw-b"]
    assert [d.node for d in inv.devices] == ["sw-a", "sw-b"]  # x itself is not in `known`


def test_a_device_hearing_itself_is_not_a_link() -> None:
    d = DeviceRecord("sw", hostname="sw")
    inv = link_neighbours([d], [LldpNeighbour("sw", "1", None, sys_name="sw")])
    assert inv.links == ()


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("local,chassis_id,sys_name\n,aa,b\n", "missing local device", 2),
        ("local,chassis_id,sys_name\na,,\n", "neither chassis_id nor sys_name", 2),
        ("x,y\n1,2\n", "CSV header", 1),
        ('{"neighbours": 3}', "list of neighbour objects", None),
    ],
)
def test_bad_rows(text: str, message: str, line: int | None) -> None:
    with pytest.raises(InputError, match=message) as exc:
        parse_lldp(text, source="n.csv")
    assert exc.value.line == line
    assert exc.value.path == "n.csv"
    if line == 2:
        assert len(parse_lldp(text, source="n.csv", skip_bad=True).skipped) == 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_junk_is_refused_or_read_never_a_crash(data: str | bytes) -> None:
    try:
        parse_lldp(data, source="junk.csv", skip_bad=True)
    except InputError as exc:
        where = exc.path
    else:
        where = "junk.csv"
    assert where == "junk.csv"


def test_placeholder_names_and_ids_never_match() -> None:
    """Redacted recordings share sysName ``<private>``; such names (and all-zero chassis ids)
    must not join a neighbour to an unrelated device."""
    known = [
        DeviceRecord("a", hostname="<private>", extra={"sys_name": "<private>"}),
        DeviceRecord("b", hostname="localhost"),
    ]
    heard = [
        LldpNeighbour(
            "a", "1", "00:00:00:00:00:00", sys_name="<private>", sys_descr="Aruba JL721C"
        ),
        LldpNeighbour("b", "1", None, sys_name="localhost"),
        LldpNeighbour("b", "2", "00:00:5e:00:53:09", sys_name="<private>"),
    ]
    inv = link_neighbours(known, heard)
    assert not any(x.dst in ("a", "b") for x in inv.links)
    assert "lldp_rem_sys_desc" not in inv.devices[0].extra  # nothing heard is about `a`
    # unknown neighbours stay separate nodes, named by chassis id where there is one
    assert sorted(x.dst for x in inv.links) == ["lldp:00:00:5e:00:53:09", "lldp:a/1", "lldp:b/1"]
