"""``cleanpath audit``: the JSON contract, trust sources, demands, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import run_cli


@pytest.fixture
def ring(data_dir: Path) -> Path:
    return data_dir / "audit" / "ring.graphml"


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    res = run_cli(capsys, "audit", *args, "--format", "json")
    assert res.code == 0, res.err
    return json.loads(res.out)


def test_json_contract_shape(capsys: pytest.CaptureFixture[str], ring: Path) -> None:
    doc = _json(capsys, str(ring), "--untrusted-nodes", "b", "--demands", "all-pairs")
    assert {"nodes", "demands", "summary"} <= set(doc)
    assert [n["id"] for n in doc["nodes"]] == ["a", "b", "c", "d", "e", "x"]
    for n in doc["nodes"]:
        assert set(n) >= {"id", "label", "untrusted", "carried_volume", "carried_sensitive_volume"}
    assert [n["id"] for n in doc["nodes"] if n["untrusted"]] == ["b"]
    for d in doc["demands"]:
        assert set(d) >= {"src", "dst", "volume", "class", "exposed_share", "clean_path_exists",
                          "stretch"}  # fmt: skip
    # 6 nodes -> 30 ordered pairs, all listed (top 100 > 30)
    assert len(doc["demands"]) == 30
    by_pair = {(d["src"], d["dst"]): d for d in doc["demands"]}
    # a -> c: two equal paths a-b-c and a-d-c; half crosses b
    assert by_pair["a", "c"]["exposed_share"] == pytest.approx(0.5)
    assert by_pair["a", "c"]["clean_path_exists"] is True
    assert by_pair["a", "c"]["stretch"] == pytest.approx(1.0)
    # untrusted endpoint: share 1, no clean path, stretch null
    assert by_pair["b", "e"]["exposed_share"] == 1.0
    assert by_pair["b", "e"]["clean_path_exists"] is False
    assert by_pair["b", "e"]["stretch"] is None
    # the island x is unreachable: reported, not dropped
    assert by_pair["a", "x"]["exposed_share"] is None
    assert doc["summary"]["unroutable"] == 10
    # carried volume counts each demand at its source and destination too
    a = next(n for n in doc["nodes"] if n["id"] == "a")
    routable_through_a = sum(
        d["volume"] * (1.0 if "a" in (d["src"], d["dst"]) else 0.0)
        for d in doc["demands"] if d["exposed_share"] is not None
    )  # fmt: skip
    assert a["carried_volume"] >= routable_through_a


def test_top_and_all_demands(capsys: pytest.CaptureFixture[str], ring: Path) -> None:
    top = _json(capsys, str(ring), "--untrusted-nodes", "b", "--demands", "all-pairs",
                "--top", "3")  # fmt: skip
    assert len(top["demands"]) == 3
    # worst first: unroutable pairs lead
    assert all(d["exposed_share"] is None for d in top["demands"])
    full = _json(capsys, str(ring), "--untrusted-nodes", "b", "--demands", "all-pairs",
                 "--top", "3", "--all-demands")  # fmt: skip
    assert len(full["demands"]) == 30


def test_untrusted_nodes_from_file(
    capsys: pytest.CaptureFixture[str], ring: Path, tmp_path: Path
) -> None:
    f = tmp_path / "bad.txt"
    f.write_text("# untrusted\nb\n\nd\n")
    doc = _json(capsys, str(ring), "--untrusted-nodes", f"@{f}", "--demands", "all-pairs")
    assert sorted(n["id"] for n in doc["nodes"] if n["untrusted"]) == ["b", "d"]
    by_pair = {(d["src"], d["dst"]): d for d in doc["demands"]}
    assert by_pair["a", "c"]["exposed_share"] == 1.0
    assert by_pair["a", "c"]["clean_path_exists"] is False


def test_inventory_sets_trust_and_reports_skips(
    capsys: pytest.CaptureFixture[str], ring: Path, data_dir: Path
) -> None:
    inv = data_dir / "audit" / "inventory.csv"
    doc = _json(capsys, str(ring), "--inventory", str(inv), "--as-of", "2026-01-01",
                "--demands", "all-pairs")  # fmt: skip
    # b is Huawei (OUI + sysObjectID + VRP), d is ZTE: both on the Covered List since 2021
    assert sorted(n["id"] for n in doc["nodes"] if n["untrusted"]) == ["b", "d"]
    assert doc["summary"]["covered_devices"] == 2
    assert any("nosuch" in s for s in doc["skipped"])
    before = _json(capsys, str(ring), "--inventory", str(inv), "--as-of", "2021-03-11",
                   "--demands", "all-pairs")  # fmt: skip
    assert [n["id"] for n in before["nodes"] if n["untrusted"]] == []


def test_sites_make_sensitive_demands(
    capsys: pytest.CaptureFixture[str], ring: Path, data_dir: Path
) -> None:
    doc = _json(capsys, str(ring), "--untrusted-nodes", "d", "--sites",
                str(data_dir / "audit" / "sites.csv"), "--demands", "all-pairs")  # fmt: skip
    sens = [d for d in doc["demands"] if d["class"] == "sensitive"]
    # Base One attaches to e, the hub to a: e->a and a->e are added as sensitive demands
    assert {(d["src"], d["dst"]) for d in sens} == {("e", "a"), ("a", "e")}
    assert all(d["exposed_share"] == 1.0 and not d["clean_path_exists"] for d in sens)
    assert doc["summary"]["sensitive_exposed_share"] == 1.0


def test_demands_file(capsys: pytest.CaptureFixture[str], ring: Path, tmp_path: Path) -> None:
    f = tmp_path / "dem.csv"
    f.write_text("src,dst,volume,class\na,c,10,sensitive\nc,a,4,normal\n")
    doc = _json(capsys, str(ring), "--untrusted-nodes", "b", "--demands", str(f))
    assert len(doc["demands"]) == 2
    first = doc["demands"][0]
    assert (first["src"], first["dst"], first["class"]) == ("a", "c", "sensitive")
    assert doc["summary"]["sensitive_exposed_volume"] == pytest.approx(5.0)
    b = next(n for n in doc["nodes"] if n["id"] == "b")
    assert b["carried_volume"] == pytest.approx(7.0)
    assert b["carried_sensitive_volume"] == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--untrusted-nodes", "zz"], "unknown node id 'zz'"),
        (["--as-of", "yesterday"], "not a date"),
        (["--policy", "mars"], "mars"),
        (["--format", "xml"], "unknown format"),
        (["--untrusted-nodes", "@/nonexistent/list.txt"], "cannot read node list"),
    ],
)
def test_bad_options_give_one_line(
    capsys: pytest.CaptureFixture[str], ring: Path, args: list[str], needle: str
) -> None:
    res = run_cli(capsys, "audit", str(ring), *args)
    assert res.code == 1
    lines = [ln for ln in res.err.splitlines() if ln.strip()]
    assert len(lines) == 1, res.err
    assert "error:" in lines[0]
    assert needle in lines[0]
    assert "Traceback" not in res.err


def test_bad_files_name_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "broken.graphml"
    bad.write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n<graph>\n<node id="a"/>\n'
    )
    res = run_cli(capsys, "audit", str(bad))
    assert res.code == 1
    assert str(bad) in res.err
    assert "Traceback" not in res.err
    empty = tmp_path / "empty.json"
    empty.write_text('{"directed": false, "nodes": [], "links": []}')
    res = run_cli(capsys, "audit", str(empty))
    assert res.code == 1
    assert "no nodes" in res.err
    dem = tmp_path / "dem.csv"
    dem.write_text("src,dst,volume\na,q,1\n")
    ring = Path(__file__).parent.parent / "data" / "audit" / "ring.graphml"
    res = run_cli(capsys, "audit", str(ring), "--demands", str(dem))
    assert res.code == 1
    assert "'q'" in res.err


def test_out_writes_reports(capsys: pytest.CaptureFixture[str], ring: Path, tmp_path: Path) -> None:
    res = run_cli(capsys, "audit", str(ring), "--untrusted-nodes", "b", "--out", str(tmp_path))
    assert res.code == 0, res.err
    for name in ("report.html", "report.md", "report.json", "results.json"):
        assert (tmp_path / name).stat().st_size > 0
    html = (tmp_path / "report.html").read_text()
    assert '<script src="http' not in html
    results = json.loads((tmp_path / "results.json").read_text())
    assert len(results["ring"]["demands"]) == 30


def test_integrity_findings_reach_the_report(
    capsys: pytest.CaptureFixture[str], ring: Path, tmp_path: Path
) -> None:
    hw = tmp_path / "hw.json"
    hw.write_text(json.dumps({
        "ok": False, "policy": None, "counts": {"untrusted_vendor": 1},
        "findings": [{"kind": "untrusted_vendor", "component": "pcie:Slot1",
                      "expected": None, "actual": "19e5:1822", "detail": "Huawei NIC"}],
        "coverage": {"failures": []},
    }))  # fmt: skip
    out = tmp_path / "out"
    res = run_cli(capsys, "audit", str(ring), "--out", str(out), "--integrity", f"c={hw}")
    assert res.code == 0, res.err
    ctx = json.loads((out / "report.json").read_text())
    rows = ctx["networks"][0]["integrity"]
    assert rows[0]["node"] == "c"
    assert rows[0]["status"] == "findings"
    assert rows[0]["findings"][0]["severity"] == "high"
    assert "Huawei NIC" in (out / "report.html").read_text()
    bad = run_cli(capsys, "audit", str(ring), "--integrity", "c-no-file")
    assert bad.code == 1
    assert "NODE=FILE" in bad.err


def test_audit_takes_a_discovery_result(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from cleanpath.discover.result import discovery_json
    from cleanpath.discover.run import DiscoveryResult
    from cleanpath.domain import DeviceRecord, Inventory, LinkRecord

    vrp = "Huawei Versatile Routing Platform Software VRP (R) software, Version 8.180"
    devs = (
        DeviceRecord("r1", hostname="r1", sys_descr="Cisco IOS XR Software, Version 7.3.2",
                     sys_object_id="1.3.6.1.4.1.9.1.1017"),
        DeviceRecord("r2", hostname="r2", sys_descr=vrp, sys_object_id="1.3.6.1.4.1.2011.2.224"),
        DeviceRecord("r3", hostname="r3", sys_descr="Juniper Networks MX480 Junos 21.4R3",
                     sys_object_id="1.3.6.1.4.1.2636.1.1.1.2.25"),
    )  # fmt: skip
    links = (LinkRecord("l1", "r1", "r2"), LinkRecord("l2", "r2", "r3"))
    f = tmp_path / "result.json"
    f.write_text(discovery_json(DiscoveryResult(Inventory(devs, links), ())))
    res = run_cli(capsys, "audit", str(f), "--demands", "all-pairs", "--format", "json",
                  "--as-of", "2026-01-01")  # fmt: skip
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert [n["id"] for n in doc["nodes"] if n["untrusted"]] == ["r2"]
    by_pair = {(d["src"], d["dst"]): d for d in doc["demands"]}
    assert by_pair["r1", "r3"]["exposed_share"] == 1.0
    assert by_pair["r1", "r3"]["clean_path_exists"] is False
