"""The comparator, baseline file and report on small hand-built evidence."""

from __future__ import annotations

import json

import pytest

from cleanpath.errors import InputError
from cleanpath.integrity import (
    AuditReport,
    Component,
    Evidence,
    Failure,
    Firmware,
    baseline_from_evidence,
    compare,
    dump_baseline,
    integrity_findings_by_node,
    parse_baseline,
    parse_evidence,
    render_json,
    render_text,
)
from cleanpath.integrity.compare import version_key
from cleanpath.integrity.vendors import maker_hits

BIOS = "UpdateService/FirmwareInventory/BIOS"


def fw_evidence(version: str, software_id: str | None = None) -> Evidence:
    return Evidence(
        firmware=(Firmware(BIOS, "BIOS", version, software_id, source="redfish"),),
        kinds=("redfish",),
    )


@pytest.mark.parametrize(
    ("allowed", "actual", "kind"),
    [
        (["P79 v1.45"], "P79 v1.44", "firmware_downgraded"),
        (["P79 v1.45"], "P79 v1.46", "firmware_not_allowed"),
        (["1.73.06", "1.74.01"], "1.71.11", "firmware_downgraded"),
        (["1.73.06", "1.74.01"], "1.73.10", "firmware_not_allowed"),
        (["C27"], "C26", "firmware_downgraded"),
        (["A43 v2.52 (10/29/2021)"], "2.46 May 11 2021", "firmware_not_allowed"),  # not comparable
        (["3.4"], "3.4", None),
    ],
)
def test_firmware_allowlist_and_downgrade(allowed, actual, kind):
    base = parse_baseline(dump_baseline(baseline_from_evidence(fw_evidence(allowed[0]))))
    base = base.__class__(
        base.components,
        (base.firmware[0].__class__(BIOS, "BIOS", tuple(allowed), source="redfish"),),
        kinds=base.kinds,
    )
    kinds = [f.kind for f in compare(fw_evidence(actual), base).findings]
    assert kinds == ([kind] if kind else [])


def test_software_id_change_with_same_version_is_reported():
    base = baseline_from_evidence(fw_evidence("1.0", "FEE82A67-6CE2-4625-9F44-237AD2402C28"))
    report = compare(fw_evidence("1.0", "00000000-0000-0000-0000-000000000000"), base)
    assert [f.kind for f in report.findings] == ["firmware_not_allowed"]
    assert "SoftwareId" in report.findings[0].detail


def test_new_firmware_item_has_no_allowlist_entry():
    base = baseline_from_evidence(Evidence(kinds=("redfish",)))
    (f,) = compare(fw_evidence("1.0"), base).findings
    assert (f.kind, f.component, f.expected, f.actual) == (
        "firmware_not_allowed",
        BIOS,
        None,
        "1.0",
    )


def test_version_key_orders_numbers_numerically():
    assert version_key("1.10") > version_key("1.9")
    assert version_key("F1.0C.09") == ((1, "f"), (0, 1), (0, 0), (1, "c"), (0, 9))


def test_known_gaps_in_the_baseline_are_not_reported_again():
    gap = Failure("Chassis/1/Sensors", "HTTP 404: Not Found")
    ev = Evidence(failures=(gap,), kinds=("redfish",))
    assert compare(ev, baseline_from_evidence(ev)).findings == ()
    other = Evidence(failures=(Failure("Managers/1", "HTTP 500: x"),), kinds=("redfish",))
    assert [f.kind for f in compare(other, baseline_from_evidence(ev)).findings] == [
        "evidence_missing"
    ]


def test_missing_evidence_kind_does_not_report_its_components_missing():
    gold = Evidence(
        (Component("memory", "dmi/memory/A", serial_number="1", source="dmidecode"),),
        kinds=("dmidecode",),
    )
    (f,) = compare(Evidence(kinds=("redfish",)), baseline_from_evidence(gold)).findings
    assert (f.kind, f.component) == ("evidence_missing", "dmidecode")


def test_usb_ids_and_manufacturer_names():
    usb = Component("usb_device", "1-2", vendor_id="19d2", source="lsusb")
    assert [(h.kb_vendor, h.signal) for h in maker_hits(usb)] == [("zte", "vendor_id")]
    # the same number on PCI is not ZTE
    assert maker_hits(Component("pci_function", "x", vendor_id="19d2")) == ()
    named = Component("pcie_device", "y", manufacturer="Hangzhou Hikvision Digital Technology")
    assert [h.kb_vendor for h in maker_hits(named)] == ["hikvision"]
    assert maker_hits(Component("pcie_device", "z", manufacturer="Intel Corporation")) == ()
    assert maker_hits(Component("pcie_device", "z", manufacturer="Aztech Systems")) == ()


def sample_report() -> AuditReport:
    gold = Evidence(
        (Component("memory", "M/1", serial_number="A", source="redfish"),),
        (Firmware(BIOS, "BIOS", "1.0", source="redfish"),),
        kinds=("redfish",),
    )
    now = Evidence(
        (Component("pcie_device", "C/1", vendor_id="19e5", source="redfish"),),
        (Firmware(BIOS, "BIOS", "0.9", source="redfish"),),
        failures=(Failure("Chassis/1/PCIeDevices", "HTTP 500: x"),),
        kinds=("redfish",),
    )
    return compare(now, baseline_from_evidence(gold))


