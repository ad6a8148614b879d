"""One context builder for every report format: a plain, sorted-key-friendly dict."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from cleanpath.analysis.paths import shortest_path
from cleanpath.domain import CoverStatus
from cleanpath.pipeline import AuditResult

__all__ = ["build_context", "device_evidence", "network_context"]


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 9)


def _flows(res: AuditResult, k: int) -> list[dict[str, Any]]:
    ex, net = res.exposure, res.network
    sens = ex.demands.sensitive
    ids = ex.worst(k, sensitive_only=bool(sens.any()))
    out = []
    for j in ids:
        row = ex.demand_row(int(j))
        s, t = int(ex.demands.src[j]), int(ex.demands.dst[j])
        row["src_label"], row["dst_label"] = net.labels[s], net.labels[t]
        row["path"] = [net.node_ids[i] for i in shortest_path(net, s, t)]
        clean = shortest_path(net, s, t, clean=True) if row["clean_path_exists"] else []
        row["clean_path"] = [net.node_ids[i] for i in clean]
        row["exposed_share"] = _num(row["exposed_share"]) if row["routable"] else None
        row["stretch"] = _num(row["stretch"]) if row["stretch"] is not None else None
        out.append(row)
    return out


def _vendor_rows(res: AuditResult) -> list[dict[str, Any]]:
    ex = res.exposure
    agg: dict[str, list[float]] = {}
    for i, nv in enumerate(res.node_verdicts):
        if not nv.devices:
            continue
        key = nv.manufacturer or "unknown"
        row = agg.setdefault(key, [0, 0.0, 0.0])
        row[0] += nv.devices
        row[1] += float(ex.node_volume[i])
        row[2] += float(ex.node_sensitive_volume[i])
    rows = [
        {"vendor": k, "devices": int(v[0]), "carried_volume": _num(v[1]),
         "carried_sensitive_volume": _num(v[2])}
        for k, v in agg.items()
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (-(r["carried_sensitive_volume"] or 0), r["vendor"]))


#: evidence listed per covered device (the strongest first)
EVIDENCE_SHOWN = 8


def _evidence_rows(ident: Any) -> list[dict[str, Any]]:
    chain = sorted(
        (e for e in ident.evidence if e.points_to and e.weight > 0), key=lambda e: -e.weight
    )
    return [
        {"signal": e.signal, "value": e.value, "rule": e.rule, "points_to": e.points_to,
         "weight": _num(e.weight), "about": e.about}
        for e in chain[:EVIDENCE_SHOWN]
    ]  # fmt: skip


def device_evidence(res: AuditResult) -> list[dict[str, Any]]:
    """Each covered device (and each device of a listed maker left unknown, e.g. identified
    at low confidence) with its verdict and evidence chain: signal, value, rule, points-to."""
    rows = []
    for ident, v in zip(res.identifications, res.verdicts, strict=True):
        listed = v.entry is not None and v.status != CoverStatus.NOT_COVERED
        if v.status != CoverStatus.COVERED and not listed:
            continue
        e = v.entry
        rows.append(
            {
                "node": ident.device.node, "device": ident.device.hostname or ident.device.node,
                "manufacturer": ident.manufacturer_name or ident.manufacturer,
                "brand": ident.brand if ident.brand != ident.manufacturer else None,
                "model": ident.model,
                "confidence": _num(ident.confidence), "verdict": str(v.status),
                "listed_as": f"{e.entity_name} (since {e.date_added})" if e else None,
                "reason": v.reason, "evidence": _evidence_rows(ident),
            }
        )  # fmt: skip
    return sorted(rows, key=lambda r: (r["verdict"] != "covered", str(r["node"]), r["device"]))


def network_context(
    res: AuditResult, *, top_flows: int = 10, top_devices: int = 10
) -> dict[str, Any]:
    """The per-network part of the report context."""
    net, ex = res.network, res.exposure
    nodes = []
    for i, nv in enumerate(res.node_verdicts):
        nodes.append(
            {
                "id": net.node_ids[i], "label": net.labels[i],
                "lat": _num(net.lat[i]), "lon": _num(net.lon[i]),
                "verdict": str(nv.status) if nv.devices else "no_device",
                "manufacturer": nv.manufacturer, "model": nv.model, "reason": nv.reason,
                "untrusted": bool(net.untrusted[i]), "external": bool(net.external[i]),
                "hyperedge": bool(net.hyperedge[i]),
                "carried_volume": _num(ex.node_volume[i]),
                "carried_sensitive_volume": _num(ex.node_sensitive_volume[i]),
            }
        )  # fmt: skip
    links = sorted(
        {tuple(sorted((net.node_ids[int(a)], net.node_ids[int(b)])))
         for a, b in zip(net.link_src, net.link_dst, strict=True)}
    )  # fmt: skip
    order = np.argsort(-ex.node_sensitive_volume, kind="stable")
    top = [
        {k: nodes[i][k] for k in ("id", "label", "manufacturer", "model", "verdict", "reason",
                                  "carried_volume", "carried_sensitive_volume")}
        | {"node": nodes[i]["id"]}
        for i in order[:top_devices] if res.node_verdicts[i].devices
    ]  # fmt: skip
    s = res.summary()
    summary = {k: (_num(v) if isinstance(v, float) else v) for k, v in s.items()}
    return {
        "name": net.name,
        "attribution": net.attribution,
        "coordinates": str(net.coordinates),
        "summary": summary,
        "nodes": nodes,
        "links": [{"src": a, "dst": b} for a, b in links],
        "sites": [a.to_dict() for a in res.sites],
        "hubs": [a.to_dict() for a in res.hubs],
        "flows": _flows(res, top_flows),
        "top_devices": top,
        "exposure_by_vendor": _vendor_rows(res),
        "device_evidence": device_evidence(res),
        "skipped": [str(x) for x in res.skipped],
    }


def plan_context(plan: Any, *, currency: str = "USD", note: str | None = None) -> dict[str, Any]:
    """The report's ``plan`` section from a :class:`~cleanpath.analysis.planner.ReplacementPlan`:
    the clean-sensitive-share curve against gross money spent, and the phased table."""
    curve = [
        {
            "spent": 0.0,
            "clean_sensitive_share": _num(
                plan.clean_volume_before / plan.total_volume if plan.total_volume else 0.0
            ),
        }
    ]
    curve += [{"spent": _num(c.cost), "clean_sensitive_share": _num(c.clean_share)}
              for c in plan.curve]  # fmt: skip
    phases = [
        {"phase": ph.index, "nodes": list(ph.devices), "cost": _num(ph.cost),
         "subsidy": _num(ph.subsidy), "net_cost": _num(ph.net_cost),
         "clean_sensitive_share": _num(ph.clean_share_after)}
        for ph in plan.phases
    ]  # fmt: skip
    gap = plan.optimality_gap
    text = (
        f"{plan.solver} plan, {plan.routing} routing, objective {plan.objective}: "
        f"{len(plan.replaced)} devices, cost {plan.cost:,.0f} {currency} "
        f"(subsidy {plan.subsidy:,.0f}, operator {plan.net_cost:,.0f}); "
        + ("proven optimal" if gap is not None and gap <= 1e-6
           else f"optimality gap {gap:.2%}" if gap is not None else "no optimality bound")
    )  # fmt: skip
    return {"curve": curve, "phases": phases, "currency": currency,
            "note": f"{note} {text}" if note else text}  # fmt: skip


def build_context(
    results: Sequence[AuditResult],
    *,
    title: str,
    generated: date,
    illustrative_inventory: bool = False,
    extra_attributions: Sequence[str] = (),
) -> dict[str, Any]:
    """The whole report context for one or more audited networks."""
    from cleanpath import __version__

    first = results[0]
    attributions = [r.network.attribution for r in results if r.network.attribution]
    return {
        "title": title,
        "generated": generated.isoformat(),
        "cleanpath_version": __version__,
        "kb_version": first.kb_version,
        "policy": first.policy,
        "as_of": first.as_of.isoformat(),
        "illustrative_inventory": illustrative_inventory,
        "attributions": list(dict.fromkeys([*attributions, *extra_attributions])),
        "networks": [network_context(r) for r in results],
    }
