"""UK, Germany and Australia policies: dated, use-scoped verdicts."""

from __future__ import annotations

from datetime import date

import pytest

from cleanpath.domain import CoverStatus, DeviceRecord
from cleanpath.identify import identify_device
from cleanpath.kb import Confidence, load_kb

HUAWEI = DeviceRecord("r1", sys_descr="Huawei Versatile Routing Platform Software")
ZTE = DeviceRecord("r2", sys_descr="ZTE Ethernet Switch ZXR10 5250-52TM-H")
CISCO = DeviceRecord("r3", sys_descr="Cisco IOS Software, C2960")


def _status(policy: str, dev: DeviceRecord, day: date, use: str | None) -> CoverStatus:
    kb = load_kb()
    return kb.policy(policy).verdict(identify_device(dev, kb), as_of=day, use=use).status


@pytest.mark.parametrize(
    ("policy", "dev", "day", "use", "expected"),
    [
        ("uk-huawei", HUAWEI, date(2020, 12, 31), "5g-core", CoverStatus.NOT_COVERED),
        ("uk-huawei", HUAWEI, date(2021, 1, 1), "5g-access", CoverStatus.COVERED),
        ("uk-huawei", HUAWEI, date(2023, 1, 28), "5g-core", CoverStatus.COVERED),
        ("uk-huawei", HUAWEI, date(2024, 1, 1), "enterprise-lan", CoverStatus.NOT_COVERED),
        ("uk-huawei", ZTE, date(2024, 1, 1), "5g-core", CoverStatus.NOT_COVERED),
        ("de-5g", HUAWEI, date(2026, 12, 30), "5g-core", CoverStatus.NOT_COVERED),
        ("de-5g", HUAWEI, date(2026, 12, 31), "5g-core", CoverStatus.COVERED),
        ("de-5g", ZTE, date(2027, 6, 1), "5g-core", CoverStatus.COVERED),
        ("de-5g", ZTE, date(2027, 6, 1), "5g-access-management", CoverStatus.NOT_COVERED),
        ("de-5g", ZTE, date(2030, 1, 1), "5g-access-management", CoverStatus.COVERED),
        ("au-5g", ZTE, date(2018, 8, 22), "5g-core", CoverStatus.NOT_COVERED),
        ("au-5g", HUAWEI, date(2018, 8, 23), "5g-access", CoverStatus.COVERED),
        ("au-5g", CISCO, date(2024, 1, 1), "5g-core", CoverStatus.NOT_COVERED),
    ],
)
def test_jurisdiction_verdicts(
    policy: str, dev: DeviceRecord, day: date, use: str, expected: CoverStatus
) -> None:
    assert _status(policy, dev, day, use) is expected


def test_unknown_use_is_covered_with_the_scope_named() -> None:
    kb = load_kb()
    verdict = kb.policy("de-5g").verdict(identify_device(HUAWEI, kb), as_of=date(2027, 1, 2))
    assert verdict.status is CoverStatus.COVERED
    assert "5g-core" in verdict.reason


@pytest.mark.parametrize("name", ["uk-huawei", "de-5g", "au-5g"])
def test_every_entry_has_source_date_and_confidence(name: str) -> None:
    policy = load_kb().policy(name)
    for entry in policy.entries:
        assert entry.source.url or entry.source.document
        assert entry.date_added.year >= 2018
        assert entry.confidence in (Confidence.HIGH, Confidence.MEDIUM)
        assert entry.uses
