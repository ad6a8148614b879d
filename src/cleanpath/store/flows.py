"""Per-demand queries over a run's Parquet file (parameterised SQL only)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cleanpath.errors import InputError

if TYPE_CHECKING:
    from cleanpath.store.db import Store
    from cleanpath.store.page import Page

__all__ = ["CLASSES", "FLOW_ORDER", "one_flow", "query_flows"]

CLASSES = ("sensitive", "normal")

FLOW_ORDER = ("routable ASC, exposed_volume DESC, exposed_share DESC NULLS LAST, "
              "sensitive DESC, demand ASC")  # fmt: skip
"""Worst first: unroutable demands, then by exposed volume and share."""

_WHERE = (
    "(? IS NULL OR sensitive = ?) AND (? IS NULL OR (coalesce(exposed_share, 0) > 0) = ?) "
    "AND (? IS NULL OR clean_path_exists = ?) AND (? IS NULL OR src = ? OR dst = ?)"
)

_COLUMNS = ("demand, src, dst, volume, sensitive, routable, exposed_share, exposed_volume, "
            "clean_path_exists, stretch")  # fmt: skip


def _with_class(row: dict[str, Any]) -> dict[str, Any]:
    row["class"] = "sensitive" if row["sensitive"] else "normal"
    return row


def query_flows(
    store: Store, run_id: int, *, cls: str | None, exposed: bool | None,
    clean_path: bool | None, node: str | None, limit: int, offset: int,
) -> Page:  # fmt: skip
    """A page of a run's demands matching the filters, worst first."""
    from cleanpath.store.page import Page

    if cls is not None and cls not in CLASSES:
        raise InputError(f"class must be sensitive or normal, got {cls!r}", field="class")
    sens = None if cls is None else cls == "sensitive"
    path = str(store.demands_file(run_id))
    params = [path, sens, sens, exposed, exposed, clean_path, clean_path, node, node, node]
    total = store._query(f"SELECT count(*) AS n FROM read_parquet(?) WHERE {_WHERE}", params)
    items = store._query(
        f"SELECT {_COLUMNS} FROM read_parquet(?) WHERE {_WHERE} ORDER BY {FLOW_ORDER} "
        "LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return Page([_with_class(r) for r in items], int(total[0]["n"]), limit, offset)


def one_flow(store: Store, run_id: int, demand: int) -> dict[str, Any]:
    """One demand of a run, with node labels and, for the saved worst flows, its paths."""
    path = str(store.demands_file(run_id))
    rows = store._query(f"SELECT {_COLUMNS} FROM read_parquet(?) WHERE demand = ?",
                        [path, demand])  # fmt: skip
    if not rows:
        from cleanpath.store.page import NotFoundError

        raise NotFoundError(f"run {run_id} has no demand {demand}", field="demand")
    row = _with_class(rows[0])
    labels = {
        r["node_id"]: r["label"]
        for r in store._query(
            "SELECT node_id, label FROM nodes WHERE run_id = ? AND node_id IN (?, ?)",
            [run_id, row["src"], row["dst"]],
        )
    }
    row["src_label"], row["dst_label"] = labels.get(row["src"]), labels.get(row["dst"])
    top = store._query(
        "SELECT rank, path, clean_path FROM flows WHERE run_id = ? AND demand = ?",
        [run_id, demand],
    )
    row["rank"] = top[0]["rank"] if top else None
    row["path"] = json.loads(top[0]["path"]) if top else None
    row["clean_path"] = json.loads(top[0]["clean_path"]) if top else None
    return row
