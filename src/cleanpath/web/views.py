"""What each page shows, as plain dicts read from the store: the JSON API returns them as
they are and the HTML pages render them, so a page and its JSON twin never disagree.

The dashboard opens its database read-only, and DuckDB keeps writers out while it is open,
so a view of a given store and arguments never changes: views are memoised (a bounded LRU
per function; errors are not cached). Callers must not mutate what a view returns.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

from cleanpath.store import Store, diff_runs
from cleanpath.web.params import DeviceFilter, FlowFilter, RunFilter

__all__ = [
    "CACHE_SIZE",
    "Answers",
    "devices_view",
    "diff_view",
    "flow_map",
    "flow_view",
    "flows_view",
    "map_for",
    "plan_view",
    "run_map",
    "run_view",
    "runs_view",
    "vendor_rows",
]

CACHE_SIZE = 256
"""Entries kept per view function (each is at most one page of rows)."""

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def _memo(fn: F) -> F:
    return functools.lru_cache(maxsize=CACHE_SIZE)(fn)  # type: ignore[return-value]


class Answers(Generic[T]):
    """A bounded LRU of finished answers (encoded JSON, rendered pages) for async routes: a
    hit is served on the event loop, a miss is computed in the thread pool (it queries
    DuckDB). Errors are not kept."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    async def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        from starlette.concurrency import run_in_threadpool

        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = await run_in_threadpool(compute)
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


@_memo
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


@_memo
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


@_memo
def devices_view(store: Store, run_id: int, f: DeviceFilter) -> dict[str, Any]:
    page = store.devices(run_id, verdict=f.verdict, vendor=f.vendor, limit=f.limit,
                         offset=f.offset)  # fmt: skip
    return {"run_id": run_id, "verdict": f.verdict, "vendor": f.vendor} | page.to_dict()


@_memo
def flows_view(store: Store, run_id: int, f: FlowFilter) -> dict[str, Any]:
    page = store.flows(run_id, cls=f.cls, exposed=f.exposed, clean_path=f.clean_path,
                       node=f.node, limit=f.limit, offset=f.offset)  # fmt: skip
    filters = {"class": f.cls, "exposed": f.exposed, "clean_path": f.clean_path, "node": f.node}
    return {"run_id": run_id, **filters} | page.to_dict()


@_memo
def flow_view(store: Store, run_id: int, demand: int) -> dict[str, Any]:
    flow = store.flow(run_id, demand)
    labels = {n["node_id"]: n["label"] for n in store.nodes(run_id)}
    for key in ("path", "clean_path"):
        if flow[key] is not None:
            flow[f"{key}_labels"] = [labels.get(x, x) for x in flow[key]]
    return {"run_id": run_id} | flow


@_memo
def plan_view(store: Store, run_id: int) -> dict[str, Any]:
    return {"run_id": run_id, "plan": store.plan(run_id)}


@_memo
def diff_view(store: Store, a: int, b: int) -> dict[str, Any]:
    d = diff_runs(store, a, b)
    return d.to_dict() | {"counts": d.counts()}


@_memo
def run_map(store: Store, run_id: int) -> dict[str, Any] | None:
    """The map of a run with its worst sensitive flows."""
    return map_for(store, run_id)


@_memo
def flow_map(store: Store, run_id: int, demand: int) -> dict[str, Any] | None:
    """The map of a run with one flow's path drawn (None when its path was not kept)."""
    flow = flow_view(store, run_id, demand)
    return map_for(store, run_id, flows=[flow]) if flow["path"] else None


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
