"""The in-flight window of a discovery run: additive growth, one halving per round."""

from __future__ import annotations

import asyncio

from cleanpath.discover.run import _Window
from cleanpath.discover.session import AgentPoll


def _poll(elapsed: float, requests: int = 1, error: str | None = None) -> AgentPoll:
    return AgentPoll("a", error=error, requests=requests, elapsed=elapsed)


def test_grows_by_one_per_quick_agent_up_to_the_most() -> None:
    async def run() -> list[float]:
        w = _Window(10, timeout=2.0)
        seen = []
        for _ in range(5):
            await w.enter()
            await w.leave(_poll(0.01))
            seen.append(w.limit)
        return seen

    assert asyncio.run(run()) == [9.0, 10.0, 10.0, 10.0, 10.0]


def test_a_burst_of_slow_answers_halves_once_not_down_to_one() -> None:
    async def run() -> tuple[float, float]:
        w = _Window(100, timeout=0.04)  # slow: more than 10 ms per request
        w.limit = 64.0
        for _ in range(8):
            await w.enter()
        # eight agents that all started before the first halving answer slowly
        for _ in range(8):
            await w.leave(_poll(elapsed=5.0))
        after_burst = w.limit
        await w.enter()
        await asyncio.sleep(0.05)
        await w.leave(_poll(elapsed=0.02))  # started after the halving: a new round
        return after_burst, w.limit

    assert asyncio.run(run()) == (32.0, 16.0)


def test_failed_agents_do_not_shrink_it() -> None:
    async def run() -> float:
        w = _Window(100, timeout=2.0)
        for _ in range(3):
            await w.enter()
            await w.leave(_poll(5.0, error="No SNMP response received before timeout"))
        return w.limit

    assert asyncio.run(run()) == 8.0
