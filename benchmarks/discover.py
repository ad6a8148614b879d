"""Benchmark: poll 1,000 simulated SNMP agents on loopback with ``cleanpath discover`` defaults.

snmpsim serves 1,000 communities from one UDP port, each a copy of one of our lab
recordings (tests/data/snmplab). The claim: all 1,000 polled in under 60 s on 2 cores with
default settings, shown beside a sequential poll (concurrency 1) of a sample measured in the
same run, and peak RSS that stays flat as the count grows (100 / 500 / 1,000 agents).

Run: ``.venv/bin/python benchmarks/discover.py [--agents 1000] [--sample 40]``
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from cleanpath.discover.run import DiscoveryResult, discover
from cleanpath.discover.simulator import SnmpSimulator
from cleanpath.discover.targets import Target

LAB = Path(__file__).resolve().parents[1] / "tests" / "data" / "snmplab"


def server_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (from /proc; Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CPU: dict[str, float] = {}


def run(targets: list[Target], server: int, **kw: object) -> tuple[DiscoveryResult, float]:
    """Poll ``targets``; CPU["client"]/CPU["server"] get the CPU seconds each side used."""
    start, cpu0, srv0 = time.perf_counter(), time.process_time(), server_cpu_s(server)
    result = discover(targets, **kw)  # type: ignore[arg-type]
    CPU["client"] = time.process_time() - cpu0
    CPU["server"] = server_cpu_s(server) - srv0
    return result, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=1000)
    ap.add_argument("--sample", type=int, default=40)
    args = ap.parse_args()
    recordings = sorted(LAB.glob("*.snmprec"))
    files = [(f"agent{i:05d}", recordings[i % len(recordings)]) for i in range(args.agents)]
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    t0 = time.perf_counter()
    with SnmpSimulator(files, startup_timeout=300) as sim:
        print(
            f"snmpsim serving {len(files)} communities on 127.0.0.1:{sim.port} "
            f"(ready after {time.perf_counter() - t0:.1f} s)"
        )
        targets = [Target("127.0.0.1", sim.port, name) for name, _ in files]
        # warm-up (snmpsim opens each recording's index on first use)
        assert sim.proc is not None
        pid = sim.proc.pid
        run(targets[: min(50, len(targets))], pid)
        sample = targets[:: max(1, len(targets) // args.sample)][: args.sample]
        seq, seq_s = run(sample, pid, concurrency=1)
        assert all(a.ok for a in seq.agents)
        per_agent = seq_s / len(sample)
        print(
            f"sequential (concurrency 1): {len(sample)} agents in {seq_s:.2f} s = "
            f"{per_agent * 1000:.1f} ms/agent -> {per_agent * len(targets):.1f} s for "
            f"{len(targets)} (extrapolated); CPU per agent: client "
            f"{CPU['client'] / len(sample) * 1000:.1f} ms, snmpsim "
            f"{CPU['server'] / len(sample) * 1000:.1f} ms"
        )
        rows = []
        for n in sorted({min(100, args.agents), min(500, args.agents), args.agents}):
            result, secs = run(targets[:n], pid)
            ok = sum(a.ok for a in result.agents)
            requests = sum(a.requests for a in result.agents)
            rows.append((n, secs, ok, requests, peak_rss_mib(), len(result.inventory.links)))
            print(
                f"concurrent (defaults): {n:5d} agents in {secs:6.2f} s "
                f"({n / secs:6.1f} agents/s, {requests} requests, {ok} ok, "
                f"{len(result.inventory.links)} links), peak RSS {peak_rss_mib():.0f} MiB, "
                f"CPU client {CPU['client']:.1f} s / snmpsim {CPU['server']:.1f} s "
                f"({CPU['client'] / n * 1000:.1f} / {CPU['server'] / n * 1000:.1f} ms per agent)"
            )
        n, secs = rows[-1][0], rows[-1][1]
        print(
            f"speed-up over sequential: {per_agent * n / secs:.1f}x; "
            f"{n} agents in {secs:.1f} s (claim: < 60 s): {'PASS' if secs < 60 else 'FAIL'}"
        )
        print(
            f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
            "(other work on the machine slows both sides)"
        )
        growth = rows[-1][4] - rows[0][4]
        print(f"peak RSS growth from {rows[0][0]} to {n} agents: {growth:.0f} MiB")
        return 0 if secs < 60 and rows[-1][2] == n else 1


if __name__ == "__main__":
    sys.exit(main())
