"""``cleanpath plan`` end to end on a small SNDlib fixture we wrote (tests/data/plan)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cleanpath.cli.plan  # noqa: F401  # registers the command
from cleanpath.analysis.planner_audit import parse_budget, parse_deadlines, phase_deadlines
from cleanpath.cli._app import app
from cleanpath.errors import InputError


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["plan", *args])
    return res.exit_code, res.output


def test_json_contract(data_dir: Path) -> None:
    net = str(data_dir / "plan" / "ring6.txt")
    code, out = run(net, "--untrusted-nodes", "B,E", "--sensitive",
                    str(data_dir / "plan" / "sensitive.csv"), "--budget", "60000",
                    "--subsidy", "0.395", "--format", "json")  # fmt: skip
    assert code == 0, out
    doc = json.loads(out)
    assert {"replaced", "objective_value", "cost", "optimality_gap", "solver", "phases"} <= set(doc)
    assert doc["solver"] == "milp"
    assert doc["optimality_gap"] <= 1e-6
    # the cost table's "unknown" estimate is 50000 per node: one of B, E fits 60000 / 0.605
    assert len(doc["replaced"]) == 1
    assert set(doc["replaced"]) <= {"B", "E"}
    ph = doc["phases"][0]
    assert ph["cost"] == 50000
    assert ph["subsidy"] == pytest.approx(19750)
    assert doc["stats"]["cost_basis"]["B"]["basis"] == "estimate:unknown"


def test_costs_override_deadlines_csv_and_greedy(data_dir: Path, tmp_path: Path) -> None:
    costs = tmp_path / "c.csv"
    costs.write_text("node,cost\nB,10\nE,30\n", encoding="utf-8")
    net = str(data_dir / "plan" / "ring6.txt")
    code, out = run(net, "--untrusted-nodes", "B,E", "--costs", str(costs), "--budget",
                    "30/phase", "--phases", "2", "--solver", "greedy", "--objective", "total",
                    "--format", "csv")  # fmt: skip
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[0] == "phase,devices,cost,subsidy,net_cost,clean_share_after"
    assert len(lines) == 3


def test_bad_option_is_one_clear_error(data_dir: Path) -> None:
    net = str(data_dir / "plan" / "ring6.txt")
    code, _out = run(net, "--untrusted-nodes", "B", "--budget", "lots")
    assert code != 0
    code, _ = run(net, "--untrusted-nodes", "B", "--budget", "1", "--routing", "magic")
    assert code != 0


def test_budget_and_deadline_parsing() -> None:
    assert parse_budget("inf", 2) == [float("inf")] * 2
    with pytest.raises(InputError):
        parse_budget("-1", 1)
    with pytest.raises(InputError):
        parse_deadlines(["core:2026"])
    from datetime import date

    ends = [date(2026, 12, 31), date(2027, 12, 31), date(2028, 12, 31)]
    roles = {"n1": ["core"], "n2": ["switch"], "n3": ["core", "switch"]}
    due = phase_deadlines(roles, {"core": date(2027, 12, 31), "switch": date(2028, 6, 1)}, ends)
    assert due == {"n1": 1, "n2": 1, "n3": 1}
    with pytest.raises(InputError, match="first phase"):
        phase_deadlines({"n": ["core"]}, {"core": date(2025, 1, 1)}, ends)


def test_inventory_costs_by_role_and_deadline(data_dir: Path) -> None:
    d = data_dir / "plan"
    code, out = run(str(d / "ring6.txt"), "--inventory", str(d / "inventory.csv"),
                    "--sensitive", str(d / "sensitive.csv"), "--budget", "inf",
                    "--phases", "2", "--deadline", "core=2026-12-31", "--phase-end",
                    "2026-12-31", "--as-of", "2026-11-28", "--format", "json")  # fmt: skip
    assert code == 0, out
    doc = json.loads(out)
    basis = doc["stats"]["cost_basis"]
    assert set(basis) == {"B", "E"}  # the Huawei and ZTE devices are covered
    assert basis["B"]["basis"] == "estimate:core"
    assert basis["E"]["basis"] == "estimate:switch"
    assert "B" in doc["phases"][0]["devices"]


def test_all_pairs_demands_from_an_aggregated_audit(data_dir: Path) -> None:
    net = str(data_dir / "plan" / "ring6.txt")
    code, out = run(net, "--untrusted-nodes", "B", "--demands", "all-pairs", "--budget", "inf",
                    "--objective", "total", "--format", "json")  # fmt: skip
    assert code == 0, out
    doc = json.loads(out)
    assert doc["total_volume"] == 30.0  # 6 * 5 ordered pairs of volume 1
    assert doc["replaced"] == ["B"]
    assert doc["phases"][0]["clean_share_after"] == 1.0
