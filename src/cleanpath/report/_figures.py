"""Plotly figures as plain dicts (no plotly.py objects): map, vendor bars, plan curve.

The HTML page hands these to the inlined plotly.js with ``Plotly.newPlot``. Map traces carry
``meta`` = ``"nodes"``, ``"links"``, ``"flow"``, ``"sites"`` or ``"hubs"``.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from typing import Any

from cleanpath.model.network import haversine_km
from cleanpath.report._format import (
    VERDICT_COLORS,
    VERDICT_LABELS,
    fmt_num,
    label_map,
    sensitive_flows,
)

__all__ = [
    "MAX_MAP_FLOWS",
    "distant_labels",
    "map_figure",
    "map_unavailable_reason",
    "plan_figure",
    "split_distant",
    "vendor_figure",
]

MAX_MAP_FLOWS = 5
DISTANT_MIN_KM = 1500.0
DISTANT_FACTOR = 4.0
VIEW_FILL = 0.85
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


def _links_trace(
    net: Mapping[str, Any], coords: Coords, distant: set[str], *, far: bool
) -> dict[str, Any] | None:
    """Links between mapped nodes: with ``far=False`` those among the near nodes, with
    ``far=True`` those touching a distant node (shown on demand, see :func:`split_distant`)."""
    lat: list[float | None] = []
    lon: list[float | None] = []
    for link in net["links"]:
        src, dst = str(link["src"]), str(link["dst"])
        a, b = coords.get(src), coords.get(dst)
        if a is None or b is None or (src in distant or dst in distant) != far:
            continue
        lat += [a[0], b[0], None]
        lon += [a[1], b[1], None]
    if far and not lat:
        return None
    trace = {
        "type": "scattergeo", "mode": "lines", "lat": lat, "lon": lon, "name": "links",
        "meta": "links", "hoverinfo": "skip", "line": {"width": 1, "color": "#9aa5b1"},
    }  # fmt: skip
    if far:
        trace |= {"name": "links to distant nodes", "visible": "legendonly"}
    return trace


def _points(trace: Mapping[str, Any]) -> list[tuple[float, float]]:
    return [(la, lo) for la, lo in zip(trace["lat"], trace["lon"], strict=True) if la is not None]


def split_distant(coords: Coords) -> tuple[Coords, list[str]]:
    """(near nodes, ids of distant nodes), distant = farther than max(1500 km, 4 x the
    median distance) from the median position. Distant nodes (e.g. a Japanese ISP's PoPs in
    the USA) are hidden from the initial map view so that the country stays readable.

    >>> near, far = split_distant({"a": (35.6, 139.7), "b": (34.7, 135.5), "c": (35.2, 136.9),
    ...                            "d": (40.7, -74.0)})
    >>> sorted(near), far
    (['a', 'b', 'c'], ['d'])
    """
    if len(coords) < 3:
        return dict(coords), []
    mid_lat = statistics.median(c[0] for c in coords.values())
    mid_lon = statistics.median(c[1] for c in coords.values())
    dist = {i: haversine_km(mid_lat, mid_lon, la, lo) for i, (la, lo) in coords.items()}
    limit = max(DISTANT_MIN_KM, DISTANT_FACTOR * statistics.median(dist.values()))
    near = {i: c for i, c in coords.items() if dist[i] <= limit}
    return near, [i for i in coords if i not in near]


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
        trace = {
            "type": "scattergeo", "mode": "markers", "meta": "nodes",
            "name": f"{VERDICT_LABELS[verdict]} ({len(nodes)})",
            "lat": [coords[str(n["id"])][0] for n in nodes],
            "lon": [coords[str(n["id"])][1] for n in nodes],
            "customdata": [str(n["id"]) for n in nodes],
            "text": [_node_hover(n) for n in nodes], "hoverinfo": "text",
            "marker": {"size": size, "color": color, "line": {"width": 1, "color": "#333"}},
        }  # fmt: skip
        traces.append(trace)
    return traces


def _distant_trace(net: Mapping[str, Any], coords: Coords, ids: list[str]) -> dict[str, Any]:
    """One trace for the distant nodes, coloured by verdict, shown when its legend entry
    is clicked."""
    wanted = set(ids)
    nodes = [n for n in net["nodes"] if str(n["id"]) in wanted]
    return {
        "type": "scattergeo", "mode": "markers", "meta": "nodes", "visible": "legendonly",
        "name": f"distant nodes ({len(nodes)})",
        "lat": [coords[str(n["id"])][0] for n in nodes],
        "lon": [coords[str(n["id"])][1] for n in nodes],
        "customdata": [str(n["id"]) for n in nodes],
        "text": [_node_hover(n) for n in nodes], "hoverinfo": "text",
        "marker": {"size": 9, "color": [VERDICT_COLORS.get(str(n["verdict"]), "#000")
                                        for n in nodes],
                   "line": {"width": 1, "color": "#333"}},
    }  # fmt: skip


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
    """Nodes by verdict, links, worst sensitive flows, sites (stars) and hubs (diamonds).

    The view fits the near nodes, flows, sites and hubs; distant nodes and their links are
    in traces that the legend shows on demand (see :func:`split_distant`).
    """
    if map_unavailable_reason(net) is not None:
        return None
    coords = node_coords(net)
    near, distant = split_distant(coords)
    far = set(distant)
    data = [_links_trace(net, coords, far, far=False), _links_trace(net, coords, far, far=True)]
    data += _flow_traces(net, coords)
    for key, symbol in (("sites", "star"), ("hubs", "diamond")):
        points = [p for p in net.get(key) or [] if _coord(p) is not None]
        if points:
            data.append(_point_trace(points, key, symbol, label_map(net)))
    data += _node_traces(net, near)  # last, so that nodes are drawn on top
    geo: dict[str, Any] = {"fitbounds": "locations", "projection": {"type": "mercator"}}
    if distant:
        data.append(_distant_trace(net, coords, distant))
        shown = [p for t in data if t and t.get("visible") is None for p in _points(t)]
        view = mercator_view(shown)
        geo = {"fitbounds": False, "center": view["center"],
               "projection": {"type": "mercator", "scale": view["scale"]}}  # fmt: skip
    layout = {
        "height": 560, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "legend": {"orientation": "h", "y": -0.02},
        "geo": geo | {
            "resolution": 50, "showland": True, "landcolor": "#f3f1ea", "showocean": True,
            "oceancolor": "#e3eef7", "showcountries": True, "countrycolor": "#8a8a8a",
            "showlakes": True, "lakecolor": "#e3eef7", "showcoastlines": True,
            "coastlinecolor": "#7a7a7a",
        },
    }  # fmt: skip
    return {"data": [t for t in data if t is not None], "layout": layout}


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2))


def mercator_view(points: list[tuple[float, float]]) -> dict[str, Any]:
    """``center`` and ``projection.scale`` of a Mercator ``geo`` that shows ``points``.

    plotly's Mercator frame at scale 1 spans 2π in x (longitude, radians) and in y; the
    centre latitude is the one at the middle of the Mercator y range.

    >>> v = mercator_view([(26.3, 127.8), (43.1, 141.3)])
    >>> round(v["center"]["lat"], 1), round(v["center"]["lon"], 2), round(v["scale"], 1)
    (35.1, 134.55, 14.9)
    """
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    y0, y1 = _mercator_y(min(lats)), _mercator_y(max(lats))
    x_span = max(math.radians(max(lons) - min(lons)), 1e-3)
    y_span = max(y1 - y0, 1e-3)
    scale = VIEW_FILL * 2 * math.pi / max(x_span, y_span)
    lat_c = math.degrees(2 * math.atan(math.exp((y0 + y1) / 2)) - math.pi / 2)
    return {"center": {"lat": lat_c, "lon": (min(lons) + max(lons)) / 2}, "scale": scale}


def distant_labels(net: Mapping[str, Any]) -> list[str]:
    """Labels of the nodes left out of the initial map view."""
    labels = label_map(net)
    return [labels[i] for i in split_distant(node_coords(net))[1]]


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
                       "side": "right", "rangemode": "tozero", "showgrid": False,
                       "tickmode": "auto"},
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
