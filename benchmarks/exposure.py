"""Benchmark of all-pairs exposure + clean paths (issue 7): cleanpath vs a networkx per-root
reference, igraph and networkit betweenness, Dask and pyNTM; every ratio measured in this run.

    .venv/bin/python benchmarks/exposure.py            # full set (~20 min on 2 cores)
    .venv/bin/python benchmarks/exposure.py --quick    # N = 1,000 and 5,000, short caps
    .venv/bin/python benchmarks/exposure.py --sizes 1000,2000 --no-real

Workload per graph: one unit demand for every ordered pair of distinct nodes, 10% of nodes
untrusted (synthetic graphs; real graphs get a seeded random 10%), 5% of nodes sensitive (a
pair is sensitive when an end is), top-100 worst demands kept, clean paths on. Our time and
peak memory are taken in a fresh child process after numba's kernels were loaded (compile
time is reported on its own). igraph and networkit compute plain weighted betweenness: no
demands, no exposure, no clean paths — strictly less work — as the C++ yardstick.

Correctness, per graph: the networkx reference runs over a seeded random order of roots
(destinations) until its cap; the engine is then run on exactly those roots and every node,
sensitive and arc volume, the per-source exposed volume and the totals must agree to 1e-9
relative. When the reference finishes all roots the full all-pairs result is compared too.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import (
    compile_times,
    igraph_betweenness,
    loadavg,
    max_rel_diff,
    networkit_betweenness,
    run_ours_in_child,
)
from _realgraphs import read_cch, read_snap_as, read_weights_intra
from _reference import reference_all_pairs
from _synth import isp_like

from cleanpath.analysis.allpairs import run_all_pairs_local
from cleanpath.analysis.exposure import exposure
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network

TOL = 1e-9
GIB = 1 << 30
STATS = (
    "exposed_volume",
    "sensitive_exposed_volume",
    "clean_pairs",
    "sensitive_clean_pairs",
    "stretch_sum",
    "unroutable",
)


@dataclass
class Case:
    name: str
    net: Network
    sens: np.ndarray
    row: dict[str, Any] = field(default_factory=dict)
    ours: dict[str, Any] = field(default_factory=dict)
    ours_wq: dict[str, Any] = field(default_factory=dict)


def with_trust(net: Network, seed: int) -> tuple[Network, np.ndarray]:
    """10% untrusted (kept when the graph already has them) and 5% sensitive nodes."""
    rng = np.random.default_rng(seed)
    n = net.n_nodes
    if not net.untrusted.any():
        mask = np.zeros(n, np.bool_)
        mask[rng.choice(n, size=round(0.10 * n), replace=False)] = True
        net = net.with_untrusted(mask)
    sens = np.zeros(n, np.bool_)
    sens[rng.choice(n, size=max(1, round(0.05 * n)), replace=False)] = True
    return net, sens


def build_cases(sizes: list[int], real: bool) -> list[Case]:
    nets: list[tuple[str, Network]] = [(f"synthetic N={n}", isp_like(n, seed=n)) for n in sizes]
    if real:
        nets += [
            ("Rocketfuel 1239 (cch, lcc)", read_cch(1239)),
            ("Rocketfuel 1239 weights.intra", read_weights_intra(1239)),
            ("Rocketfuel 2914 (cch, lcc)", read_cch(2914)),
            ("Rocketfuel 3356 (cch, lcc)", read_cch(3356)),
            ("Rocketfuel 7018 (cch, lcc)", read_cch(7018)),
            ("SNAP AS 2000-01-02", read_snap_as()),
        ]
    return [Case(name, *with_trust(net, seed=k)) for k, (name, net) in enumerate(nets)]


def check_against_reference(case: Case, cap_s: float) -> dict[str, Any]:
    """Reference on a random root order until the cap; the engine on the same roots."""
    net, n = case.net, case.net.n_nodes
    order = np.random.default_rng(7).permutation(n)
    ref = reference_all_pairs(net, order, volume=1.0, sensitive=case.sens, cap_s=cap_s)
    roots = np.asarray(ref.roots, np.int64)
    node_v, node_s, arc_v, arc_s, stats, *_ = run_all_pairs_local(
        net, roots, volume=1.0, sensitive_nodes=case.sens, clean_paths=True, top_k=1
    )
    from cleanpath.analysis.allpairs import _STAT_NAMES

    ours_stats = dict(zip(_STAT_NAMES, stats, strict=True))
    diffs = {
        "node volume": max_rel_diff(node_v, ref.node_volume),
        "node sensitive volume": max_rel_diff(node_s, ref.node_sensitive_volume),
        "arc volume": max_rel_diff(arc_v, ref.arc_volume),
        "arc sensitive volume": max_rel_diff(arc_s, ref.arc_sensitive_volume),
        "totals": max(max_rel_diff([ours_stats[k]], [ref.stats[k]]) for k in STATS),
    }
    src = np.tile(np.arange(n), roots.shape[0])
    dst = np.repeat(roots, n)
    keep = src != dst
    res = exposure(net, Demands.from_arrays(net, src[keep], dst[keep], np.ones(keep.sum())))
    by_src = np.zeros(n)
    np.add.at(by_src, src[keep], np.nan_to_num(res.exposed_volume))
    diffs["exposed volume per source node (explicit engine)"] = max_rel_diff(
        by_src, ref.exposed_by_source
    )
    if roots.shape[0] == n:  # complete: the child's full all-pairs run must agree as well
        o = case.ours
        diffs["full run: node/arc volumes"] = max(
            max_rel_diff(o["node_volume"], ref.node_volume),
            max_rel_diff(o["node_sensitive_volume"], ref.node_sensitive_volume),
            max_rel_diff(o["arc_volume"], ref.arc_volume),
            max(max_rel_diff([o["stats"][k]], [ref.stats[k]]) for k in STATS),
        )
    return {"ref": ref, "diffs": diffs, "worst": max(diffs.values())}


def measure_case(case: Case, warm: Network, caps: dict[str, float]) -> None:
    print(
        f"\n### {case.name}: {case.net.n_nodes} nodes, {case.net.n_links} links, "
        f"{int(case.net.untrusted.sum())} untrusted, {int(case.sens.sum())} sensitive",
        flush=True,
    )
    case.ours = run_ours_in_child(case.net, case.sens, warm)
    case.ours_wq = run_ours_in_child(case.net, case.sens, warm, layer="workqueue")
    for o in (case.ours, case.ours_wq):
        print(
            f"ours: {o['wall']:.2f} s wall, {o['cpu']:.2f} s CPU, peak RSS +"
            f"{o['peak_delta_kib'] / 1024:.0f} MiB ({o['threads']} numba threads, "
            f"threading layer {o['layer']})",
            flush=True,
        )
    same = all(
        np.array_equal(case.ours[k], case.ours_wq[k])
        for k in ("node_volume", "node_sensitive_volume", "arc_volume", "arc_sensitive_volume")
    )
    print(f"  {case.ours_wq['layer']} layer gives the same arrays (==): {same}")
    o = case.ours
    chk = check_against_reference(case, caps["nx"])
    ref = chk["ref"]
    done, n = len(ref.roots), case.net.n_nodes
    for what, d in chk["diffs"].items():
        print(f"  check {what}: max rel diff {d:.1e}")
    print(
        f"networkx reference: {done}/{n} roots in {ref.wall_s:.1f} s wall, {ref.cpu_s:.1f} s CPU",
        flush=True,
    )
    ig = igraph_betweenness(case.net, caps["yardstick"])
    print(f"igraph betweenness: {ig['wall']:.2f} s ({ig['done']}/{n} sources)", flush=True)
    nk = networkit_betweenness(case.net, caps["yardstick"])
    print(f"networkit betweenness: {nk['wall']:.2f} s ({nk['done']}/{n} sources)", flush=True)
    scale = n / done
    case.row = {
        "case": case.name,
        "n": n,
        "links": case.net.n_links,
        "wall": o["wall"],
        "cpu": o["cpu"],
        "mem_mib": o["peak_delta_kib"] / 1024,
        "nx_wall": ref.wall_s * scale,
        "nx_cpu": ref.cpu_s * scale,
        "nx_extra": done < n,
        "ig": ig,
        "nk": nk,
        "check": chk["worst"],
        "checked_roots": done,
        "layer": o["layer"],
        "wq_wall": case.ours_wq["wall"],
        "wq_cpu": case.ours_wq["cpu"],
        "wq_same": same,
    }


def _t(x: float, extrapolated: bool) -> str:
    return f"{x:.2f}{'*' if extrapolated else ''}"


def print_table(cases: list[Case]) -> None:
    print(
        "\n## Results (wall seconds; CPU seconds in brackets; * = extrapolated from the "
        "finished fraction of roots/sources)"
    )
    layer = cases[0].row["layer"] if cases else "?"
    print(
        f"'ours' = numba's default threading layer here ({layer}); 'ours wq' = the same run "
        "with NUMBA_THREADING_LAYER=workqueue (identical arrays, see per-case lines)"
    )
    head = (
        "| graph | nodes | links | ours s (CPU) | ours wq s (CPU) | peak RSS MiB | "
        "networkx ref s (CPU) | "
        "igraph bc s | networkit bc s | nx/ours | networkit/ours | igraph/ours | "
        "check vs nx (roots) |"
    )
    print(head)
    print("|" + "---|" * 13)
    for c in cases:
        r = c.row
        ig, nk = r["ig"], r["nk"]
        print(
            f"| {r['case']} | {r['n']} | {r['links']} | {r['wall']:.2f} ({r['cpu']:.2f}) "
            f"| {r['wq_wall']:.2f} ({r['wq_cpu']:.2f}) "
            f"| {r['mem_mib']:.0f} | {_t(r['nx_wall'], r['nx_extra'])} "
            f"({_t(r['nx_cpu'], r['nx_extra'])}) | {_t(ig['wall'], ig['extrapolated'])} "
            f"| {_t(nk['wall'], nk['extrapolated'])} | {r['nx_wall'] / r['wall']:.0f}x "
            f"| {nk['wall'] / r['wall']:.2f}x | {ig['wall'] / r['wall']:.2f}x "
            f"| {'ok' if r['check'] <= TOL else 'FAIL'} {r['check']:.0e} ({r['checked_roots']}) |"
        )


def run_dask(case: Case) -> list[str]:
    """The same all-pairs run on a LocalCluster of 2 workers; arrays compared with ==."""
    from distributed import Client, LocalCluster

    from cleanpath.analysis.allpairs import exposure_all_pairs

    w0 = time.perf_counter()
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        start_s = time.perf_counter() - w0
        exposure_all_pairs(isp_like(40, seed=0), engine="dask", scheduler=client)  # warm
        w0 = time.perf_counter()
        res = exposure_all_pairs(
            case.net, sensitive_nodes=case.sens, top_k=100, engine="dask", scheduler=client
        )
        dask_s = time.perf_counter() - w0
    o = case.ours
    same = {
        "node_volume": np.array_equal(res.node_volume, o["node_volume"]),
        "node_sensitive_volume": np.array_equal(
            res.node_sensitive_volume, o["node_sensitive_volume"]
        ),
        "arc_volume": np.array_equal(res.arc_volume, o["arc_volume"]),
        "arc_sensitive_volume": np.array_equal(res.arc_sensitive_volume, o["arc_sensitive_volume"]),
        "stats": res.stats == o["stats"],
        "histogram": np.array_equal(res.histogram, o["histogram"]),
        "top-k demands": np.array_equal(res.top.demands.src, o["top"][0])
        and np.array_equal(res.top.demands.dst, o["top"][1]),
    }
    ok = all(same.values())
    return [
        f"\n## Dask: {case.name} on a LocalCluster of 2 worker processes (1 thread each)",
        f"cluster start {start_s:.1f} s (not counted); dask run {dask_s:.2f} s wall "
        f"vs local {o['wall']:.2f} s wall (dask/local {dask_s / o['wall']:.2f}x)",
        "identical to local (==): "
        + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in same.items()),
        f"[{'PASS' if ok else 'FAIL'}] dask results identical to local",
    ]


def targets(cases: list[Case]) -> list[str]:
    by_n = {c.row["n"]: c.row for c in cases if c.name.startswith("synthetic")}
    out = ["\n## Targets (2 cores; wall time as measured on this shared machine)"]

    def line(ok: bool, text: str) -> None:
        out.append(f"[{'PASS' if ok else 'FAIL'}] {text}")

    for n, limit in ((5000, 4.0), (20000, 90.0)):
        if n in by_n:
            r = by_n[n]
            line(
                r["wall"] <= limit,
                f"N={n}: all-pairs exposure + clean paths {r['wall']:.2f} s "
                f"<= {limit:.0f} s (CPU {r['cpu']:.2f} s; CPU/2 = {r['cpu'] / 2:.2f} s)",
            )
    if 20000 in by_n:
        r = by_n[20000]
        line(r["mem_mib"] < 4 * 1024, f"N=20000: peak RSS growth {r['mem_mib']:.0f} MiB < 4 GiB")
    if 1000 in by_n:
        r = by_n[1000]
        k, kc = r["nx_wall"] / r["wall"], r["nx_cpu"] / r["cpu"]
        line(
            k >= 40,
            f"N=1000: {k:.0f}x faster than the networkx per-root reference "
            f"(>= 40x; CPU-time ratio {kc:.0f}x)",
        )
    for n in (5000, 20000):
        if n in by_n:
            r = by_n[n]
            nk = r["nk"]
            ex = " extrapolated" if nk["extrapolated"] else ""
            line(
                r["wall"] < nk["wall"],
                f"N={n}: faster than networkit betweenness "
                f"({r['wall']:.2f} s vs {nk['wall']:.2f} s{ex}; "
                f"CPU {r['cpu']:.2f} s vs {nk['cpu']:.2f} s)",
            )
    bad = [c.name for c in cases if c.row["check"] > TOL]
    line(
        not bad,
        "every graph agrees with the networkx reference to 1e-9 relative"
        + (f" (failed: {', '.join(bad)})" if bad else ""),
    )
    return out


def reference_selfcheck() -> str:
    """Our per-root reference vs the tests' reference (tests/analysis/nx_reference.py) on a
    small synthetic graph with many ECMP ties: both must give the same volumes."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests/analysis"))
    import nx_reference as mod

    net, sens = with_trust(isp_like(120, seed=3, wmax=4), seed=3)
    n = net.n_nodes
    arcs = [
        (u, int(net.indices[a]), float(net.weight[a]), True)
        for u in range(n)
        for a in range(int(net.indptr[u]), int(net.indptr[u + 1]))
    ]
    g = mod.merged_digraph(range(n), arcs)
    dem = [(s, t, 1.0, bool(sens[s] or sens[t])) for s in range(n) for t in range(n) if s != t]
    theirs = mod.reference_exposure(g, np.flatnonzero(net.untrusted).tolist(), dem)
    ours = reference_all_pairs(net, range(n), volume=1.0, sensitive=sens)
    arc_idx = {(u, v): k for k, (u, v, _, _) in enumerate(arcs)}
    t_arc = np.zeros(net.n_arcs)
    for (u, v), x in theirs.arc_volume.items():
        t_arc[arc_idx[(u, v)]] = x
    d = max(
        max_rel_diff(ours.node_volume, [theirs.node_volume.get(i, 0.0) for i in range(n)]),
        max_rel_diff(
            ours.node_sensitive_volume, [theirs.node_sensitive_volume.get(i, 0.0) for i in range(n)]
        ),
        max_rel_diff(ours.arc_volume, t_arc),
        max_rel_diff(
            [ours.stats["exposed_volume"]], [sum(x for x in theirs.exposed_share if x == x)]
        ),
    )
    verdict = "PASS" if d <= TOL else "FAIL"
    return (
        f"[{verdict}] benchmark reference == tests' nx_reference on a 120-node graph with "
        f"weights 1-4 (max rel diff {d:.1e})"
    )


