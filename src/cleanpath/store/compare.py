"""Compare two saved runs, and gate a run against a threshold and a baseline.

``diff_runs`` answers what an operator must show a regulator after a change: devices that
became covered or were replaced, sensitive flows that gained or lost exposure or a clean
path, and how the volume carried by each node changed. ``check_run`` turns that into a CI
gate: a list of offending flows, empty when the run passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cleanpath.errors import InputError

if TYPE_CHECKING:
    from cleanpath.store.db import Store

__all__ = ["CheckResult", "RunDiff", "check_run", "diff_runs"]

EPS = 1e-9
"""Exposure changes smaller than this are rounding, not change."""

_DEVICE_KEYED = """
SELECT node_id, coalesce(hostname, '') AS host, status, manufacturer, model, node_label,
       row_number() OVER (PARTITION BY node_id, coalesce(hostname, '') ORDER BY device_idx) AS k
FROM devices WHERE run_id = ?"""

_DEVICES = f"""
WITH a AS ({_DEVICE_KEYED}), b AS ({_DEVICE_KEYED})
SELECT coalesce(a.node_id, b.node_id) AS node_id, coalesce(a.node_label, b.node_label) AS label,
       nullif(coalesce(a.host, b.host), '') AS hostname,
       a.status AS status_a, a.manufacturer AS manufacturer_a, a.model AS model_a,
       b.status AS status_b, b.manufacturer AS manufacturer_b, b.model AS model_b
FROM a FULL OUTER JOIN b ON a.node_id = b.node_id AND a.host = b.host AND a.k = b.k
WHERE (b.status = 'covered' AND a.status IS DISTINCT FROM 'covered')
   OR (a.status = 'covered' AND b.status IS DISTINCT FROM 'covered')
ORDER BY node_id, hostname"""

_SENS = """
SELECT src, dst, sum(volume) AS volume,
       sum(coalesce(exposed_share, 0) * volume) / nullif(sum(volume), 0) AS share,
       bool_and(clean_path_exists) AS clean
FROM read_parquet(?) WHERE sensitive GROUP BY src, dst"""

_FLOWS = f"""
WITH a AS ({_SENS}), b AS ({_SENS})
SELECT coalesce(a.src, b.src) AS src, coalesce(a.dst, b.dst) AS dst,
       a.volume AS volume_a, b.volume AS volume_b, a.share AS exposed_share_a,
       b.share AS exposed_share_b, a.clean AS clean_path_a, b.clean AS clean_path_b
FROM a FULL OUTER JOIN b ON a.src = b.src AND a.dst = b.dst
WHERE abs(coalesce(b.share, 0) - coalesce(a.share, 0)) > ?
   OR coalesce(a.clean, false) <> coalesce(b.clean, false)
ORDER BY coalesce(b.share, 0) - coalesce(a.share, 0) DESC, src, dst"""

_NODES = """
SELECT coalesce(a.node_id, b.node_id) AS node_id, coalesce(a.label, b.label) AS label,
       coalesce(a.carried_volume, 0) AS volume_a, coalesce(b.carried_volume, 0) AS volume_b,
       coalesce(b.carried_volume, 0) - coalesce(a.carried_volume, 0) AS volume_delta,
       coalesce(b.carried_sensitive_volume, 0) - coalesce(a.carried_sensitive_volume, 0)
         AS sensitive_volume_delta
