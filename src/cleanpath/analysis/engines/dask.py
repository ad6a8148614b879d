"""The Dask engine: the same fixed chunks of destinations as the local engine, computed on a
``distributed`` cluster and folded in chunk order, so results are bit-identical to local.

``scheduler`` is an address (``tcp://host:8786``) or an existing ``distributed.Client``;
without one, a LocalCluster of ``n_workers`` processes is started for the call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

from cleanpath.analysis.engines.local import BATCH
from cleanpath.errors import AnalysisError
from cleanpath.model.network import Network

__all__ = ["run_all_pairs_dask", "run_dask"]


@contextmanager
def _client(scheduler: Any = None, n_workers: int = 2) -> Iterator[Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the install
        raise AnalysisError("engine 'dask' needs the 'distributed' package") from None
    if scheduler is not None and not isinstance(scheduler, str):
        yield scheduler
        return
    if isinstance(scheduler, str):
        with Client(scheduler) as c:
            yield c
        return
    with (
        LocalCluster(n_workers=n_workers, threads_per_worker=1, host="127.0.0.1",
                     dashboard_address=None, processes=True) as cluster,
        Client(cluster) as c,
    ):  # fmt: skip
        yield c


def _single_threaded(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``fn`` on a worker with one numba thread (a worker is one process per core)."""
    import numba

    numba.set_num_threads(1)
    return fn(*args, **kwargs)


def run_all_pairs_dask(
    net: Network,
    roots: npt.NDArray[np.int64],
    *,
    volume: float | npt.NDArray[np.float64],
    sensitive_nodes: npt.NDArray[np.bool_],
    clean_paths: bool,
    top_k: int,
    progress: Callable[[int, int], None] | None = None,
    scheduler: Any = None,
    n_workers: int = 2,
    label: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[Any], ...]:
    """All-pairs partials computed on Dask workers (see module docstring)."""
    from cleanpath.analysis.allpairs import Folder, all_pairs_batch, plan_chunks

    bounds = plan_chunks(net, roots)
    n_chunks = bounds.shape[0] - 1
    with _client(scheduler, n_workers) as client:
        # hash=False: a fresh key per run; a content-hash key can collide with the same data
        # still being released from the previous run on a shared client ("lost dependencies")
        net_f = client.scatter(net, broadcast=True, hash=False)
        vol_f = volume
        if isinstance(volume, np.ndarray):
            vol_f = client.scatter(volume, broadcast=True, hash=False)
        futures = [
            client.submit(_single_threaded, all_pairs_batch, net_f, roots, bounds, b0,
                          min(n_chunks, b0 + BATCH),
                          volume=vol_f, sensitive_nodes=sensitive_nodes,
                          clean_paths=clean_paths, top_k=top_k, label=label, pure=False)
            for b0 in range(0, n_chunks, BATCH)
        ]  # fmt: skip
        folder = Folder(net.n_nodes, net.n_arcs)
        for k, fut in enumerate(futures):
            folder.add(fut.result())
            if progress is not None:
                progress(int(bounds[min(n_chunks, (k + 1) * BATCH)]), int(roots.shape[0]))
    return folder.result()


def run_dask(
    net: Network,
    src: npt.NDArray[np.int64],
    dst: npt.NDArray[np.int64],
    volume: npt.NDArray[np.float64],
    sensitive: npt.NDArray[np.bool_],
    *,
    clean_paths: bool = True,
    progress: Callable[[int, int], None] | None = None,
    scheduler: Any = None,
    n_workers: int = 2,
) -> tuple[npt.NDArray[np.int64], Any]:
    """Explicit demands on Dask: batches of the local engine's chunks run on workers."""
    from cleanpath.analysis.engines.local import explicit_batch, plan_explicit, reduce_explicit

    plan = plan_explicit(net, src, dst, volume, sensitive)
    with _client(scheduler, n_workers) as client:
        net_f = client.scatter(net, broadcast=True, hash=False)
        plan_f = client.scatter(plan, broadcast=True, hash=False)
        futures = [
            client.submit(
                _single_threaded, explicit_batch, net_f, plan_f, b0, clean_paths, pure=False
            )
            for b0 in range(0, plan.n_chunks, BATCH)
        ]
        parts = []
        for fut in futures:
            parts.append(fut.result())
            if progress is not None:
                progress(parts[-1][0], plan.n_roots)
    return reduce_explicit(net, plan, parts)