def test_json_report_contract():
    doc = json.loads(render_json(sample_report()))
    assert [(f["kind"], f["component"]) for f in doc["findings"]] == [
        ("added", "pcie_device:C/1"),
        ("missing", "memory:M/1"),
        ("firmware_downgraded", BIOS),
        ("untrusted_vendor", "pcie_device:C/1"),
        ("evidence_missing", "Chassis/1/PCIeDevices"),
    ]
    assert doc["ok"] is False
    assert doc["counts"]["added"] == 1
    assert doc["coverage"]["not_examined"] == ["lspci", "lsusb", "dmidecode", "tpm"]


def test_text_report_ends_with_coverage():
    text = render_text(sample_report())
    assert text.index("## Coverage") > text.index("## untrusted_vendor")
    assert "Chassis/1/PCIeDevices: HTTP 500" in text
    assert text.rstrip().splitlines()[-1].startswith("- A part from an untrusted maker")


def test_findings_by_node_for_the_html_report():
    rows = integrity_findings_by_node(
        {"ber1": sample_report(), "ams2": compare(Evidence(), baseline_from_evidence(Evidence()))}
    )
    assert {r["node"] for r in rows} == {"ber1"}
    assert set(rows[0]) == {"node", "kind", "component", "detail"}
    assert [r["kind"] for r in rows][:2] == ["added", "missing"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("format: other\n", "format"),
        ("format: cleanpath-hw-baseline/1\nfirmware: {a: 1}\n", "firmware"),
        ("format: cleanpath-hw-baseline/1\nfirmware:\n  - {name: x}\n", "firmware[0]"),
        (
            "format: cleanpath-hw-baseline/1\nfirmware:\n  - {id: x, allowed: 3}\n",
            "firmware[0].allowed",
        ),
        ("format: cleanpath-hw-baseline/1\npcrs: {sha256: {zero: ab}}\n", "pcrs.sha256"),
    ],
)
def test_bad_baseline_names_the_field(text, where):
    with pytest.raises(InputError) as exc:
        parse_baseline(text, source="gold.yaml")
    assert exc.value.field == where
    assert exc.value.path == "gold.yaml"


def test_bad_yaml_names_the_line():
    with pytest.raises(InputError) as exc:
        parse_baseline("format: cleanpath-hw-baseline/1\ncomponents: [\n  - x: :\n", source="g")
    assert exc.value.line is not None


def test_evidence_round_trip_and_bad_evidence():
    report_ev = Evidence(
        (Component("system", "s", model="M", attrs=(("sku", "1"),)),),
        (Firmware("f", "F", "1"),),
        {"sha256": {0: "ab"}},
        (Failure("x", "y"),),
        ("src",),
        ("redfish", "tpm"),
    )
    assert parse_evidence(json.dumps(report_ev.to_dict())) == report_ev
    with pytest.raises(InputError, match="invalid JSON") as exc:
        parse_evidence('{"format": ', source="ev.json")
    assert exc.value.path == "ev.json"
    with pytest.raises(InputError, match="not a cleanpath evidence"):
        parse_evidence("{}")


def test_unquoted_pci_id_in_a_baseline_is_refused():
    text = (
        "format: cleanpath-hw-baseline/1\n"
        "components:\n  - {kind: pcie_device, slot: s, vendor_id: 8086}\n"
    )
    with pytest.raises(InputError, match="quoted hex") as exc:
        parse_baseline(text, source="gold.yaml")
    assert exc.value.field == "components[0].vendor_id"


def test_integrity_context_fits_the_report_renderers():
    from cleanpath.integrity import integrity_context
    from cleanpath.report.schema import check_context, minimal_context

    clean = compare(
        Evidence(kinds=("redfish",)), baseline_from_evidence(Evidence(kinds=("redfish",)))
    )
    rows = integrity_context({"ber1": sample_report(), "ams2": clean})
    assert [(r["node"], r["status"]) for r in rows] == [("ams2", "ok"), ("ber1", "partial")]
    assert rows[1]["findings"][0]["severity"] == "medium"
    ctx = minimal_context()
    ctx["networks"][0]["integrity"] = rows
    check_context(ctx)
    from cleanpath.report.markdown import render_markdown

    text = render_markdown(ctx)
    assert "untrusted_vendor: pcie_device:C/1" in text


def test_vendor_table_keys_exist_in_the_kb_and_ids_have_sources():
    import yaml

    from cleanpath.integrity.vendors import VENDORS_PATH
    from cleanpath.kb import load_kb

    data = yaml.safe_load(VENDORS_PATH.read_text())
    kb = load_kb()
    rows = data["pci"] + data["usb"] + data["manufacturer_patterns"]
    assert {r["kb_vendor"] for r in rows} <= set(kb.vendors)
    for r in data["pci"] + data["usb"]:
        src = data["sources"][r["source"]]
        assert src["version"]
        assert src["date"]


def test_unknown_policy_is_a_kb_error():
    from cleanpath.errors import KnowledgeBaseError
    from cleanpath.integrity.vendors import untrusted_check

    with pytest.raises(KnowledgeBaseError, match="unknown policy"):
        untrusted_check("no-such-policy")
