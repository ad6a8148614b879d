"""The covered-equipment listing (regulator-filing shape) from a result and from the store."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cleanpath.kb.costs import load_costs
from cleanpath.report.regulator import (
    REGULATOR_COLUMNS,
    regulator_csv,
    regulator_rows_from_result,
    regulator_rows_from_store,
    write_regulator_csv,
)
from cleanpath.store import Store
from store.helpers import after, before


def test_rows_name_the_device_the_entry_the_evidence_and_a_cost() -> None:
    res = before()
    rows = regulator_rows_from_result(res)
    assert len(rows) == res.summary()["covered_devices"] == 1
    r = rows[0]
    assert (r["node_id"], r["location"], r["hostname"]) == ("b", "B", "b-r1")
    assert (r["manufacturer"], r["model"], r["role"]) == ("Huawei", "NE40E-X8", "router")
    assert (r["latitude"], r["longitude"]) == ("50.00000", "7.00000")
    v = next(v for v in res.verdicts if v.node == "b")
    assert v.entry is not None
    assert r["policy_entry"] == v.entry.entity_name
    assert r["listed_since"] == v.entry.date_added.isoformat()
    assert r["policy_source"] == str(v.entry.source)
    assert "manufacturer 'Huawei' → huawei (manufacturer_field, 0.9)" in r["evidence"]
    assert len(set(r["evidence"].split("; "))) == len(r["evidence"].split("; "))  # no repeats
    assert r["inventory_record"] == "inventory.csv:3"
    cost = load_costs().lookup("router", "NE40E-X8")
    assert r["replacement_cost_estimate"] == f"{cost.cost:.0f}"
    assert (r["cost_kind"], r["cost_date"]) == (cost.kind, cost.date)
    assert r["currency"] == load_costs().currency


def test_unknown_devices_are_listed_only_when_asked() -> None:
    rows = regulator_rows_from_result(before(), include_unknown=True)
    assert [(r["node_id"], r["verdict"]) for r in rows] == [("b", "covered"), ("e", "unknown")]
    assert [r["item"] for r in rows] == ["1", "2"]


def test_store_and_memory_give_the_same_listing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.duckdb") as s:
        rid = s.save_run(after())
        from_store = regulator_rows_from_store(s, rid)
    assert from_store == regulator_rows_from_result(after())
    assert [r["manufacturer"] for r in from_store] == ["ZTE"]


def test_csv_has_the_header_and_round_trips(tmp_path: Path) -> None:
    rows = regulator_rows_from_result(before(), include_unknown=True)
    text = regulator_csv(rows)
    back = list(csv.DictReader(io.StringIO(text)))
    assert tuple(back[0]) == REGULATOR_COLUMNS
    assert back == rows
    p = write_regulator_csv(before(), tmp_path / "covered.csv")
    assert p.read_text(encoding="utf-8").splitlines()[0] == ",".join(REGULATOR_COLUMNS)


def test_cells_from_devices_cannot_run_as_spreadsheet_formulas() -> None:
    rows = regulator_rows_from_result(before())
    rows[0] = {**rows[0], "hostname": "=cmd|' /C calc'!A0", "model": "@SUM(1)"}
    back = next(csv.DictReader(io.StringIO(regulator_csv(rows))))
    assert back["hostname"] == "'=cmd|' /C calc'!A0"
    assert back["model"] == "'@SUM(1)"
    assert back["latitude"] == rows[0]["latitude"]  # numbers (even negative) stay numbers
