"""Databases and real `cleanpath serve` processes on 127.0.0.1 for the web tests."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from cleanpath.store import Store, save_audit
from servers import free_port, stop
from store.helpers import after, before

# Runs the real command; importing cleanpath.cli.runs registers it even before
# cleanpath.cli imports it.
LAUNCH = "import sys, cleanpath.cli.runs; from cleanpath.cli import main; main(sys.argv[1:])"
TOKEN = "test-token-1c9f"


def _start(db: Path, token: str | None) -> tuple[subprocess.Popen[str], str]:
    """Start `cleanpath serve` on a free port and wait until it answers; a port taken by
    someone else between our probe and the bind is retried on another port."""
    for _attempt in range(5):
        port = free_port()
        cmd = [sys.executable, "-c", LAUNCH, "serve", "--db", str(db), "--port", str(port)]
        cmd += ["--token", token] if token else []
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while proc.poll() is None:
            try:
                httpx.get(f"{url}/favicon.ico", timeout=1)
                return proc, url
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    proc.kill()
                    raise
                time.sleep(0.2)
        err = proc.stderr.read() if proc.stderr else ""
        if "address already in use" not in err.lower():
            raise RuntimeError(f"serve exited: {err}")
    raise RuntimeError("no free port for serve")


@contextmanager
def running_server(db: Path, *, token: str | None = None) -> Iterator[str]:
    """`cleanpath serve --db DB` on a free loopback port; yields its base URL."""
    proc, url = _start(db, token)
    try:
        yield url
    finally:
        stop(proc, timeout=10)


@pytest.fixture(scope="session")
def ring_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two runs of the hand-built ring (before/after a replacement); run 2 has the plan the
    planner makes for it."""
    from cleanpath.analysis.planner_audit import plan_for_audit
    from cleanpath.kb.costs import load_costs

    db = tmp_path_factory.mktemp("ring") / "ring.duckdb"
    plan = plan_for_audit(after(), costs=load_costs(), budget=[float("inf")], subsidy=0.395)
    with Store.open(db) as s:
        s.save_run(before(), inputs={"ring.graphml": b"ring"})
        s.save_run(after(), plan=plan.to_dict())
    return db


@pytest.fixture(scope="session")
def ring_url(ring_db: Path) -> Iterator[str]:
    with running_server(ring_db) as url:
        yield url


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo, audited and saved the way `cleanpath demo` saves it."""
    from cleanpath.demo.run import run_demo

    out = tmp_path_factory.mktemp("demo")
    results = run_demo(out / "report").results
    save_audit(out / "demo.duckdb", results)
    return out / "demo.duckdb"
