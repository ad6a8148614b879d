"""The JSON API against a real `cleanpath serve` on loopback: answers, filters, errors."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from cleanpath.store import Store, diff_runs

REQUIRED = ("/api/runs", "/api/runs/{run_id}", "/api/runs/{run_id}/devices",
            "/api/runs/{run_id}/flows")  # fmt: skip


@pytest.fixture(scope="module")
def client(ring_url: str) -> httpx.Client:
    with httpx.Client(base_url=ring_url, timeout=30) as c:
        yield c  # type: ignore[misc]


@pytest.fixture(scope="module")
def store(ring_db: Path) -> Store:
    with Store.open(ring_db, read_only=True) as s:
        yield s  # type: ignore[misc]


def test_openapi_lists_the_api(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(REQUIRED) <= set(paths)
    assert "400" in paths["/api/runs/{run_id}/devices"]["get"]["responses"]


def test_runs_and_run(client: httpx.Client, store: Store) -> None:
    runs = client.get("/api/runs").json()
    assert [r["run_id"] for r in runs["items"]] == [2, 1]
    assert runs["total"] == 2
    run = client.get("/api/runs/1").json()
    assert run["summary"] == pytest.approx(store.run(1)["summary"])
    assert run["inputs"][0]["name"] == "ring.graphml"
    assert [f["demand"] for f in run["top_flows"]] == [f["demand"] for f in store.top_flows(1)]
    assert client.get("/api/runs", params={"network": "other"}).json()["total"] == 0


def test_devices_filters(client: httpx.Client, store: Store) -> None:
    covered = client.get("/api/runs/1/devices", params={"verdict": "covered"}).json()
    assert [d["node_id"] for d in covered["items"]] == ["b"]
    assert covered["total"] == store.devices(1, verdict="covered").total
    cisco = client.get("/api/runs/1/devices", params={"vendor": "cisco", "limit": 1}).json()
    assert (cisco["total"], len(cisco["items"])) == (2, 1)
    anyv = client.get("/api/runs/1/devices", params={"verdict": ""}).json()
    assert anyv["total"] == 6


def test_flows_and_one_flow(client: httpx.Client, store: Store) -> None:
    sens = client.get("/api/runs/2/flows", params={"class": "sensitive"}).json()
    assert sens["total"] == store.run(2)["summary"]["sensitive_flows"]
    nopath = client.get("/api/runs/2/flows", params={"clean_path": "false", "class": "sensitive"})
    assert nopath.json()["total"] == store.run(2)["summary"]["sensitive_flows_no_clean_path"]
    worst = store.top_flows(2)[0]
    flow = client.get(f"/api/runs/2/flows/{worst['demand']}").json()
    assert flow["path"] == worst["path"]
    assert flow["path_labels"][0] == flow["src_label"]


def test_plan_and_diff(client: httpx.Client, store: Store) -> None:
    assert client.get("/api/runs/1/plan").json()["plan"] is None
    plan = client.get("/api/runs/2/plan").json()["plan"]
    assert plan["replaced"] == ["f"]
    page = client.get("/runs/2/plan").text
    assert '<table id="phases">' in page
    assert 'id="curve"' in page
    assert 'id="no-plan"' in client.get("/runs/1/plan").text
    d = client.get("/api/diff", params={"a": 1, "b": 2}).json()
    want = diff_runs(store, 1, 2)
    assert d["counts"] == want.counts()
    assert [x["node_id"] for x in d["replaced"]] == ["b"]


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/runs/99", 404, "no run 99"),
        ("/api/runs/1/flows/9999", 404, "no demand 9999"),
        ("/api/runs/0", 400, "run_id"),
        ("/api/runs/abc", 400, "run_id"),
        ("/api/runs/1/devices?verdict=banned", 400, "verdict"),
        ("/api/runs/1/devices?limit=501", 400, "limit"),
        ("/api/runs/1/devices?offset=-1", 400, "offset"),
        ("/api/runs/1/devices?colour=red", 400, "unknown query parameter(s): colour"),
        ("/api/runs/1/flows?class=secret", 400, "class"),
        ("/api/runs/1/flows?exposed=maybe", 400, "exposed"),
        ("/api/runs/1/flows?node=%00x", 400, "node"),
        ("/api/runs/99999999999999999999", 400, "run_id"),
        ("/api/diff?a=1", 400, "b"),
        ("/runs/1/devices?verdict=banned", 400, "verdict"),
        ("/runs/77", 404, "no run 77"),
    ],
)
def test_bad_requests_get_clear_answers(
    client: httpx.Client, url: str, status: int, words: str
) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert words in r.text


@pytest.mark.parametrize(
    "url",
    ["/", "/runs/1", "/runs/2/devices?verdict=covered&vendor=", "/runs/2/flows?class=sensitive",
     "/runs/2/flows/0", "/runs/2/plan", "/diff?a=1&b=2"],
)  # fmt: skip
def test_every_page_renders_and_links_its_json_twin(client: httpx.Client, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    twin = r.text.split('class="json" href="')[1].split('"')[0].replace("&amp;", "&")
    assert twin.startswith("/api/")
    assert client.get(twin).status_code == 200
