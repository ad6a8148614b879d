"""HTML pages of the dashboard (Jinja2), each with a link to its JSON twin under /api.

plotly.js and the world map come from the installed packages and are served by the app
itself: the dashboard works without any network access.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Callable
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from cleanpath.store import Store
from cleanpath.web import views
from cleanpath.web.api import ERRORS, RunQ, StoreDep
from cleanpath.web.params import (
    Demand,
    DeviceFilter,
    FlowFilter,
    RunFilter,
    RunId,
    device_filter,
    flow_filter,
    run_filter,
)

__all__ = ["render", "router"]

router = APIRouter(default_response_class=HTMLResponse, tags=["pages"], responses=ERRORS)
_CACHE = {"Cache-Control": "public, max-age=86400"}


@functools.cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cleanpath.web", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    env.filters["num"] = _num
    env.filters["pct"] = lambda x: "–" if x is None else f"{100 * float(x):.1f}%"
    return env


def _num(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    if isinstance(x, int) or abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def render(template: str, **ctx: Any) -> str:
    """Render one page template with ``ctx``."""
    ctx.setdefault("run_id", None)
    ctx.setdefault("json_url", None)
    return _env().get_template(template).render(**ctx)


def _script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(data, allow_nan=False).replace("<", "\\u003c")


def _json_url(request: Request) -> str:
    q = f"?{request.url.query}" if request.url.query else ""
    return f"/api{request.url.path if request.url.path != '/' else '/runs'}{q}"


Page = tuple[str, dict[str, Any]]
"""A template name and its context."""


_PAGES: views.Answers[str] = views.Answers()


def _html(build: Callable[..., Page], store: Store, json_url: str, *args: Any) -> str:
    template, ctx = build(store, *args)
    return render(template, json_url=json_url, **ctx)


async def _page(
    request: Request, build: Callable[..., Page], store: Store, *args: Any
) -> HTMLResponse:
    """A rendered page, kept like the views it shows (the store is read-only)."""
    url = _json_url(request)
    html = await _PAGES.get((build, store, url, *args), lambda: _html(build, store, url, *args))
    return HTMLResponse(html)


def _runs(store: Store, f: RunFilter) -> Page:
    return "runs.html.j2", {"title": "Runs", "data": views.runs_view(store, f)}


def _run(store: Store, run_id: int) -> Page:
    data = views.run_view(store, run_id)
    fig = views.run_map(store, run_id)
    return "run.html.j2", {"title": f"Run {run_id}: {data['network']}", "run_id": run_id,
                           "data": data, "fig": _script_json(fig) if fig else None}  # fmt: skip


def _devices(store: Store, run_id: int, f: DeviceFilter) -> Page:
    data = views.devices_view(store, run_id, f)
    return "devices.html.j2", {"title": f"Run {run_id}: devices", "run_id": run_id,
                               "data": data}  # fmt: skip


def _flows(store: Store, run_id: int, f: FlowFilter) -> Page:
    data = views.flows_view(store, run_id, f)
    return "flows.html.j2", {"title": f"Run {run_id}: flows", "run_id": run_id, "data": data}


def _flow(store: Store, run_id: int, demand: int) -> Page:
    data = views.flow_view(store, run_id, demand)
    fig = views.flow_map(store, run_id, demand)
    return "flow.html.j2", {"title": f"Run {run_id}: flow {demand}", "run_id": run_id,
                            "data": data, "fig": _script_json(fig) if fig else None}  # fmt: skip


def _curve(plan: Any) -> dict[str, Any] | None:
    """Clean share against money spent, from a planner's ``curve`` (when it has one)."""
    points = plan.get("curve") if isinstance(plan, dict) else None
    if not points or not all(isinstance(p, dict) for p in points):
        return None
    total = float(plan.get("total_volume") or 0)
    start = float(plan.get("clean_volume_before") or 0) / total if total > 0 else 0.0
    return {
        "data": [{"type": "scatter", "mode": "lines+markers", "name": "clean share",
                  "x": [0.0] + [p.get("cost") for p in points],
                  "y": [100 * start] + [100 * float(p.get("clean_share") or 0) for p in points],
                  "line": {"shape": "hv", "color": "#2ca02c"}}],
        "layout": {"height": 340, "margin": {"l": 60, "r": 10, "t": 10, "b": 50},
                   "xaxis": {"title": {"text": "money spent (gross)"}},
                   "yaxis": {"title": {"text": "clean share (%)"}, "range": [0, 100]}},
    }  # fmt: skip


