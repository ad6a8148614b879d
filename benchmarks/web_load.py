"""Load on the dashboard: 200 concurrent clients against `cleanpath serve` on 127.0.0.1.

Claim: the API and the pages answer 200 concurrent clients with no error responses. The
script audits the bundled demo into a temporary database (or uses --db), starts the real
`cleanpath serve` on a free loopback port, runs one client alone for a baseline, then N
clients at once for a bounded time (and a bounded number of requests), and prints
requests/s, p50/p99 latency and the ratio to the one-client baseline. Exit 1 on any error.

    .venv/bin/python benchmarks/web_load.py [--clients 200] [--seconds 30] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

LAUNCH = "import sys, cleanpath.cli.runs; from cleanpath.cli import main; main(sys.argv[1:])"
MAX_REQUESTS_PER_CLIENT = 5_000


def demo_db(folder: Path) -> Path:
    from cleanpath.demo.run import run_demo
    from cleanpath.store import save_audit

    results, _ = run_demo(folder / "report")
    db = folder / "demo.duckdb"
    save_audit(db, results)
    return db


def urls_for(db: Path) -> list[str]:
    """A mix of JSON API calls and one HTML page per run, as a dashboard user makes them."""
    from cleanpath.store import Store

    out = ["/api/runs"]
    with Store.open(db, read_only=True) as s:
        for r in s.runs().items:
            rid = r["run_id"]
            worst = s.top_flows(rid)[0]["demand"]
            out += [
                f"/api/runs/{rid}", f"/api/runs/{rid}/devices?verdict=covered",
                f"/api/runs/{rid}/devices?vendor=cisco&limit=20",
                f"/api/runs/{rid}/flows?class=sensitive&limit=20",
                f"/api/runs/{rid}/flows/{worst}", f"/runs/{rid}/devices", f"/runs/{rid}",
            ]  # fmt: skip
    return out


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", LAUNCH, "serve", "--db", str(db),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{url}/api/runs", timeout=2).raise_for_status()
            return proc, url
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("cleanpath serve did not start") from None
            time.sleep(0.2)


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
               url: str) -> int:  # fmt: skip
    """One HTTP/1.1 keep-alive GET on an open connection; returns the status code."""
    writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next((int(x.split(":", 1)[1]) for x in lines[1:]
                   if x.lower().startswith("content-length:")), None)  # fmt: skip
    if length is None:
        raise ValueError("response without Content-Length")
    await reader.readexactly(length)
    return status


async def client(
    base: str, urls: list[str], k: int, until: float, lat: list[float], errors: list[str]
) -> None:
    """One client on its own keep-alive connection (a plain HTTP/1.1 client keeps the load
    generator light: it shares the machine with the server)."""
    host, port = base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        for i in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= until:
                return
            url = urls[(k + i) % len(urls)]
            t0 = time.perf_counter()
            try:
                status = await _get(reader, writer, f"{host}:{port}", url)
            except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                errors.append(f"{type(exc).__name__} {url}")
                return
            lat.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(f"{status} {url}")
    finally:
        writer.close()


async def load(base: str, urls: list[str], clients: int, seconds: float) -> dict[str, float]:
    lat: list[float] = []
    errors: list[str] = []
    t0 = time.monotonic()
    until = t0 + seconds
    await asyncio.gather(*(client(base, urls, k, until, lat, errors) for k in range(clients)))
    wall = time.monotonic() - t0
    lat.sort()
    n = len(lat)
    for e in sorted(set(errors))[:10]:
        print(f"  error: {e}", file=sys.stderr)
    return {
        "clients": clients, "requests": n, "errors": len(errors), "seconds": wall,
        "rps": n / wall, "p50_ms": 1000 * lat[n // 2], "p99_ms": 1000 * lat[int(n * 0.99) - 1],
        "max_ms": 1000 * lat[-1],
    }  # fmt: skip


def report(name: str, r: dict[str, float]) -> None:
    print(
        f"{name}: {r['clients']:.0f} client(s), {r['requests']:.0f} requests in "
        f"{r['seconds']:.1f} s = {r['rps']:.0f} req/s; p50 {r['p50_ms']:.1f} ms, "
        f"p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms; errors {r['errors']:.0f}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--db", type=Path, default=None, help="an existing results database")
    a = ap.parse_args()
    if not (1 <= a.clients <= 1000 and 0 < a.seconds <= 120):
        ap.error("--clients must be 1..1000 and --seconds 0..120")
    with tempfile.TemporaryDirectory() as tmp:
        db = a.db or demo_db(Path(tmp))
        urls = urls_for(db)
        proc, base = start_server(db)
        try:
            asyncio.run(load(base, urls, 1, 2.0))  # warm-up
            one = asyncio.run(load(base, urls, 1, min(5.0, a.seconds)))
            many = asyncio.run(load(base, urls, a.clients, a.seconds))
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    report("baseline", one)
    report("load", many)
    print(f"throughput ratio (load / one client): {many['rps'] / one['rps']:.2f}x")
    return 1 if one["errors"] or many["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
