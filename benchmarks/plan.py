"""Benchmark of the replacement planner (and a rerouting line per network).

1. Every SNDlib network in ../shared/data/topologies/sndlib/native: a seeded 20-40 % of the
   nodes untrusted, a seeded half of the file's demands sensitive, costs from the shipped cost
   table (the third of nodes with the highest degree priced as ``core``, the rest as
   ``aggregation``), two phases with a budget of a quarter of the total net cost each,
   subsidy 0.395. Both routing assumptions: the MILP's status and gap (proven optimal when
   the gap is <= 1e-6), the greedy plan's objective as % of the MILP's, and the times.
   Also the rerouting LP: max link utilisation before (ECMP) and after, sensitive volume
   routed clean (capacities: the file's pre-installed capacity, else its largest module,
   all scaled by one factor so that today's ECMP routing peaks at 60 %).
2. Scale: synthetic 1,000-node ISP-like networks (16 core, 144 aggregation, 840 access
   nodes in rings), 200 untrusted devices (40 aggregation, 160 access), 10,000 sensitive
   demands (500 sites x 20 hubs; or 10,000 random access pairs), fixed routing, one phase,
   MILP asked for a 1 % gap within 60 s. A random geometric 1,000-node graph is added as a
   harder case.
3. Rerouting at scale on the same ISP-like network: arc against path formulation.

Run: .venv/bin/python benchmarks/plan.py [--quick]
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np

from cleanpath.analysis.exposure import exposure
from cleanpath.analysis.planner import build_problem, solve
from cleanpath.analysis.reroute import reroute
from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.ingest.topology import read_topology
from cleanpath.kb.costs import load_costs
from cleanpath.model.demands import Demands, gravity_demands
from cleanpath.model.network import Network, build_network

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "topologies" / "sndlib"
SUBSIDY = 0.395


def _sndlib_case(path: Path, seed: int) -> tuple[Network, Demands, dict[str, float]]:
    topo = read_topology(path)
    rng = np.random.default_rng(seed)
    links = tuple(
        lk if lk.capacity else LinkRecord(lk.id, lk.src, lk.dst, capacity=max(
            (c for c, _ in lk.modules), default=None), weight=lk.weight, line=lk.line)
        for lk in topo.links
    )  # fmt: skip
    topo = Topology(topo.name, topo.nodes, links, topo.demands, coordinates=topo.coordinates)
    net = build_network(topo)
    n = net.n_nodes
    k = round(n * rng.uniform(0.2, 0.4))
    net = net.with_untrusted([net.node_ids[i] for i in rng.choice(n, k, replace=False)])
    dem = (
        Demands.from_records(net, topo.demands) if topo.demands else gravity_demands(net, seed=seed)
    )
    dem = dem.with_sensitive(rng.random(len(dem)) < 0.5)
    table = load_costs()
    deg = np.diff(net.indptr)
    core = deg >= np.quantile(deg, 2 / 3)
    costs = {net.node_ids[i]: table.lookup("core" if core[i] else "aggregation", None).cost
             for i in np.flatnonzero(net.untrusted)}  # fmt: skip
    return net, dem, costs


def _planner_row(net: Network, dem: Demands, costs: dict[str, float], routing: str) -> str:
    total_net = sum(costs.values()) * (1 - SUBSIDY)
    pr = build_problem(net, dem, costs=costs, budget=[total_net / 4] * 2, phases=2,
                       subsidy=SUBSIDY, routing=routing)  # type: ignore[arg-type]  # fmt: skip
    g = solve(pr, solver="greedy")
    m = solve(pr, time_limit=60.0)
    opt = "optimal" if (m.optimality_gap or 0) <= 1e-6 else f"gap {m.optimality_gap:.2%}"
    pct = 100 * g.objective_value / m.objective_value if m.objective_value else 100.0
    return (f"{routing:8s} {pr.m:4d} {pr.groups.n_groups:6d} {opt:>12s} {pct:8.2f}% "
            f"{g.seconds:8.2f} {m.seconds:8.2f}")  # fmt: skip


def _reroute_row(net: Network, dem: Demands) -> str:
    """Capacities: the file's, scaled so that today's ECMP routing peaks at 60 %."""
    cap = np.full(net.n_links, np.inf)
    cap[net.arc_link] = net.capacity
    load = exposure(net, dem, clean_paths=False).arc_volume
    fin = np.isfinite(net.capacity) & (net.capacity > 0)
    peak = float((load[fin] / net.capacity[fin]).max(initial=0.0))
    if peak > 0:
        cap = cap * (peak / 0.6)
    t = time.perf_counter()
    r = reroute(net, dem, capacity=cap, time_limit=60.0)
    s = r.summary()
    share = s["sensitive_routed_clean"] / s["sensitive_volume"] if s["sensitive_volume"] else 1
    return (f"reroute {r.method:4s} util {s['max_utilisation_before']:.3g} -> "
            f"{s['max_utilisation_after']:.3g}, sensitive routed clean {share:.1%} "
            f"(no clean path: {s['no_clean_path']}, short of capacity: "
            f"{s['insufficient_capacity']}), {time.perf_counter() - t:.2f} s")  # fmt: skip


def sndlib_table(quick: bool) -> None:
    files = sorted((SHARED / "native").glob("*.txt"))
    if not files:
        print(f"no SNDlib files under {SHARED}; skipped")
        return
    print("SNDlib: 20-40 % untrusted, half the demands sensitive, 2 phases of 1/4 of the cost")
    print(f"{'network':14s} {'routing':8s} {'cand':>4s} {'groups':>6s} {'MILP':>12s} "
          f"{'greedy/opt':>9s} {'t_greedy':>8s} {'t_milp':>8s}")  # fmt: skip
    for k, path in enumerate(files[:4] if quick else files):
        net, dem, costs = _sndlib_case(path, seed=1000 + k)
        for routing in ("fixed", "adaptive"):
            print(f"{net.name:14s} {_planner_row(net, dem, costs, routing)}", flush=True)
        print(f"{'':14s} {_reroute_row(net, dem)}", flush=True)


def isp_network(seed: int) -> tuple[Network, np.random.Generator]:
    """16 core nodes (ring + chords), 144 aggregation nodes (dual-homed, chained), 840
    access nodes in rings of 6 closed on two aggregation nodes; 200 untrusted."""
    rng = np.random.default_rng(seed)
    core = [f"c{i}" for i in range(16)]
    agg = [f"a{i}" for i in range(144)]
    acc = [f"x{i}" for i in range(840)]
    links: list[tuple[str, str, float]] = []
    for i in range(16):
        links += [(core[i], core[(i + 1) % 16], 2.0), (core[i], core[(i + 4) % 16], 3.0)]
    for k, a in enumerate(agg):
        r = k // 9
        links += [(a, core[r], 1.0 + float(rng.integers(0, 2))), (a, core[(r + 1) % 16], 2.0)]
        if k % 9:
            links.append((agg[k - 1], a, 1.0))
    for start in range(0, 840, 6):
        a1, a2 = (agg[int(i)] for i in rng.integers(0, 144, 2))
        chain = [a1, *acc[start : start + 6], a2]
        links += [(u, v, 1.0) for u, v in itertools.pairwise(chain) if u != v]
    recs = tuple(LinkRecord(f"l{k}", u, v, weight=w) for k, (u, v, w) in enumerate(links))
    topo = Topology("isp1000", tuple(NodeRecord(x, x) for x in core + agg + acc), recs)
    bad = [*rng.choice(agg, 40, replace=False), *rng.choice(acc, 160, replace=False)]
    return build_network(topo, untrusted=[str(b) for b in bad]), rng


def geometric_network(seed: int) -> tuple[Network, np.random.Generator]:
    """1,000 random points, each linked to its nearest earlier point and 3 nearest
    neighbours, integer weights from distances; 200 untrusted."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    xy = rng.random((1000, 2))
    pairs = {(int(np.argmin(((xy[:i] - xy[i]) ** 2).sum(1))), i) for i in range(1, 1000)}
    _, nb = cKDTree(xy).query(xy, 4)
    pairs |= {tuple(sorted((i, int(j)))) for i in range(1000) for j in nb[i, 1:]}  # type: ignore[misc]
    ids = [f"v{i}" for i in range(1000)]
    recs = tuple(LinkRecord(f"l{k}", ids[a], ids[b],
                            weight=float(1 + int(50 * np.hypot(*(xy[a] - xy[b])))))
                 for k, (a, b) in enumerate(sorted(pairs)))  # fmt: skip
    net = build_network(Topology("geo1000", tuple(NodeRecord(x, x) for x in ids), recs))
    return net.with_untrusted([ids[i] for i in rng.choice(1000, 200, replace=False)]), rng


