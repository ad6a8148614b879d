"""Engine == networkx reference on every Topology Zoo and every SNDlib network in ../shared/data.

Zoo: seeded 10-20 % untrusted nodes, all-pairs unit demands (pairs touching a seeded ~10 % of
"sensitive" nodes are sensitive), run by the explicit engine and by the streamed all-pairs
one. Even-numbered files (sorted by name) route on unit weights, as Zoo files have none;
odd-numbered ones on seeded integer weights 1..3 (more ECMP ties of unequal hop count).
Networks above ``MAX_ALL_PAIRS_NODES`` nodes (only Kdl, 754 nodes) use the demands from
every node to a seeded sample of ``SAMPLED_DESTINATIONS`` destinations, as the plain-Python
reference is slow.

SNDlib (native files): the file's own demands, a seeded 30 % of them sensitive, routed on
link lengths (great-circle km for geographical instances, Euclidean distance for pixel
layouts): float weights, where ECMP ties are exact-equality ties.
"""

from __future__ import annotations

import math
import os
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cleanpath.analysis.allpairs import exposure_all_pairs
from cleanpath.domain import CoordinateKind, LinkRecord, NodeRecord, Topology
from cleanpath.ingest.topology import read_topology
from cleanpath.model.demands import Demands
from cleanpath.model.network import build_network, haversine_km

from .helpers import check_case
from .test_exposure_all_pairs import assert_all_pairs

pytestmark = pytest.mark.shared

MAX_ALL_PAIRS_NODES = 400
SAMPLED_DESTINATIONS = 100


def _names(sub: str, pattern: str) -> list[str]:
    """File names for parametrization (the ``shared_data`` fixture skips when absent)."""
    env = os.environ.get("CLEANPATH_SHARED_DATA")
    base = Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"
    found = sorted(p.name for p in (base / "topologies" / sub).glob(pattern))
    return found or ["<absent>"]


ZOO = _names("zoo", "*.graphml")
SNDLIB = _names("sndlib/native", "*.txt")


def _seed(name: str) -> int:
    return zlib.crc32(name.encode())


def _pick(rng: np.random.Generator, n: int, lo: float, hi: float) -> np.ndarray:
    k = max(1, round(rng.uniform(lo, hi) * n))
    return rng.choice(n, size=min(k, n), replace=False)


def _with_weights(t: Topology, weights: list[float]) -> Topology:
    links = tuple(replace(lk, weight=w) for lk, w in zip(t.links, weights, strict=True))
    return replace(t, links=links)


@pytest.mark.parametrize("name", ZOO)
def test_zoo_engine_matches_reference(shared_data: Path, name: str) -> None:
    t = read_topology(shared_data / "topologies" / "zoo" / name)
    rng = np.random.default_rng(_seed(name))
    integer = ZOO.index(name) % 2 == 1
    t = _with_weights(t, [float(rng.integers(1, 4)) if integer else 1.0 for _ in t.links])
    n = len(t.nodes)
    bad = [t.nodes[i].id for i in _pick(rng, n, 0.10, 0.20)]
    net = build_network(t, untrusted=bad)
    sens_nodes = np.zeros(n, dtype=np.bool_)
    sens_nodes[_pick(rng, n, 0.05, 0.15)] = True
    if n <= MAX_ALL_PAIRS_NODES:
        dem = Demands.all_pairs_of(net, sensitive_nodes=sens_nodes)
        ex, ref = check_case(t, bad, dem, label=name)
        if n >= 2:
            ap = exposure_all_pairs(net, sensitive_nodes=sens_nodes, top_k=20)
            assert_all_pairs(ap, ex, ref)
        return
    dests = rng.choice(n, size=SAMPLED_DESTINATIONS, replace=False)
    src = np.repeat(np.arange(n), dests.size)
    dst = np.tile(dests, n)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    dem = Demands.from_arrays(net, src, dst, np.ones(src.size), sens_nodes[src] | sens_nodes[dst])
    check_case(t, bad, dem, label=name)


def _length(t: Topology, lk: LinkRecord, nodes: dict[str, NodeRecord]) -> float:
    a, b = nodes[lk.src], nodes[lk.dst]
    if t.coordinates == CoordinateKind.GEOGRAPHICAL and None not in (a.lat, b.lat):
        d = haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
    elif {"x", "y"} <= set(a.attrs) and {"x", "y"} <= set(b.attrs):
        d = math.hypot(a.attrs["x"] - b.attrs["x"], a.attrs["y"] - b.attrs["y"])
    else:
        return 1.0
    return max(d, 0.01)


@pytest.mark.parametrize("name", SNDLIB)
def test_sndlib_engine_matches_reference(shared_data: Path, name: str) -> None:
    t = read_topology(shared_data / "topologies" / "sndlib" / "native" / name)
    nodes = {x.id: x for x in t.nodes}
    t = _with_weights(t, [_length(t, lk, nodes) for lk in t.links])
    rng = np.random.default_rng(_seed(name))
    bad = [t.nodes[i].id for i in _pick(rng, len(t.nodes), 0.10, 0.20)]
    net = build_network(t, untrusted=bad)
    dem = Demands.from_records(net, t.demands)
    assert len(dem) > 0, name
    dem = dem.with_sensitive(rng.random(len(dem)) < 0.3)
    check_case(t, bad, dem, label=name)
