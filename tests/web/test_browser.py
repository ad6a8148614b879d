"""The dashboard in a real browser: Debian's chromium driven by Playwright, on a demo run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleanpath.store import Store

from .conftest import running_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK), reason="Debian chromium missing (make test installs it)"
    ),
]

NODE_POINTS = """() => document.getElementById("map").data
    .filter(t => t.meta === "nodes").reduce((n, t) => n + t.lat.length, 0)"""
VISIBLE_MARKERS = """() => document.getElementById("map").data
    .filter(t => t.mode === "markers" && t.visible !== "legendonly")
    .reduce((n, t) => n + t.lat.length, 0)"""
DRAWN_MARKERS = """() => document.querySelectorAll("#map .scattergeo .point").length"""


@pytest.fixture(scope="module")
def demo_url(demo_db: Path) -> Iterator[str]:
    with running_server(demo_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_dashboard_map_devices_and_a_flow(  # type: ignore[no-untyped-def]
    browser, demo_url: str, demo_db: Path, tmp_path: Path
) -> None:
    with Store.open(demo_db, read_only=True) as s:
        run = s.runs().items[-1]["run_id"]  # the first network of the demo
        mapped = sum(1 for n in s.nodes(run) if n["lat"] is not None and n["lon"] is not None)
        covered = s.devices(run, verdict="covered").total
        worst = s.top_flows(run)[0]
    assert mapped > 0
    assert covered > 0
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"{demo_url}/")
    page.click(f"a.run-link[href='/runs/{run}']")
    page.wait_for_selector("#map[data-ready='1']", state="attached", timeout=30_000)
    assert page.evaluate(NODE_POINTS) == mapped
    assert page.evaluate(DRAWN_MARKERS) == page.evaluate(VISIBLE_MARKERS) > 0
    page.screenshot(path=str(tmp_path / "run.png"), full_page=True)

    page.click("header >> text=devices")
    page.select_option("#device-filter select[name=verdict]", "covered")
    page.click("#device-filter button[type=submit]")
    page.wait_for_url("**/devices?verdict=covered*")
    verdicts = page.eval_on_selector_all(
        "#devices tr.device", "rows => rows.map(r => r.dataset.verdict)"
    )
    assert verdicts == ["covered"] * min(covered, 50)
    page.screenshot(path=str(tmp_path / "devices.png"), full_page=True)

    page.goto(f"{demo_url}/runs/{run}")
    page.click("#top-flows a.flow-link >> nth=0")
    page.wait_for_url(f"**/runs/{run}/flows/{worst['demand']}")
    path_text = page.inner_text("#path")
    assert path_text.count("→") == len(worst["path"]) - 1
    page.wait_for_selector("#map[data-ready='1']", state="attached", timeout=30_000)
    assert page.evaluate(NODE_POINTS) == mapped
    shot = tmp_path / "flow.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert errors == []