def scale_row(label: str, net: Network, rng: np.random.Generator, mode: str) -> None:
    n = net.n_nodes
    if mode == "hubs":
        sites = rng.choice(np.arange(160, n), 500, replace=False)
        hubs = rng.choice(np.arange(0, 160), 20, replace=False)
        src, dst = np.repeat(sites, 20), np.tile(hubs, 500)
    else:
        lo = 160 if label.startswith("isp") else 0
        src = rng.choice(np.arange(lo, n), 10_000)
        dst = (src - lo + rng.integers(1, n - lo, 10_000)) % (n - lo) + lo
    dem = Demands.from_arrays(net, src, dst, rng.lognormal(0, 1, src.shape[0]),
                              np.ones(src.shape[0], dtype=np.bool_))  # fmt: skip
    table = load_costs()
    cand = np.flatnonzero(net.untrusted)
    role = {True: "aggregation", False: "switch"}
    costs = {net.node_ids[i]: table.lookup(role[bool(i < 160)], None).cost * rng.uniform(0.5, 1.5)
             for i in cand}  # fmt: skip
    total_net = sum(costs.values()) * (1 - SUBSIDY)
    for frac in (0.1, 0.3):
        t = time.perf_counter()
        pr = build_problem(net, dem, costs=costs, budget=frac * total_net, subsidy=SUBSIDY)
        t_build = time.perf_counter() - t
        g = solve(pr, solver="greedy")
        m = solve(pr, time_limit=60.0, gap=0.01)
        pct = 100 * g.objective_value / m.objective_value if m.objective_value else 100.0
        print(f"{label:8s} {mode:5s} budget {frac:.0%}: groups {pr.groups.n_groups:5d}, "
              f"groups built {t_build:5.1f} s, MILP gap {m.optimality_gap:.3%} "
              f"({m.stats.get('milp_status')}) in {m.seconds:5.1f} s incl. greedy "
              f"warm start, greedy {pct:.2f}% of MILP in {g.seconds:4.1f} s",
              flush=True)  # fmt: skip


