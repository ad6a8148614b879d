"""Poll many agents concurrently and assemble one inventory plus LLDP topology.

>>> from cleanpath.discover.targets import Target
>>> r = discover([Target("127.0.0.1", 9, "nobody-listens")], timeout=0.2, retries=0)
>>> r.agents[0].ok, r.agents[0].agent, len(r.inventory.devices), len(r.inventory.skipped)
(False, '127.0.0.1:9/nobody-listens', 0, 1)
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from cleanpath.discover.snmp import AgentPoll, Channel, Credentials, PollSettings, poll_agent
from cleanpath.discover.targets import Target
from cleanpath.domain import DeviceRecord, Inventory, Skipped
from cleanpath.errors import InputError
from cleanpath.ingest.lldp import LldpNeighbour, link_neighbours, neighbours_from_values
from cleanpath.ingest.mib import device_from_values

__all__ = ["AgentOutcome", "DiscoveryResult", "ProgressFn", "discover", "discover_async"]


@dataclass(frozen=True, slots=True)
class AgentOutcome:
    """How polling one agent went (``node`` is the device it became, if it answered)."""

    agent: str
    ok: bool
    error: str | None
    node: str | None
    requests: int
    elapsed: float
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "agent": self.agent,
            "ok": self.ok,
            "error": self.error,
            "node": self.node,
            "requests": self.requests,
            "elapsed_s": round(self.elapsed, 4),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class DiscoveryResult:
    """The inventory (polled devices + LLDP neighbours, links) and every agent's outcome."""

    inventory: Inventory
    agents: tuple[AgentOutcome, ...]

    @property
    def failed(self) -> tuple[AgentOutcome, ...]:
        return tuple(a for a in self.agents if not a.ok)


ProgressFn = Callable[[AgentOutcome], None]


def _device(poll: AgentPoll) -> tuple[DeviceRecord, tuple[LldpNeighbour, ...]]:
    extra: dict[str, object] = {"agent": poll.agent}
    if poll.subtree_walk:
        extra["vendor_subtree_walk"] = True
    if poll.warnings:
        extra["poll_warnings"] = tuple(poll.warnings[:50])
    device = device_from_values(poll.values, node=poll.agent, source=poll.agent, extra=extra)
    return device, neighbours_from_values(poll.values, local=poll.agent, source=poll.agent)


def _outcome(poll: AgentPoll, node: str | None) -> AgentOutcome:
    return AgentOutcome(
        poll.agent,
        poll.error is None,
        poll.error,
        node,
        poll.requests,
        poll.elapsed,
        tuple(poll.warnings[:50]),
    )


def _node_names(devices: Sequence[DeviceRecord]) -> dict[str, str]:
    """agent -> node: the sysName when unique among polled devices, else the agent."""
    counts = Counter(d.hostname for d in devices if d.hostname)
    return {
        d.node: d.hostname if d.hostname and counts[d.hostname] == 1 else d.node for d in devices
    }


def _assemble(
    found: list[tuple[DeviceRecord, tuple[LldpNeighbour, ...]]],
    failed: list[AgentPoll],
    outcomes: list[AgentOutcome],
) -> DiscoveryResult:
    found = sorted(found, key=lambda pair: pair[0].node)
    names = _node_names([d for d, _ in found])
    devices = [replace(d, node=names[d.node]) for d, _ in found]
    heard = [replace(n, local=names[n.local]) for _, ns in found for n in ns]
    linked = link_neighbours(devices, heard)
    skipped = tuple(Skipped(p.agent, None, p.error or "failed") for p in failed)
    agents = tuple(
        replace(o, node=names.get(o.agent)) if o.ok else o
        for o in sorted(outcomes, key=lambda o: o.agent)
    )
    return DiscoveryResult(Inventory(linked.devices, linked.links, skipped, ("snmp",)), agents)


class _Window:
    """How many agents may be in flight: starts small, grows by one per agent that answered
    quickly, halves when answers slow down (a congested link, or one simulator serving many
    agents) so queued requests do not run into their timeouts. One halving per round: the
    slow answers of agents that started before the last halving do not halve it again (else
    one burst of slow answers drives it down to one agent and leaves both ends idle).
    Agents that fail do not count: a sweep over dead addresses must not shrink it."""

    def __init__(self, most: int, timeout: float) -> None:
        self.most = most
        self.limit = float(min(8, most))
        self.slow = timeout / 4
        self.last_cut = 0.0
        self.inflight = 0
        self.cond = asyncio.Condition()

    async def enter(self) -> None:
        async with self.cond:
            await self.cond.wait_for(lambda: self.inflight < int(self.limit))
            self.inflight += 1

    async def leave(self, poll: AgentPoll | None) -> None:
        if poll is not None and poll.error is None and poll.requests:
            now = time.perf_counter()
            if poll.elapsed / poll.requests <= self.slow:
                self.limit = min(float(self.most), self.limit + 1)
            elif now - poll.elapsed > self.last_cut:  # started after the last halving
                self.limit = max(1.0, self.limit / 2)
                self.last_cut = now
        async with self.cond:
            self.inflight -= 1
            self.cond.notify(max(1, int(self.limit) - self.inflight))  # one per free slot


async def discover_async(
    targets: Sequence[Target],
    *,
    credentials: Credentials | None = None,
    settings: PollSettings | None = None,
    concurrency: int = 100,
    progress: ProgressFn | None = None,
) -> DiscoveryResult:
    """Poll ``targets`` with at most ``concurrency`` agents in flight (see :func:`discover`)."""
    if concurrency < 1:
        raise InputError("must be at least 1", field="concurrency")
    creds = credentials or Credentials()
    conf = settings or PollSettings()
    window = _Window(concurrency, conf.timeout)
    channel = Channel(creds)
    pending = iter(targets)
    found: list[tuple[DeviceRecord, tuple[LldpNeighbour, ...]]] = []
    failed: list[AgentPoll] = []
    outcomes: list[AgentOutcome] = []

    async def worker() -> None:
        for target in pending:  # shared iterator: each target is taken once
            await window.enter()
            poll: AgentPoll | None = None
            try:
                poll = await poll_agent(channel, target, conf)
            finally:
                await window.leave(poll)
            if poll.error is None:
                found.append(_device(poll))
            else:
                failed.append(poll)
            outcomes.append(_outcome(poll, None))
            if progress is not None:
                progress(outcomes[-1])

    try:
        await asyncio.gather(*(worker() for _ in range(min(concurrency, len(targets)))))
    finally:
        channel.close()
    return _assemble(found, failed, outcomes)


def discover(
    targets: Sequence[Target],
    *,
    credentials: Credentials | None = None,
    timeout: float = 2.0,
    retries: int = 1,
    concurrency: int = 100,
    progress: ProgressFn | None = None,
    settings: PollSettings | None = None,
) -> DiscoveryResult:
    """Poll every target and return the inventory, LLDP links and per-agent outcomes.

    An agent that times out, answers with errors or sends malformed values never stops the
    run: it is an :class:`AgentOutcome` with its error (failed agents are also counted in
    ``inventory.skipped``), and whatever it did answer is kept.
    """
    if timeout <= 0 or retries < 0:
        raise InputError("timeout must be > 0 and retries >= 0", field="timeout/retries")
    conf = replace(settings or PollSettings(), timeout=timeout, retries=retries)
    return asyncio.run(
        discover_async(
            targets,
            credentials=credentials,
            settings=conf,
            concurrency=concurrency,
            progress=progress,
        )
    )
