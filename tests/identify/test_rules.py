"""One test group per evidence rule, then the vote that combines them."""

from __future__ import annotations

import pytest

from cleanpath.domain import DeviceRecord
from cleanpath.identify import (
    MIN_SCORE,
    identify,
    identify_device,
    mac_oui,
    manufacturer_field,
    sys_descr_patterns,
    sys_object_id_pen,
)
from cleanpath.kb import load_kb


def dev(**fields: str) -> DeviceRecord:
    return DeviceRecord("n1", **fields)


def test_manufacturer_field_alias_match() -> None:
    (ev,) = manufacturer_field(dev(manufacturer="HUAWEI TECHNOLOGIES CO.,LTD"), load_kb())
    assert (ev.points_to, ev.signal, ev.about) == ("huawei", "manufacturer", "manufacturer")
    (unknown,) = manufacturer_field(dev(manufacturer="Zqxwv Widgets"), load_kb())
    assert unknown.points_to is None
    assert unknown.weight == 0
    assert manufacturer_field(dev(), load_kb()) == []


@pytest.mark.parametrize(
    ("oid", "points_to", "weight"),
    [
        ("1.3.6.1.4.1.2011.2.23.294", "huawei", 0.8),
        (".1.3.6.1.4.1.3902.15.2.1.4", "zte", 0.8),
        ("1.3.6.1.4.1.8072.3.2.10", None, 0.0),  # net-snmp: a stack, not a maker
        ("1.3.6.1.4.1.26381", "hytera", 0.36),  # lwIP's bare root, seen on a Hytera repeater
        ("1.3.6.1.4.1.26381.1.2", "hytera", 0.15),  # lwIP below the root: a candidate only
        ("1.3.6.1.4.1.50001", "hikvision", 0.5),  # Scildon's number, only on Hikvision NVRs
        ("1.3.6.1.4.1.1004849.1", "dahua", 0.5),  # not an IANA number; Dahua recorders
        ("1.3.6.1.4.1.39165.1", "hikvision", 0.3),  # own but not exclusive
    ],
)
def test_sys_object_id_pen(oid: str, points_to: str | None, weight: float) -> None:
    (ev,) = sys_object_id_pen(dev(sys_object_id=oid), load_kb())
    assert (ev.points_to, ev.weight) == (points_to, weight)


def test_sys_object_id_outside_enterprises_or_unknown_pen_gives_nothing() -> None:
    kb = load_kb()
    assert sys_object_id_pen(dev(sys_object_id="1.3.6.1.2.1.1.2"), kb) == []
    assert sys_object_id_pen(dev(sys_object_id="1.3.6.1.4.1.999999999.1"), kb) == []


def test_stack_pen_is_not_maker_evidence() -> None:
    ident = identify_device(
        dev(sys_object_id="1.3.6.1.4.1.8072.3.2.10", sys_descr="Linux gw 4.14.1"), load_kb()
    )
    assert ident.manufacturer is None
    assert ident.confidence == 0
    assert ident.evidence  # the reading is still reported


@pytest.mark.parametrize(
    ("descr", "maker"),
    [
        ("Huawei Versatile Routing Platform Software", "huawei"),
        ("VRP Software Version", "huawei"),
        ("Huawei YunShan OS Version 1.22.0.1 (S5700 V600R022C01SPC500)", "huawei"),
        ("ZTE Ethernet Switch ZXR10 5250-52TM-H, Version: V2.05.11B23", "zte"),
        ("H3C Comware Platform Software, Software Version 7.1.064", "h3c"),
        ("Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M)", "cisco"),
        ("Juniper Networks, Inc. mx480 internet router, kernel JUNOS 15.1R7.9", "juniper"),
    ],
)
def test_sys_descr_patterns(descr: str, maker: str) -> None:
    evidence = sys_descr_patterns(dev(sys_descr=descr), load_kb())
    assert maker in {e.points_to for e in evidence if e.about == "manufacturer"}


def test_ios_look_alike_without_cisco_is_not_cisco() -> None:
    descr = "Fiberstore Co.,Limited Internetwork Operating System Software IES5100-16TS Series"
    evidence = sys_descr_patterns(dev(sys_descr=descr), load_kb())
    assert "cisco" not in {e.points_to for e in evidence}
    assert {(e.points_to, e.about) for e in evidence} == {
        ("fs-com", "brand"),
        ("bdcom", "manufacturer"),  # BDCOM's IOS-like software, relabelled by FS.com
    }


def test_comware_brand_group() -> None:
    evidence = sys_descr_patterns(dev(sys_descr="HP Comware Platform Software"), load_kb())
    assert {(e.points_to, e.about) for e in evidence} == {("h3c", "manufacturer"), ("hp", "brand")}


def test_mac_oui_is_nic_evidence_only() -> None:
    kb = load_kb()
    (ev,) = mac_oui(dev(mac="00:E0:FC:12:34:56"), kb)
    assert (ev.points_to, ev.about, ev.weight) == ("huawei", "nic", 0.2)
    assert "00:E0:FC" in ev.detail
    only_mac = identify_device(dev(mac="00:E0:FC:12:34:56"), kb)
    assert only_mac.manufacturer is None  # a NIC maker alone does not name the box
    assert only_mac.brand is None
    assert mac_oui(dev(mac="not a mac"), kb) == []


def test_mac_never_sets_brand_and_is_only_a_weak_conflict() -> None:
    kb = load_kb()
    ident = identify_device(dev(sys_descr="Cisco IOS Software, C2960", mac="00:E0:FC:12:34:56"), kb)
    alone = identify_device(dev(sys_descr="Cisco IOS Software, C2960"), kb)
    assert (ident.manufacturer, ident.brand) == ("cisco", "cisco")
    (conflict,) = ident.conflicts  # listed: the OUI says Huawei, sysDescr says Cisco
    assert "huawei" in conflict
    assert "NIC maker" in conflict
    assert ident.confidence == alone.confidence  # but a NIC block does not lower confidence


def test_relabelled_3com_switch_is_h3c_made() -> None:
    ident = identify_device(
        dev(
            sys_object_id="1.3.6.1.4.1.43.1.16.4.3.85",
            sys_descr="Switch 4210G 24-Port Software Version 5.20 Release 2222P01",
        ),
        load_kb(),
    )
    assert (ident.brand, ident.manufacturer, ident.manufacturer_name) == ("3com", "h3c", "H3C")
    assert ident.confidence > 0.9


def test_hpe_inventory_name_with_comware_is_h3c() -> None:
    ident = identify_device(
        dev(
            manufacturer="Hewlett Packard Enterprise",
            sys_descr="HPE Comware Platform Software",
            model="5900AF",
        ),
        load_kb(),
    )
    assert (ident.brand, ident.manufacturer, ident.model) == ("hpe", "h3c", "5900AF")


def test_unrelated_strong_makers_conflict() -> None:
    ident = identify_device(
        dev(
            manufacturer="Juniper Networks", sys_descr="Huawei Versatile Routing Platform Software"
        ),
        load_kb(),
    )
    assert ident.conflicts
    assert ident.manufacturer is None or ident.confidence < 0.5


def test_nothing_known_is_unknown() -> None:
    (ident,) = identify([dev()], load_kb())
    assert (ident.manufacturer, ident.brand, ident.confidence) == (None, None, 0.0)
    assert ident.to_dict()["node"] == "n1"
    assert MIN_SCORE > 0.2
