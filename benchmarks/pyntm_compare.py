"""Route the same SNDlib demands with pyNTM (ECMP on IGP metrics) and with cleanpath; print
per-link loads side by side, the largest relative difference and both times.

pyNTM pins networkx 3.1, so it lives in its own venv (default ``.venv/pyntm-env``, or the
interpreter named by ``PYNTM_PYTHON``); this script runs itself there with ``--pyntm-side``,
feeding the model as JSON on stdin:

    /usr/bin/python3 -m venv .venv/pyntm-env && .venv/pyntm-env/bin/pip install pyntm
    .venv/bin/python benchmarks/pyntm_compare.py [abilene germany50 ...]

Both sides get the same directed arcs (cost = our IGP weight; SNDlib files carry no routing
metric, so every link costs 1 and ECMP ties are everywhere) and the same demands.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYNTM_PYTHON = Path(os.environ.get("PYNTM_PYTHON", ROOT / ".venv/pyntm-env/bin/python"))
SNDLIB = ROOT.parent / "shared/data/topologies/sndlib/native"


def pyntm_side() -> None:  # runs under the pyNTM venv: no cleanpath import here
    from pyNTM import Demand, Interface, Model, Node

    spec = json.load(sys.stdin)
    with contextlib.redirect_stdout(sys.stderr):  # update_simulation prints progress
        t0 = time.perf_counter()
        nodes = {name: Node(name) for name in spec["nodes"]}
        ifaces = {
            Interface(
                i["name"],
                i["cost"],
                i["capacity"],
                nodes[i["node"]],
                nodes[i["remote_node"]],
                i["circuit_id"],
            )
            for i in spec["interfaces"]
        }
        dems = {
            Demand(nodes[s], nodes[t], v, f"d{k}") for k, (s, t, v) in enumerate(spec["demands"])
        }
        model = Model(ifaces, set(nodes.values()), dems, set())
        t1 = time.perf_counter()
        model.update_simulation()
        t2 = time.perf_counter()
    loads = {i.name: float(i.traffic) for i in model.interface_objects}
    json.dump({"build_s": t1 - t0, "route_s": t2 - t1, "loads": loads}, sys.stdout)


def compare(name: str) -> dict[str, Any]:
    """Route ``name``'s demands both ways; returns times, loads and the largest difference."""
    import numpy as np

    from cleanpath.analysis.exposure import exposure
    from cleanpath.ingest.topology import read_topology
    from cleanpath.model.demands import Demands
    from cleanpath.model.network import build_network

    topo = read_topology(SNDLIB / f"{name}.txt")
    net = build_network(topo)
    dem = Demands.from_records(net, topo.demands)
    exposure(net, dem, clean_paths=False)  # compiled/loaded before timing
    ours_s = float("inf")
    for _ in range(5):  # best of 5: a single run of a few ms is at the mercy of the scheduler
        t0 = time.perf_counter()
        res = exposure(net, dem, clean_paths=False)
        ours_s = min(ours_s, time.perf_counter() - t0)
    if not net.integer_weights:
        raise ValueError(f"{name}: pyNTM takes integer interface costs only")
    ids = net.node_ids
    arcs: list[dict[str, Any]] = []
    pair_circuit: dict[tuple[int, int], int] = {}
    for u in range(net.n_nodes):
        for a in range(int(net.indptr[u]), int(net.indptr[u + 1])):
            v = int(net.indices[a])
            cid = pair_circuit.setdefault((min(u, v), max(u, v)), len(pair_circuit) + 1)
            arcs.append(
                {
                    "name": f"{ids[u]}->{ids[v]}",
                    "cost": int(net.weight[a]),
                    "capacity": 1e12,
                    "node": ids[u],
                    "remote_node": ids[v],
                    "circuit_id": cid,
                    "arc": a,
                }
            )
    spec = {
        "nodes": list(ids),
        "interfaces": arcs,
        "demands": [
            [ids[s], ids[t], float(v)] for s, t, v in zip(dem.src, dem.dst, dem.volume, strict=True)
        ],
    }
    out = subprocess.run(
        [str(PYNTM_PYTHON), __file__, "--pyntm-side"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise RuntimeError(f"pyNTM side failed on {name}:\n{out.stderr[-3000:]}")
    theirs = json.loads(out.stdout)
    ours = np.array([res.arc_volume[i["arc"]] for i in arcs])
    pyntm = np.array([theirs["loads"][i["name"]] for i in arcs])
    denom = np.maximum(np.abs(ours), np.abs(pyntm))
    rel = np.where(denom > 0, np.abs(ours - pyntm) / np.where(denom > 0, denom, 1), 0.0)
    return {
        "name": name,
        "nodes": net.n_nodes,
        "arcs": net.n_arcs,
        "demands": len(dem),
        "ours_s": ours_s,
        "pyntm_build_s": theirs["build_s"],
        "pyntm_route_s": theirs["route_s"],
        "max_rel_diff": float(rel.max()),
        "arc_names": [i["name"] for i in arcs],
        "ours": ours,
        "pyntm": pyntm,
    }


def print_compare(r: dict[str, Any], *, show: int = 12) -> None:
    print(
        f"\n## pyNTM vs cleanpath on SNDlib {r['name']} ({r['nodes']} nodes, {r['arcs']} arcs, "
        f"{r['demands']} demands, unit IGP metric, ECMP)"
    )
    print(f"{'arc':<34} {'cleanpath load':>16} {'pyNTM load':>16}")
    order = sorted(range(len(r["ours"])), key=lambda k: -r["ours"][k])
    for k in order[:show]:
        print(f"{r['arc_names'][k]:<34} {r['ours'][k]:>16.6f} {r['pyntm'][k]:>16.6f}")
    if len(order) > show:
        print(f"... {len(order) - show} more arcs (all compared)")
    verdict = "PASS" if r["max_rel_diff"] <= 1e-9 else "FAIL"
    print(
        f"max relative difference over all {r['arcs']} arcs: {r['max_rel_diff']:.2e} "
        f"[{verdict} at 1e-9]"
    )
    ratio = r["pyntm_route_s"] / r["ours_s"] if r["ours_s"] > 0 else float("inf")
    print(
        f"time: cleanpath exposure {r['ours_s'] * 1e3:.2f} ms (best of 5) "
        f"| pyNTM update_simulation {r['pyntm_route_s'] * 1e3:.1f} ms "
        f"(+ model build {r['pyntm_build_s'] * 1e3:.1f} ms) "
        f"| pyNTM/cleanpath {ratio:.1f}x"
    )


def main(names: list[str]) -> None:
    if not PYNTM_PYTHON.exists():
        print(f"pyNTM comparison skipped: no interpreter at {PYNTM_PYTHON} (see module doc)")
        return
    for name in names:
        print_compare(compare(name))


if __name__ == "__main__":
    if sys.argv[1:] == ["--pyntm-side"]:
        pyntm_side()
    else:
        main(sys.argv[1:] or ["abilene", "germany50"])
