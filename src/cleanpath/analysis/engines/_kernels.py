"""Compiled kernels of the exposure engine (numba).

Everything is done per *root* ``t`` (a demand destination). A shortest-path search from ``t``
over the reversed graph gives ``d(v, t)`` for every ``v``; arc ``v -> u`` is an ECMP next hop
of ``v`` toward ``t`` when ``d(v, t) == w(v, u) + d(u, t)`` (exact float equality, as routers
with integer metrics and as networkx do). The search records those arcs while it relaxes
them (an arc whose tentative distance equals the best so far joins ``v``'s candidate list, a
strictly better one restarts it), so when ``v`` is settled its next hops are known and

* near-to-far (during the search): ``clean[v]`` = share of traffic leaving ``v`` for ``t``
  that meets no untrusted node (``v`` and ``t`` included), the mean of ``clean`` over ``v``'s
  next hops;
* far-to-near (one sweep afterwards): the volume of every demand ``(v, t)`` enters at ``v``
  and is split equally over ``v``'s next hops; each node and arc accumulates what passes.

A second search from ``t`` that never enters an untrusted node gives the clean distance (with
integer weights it only searches the nodes whose clean share is 0: a positive share means a
clean shortest path, so their clean distance is their distance). Integer weights use a
bucket queue (Dial: a power-of-two ring of buckets, entries pushed lazily and skipped when
stale); real weights a binary heap. Index arrays are int32 (``local.kernel_graph``), half
the memory traffic of int64. Roots are cut into a fixed number of chunks that never depends on the
number of threads, and chunk partials are summed in chunk order, so results do not depend on
the thread count.

Graph tuple ``g`` = ``(indices, rptr, rsrc, rarc, rweight, riweight, nbuckets)``: ``indices``
the forward CSR heads, ``rptr/rsrc/rarc`` the reversed CSR (for node ``u``, ``rsrc[k]`` is the
tail of forward arc ``rarc[k]`` into ``u``), ``rweight``/``riweight`` the float/integer weight
of each reversed entry, ``nbuckets`` a power of two above the largest integer weight (0: heap).
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
BIG = np.int64(1) << 62


@nb.njit(cache=True, nogil=True)
def workspace(n, m, nbuckets, like):
    """Scratch arrays of one search, index arrays of ``like``'s dtype."""
    it = like.dtype
    return (
        np.empty(n, np.int64),  # 0 tentative integer distance (Dial)
        np.empty(m + n + 1, it),  # 1 bucket entries: next entry
        np.empty(m + n + 1, it),  # 2 bucket entries: node
        np.empty(max(nbuckets, 1), it),  # 3 bucket heads (an entry)
        np.empty(n, it),  # 4 candidate next-hop list head per node (a forward arc)
        np.empty(m, it),  # 5 candidate list: next arc
        np.zeros(n, np.float64),  # 6 clean share
        np.empty(n + 1, np.int64),  # 7 next hops of the i-th settled node: nh[ptr[i]:ptr[i+1]]
        np.empty(max(m, 1), it),  # 8 next-hop arcs
        np.empty(m + n + 1, np.float64),  # 9 heap keys
        np.empty(m + n + 1, it),  # 10 heap values
    )


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
def _settle(v, count, top, indices, untrusted, ws):
    """``v`` is the ``count``-th settled node: move its candidate arcs to the next-hop list
    and set its clean share; returns the new end of the list."""
    chead, cnext, clean, nh_ptr, nh_arc = ws[4], ws[5], ws[6], ws[7], ws[8]
    acc = 0.0
    c0 = top
    a = chead[v]
    while a != -1:
        nh_arc[top] = a
        top += 1
        acc += clean[indices[a]]
        a = cnext[a]
    nh_ptr[count + 1] = top
    if untrusted[v]:
        clean[v] = 0.0
    elif top == c0:
        clean[v] = 1.0  # the root
    else:
        clean[v] = acc / (top - c0)
    return top


@nb.njit(cache=True, nogil=True)
def _candidate(w, a, restart, chead, cnext):
    """Arc ``a`` reaches ``w`` at the best distance so far (``restart``: strictly better)."""
    if restart:
        cnext[a] = -1
    else:
        cnext[a] = chead[w]
    chead[w] = a


