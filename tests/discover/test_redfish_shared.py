"""The Redfish walk on the public mockups in ../shared/data/redfish (DMTF, Gigabyte and HPE
captures; not copied into the repository), served by sushy-static on 127.0.0.1."""

from __future__ import annotations

import pytest

from cleanpath.discover.redfish import collect_redfish
from cleanpath.integrity import baseline_from_evidence, compare, dump_baseline, parse_baseline
from integrity.redfish_servers import sushy_static

pytestmark = pytest.mark.shared

MOCKUPS = [
    "dmtf-public-rackmount1",
    "dmtf-public-tower",
    "crayhpe-gigabyte-h262-z63",
    "crayhpe-hpe-proliant-dl325-gen10plus",
]


@pytest.fixture(scope="module")
def shared_evidence(shared_data):
    out = {}
    for name in MOCKUPS:
        root = shared_data / "redfish" / name
        if not root.is_dir():
            pytest.skip(f"{root} is not present")
        with sushy_static(root) as url:
            out[name] = collect_redfish(url, user="u", password="p")
    return out


@pytest.mark.parametrize("name", MOCKUPS)
def test_baseline_then_audit_against_itself_is_clean(shared_evidence, name):
    ev = shared_evidence[name]
    assert ev.components
    assert ev.firmware
    base = parse_baseline(dump_baseline(baseline_from_evidence(ev)))
    assert compare(ev, base).findings == ()


def test_gigabyte_mellanox_hex_vendor_id(shared_evidence):
    ev = shared_evidence["crayhpe-gigabyte-h262-z63"]
    (cx5,) = [c for c in ev.components if c.kind == "pcie_device"]
    assert (cx5.manufacturer, cx5.vendor_id) == ("Mellanox Technologies", "15b3")  # "0x15b3"
    versions = {f.name: f.version for f in ev.firmware}
    assert versions["BIOS"] == "C27"
    assert versions["BMC"] == "12.84.13"


def test_hpe_decimal_vendor_ids(shared_evidence):
    ev = shared_evidence["crayhpe-hpe-proliant-dl325-gen10plus"]
    ids = {c.vendor_id for c in ev.components if c.kind == "pcie_device"}
    assert {"1077", "102b"} <= ids  # "4215" = QLogic 0x1077, "4139" = Matrox 0x102b
    assert len([f for f in ev.firmware if f.id.startswith("UpdateService/")]) == 12


def test_rackmount1_uses_members_not_the_count(shared_evidence):
    ev = shared_evidence["dmtf-public-rackmount1"]
    inv = sorted(f.id.rsplit("/", 1)[1] for f in ev.firmware if f.id.startswith("UpdateService/"))
    assert inv == ["BIOS", "BMC", "SS"]  # count says 2; AC-RoT0 exists but is not a member
    sid = {f.id.rsplit("/", 1)[1]: f.software_id for f in ev.firmware}
    assert sid["BMC"] == "1624A9DF-5E13-47FC-874A-DF3AFF143089"
    assert sid["SS"] is None  # no SoftwareId in this entry


def test_no_shared_mockup_is_untrusted(shared_evidence):
    for ev in shared_evidence.values():
        assert not any(
            f.kind == "untrusted_vendor" for f in compare(ev, baseline_from_evidence(ev)).findings
        )
