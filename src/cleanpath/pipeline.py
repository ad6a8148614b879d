"""The audit pipeline: inputs → identifications → verdicts → network → exposure → results.

Pure: it takes parsed inputs and returns frozen results; reading files, the clock and the
terminal stay with the caller (CLI, web, demo).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from cleanpath.analysis.allpairs import AllPairsExposure, exposure_all_pairs
from cleanpath.analysis.exposure import ExposureResult, exposure
from cleanpath.domain import CoverStatus, DemandRecord, Inventory, SiteRecord, Skipped, Topology
from cleanpath.errors import AnalysisError, InputError, ModelError
from cleanpath.model.demands import Demands
from cleanpath.model.network import Network, WeightSpec, build_network
from cleanpath.model.sites import AttachedSite, attach_sites, site_demands

if TYPE_CHECKING:
    from cleanpath.identify import Identification
    from cleanpath.kb import KnowledgeBase, Verdict

__all__ = ["AuditResult", "DemandSpec", "NodeVerdict", "audit"]

STREAM_ABOVE = 4_000_000
"""All-pairs demand sets larger than this are streamed (totals, histogram, worst demands)
instead of listed one by one."""

_RANK = {CoverStatus.COVERED: 2, CoverStatus.UNKNOWN: 1, CoverStatus.NOT_COVERED: 0}


@dataclass(frozen=True, slots=True)
class NodeVerdict:
    """The verdict of a node: the worst verdict among its devices, with the deciding one."""

    node: str
    status: CoverStatus
    devices: int
    manufacturer: str | None = None
    model: str | None = None
    reason: str = ""
    identification: Identification | None = None
    verdict: Verdict | None = None


@dataclass(frozen=True, slots=True)
class DemandSpec:
    """Where demands come from: records (a file or the topology's own), all pairs, or a
    seeded gravity model; plus sensitive site demands added on top."""

    records: tuple[DemandRecord, ...] | None = None
    all_pairs: bool = False
    gravity_total: float | None = None
    seed: int = 0


@dataclass(frozen=True, eq=False)
class AuditResult:
    """Everything one audit found, ready for reports, storage and the JSON contract."""

    topology: Topology
    network: Network
    node_verdicts: tuple[NodeVerdict, ...]
    identifications: tuple[Identification, ...]
    verdicts: tuple[Verdict, ...]
    exposure: ExposureResult | AllPairsExposure
    sites: tuple[AttachedSite, ...]
    hubs: tuple[AttachedSite, ...]
    policy: str
    as_of: date
    kb_version: str
    skipped: tuple[Skipped, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        s: dict[str, Any] = dict(self.exposure.summary())
        counts = {st: 0 for st in CoverStatus}
        for v in self.verdicts:
            counts[v.status] += 1
        s.update(
            devices=len(self.verdicts),
            covered_devices=counts[CoverStatus.COVERED],
            unknown_devices=counts[CoverStatus.UNKNOWN],
            not_covered_devices=counts[CoverStatus.NOT_COVERED],
            skipped_records=len(self.skipped),
            sites=len(self.sites),
        )
        return s

    def to_json_contract(
        self, *, top: int | None = 100, all_demands: bool = False
    ) -> dict[str, Any]:
        """The machine-readable contract of ``cleanpath audit --format json``."""
        ex = self.exposure
        if all_demands and isinstance(ex, AllPairsExposure):
            raise AnalysisError(
                f"{len(ex.network.node_ids)} nodes give too many all-pairs demands to list; "
                "use --top N",
                field="all-demands",
            )
        ids = ex.worst(None if all_demands else top)
        return {
            "network": self.network.name,
            "policy": self.policy,
            "as_of": self.as_of.isoformat(),
            "kb_version": self.kb_version,
            "nodes": ex.node_rows(),
            "demands": [ex.demand_row(int(k)) for k in ids],
            "summary": self.summary(),
            "skipped": [str(s) for s in self.skipped],
        }


def _node_lookup(net: Network) -> dict[str, int]:
    """Node id → index, plus unique labels (inventories often name nodes by label)."""
    out: dict[str, int] = {}
    label_count: dict[str, int] = {}
    for lab in net.labels:
        label_count[lab] = label_count.get(lab, 0) + 1
    for i, lab in enumerate(net.labels):
        if label_count[lab] == 1:
            out[lab] = i
    for i, nid in enumerate(net.node_ids):
        out[nid] = i
    return out


def node_verdicts_from(
    net: Network, identifications: Sequence[Identification], verdicts: Sequence[Verdict]
) -> tuple[list[NodeVerdict], list[Skipped]]:
    """Aggregate device verdicts per node (worst wins); devices on unknown nodes are skipped."""
    lookup = _node_lookup(net)
    best: dict[int, NodeVerdict] = {}
    count: dict[int, int] = {}
    skipped: list[Skipped] = []
    for ident, v in zip(identifications, verdicts, strict=True):
        dev = ident.device
        i = lookup.get(dev.node)
        if i is None:
            skipped.append(
                Skipped(dev.source, dev.line, f"device names node {dev.node!r}, not in network")
            )
            continue
        count[i] = count.get(i, 0) + 1
        cur = best.get(i)
        if cur is None or _RANK[v.status] > _RANK[cur.status]:
            best[i] = NodeVerdict(
                net.node_ids[i], v.status, 0, ident.manufacturer_name or ident.manufacturer,
                ident.model, v.reason, ident, v,
            )  # fmt: skip
    out = []
    for i in range(net.n_nodes):
        nv = best.get(i)
        if nv is None:
            out.append(NodeVerdict(net.node_ids[i], CoverStatus.UNKNOWN, 0, reason="no device"))
        else:
            out.append(
                NodeVerdict(nv.node, nv.status, count[i], nv.manufacturer, nv.model, nv.reason,
                            nv.identification, nv.verdict)
            )  # fmt: skip
    return out, skipped


def _demands(
    net: Network, topology: Topology, spec: DemandSpec, extra: Sequence[DemandRecord]
) -> Demands:
    from cleanpath.model.demands import gravity_demands

    if spec.records is not None:
        base = Demands.from_records(net, spec.records)
    elif spec.all_pairs:
        base = Demands.all_pairs_of(net)
        if extra or len(base) <= STREAM_ABOVE:
            base = base.materialize()
    elif spec.gravity_total is not None:
        base = gravity_demands(net, total=spec.gravity_total, seed=spec.seed)
    elif topology.demands:
        base = Demands.from_records(net, topology.demands)
    else:
        base = Demands.all_pairs_of(net)
        if extra or len(base) <= STREAM_ABOVE:
            base = base.materialize()
    if not extra:
        return base
    return base + Demands.from_records(net, extra)


def _engine_options(engine: str, scheduler: str | None) -> dict[str, Any]:
    """Keyword arguments of the exposure engines for ``engine`` and a Dask ``scheduler``
    address (None: a LocalCluster on this machine)."""
    if scheduler is not None and engine != "dask":
        raise AnalysisError("a scheduler address needs engine 'dask'", field="scheduler")
    return {"engine": engine} | ({"scheduler": scheduler} if scheduler else {})


def audit(
    topology: Topology,
    *,
    kb: KnowledgeBase,
    as_of: date,
    inventory: Inventory | None = None,
    untrusted_nodes: Sequence[str] | None = None,
    demands: DemandSpec = DemandSpec(),
    sites: Sequence[SiteRecord] = (),
    hubs: Sequence[SiteRecord] = (),
    weight: WeightSpec = "auto",
    policy: str = "us-fcc",
    unknown_is_untrusted: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AuditResult:
    """Run one audit of ``topology``.

    Trust comes from the inventory's verdicts under ``policy`` as of ``as_of`` (a node is
    untrusted when any of its devices is covered, or unknown with ``unknown_is_untrusted``)
    and/or from ``untrusted_nodes`` (node ids). Sensitive demands: from each site's nearest
    node to each hub's node and back; without hubs, every demand from or to a site node is
    marked sensitive. ``engine="dask"`` routes on Dask workers: a LocalCluster, or the cluster
    whose ``scheduler`` address (``tcp://host:port``) is given; results equal the local ones.
    """
    from cleanpath.identify import identify

    net = build_network(topology, weight=weight)
    idents: tuple[Identification, ...] = ()
    verdicts: tuple[Verdict, ...] = ()
    skipped: list[Skipped] = list(inventory.skipped) if inventory else []
    mask = np.zeros(net.n_nodes, dtype=np.bool_)
    pol = kb.policy(policy)
    if inventory is not None:
        idents = tuple(identify(inventory.devices, kb))
        verdicts = tuple(pol.verdict(i, as_of=as_of) for i in idents)
    nvs, skipped_dev = node_verdicts_from(net, idents, verdicts)
    skipped += skipped_dev
    for i, nv in enumerate(nvs):
        if nv.devices and (
            nv.status == CoverStatus.COVERED
            or (unknown_is_untrusted and nv.status == CoverStatus.UNKNOWN)
        ):
            mask[i] = True
    if untrusted_nodes:
        lookup = _node_lookup(net)
        for nid in untrusted_nodes:
            if nid not in lookup:
                raise InputError(f"unknown node id {nid!r} (not in {net.name!r})",
                                 field="untrusted-nodes")  # fmt: skip
            mask[lookup[nid]] = True
    net = net.with_untrusted(mask)
    att_sites = attach_sites(net, sites) if sites else ()
    att_hubs = attach_sites(net, hubs) if hubs else ()
    extra = site_demands(att_sites, att_hubs) if att_hubs else ()
    dem = _demands(net, topology, demands, extra)
    if att_sites and not att_hubs:
        site_nodes = np.zeros(net.n_nodes, dtype=np.bool_)
        site_nodes[[net.index_of(s.node) for s in att_sites]] = True
        if dem.all_pairs:
            dem = Demands.all_pairs_of(net, sensitive_nodes=site_nodes)
        else:
            dem = dem.with_sensitive(dem.sensitive | site_nodes[dem.src] | site_nodes[dem.dst])
    if len(dem) == 0:
        raise ModelError(f"no demands to route in {net.name!r}")
    ex: ExposureResult | AllPairsExposure
    run_on = _engine_options(engine, scheduler)
    if dem.all_pairs:
        ex = exposure_all_pairs(net, volume=dem.pair_volumes, sensitive_nodes=dem.pair_sensitive,
                                progress=progress, **run_on)  # fmt: skip
    else:
        ex = exposure(net, dem, progress=progress, **run_on)
    return AuditResult(
        topology=topology,
        network=net,
        node_verdicts=tuple(nvs),
        identifications=idents,
        verdicts=verdicts,
        exposure=ex,
        sites=att_sites,
        hubs=att_hubs,
        policy=policy,
        as_of=as_of,
        kb_version=kb.version,
        skipped=tuple(skipped),
        settings={"weight": weight, "unknown_is_untrusted": unknown_is_untrusted,
                  "seed": demands.seed},
    )  # fmt: skip


def content_hash(data: bytes) -> str:
    """sha256 of input bytes, as stored with every run."""
    return hashlib.sha256(data).hexdigest()