@nb.njit(cache=True, nogil=True)
def _bucket_push(w, nd, top, mask, ws):
    """Queue ``w`` at distance ``nd`` as entry ``top`` (lazy: an older entry of ``w`` stays
    queued and is skipped when popped); returns the next free entry."""
    enext, enode, bhead = ws[1], ws[2], ws[3]
    b = nd & mask
    enode[top] = w
    enext[top] = bhead[b]
    bhead[b] = top
    return top + 1


@nb.njit(cache=True, nogil=True)
def _bucket_pop(cur, mask, ws):
    """Take the head entry of bucket ``cur`` (which must not be empty); returns its node."""
    enext, enode, bhead = ws[1], ws[2], ws[3]
    e = bhead[cur & mask]
    bhead[cur & mask] = enext[e]
    return enode[e]


@nb.njit(cache=True, nogil=True)
def dial_search(root, g, untrusted, dist, order, ws):
    """Dial's bucket-queue search from ``root`` over the reversed graph, recording next hops
    and clean shares in ``ws`` (clean distances: :func:`dial_clean`). Returns the number of
    settled nodes (``order[:count]``)."""
    indices, rptr, rsrc, rarc, riw = g[0], g[1], g[2], g[3], g[5]
    idist, bhead, chead, cnext = ws[0], ws[3], ws[4], ws[5]
    mask = bhead.shape[0] - 1
    for i in range(dist.shape[0]):
        dist[i] = INF
        idist[i] = BIG
    bhead[:] = -1
    idist[root] = 0
    entries = _bucket_push(root, 0, 0, mask, ws)
    chead[root] = -1
    ws[7][0] = 0
    queued, cur, count, top = 1, np.int64(0), 0, 0
    while queued > 0:
        while bhead[cur & mask] == -1:
            cur += 1
        v = _bucket_pop(cur, mask, ws)
        queued -= 1
        if idist[v] != cur:
            continue  # settled, or queued again nearer
        dist[v] = float(cur)
        idist[v] = -1  # settled
        order[count] = v
        top = _settle(v, count, top, indices, untrusted, ws)
        count += 1
        for k in range(rptr[v], rptr[v + 1]):
            w = rsrc[k]
            old = idist[w]
            if old < 0:
                continue
            nd = cur + riw[k]
            if nd < old:
                entries = _bucket_push(w, nd, entries, mask, ws)
                queued += 1
                idist[w] = nd
                _candidate(w, rarc[k], True, chead, cnext)
            elif nd == old:
                _candidate(w, rarc[k], False, chead, cnext)
    return count


@nb.njit(cache=True, nogil=True)
def dial_clean(root, g, untrusted, dist, order, count, cdist, ws):
    """Clean distances after :func:`dial_search` (same root, ``dist``/``order``/``count`` and the
    clean shares in ``ws``). A node with a positive clean share has a clean shortest path, so
    its clean distance is ``dist``: such nodes are taken from ``order`` (nondecreasing
    distance) without queueing, merged with a bucket queue that searches only the others."""
    rptr, rsrc, riw = g[1], g[2], g[5]
    idist, bhead, clean = ws[0], ws[3], ws[6]
    mask = bhead.shape[0] - 1
    for i in range(cdist.shape[0]):
        cdist[i] = INF
        idist[i] = BIG
    bhead[:] = -1
    if untrusted[root]:
        return
    queued, cur, p, entries = 0, np.int64(0), 0, 0
    while True:
        while p < count and clean[order[p]] == 0.0:
            p += 1
        if queued == 0 and p == count:
            break
        dk = BIG if p == count else np.int64(dist[order[p]])
        if queued > 0:
            while bhead[cur & mask] == -1 and cur < dk:
                cur += 1
        if queued > 0 and bhead[cur & mask] != -1:  # the queue's next is no farther
            v = _bucket_pop(cur, mask, ws)
            queued -= 1
            if idist[v] != cur:
                continue  # reached again nearer
            idist[v] = -1
        else:
            v = order[p]
            p += 1
            cur = dk
        cdist[v] = float(cur)
        for k in range(rptr[v], rptr[v + 1]):
            w = rsrc[k]
            if untrusted[w] or dist[w] == INF or clean[w] > 0.0 or cdist[w] < INF:
                continue
            nd = cur + riw[k]
            if nd < idist[w]:
                entries = _bucket_push(w, nd, entries, mask, ws)
                queued += 1
                idist[w] = nd


