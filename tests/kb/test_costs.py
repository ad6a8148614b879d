"""The cost table: provenance on every figure, lookup order, clear errors on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanpath.errors import InputError
from cleanpath.kb.costs import (
    COSTS_PATH,
    load_costs,
    parse_costs,
    parse_node_costs,
    read_node_costs,
)


def test_every_entry_has_provenance() -> None:
    table = load_costs()
    assert table.currency == "USD"
    roles = {e.role for e in table.entries}
    assert {"core", "aggregation", "switch", "optical", "camera", "unknown"} <= roles
    for e in table.entries:
        assert e.cost > 0
        assert e.date
        assert e.confidence
        assert (e.kind == "reported" and e.source) or (e.kind == "estimate" and e.basis)
    for fact in table.program.values():
        assert fact.source
        assert fact.date
        assert fact.confidence


def test_subsidy_share_fact() -> None:
    fact = load_costs().program["subsidy_share_prorated"]
    assert fact.value == 0.395
    assert fact.date == "2022-07-15"


def test_lookup_order_model_then_role_then_unknown() -> None:
    text = COSTS_PATH.read_text(encoding="utf-8") + (
        "  - role: core\n    model: NE40E-X8\n    cost: 123\n    kind: estimate\n"
        "    basis: test\n    date: '2026-01-01'\n    confidence: low\n"
    )
    table = parse_costs(text)
    assert table.lookup("core", "ne40e-x8").cost == 123
    assert table.lookup("core", "other").cost == load_costs().lookup("core", None).cost
    assert table.lookup("nonsense", None).role == "unknown"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "version: x\ncurrency: USD\ncosts:\n  - role: core\n    cost: -1\n    kind: estimate\n"
            "    basis: b\n    date: d\n    confidence: c\n",
            "costs.0.cost",
        ),
        (
            "version: x\ncurrency: USD\ncosts:\n  - role: core\n    cost: 1\n    kind: reported\n"
            "    date: d\n    confidence: c\n",
            "no source",
        ),
        ("version: [\n", "YAML"),
    ],
)
def test_bad_cost_table_raises_input_error(text: str, match: str) -> None:
    with pytest.raises(InputError, match=match) as err:
        parse_costs(text, source="c.yaml")
    assert err.value.path == "c.yaml"


def test_node_costs_csv(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("node,cost\nA,10\n\nB,2e3\n", encoding="utf-8")
    assert read_node_costs(p) == {"A": 10.0, "B": 2000.0}
    with pytest.raises(InputError) as err:
        parse_node_costs("node,cost\nA,1\nB,lots\n", source="c.csv")
    assert (err.value.path, err.value.line, err.value.field) == ("c.csv", 3, "cost")
    with pytest.raises(InputError, match="header"):
        parse_node_costs("a,b\n")
    with pytest.raises(InputError, match=">= 0"):
        parse_node_costs("node,cost\nA,-5\n")
    with pytest.raises(InputError, match="cannot read"):
        read_node_costs(tmp_path / "missing.csv")
