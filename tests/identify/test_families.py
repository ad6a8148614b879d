"""Product-family patterns and names of issue 3's accuracy round, on our own small fixtures
(tests/data/identify/families.csv): each rule names the maker it states, and a stack's own
word names nobody."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cleanpath.domain import DeviceRecord
from cleanpath.identify import identify_device
from cleanpath.identify.appliance import STACK_MAC, stack_agent_macs
from cleanpath.identify.signals import HOST_MENTION, MENTION, entity_mib, name_mentions
from cleanpath.kb import load_kb

_FIXTURES = Path(__file__).resolve().parents[1] / "data" / "identify" / "families.csv"


def _rows() -> list[dict[str, str]]:
    lines = [x for x in _FIXTURES.read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["sys_descr"][:30] or r["sys_object_id"])
def test_family_fixture(row: dict[str, str]) -> None:
    extra = {"ent_physical_mfg_name": row["ent_physical_mfg_name"]}
    dev = DeviceRecord(
        "d",
        sys_object_id=row["sys_object_id"] or None,
        sys_descr=row["sys_descr"] or None,
        extra={k: v for k, v in extra.items() if v},
    )
    ident = identify_device(dev, load_kb())
    assert ident.manufacturer == (row["expected"] or None), ident.evidence


def test_default_host_name_mention_is_weaker_than_own_words() -> None:
    kb = load_kb()
    (host,) = name_mentions(DeviceRecord("d", sys_descr="Linux ABB-0a1b2c 6.1.0 #1"), kb)
    (word,) = name_mentions(DeviceRecord("d", sys_descr="ABB power supervisor"), kb)
    assert (host.points_to, host.weight, word.weight) == ("abb", HOST_MENTION, MENTION)
    assert "default host name" in host.detail


def test_neighbours_words_are_not_mentions() -> None:
    """A neighbour's LLDP description is never read as the device's own words."""
    dev = DeviceRecord("d", extra={"lldp_rem_sys_desc": ("Huawei Versatile Routing Platform",)})
    assert name_mentions(dev, load_kb()) == []


def test_stack_and_chip_names_in_entity_mib_name_nobody() -> None:
    kb = load_kb()
    (ev,) = entity_mib(DeviceRecord("d", extra={"ent_physical_mfg_name": "Aricent"}), kb)
    assert (ev.points_to, ev.weight) == (None, 0.0)
    assert "not the box" in ev.detail


def test_subsidiary_evidence_takes_the_parents_votes() -> None:
    """HPE's enterprise number on an ArubaOS-CX switch: HPE Aruba, not HPE."""
    dev = DeviceRecord(
        "d",
        sys_object_id="1.3.6.1.4.1.47196.4.1.1.1.100",
        sys_descr="ArubaOS-CX Switch 6300M",
    )
    ident = identify_device(dev, load_kb())
    assert ident.manufacturer == "aruba"
    assert {e.points_to for e in ident.evidence} >= {"hpe", "aruba"}


@pytest.mark.shared
def test_no_pattern_names_another_labelled_maker(shared_data: Path) -> None:
    """Every manufacturer pattern matches only devices.csv rows of its own maker (or of a
    related vendor: its group or a relabeller, or unlabelled rows), as patterns.yaml's
    header states."""
    from cleanpath.identify.evaluate import devices_from_labelled_rows
    from cleanpath.identify.fusion import _related
    from cleanpath.identify.rules import text_field

    kb = load_kb()
    with (shared_data / "devices" / "devices.csv").open(encoding="utf-8", newline="") as fh:
        devices, labels = devices_from_labelled_rows(list(csv.DictReader(fh)))
    wrong = []
    for p in (p for p in kb.patterns if p.manufacturer):
        for d in devices:
            texts = (text_field(d, f) for f in p.fields)
            if not any(t and p.regex.search(t) for t in texts) or not labels[d.node]:
                continue
            truth = kb.vendor_by_name(labels[d.node])
            related = truth is not None and (
                truth.key == p.manufacturer or _related(truth.key, p.manufacturer, kb)
            )
            if not related:
                wrong.append((p.id, d.node, labels[d.node]))
    assert wrong == []


NET_SNMP = "1.3.6.1.4.1.8072.3.2.10"


@pytest.mark.parametrize(
    ("oid", "macs", "expected"),
    [
        (NET_SNMP, ("00:1e:42:00:00:01",), "teltonika"),  # Teltonika's block
        (NET_SNMP, ("00:1e:42:00:00:01", "00:1e:42:00:00:02"), "teltonika"),
        (NET_SNMP, ("00:50:56:00:00:01",), None),  # VMware: a virtual NIC
        (NET_SNMP, ("00:1e:42:00:00:01", "00:50:56:00:00:01"), None),  # two owners
        ("1.3.6.1.4.1.2011.2.23", ("00:1e:42:00:00:01",), None),  # not a stack's number
        (NET_SNMP, ("00:1b:21:00:00:01",), None),  # Intel: a NIC chip maker
    ],
)
def test_stack_agent_macs(oid: str, macs: tuple[str, ...], expected: str | None) -> None:
    dev = DeviceRecord(
        "d", sys_object_id=oid, sys_descr="Linux box 5.4.0", mac=macs[0],
        extra={"if_macs": macs[1:]},
    )  # fmt: skip
    found = stack_agent_macs(dev, load_kb())
    assert [e.points_to for e in found] == ([expected] if expected else [])
    if expected:
        ident = identify_device(dev, load_kb())
        assert (ident.manufacturer, ident.confidence) == (expected, STACK_MAC)
