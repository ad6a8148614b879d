"""The audit chain on our inventory fixture: read → identify → US FCC verdicts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cleanpath.domain import CoverStatus
from cleanpath.identify import identify
from cleanpath.ingest.inventory import read_inventory_csv
from cleanpath.kb import load_kb


def test_fixture_inventory_verdicts(data_dir: Path) -> None:
    kb = load_kb()
    inv = read_inventory_csv(data_dir / "inventory" / "inventory.csv", skip_bad=True)
    idents = identify(inv.devices, kb)
    policy = kb.policy("us-fcc")
    verdicts = {v.node: v for v in (policy.verdict(i, as_of=date(2025, 6, 30)) for i in idents)}
    assert {n: str(v.status) for n, v in verdicts.items()} == {
        "core1": "covered",
        "agg1": "not_covered",
        "cam7": "covered",
        "edge9": "unknown",
    }
    assert verdicts["core1"].manufacturer == "huawei"
    assert "covered when used for" in verdicts["cam7"].reason
    assert verdicts["agg1"].manufacturer == "h3c"
    assert verdicts["edge9"].status is CoverStatus.UNKNOWN
