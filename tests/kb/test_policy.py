"""Policy verdicts: dates, scopes, brand vs manufacturer, ownership changes, unknowns."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.domain import CoverStatus, DeviceRecord
from cleanpath.identify import Identification, identify_device
from cleanpath.kb import load_kb

VRP = "Huawei Versatile Routing Platform Software VRP (R) software, Version 8.200"
HPE_COMWARE = "HPE Comware Platform Software, Software Version 7.1.045, Release 2422P01"


def _ident(**fields: str) -> Identification:
    return identify_device(DeviceRecord("n1", **fields), load_kb())


def _fcc(ident: Identification, day: date, use: str | None = None):  # type: ignore[no-untyped-def]
    return load_kb().policy("us-fcc").verdict(ident, as_of=day, use=use)


def test_huawei_covered_from_the_day_the_list_was_published() -> None:
    huawei = _ident(sys_object_id="1.3.6.1.4.1.2011.2.360.1.5", sys_descr=VRP)
    before = _fcc(huawei, date(2021, 3, 11))
    on = _fcc(huawei, date(2021, 3, 12))
    assert before.status is CoverStatus.NOT_COVERED
    assert "only since 2021-03-12" in before.reason
    assert on.status is CoverStatus.COVERED
    assert on.entry is not None
    assert (on.entry.entity, on.entry.scope, on.entry.date_added) == (
        "huawei",
        "all",
        date(2021, 3, 12),
    )
    assert "PEN 2011" in on.reason or "Versatile Routing Platform" in on.reason
    assert "scope: all uses" in on.reason
    assert on.node == "n1"
    assert on.policy == "us-fcc"


def test_section_889_part_a_date() -> None:
    zte = _ident(sys_descr="ZTE Ethernet Switch ZXR10 5250-52TM-H, Version: V2.05.11B23")
    policy = load_kb().policy("us-889")
    assert policy.verdict(zte, as_of=date(2019, 8, 12)).status is CoverStatus.NOT_COVERED
    assert policy.verdict(zte, as_of=date(2019, 8, 13)).status is CoverStatus.COVERED
    assert [d.isoformat() for d, _ in policy.milestones] == [
        "2018-08-13",
        "2019-08-13",
        "2020-08-13",
    ]


def test_hpe_branded_comware_is_judged_as_h3c() -> None:
    ident = _ident(
        manufacturer="HPE", sys_object_id="1.3.6.1.4.1.25506.11.1.120", sys_descr=HPE_COMWARE
    )
    assert (ident.brand, ident.manufacturer) == ("hpe", "h3c")
    assert not ident.conflicts
    verdict = _fcc(ident, date(2024, 1, 1))
    assert verdict.status is CoverStatus.NOT_COVERED
    assert "manufacturer H3C, brand HPE" in verdict.reason
    assert "2003 – 2007" in verdict.reason  # the ended Huawei-3Com tie is stated


def test_scoped_entry_states_the_use() -> None:
    hik = _ident(sys_object_id="1.3.6.1.4.1.50001", sys_descr="Hikvision company products")
    assert hik.manufacturer == "hikvision"
    unknown_use = _fcc(hik, date(2025, 1, 1))
    assert unknown_use.status is CoverStatus.COVERED
    assert unknown_use.entry is not None
    assert unknown_use.entry.scope == "public-safety-national-security"
    assert "covered when used for public safety" in unknown_use.reason
    assert _fcc(hik, date(2025, 1, 1), use="public-safety").status is CoverStatus.COVERED
    office = _fcc(hik, date(2025, 1, 1), use="office")
    assert office.status is CoverStatus.NOT_COVERED
    assert "outside that scope" in office.reason


def test_unknown_manufacturer_is_unknown() -> None:
    lwip = _ident(sys_object_id="1.3.6.1.4.1.26381.1.2")
    assert lwip.manufacturer is None
    verdict = _fcc(lwip, date(2025, 1, 1))
    assert verdict.status is CoverStatus.UNKNOWN
    assert verdict.entry is None


def test_listed_maker_at_low_confidence_needs_inspection() -> None:
    """lwIP's bare root sysObjectID names Hytera at confidence 0.36: unknown, not covered."""
    hytera = _ident(sys_object_id="1.3.6.1.4.1.26381")
    assert (hytera.manufacturer, hytera.confidence) == ("hytera", 0.36)
    verdict = _fcc(hytera, date(2025, 1, 1))
    assert verdict.status is CoverStatus.UNKNOWN
    assert verdict.entry is not None
    assert verdict.entry.entity == "hytera"
    assert "needs inspection" in verdict.reason
    assert "bare lwIP" in verdict.reason