@nb.njit(cache=True, nogil=True)
def heap_search(root, g, untrusted, clean_only, dist, order, ws):
    """:func:`dial_search` with a binary heap, for real-valued weights. With ``clean_only`` it
    is the clean-distance search instead: it never enters an untrusted node and records only
    ``dist``/``order``."""
    indices, rptr, rsrc, rarc, rw = g[0], g[1], g[2], g[3], g[4]
    chead, cnext, hk, hv = ws[4], ws[5], ws[9], ws[10]
    for i in range(dist.shape[0]):
        dist[i] = INF
    if clean_only and untrusted[root]:
        return 0
    dist[root] = 0.0
    chead[root] = -1
    ws[7][0] = 0
    size = _heap_push(hk, hv, 0, 0.0, root)
    count, top = 0, 0
    while size > 0:
        d, v, size = _heap_pop(hk, hv, size)
        if d > dist[v]:
            continue  # stale entry; weights > 0 so a settled node is never pushed again
        order[count] = v
        if not clean_only:
            top = _settle(v, count, top, indices, untrusted, ws)
        count += 1
        for k in range(rptr[v], rptr[v + 1]):
            w = rsrc[k]
            if clean_only and untrusted[w]:
                continue
            nd = d + rw[k]
            if nd < dist[w]:
                dist[w] = nd
                size = _heap_push(hk, hv, size, nd, w)
                if not clean_only:
                    _candidate(w, rarc[k], True, chead, cnext)
            elif nd == dist[w] and not clean_only:
                _candidate(w, rarc[k], False, chead, cnext)
    return count


@nb.njit(cache=True, nogil=True)
def search(root, g, untrusted, dist, order, ws):
    """The ECMP search from ``root``: Dial when ``g`` has buckets (integer weights), else the
    heap. Fills ``dist``/``order`` and the next hops and clean shares in ``ws``."""
    if g[6] > 0:
        return dial_search(root, g, untrusted, dist, order, ws)
    return heap_search(root, g, untrusted, False, dist, order, ws)


@nb.njit(cache=True, nogil=True)
def far_to_near(count, order, indices, ws, own, volume, sens, flow, acc_node, acc_arc):
    """Push every demand's volume down the DAG of the last non-clean search. ``own[v]`` holds
    (volume, sensitive volume) of demand (v, root), consumed; with ``volume`` > 0 every settled
    node but the root also sends ``volume`` (sensitive where ``sens[v]``)."""
    nh_ptr, nh_arc = ws[7], ws[8]
    for i in range(count - 1, -1, -1):
        v = order[i]
        f = flow[v, 0] + own[v, 0]
        fs = flow[v, 1] + own[v, 1]
        flow[v, 0] = 0.0
        flow[v, 1] = 0.0
        own[v, 0] = 0.0
        own[v, 1] = 0.0
        if i > 0 and volume != 0.0:
            f += volume
            if sens[v]:
                fs += volume
        acc_node[v, 0] += f
        acc_node[v, 1] += fs
        k0 = nh_ptr[i]
        k1 = nh_ptr[i + 1]
        if k1 == k0 or (f == 0.0 and fs == 0.0):
            continue
        share = f / (k1 - k0)
        share_s = fs / (k1 - k0)
        for k in range(k0, k1):
            a = nh_arc[k]
            u = indices[a]
            flow[u, 0] += share
            flow[u, 1] += share_s
            acc_arc[a, 0] += share
            acc_arc[a, 1] += share_s


@nb.njit(cache=True, nogil=True)
def _both_searches(t, g, untrusted, want_clean, dist, cdist, order, corder, ws):
    count = search(t, g, untrusted, dist, order, ws)
    if want_clean and g[6] > 0:
        dial_clean(t, g, untrusted, dist, order, count, cdist, ws)
    elif want_clean:
        heap_search(t, g, untrusted, True, cdist, corder, ws)
    return count


