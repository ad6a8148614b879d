"""diff_runs and check_run on a before/after pair of real audits of the same ring."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanpath.errors import InputError
from cleanpath.store import Store, check_run, diff_runs

from .helpers import after, before


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Store, int, int]:
    s = Store.open(tmp_path / "pair.duckdb")
    a, b = s.save_run(before()), s.save_run(after())
    yield s, a, b  # type: ignore[misc]
    s.close()


def _key(rows: list[dict]) -> set[tuple[str, str]]:
    return {(r["src"], r["dst"]) for r in rows}


def _sens(res) -> dict[tuple[str, str], tuple[float, bool]]:  # type: ignore[no-untyped-def]
    ex, ids = res.exposure, res.network.node_ids
    out = {}
    for k in range(len(ex.demands.src)):
        if ex.demands.sensitive[k]:
            key = (ids[ex.demands.src[k]], ids[ex.demands.dst[k]])
            out[key] = (float(ex.exposed_share[k]), bool(ex.clean_path_exists[k]))
    return out


def test_diff_names_devices_that_became_covered_or_were_replaced(pair) -> None:  # type: ignore[no-untyped-def]
    s, a, b = pair
    d = diff_runs(s, a, b)
    assert d.same_network
    assert [(x["node_id"], x["manufacturer_a"], x["manufacturer_b"]) for x in d.replaced] == [
        ("b", "Huawei", "Nokia")]  # fmt: skip
    assert [(x["node_id"], x["status_a"], x["manufacturer_b"]) for x in d.became_covered] == [
        ("f", "not_covered", "ZTE")]  # fmt: skip


def test_diff_flows_match_the_two_audits(pair) -> None:  # type: ignore[no-untyped-def]
    s, a, b = pair
    d = diff_runs(s, a, b)
    sa, sb = _sens(before()), _sens(after())
    assert _key(d.gained_exposure) == {k for k in sa if sb[k][0] > sa[k][0] + 1e-9}
    assert _key(d.lost_exposure) == {k for k in sa if sa[k][0] > sb[k][0] + 1e-9}
    assert _key(d.lost_clean_path) == {k for k in sa if sa[k][1] and not sb[k][1]}
    assert d.gained_exposure
    assert d.lost_exposure
    assert d.lost_clean_path
    assert not d.gained_clean_path


def test_diff_summary_and_volume_deltas(pair) -> None:  # type: ignore[no-untyped-def]
    s, a, b = pair
    d = diff_runs(s, a, b)
    ex_a, ex_b = before().summary(), after().summary()
    assert d.summary["exposed_volume"]["delta"] == pytest.approx(
        ex_b["exposed_volume"] - ex_a["exposed_volume"])  # fmt: skip
    assert d.summary["covered_devices"] == {"a": 1, "b": 1, "delta": 0}
    ia, ib = before().exposure.node_volume, after().exposure.node_volume
    ids = before().network.node_ids
    want = {ids[i]: ib[i] - ia[i] for i in range(len(ids)) if abs(ib[i] - ia[i]) > 1e-9}
    assert {v["node_id"]: pytest.approx(v["volume_delta"]) for v in d.volume_deltas} == want
    deltas = [abs(v["volume_delta"]) for v in d.volume_deltas]
    assert deltas == sorted(deltas, reverse=True)
    assert d.to_dict()["a"] == a
    assert sum(d.counts().values()) > 0


def test_diff_of_a_run_with_itself_is_empty(pair) -> None:  # type: ignore[no-untyped-def]
    s, a, _ = pair
    assert sum(diff_runs(s, a, a).counts().values()) == 0
    assert diff_runs(s, a, a).volume_deltas == []


def test_check_threshold_and_baseline(pair) -> None:  # type: ignore[no-untyped-def]
    s, a, b = pair
    first = check_run(s, a, max_sensitive_exposure=0.0)
    assert not first.ok
    assert len(first.over_threshold) == before().summary()["sensitive_flows_exposed"]
    assert check_run(s, a, max_sensitive_exposure=1.0).ok
    gate = check_run(s, b, baseline=a, max_sensitive_exposure=1.0)
    assert not gate.ok
    assert not gate.over_threshold
    assert _key(gate.gained_exposure) == _key(diff_runs(s, a, b).gained_exposure)
    assert check_run(s, b, baseline=b, max_sensitive_exposure=1.0).ok
    back = check_run(s, a, baseline=b, max_sensitive_exposure=1.0)
    assert _key(back.gained_exposure) == _key(diff_runs(s, a, b).lost_exposure)
    with pytest.raises(InputError, match="between 0 and 1"):
        check_run(s, a, max_sensitive_exposure=1.5)


def test_check_of_an_all_pairs_run_counts_the_flows_it_did_not_keep(tmp_path: Path) -> None:
    import dataclasses

    import numpy as np

    from cleanpath.analysis.allpairs import exposure_all_pairs

    res = before()
    sens = np.array([n in ("a", "d") for n in res.network.node_ids])
    ex = exposure_all_pairs(res.network, sensitive_nodes=sens, top_k=2)
    with Store.open(tmp_path / "ap.duckdb") as s:
        rid = s.save_run(dataclasses.replace(res, exposure=ex))
        exposed = s.run(rid)["summary"]["sensitive_flows_exposed"]
        gate = check_run(s, rid)
    assert exposed > 2
    assert len(gate.over_threshold) <= 2
    assert gate.unlisted_exposed == exposed - len(gate.over_threshold)
    assert not gate.ok
    assert gate.notes
