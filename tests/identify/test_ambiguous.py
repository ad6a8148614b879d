"""Ambiguous maker names ("Alcatel-Lucent"): support for whichever maker exclusive evidence
names, never a conflict with it; alone, an unknown with both candidates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cleanpath.domain import CoverStatus, DeviceRecord
from cleanpath.identify import identify, identify_device
from cleanpath.identify.evaluate import score
from cleanpath.ingest.snmprec import read_snmprec
from cleanpath.kb import load_kb

ALE, NOKIA = "alcatel-lucent-enterprise", "nokia"


@pytest.fixture(scope="module")
def idents(data_dir: Path) -> dict[str, object]:
    inv = read_snmprec(data_dir / "identify" / "ambiguous")
    return {i.node: i for i in identify(inv.devices, load_kb())}


@pytest.mark.parametrize(("node", "maker"), [("ale-switch", ALE), ("nokia-router", NOKIA)])
def test_exclusive_evidence_decides(idents: dict, node: str, maker: str) -> None:
    ident = idents[node]
    assert ident.manufacturer == maker
    assert ident.conflicts == ()
    # the shared name added to the enterprise number's 0.8: 1 - 0.2 * 0.25
    assert ident.confidence == pytest.approx(0.95)
    shared = [e for e in ident.evidence if e.among]
    assert [(e.value, e.points_to, set(e.among)) for e in shared] == [
        ("Alcatel-Lucent", None, {ALE, NOKIA})
    ]
    assert "one of" in str(shared[0])
    assert shared[0].to_dict()["among"] == list(shared[0].among)


def test_the_name_alone_names_no_maker(idents: dict) -> None:
    ident = idents["name-only"]
    assert ident.manufacturer is None
    assert ident.confidence == 0.0
    assert {k for k, _ in ident.candidates} == {ALE, NOKIA}
    verdict = load_kb().policy("us-fcc").verdict(ident, as_of=date(2026, 1, 1))
    assert verdict.status == CoverStatus.UNKNOWN
    assert "no evidence names it; it may be" in verdict.reason
    assert ALE in verdict.reason
    assert NOKIA in verdict.reason


def test_ambiguous_manufacturer_column_and_mention() -> None:
    kb = load_kb()
    col = DeviceRecord("pbx", manufacturer="Tandberg", sys_object_id="1.3.6.1.4.1.5596.1")
    assert identify_device(col, kb).manufacturer == "cisco"  # Tandberg ASA's number
    text = DeviceRecord("sw", sys_descr="Alcatel-Lucent switch", mac="00:e0:b1:00:00:01")
    got = identify_device(text, kb)
    mention = [e for e in got.evidence if e.rule == "name_mentions"]
    assert [set(e.among) for e in mention] == [{ALE, NOKIA}]


def test_the_name_still_conflicts_with_a_third_maker() -> None:
    """Neither candidate has other evidence: the name names no one, but it is not Cisco."""
    kb = load_kb()
    dev = DeviceRecord(
        "x", sys_object_id="1.3.6.1.4.1.9.1.1", extra={"ent_physical_mfg_name": "Alcatel-Lucent"}
    )
    ident = identify_device(dev, kb)
    assert ident.manufacturer is None  # 0.8 x (1 - 0.75) is below the naming threshold
    assert len(ident.conflicts) == 1
    assert "cisco vs ent_physical_mfg_name 'Alcatel-Lucent'" in ident.conflicts[0]
    assert {k for k, _ in ident.candidates} == {"cisco", ALE, NOKIA}


def test_an_ambiguous_label_is_met_by_any_of_its_makers() -> None:
    kb = load_kb()
    devs = [
        DeviceRecord("lib", sys_object_id="1.3.6.1.4.1.3073.2.3"),  # Exabyte -> Tandberg Data
        DeviceRecord("cam", sys_object_id="1.3.6.1.4.1.9.1.1"),  # Cisco
        DeviceRecord("ups", sys_object_id="1.3.6.1.4.1.318.1"),  # APC: neither
    ]
    s = score(devs, identify(devs, kb), {d.node: "Tandberg" for d in devs}, kb)
    assert (s.labelled, s.correct) == (3, 2)
    assert [m[0] for m in s.misses] == ["ups"]


def test_a_split_business_number_names_one_of_its_makers() -> None:
    """PEN 637 (Alcatel's): Nokia's ISAM and ALE's OmniPCX both report it (pens.csv lists
    ``nokia | alcatel-lucent-enterprise``); alone it names neither."""
    kb = load_kb()
    assert kb.pen(637).among == (NOKIA, ALE)
    assert kb.pen(637).vendor_key is None
    alone = identify_device(DeviceRecord("pbx", sys_object_id="1.3.6.1.4.1.637.64.4400.1"), kb)
    assert alone.manufacturer is None
    assert {k for k, _ in alone.candidates} == {NOKIA, ALE}
    isam = DeviceRecord("olt", sys_object_id="1.3.6.1.4.1.637.61.1", sys_descr="TiMOS-B-6.1 ISAM")
    pbx = DeviceRecord("pbx", sys_object_id="1.3.6.1.4.1.637.64.4400.1", sys_descr="OmniPCX 4400")
    assert identify_device(isam, kb).manufacturer == NOKIA
    assert identify_device(pbx, kb).manufacturer == ALE
    assert identify_device(pbx, kb).conflicts == ()