def reroute_scale() -> None:
    """Rerouting on isp1000: demands from access nodes to 20 hubs, half sensitive;
    capacities = ECMP load / 0.6, at least the median of that (so idle links have room)."""
    net, rng = isp_network(1)
    n = net.n_nodes
    print("Rerouting on isp1000 (capacities: today's ECMP peak 60 %), arc vs path formulation")
    for nd in (1000, 4000):
        src = rng.choice(np.arange(160, n), nd)
        dst = rng.choice(np.arange(0, 160), 20)[rng.integers(0, 20, nd)]
        dem = Demands.from_arrays(net, src, dst, rng.lognormal(0, 1, nd), rng.random(nd) < 0.5)
        load = exposure(net, dem, clean_paths=False).arc_volume
        cap = np.zeros(net.n_links)
        np.maximum.at(cap, net.arc_link, load / 0.6)
        cap = np.maximum(cap, np.median(cap))
        for method in ("arc", "path"):
            t = time.perf_counter()
            r = reroute(net, dem, capacity=cap, method=method)  # type: ignore[arg-type]
            s = r.summary()
            print(f"{nd:5d} demands {method:4s}: util {s['max_utilisation_before']:.3f} -> "
                  f"{s['max_utilisation_after']:.3f}, sensitive routed clean "
                  f"{s['sensitive_routed_clean'] / s['sensitive_volume']:.1%}, no clean path "
                  f"{s['no_clean_path']}, short {s['insufficient_capacity']}, "
                  f"{time.perf_counter() - t:.1f} s", flush=True)  # fmt: skip


def main() -> None:
    quick = "--quick" in sys.argv
    sndlib_table(quick)
    print()
    print("Scale: 1,000 nodes, 200 untrusted, 10,000 sensitive demands, fixed routing, "
          "1 phase, MILP to 1 % gap or 60 s")  # fmt: skip
    net, rng = isp_network(1)
    scale_row("isp1000", net, rng, "hubs")
    net, rng = isp_network(2)
    scale_row("isp1000", net, rng, "pairs")
    if not quick:
        net, rng = geometric_network(3)
        scale_row("geo1000", net, rng, "pairs")
    print()
    reroute_scale()


if __name__ == "__main__":
    main()
