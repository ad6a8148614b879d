"""Plotly figures as plain dicts (no plotly.py objects): map, vendor bars, plan curve.

The HTML page hands these to the inlined plotly.js with ``Plotly.newPlot``. Map traces carry
``meta`` = ``"nodes"``, ``"links"``, ``"flow"``, ``"sites"`` or ``"hubs"``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from cleanpath.report._format import (
    VERDICT_COLORS,
    VERDICT_LABELS,
    fmt_num,
    label_map,
    sensitive_flows,
)

__all__ = ["MAX_MAP_FLOWS", "map_figure", "map_unavailable_reason", "plan_figure", "vendor_figure"]

MAX_MAP_FLOWS = 5
FLOW_COLORS = ("#ff7f0e", "#9467bd", "#1f77b4", "#e377c2", "#8c564b")
Coords = dict[str, tuple[float, float]]


def _coord(node: Mapping[str, Any]) -> tuple[float, float] | None:
    lat, lon = node.get("lat"), node.get("lon")
    if lat is None or lon is None:
        return None
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        return None
    return la, lo


def node_coords(net: Mapping[str, Any]) -> Coords:
    out: Coords = {}
    for node in net["nodes"]:
        c = _coord(node)
        if c is not None:
            out[str(node["id"])] = c
    return out


def map_unavailable_reason(net: Mapping[str, Any]) -> str | None:
    """Why this network gets no map, or None when it gets one."""
    kind = net["coordinates"]
    if kind == "pixel":
        return "Node coordinates are drawing positions, not geographic ones: no map is drawn."
    if kind != "geographical":
        return "The topology has no node coordinates: no map is drawn."
    if not node_coords(net):
        return "No node has usable coordinates: no map is drawn."
    return None


def _polyline(ids: list[str], coords: Coords) -> tuple[list[float | None], list[float | None]]:
    """Lat/lon lists through ``ids``; a node without coordinates breaks the line."""
    lat: list[float | None] = []
    lon: list[float | None] = []
    for i in ids:
        c = coords.get(i)
        if c is None:
            if lat and lat[-1] is not None:
                lat.append(None)
                lon.append(None)
            continue
        lat.append(c[0])
        lon.append(c[1])
    return lat, lon


def _links_trace(net: Mapping[str, Any], coords: Coords) -> dict[str, Any]:
    lat: list[float | None] = []
    lon: list[float | None] = []
    for link in net["links"]:
        a, b = coords.get(str(link["src"])), coords.get(str(link["dst"]))
        if a is None or b is None:
            continue
        lat += [a[0], b[0], None]
        lon += [a[1], b[1], None]
    return {
        "type": "scattergeo", "mode": "lines", "lat": lat, "lon": lon, "name": "links",
        "meta": "links", "hoverinfo": "skip", "line": {"width": 1, "color": "#9aa5b1"},
    }  # fmt: skip


def _flow_traces(net: Mapping[str, Any], coords: Coords) -> list[dict[str, Any]]:
    traces = []
    for k, flow in enumerate(sensitive_flows(net)[:MAX_MAP_FLOWS]):
        lat, lon = _polyline([str(p) for p in flow["path"]], coords)
        if len([x for x in lat if x is not None]) < 2:
            continue
        name = f"flow {k + 1}: {flow.get('src_label') or flow['src']} → "
        name += str(flow.get("dst_label") or flow["dst"])
        traces.append(
            {
                "type": "scattergeo",
                "mode": "lines",
                "lat": lat,
                "lon": lon,
                "name": name,
                "meta": "flow",
                "hoverinfo": "name",
                "opacity": 0.85,
                "line": {"width": 3, "color": FLOW_COLORS[k % len(FLOW_COLORS)], "dash": "dot"},
            }
        )
    return traces


def _node_hover(node: Mapping[str, Any]) -> str:
    maker = " ".join(str(x) for x in (node.get("manufacturer"), node.get("model")) if x)
    verdict = VERDICT_LABELS.get(str(node["verdict"]), str(node["verdict"]))
    parts = [f"<b>{node.get('label') or node['id']}</b>", maker or "no device", verdict]
    parts.append(f"sensitive volume carried: {fmt_num(node.get('carried_sensitive_volume'))}")
    return "<br>".join(parts)


def _node_traces(net: Mapping[str, Any], coords: Coords) -> list[dict[str, Any]]:
    traces = []
    for verdict, color in VERDICT_COLORS.items():
        nodes = [n for n in net["nodes"] if n["verdict"] == verdict and str(n["id"]) in coords]
        if not nodes:
            continue
        size = 12 if verdict == "covered" else (6 if verdict == "no_device" else 9)
        traces.append(
            {
                "type": "scattergeo",
                "mode": "markers",
                "meta": "nodes",
                "name": f"{VERDICT_LABELS[verdict]} ({len(nodes)})",
                "lat": [coords[str(n["id"])][0] for n in nodes],
                "lon": [coords[str(n["id"])][1] for n in nodes],
                "customdata": [str(n["id"]) for n in nodes],
                "text": [_node_hover(n) for n in nodes],
                "hoverinfo": "text",
                "marker": {"size": size, "color": color, "line": {"width": 1, "color": "#333"}},
            }
        )
    return traces


def _point_trace(
    points: list[Mapping[str, Any]], meta: str, symbol: str, labels: Mapping[str, str]
) -> dict[str, Any]:
    text = [
        f"<b>{p['name']}</b><br>{p.get('kind') or ''}<br>attached to "
        f"{labels.get(str(p.get('node')), p.get('node') or '–')}<br>{p.get('source') or ''}"
        for p in points
    ]
    return {
        "type": "scattergeo", "mode": "markers", "meta": meta, "name": meta,
        "lat": [float(p["lat"]) for p in points], "lon": [float(p["lon"]) for p in points],
        "text": text, "hoverinfo": "text", "opacity": 0.9,
        "marker": {"symbol": symbol, "size": 17, "line": {"width": 1, "color": "#000"},
                   "color": "#1a1a6e" if meta == "sites" else "#ffbf00"},
    }  # fmt: skip


def map_figure(net: Mapping[str, Any]) -> dict[str, Any] | None:
    """Nodes by verdict, links, worst sensitive flows, sites (stars) and hubs (diamonds)."""
    if map_unavailable_reason(net) is not None:
        return None
    coords = node_coords(net)
    data = [_links_trace(net, coords), *_flow_traces(net, coords)]
    for key, symbol in (("sites", "star"), ("hubs", "diamond")):
        points = [p for p in net.get(key) or [] if _coord(p) is not None]
        if points:
            data.append(_point_trace(points, key, symbol, label_map(net)))
    data += _node_traces(net, coords)  # last, so that nodes are drawn on top
    layout = {
        "height": 560, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "legend": {"orientation": "h", "y": -0.02},
        "geo": {
            "fitbounds": "locations", "resolution": 50, "projection": {"type": "mercator"},
            "showland": True, "landcolor": "#f3f1ea", "showocean": True,
            "oceancolor": "#e3eef7", "showcountries": True, "countrycolor": "#8a8a8a",
            "showlakes": True, "lakecolor": "#e3eef7", "showcoastlines": True,
            "coastlinecolor": "#7a7a7a",
        },
    }  # fmt: skip
    return {"data": data, "layout": layout}


def vendor_figure(net: Mapping[str, Any]) -> dict[str, Any] | None:
    """Grouped bars of (sensitive) volume carried per vendor."""
    rows = list(net["exposure_by_vendor"])
    if not rows:
        return None
    vendors = [str(r["vendor"]) for r in rows]

    def bar(key: str, name: str, color: str, axis: int) -> dict[str, Any]:
        return {
            "type": "bar", "x": vendors, "y": [r.get(key) or 0 for r in rows], "name": name,
            "marker": {"color": color}, "offsetgroup": str(axis),
            "yaxis": "y" if axis == 1 else f"y{axis}",
            "customdata": [r.get("devices") for r in rows],
            "hovertemplate": "%{x}: %{y:,.2f} (%{customdata} devices)<extra>" + name + "</extra>",
        }  # fmt: skip

    return {
        "data": [
            bar("carried_volume", "volume carried (left axis)", "#9aa5b1", 1),
            bar("carried_sensitive_volume", "sensitive volume carried (right axis)", "#d62728", 2),
        ],
        "layout": {
            "barmode": "group", "height": 360, "margin": {"l": 60, "r": 60, "t": 10, "b": 90},
            "yaxis": {"title": {"text": "volume carried"}, "rangemode": "tozero"},
            "yaxis2": {"title": {"text": "sensitive volume carried"}, "overlaying": "y",
                       "side": "right", "rangemode": "tozero", "showgrid": False},
            "legend": {"orientation": "h", "y": 1.12},
        },
    }  # fmt: skip


def plan_figure(plan: Mapping[str, Any]) -> dict[str, Any] | None:
    """Clean sensitive share (%) against money spent."""
    curve = list(plan["curve"])
    if not curve:
        return None
    currency = str(plan.get("currency") or "")
    return {
        "data": [{
            "type": "scatter", "mode": "lines+markers", "name": "clean sensitive share",
            "x": [p.get("spent") for p in curve],
            "y": [100 * float(p.get("clean_sensitive_share") or 0) for p in curve],
            "line": {"shape": "hv", "color": "#2ca02c"},
        }],
        "layout": {
            "height": 340, "margin": {"l": 60, "r": 10, "t": 10, "b": 50},
            "xaxis": {"title": {"text": f"money spent {currency}".strip()}},
            "yaxis": {"title": {"text": "clean sensitive share (%)"}, "range": [0, 100]},
        },
    }  # fmt: skip
