"""Measuring helpers: our engine in a fresh child process (time, CPU, peak RSS), the C++
betweenness yardsticks with a time cap, numba compile time, and array comparisons.

Peak memory is the child's ``VmHWM`` (peak resident set, /proc/self/status) after the
high-water mark was reset with ``echo 5 > /proc/self/clear_refs`` just before the run, minus
``VmRSS`` at that moment: the RSS growth caused by the run itself. Where the reset is not
allowed it falls back to ``ru_maxrss`` (then the number includes the set-up, and says so).
"""

from __future__ import annotations

import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from cleanpath.model.network import Network

BENCH = Path(__file__).resolve().parent


def _status_kib(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def cpu_s() -> float:
    """CPU seconds of this process, all threads (user + system)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _ours_child(net: Network, sens: np.ndarray, warm: Network) -> dict[str, Any]:
    import numba

    from cleanpath.analysis.allpairs import exposure_all_pairs

    w0 = time.perf_counter()
    exposure_all_pairs(warm, sensitive_nodes=np.zeros(warm.n_nodes, np.bool_))
    first_call_s = time.perf_counter() - w0
    exact = _reset_peak()
    base = _status_kib("VmRSS")
    c0, w0 = cpu_s(), time.perf_counter()
    res = exposure_all_pairs(net, sensitive_nodes=sens, top_k=100, clean_paths=True)
    wall, cpu = time.perf_counter() - w0, cpu_s() - c0
    peak = _status_kib("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_delta_kib": peak - base if exact else peak,
        "peak_kib": peak,
        "exact_peak": exact,
        "first_call_s": first_call_s,
        "layer": numba.threading_layer(),  # type: ignore[attr-defined]
        "threads": numba.get_num_threads(),
        "node_volume": res.node_volume,
        "node_sensitive_volume": res.node_sensitive_volume,
        "arc_volume": res.arc_volume,
        "arc_sensitive_volume": res.arc_sensitive_volume,
        "stats": res.stats,
        "histogram": res.histogram,
        "top": (res.top.demands.src, res.top.demands.dst),
        "summary": res.summary(),
    }


def run_ours_in_child(
    net: Network, sens: np.ndarray, warm: Network, *, layer: str | None = None
) -> dict[str, Any]:
    """All-pairs exposure + clean paths of ``net`` in a fresh (spawned) process; ``layer``
    sets ``NUMBA_THREADING_LAYER`` for that process (None: numba's default choice)."""
    old = os.environ.get("NUMBA_THREADING_LAYER")
    if layer is not None:
        os.environ["NUMBA_THREADING_LAYER"] = layer
    try:
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            return pool.submit(_ours_child, net, sens, warm).result()
    finally:
        if old is None:
            os.environ.pop("NUMBA_THREADING_LAYER", None)
        else:
            os.environ["NUMBA_THREADING_LAYER"] = old


_COMPILE = """
import time, sys
t0 = time.perf_counter()
sys.path.insert(0, {bench!r})
from _synth import isp_like
from cleanpath.analysis.allpairs import exposure_all_pairs
from cleanpath.analysis.exposure import exposure
from cleanpath.model.demands import Demands
net = isp_like(40, seed=0)
t1 = time.perf_counter()
exposure_all_pairs(net, top_k=0)
t2 = time.perf_counter()
exposure(net, Demands.from_arrays(net, [0], [1], [1.0]))
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def compile_times() -> dict[str, tuple[float, float, float]]:
    """(import+setup, first all-pairs call, first explicit call) seconds in fresh processes:
    ``cold`` with an empty numba cache (true compile time), ``cached`` with the usual one."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, extra in (("cold", {"NUMBA_CACHE_DIR": tmp}), ("cached", {})):
            env = {**os.environ, **extra}
            code = _COMPILE.format(bench=str(BENCH))
            p = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            a, b, c = (float(x) for x in p.stdout.split())
            out[label] = (a, b, c)
    return out


def capped(
    run: Callable[[list[int]], object], n: int, cap_s: float, *, probe: int = 64
) -> dict[str, Any]:
    """Time ``run(sources)`` over all ``n`` sources, or, when a probe says that would pass
    ``cap_s``, over as many sources as fit and extrapolate linearly (labelled)."""
    k = min(n, probe)
    c0, w0 = cpu_s(), time.perf_counter()
    run(list(range(k)))
    wall, cpu = time.perf_counter() - w0, cpu_s() - c0
    if k == n:
        return {"wall": wall, "cpu": cpu, "done": n, "n": n, "extrapolated": False}
    if wall * n / k <= cap_s:
        c0, w0 = cpu_s(), time.perf_counter()
        run(list(range(n)))
        wall, cpu = time.perf_counter() - w0, cpu_s() - c0
        return {"wall": wall, "cpu": cpu, "done": n, "n": n, "extrapolated": False}
    k2 = max(k, min(n, int(k * cap_s / max(wall, 1e-9))))
    c0, w0 = cpu_s(), time.perf_counter()
    run(list(range(k2)))
    wall, cpu = time.perf_counter() - w0, cpu_s() - c0
    return {"wall": wall * n / k2, "cpu": cpu * n / k2, "done": k2, "n": n, "extrapolated": True}


def undirected_edges(net: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    src = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
    keep = src < net.indices
    return src[keep], net.indices[keep], net.weight[keep]


def igraph_betweenness(net: Network, cap_s: float) -> dict[str, Any]:
    """igraph's weighted betweenness (single thread, C); subsets of sources when capped."""
    import igraph as ig

    u, v, w = undirected_edges(net)
    g = ig.Graph(n=net.n_nodes, edges=np.column_stack([u, v]).tolist(), directed=False)
    g.es["weight"] = w.tolist()

    def run(sources: list[int]) -> object:
        return g.betweenness(directed=False, weights="weight", sources=sources)

    return {"version": ig.__version__, **capped(run, net.n_nodes, cap_s)}


def networkit_betweenness(net: Network, cap_s: float) -> dict[str, Any]:
    """networkit's weighted Brandes betweenness (C++, OpenMP, 2 threads); when capped,
    ``EstimateBetweenness`` with that many sampled sources (same per-source work)."""
    import networkit as nk

    nk.engineering.setNumberOfThreads(2)
    u, v, w = undirected_edges(net)
    g = nk.GraphFromCoo((w, (u, v)), net.n_nodes, weighted=True, directed=False)
    n = net.n_nodes

    def run(sources: list[int]) -> object:
        if len(sources) == n:
            algo = nk.centrality.Betweenness(g, normalized=False)
        else:
            algo = nk.centrality.EstimateBetweenness(g, len(sources), False, True)
        return algo.run()

    return {"version": nk.__version__, **capped(run, n, cap_s)}


def max_rel_diff(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Largest |a-b| / max(|a|,|b|) over entries not both ~0 (below 1e-12 of the scale)."""
    x, y = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = max(float(np.max(np.abs(x), initial=0.0)), float(np.max(np.abs(y), initial=0.0)))
    den = np.maximum(np.abs(x), np.abs(y))
    tiny = den <= 1e-12 * scale
    if np.any(np.abs(x - y)[tiny] > 1e-12 * max(scale, 1.0)):
        return math.inf
    ok = ~tiny
    return float(np.max(np.abs(x - y)[ok] / den[ok], initial=0.0))


def loadavg() -> str:
    return "load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
