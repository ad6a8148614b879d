"""The replacement planner: known optima, brute force, greedy <= MILP, budgets, deadlines."""

from __future__ import annotations

import numpy as np
import pytest

from cleanpath.analysis.planner import build_problem, plan, solve
from cleanpath.domain import LinkRecord, NodeRecord, Topology
from cleanpath.errors import AnalysisError
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network, build_network

from .test_planner_cases import brute_force, random_case


def diamond() -> Network:
    """s - {x, y} - t: two disjoint two-hop paths through untrusted x and y, plus a long
    trusted detour s - p - q - r - t."""
    t = Topology("diamond", tuple(NodeRecord(n, n) for n in ("s", "x", "y", "t", "p", "q", "r")), (
        LinkRecord("1", "s", "x"), LinkRecord("2", "x", "t"), LinkRecord("3", "s", "y"),
        LinkRecord("4", "y", "t"), LinkRecord("5", "s", "p"), LinkRecord("6", "p", "q"),
        LinkRecord("7", "q", "r"), LinkRecord("8", "r", "t"),
    ))  # fmt: skip
    return build_network(t, untrusted=["x", "y"])


def test_fixed_needs_both_ecmp_devices() -> None:
    net = diamond()
    dem = Demands.from_arrays(net, [0], [3], [10.0], [True])
    cheap = plan(net, dem, costs={"x": 5.0, "y": 5.0}, budget=5.0)
    assert cheap.replaced == ()
    assert cheap.objective_value == 0.0
    both = plan(net, dem, costs={"x": 5.0, "y": 5.0}, budget=10.0)
    assert set(both.replaced) == {"x", "y"}
    assert both.objective_value == 10.0
    assert both.optimality_gap == pytest.approx(0.0, abs=1e-9)


def test_adaptive_is_clean_already_by_the_detour() -> None:
    net = diamond()
    dem = Demands.from_arrays(net, [0], [3], [10.0], [True])
    p = plan(net, dem, costs={"x": 5.0, "y": 5.0}, budget=0.0, routing="adaptive")
    assert p.replaced == ()
    assert p.objective_value == 10.0
    assert p.clean_volume_before == 10.0


def test_adaptive_one_device_suffices_without_detour() -> None:
    t = Topology("d2", tuple(NodeRecord(n, n) for n in "sxyt"), (
        LinkRecord("1", "s", "x"), LinkRecord("2", "x", "t"),
        LinkRecord("3", "s", "y"), LinkRecord("4", "y", "t")))  # fmt: skip
    net = build_network(t, untrusted=["x", "y"])
    dem = Demands.from_arrays(net, [0], [3], [10.0], [True])
    p = plan(net, dem, costs={"x": 7.0, "y": 3.0}, budget=100.0, routing="adaptive",
             objective="min-cost")  # fmt: skip
    assert p.replaced == ("y",)
    assert p.objective_value == 3.0
    f = plan(net, dem, costs={"x": 7.0, "y": 3.0}, budget=100.0, objective="min-cost")
    assert set(f.replaced) == {"x", "y"}
    assert f.objective_value == 10.0


@pytest.mark.parametrize("routing", ["fixed", "adaptive"])
@pytest.mark.parametrize(("phases", "budget"), [(1, 60.0), (2, [30.0, 40.0])])
@pytest.mark.parametrize("seed", range(6))
def test_milp_agrees_with_brute_force(seed: int, routing: str, phases: int, budget: object) -> None:
    net, dem, costs = random_case(seed)
    pr = build_problem(net, dem, costs=costs, budget=budget, phases=phases, subsidy=0.25,
                       routing=routing)  # type: ignore[arg-type]  # fmt: skip
    best = brute_force(pr)
    assert best is not None
    milp = solve(pr)
    assert milp.objective_value == pytest.approx(best[0], rel=1e-9, abs=1e-9)
    assert milp.optimality_gap is not None
    assert milp.optimality_gap <= 1e-6
    greedy = solve(pr, solver="greedy")
    assert greedy.objective_value <= milp.objective_value + 1e-9


@pytest.mark.parametrize("routing", ["fixed", "adaptive"])
@pytest.mark.parametrize("seed", range(4))
def test_min_cost_agrees_with_brute_force(seed: int, routing: str) -> None:
    net, dem, costs = random_case(seed + 100)
    pr = build_problem(net, dem, costs=costs, budget=float("inf"), objective="min-cost",
                       routing=routing)  # type: ignore[arg-type]  # fmt: skip
    best = brute_force(pr)
    assert best is not None
    milp = solve(pr, objective="min-cost")
    assert milp.objective_value == pytest.approx(best[0])
    assert milp.phases[-1].clean_share_after == pytest.approx(1.0)
    greedy = solve(pr, objective="min-cost", solver="greedy")
    assert greedy.objective_value >= milp.objective_value - 1e-9


