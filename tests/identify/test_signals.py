"""The evidence rules over reader signals (ENTITY-MIB, model numbers, subtrees, MACs, nmap)."""

from __future__ import annotations

from typing import Any

import pytest

from cleanpath.domain import DeviceRecord
from cleanpath.identify import (
    entity_mib,
    identify_device,
    interface_macs,
    lldp_heard,
    model_table,
    name_mentions,
    nmap_signals,
    sys_descr_patterns,
    vendor_subtree,
)
from cleanpath.kb import load_kb


def dev(**extra: Any) -> DeviceRecord:
    return DeviceRecord("n1", extra=extra)


def test_entity_chassis_maker_votes_but_optics_do_not() -> None:
    evidence = entity_mib(
        dev(ent_physical_mfg_name="Huawei", ent_physical_mfg_names=("FS", "Huawei")), load_kb()
    )
    assert {(e.points_to, e.weight > 0) for e in evidence} == {("huawei", True), ("fs-com", False)}


@pytest.mark.parametrize(
    ("model", "maker"),
    [
        ("DS-2CD2043G2-I", "hikvision"),
        ("DS-7732NXI-K4", "hikvision"),
        ("IPC-HDBW2441E-S", "dahua"),
        ("DH-SD6AL245XA-HNR", "dahua"),
        ("S5735-L24P4X-A1", "huawei"),
        ("NE40E-X8", "huawei"),
        ("ZXR10 5950-36TM", "zte"),
        ("ZXA10 C300", "zte"),
    ],
)
def test_model_number_patterns(model: str, maker: str) -> None:
    evidence = sys_descr_patterns(DeviceRecord("n1", model=model), load_kb())
    assert maker in {e.points_to for e in evidence}


@pytest.mark.parametrize("model", ["DS-C9148-16P-K9", "IPC3612LB-SF28-A", "S5800-8TF12S"])
def test_look_alike_models_are_not_target_vendors(model: str) -> None:
    targets = {"huawei", "zte", "h3c", "hikvision", "dahua", "hytera"}
    evidence = sys_descr_patterns(DeviceRecord("n1", model=model), load_kb())
    assert not targets & {e.points_to for e in evidence}


def test_netbox_model_table_and_comware_hint() -> None:
    kb = load_kb()
    (ev,) = model_table(DeviceRecord("n1", model="S5735-L24P4X-A1"), kb)
    assert (ev.points_to, ev.rule) == ("huawei", "model_table")
    hpe = model_table(DeviceRecord("n1", model="FlexFabric 5700-40XG-2QSFP+"), kb)
    assert {(e.points_to, e.about) for e in hpe} == {("hpe", "brand"), ("h3c", "manufacturer")}


@pytest.mark.parametrize("hits", [{2011: 28}, "2011:28", {"2011": "28"}])
def test_vendor_subtree_any_reader_shape(hits: object) -> None:
    (ev,) = vendor_subtree(dev(vendor_subtree_hits=hits), load_kb())
    assert (ev.points_to, ev.weight) == ("huawei", 0.5)


def test_subtree_of_stack_or_own_sysobjectid_is_not_counted_again() -> None:
    kb = load_kb()
    d = DeviceRecord(
        "n1",
        sys_object_id="1.3.6.1.4.1.2011.2.23",
        extra={"vendor_subtree_hits": {8072: 50, 2011: 9}},
    )
    assert vendor_subtree(d, kb) == []


def test_interface_macs_are_nic_evidence_and_a_listed_weak_conflict() -> None:
    kb = load_kb()
    d = DeviceRecord(
        "n1",
        sys_descr="Cisco IOS Software, C2960",
        extra={"if_macs": "00:e0:fc:00:00:01 | 00:e0:fc:00:00:02"},
    )
    (ev,) = interface_macs(d, kb)
    assert (ev.points_to, ev.about) == ("huawei", "nic")
    ident = identify_device(d, kb)
    assert ident.manufacturer == "cisco"
    assert any("NIC maker" in c for c in ident.conflicts)


def test_name_mentions_need_the_name_as_a_word() -> None:
    kb = load_kb()
    assert [
        e.points_to for e in name_mentions(DeviceRecord("n", sys_descr="Ruijie Networks S6150"), kb)
    ] == ["ruijie"]
    assert name_mentions(DeviceRecord("n", sys_descr="HuaweiX-like text"), kb) == []


def test_nmap_signals_read_the_reader_shapes() -> None:
    kb = load_kb()
    d = dev(
        nmap_mac_vendor="Hikvision",
        nmap_os_matches=(
            {"name": "Linux 3.X", "accuracy": 90, "classes": ({"vendor": "Hikvision"},)},
        ),
        banners=({"port": 80, "product": "Hikvision IP camera httpd"},),
    )
    kinds = {(e.rule, e.points_to, e.about) for e in nmap_signals(d, kb) + name_mentions(d, kb)}
    assert ("nmap_signals", "hikvision", "nic") in kinds
    assert ("nmap_signals", "hikvision", "manufacturer") in kinds
    assert ("name_mentions", "hikvision", "manufacturer") in kinds
    assert identify_device(d, kb).manufacturer == "hikvision"


def test_lldp_heard_is_weaker_than_own_words() -> None:
    (ev,) = lldp_heard(
        dev(lldp_rem_sys_desc=("Huawei Versatile Routing Platform Software",)), load_kb()
    )
    assert (ev.points_to, ev.weight) == ("huawei", 0.35)


def test_misused_pen_alone_names_nobody() -> None:
    kb = load_kb()
    # Hikvision's own number, also reported by other makers' boxes (a Microsemi time server)
    ident = identify_device(DeviceRecord("t", sys_object_id="1.3.6.1.4.1.39165.1.1"), kb)
    assert ident.manufacturer is None
    assert ident.candidates[0][0] == "hikvision"
    # lwIP's number below its root: unknown, Hytera (seen on its repeaters) a candidate
    lwip = identify_device(DeviceRecord("h", sys_object_id="1.3.6.1.4.1.26381.1"), kb)
    assert (lwip.manufacturer, lwip.candidates[0][0]) == (None, "hytera")


def test_huawei_smu_through_its_private_mib() -> None:
    d = DeviceRecord(
        "smu",
        sys_object_id="1.3.6.1.4.1.8072.3.2.10",
        sys_descr="Linux box 2.6.27",
        extra={"vendor_subtree_hits": {2011: 28, 8072: 40}},
    )
    assert identify_device(d, load_kb()).manufacturer == "huawei"


def test_ups_mib_manufacturer_when_a_reader_provides_it() -> None:
    (ev,) = entity_mib(dev(ups_ident_manufacturer="HUAWEI"), load_kb())
    assert (ev.points_to, ev.signal) == ("huawei", "ups_ident_manufacturer")


def test_time_server_reporting_hikvisions_number_is_not_hikvision() -> None:
    from datetime import date

    from cleanpath.domain import CoverStatus

    kb = load_kb()
    d = DeviceRecord(
        "ntp1", sys_object_id="1.3.6.1.4.1.39165.1.1", sys_descr="Microsemi SyncServer S650"
    )
    ident = identify_device(d, kb)
    assert ident.manufacturer == "microchip"
    assert ident.conflicts  # the number still points at Hikvision: listed, and ...
    verdict = kb.policy("us-fcc").verdict(ident, as_of=date(2025, 1, 1))
    assert verdict.status is CoverStatus.UNKNOWN  # ... never "covered", never silently clean
