"""Query and path parameters, declared once and shared by the pages and their JSON twins.

Bounds keep every value inside what the store can answer (ids fit a BIGINT, pages are capped
at ``MAX_PAGE``); an empty string from an HTML form means "any".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Path, Query

from cleanpath.store import MAX_PAGE

__all__ = [
    "MAX_ID",
    "DeviceFilter",
    "FlowFilter",
    "RunFilter",
    "device_filter",
    "flow_filter",
    "run_filter",
]

MAX_ID = 2**53
MAX_OFFSET = 10**9
_TEXT = r"^[^\x00-\x1f\x7f]*$"

RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="A run id (see /api/runs).")]
Demand = Annotated[int, Path(ge=0, le=MAX_ID, description="A demand's index in its run.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
Text = Annotated[str | None, Query(max_length=100, pattern=_TEXT)]
Verdict = Literal["", "covered", "not_covered", "unknown"]
FlowClass = Literal["", "sensitive", "normal"]
Tri = Literal["", "true", "false"]


@dataclass(frozen=True, slots=True)
class RunFilter:
    network: str | None
    limit: int
    offset: int


async def run_filter(
    network: Annotated[Text, Query(description="Only runs of this network.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> RunFilter:
    return RunFilter(network or None, limit, offset)


@dataclass(frozen=True, slots=True)
class DeviceFilter:
    verdict: str | None
    vendor: str | None
    limit: int
    offset: int


async def device_filter(
    verdict: Annotated[Verdict, Query(description="covered, not_covered or unknown.")] = "",
    vendor: Annotated[Text, Query(description="Part of the manufacturer or brand.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> DeviceFilter:
    return DeviceFilter(verdict or None, vendor or None, limit, offset)


@dataclass(frozen=True, slots=True)
class FlowFilter:
    cls: str | None
    exposed: bool | None
    clean_path: bool | None
    node: str | None
    limit: int
    offset: int


def _tri(value: str) -> bool | None:
    return None if value == "" else value == "true"


async def flow_filter(
    cls: Annotated[FlowClass, Query(alias="class", description="sensitive or normal.")] = "",
    exposed: Annotated[Tri, Query(description="Only flows that do (not) cross untrusted "
                                              "equipment.")] = "",
    clean_path: Annotated[Tri, Query(description="Only flows that do (not) have a clean "
                                                 "path.")] = "",
    node: Annotated[Text, Query(description="Flows from or to this node id.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> FlowFilter:  # fmt: skip
    return FlowFilter(cls or None, _tri(exposed), _tri(clean_path), node or None, limit, offset)
