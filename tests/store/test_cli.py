"""`cleanpath runs list|show|filing`, `diff` and `check` (the CI gate) end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleanpath.cli.runs  # noqa: F401  (registers the commands until cleanpath.cli imports it)
from cleanpath.cli import main
from cleanpath.store import Store

from .helpers import AFTER, BEFORE, after, before, write_inputs


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    p = tmp_path / "cli.duckdb"
    with Store.open(p) as s:
        s.save_run(before())
        s.save_run(after())
    return p


def test_runs_list_show_and_diff(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "runs", "list", "--db", str(db), "--format", "json")
    assert code == 0
    assert [r["run_id"] for r in json.loads(out)["items"]] == [2, 1]
    code, out, _ = run(capsys, "runs", "show", "1", "--db", str(db), "--format", "json")
    assert json.loads(out)["summary"]["covered_devices"] == 1
    code, out, _ = run(capsys, "diff", "1", "2", "--db", str(db), "--format", "json")
    d = json.loads(out)
    assert d["counts"]["replaced"] == 1
    assert d["counts"]["became_covered"] == 1
    code, out, _ = run(capsys, "diff", "1", "2", "--db", str(db))
    assert code == 0
    assert "covered devices replaced or removed (1)" in out


def test_runs_filing_writes_the_listing(db: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, out, _ = run(capsys, "runs", "filing", "2", "--db", str(db))
    assert code == 0
    assert out.splitlines()[0].startswith("item,network,node_id,location")
    assert len(out.splitlines()) == 2
    assert ",ZTE," in out


def test_unknown_run_and_missing_db_are_one_line_errors(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "runs", "show", "9", "--db", str(db))
    assert code == 1
    assert "no run 9" in err
    code, _, err = run(capsys, "runs", "list", "--db", str(tmp_path / "none.duckdb"))
    assert code == 1
    assert "no such database" in err


def test_check_gates_on_threshold_and_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEANPATH_DB", str(tmp_path / "gate.duckdb"))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = write_inputs(tmp_path / "a", AFTER), write_inputs(tmp_path / "b", BEFORE)
    common = ["--as-of", "2026-11-01", "--weight", "distance", "--demands", "gravity",
              "--seed", "7"]  # fmt: skip

    def check(f: dict[str, Path], *extra: str) -> tuple[int, str, str]:
        return run(capsys, "check", str(f["network"]), "--inventory", str(f["inventory"]),
                   "--sites", str(f["sites"]), *common, *extra)  # fmt: skip

    code, out, _ = check(a)
    assert code == 1
    assert "FAIL" in out
    assert "sensitive flows over 0.0% exposure (2)" in out
    code, out, _ = check(a, "--max-sensitive-exposure", "1.0", "--format", "json")
    assert code == 0
    assert json.loads(out)["ok"] is True
    code, out, _ = check(b, "--max-sensitive-exposure", "1.0", "--baseline", "latest",
                         "--format", "json")  # fmt: skip
    res = json.loads(out)
    assert code == 1
    assert res["baseline"] == 2
    assert {(f["src"], f["dst"]) for f in res["gained_exposure"]} == {("a", "c"), ("c", "a")}
    with Store.open(tmp_path / "gate.duckdb", read_only=True) as s:
        assert s.runs().total == 3
        assert s.run(3)["label"] == "check"
        assert {i["name"] for i in s.run(3)["inputs"]} == {str(p) for p in b.values()}
    code, _, err = check(b, "--baseline", "yesterday")
    assert code == 1
    assert "not a run id or 'latest'" in err
