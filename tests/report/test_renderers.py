"""HTML, Markdown and JSON renderers on a small hand-built context."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from plotly.offline import get_plotlyjs

from cleanpath.report import check_context, render_html, render_json, render_markdown
from cleanpath.report.schema import SUMMARY_KEYS

PLOT_RE = re.compile(r'<script type="application/json" data-plot="([^"]+)">(.*?)</script>', re.S)


def plots(page: str) -> dict[str, dict[str, Any]]:
    return {name: json.loads(body) for name, body in PLOT_RE.findall(page)}


@pytest.fixture
def page(ctx: dict[str, Any]) -> str:
    return render_html(ctx)


def test_html_is_self_contained(page: str) -> None:
    assert get_plotlyjs() in page
    assert not re.search(r"<script[^>]*\ssrc=", page, re.I)
    assert not re.search(r"<link[^>]*\shref=[\"']?https?:", page, re.I)
    assert not re.search(r"<img[^>]*\ssrc=[\"']?https?:", page, re.I)
    assert 'id="geo-assets"' in page  # the base map is inlined, not fetched


def test_map_has_one_marker_per_node_with_coordinates(ctx: dict[str, Any], page: str) -> None:
    fig = plots(page)["map-0"]
    node_traces = [t for t in fig["data"] if t["meta"] == "nodes"]
    ids = [i for t in node_traces for i in t["customdata"]]
    with_coords = [n["id"] for n in ctx["networks"][0]["nodes"] if n["lat"] is not None]
    assert sorted(ids) == sorted(with_coords)
    assert all(len(t["lat"]) == len(t["lon"]) == len(t["customdata"]) for t in node_traces)
    colours = {t["name"].split(" (")[0]: t["marker"]["color"] for t in node_traces}
    assert colours["covered"] == "#d62728"
    assert colours["not covered"] == "#2ca02c"
    assert colours["unknown"] == "#8c8c8c"
    assert fig["layout"]["geo"]["fitbounds"] == "locations"


def test_map_draws_links_sites_and_sensitive_flow_paths(ctx: dict[str, Any], page: str) -> None:
    fig = plots(page)["map-0"]
    by_meta: dict[str, list[dict[str, Any]]] = {}
    for t in fig["data"]:
        by_meta.setdefault(t["meta"], []).append(t)
    (links,) = by_meta["links"]
    # 5 of the 6 links have coordinates at both ends: 3 points (a, b, gap) each.
    assert len(links["lat"]) == 15
    (sites,) = by_meta["sites"]
    assert sites["marker"]["symbol"] == "star"
    assert len(sites["lat"]) == len(ctx["networks"][0]["sites"])
    assert by_meta["hubs"][0]["marker"]["symbol"] == "diamond"
    flows = by_meta["flow"]
    assert len(flows) == 3
    assert flows[0]["lat"] == [49.45, 50.1167, 52.5244]  # Kaiserslautern → Frankfurt → Berlin


def test_network_without_coordinates_gets_no_map(page: str) -> None:
    figs = plots(page)
    assert "map-0" in figs
    assert "map-1" not in figs
    assert "vendors-1" in figs
    assert "no node coordinates: no map is drawn" in page


def test_pixel_coordinates_are_not_mapped(ctx: dict[str, Any]) -> None:
    ctx["networks"][0]["coordinates"] = "pixel"
    page = render_html(ctx)
    assert "map-0" not in plots(page)
    assert "drawing positions, not geographic" in page


def test_attribution_and_illustrative_notice(ctx: dict[str, Any], page: str) -> None:
    assert "CC BY 4.0" in page
    assert "The Internet Topology Zoo" in page
    assert 'id="illustrative-notice"' in page
    ctx["illustrative_inventory"] = False
    assert 'id="illustrative-notice"' not in render_html(ctx)
    assert "Illustrative inventory" not in render_markdown(ctx)


def test_plan_and_integrity_sections(ctx: dict[str, Any], page: str) -> None:
    plan = plots(page)["plan-0"]
    assert plan["data"][0]["y"] == [25.0, 70.0, 100.0]
    assert "BMC firmware not on allowlist" in page
    assert "plan-1" not in plots(page)
    assert page.count("Integrity findings") == 1
    md = render_markdown(ctx)
    assert "### Replacement plan" in md
    assert "| 1 | Frankfurt | 120,000 | 70.0 % |" in md


def test_text_is_escaped(ctx: dict[str, Any]) -> None:
    ctx["networks"][0]["nodes"][0]["label"] = "<script>alert(1)</script>"
    ctx["networks"][0]["top_devices"][0]["label"] = "<b>x</b>"
    page = render_html(ctx)
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_markdown_tables(ctx: dict[str, Any]) -> None:
    md = render_markdown(ctx)
    assert md.startswith("# cleanpath test report\n")
    assert "| Share of sensitive volume exposed | 75.0 % |" in md
    assert "| Kaiserslautern | Berlin | sensitive | 1.00 | 100.0 % | no | – |" in md
    assert "_No map: node coordinates are none._" in md
    assert "CC BY 4.0" in md


def test_json_is_sorted_stable_and_round_trips(ctx: dict[str, Any]) -> None:
    ctx["networks"][0]["summary"]["exposed_share"] = 0.1 + 0.2
    ctx["networks"][0]["summary"]["total_volume"] = float("nan")
    text = render_json(ctx)
    back = json.loads(text)
    assert back["networks"][0]["summary"]["exposed_share"] == 0.3
    assert back["networks"][0]["summary"]["total_volume"] is None
    assert list(back) == sorted(back)
    assert text == render_json(json.loads(text))  # idempotent
    check_context(back)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("title",), "top level: missing key 'title'"),
        (("networks", 0, "summary", SUMMARY_KEYS[3]), "networks[0].summary: missing key"),
        (("networks", 0, "nodes", 2, "verdict"), "networks[0].nodes[2]: missing key 'verdict'"),
        (("networks", 1, "flows", 0, "path"), "networks[1].flows[0]: missing key 'path'"),
        (("networks", 0, "plan", "phases", 0, "cost"), "plan.phases[0]: missing key 'cost'"),
    ],
)
def test_check_context_names_missing_key(
    ctx: dict[str, Any], path: tuple[Any, ...], message: str
) -> None:
    obj: Any = ctx
    for key in path[:-1]:
        obj = obj[key]
    del obj[path[-1]]
    for render in (check_context, render_html, render_markdown, render_json):
        with pytest.raises(ValueError, match=re.escape(message)):
            render(ctx)


def test_check_context_rejects_bad_values(ctx: dict[str, Any]) -> None:
    ctx["networks"][0]["nodes"][0]["verdict"] = "evil"
    with pytest.raises(ValueError, match="verdict"):
        check_context(ctx)
    ctx = {"networks": "x"}
    with pytest.raises(ValueError, match="missing key"):
        check_context(ctx)


def test_distant_nodes_are_mapped_but_out_of_the_initial_view(ctx: dict[str, Any]) -> None:
    net = ctx["networks"][0]
    net["nodes"].append(net["nodes"][-1] | {"id": "nyc", "label": "New York", "lat": 40.71,
                                             "lon": -74.0, "verdict": "covered"})  # fmt: skip
    net["links"].append({"src": "fra", "dst": "nyc"})
    page = render_html(ctx)
    fig = plots(page)["map-0"]
    node_traces = [t for t in fig["data"] if t["meta"] == "nodes"]
    ids = sorted(i for t in node_traces for i in t["customdata"])
    assert ids == sorted(n["id"] for n in net["nodes"] if n["lat"] is not None)
    (distant,) = [t for t in node_traces if t.get("visible") == "legendonly"]
    assert distant["customdata"] == ["nyc"]
    hidden_links = [t for t in fig["data"] if t["name"] == "links to distant nodes"]
    assert hidden_links[0]["lon"] == [8.6833, -74.0, None]
    geo = fig["layout"]["geo"]
    assert geo["fitbounds"] is False
    assert 6 < geo["center"]["lon"] < 14  # Germany, not the Atlantic
    assert "1 distant node(s) (New York)" in page
