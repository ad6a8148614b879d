"""Greedy replacement plan: repeatedly buy the set of devices with the best marginal clean
weight per unit of money, phase by phase.

A single device often cleans nothing on its own (a demand may cross several untrusted
nodes), so the moves are *sets*: under fixed routing, the devices still missing for one
group (and the gain counts every group whose missing devices lie inside the move); under
adaptive routing, single devices and the cheapest repair path of each unclean group (a
node-weighted shortest path where trusted and replaced nodes are free).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from cleanpath.analysis.planner_groups import FixedGroups
from cleanpath.analysis.planner_model import TOL, PlanProblem
from cleanpath.errors import AnalysisError

__all__ = ["Move", "greedy_plan", "order_moves"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

Move = tuple[int, tuple[int, ...]]
"""``(phase, candidate indices)`` bought together, in plan order."""

_SUBMASK_LIMIT = 4


def _to_int(row: BoolArray) -> int:
    return int.from_bytes(np.packbits(row, bitorder="little").tobytes(), "little")


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _submasks(mask: int) -> Iterator[int]:
    sub = mask
    while sub:
        yield sub
        sub = (sub - 1) & mask


class _FixedMoves:
    """Moves under fixed routing, on Python-int bit sets."""

    def __init__(self, problem: PlanProblem) -> None:
        g = problem.groups
        assert isinstance(g, FixedGroups)
        self.masks = [_to_int(r) for r in g.members]
        self.weight = [float(x) for x in g.weight]
        self.cost = [float(x) for x in problem.net_cost]

    def moves(self, rep: BoolArray, allowed: int) -> list[tuple[int, float]]:
        """``(missing mask, gain)`` of each distinct move, gains over all groups."""
        r = _to_int(rep)
        by_miss: dict[int, float] = {}
        for mk, w in zip(self.masks, self.weight, strict=True):
            miss = mk & ~r
            if miss:
                by_miss[miss] = by_miss.get(miss, 0.0) + w
        by_low: dict[int, list[tuple[int, float]]] = {}
        for k, w in by_miss.items():
            by_low.setdefault((k & -k).bit_length(), []).append((k, w))
        out = []
        for miss in by_miss:
            if miss & ~allowed:
                continue
            if miss.bit_count() <= _SUBMASK_LIMIT:
                gain = sum(by_miss.get(s, 0.0) for s in _submasks(miss))
            else:
                gain = sum(
                    w for j in _bits(miss) for k, w in by_low.get(j + 1, ()) if not k & ~miss
                )
            out.append((miss, gain))
        return out


class _AdaptiveMoves:
    """Moves under adaptive routing: singletons and cheapest repair paths."""

    def __init__(self, problem: PlanProblem) -> None:
        self.p = problem
        net = problem.net
        self.tail = np.repeat(np.arange(net.n_nodes), np.diff(net.indptr))
        self.pos = np.full(net.n_nodes, -1, dtype=np.int64)
        self.pos[problem.candidates] = np.arange(problem.m)

    def _repair_sets(self, rep: BoolArray, clean: BoolArray) -> set[int]:
        p, net = self.p, self.p.net
        g = p.groups
        node_cost = np.zeros(net.n_nodes)
        open_ = p.candidates[~rep]
        node_cost[open_] = p.net_cost[~rep] + 1.0
        eps = 1e-9 * (1.0 + float(node_cost.max(initial=0.0)))
        w = node_cost[net.indices] + eps
        graph = csr_matrix((w, net.indices, net.indptr), shape=(net.n_nodes, net.n_nodes))
        todo = np.flatnonzero(~clean)
        srcs = np.unique(g.src_node[todo])  # type: ignore[union-attr]
        _, pred = dijkstra(graph, directed=True, indices=srcs, return_predecessors=True)
        row = {int(s): i for i, s in enumerate(srcs)}
        out: set[int] = set()
        for k in todo:
            s, t = int(g.src_node[k]), int(g.dst_node[k])  # type: ignore[union-attr]
            pr, v, mask = pred[row[s]], t, 0
            while v >= 0:
                j = int(self.pos[v])
                if j >= 0 and not rep[j]:
                    mask |= 1 << j
                v = int(pr[v]) if v != s else -1
            if mask:
                out.add(mask)
        return out

    def moves(self, rep: BoolArray, allowed: int) -> list[tuple[int, float]]:
        p = self.p
        clean = p.group_clean(rep)
        base = float(p.groups.weight[clean].sum())
        cands = self._repair_sets(rep, clean) | {1 << int(j) for j in np.flatnonzero(~rep)}
        out = []
        for mask in sorted(cands):
            if mask & ~allowed:
                continue
            trial = rep.copy()
            trial[list(_bits(mask))] = True
            out.append((mask, float(p.groups.weight[p.group_clean(trial)].sum()) - base))
        return out


def _best(
    moves: list[tuple[int, float]], cost: list[float], room: float
) -> tuple[int, float] | None:
    best: tuple[float, float, int] | None = None
    for mask, gain in moves:
        if gain <= TOL:
            continue
        c = sum(cost[j] for j in _bits(mask))
        if c > room + TOL:
            continue
        ratio = gain / c if c > 0 else float("inf")
        key = (ratio, gain, -mask)
        if best is None or key > best:
            best = key
    return None if best is None else (-best[2], best[0])


def _forced(problem: PlanProblem, phase_of: IntArray, p: int, room: float) -> list[int]:
    need = np.flatnonzero((problem.due == p) & (phase_of < 0))
    if float(problem.net_cost[need].sum()) > room + TOL:
        raise AnalysisError(
            f"the deadlines of phase {p + 1} need {problem.net_cost[need].sum():,.0f} "
            f"but its budget is {room:,.0f}",
            field="deadlines",
        )
    return [int(j) for j in need]


def greedy_plan(problem: PlanProblem) -> tuple[IntArray, list[Move]]:
    """The greedy plan: ``(phase_of, moves)``; deadline devices are bought first in the phase
    they are due. With goal ``min-cost`` it stops once every group is clean and raises
    :class:`AnalysisError` when the budget runs out first."""
    gen = _FixedMoves(problem) if problem.routing == "fixed" else _AdaptiveMoves(problem)
    cost = [float(x) for x in problem.net_cost]
    phase_of = np.full(problem.m, -1, dtype=np.int64)
    moves: list[Move] = []
    everything = (1 << problem.m) - 1
    for p in range(problem.phases):
        room = float(problem.budget[p])
        forced = _forced(problem, phase_of, p, room)
        if forced:
            phase_of[forced] = p
            room -= sum(cost[j] for j in forced)
            moves.append((p, tuple(forced)))
        while True:
            pick = _best(gen.moves(phase_of >= 0, everything), cost, room)
            if pick is None:
                break
            js = list(_bits(pick[0]))
            phase_of[js] = p
            room -= sum(cost[j] for j in js)
            moves.append((p, tuple(js)))
    if problem.goal == "min-cost" and not problem.group_clean(phase_of >= 0).all():
        raise AnalysisError("the budget does not suffice to make every demand clean (greedy)")
    return phase_of, moves


def order_moves(problem: PlanProblem, phase_of: IntArray) -> list[Move]:
    """Order a given plan's devices inside each phase by best marginal gain per cost
    (deadline devices first, devices that clean nothing on their own last)."""
    gen = _FixedMoves(problem) if problem.routing == "fixed" else _AdaptiveMoves(problem)
    cost = [float(x) for x in problem.net_cost]
    rep = np.zeros(problem.m, dtype=np.bool_)
    out: list[Move] = []
    for p in range(problem.phases):
        chosen = phase_of == p
        forced = [int(j) for j in np.flatnonzero(chosen & (problem.due == p))]
        if forced:
            rep[forced] = True
            out.append((p, tuple(forced)))
        allowed = sum(1 << int(j) for j in np.flatnonzero(chosen & ~rep))
        while allowed:
            pick = _best(gen.moves(rep, allowed), cost, float("inf"))
            if pick is None:
                break
            js = list(_bits(pick[0]))
            rep[js] = True
            allowed &= ~pick[0]
            out.append((p, tuple(js)))
        rest = [int(j) for j in np.flatnonzero(chosen & ~rep)]
        if rest:
            rep[rest] = True
            out.append((p, tuple(rest)))
    return out
