"""Streamed all-pairs exposure, the Dial/heap split and the Dask engine, against the reference
and against the explicit engine (itself checked against the reference)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cleanpath.analysis.allpairs import AllPairsExposure, exposure_all_pairs
from cleanpath.analysis.engines.local import MAX_BUCKETS
from cleanpath.analysis.exposure import ExposureResult, exposure
from cleanpath.domain import Topology
from cleanpath.model.demands import Demands
from cleanpath.model.network import build_network

from .helpers import RTOL, assert_identical, check_case, topo
from .nx_reference import ReferenceResult
from .test_exposure_random import random_case

N_HIST = 20


def hist_bin(x: float) -> int:
    """Bin 0: share == 0; 1..18: (0, 1) in 18 equal parts; 19: share == 1."""
    if x <= 0.0:
        return 0
    if x >= 1.0:
        return N_HIST - 1
    return 1 + min(N_HIST - 3, int(x * (N_HIST - 2)))


def expected_stats(ref: ReferenceResult, sens: np.ndarray, volume: float) -> dict[str, float]:
    share = np.asarray(ref.exposed_share)
    dist, cdist = np.asarray(ref.dist), np.asarray(ref.clean_dist)
    ok = np.isfinite(dist)
    clean = ok & np.isfinite(cdist)
    e = np.where(ok, share, 0.0)
    return {
        "pairs": float(len(share)),
        "unroutable": float((~ok).sum()),
        "exposed_volume": float(e.sum() * volume),
        "routable_sensitive_pairs": float((ok & sens).sum()),
        "routable_sensitive_volume": float((ok & sens).sum() * volume),
        "sensitive_exposed_volume": float(e[sens].sum() * volume),
        "clean_pairs": float(clean.sum()),
        "sensitive_clean_pairs": float((clean & sens).sum()),
        "sensitive_exposed_pairs": float((ok & sens & (e > 0)).sum()),
        "stretch_sum": float((cdist[clean] / dist[clean]).sum()),
        "total_volume": float(len(share) * volume),
        "sensitive_pairs": float(sens.sum()),
        "sensitive_volume": float(sens.sum() * volume),
    }


def assert_all_pairs(ap: AllPairsExposure, ex: ExposureResult, ref: ReferenceResult) -> None:
    """``ap`` (streamed) against the reference and against the explicit result ``ex`` of
    the same materialised demands (which :func:`check_case` has matched to the reference)."""
    d = ex.demands
    scale = 1e-12 * max(1.0, float(d.volume.sum()))
    for name in ("node_volume", "node_sensitive_volume"):
        want = [getattr(ref, name).get(i, 0.0) for i in ap.network.node_ids]
        np.testing.assert_allclose(getattr(ap, name), want, rtol=RTOL, atol=scale, err_msg=name)
    for name in ("arc_volume", "arc_sensitive_volume"):
        np.testing.assert_allclose(
            getattr(ap, name), getattr(ex, name), rtol=RTOL, atol=scale, err_msg=name
        )
    want_stats = expected_stats(ref, d.sensitive, ap.volume)
    assert set(ap.stats) == set(want_stats)
    for key, x in want_stats.items():
        assert ap.stats[key] == pytest.approx(x, rel=RTOL, abs=1e-9), key
    ok = ex.routable
    hist = np.bincount([hist_bin(x) for x in ex.exposed_share[ok]], minlength=N_HIST)
    np.testing.assert_array_equal(ap.histogram, hist)
    # top-k: unroutable pairs first (key 4), then share; +2 if sensitive; ties by pair
    # index s * n + t ascending -- the explicit engine's worst() order for equal volumes
    n = ap.network.n_nodes
    key = np.where(ok, ex.exposed_share, 4.0) + 2.0 * d.sensitive
    k = len(ap.top.demands.src)
    best = np.lexsort((d.src * n + d.dst, -key))[:k]
    np.testing.assert_array_equal(ap.top.demands.src[:k], ex.demands.src[ex.worst(k)])
    np.testing.assert_array_equal(ap.top.demands.src, d.src[best])
    np.testing.assert_array_equal(ap.top.demands.dst, d.dst[best])
    np.testing.assert_array_equal(ap.top.exposed_share, ex.exposed_share[best])
    summ, want = ap.summary(), ex.summary()
    for name, x in want.items():
        assert summ[name] == pytest.approx(x, rel=RTOL), name


def all_pairs_case(t: Topology, bad: list[str], sens: np.ndarray, top_k: int = 25) -> None:
    net = build_network(t, untrusted=bad)
    ex, ref = check_case(t, bad, Demands.all_pairs_of(net, volume=0.5, sensitive_nodes=sens))
    ap = exposure_all_pairs(net, volume=0.5, sensitive_nodes=sens, top_k=top_k)
    assert_all_pairs(ap, ex, ref)


@pytest.mark.parametrize("seed", range(8))
def test_all_pairs_stream_matches_reference(seed: int) -> None:
    t, bad = random_case(100 + seed, n=30, m=45 + 5 * seed, directed=seed % 2 == 1, max_w=2)
    sens = np.random.default_rng(seed).random(30) < 0.2
    all_pairs_case(t, bad, sens, top_k=[1, 10, 100, 2000][seed % 4])


def test_all_pairs_on_disconnected_and_hand_built_graphs() -> None:
    t = topo("abcdef", [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e")], name="split")
    all_pairs_case(t, ["b"], np.array([True, False, False, False, True, False]))
    sq = topo("abcd", [("a", "b"), ("b", "d"), ("a", "c"), ("c", "d")], name="square")
    all_pairs_case(sq, ["a"], np.zeros(4, dtype=np.bool_))
    all_pairs_case(sq, [], np.ones(4, dtype=np.bool_))


def test_dial_and_heap_give_identical_routing() -> None:
    """Integer weights run on Dial's bucket queue, others on a binary heap. Halving every
    weight (exact in binary) forces the heap: shares and stretch must be bit-identical and
    distances exactly halved. Volumes may differ in the last bit: the two queues settle
    nodes at equal distance in another order, so inflows are added in another order."""
    t, bad = random_case(7, n=60, m=140, directed=False, max_w=4)
    net = build_network(t, untrusted=bad)
    assert net.integer_weights
    half = dataclasses.replace(
        t, links=tuple(dataclasses.replace(lk, weight=lk.weight / 2) for lk in t.links)
    )
    net_h = build_network(half, untrusted=bad)
    assert not net_h.integer_weights
    d = Demands.all_pairs_of(net, sensitive_nodes=np.arange(60) % 7 == 0)
    a, b = exposure(net, d), exposure(net_h, d)
    np.testing.assert_array_equal(a.exposed_share, b.exposed_share)
    for name in ("node_volume", "node_sensitive_volume", "arc_volume"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-13, err_msg=name)
    np.testing.assert_array_equal(a.dist / 2, b.dist)
    np.testing.assert_array_equal(a.clean_dist / 2, b.clean_dist)
    np.testing.assert_array_equal(a.stretch, b.stretch)
    check_case(half, bad, d)


@pytest.mark.parametrize("big", [MAX_BUCKETS - 1, MAX_BUCKETS, 3 * MAX_BUCKETS])
def test_large_integer_weights(big: int) -> None:
    """Around the Dial/heap threshold, with weights spanning 1..big."""
    links = [
        ("a", "b", 1),
        ("b", "c", big),
        ("a", "d", big - 1),
        ("d", "c", 2),
        ("c", "e", 1),
        ("a", "e", big + 1),
        ("b", "e", big),
    ]
    t = topo("abcde", links)
    check_case(t, ["d"])
    check_case(t, ["b"])
    net = build_network(t, untrusted=["d"])
    r = exposure(net, Demands.from_arrays(net, [0], [2], [1.0]))
    assert r.dist[0] == big + 1
    assert r.exposed_share[0] == 0.5  # a-b-c and a-d-c tie at big + 1


@pytest.fixture(scope="module")
def dask_client():  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.mark.slow
def test_dask_engine_is_bit_identical_to_local(dask_client: object) -> None:
    t, bad = random_case(11, n=120, m=260, directed=True, max_w=3)
    net = build_network(t, untrusted=bad)
    sens = np.arange(120) % 5 == 0
    d = Demands.all_pairs_of(net, sensitive_nodes=sens)
    a = exposure(net, d)
    b = exposure(net, d, engine="dask", scheduler=dask_client)
    assert_identical(a, b)
    ap_a = exposure_all_pairs(net, sensitive_nodes=sens, top_k=20)
    ap_b = exposure_all_pairs(
        net, sensitive_nodes=sens, top_k=20, engine="dask", scheduler=dask_client
    )
    for name in ("node_volume", "arc_volume", "histogram"):
        np.testing.assert_array_equal(getattr(ap_a, name), getattr(ap_b, name), err_msg=name)
    assert ap_a.stats == ap_b.stats
    np.testing.assert_array_equal(ap_a.top.demands.src, ap_b.top.demands.src)
    matrix = np.random.default_rng(3).random((120, 120))
    dm_a = exposure_all_pairs(net, volume=matrix, sensitive_nodes=sens, top_k=20)
    dm_b = exposure_all_pairs(net, volume=matrix, sensitive_nodes=sens, top_k=20,
                              engine="dask", scheduler=dask_client)  # fmt: skip
    np.testing.assert_array_equal(dm_a.arc_volume, dm_b.arc_volume)
    assert dm_a.stats == dm_b.stats


def test_locality_renumbering_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large networks are renumbered (RCM) inside the engine; results, stats and the worst
    demands must be those of the plain numbering."""
    import cleanpath.analysis.engines.local as local

    rng = np.random.default_rng(11)
    n = 120
    links = [(str(i), str((i + 1) % n), float(rng.integers(1, 4))) for i in range(n)]
    links += [(str(a), str(b), float(rng.integers(1, 4)))
              for a, b in rng.integers(0, n, size=(60, 2)) if a != b]  # fmt: skip
    net = build_network(topo([str(i) for i in range(n)], links), weight="auto")
    bad = rng.choice(n, size=12, replace=False)
    mask = np.zeros(n, dtype=np.bool_)
    mask[bad] = True
    net = net.with_untrusted(mask)
    sens = np.zeros(n, dtype=np.bool_)
    sens[::9] = True
    monkeypatch.setattr(local, "LOCALITY_MIN_NODES", 10**9)
    plain = exposure_all_pairs(net, sensitive_nodes=sens, top_k=40)
    monkeypatch.setattr(local, "LOCALITY_MIN_NODES", 2)
    assert local.locality_order(net) is not None
    renum = exposure_all_pairs(net, sensitive_nodes=sens, top_k=40)
    for name in ("node_volume", "node_sensitive_volume", "arc_volume", "arc_sensitive_volume"):
        np.testing.assert_allclose(getattr(renum, name), getattr(plain, name), rtol=1e-12,
                                   atol=1e-12, err_msg=name)  # fmt: skip
    assert renum.stats == pytest.approx(plain.stats, rel=1e-12)
    np.testing.assert_array_equal(renum.histogram, plain.histogram)
    np.testing.assert_array_equal(renum.top.demands.src, plain.top.demands.src)
    np.testing.assert_array_equal(renum.top.demands.dst, plain.top.demands.dst)


