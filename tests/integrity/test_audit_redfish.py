"""End to end: baseline from our Supermicro-shaped mockup served by sushy-static, audit of a
tampered copy, the CLI's JSON contract and exit codes, and a partial audit of a bad BMC."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import cleanpath.cli.hw  # noqa: F401  (registers `cleanpath hw`)
from cleanpath.discover.redfish import collect_redfish
from cleanpath.integrity import (
    FINDING_KINDS,
    audit_evidence,
    baseline_from_evidence,
    compare,
    dump_baseline,
    parse_baseline,
)
from cli.helpers import run_cli as run_cli_outcome
from servers import free_port

from .redfish_servers import SMC, faulty_redfish, sushy_static, tamper

NIC = "pcie_device:Chassis/1/PCIeDevices/Slot1"
EXPECTED = {
    ("changed", NIC),
    ("untrusted_vendor", NIC),
    ("firmware_not_allowed", "UpdateService/FirmwareInventory/BIOS"),
    ("missing", "memory:Systems/1/Memory/P2-DIMMB1"),
}


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """``cleanpath ARGV`` in-process (tests/cli/helpers.py): (exit code, stdout, stderr)."""
    r = run_cli_outcome(capsys, *argv)
    return r.code, r.out, r.err


@pytest.fixture(scope="module")
def tampered(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mockup") / "smc"
    shutil.copytree(SMC, root)
    tamper(root)
    return root


@pytest.fixture(scope="module")
def gold():
    with sushy_static(SMC) as url:
        return collect_redfish(url, user="u", password="p")


def test_golden_mockup_audits_clean_against_itself(gold):
    base = parse_baseline(dump_baseline(baseline_from_evidence(gold)))
    assert compare(gold, base).findings == ()


def test_tampered_copy_gives_exactly_the_three_changes(gold, tampered):
    base = baseline_from_evidence(gold)
    with sushy_static(tampered) as url:
        ev = collect_redfish(url, user="u", password="p")
    report = audit_evidence(ev, base)
    assert {(f.kind, f.component) for f in report.findings} == EXPECTED
    assert len(report.findings) == len(EXPECTED)
    by_kind = {f.kind: f for f in report.findings}
    changed = by_kind["changed"]
    assert "vendor_id=15b3" in changed.expected
    assert "vendor_id=19e5" in changed.actual
    assert "manufacturer" in changed.detail
    assert "serial_number" in changed.detail
    assert "19e5" in by_kind["untrusted_vendor"].detail
    assert by_kind["untrusted_vendor"].actual == "huawei"
    fw = by_kind["firmware_not_allowed"]
    assert (fw.expected, fw.actual) == ("3.4", "3.5")


def test_us_fcc_policy_decides_the_vendor_finding(gold, tampered):
    from datetime import date

    with sushy_static(tampered) as url:
        ev = collect_redfish(url)
    base = baseline_from_evidence(gold)
    now = audit_evidence(ev, base, policy="us-fcc", as_of=date(2024, 1, 1))
    hit = next(f for f in now.findings if f.kind == "untrusted_vendor")
    assert "us-fcc" in hit.detail
    assert "covered" in hit.detail
    before = audit_evidence(ev, base, policy="us-fcc", as_of=date(2020, 1, 1))
    assert not any(f.kind == "untrusted_vendor" for f in before.findings)  # listed 2021-03-12


def test_cli_baseline_then_json_audit(tmp_path, tampered, capsys):
    base = tmp_path / "gold.yaml"
    with sushy_static(SMC) as url:
        code, _, err = run_cli(
            capsys,
            "hw",
            "baseline",
            "create",
            "--redfish",
            url,
            "--user",
            "u",
            "--password",
            "p",
            "--out",
            str(base),
        )
        assert code == 0
        assert "baseline:" in err
        code, out, _ = run_cli(capsys, "hw", "audit", "--redfish", url, "--baseline", str(base))
        assert code == 0
        assert "no deviation found in the evidence examined" in out
        assert "cannot detect" in out
    with sushy_static(tampered) as url:
        code, out, _ = run_cli(
            capsys,
            "hw",
            "audit",
            "--redfish",
            url,
            "--user",
            "u",
            "--baseline",
            str(base),
            "--format",
            "json",
        )
    assert code == 1
    doc = json.loads(out)
    assert {(f["kind"], f["component"]) for f in doc["findings"]} == EXPECTED
    for f in doc["findings"]:
        assert set(f) == {"kind", "component", "expected", "actual", "detail"}
        assert f["kind"] in FINDING_KINDS
    assert set(FINDING_KINDS) == {
        "added",
        "missing",
        "changed",
        "firmware_not_allowed",
        "firmware_downgraded",
        "untrusted_vendor",
        "pcr_mismatch",
        "evidence_missing",
    }
    cov = doc["coverage"]
    assert cov["evidence"] == {"redfish": "self-reported by the BMC"}
    assert any("implant" in t for t in cov["cannot_detect"])
    assert any("self-reported by the BMC" in t for t in cov["cannot_detect"])
    assert any("root of trust" in t for t in cov["cannot_detect"])


def test_cli_collect_saves_evidence_that_audits_the_same(tmp_path, gold, capsys):
    saved = tmp_path / "ev.json"
    with sushy_static(SMC) as url:
        code, _, _ = run_cli(capsys, "hw", "collect", "--redfish", url, "--out", str(saved))
    assert code == 0
    base = tmp_path / "gold.yaml"
    base.write_text(dump_baseline(baseline_from_evidence(gold)))
    code, out, _ = run_cli(capsys, "hw", "audit", "--evidence", str(saved), "--baseline", str(base))
    assert code == 0, out


def test_bad_bmc_gives_partial_audit_with_failures(tmp_path, gold, capsys):
    base = tmp_path / "gold.yaml"
    base.write_text(dump_baseline(baseline_from_evidence(gold)))
    faults = {
        "/redfish/v1/Systems/1/Memory": "500",
        "/redfish/v1/UpdateService/FirmwareInventory/BMC": "truncated",
    }
    with faulty_redfish(SMC, faults) as url:
        code, out, err = run_cli(
            capsys, "hw", "audit", "--redfish", url, "--baseline", str(base), "--format", "json"
        )
    assert code == 1
    assert "could not read Systems/1/Memory: HTTP 500" in err
    doc = json.loads(out)
    kinds = {(f["kind"], f["component"]) for f in doc["findings"]}
    # failures are evidence_missing, and what sits under them is not reported missing
    assert kinds == {
        ("evidence_missing", "Systems/1/Memory"),
        ("evidence_missing", "UpdateService/FirmwareInventory/BMC"),
    }
    memory = next(f for f in doc["findings"] if f["component"] == "Systems/1/Memory")
    assert "4 baseline component(s)" in memory["detail"]
    assert {f["where"] for f in doc["coverage"]["failures"]} == {
        "Systems/1/Memory",
        "UpdateService/FirmwareInventory/BMC",
    }


def test_unreachable_bmc_audit_and_baseline(tmp_path, gold, capsys):
    base = tmp_path / "gold.yaml"
    base.write_text(dump_baseline(baseline_from_evidence(gold)))
    url = f"http://127.0.0.1:{free_port()}"
    code, out, err = run_cli(
        capsys, "hw", "audit", "--redfish", url, "--baseline", str(base), "--timeout", "2"
    )
    assert code == 1
    assert "cannot reach" in err
    assert "evidence_missing (1)" in out
    assert "## missing" not in out
    code, _, err = run_cli(
        capsys,
        "hw",
        "baseline",
        "create",
        "--redfish",
        url,
        "--out",
        str(tmp_path / "x.yaml"),
        "--timeout",
        "2",
    )
    assert code == 1
    assert "no baseline written" in err
    assert not (tmp_path / "x.yaml").exists()


def test_bad_baseline_file_is_one_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: cleanpath-hw-baseline/1\ncomponents:\n  - {kind: memory}\n")
    code, _out, err = run_cli(capsys, "hw", "audit", "--evidence", str(bad), "--baseline", str(bad))
    assert code == 1
    assert "Traceback" not in err
    assert "bad.yaml" in err
    assert "components[0]" in err


def test_cli_session_auth(tmp_path, gold, capsys, monkeypatch):
    base = tmp_path / "gold.yaml"
    base.write_text(dump_baseline(baseline_from_evidence(gold)))
    monkeypatch.setenv("CLEANPATH_REDFISH_PASSWORD", "secret")
    with faulty_redfish(SMC, {}, session_log=[]) as url:
        code, out, err = run_cli(
            capsys,
            "hw",
            "audit",
            "--redfish",
            url,
            "--user",
            "audit",
            "--auth",
            "session",
            "--baseline",
            str(base),
        )
    assert code == 0, err
    assert "0 finding(s)" in out
