"""Traffic demands as arrays over a :class:`~cleanpath.model.network.Network`.

A :class:`Demands` is either an explicit list (``src``, ``dst``, ``volume``, ``sensitive``
arrays of node indices) or an implicit all-pairs set (one demand of ``volume`` for every
ordered pair of distinct nodes, or the positive entries of a dense N x N matrix), which is
never materialised unless asked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from cleanpath.domain import DemandClass, DemandRecord
from cleanpath.errors import ModelError
from cleanpath.model.network import Network

__all__ = ["Demands", "gravity_demands"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Demands:
    """Demands between node indices of one network.

    With ``all_pairs=True`` the arrays are empty and every ordered pair ``(s, t)``, ``s != t``,
    carries ``pair_volume`` -- or, when ``pair_matrix`` is set, ``pair_matrix[s, t]`` (zero
    entries are no demand); ``pair_sensitive`` (a node mask) marks the pairs whose source or
    destination is a sensitive node as sensitive.
    """

    n_nodes: int
    src: IntArray
    dst: IntArray
    volume: FloatArray
    sensitive: BoolArray
    all_pairs: bool = False
    pair_volume: float = 1.0
    pair_sensitive: BoolArray | None = None
    pair_matrix: FloatArray | None = None

    def __len__(self) -> int:
        if self.pair_matrix is not None:
            m = self.pair_matrix
            return int(np.count_nonzero(m) - np.count_nonzero(np.diagonal(m)))
        if self.all_pairs:
            return self.n_nodes * (self.n_nodes - 1)
        return int(self.src.shape[0])

    @property
    def total_volume(self) -> float:
        if self.pair_matrix is not None:
            return float(self.pair_matrix.sum() - np.trace(self.pair_matrix))
        if self.all_pairs:
            return float(len(self)) * self.pair_volume
        return float(self.volume.sum())

    @property
    def pair_volumes(self) -> float | FloatArray:
        """What the all-pairs engine takes as ``volume``: the matrix, else the one volume."""
        return self.pair_volume if self.pair_matrix is None else self.pair_matrix

    @classmethod
    def from_arrays(
        cls,
        net: Network,
        src: Sequence[int] | IntArray,
        dst: Sequence[int] | IntArray,
        volume: Sequence[float] | FloatArray,
        sensitive: Sequence[bool] | BoolArray | None = None,
    ) -> Demands:
        s = np.asarray(src, dtype=np.int64)
        d = np.asarray(dst, dtype=np.int64)
        v = np.asarray(volume, dtype=np.float64)
        sens = (
            np.zeros(s.shape[0], dtype=np.bool_)
            if sensitive is None
            else np.asarray(sensitive, dtype=np.bool_)
        )
        if not (s.shape == d.shape == v.shape == sens.shape):
            raise ModelError("demand arrays differ in length")
        n = net.n_nodes
        if s.size and (s.min() < 0 or d.min() < 0 or s.max() >= n or d.max() >= n):
            raise ModelError("demand names a node index outside the network")
        if np.any(v < 0) or not np.all(np.isfinite(v)):
            raise ModelError("demand volumes must be finite and >= 0", field="volume")
        return cls(n, s, d, v, sens)

    @classmethod
    def from_records(cls, net: Network, records: Iterable[DemandRecord]) -> Demands:
        """Map demand records (node ids) onto ``net``; unknown ids raise ModelError naming
        the id and the record's line. Demands from a node to itself are dropped."""
        src: list[int] = []
        dst: list[int] = []
        vol: list[float] = []
        sens: list[bool] = []
        for r in records:
            for end in (r.src, r.dst):
                if not net.has_node(end):
                    raise ModelError(
                        f"demand {r.id or (r.src + '->' + r.dst)!r} names unknown node {end!r}",
                        line=r.line,
                    )
            if r.src == r.dst:
                continue
            src.append(net.index_of(r.src))
            dst.append(net.index_of(r.dst))
            vol.append(float(r.volume))
            sens.append(r.cls == DemandClass.SENSITIVE)
        return cls.from_arrays(net, src, dst, vol, sens)

    @classmethod
    def all_pairs_of(
        cls, net: Network, *, volume: float = 1.0, sensitive_nodes: BoolArray | None = None
    ) -> Demands:
        """One demand of ``volume`` for every ordered pair of distinct nodes (implicit)."""
        if not (math.isfinite(volume) and volume >= 0):
            raise ModelError("demand volumes must be finite and >= 0", field="volume")
        if sensitive_nodes is not None:
            sensitive_nodes = np.asarray(sensitive_nodes, dtype=np.bool_)
            if sensitive_nodes.shape != (net.n_nodes,):
                raise ModelError(
                    f"sensitive_nodes has shape {sensitive_nodes.shape}, need ({net.n_nodes},)",
                    field="sensitive_nodes",
                )
        empty_i = np.zeros(0, dtype=np.int64)
        return cls(
            net.n_nodes,
            empty_i,
            empty_i,
            np.zeros(0, dtype=np.float64),
            np.zeros(0, dtype=np.bool_),
            all_pairs=True,
            pair_volume=float(volume),
            pair_sensitive=sensitive_nodes,
        )

    @classmethod
    def from_matrix(
        cls, net: Network, matrix: npt.ArrayLike, *, sensitive_nodes: BoolArray | None = None
    ) -> Demands:
        """The positive off-diagonal entries of a dense ``matrix`` (row = source, column =
        destination, node index order), kept implicit: the all-pairs engine streams it.

        >>> from cleanpath.domain import LinkRecord, NodeRecord, Topology
        >>> from cleanpath.model.network import build_network
        >>> net = build_network(Topology("t", (NodeRecord("a", "a"), NodeRecord("b", "b")),
        ...                              (LinkRecord("l", "a", "b"),)))
        >>> d = Demands.from_matrix(net, [[5.0, 2.0], [0.0, 0.0]])
        >>> len(d), d.total_volume, d.materialize().volume.tolist()
        (1, 2.0, [2.0])
        """
        m = np.asarray(matrix, dtype=np.float64)
        n = net.n_nodes
        if m.shape != (n, n):
            raise ModelError(f"demand matrix has shape {m.shape}, need ({n}, {n})", field="matrix")
        if not np.isfinite(m).all() or (m < 0).any():
            raise ModelError("demand matrix entries must be finite and >= 0", field="matrix")
        base = cls.all_pairs_of(net, sensitive_nodes=sensitive_nodes)
        return replace(base, pair_matrix=m)

    def materialize(self) -> Demands:
        """The explicit form (all pairs listed, ``src``-major); a no-op when already explicit."""
        if not self.all_pairs:
            return self
        n = self.n_nodes
        s = np.repeat(np.arange(n, dtype=np.int64), n)
        d = np.tile(np.arange(n, dtype=np.int64), n)
        keep = s != d
        if self.pair_matrix is not None:
            keep &= self.pair_matrix.ravel() > 0
        s, d = s[keep], d[keep]
        sens = np.zeros(s.shape[0], dtype=np.bool_)
        if self.pair_sensitive is not None:
            sens = self.pair_sensitive[s] | self.pair_sensitive[d]
        if self.pair_matrix is not None:
            vol = self.pair_matrix[s, d]
        else:
            vol = np.full(s.shape[0], self.pair_volume, dtype=np.float64)
        return Demands(n, s, d, vol, sens)

    def with_sensitive(self, mask: BoolArray) -> Demands:
        if self.all_pairs:
            raise ModelError("materialize() all-pairs demands before marking single ones")
        if np.shape(mask) != self.src.shape:
            raise ModelError(
                f"sensitive mask has shape {np.shape(mask)}, need {self.src.shape}",
                field="sensitive",
            )
        return Demands(self.n_nodes, self.src, self.dst, self.volume, mask.astype(np.bool_))

    def __add__(self, other: Demands) -> Demands:
        if self.n_nodes != other.n_nodes:
            raise ModelError("cannot add demands built for a different network")
        a, b = self.materialize(), other.materialize()
        return Demands(
            a.n_nodes,
            np.concatenate([a.src, b.src]),
            np.concatenate([a.dst, b.dst]),
            np.concatenate([a.volume, b.volume]),
            np.concatenate([a.sensitive, b.sensitive]),
        )


