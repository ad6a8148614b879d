"""A small hand-built report context: one mapped network (Germany) and one without coordinates."""

from __future__ import annotations

import copy
from typing import Any

_NODES = [
    # id, label, lat, lon, verdict, manufacturer, model, carried, carried_sensitive
    ("fra", "Frankfurt", 50.1167, 8.6833, "covered", "Huawei", "NetEngine 8000 M8", 900.0, 7.5),
    ("kai", "Kaiserslautern", 49.45, 7.75, "covered", "ZTE", "ZXR10 5950-36TM", 300.0, 6.0),
    ("stu", "Stuttgart", 48.7823, 9.177, "not_covered", "Juniper", "MX80", 250.0, 2.0),
    ("ber", "Berlin", 52.5244, 13.4105, "unknown", None, "X-1", 500.0, 3.0),
    ("ham", "Hamburg", 53.55, 10.0, "not_covered", "Nokia", "7750 SR", 200.0, 1.0),
    ("peer", "DE-CIX", None, None, "no_device", None, None, 50.0, 0.0),
]


def _node(row: tuple[Any, ...]) -> dict[str, Any]:
    nid, label, lat, lon, verdict, maker, model, vol, svol = row
    return {
        "id": nid, "label": label, "lat": lat, "lon": lon, "verdict": verdict,
        "manufacturer": maker, "model": model, "untrusted": verdict == "covered",
        "external": nid == "peer", "hyperedge": False, "carried_volume": vol,
        "carried_sensitive_volume": svol, "reason": f"{maker} on the list" if maker else None,
    }  # fmt: skip


def _summary(n_nodes: int) -> dict[str, Any]:
    return {
        "nodes": n_nodes, "links": 6, "devices": 5, "covered_devices": 2,
        "unknown_devices": 1, "total_volume": 1000.0, "exposed_volume": 412.5,
        "exposed_share": 0.4125, "sensitive_volume": 8.0, "sensitive_exposed_volume": 6.0,
        "sensitive_exposed_share": 0.75, "sensitive_flows": 3, "sensitive_flows_clean_path": 2,
        "sensitive_flows_no_clean_path": 1, "unroutable": 0, "sites": 2,
    }  # fmt: skip


def _flow(src: str, dst: str, path: list[str], share: float, clean: bool) -> dict[str, Any]:
    labels = {r[0]: r[1] for r in _NODES}
    return {
        "src": src, "dst": dst, "src_label": labels[src], "dst_label": labels[dst],
        "volume": 1.0, "class": "sensitive", "exposed_share": share,
        "clean_path_exists": clean, "stretch": 1.25 if clean else None, "path": path,
    }  # fmt: skip


def germany() -> dict[str, Any]:
    links = [("fra", "kai"), ("fra", "stu"), ("fra", "ber"), ("ber", "ham"), ("ham", "fra"),
             ("fra", "peer")]  # fmt: skip
    return {
        "name": "Demo-DE",
        "attribution": "Topology from The Internet Topology Zoo, CC BY 4.0; Knight et al. 2011.",
        "coordinates": "geographical",
        "summary": _summary(len(_NODES)),
        "nodes": [_node(r) for r in _NODES],
        "links": [{"src": a, "dst": b} for a, b in links],
        "sites": [
            {"name": "Ramstein Air Base", "lat": 49.4369, "lon": 7.6003, "kind": "air_base",
             "node": "kai", "source": "Wikipedia", "distance_km": 12.3},
            {"name": "USAG Stuttgart", "lat": 48.733, "lon": 9.085, "kind": "army_garrison",
             "node": "stu", "source": "Wikipedia", "distance_km": 8.1},
        ],
        "hubs": [{"name": "Berlin", "lat": 52.52, "lon": 13.405, "kind": "capital",
                  "node": "ber", "source": "Wikipedia"}],
        "flows": [
            _flow("kai", "ber", ["kai", "fra", "ber"], 1.0, False),
            _flow("stu", "ber", ["stu", "fra", "ber"], 0.5, True),
            _flow("kai", "ham", ["kai", "fra", "ham"], 1.0, True),
        ],
        "top_devices": [
            {"node": "fra", "label": "Frankfurt", "manufacturer": "Huawei",
             "model": "NetEngine 8000 M8", "verdict": "covered", "reason": "Huawei (FCC list)",
             "carried_sensitive_volume": 7.5},
            {"node": "ber", "label": "Berlin", "manufacturer": None, "model": "X-1",
             "verdict": "unknown", "reason": None, "carried_sensitive_volume": 3.0},
        ],
        "exposure_by_vendor": [
            {"vendor": "Huawei", "devices": 1, "carried_volume": 900.0,
             "carried_sensitive_volume": 7.5},
            {"vendor": "ZTE", "devices": 1, "carried_volume": 300.0,
             "carried_sensitive_volume": 6.0},
            {"vendor": "Juniper", "devices": 1, "carried_volume": 250.0,
             "carried_sensitive_volume": 2.0},
        ],
        "plan": {
            "currency": "EUR",
            "note": "Greedy plan, illustrative costs.",
            "curve": [{"spent": 0, "clean_sensitive_share": 0.25},
                      {"spent": 120000, "clean_sensitive_share": 0.7},
                      {"spent": 200000, "clean_sensitive_share": 1.0}],
            "phases": [{"phase": 1, "nodes": ["fra"], "cost": 120000,
                        "clean_sensitive_share": 0.7},
                       {"phase": 2, "nodes": ["kai"], "cost": 80000,
                        "clean_sensitive_share": 1.0}],
        },
        "integrity": [
            {"node": "fra", "status": "findings",
             "findings": [{"severity": "high", "message": "BMC firmware not on allowlist"}]},
            {"node": "stu", "status": "clean", "findings": []},
        ],
    }  # fmt: skip


def no_coordinates() -> dict[str, Any]:
    net = copy.deepcopy(germany())
    net["name"] = "Abstract-Net"
    net["coordinates"] = "none"
    for node in net["nodes"]:
        node["lat"] = node["lon"] = None
    net["sites"] = []
    net.pop("hubs")
    net.pop("plan")
    net.pop("integrity")
    return net


def context() -> dict[str, Any]:
    return {
        "title": "cleanpath test report",
        "generated": "2026-11-28",
        "cleanpath_version": "0.1.0",
        "kb_version": "kb-test",
        "policy": "us-fcc-covered-list",
        "as_of": "2026-11-28",
        "illustrative_inventory": True,
        "attributions": [
            "Topology from The Internet Topology Zoo (topology-zoo.org), CC BY 4.0; "
            'S. Knight et al., "The Internet Topology Zoo", IEEE JSAC 29(9), 2011.'
        ],
        "networks": [germany(), no_coordinates()],
    }
