"""Compiled kernels of the exposure engine (numba).

Everything is done per *root* ``t`` (a demand destination): a Dijkstra from ``t`` on the
reversed graph gives ``d(v, t)`` for every ``v``; arc ``v -> u`` is an ECMP next hop of ``v``
toward ``t`` when ``d(v, t) == w(v, u) + d(u, t)`` (exact float equality, as routers with
integer metrics and as networkx do). Two sweeps over that DAG follow:

* near-to-far: ``clean[v]`` = share of traffic leaving ``v`` for ``t`` that meets no untrusted
  node (``v`` and ``t`` included), the mean of ``clean`` over ``v``'s next hops;
* far-to-near: the volume of every demand ``(v, t)`` enters at ``v`` and is split equally over
  ``v``'s next hops; each node and arc accumulates what passes through it.

A second Dijkstra from ``t`` that never enters an untrusted node gives the clean distance.
Roots are cut into a fixed number of chunks that never depends on the number of threads, and
chunk partials are summed in chunk order, so results do not depend on the thread count.
"""

from __future__ import annotations

import os

import numba as nb
import numpy as np

if "NUMBA_THREADING_LAYER" not in os.environ:
    # OpenMP spin-waits between the engine's parallel calls: 2-10x slower than numba's own
    # workqueue layer on a loaded machine, equal on an idle one (docs/performance.md).
    nb.config.THREADING_LAYER = "workqueue"  # type: ignore[attr-defined]

INF = np.inf


@nb.njit(cache=True, nogil=True)
def _heap_push(hk, hv, size, key, val):
    i = size
    hk[i] = key
    hv[i] = val
    while i > 0:
        p = (i - 1) >> 1
        if hk[p] < hk[i] or (hk[p] == hk[i] and hv[p] <= hv[i]):
            break
        hk[p], hk[i] = hk[i], hk[p]
        hv[p], hv[i] = hv[i], hv[p]
        i = p
    return size + 1


