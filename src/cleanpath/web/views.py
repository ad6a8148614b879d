"""What each page shows, as plain dicts read from the store: the JSON API returns them as
they are and the HTML pages render them, so a page and its JSON twin never disagree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cleanpath.store import Store, diff_runs
from cleanpath.web.params import DeviceFilter, FlowFilter, RunFilter

__all__ = [
    "devices_view",
    "diff_view",
    "flow_view",
    "flows_view",
    "map_for",
    "plan_view",
    "run_view",
    "runs_view",
    "vendor_rows",
]


def runs_view(store: Store, f: RunFilter) -> dict[str, Any]:
    return store.runs(network=f.network, limit=f.limit, offset=f.offset).to_dict()


def vendor_rows(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Devices and (sensitive) volume carried per manufacturer, most sensitive volume first."""
    agg: dict[str, dict[str, Any]] = {}
    for n in nodes:
        if not n["devices"]:
            continue
        key = n["manufacturer"] or "unknown"
        row = agg.setdefault(
            key,
            {
                "vendor": key,
                "devices": 0,
                "covered_nodes": 0,
                "carried_volume": 0.0,
                "carried_sensitive_volume": 0.0,
            },
        )
        row["devices"] += n["devices"]
        row["covered_nodes"] += n["verdict"] == "covered"
        row["carried_volume"] += n["carried_volume"]
        row["carried_sensitive_volume"] += n["carried_sensitive_volume"]
    return sorted(agg.values(), key=lambda r: (-r["carried_sensitive_volume"], r["vendor"]))


def _with_class(flows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for f in flows:
        f["class"] = "sensitive" if f["sensitive"] else "normal"
    return flows


def run_view(store: Store, run_id: int) -> dict[str, Any]:
    """A run's metadata and summary, its worst flows and exposure by vendor."""
    out = store.run(run_id)
    nodes = store.nodes(run_id)
    labels = {n["node_id"]: n["label"] for n in nodes}
    out["top_flows"] = _with_class(store.top_flows(run_id))
    out["exposure_by_vendor"] = vendor_rows(nodes)
    out["sites"] = [s | {"node_label": labels.get(s["node"])} for s in store.sites(run_id)]
    out["skipped"] = store.skipped(run_id)
    return out


def devices_view(store: Store, run_id: int, f: DeviceFilter) -> dict[str, Any]:
    page = store.devices(run_id, verdict=f.verdict, vendor=f.vendor, limit=f.limit,
                         offset=f.offset)  # fmt: skip
    return {"run_id": run_id, "verdict": f.verdict, "vendor": f.vendor} | page.to_dict()


def flows_view(store: Store, run_id: int, f: FlowFilter) -> dict[str, Any]:
    page = store.flows(run_id, cls=f.cls, exposed=f.exposed, clean_path=f.clean_path,
                       node=f.node, limit=f.limit, offset=f.offset)  # fmt: skip
    filters = {"class": f.cls, "exposed": f.exposed, "clean_path": f.clean_path, "node": f.node}
    return {"run_id": run_id, **filters} | page.to_dict()


def flow_view(store: Store, run_id: int, demand: int) -> dict[str, Any]:
    flow = store.flow(run_id, demand)
    labels = {n["node_id"]: n["label"] for n in store.nodes(run_id)}
    for key in ("path", "clean_path"):
        if flow[key] is not None:
            flow[f"{key}_labels"] = [labels.get(x, x) for x in flow[key]]
    return {"run_id": run_id} | flow


def plan_view(store: Store, run_id: int) -> dict[str, Any]:
    return {"run_id": run_id, "plan": store.plan(run_id)}


def diff_view(store: Store, a: int, b: int) -> dict[str, Any]:
    d = diff_runs(store, a, b)
    return d.to_dict() | {"counts": d.counts()}


def map_for(
    store: Store, run_id: int, *, flows: list[Mapping[str, Any]] | None = None
) -> dict[str, Any] | None:
    """The Plotly map of a run (nodes by verdict, links, sites, hubs, worst sensitive flows,
    or ``flows`` when given), or None when the network has no geographic coordinates."""
    from cleanpath.report._figures import map_figure

    run = store.run(run_id)
    nodes = [
        {"id": n["node_id"], "label": n["label"], "lat": n["lat"], "lon": n["lon"],
         "verdict": n["verdict"], "manufacturer": n["manufacturer"], "model": n["model"],
         "carried_sensitive_volume": n["carried_sensitive_volume"]}
        for n in store.nodes(run_id)
    ]  # fmt: skip
    sites = store.sites(run_id)
    net = {
        "name": run["network"], "coordinates": run["coordinates"], "nodes": nodes,
        "links": store.links(run_id), "sites": [s for s in sites if not s["hub"]],
        "hubs": [s for s in sites if s["hub"]],
        "flows": list(flows) if flows is not None else _with_class(store.top_flows(run_id)),
    }  # fmt: skip
    return map_figure(net)