@nb.njit(cache=True, nogil=True)
def _chunk_explicit(
    roots, dptr, dsrc, dvol, dsens, g, untrusted, want_clean, acc_node, acc_arc, out
):
    n = g[1].shape[0] - 1
    ws = workspace(n, g[0].shape[0], g[6], g[0])
    dist, cdist = np.empty(n), np.empty(n)
    order, corder = np.empty(n, g[0].dtype), np.empty(n, g[0].dtype)
    own, flow = np.zeros((n, 2)), np.zeros((n, 2))
    for r in range(roots.shape[0]):
        t = roots[r]
        count = _both_searches(t, g, untrusted, want_clean, dist, cdist, order, corder, ws)
        for k in range(dptr[r], dptr[r + 1]):
            s = dsrc[k]
            if dist[s] < INF:
                own[s, 0] += dvol[k]
                if dsens[k]:
                    own[s, 1] += dvol[k]
            out[0, k] = 1.0 - ws[6][s] if dist[s] < INF else np.nan
            out[1, k] = dist[s]
            out[2, k] = cdist[s] if want_clean else np.nan
        far_to_near(count, order, g[0], ws, own, 0.0, untrusted, flow, acc_node, acc_arc)


@nb.njit(cache=True, parallel=True)
def run_explicit(chunk_ptr, roots, dptr, dsrc, dvol, dsens, g, untrusted, want_clean):
    """Explicit demands grouped by root: ``roots[r]`` owns demands ``dptr[r]:dptr[r+1]``;
    chunk ``c`` owns roots ``chunk_ptr[c]:chunk_ptr[c+1]``. Returns per-chunk node and arc
    (volume, sensitive volume) and per demand (exposed share, distance, clean distance)."""
    n = g[1].shape[0] - 1
    m = g[0].shape[0]
    nchunks = chunk_ptr.shape[0] - 1
    acc_node = np.zeros((nchunks, n, 2), np.float64)
    acc_arc = np.zeros((nchunks, m, 2), np.float64)
    out = np.empty((3, dsrc.shape[0]), np.float64)
    for c in nb.prange(nchunks):
        r0 = chunk_ptr[c]
        r1 = chunk_ptr[c + 1]
        d0 = dptr[r0]
        d1 = dptr[r1]
        _chunk_explicit(
            roots[r0:r1], dptr[r0 : r1 + 1] - d0, dsrc[d0:d1], dvol[d0:d1], dsens[d0:d1],
            g, untrusted, want_clean, acc_node[c], acc_arc[c], out[:, d0:d1],
        )  # fmt: skip
    return acc_node, acc_arc, out


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
    """Keep the k largest (key desc, idx asc); ``kmin`` is the slot of the current minimum.
    The kept set does not depend on the insertion order (pair indices are unique)."""
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
def _fold_root(
    t, volume, vmat, sens, label, dist, cdist, clean, want_clean, stats, hist, tk, ti, kmin
):
    """Fold the demands (v, t) of one root into ``stats``/``hist``/top-k, in node order. A
    demand carries ``volume``, or ``vmat[label[v], label[t]]`` when ``vmat`` is not empty
    (then only positive entries are demands).

    stats: 0 demands, 1 unroutable, 2 exposed volume, 3 routable sensitive demands, 4 their
    volume, 5 sensitive exposed volume, 6 demands with a clean path, 7 sensitive ones with a
    clean path, 8 sensitive demands exposed, 9 sum of stretch over clean demands, 10 volume of
    all demands, 11 sensitive demands, 12 their volume (10-12 include unroutable ones)."""
    n = dist.shape[0]
    dense = vmat.shape[0] > 0
    st = sens[t]
    s = np.zeros(stats.shape[0])
    for v in range(n):
        if v == t:
            continue
        vol = vmat[label[v], label[t]] if dense else volume
        if dense and vol <= 0.0:
            continue
        sv = st or sens[v]
        s[0] += 1
        s[10] += vol
        if sv:
            s[11] += 1
            s[12] += vol
        if dist[v] == INF:  # unroutable pairs rank worst of all, as in the explicit engine
            s[1] += 1
            key = 6.0 if sv else 4.0
            if key >= tk[kmin]:
                kmin = _topk_insert(tk, ti, key, label[v] * n + label[t], kmin)
            continue
        e = 1.0 - clean[v]
        s[2] += e * vol
        hist[_hist_bin(e)] += 1
        has_clean = want_clean and cdist[v] < INF
        if has_clean:
            s[6] += 1
            s[9] += cdist[v] / dist[v]
        if sv:
            s[3] += 1
            s[4] += vol
            s[5] += e * vol
            if has_clean:
                s[7] += 1
            if e > 0.0:
                s[8] += 1
        key = e + 2.0 if sv else e
        if key >= tk[kmin]:
            kmin = _topk_insert(tk, ti, key, label[v] * n + label[t], kmin)
    stats += s
    return kmin