@nb.njit(cache=True, nogil=True)
def _heap_pop(hk, hv, size):
    key = hk[0]
    val = hv[0]
    size -= 1
    hk[0] = hk[size]
    hv[0] = hv[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        c = left
        r = left + 1
        if r < size and (hk[r] < hk[left] or (hk[r] == hk[left] and hv[r] < hv[left])):
            c = r
        if hk[i] < hk[c] or (hk[i] == hk[c] and hv[i] <= hv[c]):
            break
        hk[c], hk[i] = hk[i], hk[c]
        hv[c], hv[i] = hv[i], hv[c]
        i = c
    return key, val, size


@nb.njit(cache=True, nogil=True)
def dijkstra_to(root, rptr, rsrc, rarc, weight, blocked, dist, order, hk, hv):
    """Distances ``d(v, root)`` over the reversed graph; nodes with ``blocked`` are never
    entered. Fills ``dist`` (inf when unreachable) and ``order`` (settle order); returns how
    many nodes were settled."""
    n = dist.shape[0]
    for i in range(n):
        dist[i] = INF
    if blocked[root]:
        return 0
    dist[root] = 0.0
    size = _heap_push(hk, hv, 0, 0.0, root)
    count = 0
    while size > 0:
        d, u, size = _heap_pop(hk, hv, size)
        if d > dist[u]:
            continue  # stale entry; weights > 0 so a settled node is never pushed again
        order[count] = u
        count += 1
        for k in range(rptr[u], rptr[u + 1]):
            v = rsrc[k]
            if blocked[v]:
                continue
            nd = d + weight[rarc[k]]
            if nd < dist[v]:
                dist[v] = nd
                size = _heap_push(hk, hv, size, nd, v)
    return count


@nb.njit(cache=True, nogil=True)
def dial_to(
    root, rptr, rsrc, rarc, iweight, nbuckets, blocked, dist, order, idist, bnext, bprev, bhead
):
    """Dijkstra with a bucket queue (Dial) for positive integer weights < ``nbuckets``.

    Same contract as :func:`dijkstra_to`; ``idist``, ``bnext``, ``bprev`` (size n) and
    ``bhead`` (size nbuckets) are scratch."""
    n = dist.shape[0]
    big = np.int64(1) << 62
    for i in range(n):
        dist[i] = INF
        idist[i] = big
    for b in range(nbuckets):
        bhead[b] = -1
    if blocked[root]:
        return 0
    idist[root] = 0
    bhead[0] = root
    bnext[root] = -1
    bprev[root] = -1
    queued = 1
    cur = np.int64(0)
    count = 0
    while queued > 0:
        b = cur % nbuckets
        while bhead[b] == -1:
            cur += 1
            b = cur % nbuckets
        u = bhead[b]
        nx_ = bnext[u]
        bhead[b] = nx_
        if nx_ != -1:
            bprev[nx_] = -1
        queued -= 1
        dist[u] = float(cur)
        order[count] = u
        count += 1
        for k in range(rptr[u], rptr[u + 1]):
            v = rsrc[k]
            if blocked[v] or dist[v] < INF:
                continue
            nd = cur + iweight[rarc[k]]
            old = idist[v]
            if nd < old:
                if old != big:  # unlink v from its bucket
                    ob = old % nbuckets
                    p = bprev[v]
                    q = bnext[v]
                    if p == -1:
                        bhead[ob] = q
                    else:
                        bnext[p] = q
                    if q != -1:
                        bprev[q] = p
                else:
                    queued += 1
                idist[v] = nd
                nb_ = nd % nbuckets
                h = bhead[nb_]
                bnext[v] = h
                bprev[v] = -1
                if h != -1:
                    bprev[h] = v
                bhead[nb_] = v
    return count


@nb.njit(cache=True, nogil=True)
def shortest_to(root, rptr, rsrc, rarc, weight, iweight, nbuckets, blocked, dist, order, s):
    """Dial when ``nbuckets > 0`` (integer weights), else a binary heap; ``s`` is the scratch
    tuple made by :func:`scratch`."""
    if nbuckets > 0:
        return dial_to(
            root, rptr, rsrc, rarc, iweight, nbuckets, blocked, dist, order, s[2], s[3], s[4], s[5]
        )
    return dijkstra_to(root, rptr, rsrc, rarc, weight, blocked, dist, order, s[0], s[1])


@nb.njit(cache=True, nogil=True)
def sweep_root(
    root,
    indptr,
    indices,
    weight,
    untrusted,
    dist,
    order,
    count,
    own,
    own_sens,
    clean,
    flow,
    flow_sens,
    node_vol,
    node_sens,
    arc_vol,
    arc_sens,
    nh_ptr,
    nh_arc,
):
    """Both DAG sweeps for one root (see module docstring). ``own``/``own_sens`` hold the
    volume of demand (v, root) at v; they are consumed (reset to 0). ``nh_ptr`` (n + 1) and
    ``nh_arc`` (arcs) are scratch: the next-hop arcs of the i-th settled node, found once."""
    # near-to-far: next hops and clean shares
    nh_ptr[0] = 0
    top = 0
    for i in range(count):
        v = order[i]
        acc = 0.0
        if v != root:
            dv = dist[v]
            for a in range(indptr[v], indptr[v + 1]):
                u = indices[a]
                if dist[u] + weight[a] == dv:
                    nh_arc[top] = a
                    top += 1
                    acc += clean[u]
        nh_ptr[i + 1] = top
        if untrusted[v]:
            clean[v] = 0.0
        elif v == root:
            clean[v] = 1.0
        else:
            clean[v] = acc / (top - nh_ptr[i])
    # far-to-near: flows
    for i in range(count - 1, -1, -1):
        v = order[i]
        f = flow[v] + own[v]
        fs = flow_sens[v] + own_sens[v]
        own[v] = 0.0
        own_sens[v] = 0.0
        flow[v] = 0.0
        flow_sens[v] = 0.0
        node_vol[v] += f
        node_sens[v] += fs
        if f == 0.0 and fs == 0.0:
            continue
        k0 = nh_ptr[i]
        k1 = nh_ptr[i + 1]
        if k1 == k0:
            continue
        share = f / (k1 - k0)
        share_s = fs / (k1 - k0)
        for k in range(k0, k1):
            a = nh_arc[k]
            u = indices[a]
            flow[u] += share
            flow_sens[u] += share_s
            arc_vol[a] += share
            arc_sens[a] += share_s


@nb.njit(cache=True, nogil=True)
def scratch(n, m, nbuckets):
    size = m + n + 1
    return (
        np.empty(size, np.float64),
        np.empty(size, np.int64),
        np.empty(n, np.int64),
        np.empty(n, np.int64),
        np.empty(n, np.int64),
        np.empty(max(nbuckets, 1), np.int64),
    )


@nb.njit(cache=True, nogil=True)
def _run_chunk(
    roots,
    dptr,
    dsrc,
    dvol,
    dsens,
    indptr,
    indices,
    weight,
    iweight,
    nbuckets,
    rptr,
    rsrc,
    rarc,
    untrusted,
    want_clean,
    node_vol,
    node_sens,
    arc_vol,
    arc_sens,
    out_exposed,
    out_dist,
    out_cdist,
):
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    sc = scratch(n, m, nbuckets)
    no_block = np.zeros(n, np.bool_)
    dist = np.empty(n, np.float64)
    cdist = np.empty(n, np.float64)
    order = np.empty(n, np.int64)
    corder = np.empty(n, np.int64)
    own = np.zeros(n, np.float64)
    own_s = np.zeros(n, np.float64)
    clean = np.zeros(n, np.float64)
    flow = np.zeros(n, np.float64)
    flow_s = np.zeros(n, np.float64)
    nh_ptr = np.empty(n + 1, np.int64)
    nh_arc = np.empty(m, np.int64)
    for r in range(roots.shape[0]):
        t = roots[r]
        count = shortest_to(
            t, rptr, rsrc, rarc, weight, iweight, nbuckets, no_block, dist, order, sc
        )
        for k in range(dptr[r], dptr[r + 1]):
            s = dsrc[k]
            if dist[s] < INF:
                own[s] += dvol[k]
                if dsens[k]:
                    own_s[s] += dvol[k]
        sweep_root(
            t,
            indptr,
            indices,
            weight,
            untrusted,
            dist,
            order,
            count,
            own,
            own_s,
            clean,
            flow,
            flow_s,
            node_vol,
            node_sens,
            arc_vol,
            arc_sens,
            nh_ptr,
            nh_arc,
        )
        if want_clean:
            shortest_to(
                t, rptr, rsrc, rarc, weight, iweight, nbuckets, untrusted, cdist, corder, sc
            )
        for k in range(dptr[r], dptr[r + 1]):
            s = dsrc[k]
            out_dist[k] = dist[s]
            out_exposed[k] = 1.0 - clean[s] if dist[s] < INF else np.nan
            out_cdist[k] = cdist[s] if want_clean else np.nan


@nb.njit(cache=True, parallel=True)
def run_explicit(
    chunk_ptr,
    roots,
    dptr,
    dsrc,
    dvol,
    dsens,
    indptr,
    indices,
    weight,
    iweight,
    nbuckets,
    rptr,
    rsrc,
    rarc,
    untrusted,
    want_clean,
):
    """Explicit demands grouped by root: ``roots[r]`` owns demands ``dptr[r]:dptr[r+1]``;
    chunk ``c`` owns roots ``chunk_ptr[c]:chunk_ptr[c+1]``."""
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    nd = dsrc.shape[0]
    nchunks = chunk_ptr.shape[0] - 1
    node_vol = np.zeros((nchunks, n), np.float64)
    node_sens = np.zeros((nchunks, n), np.float64)
    arc_vol = np.zeros((nchunks, m), np.float64)
    arc_sens = np.zeros((nchunks, m), np.float64)
    out_exposed = np.empty(nd, np.float64)
    out_dist = np.empty(nd, np.float64)
    out_cdist = np.empty(nd, np.float64)
    for c in nb.prange(nchunks):
        r0 = chunk_ptr[c]
        r1 = chunk_ptr[c + 1]
        d0 = dptr[r0]
        d1 = dptr[r1]
        _run_chunk(
            roots[r0:r1],
            dptr[r0 : r1 + 1] - d0,
            dsrc[d0:d1],
            dvol[d0:d1],
            dsens[d0:d1],
            indptr,
            indices,
            weight,
            iweight,
            nbuckets,
            rptr,
            rsrc,
            rarc,
            untrusted,
            want_clean,
            node_vol[c],
            node_sens[c],
            arc_vol[c],
            arc_sens[c],
            out_exposed[d0:d1],
            out_dist[d0:d1],
            out_cdist[d0:d1],
        )
    return node_vol, node_sens, arc_vol, arc_sens, out_exposed, out_dist, out_cdist


N_HIST = 20
"""Histogram bins of exposed share in all-pairs mode: bin 0 is exactly 0, the last is
exactly 1, the others split (0, 1) evenly."""


@nb.njit(cache=True, nogil=True)
def _hist_bin(x):
    if x <= 0.0:
        return 0
    if x >= 1.0:
        return N_HIST - 1
    return 1 + min(N_HIST - 3, int(x * (N_HIST - 2)))


@nb.njit(cache=True, nogil=True)
def _topk_insert(tk, ti, key, idx, kmin):
    """Keep the k largest (key desc, idx asc); ``kmin`` is the slot of the current minimum."""
    j = kmin
    if key < tk[j] or (key == tk[j] and idx > ti[j]):
        return kmin
    tk[j] = key
    ti[j] = idx
    best = 0
    for q in range(1, tk.shape[0]):
        if tk[q] < tk[best] or (tk[q] == tk[best] and ti[q] > ti[best]):
            best = q
    return best


@nb.njit(cache=True, nogil=True)
def _run_chunk_ap(
    roots,
    volume,
    sens_nodes,
    label,
    indptr,
    indices,
    weight,
    iweight,
    nbuckets,
    rptr,
    rsrc,
    rarc,
    untrusted,
    want_clean,
    node_vol,
    node_sens,
    arc_vol,
    arc_sens,
    stats,
    hist,
    tk,
    ti,
):
    """All-pairs: every (v, t), v != t, carries ``volume``; sensitive when either end is in
    ``sens_nodes``. Per-demand results are folded into ``stats``/``hist``/top-k."""
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    sc = scratch(n, m, nbuckets)
    no_block = np.zeros(n, np.bool_)
    dist = np.empty(n, np.float64)
    cdist = np.empty(n, np.float64)
    order = np.empty(n, np.int64)
    corder = np.empty(n, np.int64)
    own = np.zeros(n, np.float64)
    own_s = np.zeros(n, np.float64)
    clean = np.zeros(n, np.float64)
    flow = np.zeros(n, np.float64)
    flow_s = np.zeros(n, np.float64)
    nh_ptr = np.empty(n + 1, np.int64)
    nh_arc = np.empty(m, np.int64)
    kmin = 0
    for r in range(roots.shape[0]):
        t = roots[r]
        count = shortest_to(
            t, rptr, rsrc, rarc, weight, iweight, nbuckets, no_block, dist, order, sc
        )
        for i in range(1, count):
            v = order[i]
            own[v] = volume
            if sens_nodes[v] or sens_nodes[t]:
                own_s[v] = volume
        sweep_root(
            t,
            indptr,
            indices,
            weight,
            untrusted,
            dist,
            order,
            count,
            own,
            own_s,
            clean,
            flow,
            flow_s,
            node_vol,
            node_sens,
            arc_vol,
            arc_sens,
            nh_ptr,
            nh_arc,
        )
        if want_clean:
            shortest_to(
                t, rptr, rsrc, rarc, weight, iweight, nbuckets, untrusted, cdist, corder, sc
            )
        # stats: 0 pairs, 1 unroutable, 2 exposed volume, 3 sensitive pairs, 4 sensitive
        # volume, 5 sensitive exposed volume, 6 pairs with clean path, 7 sensitive pairs with
        # clean path, 8 sensitive pairs exposed, 9 sum of stretch over clean pairs
        stats[0] += n - 1
        stats[1] += n - count
        for i in range(1, count):
            v = order[i]
            e = 1.0 - clean[v]
            sens = sens_nodes[v] or sens_nodes[t]
            stats[2] += e * volume
            hist[_hist_bin(e)] += 1
            has_clean = want_clean and cdist[v] < INF
            if has_clean:
                stats[6] += 1
                stats[9] += cdist[v] / dist[v]
            if sens:
                stats[3] += 1
                stats[4] += volume
                stats[5] += e * volume
                if has_clean:
                    stats[7] += 1
                if e > 0.0:
                    stats[8] += 1
            key = e + (2.0 if sens else 0.0)
            kmin = _topk_insert(tk, ti, key, label[v] * n + label[t], kmin)
        if count < n:  # unroutable pairs rank worst of all, as in the explicit engine
            for v in range(n):
                if v != t and dist[v] == INF:
                    key = 4.0 + (2.0 if (sens_nodes[v] or sens_nodes[t]) else 0.0)
                    kmin = _topk_insert(tk, ti, key, label[v] * n + label[t], kmin)


@nb.njit(cache=True, parallel=True)
def run_all_pairs(
    chunk_ptr,
    roots,
    volume,
    sens_nodes,
    label,
    indptr,
    indices,
    weight,
    iweight,
    nbuckets,
    rptr,
    rsrc,
    rarc,
    untrusted,
    want_clean,
    k,
):
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    nchunks = chunk_ptr.shape[0] - 1
    node_vol = np.zeros((nchunks, n), np.float64)
    node_sens = np.zeros((nchunks, n), np.float64)
    arc_vol = np.zeros((nchunks, m), np.float64)
    arc_sens = np.zeros((nchunks, m), np.float64)
    stats = np.zeros((nchunks, 10), np.float64)
    hist = np.zeros((nchunks, N_HIST), np.int64)
    tk = np.full((nchunks, max(k, 1)), -1.0)
    ti = np.full((nchunks, max(k, 1)), np.int64(1) << 62)
    for c in nb.prange(nchunks):
        _run_chunk_ap(
            roots[chunk_ptr[c] : chunk_ptr[c + 1]],
            volume,
            sens_nodes,
            label,
            indptr,
            indices,
            weight,
            iweight,
            nbuckets,
            rptr,
            rsrc,
            rarc,
            untrusted,
            want_clean,
            node_vol[c],
            node_sens[c],
            arc_vol[c],
            arc_sens[c],
            stats[c],
            hist[c],
            tk[c],
            ti[c],
        )
    return node_vol, node_sens, arc_vol, arc_sens, stats, hist, tk, ti
