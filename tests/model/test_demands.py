"""Demands over a network: explicit arrays, records, implicit all pairs, gravity model."""

from __future__ import annotations

import numpy as np
import pytest

from cleanpath.domain import DemandClass, DemandRecord, LinkRecord, NodeRecord, Topology
from cleanpath.errors import ModelError
from cleanpath.model.demands import Demands, gravity_demands
from cleanpath.model.network import Network, build_network


def star(n_leaves: int = 4, **node_kw: dict[str, bool]) -> Network:
    """Hub ``h`` linked to leaves ``l0..``; ``node_kw`` sets NodeRecord flags per id."""
    ids = ["h", *(f"l{i}" for i in range(n_leaves))]
    nodes = tuple(NodeRecord(x, x, **node_kw.get(x, {})) for x in ids)  # type: ignore[arg-type]
    links = tuple(LinkRecord(f"e{i}", "h", f"l{i}") for i in range(n_leaves))
    return build_network(Topology("star", nodes, links))


def test_from_arrays_validates() -> None:
    net = star()
    d = Demands.from_arrays(net, [0, 1], [1, 2], [1.0, 2.5], [False, True])
    assert len(d) == 2
    assert d.total_volume == 3.5
    assert list(Demands.from_arrays(net, [0], [1], [1.0]).sensitive) == [False]
    with pytest.raises(ModelError, match="differ in length"):
        Demands.from_arrays(net, [0, 1], [1], [1.0])
    with pytest.raises(ModelError, match="outside the network"):
        Demands.from_arrays(net, [0], [5], [1.0])
    with pytest.raises(ModelError, match="outside the network"):
        Demands.from_arrays(net, [-1], [1], [1.0])
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ModelError, match="finite and >= 0") as err:
            Demands.from_arrays(net, [0], [1], [bad])
        assert err.value.field == "volume"


def test_from_records_maps_ids_drops_self_demands_and_reads_class() -> None:
    net = star()
    recs = [
        DemandRecord("l0", "l1", 3.0),
        DemandRecord("l1", "l1", 9.0),
        DemandRecord("h", "l2", 1.5, cls=DemandClass.SENSITIVE),
    ]
    d = Demands.from_records(net, recs)
    assert (list(d.src), list(d.dst), list(d.volume)) == ([1, 0], [2, 3], [3.0, 1.5])
    assert list(d.sensitive) == [False, True]
    with pytest.raises(ModelError, match="unknown node 'zz'") as err:
        Demands.from_records(net, [DemandRecord("l0", "zz", 1.0, line=17)])
    assert err.value.line == 17


def test_all_pairs_is_implicit_until_materialized() -> None:
    net = star(3)
    sens = np.array([False, True, False, False])
    d = Demands.all_pairs_of(net, volume=2.0, sensitive_nodes=sens)
    assert d.all_pairs
    assert len(d) == 12
    assert d.total_volume == 24.0
    assert d.src.size == 0
    m = d.materialize()
    assert not m.all_pairs
    assert len(m) == 12
    pairs = list(zip(m.src.tolist(), m.dst.tolist(), strict=True))
    assert pairs == [(s, t) for s in range(4) for t in range(4) if s != t]
    assert [bool(x) for x in m.sensitive] == [1 in p for p in pairs]
    assert set(m.volume) == {2.0}
    assert m.materialize() is m
    with pytest.raises(ModelError, match="materialize"):
        d.with_sensitive(np.ones(12, dtype=np.bool_))
    assert list(m.with_sensitive(np.zeros(12)).sensitive) == [False] * 12


def test_adding_demands_concatenates() -> None:
    net = star(2)
    a = Demands.from_arrays(net, [0], [1], [1.0], [True])
    both = a + Demands.all_pairs_of(net)
    assert len(both) == 7
    assert both.total_volume == 7.0
    assert list(both.sensitive) == [True] + [False] * 6


def test_gravity_is_deterministic_per_seed_and_sums_to_total() -> None:
    net = star(5)
    a = gravity_demands(net, total=1000.0, seed=7)
    b = gravity_demands(net, total=1000.0, seed=7)
    c = gravity_demands(net, total=1000.0, seed=8)
    for name in ("src", "dst", "volume", "sensitive"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.volume, c.volume)
    for d in (a, c):
        assert d.total_volume == pytest.approx(1000.0, rel=1e-12)
        assert len(d) == 6 * 5
        assert np.all(d.src != d.dst)
        assert np.all(d.volume > 0)


def test_gravity_volume_is_proportional_to_mass_product() -> None:
    net = star(3)
    w = np.array([4.0, 1.0, 2.0, 3.0])
    d = gravity_demands(net, total=1.0, weights=w)
    prod = w[d.src] * w[d.dst]
    np.testing.assert_allclose(d.volume, prod / prod.sum(), rtol=1e-12)
    # noise=0 gives the plain degree masses: hub 3, leaves 1
    d0 = gravity_demands(net, total=1.0, noise=0.0)
    mass = np.where(np.arange(4) == 0, 3.0, 1.0)  # 6 hub pairs of 3, 6 leaf pairs of 1
    np.testing.assert_allclose(d0.volume, mass[d0.src] * mass[d0.dst] / 24.0, rtol=1e-12)
    with pytest.raises(ModelError, match="shape"):
        gravity_demands(net, weights=np.ones(2))


def test_gravity_skips_hyperedges_and_external_nodes() -> None:
    net = star(4, l0={"external": True}, l1={"hyperedge": True})
    d = gravity_demands(net, total=5.0, seed=1)
    ends = set(d.src.tolist()) | set(d.dst.tolist())
    assert ends == {0, 3, 4}
    assert d.total_volume == pytest.approx(5.0)
    d_ext = gravity_demands(net, total=5.0, seed=1, include_external=True)
    assert set(d_ext.src.tolist()) == {0, 1, 3, 4}


def test_shape_and_value_errors_are_model_errors() -> None:
    """Wrong-sized masks must fail as ModelError here, not as an IndexError (or a silent
    out-of-bounds read in compiled code) later."""
    net = star(3)
    with pytest.raises(ModelError, match="sensitive_nodes") as err:
        Demands.all_pairs_of(net, sensitive_nodes=np.ones(2, dtype=np.bool_))
    assert err.value.field == "sensitive_nodes"
    for bad in (-1.0, float("nan")):
        with pytest.raises(ModelError, match="finite and >= 0"):
            Demands.all_pairs_of(net, volume=bad)
    d = Demands.from_arrays(net, [0, 1], [1, 2], [1.0, 1.0])
    with pytest.raises(ModelError, match="mask") as err:
        d.with_sensitive(np.ones(3, dtype=np.bool_))
    assert err.value.field == "sensitive"
    with pytest.raises(ModelError, match="different network"):
        d + Demands.all_pairs_of(star(2))
