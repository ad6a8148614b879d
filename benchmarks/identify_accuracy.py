"""Vendor identification accuracy on the labelled LibreNMS data (../shared/data/devices).

Three runs, measured in the same process against the same labels:

1. baseline: devices.csv rows with sysObjectID and sysDescr only;
2. devices.csv rows with every signal the CSV carries (ENTITY-MIB names, LLDP local
   description, bridge/chassis MACs, interface OUIs);
3. every recording in snmprec/, read with ``cleanpath.ingest.snmprec.read_snmprec``
   (adds walked vendor subtrees, all interface MACs, every ENTITY-MIB row).

Prints, per run: accuracy on labelled rows (and accuracy within a corporate group), per
target vendor precision/recall, non-target devices called a target vendor, the confusion
summary and the misses. Caveat printed with the numbers: the registrant vendor table
(kb/data/vendors_registry.yaml) was derived from this same data, so these are development-set
numbers; the held-out split is the real test.

Run: ``.venv/bin/python benchmarks/identify_accuracy.py [../shared/data]``
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
from pathlib import Path

from cleanpath.identify import identify
from cleanpath.identify.evaluate import (
    TARGETS,
    Score,
    devices_from_labelled_csv,
    devices_from_labelled_rows,
    score,
    split_by_group,
)
from cleanpath.ingest.snmprec import read_snmprec
from cleanpath.kb import load_kb
from cleanpath.kb.build import kb_learnt_from


def show(name: str, s: Score, seconds: float, *, misses: int = 40) -> None:
    print(f"\n== {name}: {s.labelled} labelled devices, {seconds:.2f} s")
    print(
        f"accuracy {s.accuracy:.3f} ({s.correct}/{s.labelled}); within corporate group "
        f"{s.group_accuracy:.3f}; unknown {s.unknown}"
    )
    for t in TARGETS:
        v = s.per_vendor[t]
        print(
            f"  {t:10s} tp {v.tp:3d} fp {v.fp:2d} fn {v.fn:2d}  "
            f"precision {v.precision:.3f} recall {v.recall:.3f}"
        )
    print(f"non-target devices called a target vendor: {len(s.false_targets)}")
    for node, label, got in s.false_targets:
        print(f"  {node}: label {label!r}, identified {got}")
    print("calibration (identified devices with a label, by confidence):")
    for line in s.reliability_table():
        print(f"  {line}")
    print("top confusions (label -> identified):")
    for (label, got), n in s.confusions.most_common(15):
        print(f"  {n:3d}  {label} -> {got}")
    target_misses = [
        m
        for m in s.misses
        if m[1].lower() in {"huawei", "zte", "h3c", "hikvision", "dahua", "hytera"}
    ]
    print(f"misses of target vendors: {target_misses}")
    print(f"first {misses} misses:")
    for node, label, got in s.misses[:misses]:
        print(f"  {Path(node).name}: {label} -> {got}")


def held_out(shared: Path) -> None:
    """Learn the registrant tables from one half of devices.csv (whole near-duplicate groups),
    score the other half with that KB and with the KB learnt from everything."""
    text = (shared / "devices" / "devices.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    for name, (train, test) in (
        ("A->B", split_by_group(rows)),
        ("B->A", split_by_group(rows)[::-1]),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            half_kb = kb_learnt_from(train, Path(tmp))
        devices, labels = devices_from_labelled_rows(test)
        held = score(devices, identify(devices, half_kb), labels, half_kb)
        seen = score(devices, identify(devices, load_kb()), labels, load_kb())
        print(
            f"\n== held-out {name}: learnt from {len(train)} rows, scored on {s_count(held)}: "
            f"accuracy {held.accuracy:.3f} (KB learnt from all rows: {seen.accuracy:.3f}); "
            f"target precision {min(held.per_vendor[t].precision for t in TARGETS):.3f}, "
            f"non-targets called a target {len(held.false_targets)}"
        )
        found = {t: f"{v.tp}/{v.tp + v.fn}" for t, v in held.per_vendor.items() if v.tp + v.fn}
        print(f"   target vendors found (held-out KB): {found}")


def s_count(s: Score) -> str:
    return f"{s.labelled} labelled rows"


def main(shared: Path) -> None:
    kb = load_kb()
    text = (shared / "devices" / "devices.csv").read_text(encoding="utf-8")
    for signals in ("baseline", "all"):
        devices, labels = devices_from_labelled_csv(text, signals=signals)
        t0 = time.perf_counter()
        idents = identify(devices, kb)
        show(
            f"devices.csv, signals={signals}",
            score(devices, idents, labels, kb),
            time.perf_counter() - t0,
        )
    with (shared / "devices" / "devices.csv").open(encoding="utf-8", newline="") as fh:
        by_stem = {
            Path(r["raw_snmprec"]).stem: r["manufacturer"]
            for r in csv.DictReader(fh)
            if r["raw_snmprec"]
        }
    t0 = time.perf_counter()
    inv = read_snmprec(shared / "devices" / "snmprec", skip_bad=True)
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    idents = identify(inv.devices, kb)
    s = score(inv.devices, idents, by_stem, kb)
    show(
        f"snmprec/ via read_snmprec (read {read_s:.1f} s, {len(inv.skipped)} bad lines skipped)",
        s,
        time.perf_counter() - t0,
    )
    held_out(shared)
    print(
        "\ncaveat: kb/data/vendors_registry.yaml and pens_registry.csv were derived from this "
        "data (development split); the held-out 30% measures generalisation."
    )


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
