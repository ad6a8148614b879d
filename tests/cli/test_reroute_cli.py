"""``cleanpath reroute``: clean routing within a capacity file, JSON and table output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import run_cli


def test_reroute_json_with_capacities(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    ring = data_dir / "audit" / "ring.graphml"
    dem = tmp_path / "dem.csv"
    dem.write_text("src,dst,volume,class\na,c,6,sensitive\nb,d,2,normal\n")
    cap = tmp_path / "cap.csv"
    cap.write_text("src,dst,capacity\na,d,4\nd,c,4\na,b,100\nb,c,100\nd,e,100\n")
    res = run_cli(capsys, "reroute", str(ring), "--untrusted-nodes", "b", "--demands", str(dem),
                  "--capacities", str(cap), "--format", "json")  # fmt: skip
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    (row,) = doc["sensitive"]
    assert (row["src"], row["dst"], row["status"]) == ("a", "c", "insufficient_capacity")
    assert row["routed"] == pytest.approx(4.0)
    for p in row["paths"]:
        assert "b" not in p["nodes"]
    table = run_cli(capsys, "reroute", str(ring), "--untrusted-nodes", "b", "--demands", str(dem),
                    "--capacities", str(cap))  # fmt: skip
    assert table.code == 0, table.err
    assert "insufficient capacity" in table.out  # the summary row


def test_reroute_bad_options(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    ring = data_dir / "audit" / "ring.graphml"
    res = run_cli(capsys, "reroute", str(ring), "--objective", "fastest")
    assert res.code == 1
    assert "objective" in res.err
