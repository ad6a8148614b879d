"""Device replacement costs (``kb/data/costs.yaml``) and per-node cost overrides (CSV).

Every cost entry carries its kind (``reported`` with a source, or ``estimate`` with a basis),
date and confidence; ``program`` holds dated facts about the FCC reimbursement program (the
39.5 % prorated payment share). Lookup order: exact model, then role, then role
``unknown``.

>>> table = load_costs()
>>> e = table.lookup("core", None)
>>> e.role, e.kind, e.cost > 0
('core', 'estimate', True)
>>> table.lookup(None, None).role
'unknown'
>>> table.program_value("subsidy_share_prorated")
0.395
>>> parse_node_costs("node,cost\\nA,1000\\nB,2.5e3\\n")
{'A': 1000.0, 'B': 2500.0}
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cleanpath.errors import InputError, KnowledgeBaseError

__all__ = [
    "COSTS_PATH",
    "CostEntry",
    "CostTable",
    "ProgramFact",
    "load_costs",
    "parse_costs",
    "parse_node_costs",
    "read_node_costs",
]

COSTS_PATH = Path(__file__).resolve().parent / "data" / "costs.yaml"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: str
    model: str | None = None
    cost: float = Field(ge=0)
    kind: Literal["reported", "estimate"]
    basis: str | None = None
    source: str | None = None
    date: str
    confidence: str


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    value: float
    statement: str
    date: str
    source: str
    confidence: str


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    currency: str
    program: list[_Fact] = []
    costs: list[_Entry]


@dataclass(frozen=True, slots=True)
class CostEntry:
    """One cost figure with its provenance."""

    role: str
    model: str | None
    cost: float
    kind: str
    basis: str | None
    source: str | None
    date: str
    confidence: str


@dataclass(frozen=True, slots=True)
class ProgramFact:
    key: str
    value: float
    statement: str
    date: str
    source: str
    confidence: str


@dataclass(frozen=True)
class CostTable:
    """Costs by role and model, plus program facts."""

    version: str
    currency: str
    entries: tuple[CostEntry, ...]
    program: Mapping[str, ProgramFact]

    def lookup(self, role: str | None, model: str | None) -> CostEntry:
        """The entry for ``model`` (case-insensitive), else ``role``, else ``unknown``."""
        if model:
            for e in self.entries:
                if e.model is not None and e.model.casefold() == model.casefold():
                    return e
        for want in (role, "unknown"):
            for e in self.entries:
                if e.model is None and want is not None and e.role == want.casefold():
                    return e
        raise KnowledgeBaseError("the cost table has no role 'unknown' fallback")

    def program_value(self, key: str) -> float:
        try:
            return self.program[key].value
        except KeyError:
            raise KnowledgeBaseError(f"no program fact {key!r} in the cost table") from None


def parse_costs(text: str, *, source: str | None = None) -> CostTable:
    """Validate a costs YAML document; InputError names the file and the bad field."""
    try:
        raw = yaml.safe_load(text)
        f = _File.model_validate(raw)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError(f"not valid YAML: {exc}", path=source,
                         line=None if line is None else line + 1) from None  # fmt: skip
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise InputError(err["msg"], path=source, field=where) from None
    entries = tuple(
        CostEntry(e.role.casefold(), e.model, e.cost, e.kind, e.basis, e.source, e.date,
                  e.confidence)
        for e in f.costs
    )  # fmt: skip
    for e in entries:
        if e.kind == "reported" and not e.source:
            raise InputError(f"reported cost for {e.role!r} has no source", path=source,
                             field="costs")  # fmt: skip
        if e.kind == "estimate" and not e.basis:
            raise InputError(f"estimate for {e.role!r} has no basis", path=source, field="costs")
    facts = {p.key: ProgramFact(p.key, p.value, p.statement, p.date, p.source, p.confidence)
             for p in f.program}  # fmt: skip
    return CostTable(f.version, f.currency, entries, facts)


@cache
def load_costs(path: Path | None = None) -> CostTable:
    """The shipped cost table (or the one at ``path``)."""
    p = COSTS_PATH if path is None else path
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read cost table: {exc.strerror}", path=str(p)) from None
    return parse_costs(text, source=str(p))


def parse_node_costs(text: str, *, source: str | None = None) -> dict[str, float]:
    """A CSV ``node,cost`` (header required) → node id → cost. A bad row raises InputError
    naming the file and line."""
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(rows, None)
    if header is None or [h.strip().lower() for h in header[:2]] != ["node", "cost"]:
        raise InputError("the first line must be the header 'node,cost'", path=source, line=1)
    out: dict[str, float] = {}
    for k, row in enumerate(rows, start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2 or not row[0].strip():
            raise InputError("need a node id and a cost", path=source, line=k)
        try:
            value = float(row[1])
        except ValueError:
            raise InputError(f"cost is not a number: {row[1]!r}", path=source, line=k,
                             field="cost") from None  # fmt: skip
        if not value >= 0 or value == float("inf"):
            raise InputError(f"cost must be finite and >= 0: {row[1]!r}", path=source, line=k,
                             field="cost")  # fmt: skip
        out[row[0].strip()] = value
    return out


def read_node_costs(path: str | Path) -> dict[str, float]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read costs: {exc.strerror}", path=str(path)) from None
    return parse_node_costs(text, source=str(path))
