"""Serve every shared LibreNMS recording with snmpsim, discover them live, identify them, and
compare with the ``manufacturer`` labels of devices.csv (and with identifying the same
recordings read from file, which shows what polling loses or keeps)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from cleanpath.discover.run import discover
from cleanpath.discover.simulator import SnmpSimulator
from cleanpath.discover.targets import Target
from cleanpath.ingest.snmprec import read_snmprec

#: agreement reached when this test was written (see docs/discovery.md); a floor, not a goal
AGREEMENT_FLOOR = 0.85
FILE_PARITY_FLOOR = 0.97


def _labels(shared: Path) -> dict[str, str]:
    with (shared / "devices" / "devices.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        Path(r["raw_snmprec"]).stem: r["manufacturer"].strip()
        for r in rows
        if r["raw_snmprec"] and "@" not in Path(r["raw_snmprec"]).stem
    }


@pytest.mark.shared
@pytest.mark.slow
def test_live_discovery_reproduces_the_labels(shared_data: Path) -> None:
    from cleanpath.identify import identify
    from cleanpath.kb import load_kb

    folder = shared_data / "devices" / "snmprec"
    labels = _labels(shared_data)
    files = [folder / f"{s}.snmprec" for s in sorted(labels) if (folder / f"{s}.snmprec").is_file()]
    labels = {f.stem: labels[f.stem] for f in files}
    with SnmpSimulator(files, startup_timeout=600) as sim:
        targets = [Target("127.0.0.1", sim.port, f.stem) for f in files]
        result = discover(targets, timeout=5.0, retries=1)
    answered = {a.agent.rsplit("/", 1)[1]: a for a in result.agents}
    failed = sorted(stem for stem, a in answered.items() if not a.ok)
    polled = [d for d in result.inventory.devices if d.extra.get("agent")]
    kb = load_kb()
    live = {
        d.extra["agent"].rsplit("/", 1)[1]: i
        for d, i in zip(polled, identify(polled, kb), strict=True)
    }
    offline_inv = read_snmprec(folder, skip_bad=True)
    offline = {
        d.node: i
        for d, i in zip(offline_inv.devices, identify(offline_inv.devices, kb), strict=True)
    }
    labelled = {s: lab for s, lab in labels.items() if lab}
    agree = [s for s, lab in labelled.items() if _name(live.get(s)) == lab.casefold()]
    parity = [s for s in labels if _name(live.get(s)) == _name(offline.get(s))]
    unequal = sorted(
        (s, _name(live.get(s)), _name(offline.get(s))) for s in labels if s not in parity
    )
    misses = Counter(
        (lab, _name(live.get(s)) or "-") for s, lab in labelled.items() if s not in agree
    )
    report = (
        f"{len(files)} recordings, {len(failed)} agents failed {failed[:10]}; "
        f"label agreement {len(agree)}/{len(labelled)} = {len(agree) / len(labelled):.1%}; "
        f"live vs file parity {len(parity)}/{len(labels)} (differ: {unequal}); "
        f"misses (label, identified) {misses.most_common(40)}"
    )
    print(report)
    assert len(agree) / len(labelled) >= AGREEMENT_FLOOR, report
    assert len(parity) / len(labels) >= FILE_PARITY_FLOOR, report


def _name(ident: object) -> str | None:
    name = getattr(ident, "manufacturer_name", None)
    return name.casefold() if isinstance(name, str) else None
