"""The JSON API: one route per dashboard page, returning what the page shows."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from cleanpath.store import Store
from cleanpath.web import views
from cleanpath.web.params import (
    MAX_ID,
    Demand,
    DeviceFilter,
    FlowFilter,
    RunFilter,
    RunId,
    device_filter,
    flow_filter,
    run_filter,
)

__all__ = ["ERRORS", "router", "store_of"]

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A parameter is invalid or unknown; `detail` says which."},
    401: {"description": "The server has a token and the bearer header is missing or wrong."},
    404: {"description": "No such run or demand."},
}
"""Error answers every route may give (documented in the OpenAPI schema)."""

router = APIRouter(
    prefix="/api", tags=["api"], responses=ERRORS, default_response_class=JSONResponse
)

Json = dict[str, Any]
RunQ = Annotated[int, Query(ge=1, le=MAX_ID, description="A run id.")]


async def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(store_of)]


_ENCODED: views.Answers[bytes] = views.Answers()


async def _answer(view: Callable[..., Any], store: Store, *args: Any) -> Response:
    """The view's dict as JSON, encoded once per store and arguments (see ``views``)."""
    body = await _ENCODED.get(
        (view, store, *args),
        lambda: json.dumps(view(store, *args), allow_nan=False, default=str).encode(),
    )
    return Response(body, media_type="application/json")


def _nodes(store: Store, run_id: int) -> Json:
    return {"run_id": run_id, "items": store.nodes(run_id), "links": store.links(run_id)}


@router.get("/runs", summary="Saved runs, newest first")
async def api_runs(store: StoreDep, f: Annotated[RunFilter, Depends(run_filter)]) -> Response:
    return await _answer(views.runs_view, store, f)


@router.get("/runs/{run_id}", summary="A run: summary, inputs, worst flows, vendors")
async def api_run(store: StoreDep, run_id: RunId) -> Response:
    return await _answer(views.run_view, store, run_id)


@router.get("/runs/{run_id}/nodes", summary="Every node of a run with its verdict and volumes")
async def api_nodes(store: StoreDep, run_id: RunId) -> Response:
    return await _answer(_nodes, store, run_id)


@router.get("/runs/{run_id}/devices", summary="Devices of a run, filtered by verdict/vendor")
async def api_devices(
    store: StoreDep, run_id: RunId, f: Annotated[DeviceFilter, Depends(device_filter)]
) -> Response:
    return await _answer(views.devices_view, store, run_id, f)


@router.get("/runs/{run_id}/flows", summary="Demands of a run, worst first")
async def api_flows(
    store: StoreDep, run_id: RunId, f: Annotated[FlowFilter, Depends(flow_filter)]
) -> Response:
    return await _answer(views.flows_view, store, run_id, f)


@router.get("/runs/{run_id}/flows/{demand}", summary="One demand with its paths")
async def api_flow(store: StoreDep, run_id: RunId, demand: Demand) -> Response:
    return await _answer(views.flow_view, store, run_id, demand)


@router.get("/runs/{run_id}/plan", summary="The replacement plan saved with a run")
async def api_plan(store: StoreDep, run_id: RunId) -> Response:
    return await _answer(views.plan_view, store, run_id)


@router.get("/diff", summary="What changed from run a to run b")
async def api_diff(store: StoreDep, a: RunQ, b: RunQ) -> Response:
    return await _answer(views.diff_view, store, a, b)
