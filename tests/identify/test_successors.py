"""A vendor that took over a product line (``business_from``) and is named by the device
itself takes the former owner's votes: the former owner's enterprise number stays in the
firmware, which is not a conflict. A listed former owner still makes the verdict unknown."""

from __future__ import annotations

from datetime import date

import pytest

from cleanpath.domain import CoverStatus, DeviceRecord
from cleanpath.identify import identify_device
from cleanpath.kb import RelationKind, load_kb

FOUNDRY = "1.3.6.1.4.1.1991.1.3.51.7"  # PEN 1991: Foundry's, Brocade's from 2008


@pytest.mark.parametrize(
    ("dev", "maker"),
    [
        (DeviceRecord("a", sys_object_id=FOUNDRY, sys_descr="Brocade NetIron CER"), "brocade"),
        (
            DeviceRecord(
                "b",
                sys_object_id=FOUNDRY,
                sys_descr="NetIron CER, IronWare Version 5.8",
                extra={"ent_physical_mfg_name": "Extreme Networks, Inc."},
            ),
            "extreme",
        ),
        (
            DeviceRecord(
                "c", sys_object_id=FOUNDRY, sys_descr="Ruckus Wireless, Inc. ICX7150-C12-POE"
            ),
            "ruckus",
        ),
    ],
    ids=["brocade", "extreme-entity", "ruckus-sysdescr"],
)
def test_the_named_successor_takes_the_former_owners_number(dev: DeviceRecord, maker: str) -> None:
    ident = identify_device(dev, load_kb())
    assert ident.manufacturer == maker
    assert ident.conflicts == ()
    assert ident.confidence > 0.85


def test_a_weak_hint_of_the_successor_does_not_take_the_number() -> None:
    """Only the successor's own evidence at least SPECIFIC (0.45) strong takes the votes: a
    MAC block (0.2) does not."""
    kb = load_kb()
    dev = DeviceRecord("d", sys_object_id=FOUNDRY, mac="00:04:96:00:00:01")  # Extreme block
    assert identify_device(dev, kb).manufacturer == "brocade"


def test_a_listed_former_owner_keeps_the_verdict_unknown() -> None:
    """xFusion took over Huawei's x86 servers (unverified): an xFusion-named server under
    Huawei's number is xFusion's, and the US FCC verdict is unknown, never not-covered."""
    kb = load_kb()
    assert any(r.kind == RelationKind.BUSINESS_FROM for r in kb.vendor("xfusion").relations)
    dev = DeviceRecord(
        "srv", sys_object_id="1.3.6.1.4.1.2011.2.235.1.1", sys_descr="xFusion FusionServer iBMC"
    )
    ident = identify_device(dev, kb)
    assert ident.manufacturer == "xfusion"
    verdict = kb.policy("us-fcc").verdict(ident, as_of=date(2026, 1, 1))
    assert verdict.status == CoverStatus.UNKNOWN
