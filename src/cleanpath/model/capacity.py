"""Per-link capacities from a capacity file, in the order of ``Network.link_ids``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import numpy as np
import numpy.typing as npt

from cleanpath.errors import ModelError
from cleanpath.model.network import Network

__all__ = ["link_capacities"]


class _Cap(Protocol):
    @property
    def capacity(self) -> float: ...
    @property
    def link(self) -> str | None: ...
    @property
    def src(self) -> str | None: ...
    @property
    def dst(self) -> str | None: ...
    @property
    def line(self) -> int | None: ...


def link_capacities(net: Network, records: Iterable[_Cap]) -> npt.NDArray[np.float64]:
    """Capacity per link of ``net`` for :func:`~cleanpath.analysis.reroute.reroute`: records
    name a link id, or its two end nodes (then the value is the pair's capacity, whatever
    parallel links it has). Links not named keep the network's own capacity (``inf`` when
    unknown); a record that matches no link raises ModelError naming its line."""
    cap = np.full(net.n_links, np.inf)
    # the network's own: each arc carries the capacity of its node pair (parallel links
    # summed) on the link it routes over, which is how reroute() reads a per-link array
    cap[net.arc_link] = net.capacity
    by_id = {lid: i for i, lid in enumerate(net.link_ids)}
    by_ends: dict[frozenset[int], list[int]] = {}
    for i, (a, b) in enumerate(zip(net.link_src, net.link_dst, strict=True)):
        by_ends.setdefault(frozenset((int(a), int(b))), []).append(i)
    for r in records:
        if r.link is not None:
            if r.link not in by_id:
                raise ModelError(f"capacity for unknown link {r.link!r}", line=r.line)
            cap[by_id[r.link]] = r.capacity
            continue
        ends = frozenset((net.index_of(str(r.src)), net.index_of(str(r.dst))))
        if ends not in by_ends:
            raise ModelError(f"no link between {r.src!r} and {r.dst!r}", line=r.line)
        for i in by_ends[ends]:
            cap[i] = r.capacity
    return cap
