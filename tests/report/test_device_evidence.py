"""The report lists each covered device with its evidence chain (issue 3, last line)."""

from __future__ import annotations

from datetime import date

import pytest

from cleanpath.domain import DeviceRecord, Inventory, LinkRecord, NodeRecord, Topology
from cleanpath.kb import load_kb
from cleanpath.pipeline import audit
from cleanpath.report.context import build_context
from cleanpath.report.html import render_html
from cleanpath.report.markdown import render_markdown
from cleanpath.report.schema import check_context

VRP = "Huawei Versatile Routing Platform Software VRP (R) software, Version 8.200"


@pytest.fixture(scope="module")
def ctx() -> dict[str, object]:
    topo = Topology(
        "line",
        tuple(NodeRecord(x, x.upper()) for x in "abc"),
        tuple(LinkRecord(f"{s}{t}", s, t) for s, t in ("ab", "bc")),
    )
    devices = (
        DeviceRecord("b", hostname="core-b", sys_object_id="1.3.6.1.4.1.2011.2.23", sys_descr=VRP),
        DeviceRecord("a", hostname="edge-a", sys_object_id="1.3.6.1.4.1.9.1.1"),
        DeviceRecord("c", hostname="radio-c", sys_object_id="1.3.6.1.4.1.26381"),
    )
    res = audit(topo, kb=load_kb(), as_of=date(2025, 1, 1), inventory=Inventory(devices))
    return build_context([res], title="t", generated=date(2025, 1, 2))


def test_context_lists_covered_devices_with_their_evidence(ctx: dict[str, object]) -> None:
    check_context(ctx)
    rows = ctx["networks"][0]["device_evidence"]  # type: ignore[index]
    assert [(r["device"], r["verdict"]) for r in rows] == [
        ("core-b", "covered"),
        ("radio-c", "unknown"),  # Hytera named by lwIP's bare root only: needs inspection
    ]
    huawei = rows[0]
    assert huawei["manufacturer"] == "Huawei"
    assert huawei["listed_as"].startswith("Huawei")
    chain = {(e["signal"], e["rule"], e["points_to"]) for e in huawei["evidence"]}
    assert ("sys_object_id", "sys_object_id_pen", "huawei") in chain
    assert ("sys_descr", "pattern:huawei-vrp", "huawei") in chain
    weights = [e["weight"] for e in huawei["evidence"]]
    assert weights == sorted(weights, reverse=True)
    assert "needs inspection" in rows[1]["reason"]


def test_markdown_and_html_show_the_evidence_section(ctx: dict[str, object]) -> None:
    md = render_markdown(ctx)
    assert "### Covered devices and their evidence" in md
    line = next(x for x in md.splitlines() if x.startswith("| core-b "))
    assert "sys_object_id '1.3.6.1.4.1.2011.2.23' → huawei (sys_object_id_pen" in line
    html = render_html(ctx)
    assert "Covered devices and their evidence" in html
    assert "pattern:huawei-vrp" in html


def test_bad_evidence_rows_are_caught(ctx: dict[str, object]) -> None:
    import copy

    bad = copy.deepcopy(ctx)
    del bad["networks"][0]["device_evidence"][0]["evidence"][0]["rule"]  # type: ignore[index]
    with pytest.raises(ValueError, match=r"device_evidence\[0\]\.evidence\[0\]: missing key"):
        check_context(bad)