@pytest.mark.parametrize("solver", ["milp", "greedy"])
@pytest.mark.parametrize("seed", range(4))
def test_budget_per_phase_and_subsidy(seed: int, solver: str) -> None:
    net, dem, costs = random_case(seed, n=12, n_untrusted=6, n_demands=20)
    budgets = [25.0, 15.0, 30.0]
    p = plan(net, dem, costs=costs, budget=budgets, phases=3, subsidy=0.395,
             solver=solver)  # type: ignore[arg-type]  # fmt: skip
    for ph, b in zip(p.phases, budgets, strict=True):
        assert ph.net_cost <= b + 1e-9
        assert ph.cost == pytest.approx(sum(costs[d] for d in ph.devices))
        assert ph.subsidy == pytest.approx(0.395 * ph.cost)
    shares = [ph.clean_share_after for ph in p.phases]
    assert shares == sorted(shares)
    assert len(set(p.replaced)) == len(p.replaced)


def test_deadlines_respected_and_infeasible_deadline_reported() -> None:
    net, dem, costs = random_case(3, n=12, n_untrusted=6, n_demands=20)
    late = max(costs, key=lambda k: (costs[k], k))
    for solver in ("milp", "greedy"):
        p = plan(net, dem, costs=costs, budget=[60.0, 60.0], phases=2, deadlines={late: 0},
                 solver=solver)  # type: ignore[arg-type]  # fmt: skip
        assert late in p.phases[0].devices
    with pytest.raises(AnalysisError, match="deadline"):
        plan(net, dem, costs=costs, budget=[1.0, 60.0], phases=2, deadlines={late: 0},
             solver="greedy")  # fmt: skip


def test_curve_is_monotone_and_ends_at_plan() -> None:
    net, dem, costs = random_case(5, n=14, n_untrusted=7, n_demands=30)
    p = plan(net, dem, costs=costs, budget=[40.0, 40.0], phases=2, objective="total")
    cost = [c.cost for c in p.curve]
    vol = [c.clean_volume for c in p.curve]
    assert cost == sorted(cost)
    assert vol == sorted(vol)
    assert cost[-1] == pytest.approx(p.cost)
    assert vol[-1] == pytest.approx(p.phases[-1].clean_volume_after)
    doc = p.to_dict()
    assert {"replaced", "objective_value", "cost", "optimality_gap", "solver", "phases"} <= set(doc)
    assert set(doc["phases"][0]) >= {"devices", "cost", "subsidy", "clean_share_after"}


def test_bad_inputs_raise_one_clear_error() -> None:
    net = diamond()
    dem = Demands.from_arrays(net, [0], [3], [10.0], [True])
    with pytest.raises(AnalysisError, match="no cost"):
        plan(net, dem, costs={"x": 1.0}, budget=5.0)
    with pytest.raises(AnalysisError, match="subsidy"):
        plan(net, dem, costs=1.0, budget=5.0, subsidy=1.5)
    with pytest.raises(AnalysisError, match="budgets"):
        plan(net, dem, costs=1.0, budget=[1.0, 2.0], phases=3)
    with pytest.raises(AnalysisError, match="routing"):
        plan(net, dem, costs=1.0, budget=1.0, routing="magic")  # type: ignore[arg-type]


def test_replacing_more_never_lowers_clean_volume() -> None:
    rng = np.random.default_rng(0)
    for seed in range(5):
        net, dem, costs = random_case(seed, n=12, n_untrusted=6, n_demands=25)
        for routing in ("fixed", "adaptive"):
            pr = build_problem(net, dem, costs=costs, budget=1.0, routing=routing)  # type: ignore[arg-type]
            rep = np.zeros(pr.m, dtype=np.bool_)
            last = pr.clean_weight(rep)
            for j in rng.permutation(pr.m):
                rep[j] = True
                now = pr.clean_weight(rep)
                assert now >= last - 1e-12
                last = now
            assert last == pytest.approx(pr.total_weight - pr.groups.unroutable_weight)


@pytest.mark.parametrize("seed", range(5))
def test_untrusted_sets_match_networkx_shortest_paths(seed: int) -> None:
    import networkx as nx

    from cleanpath.analysis.planner_groups import untrusted_sets

    net, dem, _ = random_case(seed, n=11, n_untrusted=4, n_demands=30)
    g = nx.DiGraph()
    for u in range(net.n_nodes):
        for a in range(int(net.indptr[u]), int(net.indptr[u + 1])):
            g.add_edge(u, int(net.indices[a]), weight=float(net.weight[a]))
    bits, ok, cand = untrusted_sets(net, dem.src, dem.dst)
    for k, (s, t) in enumerate(zip(dem.src, dem.dst, strict=True)):
        on_paths = {v for p in nx.all_shortest_paths(g, int(s), int(t), weight="weight") for v in p}
        want = {int(v) for v in on_paths if net.untrusted[v]}
        got = {
            int(cand[j])
            for j in range(cand.shape[0])
            if bits[k, j // 64] >> np.uint64(j % 64) & np.uint64(1)
        }
        assert ok[k]
        assert got == want


@pytest.mark.parametrize("routing", ["fixed", "adaptive"])
def test_min_cost_beyond_budget_is_an_error(routing: str) -> None:
    from cleanpath.errors import CleanpathError

    net = diamond()
    dem = Demands.from_arrays(net, [1], [3], [10.0], [True])  # x -> t: x must go
    with pytest.raises(CleanpathError, match="budget"):
        plan(net, dem, costs={"x": 50.0, "y": 5.0}, budget=10.0, objective="min-cost",
             routing=routing)  # type: ignore[arg-type]  # fmt: skip