def dense_case(seed: int, n: int = 30) -> tuple[Topology, list[str], np.ndarray, np.ndarray]:
    t, bad = random_case(300 + seed, n=n, m=3 * n // 2 + seed, directed=seed % 2 == 1, max_w=3)
    rng = np.random.default_rng(seed)
    matrix = rng.integers(1, 6, size=(n, n)) * 0.25
    matrix[rng.random((n, n)) < 0.3] = 0.0  # zero entries are no demand
    np.fill_diagonal(matrix, 7.0)  # the diagonal is never a demand
    return t, bad, matrix, rng.random(n) < 0.2


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("renumber", [False, True])
def test_dense_matrix_is_streamed_like_its_explicit_list(
    seed: int, renumber: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dense N x N matrix streams through the all-pairs kernel (reading entries through the
    locality renumbering) and equals the explicit engine on its positive entries."""
    import cleanpath.analysis.engines.local as local

    monkeypatch.setattr(local, "LOCALITY_MIN_NODES", 2 if renumber else 10**9)
    t, bad, matrix, sens = dense_case(seed)
    net = build_network(t, untrusted=bad)
    dem = Demands.from_matrix(net, matrix, sensitive_nodes=sens)
    explicit = dem.materialize()
    assert len(dem) == len(explicit) == int((matrix > 0).sum()) - len(matrix)
    ex, _ = check_case(t, bad, explicit)
    ap = exposure_all_pairs(net, volume=matrix, sensitive_nodes=sens, top_k=15)
    scale = 1e-12 * float(explicit.volume.sum())
    for name in ("node_volume", "node_sensitive_volume", "arc_volume", "arc_sensitive_volume"):
        np.testing.assert_allclose(getattr(ap, name), getattr(ex, name), rtol=RTOL, atol=scale,
                                   err_msg=name)  # fmt: skip
    ok, d = ex.routable, ex.demands
    e = np.where(ok, ex.exposed_share, 0.0)
    assert ap.stats["pairs"] == len(d)
    assert ap.stats["total_volume"] == pytest.approx(d.volume.sum(), rel=RTOL)
    assert ap.stats["exposed_volume"] == pytest.approx((e * d.volume).sum(), rel=RTOL)
    assert ap.stats["sensitive_volume"] == pytest.approx(d.volume[d.sensitive].sum(), rel=RTOL)
    hist = np.bincount([hist_bin(x) for x in ex.exposed_share[ok]], minlength=N_HIST)
    np.testing.assert_array_equal(ap.histogram, hist)
    n = net.n_nodes
    key = np.where(ok, ex.exposed_share, 4.0) + 2.0 * d.sensitive
    best = np.lexsort((d.src * n + d.dst, -key))[:15]
    np.testing.assert_array_equal(ap.top.demands.src, d.src[best])
    np.testing.assert_array_equal(ap.top.demands.dst, d.dst[best])
    np.testing.assert_array_equal(ap.top.demands.volume, d.volume[best])
    summ, want = ap.summary(), ex.summary()
    for name, x in want.items():
        assert summ[name] == pytest.approx(x, rel=RTOL), name


def test_dense_matrix_is_checked() -> None:
    from cleanpath.errors import AnalysisError, ModelError

    t, bad, matrix, _ = dense_case(0, n=6)
    net = build_network(t, untrusted=bad)
    for bad_m in (matrix[:5], np.where(matrix > 1, -1.0, matrix), matrix * np.nan):
        with pytest.raises(ModelError) as info:
            Demands.from_matrix(net, bad_m)
        assert info.value.field == "matrix"
        with pytest.raises(AnalysisError):
            exposure_all_pairs(net, volume=bad_m)
