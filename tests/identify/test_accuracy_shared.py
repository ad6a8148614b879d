"""Identification against the LibreNMS labels: all signals vs the sysObjectID+sysDescr
baseline, measured in the same test (numbers are computed, floors are asserted)."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from cleanpath.domain import CoverStatus
from cleanpath.identify import identify
from cleanpath.identify.evaluate import (
    TARGETS,
    devices_from_labelled_csv,
    devices_from_labelled_rows,
    label_signal,
    score,
    split_by_group,
)
from cleanpath.ingest.snmprec import read_snmprec
from cleanpath.kb import DEFAULT_PATH, load_kb


@pytest.mark.shared
def test_devices_csv_all_signals_vs_baseline(shared_data: Path) -> None:
    kb = load_kb()
    text = (shared_data / "devices" / "devices.csv").read_text(encoding="utf-8")
    results = {}
    for signals in ("baseline", "all"):
        devices, labels = devices_from_labelled_csv(text, signals=signals)
        results[signals] = score(devices, identify(devices, kb), labels, kb)
    base, full = results["baseline"], results["all"]
    print(f"devices.csv accuracy: baseline {base.accuracy:.3f}, all signals {full.accuracy:.3f}")
    assert full.accuracy >= base.accuracy
    assert full.accuracy >= 0.89  # measured 0.915 (1056 of 1154 labelled rows)
    assert full.false_targets == ()  # no non-target device called a target vendor
    for t in TARGETS:
        assert full.per_vendor[t].precision == 1.0
    for t in ("huawei", "zte", "h3c", "hikvision"):
        assert full.per_vendor[t].recall == 1.0, full.misses


@pytest.mark.shared
def test_every_recording_through_read_snmprec(shared_data: Path) -> None:
    kb = load_kb()
    with (shared_data / "devices" / "devices.csv").open(encoding="utf-8", newline="") as fh:
        labels = {
            Path(r["raw_snmprec"]).stem: r["manufacturer"]
            for r in csv.DictReader(fh)
            if r["raw_snmprec"]
        }
    inv = read_snmprec(shared_data / "devices" / "snmprec", skip_bad=True)
    full = score(inv.devices, identify(inv.devices, kb), labels, kb)
    baseline_devices = [
        type(d)(d.node, sys_object_id=d.sys_object_id, sys_descr=d.sys_descr) for d in inv.devices
    ]
    base = score(baseline_devices, identify(baseline_devices, kb), labels, kb)
    print(f"snmprec accuracy: baseline {base.accuracy:.3f}, all signals {full.accuracy:.3f}")
    assert full.accuracy > base.accuracy
    assert full.accuracy >= 0.97  # measured 0.980 over 353 recordings
    assert full.false_targets == ()
    assert full.per_vendor["huawei"].recall == 1.0  # incl. the net-snmp SMUs (private MIB walk)
    hytera = next(i for i in identify(inv.devices, kb) if i.node == "hytera")
    # lwIP's bare root only: Hytera at low confidence, and the verdict needs inspection
    assert (hytera.manufacturer, hytera.confidence) == ("hytera", 0.36)
    verdict = kb.policy("us-fcc").verdict(hytera, as_of=date(2025, 1, 1))
    assert verdict.status is CoverStatus.UNKNOWN
    assert "needs inspection" in verdict.reason


@pytest.mark.shared
def test_both_halves_and_what_the_registry_alone_gives(shared_data: Path, tmp_path: Path) -> None:
    """Nothing is learnt from labels: both halves of devices.csv (near-duplicate groups
    together) score alike, and the IANA registry with the name normalisation alone (no
    names.csv, none of issue 3's product-family patterns) still finds every target vendor's
    device and calls no other one a target."""
    text = (shared_data / "devices" / "devices.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    kb = load_kb()
    halves = [
        score(*_scored(devices_from_labelled_rows(half), kb), kb) for half in split_by_group(rows)
    ]
    print("half accuracies", [round(h.accuracy, 3) for h in halves])
    assert min(h.accuracy for h in halves) >= 0.88  # measured 0.928 and 0.903
    assert all(h.false_targets == () for h in halves)
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_PATH, data, ignore=shutil.ignore_patterns("__pycache__"))
    (data / "names.csv").unlink()
    patterns = (data / "patterns.yaml").read_text(encoding="utf-8")
    (data / "patterns.yaml").write_text(patterns.split(_ROUND_MARK)[0], encoding="utf-8")
    bare = load_kb(data)
    plain = score(*_scored(devices_from_labelled_rows(rows), bare), bare)
    print(f"registry and normalisation only: {plain.accuracy:.3f}")
    assert plain.accuracy >= 0.55  # measured 0.61
    assert plain.false_targets == ()
    for t in ("huawei", "zte", "h3c", "hikvision"):
        assert plain.per_vendor[t].recall == 1.0


_ROUND_MARK = "  # --- issue 3, accuracy round"


def _scored(pair, kb):  # type: ignore[no-untyped-def]
    devices, labels = pair
    return devices, identify(devices, kb), labels


@pytest.mark.shared
def test_rows_that_name_no_maker_are_won_only_by_a_product_family(shared_data: Path) -> None:
    """label_signal's 'nothing' rows carry no maker's number, name or MAC block: whatever
    the engine names on them must come from a product-family pattern over the OS banner,
    never from a PEN, a name or a MAC; and they are too few to excuse the other misses."""
    text = (shared_data / "devices" / "devices.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    kb = load_kb()
    kinds = {r["file"]: label_signal(r, kb) for r in rows}
    devices, labels = devices_from_labelled_rows(rows, kb=kb)
    idents = identify(devices, kb)
    nothing = [i for d, i in zip(devices, idents, strict=True) if kinds[d.node] == "nothing"]
    assert 20 <= len(nothing) <= 60, len(nothing)  # measured 30
    for ident in nothing:
        used = {e.rule for e in ident.evidence if e.points_to and e.weight > 0}
        assert all(r.startswith("pattern:") for r in used), (ident.node, used)
    s = score(devices, idents, labels, kb)
    missed = {node for node, _, _ in s.misses}
    assert sum(kinds[n] == "nothing" for n in missed) < len(missed) / 2