def _plan(store: Store, run_id: int) -> Page:
    plan = views.plan_view(store, run_id)["plan"]
    curve = _curve(plan)
    return "plan.html.j2", {
        "title": f"Run {run_id}: plan", "run_id": run_id, "plan": plan,
        "plan_json": json.dumps(plan, indent=1, sort_keys=True) if plan is not None else "",
        "curve": _script_json(curve) if curve else None,
    }  # fmt: skip


def _diff(store: Store, a: int, b: int) -> Page:
    data = views.diff_view(store, a, b)
    return "diff.html.j2", {"title": f"Diff of runs {a} and {b}", "data": data}


@router.get("/", summary="Page: saved runs")
async def page_runs(
    request: Request, store: StoreDep, f: Annotated[RunFilter, Depends(run_filter)]
) -> HTMLResponse:
    return await _page(request, _runs, store, f)


@router.get("/runs/{run_id}", summary="Page: a run's map and summary")
async def page_run(request: Request, store: StoreDep, run_id: RunId) -> HTMLResponse:
    return await _page(request, _run, store, run_id)


@router.get("/runs/{run_id}/devices", summary="Page: devices of a run")
async def page_devices(
    request: Request, store: StoreDep, run_id: RunId,
    f: Annotated[DeviceFilter, Depends(device_filter)],
) -> HTMLResponse:  # fmt: skip
    return await _page(request, _devices, store, run_id, f)


@router.get("/runs/{run_id}/flows", summary="Page: flows of a run")
async def page_flows(
    request: Request, store: StoreDep, run_id: RunId,
    f: Annotated[FlowFilter, Depends(flow_filter)],
) -> HTMLResponse:  # fmt: skip
    return await _page(request, _flows, store, run_id, f)


@router.get("/runs/{run_id}/flows/{demand}", summary="Page: one flow and its paths")
async def page_flow(
    request: Request, store: StoreDep, run_id: RunId, demand: Demand
) -> HTMLResponse:
    return await _page(request, _flow, store, run_id, demand)


@router.get("/runs/{run_id}/plan", summary="Page: the replacement plan of a run")
async def page_plan(request: Request, store: StoreDep, run_id: RunId) -> HTMLResponse:
    return await _page(request, _plan, store, run_id)


@router.get("/diff", summary="Page: what changed from run a to run b")
async def page_diff(request: Request, store: StoreDep, a: RunQ, b: RunQ) -> HTMLResponse:
    return await _page(request, _diff, store, a, b)


@router.get(
    "/runs/{run_id}/covered-equipment.csv",
    summary="CSV: the covered-equipment listing of a run (regulator-filing shape)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def covered_equipment_csv(
    store: StoreDep, run_id: RunId, include_unknown: bool = False
) -> Response:
    from cleanpath.report.regulator import regulator_csv, regulator_rows_from_store

    rows = regulator_rows_from_store(store, run_id, include_unknown=include_unknown)
    name = f"cleanpath-run-{run_id}-covered-equipment.csv"
    return Response(regulator_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@functools.cache
def _plotly() -> bytes:
    from cleanpath.report.html import plotly_js

    return plotly_js().encode()


@functools.cache
def _geo_assets() -> bytes:
    res = importlib.resources.files("cleanpath.report").joinpath("templates", "world_50m.json")
    raw = res.read_text(encoding="utf-8").strip().replace("<", "\\u003c")
    return f'window.PlotlyGeoAssets = {{"topojson": {{"world_50m": {raw}}}}};\n'.encode()


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    return Response(status_code=204, headers=_CACHE)


@router.get("/static/plotly.min.js", include_in_schema=False)
async def static_plotly() -> Response:
    return Response(_plotly(), media_type="text/javascript", headers=_CACHE)


@router.get("/static/geo-assets.js", include_in_schema=False)
async def static_geo() -> Response:
    return Response(_geo_assets(), media_type="text/javascript", headers=_CACHE)