@nb.njit(cache=True, nogil=True)
def _chunk_all_pairs(
    roots,
    volume,
    vmat,
    sens,
    label,
    g,
    untrusted,
    want_clean,
    acc_node,
    acc_arc,
    stats,
    hist,
    tk,
    ti,
):
    """All pairs: every (v, t), v != t, carries ``volume`` (or the positive entries of the
    dense matrix ``vmat``, indexed by ``label``); sensitive when either end is in ``sens``.
    Per-demand results are folded into ``stats``/``hist``/top-k."""
    n = g[1].shape[0] - 1
    ws = workspace(n, g[0].shape[0], g[6], g[0])
    dist, cdist = np.empty(n), np.empty(n)
    order, corder = np.empty(n, g[0].dtype), np.empty(n, g[0].dtype)
    own, flow = np.zeros((n, 2)), np.zeros((n, 2))
    sens_t = np.empty(n, np.bool_)
    dense = vmat.shape[0] > 0
    kmin = 0
    for r in range(roots.shape[0]):
        t = roots[r]
        count = _both_searches(t, g, untrusted, want_clean, dist, cdist, order, corder, ws)
        for v in range(n):
            sens_t[v] = sens[v] or sens[t]
        if dense:
            for i in range(1, count):
                v = order[i]
                x = vmat[label[v], label[t]]
                own[v, 0] = x
                own[v, 1] = x if sens_t[v] else 0.0
        far_to_near(
            count, order, g[0], ws, own, 0.0 if dense else volume, sens_t, flow, acc_node,
            acc_arc,
        )  # fmt: skip
        kmin = _fold_root(
            t, volume, vmat, sens, label, dist, cdist, ws[6], want_clean, stats, hist, tk, ti,
            kmin,
        )  # fmt: skip


N_STATS = 13


@nb.njit(cache=True, parallel=True)
def run_all_pairs(chunk_ptr, roots, volume, vmat, sens, label, g, untrusted, want_clean, k):
    """All pairs toward ``roots``, chunk ``c`` owning roots ``chunk_ptr[c]:chunk_ptr[c+1]``;
    ``vmat`` is an empty (0, 0) array, or the dense demand matrix (then ``volume`` is unused).
    Returns per-chunk node/arc (volume, sensitive volume), stats, histogram and top-k."""
    n = g[1].shape[0] - 1
    m = g[0].shape[0]
    nchunks = chunk_ptr.shape[0] - 1
    acc_node = np.zeros((nchunks, n, 2), np.float64)
    acc_arc = np.zeros((nchunks, m, 2), np.float64)
    stats = np.zeros((nchunks, N_STATS), np.float64)
    hist = np.zeros((nchunks, N_HIST), np.int64)
    tk = np.full((nchunks, max(k, 1)), -1.0)
    ti = np.full((nchunks, max(k, 1)), np.int64(1) << 62)
    for c in nb.prange(nchunks):
        _chunk_all_pairs(
            roots[chunk_ptr[c] : chunk_ptr[c + 1]], volume, vmat, sens, label, g, untrusted,
            want_clean, acc_node[c], acc_arc[c], stats[c], hist[c], tk[c], ti[c],
        )  # fmt: skip
    return acc_node, acc_arc, stats, hist, tk, ti
