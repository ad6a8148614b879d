"""Saving runs and reading them back: rows, filters, pages, Parquet, plans, errors."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cleanpath.errors import InputError, StoreError
from cleanpath.pipeline import content_hash
from cleanpath.store import (
    MAX_PAGE,
    NotFoundError,
    Store,
    UnknownRunError,
    dashboard_command,
    default_db,
    hash_files,
    save_audit,
)

from .helpers import after, before


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "runs.duckdb")
    yield s  # type: ignore[misc]
    s.close()


def test_save_and_read_back_a_run(store: Store) -> None:
    res = before()
    rid = store.save_run(res, inputs={"net.graphml": b"<graphml/>", "inv.csv": "a" * 64})
    run = store.run(rid)
    assert run["network"] == "ring"
    assert run["policy"] == res.policy
    assert run["kb_version"] == res.kb_version
    assert run["summary"] == pytest.approx(res.summary())
    assert run["seed"] == 7
    assert run["settings"]["weight"] == "distance"
    assert run["inputs"] == [
        {"name": "inv.csv", "sha256": "a" * 64, "size": None},
        {"name": "net.graphml", "sha256": content_hash(b"<graphml/>"), "size": 10},
    ]
    nodes = store.nodes(rid)
    assert [n["node_id"] for n in nodes] == list(res.network.node_ids)
    assert {n["node_id"]: n["verdict"] for n in nodes}["b"] == "covered"
    assert len(store.links(rid)) == res.network.n_links
    assert {s["name"]: s["hub"] for s in store.sites(rid)} == {
        "Site West": False, "Site South": False, "Hub East": True}  # fmt: skip
    assert store.runs().total == 1
    assert store.runs().items[0]["run_id"] == rid


def test_devices_filter_by_verdict_and_vendor(store: Store) -> None:
    rid = store.save_run(before())
    covered = store.devices(rid, verdict="covered")
    assert covered.total == 1
    dev = covered.items[0]
    assert (dev["node_id"], dev["manufacturer"], dev["model"]) == ("b", "Huawei", "NE40E-X8")
    assert dev["entity_name"]
    assert dev["date_added"]
    assert dev["entry_source"]
    assert dev["evidence"][0]["signal"] == "manufacturer"
    assert store.devices(rid, verdict="unknown").items[0]["node_id"] == "e"
    assert store.devices(rid, vendor="CISCO").total == 2
    assert store.devices(rid).total == 6
    page = store.devices(rid, limit=2, offset=4)
    assert (page.total, len(page.items)) == (6, 2)


def test_flows_come_from_parquet_worst_first(store: Store) -> None:
    res = before()
    rid = store.save_run(res)
    s = res.summary()
    all_flows = store.flows(rid, limit=MAX_PAGE)
    assert all_flows.total == s["demands"]
    vols = [f["exposed_volume"] for f in all_flows.items]
    assert vols == sorted(vols, reverse=True)
    assert store.flows(rid, cls="sensitive").total == s["sensitive_flows"]
    assert store.flows(rid, cls="sensitive", exposed=True).total == s["sensitive_flows_exposed"]
    assert store.flows(rid, node="a").total == sum(
        1 for f in all_flows.items if "a" in (f["src"], f["dst"]))  # fmt: skip
    table = pq.read_table(store.demands_file(rid))
    assert table.num_rows == s["demands"]
    assert store.demands_file(rid).parent == store.parquet_dir


def test_one_flow_has_paths_when_it_is_a_top_flow(store: Store) -> None:
    rid = store.save_run(before())
    top = store.top_flows(rid)
    assert top
    assert all(t["sensitive"] for t in top)
    f = store.flow(rid, top[0]["demand"])
    assert f["path"][0] == f["src"]
    assert f["path"][-1] == f["dst"]
    assert f["src_label"] == f["src"].upper()
    with pytest.raises(NotFoundError, match="no demand 9999"):
        store.flow(rid, 9999)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"verdict": "bad"}, "verdict"), ({"limit": MAX_PAGE + 1}, "limit"),
     ({"limit": 0}, "limit"), ({"offset": -1}, "offset")],
)  # fmt: skip
def test_bad_listing_arguments_are_input_errors(store: Store, kwargs: dict, field: str) -> None:
    rid = store.save_run(before())
    with pytest.raises(InputError) as exc:
        store.devices(rid, **kwargs)
    assert exc.value.field == field


def test_unknown_run(store: Store) -> None:
    with pytest.raises(UnknownRunError, match="no run 42"):
        store.run(42)
    with pytest.raises(UnknownRunError):
        store.devices(42)


def test_plan_is_optional_and_can_be_added(store: Store) -> None:
    rid = store.save_run(before())
    assert store.plan(rid) is None
    assert not store.run(rid)["has_plan"]
    store.save_plan(rid, {"steps": [{"node": "b", "cost": 1.0}]})
    assert store.plan(rid) == {"steps": [{"node": "b", "cost": 1.0}]}
    rid2 = store.save_run(after(), plan={"steps": []})
    assert store.plan(rid2) == {"steps": []}


def test_bad_input_hash_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match="sha256"):
        store.save_run(before(), inputs={"x": "not-a-hash"})
    assert store.runs().total == 0


def test_read_only_store_refuses_writes_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store.open(tmp_path / "none.duckdb", read_only=True)
    Store.open(tmp_path / "x.duckdb").close()
    with Store.open(tmp_path / "x.duckdb", read_only=True) as ro:
        assert ro.runs().total == 0
        with pytest.raises(StoreError, match="read-only"):
            ro.save_run(before())


def test_save_audit_uses_one_batch_and_the_env_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("CLEANPATH_DB", str(db))
    assert default_db(None) == db
    assert default_db("x.duckdb") == Path("x.duckdb")
    ids = save_audit(None, [before(), after()], hash_files([]))
    with Store.open(db) as s:
        batches = {s.run(i)["batch"] for i in ids}
    assert ids == [1, 2]
    assert len(batches) == 1
    assert f"cleanpath serve --db {db}" in dashboard_command(None)


def test_an_all_pairs_run_keeps_its_worst_demands_and_its_totals(store: Store) -> None:
    import dataclasses

    import numpy as np

    from cleanpath.analysis.allpairs import exposure_all_pairs

    res = before()
    ex = exposure_all_pairs(res.network, top_k=5)
    rid = store.save_run(dataclasses.replace(res, exposure=ex))
    run = store.run(rid)
    assert run["demands_scope"] == "worst"
    assert run["summary"]["demands"] == 30
    assert store.flows(rid).total == 5
    links = np.zeros(res.network.n_links)
    np.add.at(links, res.network.arc_link, ex.arc_volume)
    assert [x["carried_volume"] for x in store.links(rid)] == pytest.approx(list(links))
    assert store.run(store.save_run(res))["demands_scope"] == "all"
