"""The replacement-planning problem shared by the MILP, the greedy heuristic and the tests.

Candidates are the untrusted nodes (replacing a node replaces every covered device in it).
A *solution* assigns each candidate the phase it is replaced in, or -1 (kept). Budgets are
per phase, in the operator's money: ``cost × (1 − subsidy)``; money not spent in a phase is
not carried over. The objective of ``maximise`` is the clean weight summed over the phases
(the area under the clean-volume curve: clean the most, soonest; with one phase it is the
clean volume); ``min-cost`` minimises the total cost of making every weighted demand clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from cleanpath.analysis.planner_groups import AdaptiveGroups, FixedGroups, clean_pairs
from cleanpath.errors import AnalysisError
from cleanpath.model.network import Network

__all__ = ["Goal", "PlanProblem", "Routing"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

Routing = Literal["fixed", "adaptive"]
Goal = Literal["maximise", "min-cost"]
TOL = 1e-9


@dataclass(frozen=True, eq=False)
class PlanProblem:
    """One planning instance over ``groups.candidates`` (node indices of ``net``).

    ``cost`` is the gross cost per candidate, ``budget[p]`` the operator's money in phase
    ``p`` (``inf`` for no limit) and ``due[j]`` the last phase by which candidate ``j`` must
    be replaced (-1: no deadline).
    """

    net: Network
    groups: FixedGroups | AdaptiveGroups
    cost: FloatArray
    subsidy: float
    budget: FloatArray
    due: IntArray
    goal: Goal = "maximise"

    def __post_init__(self) -> None:
        m = self.candidates.shape[0]
        if self.cost.shape != (m,) or self.due.shape != (m,):
            raise AnalysisError("cost and deadline arrays must have one entry per candidate")
        if not 0.0 <= self.subsidy < 1.0:
            raise AnalysisError(f"subsidy share {self.subsidy} is not in [0, 1)", field="subsidy")
        if self.budget.shape[0] < 1 or np.any(self.budget < 0):
            raise AnalysisError("need at least one phase and budgets >= 0", field="budget")
        if np.any(self.cost < 0) or not np.all(np.isfinite(self.cost)):
            raise AnalysisError("device costs must be finite and >= 0", field="costs")
        if np.any(self.due >= self.phases):
            raise AnalysisError("a deadline falls after the last phase", field="deadlines")

    @property
    def routing(self) -> Routing:
        return "fixed" if isinstance(self.groups, FixedGroups) else "adaptive"

    @property
    def candidates(self) -> IntArray:
        return self.groups.candidates

    @property
    def m(self) -> int:
        return int(self.candidates.shape[0])

    @property
    def phases(self) -> int:
        return int(self.budget.shape[0])

    @property
    def net_cost(self) -> FloatArray:
        """What the operator pays per candidate after the subsidy."""
        return self.cost * (1.0 - self.subsidy)

    # -- evaluation ----------------------------------------------------------------------
    def group_clean(self, replaced: BoolArray) -> BoolArray:
        """Which groups are clean when the candidates in ``replaced`` are replaced."""
        g = self.groups
        if isinstance(g, FixedGroups):
            if g.n_groups == 0:
                return np.zeros(0, dtype=np.bool_)
            return np.asarray(~(g.members & ~replaced[None, :]).any(axis=1), dtype=np.bool_)
        allowed = ~self.net.untrusted.copy()
        allowed[self.candidates[replaced]] = True
        return clean_pairs(self.net, allowed, g.src_node, g.dst_node)

    def clean_weight(self, replaced: BoolArray) -> float:
        """Clean weight (already-clean demands included) after replacing ``replaced``."""
        return self.groups.clean_weight + float(
            self.groups.weight[self.group_clean(replaced)].sum()
        )

    @property
    def total_weight(self) -> float:
        g = self.groups
        return g.clean_weight + g.unroutable_weight + float(g.weight.sum())

    def objective(self, phase_of: IntArray) -> float:
        """The objective value of an assignment (see module docstring)."""
        if self.goal == "min-cost":
            return float(self.cost[phase_of >= 0].sum())
        return sum(self.clean_weight((phase_of >= 0) & (phase_of <= p)) for p in range(self.phases))

    def feasible(self, phase_of: IntArray) -> bool:
        """Budgets, deadlines and (for min-cost) full cleanliness hold."""
        spend = self.spend(phase_of)
        if np.any(spend > self.budget * (1 + 1e-9) + TOL):
            return False
        dl = self.due >= 0
        if np.any((phase_of[dl] < 0) | (phase_of[dl] > self.due[dl])):
            return False
        if self.goal == "min-cost":
            return bool(self.group_clean(phase_of >= 0).all())
        return True

    def spend(self, phase_of: IntArray) -> FloatArray:
        """The operator's money spent per phase."""
        out = np.zeros(self.phases)
        sel = phase_of >= 0
        np.add.at(out, phase_of[sel], self.net_cost[sel])
        return out