FROM (SELECT * FROM nodes WHERE run_id = ?) a
FULL OUTER JOIN (SELECT * FROM nodes WHERE run_id = ?) b ON a.node_id = b.node_id
WHERE abs(coalesce(b.carried_volume, 0) - coalesce(a.carried_volume, 0)) > ?
ORDER BY abs(volume_delta) DESC, node_id LIMIT ?"""

_OVER = """
SELECT demand, src, dst, volume, exposed_share, clean_path_exists
FROM read_parquet(?) WHERE sensitive AND routable AND exposed_share > ?
ORDER BY exposed_share * volume DESC, demand"""


@dataclass(frozen=True)
class RunDiff:
    """What changed from run ``a`` to run ``b``."""

    a: int
    b: int
    same_network: bool
    summary: dict[str, dict[str, Any]]
    became_covered: list[dict[str, Any]]
    replaced: list[dict[str, Any]]
    gained_exposure: list[dict[str, Any]]
    lost_exposure: list[dict[str, Any]]
    gained_clean_path: list[dict[str, Any]]
    lost_clean_path: list[dict[str, Any]]
    volume_deltas: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def counts(self) -> dict[str, int]:
        keys = ("became_covered", "replaced", "gained_exposure", "lost_exposure",
                "gained_clean_path", "lost_clean_path")  # fmt: skip
        return {k: len(getattr(self, k)) for k in keys}


def _summary_delta(sa: dict[str, Any], sb: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for k in sorted(set(sa) | set(sb)):
        va, vb = sa.get(k), sb.get(k)
        num = isinstance(va, int | float) and isinstance(vb, int | float)
        out[k] = {"a": va, "b": vb, "delta": (vb - va) if num else None}  # type: ignore[operator]
    return out


def _share(flow: dict[str, Any], side: str) -> float:
    return float(flow[f"exposed_share_{side}"] or 0.0)


def diff_runs(store: Store, a: int, b: int, *, top_nodes: int = 20) -> RunDiff:
    """Compare run ``a`` (before) with run ``b`` (after) of the same database."""
    ra, rb = store.run(a), store.run(b)
    devices = store._query(_DEVICES, [a, b])
    became = [d for d in devices if d["status_b"] == "covered"]
    replaced = [d for d in devices if d["status_a"] == "covered"]
    flows = store._query(_FLOWS, [str(store.demands_file(a)), str(store.demands_file(b)), EPS])
    parts: dict[str, list[dict[str, Any]]] = {
        "gained_exposure": [f for f in flows if _share(f, "b") > _share(f, "a") + EPS],
        "lost_exposure": [f for f in flows if _share(f, "a") > _share(f, "b") + EPS],
        "gained_clean_path": [f for f in flows if f["clean_path_b"] and not f["clean_path_a"]],
        "lost_clean_path": [f for f in flows if f["clean_path_a"] and not f["clean_path_b"]],
    }
    nodes = store._query(_NODES, [a, b, EPS, top_nodes])
    return RunDiff(
        a=a, b=b, same_network=ra["network"] == rb["network"],
        summary=_summary_delta(ra["summary"], rb["summary"]),
        became_covered=became, replaced=replaced, volume_deltas=nodes, **parts,
    )  # fmt: skip


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a gate: ``ok`` when no flow offends."""

    run_id: int
    baseline: int | None
    max_sensitive_exposure: float
    over_threshold: list[dict[str, Any]]
    gained_exposure: list[dict[str, Any]]
    unlisted_exposed: int = 0
    """Exposed sensitive flows an all-pairs run counted but did not keep (it keeps only
    its worst demands): they fail a zero-exposure gate without being listed."""
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.over_threshold and not self.gained_exposure and not self.unlisted_exposed

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["ok"] = self.ok
        return d


def check_run(
    store: Store, run_id: int, *, baseline: int | None = None, max_sensitive_exposure: float = 0.0
) -> CheckResult:
    """Sensitive flows whose exposed share exceeds ``max_sensitive_exposure``, and (with a
    ``baseline`` run) sensitive flows that gained exposure since it."""
    if not 0.0 <= max_sensitive_exposure <= 1.0:
        raise InputError(f"must be between 0 and 1, got {max_sensitive_exposure}",
                         field="max-sensitive-exposure")  # fmt: skip
    over = store._query(_OVER, [str(store.demands_file(run_id)), max_sensitive_exposure + EPS])
    gained: list[dict[str, Any]] = []
    if baseline is not None:
        gained = diff_runs(store, baseline, run_id).gained_exposure
    run = store.run(run_id)
    unlisted = 0
    notes: tuple[str, ...] = ()
    if run.get("demands_scope") == "worst":
        notes = ("this all-pairs run kept only its worst demands; flows beyond them were "
                 "checked through the run's totals only",)  # fmt: skip
        if max_sensitive_exposure == 0.0:
            exposed = int(run["summary"].get("sensitive_flows_exposed", 0))
            unlisted = max(0, exposed - len(over))
    return CheckResult(run_id, baseline, max_sensitive_exposure, over, gained, unlisted, notes)
