"""``cleanpath identify``: reader choice, formats, policy and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleanpath.cli import app
from cleanpath.cli import identify as _identify  # noqa: F401  (registers the command)
from cleanpath.cli.identify import read_input
from cleanpath.errors import InputError
from cli.helpers import run_cli

runner = CliRunner()


def _csv(result_output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result_output)))


def test_inventory_csv_and_snmprec_folder(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = str(data_dir / "inventory" / "inventory.csv")
    recordings = str(data_dir / "identify" / "recordings")
    args = ["identify", inventory, recordings, "--as-of", "2025-01-01", "--format", "csv"]
    strict = run_cli(capsys, *args)  # the fixture has three bad rows (lines 4, 6, 7)
    assert strict.code == 1
    assert "inventory.csv:4: missing node" in strict.err
    assert "Traceback" not in strict.err
    res = runner.invoke(app, [*args, "--skip-bad"])
    assert res.exit_code == 0, res.output
    assert "3 records skipped" in res.output
    rows = {r["device"]: r for r in _csv(res.stdout)}
    columns = ("source", "device", "brand", "manufacturer", "model", "confidence", "covered")
    assert set(columns) | {"evidence"} <= set(next(iter(rows.values())))
    assert rows["core1.example"]["covered"] == "covered"  # inventory CSV: device = hostname
    smu = rows["smu-power"]  # net-snmp agent; a walk of Huawei's private MIB names the maker
    assert (smu["manufacturer"], smu["covered"]) == ("Huawei", "covered")
    assert "vendor_subtree" in smu["evidence"]
    assert (rows["acc-comware"]["manufacturer"], rows["acc-comware"]["brand"]) == ("H3C", "hp")
    assert rows["cam-rebadged"]["manufacturer"] == "Hikvision"  # model number on a generic box
    cisco = rows["edge-cisco"]
    assert (cisco["manufacturer"], cisco["covered"]) == ("Cisco", "not_covered")
    assert "NIC maker" in cisco["conflicts"]  # its interface MAC is in a Huawei block


def test_json_and_policy_dates(data_dir: Path) -> None:
    recs = str(data_dir / "identify" / "recordings")
    args = ["identify", recs, "--policy", "us-fcc", "--format", "json", "--as-of"]
    before = runner.invoke(app, [*args, "2020-01-01"])
    after = runner.invoke(app, [*args, "2022-01-01"])
    assert before.exit_code == after.exit_code == 0
    assert {r["device"]: r["covered"] for r in json.loads(after.stdout)}["smu-power"] == "covered"
    status = {r["device"]: r["covered"] for r in json.loads(before.stdout)}
    assert status["smu-power"] == "not_covered"  # not yet on the list in 2020


def test_bad_snmprec_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "junk.snmprec"
    bad.write_bytes(b"1.3.6.1.2.1.1.1.0|4|ok\n1.3.6.1.2.1.1.2.0|6|not-an-oid\n")
    with pytest.raises(Exception, match=r"junk.snmprec:2"):
        read_input(bad)
    skipped = runner.invoke(app, ["identify", str(bad), "--skip-bad", "--format", "csv"])
    assert skipped.exit_code == 0
    assert "1 records skipped" in skipped.stderr


def test_unknown_csv_header_is_one_clear_error(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    res = runner.invoke(app, ["identify", str(odd)])
    assert res.exit_code != 0
    assert "odd.csv" in str(res.exception) or "odd.csv" in res.output


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    junk=st.binary(max_size=300),
    suffix=st.sampled_from([".csv", ".snmprec", ".xml", ".json"]),
    header=st.sampled_from(
        [b"", b"node,mac,sys_object_id\n", b"1.3.6.1.2.1.1.1.0|4x|", b"<nmaprun>"]
    ),
)
def test_junk_input_is_an_input_error_or_an_inventory(
    tmp_path: Path, junk: bytes, suffix: str, header: bytes
) -> None:
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(header + junk)
    try:
        inv = read_input(path, skip_bad=True)
    except InputError as exc:
        message = str(exc)
    else:
        message = "junk: read"
        assert all(d.node for d in inv.devices)
    assert "junk" in message  # an error names the file


def test_netbox_device_and_interface_exports_are_merged(data_dir: Path) -> None:
    d = data_dir / "identify"
    res = runner.invoke(
        app,
        ["identify", str(d / "netbox_devices.csv"), str(d / "netbox_interfaces.csv"),
         "--as-of", "2025-01-01", "--format", "csv"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = {r["device"]: r for r in _csv(res.stdout)}
    assert rows["edge-hw1"]["manufacturer"] == "Huawei"
    assert "model_table" in rows["edge-hw1"]["evidence"]
    assert rows["cam-dh1"]["manufacturer"] == "Dahua"
    assert (rows["sw-hpe1"]["manufacturer"], rows["sw-hpe1"]["brand"]) == ("H3C", "hpe")


def test_nmap_xml_mac_vendor_banner_and_os(data_dir: Path) -> None:
    res = runner.invoke(
        app, ["identify", str(data_dir / "identify" / "nmap_scan.xml"), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    rows = {r["device"]: r for r in json.loads(res.stdout)}
    assert rows["192.0.2.5"]["manufacturer"] == "Hikvision"
    assert "name_mentions" in rows["192.0.2.5"]["evidence"]
    assert rows["192.0.2.6"]["manufacturer"] == "Cisco"
    assert "nmap_os_matches" in rows["192.0.2.6"]["evidence"]
    assert len(rows) == 2  # the host that was down is skipped and counted
    assert "1 records skipped" in res.stderr


def test_lldp_description_is_evidence_about_the_neighbour_only(data_dir: Path) -> None:
    res = runner.invoke(
        app, ["identify", str(data_dir / "identify" / "lldp_neighbours.csv"), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    rows = {r["device"]: r for r in json.loads(res.stdout)}
    assert rows["agg1"]["manufacturer"] == "Huawei"
    assert "lldp_heard" in rows["agg1"]["evidence"]
    assert rows["core1"]["manufacturer"] == ""  # what core1 heard says nothing about core1
    assert rows["core1"]["covered"] == "unknown"


def test_use_scoped_policy(data_dir: Path) -> None:
    recs = str(data_dir / "identify" / "recordings")
    args = ["identify", recs, "--policy", "de-5g", "--as-of", "2027-06-01", "--format", "json"]
    core = runner.invoke(app, [*args, "--use", "5g-core"])
    mgmt = runner.invoke(app, [*args, "--use", "5g-access-management"])
    assert core.exit_code == mgmt.exit_code == 0
    assert {r["device"]: r["covered"] for r in json.loads(core.stdout)}["smu-power"] == "covered"
    status = {r["device"]: r["covered"] for r in json.loads(mgmt.stdout)}
    assert status["smu-power"] == "not_covered"


def test_an_unreadable_file_is_one_skipped_record_with_skip_bad(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.snmprec"
    empty.write_text("", encoding="utf-8")
    recordings = str(data_dir / "identify" / "recordings")
    strict = run_cli(capsys, "identify", str(empty), recordings, "--format", "json")
    assert strict.code == 1
    assert "empty.snmprec" in strict.err
    assert strict.out == ""
    res = run_cli(capsys, "identify", str(empty), recordings, "--format", "json", "--skip-bad")
    assert res.code == 0, res.err
    assert {r["device"] for r in json.loads(res.out)} >= {"smu-power", "acc-comware"}
    assert "empty.snmprec" in res.err
    assert "1 records skipped" in res.err


def test_json_confidence_is_a_number_and_the_policy_setting_applies(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    recs = str(data_dir / "identify" / "recordings")
    args = ("identify", recs, "--format", "json", "--as-of", "2025-01-01")
    fcc = {r["device"]: r for r in json.loads(run_cli(capsys, *args).out)}
    assert isinstance(fcc["smu-power"]["confidence"], float)
    assert 0.0 < fcc["smu-power"]["confidence"] <= 1.0
    monkeypatch.setenv("CLEANPATH_POLICY", "uk-huawei")  # no --policy: the setting decides
    uk = {r["device"]: r for r in json.loads(run_cli(capsys, *args).out)}
    assert "FCC" in fcc["smu-power"]["reason"]
    assert "FCC" not in uk["smu-power"]["reason"]
