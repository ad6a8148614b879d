"""The README's demo command path: ``cleanpath demo`` on the bundled networks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .helpers import run_cli

REPO = Path(__file__).resolve().parents[2]


def _round(x: Any) -> Any:
    if isinstance(x, float):
        return round(x, 6)
    if isinstance(x, dict):
        return {k: _round(v) for k, v in sorted(x.items())}
    if isinstance(x, list):
        return [_round(v) for v in x]
    return x


def compact(results: dict[str, Any]) -> str:
    """A small, sorted digest of the demo's results.json for the golden file."""
    out = {}
    for name, doc in sorted(results.items()):
        nodes = sorted(doc["nodes"], key=lambda n: (-n["carried_sensitive_volume"], n["id"]))
        out[name] = {
            "summary": doc["summary"],
            "untrusted": sorted(n["id"] for n in doc["nodes"] if n["untrusted"]),
            "top_nodes_by_sensitive_volume": nodes[:5],
            "worst_sensitive_demands": [d for d in doc["demands"] if d["class"] == "sensitive"][:5],
        }
    return json.dumps(_round(out), indent=1, sort_keys=True) + "\n"


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    # the same entry point `make demo` runs (the console script), in a child process
    proc = subprocess.run(
        [sys.executable, "-m", "cleanpath", "demo", "--out", str(out)],
        capture_output=True, text=True, timeout=600, cwd=out,
        env={**os.environ, "CLEANPATH_DB": str(out / "cleanpath.duckdb"), "COLUMNS": "200"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (out / "stdout.txt").write_text(proc.stdout)
    return out


def test_demo_writes_reports(demo_out: Path) -> None:
    for name in ("report.html", "report.md", "report.json", "results.json"):
        assert (demo_out / name).stat().st_size > 0
    html = (demo_out / "report.html").read_text()
    assert "Topology Zoo" in html
    assert "CC BY 4.0" in html
    assert "illustrative" in html.lower()
    assert '<script src="http' not in html
    out = (demo_out / "stdout.txt").read_text()
    assert "illustrative" in out
    # the last line tells the user how to open the dashboard on the saved runs
    assert out.strip().splitlines()[-1].startswith("open the dashboard: cleanpath serve --db")
    for net in ("Dfn", "Garr201201", "Iij"):
        assert net in out


def test_demo_database_opens_with_its_runs(demo_out: Path) -> None:
    from cleanpath.store import Store

    with Store.open(demo_out / "cleanpath.duckdb", read_only=True) as store:
        runs = store.runs().items
        names = sorted(r["network"] for r in runs)
    assert names == ["Dfn", "Garr201201", "Iij"]


def test_demo_results_have_sensitive_traffic(demo_out: Path) -> None:
    results = json.loads((demo_out / "results.json").read_text())
    assert sorted(results) == ["Dfn", "Garr201201", "Iij"]
    for doc in results.values():
        s = doc["summary"]
        assert s["covered_devices"] > 0
        assert s["sensitive_flows"] > 0
        assert 0.0 <= s["sensitive_exposed_share"] <= 1.0
        assert (
            s["sensitive_flows_clean_path"] + s["sensitive_flows_no_clean_path"]
            == (s["sensitive_flows"])
        )


def test_demo_golden(demo_out: Path, golden: Any) -> None:
    results = json.loads((demo_out / "results.json").read_text())
    golden("demo_results.json", compact(results))


def test_demo_is_deterministic(
    demo_out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    res = run_cli(capsys, "demo", "--out", str(tmp_path))
    assert res.code == 0, res.err
    a = json.loads((demo_out / "results.json").read_text())
    b = json.loads((tmp_path / "results.json").read_text())
    assert a == b


def test_demo_report_has_a_plan_per_network(demo_out: Path) -> None:
    from cleanpath.store import Store

    ctx = json.loads((demo_out / "report.json").read_text())
    for net in ctx["networks"]:
        plan = net["plan"]
        shares = [p["clean_sensitive_share"] for p in plan["curve"]]
        spent = [p["spent"] for p in plan["curve"]]
        assert shares == sorted(shares)
        assert spent == sorted(spent)
        assert len(plan["phases"]) == 3
        # the plan never spends more than the covered devices cost
        assert sum(ph["cost"] for ph in plan["phases"]) <= spent[-1] + 1e-6
    with Store.open(demo_out / "cleanpath.duckdb", read_only=True) as store:
        for run in store.runs().items:
            saved = store.plan(run["run_id"])
            assert saved is not None
            assert saved["solver"] == "milp"
