"""An audit result as plain rows, one list of dicts per table (pure: no SQL, no files).

The store writes these rows; the regulator listing and the web pages read them back in the
same shape, so a device or a flow looks the same whether it comes from memory or from disk.

>>> from cleanpath.domain import NodeRecord, LinkRecord, Topology
>>> from cleanpath.model.network import build_network
>>> from cleanpath.model.demands import Demands
>>> from cleanpath.analysis.exposure import exposure
>>> t = Topology("sq", tuple(NodeRecord(x, x) for x in "abcd"), (
...     LinkRecord("1", "a", "b"), LinkRecord("2", "b", "d"),
...     LinkRecord("3", "a", "c"), LinkRecord("4", "c", "d")))
>>> net = build_network(t, untrusted=["b"])
>>> ex = exposure(net, Demands.from_arrays(net, [0], [3], [10.0]))
>>> d = demand_columns(ex)
>>> d["src"], d["dst"], d["exposed_share"]
(['a'], ['d'], [0.5])
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from cleanpath.analysis.allpairs import AllPairsExposure
from cleanpath.analysis.exposure import ExposureResult
from cleanpath.pipeline import AuditResult

__all__ = [
    "DEMAND_COLUMNS",
    "demand_columns",
    "detailed",
    "device_rows",
    "flow_rows",
    "input_rows",
    "link_rows",
    "node_rows",
    "site_rows",
]

DEMAND_COLUMNS = (
    "demand", "src", "dst", "volume", "sensitive", "routable", "exposed_share",
    "exposed_volume", "clean_path_exists", "dist", "clean_dist", "stretch",
)  # fmt: skip
"""Columns of the per-demand Parquet file written beside the database."""


def _f(x: Any) -> float | None:
    """A finite float or None (NaN and inf are not valid JSON and mean 'none' here)."""
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None


def _fs(a: Iterable[Any]) -> list[float | None]:
    return [_f(x) for x in a]


def detailed(ex: ExposureResult | AllPairsExposure) -> ExposureResult:
    """The per-demand results: all of them, or the retained worst ones of an all-pairs run."""
    return ex.top if isinstance(ex, AllPairsExposure) else ex


def demand_columns(ex: ExposureResult) -> dict[str, list[Any]]:
    """Every demand of ``ex`` as columns (node ids as strings); see :data:`DEMAND_COLUMNS`."""
    d, ids = ex.demands, ex.network.node_ids
    routable = ex.routable
    clean = ex.clean_path_exists & routable
    return {
        "demand": list(range(len(d.src))),
        "src": [ids[int(i)] for i in d.src],
        "dst": [ids[int(i)] for i in d.dst],
        "volume": [float(x) for x in d.volume],
        "sensitive": [bool(x) for x in d.sensitive],
        "routable": [bool(x) for x in routable],
        "exposed_share": _fs(np.where(routable, ex.exposed_share, np.nan)),
        "exposed_volume": [float(x) for x in ex.exposed_volume],
        "clean_path_exists": [bool(x) for x in clean],
        "dist": _fs(ex.dist),
        "clean_dist": _fs(ex.clean_dist),
        "stretch": _fs(ex.stretch),
    }


def node_rows(res: AuditResult) -> list[dict[str, Any]]:
    """One row per network node: verdict (worst of its devices), flags and carried volumes."""
    net, ex = res.network, res.exposure
    rows = []
    for i, nv in enumerate(res.node_verdicts):
        rows.append(
            {
                "node_idx": i, "node_id": net.node_ids[i], "label": net.labels[i],
                "lat": _f(net.lat[i]), "lon": _f(net.lon[i]),
                "verdict": str(nv.status) if nv.devices else "no_device",
                "devices": nv.devices, "manufacturer": nv.manufacturer, "model": nv.model,
                "reason": nv.reason, "untrusted": bool(net.untrusted[i]),
                "external": bool(net.external[i]), "hyperedge": bool(net.hyperedge[i]),
                "carried_volume": float(ex.node_volume[i]),
                "carried_sensitive_volume": float(ex.node_sensitive_volume[i]),
            }
        )  # fmt: skip
    return rows


def link_rows(res: AuditResult) -> list[dict[str, Any]]:
    """One row per physical link, with the volume it carries (both directions added)."""
    net, ex = res.network, res.exposure
    vol, sens = np.zeros(net.n_links), np.zeros(net.n_links)
    np.add.at(vol, net.arc_link, ex.arc_volume)
    np.add.at(sens, net.arc_link, ex.arc_sensitive_volume)
    return [
        {"link_idx": k, "link_id": net.link_ids[k],
         "src": net.node_ids[int(net.link_src[k])], "dst": net.node_ids[int(net.link_dst[k])],
         "carried_volume": float(vol[k]), "carried_sensitive_volume": float(sens[k])}
        for k in range(net.n_links)
    ]  # fmt: skip


def _evidence(ident: Any) -> list[dict[str, Any]]:
    out = []
    for e in getattr(ident, "evidence", ()) or ():
        out.append(
            {"signal": str(getattr(e, "signal", "")), "value": str(getattr(e, "value", "")),
             "rule": str(getattr(e, "rule", "")),
             "points_to": getattr(e, "points_to", None), "weight": _f(getattr(e, "weight", None)),
             "detail": str(getattr(e, "detail", ""))}
        )  # fmt: skip
    return out


def _entry(verdict: Any) -> dict[str, Any]:
    e = getattr(verdict, "entry", None)
    if e is None:
        return dict.fromkeys(("entry_id", "entity", "entity_name", "entry_text", "scope",
                              "date_added", "entry_source"))  # fmt: skip
    return {
        "entry_id": e.id, "entity": e.entity, "entity_name": e.entity_name, "entry_text": e.text,
        "scope": e.scope, "date_added": e.date_added.isoformat(), "entry_source": str(e.source),
    }  # fmt: skip


def device_rows(res: AuditResult) -> list[dict[str, Any]]:
    """One row per identified device: where it is, who made it, the verdict and the evidence."""
    net = res.network
    where = {nid: i for i, nid in enumerate(net.node_ids)}
    where.update({lab: i for i, lab in enumerate(net.labels) if lab not in where})
    rows = []
    for k, (ident, v) in enumerate(zip(res.identifications, res.verdicts, strict=True)):
        dev = ident.device
        i = where.get(dev.node)
        rows.append(
            {
                "device_idx": k, "node_id": net.node_ids[i] if i is not None else dev.node,
                "node_label": net.labels[i] if i is not None else None,
                "lat": _f(net.lat[i]) if i is not None else None,
                "lon": _f(net.lon[i]) if i is not None else None,
                "hostname": dev.hostname, "role": dev.role, "reported_manufacturer":
                dev.manufacturer, "brand": getattr(ident, "brand", None),
                "manufacturer": getattr(ident, "manufacturer_name", None) or ident.manufacturer,
                "model": getattr(ident, "model", None) or dev.model,
                "confidence": _f(getattr(ident, "confidence", None)),
                "status": str(v.status), "reason": v.reason, **_entry(v),
                "evidence": json.dumps(_evidence(ident), sort_keys=True),
                "conflicts": json.dumps(list(getattr(ident, "conflicts", ()) or ())),
                "source": dev.source, "line": dev.line,
            }
        )  # fmt: skip
    return rows


def flow_rows(res: AuditResult, k: int) -> list[dict[str, Any]]:
    """The ``k`` worst flows (sensitive ones only when there are any), with their paths."""
    from cleanpath.analysis.paths import shortest_path

    ex, net = detailed(res.exposure), res.network
    ids = ex.worst(k, sensitive_only=bool(ex.demands.sensitive.any()))
    rows = []
    for rank, j in enumerate(ids):
        r = ex.demand_row(int(j))
        s, t = int(ex.demands.src[j]), int(ex.demands.dst[j])
        path = shortest_path(net, s, t) if r["routable"] else []
        clean = shortest_path(net, s, t, clean=True) if r["clean_path_exists"] else []
        rows.append(
            {
                "rank": rank, "demand": int(j), "src": r["src"], "dst": r["dst"],
                "src_label": net.labels[s], "dst_label": net.labels[t], "volume": r["volume"],
                "sensitive": r["class"] == "sensitive", "routable": r["routable"],
                "exposed_share": _f(r["exposed_share"]),
                "exposed_volume": float(ex.exposed_volume[j]),
                "clean_path_exists": r["clean_path_exists"], "stretch": _f(r["stretch"]),
                "path": json.dumps([net.node_ids[x] for x in path]),
                "clean_path": json.dumps([net.node_ids[x] for x in clean]),
            }
        )  # fmt: skip
    return rows


def site_rows(res: AuditResult) -> list[dict[str, Any]]:
    """Sites and hubs with the node each is attached to."""
    out = []
    for hub, group in ((False, res.sites), (True, res.hubs)):
        for a in group:
            d = a.to_dict()
            d["hub"] = hub
            out.append(d)
    return out


def input_rows(inputs: Mapping[str, bytes | str]) -> list[dict[str, Any]]:
    """Input name → sha256 (bytes are hashed; a string must already be a sha256 hex digest)."""
    from cleanpath.errors import InputError
    from cleanpath.pipeline import content_hash

    rows = []
    for name, value in sorted(inputs.items()):
        if isinstance(value, bytes):
            rows.append({"name": name, "sha256": content_hash(value), "size": len(value)})
            continue
        h = value.strip().lower()
        if len(h) != 64 or any(c not in "0123456789abcdef" for c in h):
            raise InputError(
                f"input {name!r}: expected bytes or a sha256 hex digest, got {value!r}",
                field="inputs",
            )
        rows.append({"name": name, "sha256": h, "size": None})
    return rows