def header(args: argparse.Namespace) -> None:
    import numba

    print("# cleanpath exposure benchmark")
    print(f"started {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {loadavg()}")
    print(
        f"python {platform.python_version()}, numba {numba.__version__}, "
        f"{os.cpu_count()} CPUs, sizes {args.sizes}, caps: networkx {args.nx_cap:.0f} s, "
        f"igraph/networkit {args.yardstick_cap:.0f} s"
    )
    print(reference_selfcheck(), flush=True)
    if args.skip_compile:
        return
    ct = compile_times()
    print(
        f"numba compile time (fresh process, empty cache): all-pairs kernels "
        f"{ct['cold'][1]:.1f} s, explicit-demand kernels {ct['cold'][2]:.1f} s; "
        f"with the on-disk cache: {ct['cached'][1]:.2f} s + {ct['cached'][2]:.2f} s "
        f"(import + set-up {ct['cached'][0]:.1f} s). Not included in the times below."
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="N = 1,000 and 5,000, short caps")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None)
    p.add_argument("--no-real", action="store_true", help="skip the Rocketfuel/SNAP graphs")
    p.add_argument("--nx-cap", type=float, default=None, help="networkx cap, seconds")
    p.add_argument("--yardstick-cap", type=float, default=None, help="igraph/networkit cap")
    p.add_argument("--skip-compile", action="store_true", help="skip the compile-time probe")
    args = p.parse_args(argv)
    args.sizes = args.sizes or ([1000, 5000] if args.quick else [1000, 5000, 20000])
    args.nx_cap = args.nx_cap or (20.0 if args.quick else 60.0)
    args.yardstick_cap = args.yardstick_cap or (20.0 if args.quick else 90.0)
    args.real = not (args.no_real or args.quick)
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    header(args)
    caps = {"nx": args.nx_cap, "yardstick": args.yardstick_cap}
    warm = isp_like(40, seed=0)
    cases = build_cases(args.sizes, args.real)
    for case in cases:
        measure_case(case, warm, caps)
    print_table(cases)
    lines = targets(cases)
    five = [c for c in cases if c.name == "synthetic N=5000"]
    if five:
        lines += run_dask(five[0])
    print("\n".join(lines), flush=True)
    import pyntm_compare

    pyntm_compare.main(["abilene"] if args.quick else ["abilene", "germany50"])
    print(f"\nfinished {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {loadavg()}")


if __name__ == "__main__":
    main()