def gravity_demands(
    net: Network,
    *,
    total: float = 1.0,
    seed: int = 0,
    weights: FloatArray | None = None,
    noise: float = 0.25,
    include_external: bool = False,
) -> Demands:
    """A gravity-model matrix: volume(s, t) ∝ m_s · m_t, scaled to ``total``.

    Node masses ``weights`` default to the node degree (a proxy for PoP size) times a seeded
    log-normal factor of spread ``noise``; hyperedge nodes (clouds) and, unless
    ``include_external``, external nodes get mass 0. Same ``seed`` → same matrix.

    >>> from cleanpath.domain import NodeRecord, LinkRecord, Topology
    >>> from cleanpath.model.network import build_network
    >>> t = Topology("t", tuple(NodeRecord(x, x) for x in "abc"),
    ...              (LinkRecord("1", "a", "b"), LinkRecord("2", "b", "c")))
    >>> d = gravity_demands(build_network(t), total=10.0, seed=1)
    >>> len(d), round(d.total_volume, 9)
    (6, 10.0)
    """
    n = net.n_nodes
    if weights is None:
        deg = np.diff(net.indptr).astype(np.float64)
        rng = np.random.default_rng(seed)
        m = deg * rng.lognormal(0.0, noise, size=n) if noise > 0 else deg
    else:
        m = np.asarray(weights, dtype=np.float64).copy()
        if m.shape != (n,):
            raise ModelError(f"gravity weights have shape {m.shape}, need ({n},)")
    m[net.hyperedge] = 0.0
    if not include_external:
        m[net.external] = 0.0
    s, d = np.nonzero(np.outer(m, m))
    keep = s != d
    s, d = s[keep].astype(np.int64), d[keep].astype(np.int64)
    v = m[s] * m[d]
    if v.sum() > 0:
        v = v * (total / v.sum())
    return Demands.from_arrays(net, s, d, v)