def test_honor_counts_as_huawei_only_while_it_was_huawei() -> None:
    honor = _ident(manufacturer="Honor Device Co., Ltd.")
    policy = load_kb().policy("us-889")
    while_huawei = policy.verdict(honor, as_of=date(2020, 11, 16))
    after = policy.verdict(honor, as_of=date(2020, 11, 17))
    assert while_huawei.status is CoverStatus.COVERED
    assert "Honor subsidiary of Huawei" in while_huawei.reason
    assert after.status is CoverStatus.NOT_COVERED
    assert "until 2020-11-17" in after.reason


def test_subsidiary_is_covered_through_its_parent() -> None:
    hisi = _ident(manufacturer="HiSilicon Technologies Co., Ltd.")
    verdict = _fcc(hisi, date(2022, 1, 1))
    assert verdict.status is CoverStatus.COVERED
    assert verdict.entry is not None
    assert verdict.entry.entity == "huawei"


def test_xfusion_tie_is_unverified_so_unknown() -> None:
    xf = _ident(sys_object_id="1.3.6.1.4.1.58132.1")
    assert xf.manufacturer == "xfusion"
    verdict = _fcc(xf, date(2024, 6, 1))
    assert verdict.status is CoverStatus.UNKNOWN
    assert "unverified" in verdict.reason


def test_conflicting_strong_evidence_for_a_listed_maker_is_unknown() -> None:
    mixed = _ident(
        manufacturer="Cisco",
        sys_object_id="1.3.6.1.4.1.2011.2.23.95",
        sys_descr="Cisco IOS Software, C2960 Software",
    )
    assert mixed.conflicts
    verdict = _fcc(mixed, date(2024, 6, 1))
    assert verdict.status is CoverStatus.UNKNOWN
    assert "conflict" in verdict.reason


@pytest.mark.parametrize("name", ["us-fcc", "us-889"])
def test_policies_cover_the_five_equipment_makers(name: str) -> None:
    keys = set(load_kb().policy(name).entity_keys())
    assert {"huawei", "zte", "hytera", "hikvision", "dahua"} <= keys


def test_fcc_later_additions_are_dated_after_the_first_list() -> None:
    policy = load_kb().policy("us-fcc")
    first = {e.entity for e in policy.entries if e.date_added == date(2021, 3, 12)}
    assert first == {"huawei", "zte", "hytera", "hikvision", "dahua"}
    assert all(e.date_added > date(2021, 3, 12) for e in policy.entries if e.entity not in first)


def test_verdict_to_dict() -> None:
    row = _fcc(_ident(sys_descr=VRP), date(2022, 1, 1)).to_dict()
    assert row["status"] == "covered"
    assert row["date_added"] == "2021-03-12"
    assert row["entity"] == "Huawei Technologies Company"


def test_weaker_rival_on_the_list_still_makes_it_unknown() -> None:
    ident = _ident(
        manufacturer="Cisco",
        sys_object_id="1.3.6.1.4.1.39165.1",
        sys_descr="Cisco IOS Software, C2960 Software",
    )
    assert ident.manufacturer == "cisco"
    assert ident.conflicts
    verdict = _fcc(ident, date(2024, 6, 1))
    assert verdict.status is CoverStatus.UNKNOWN
    assert "hikvision" in verdict.reason


@settings(max_examples=80, deadline=None)
@given(
    day=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
    which=st.sampled_from(["HUAWEI", "ZTE Corporation", "Hytera", "Hikvision", "Dahua"]),
    name=st.sampled_from(["us-fcc", "us-889"]),
)
def test_listed_maker_is_covered_exactly_from_its_date(day: date, which: str, name: str) -> None:
    policy = load_kb().policy(name)
    verdict = policy.verdict(_ident(manufacturer=which), as_of=day)
    assert verdict.entry is not None
    expected = CoverStatus.COVERED if day >= verdict.entry.date_added else CoverStatus.NOT_COVERED
    assert verdict.status is expected
    assert str(verdict.entry.date_added) in verdict.reason
