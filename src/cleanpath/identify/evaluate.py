"""Score identifications against labels: accuracy, per-vendor precision/recall, confusions.

Pure: the benchmark (``benchmarks/identify_accuracy.py``) and the shared-data tests read the
labelled ``devices.csv`` and the recordings, then call :func:`score`. A label is a vendor
name, resolved with ``kb.vendor_by_name`` exactly as a device's ENTITY-MIB manufacturer
string is (curated names, ``names.csv``, else the IANA registrant with the same name key):
"Ubiquiti" and "Ubiquiti Networks, Inc." are one vendor because they have one key; a label
that several makers use ("Tandberg": Tandberg Data or Tandberg ASA, now Cisco) is met by
any of them, as such a name in a device field supports any of them. A label nothing
resolves can only be missed. ``devices_from_labelled_csv`` turns rows of the shared
``devices.csv`` into records carrying the same keys the readers use.

>>> from cleanpath.kb import load_kb
>>> from cleanpath.identify import identify
>>> devs = [DeviceRecord("a", sys_descr="Huawei Versatile Routing Platform Software")]
>>> s = score(devs, identify(devs, load_kb()), {"a": "Huawei"}, load_kb())
>>> s.accuracy, s.per_vendor["huawei"].recall
(1.0, 1.0)
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cleanpath.domain import DeviceRecord
from cleanpath.identify.model import Identification
from cleanpath.kb import KnowledgeBase, PenMeaning, RelationKind, load_kb, pen_of_oid
from cleanpath.kb.macindex import block_start

__all__ = [
    "TARGETS",
    "Score",
    "VendorScore",
    "devices_from_labelled_csv",
    "devices_from_labelled_rows",
    "label_signal",
    "score",
    "split_by_group",
]

#: the vendors the audit is about (manufacturer keys)
TARGETS = ("huawei", "zte", "h3c", "hikvision", "dahua", "hytera")
_BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 0.99), (0.99, 1.01))
_GROUP = (RelationKind.SUBSIDIARY_OF, RelationKind.AFFILIATE_OF, RelationKind.SUCCESSOR_OF)


@dataclass(frozen=True, slots=True)
class VendorScore:
    """Counts for one vendor: true/false positives, misses, and the derived rates."""

    vendor: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass(frozen=True, slots=True)
class Score:
    """Accuracy over labelled devices, per-vendor scores, confusions and the misses."""

    labelled: int
    correct: int
    group_correct: int
    unknown: int
    per_vendor: Mapping[str, VendorScore]
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: tuple[tuple[str, str, str], ...] = ()
    false_targets: tuple[tuple[str, str, str], ...] = ()
    reliability: tuple[tuple[float, float, int, int], ...] = ()

    def reliability_table(self) -> list[str]:
        """Lines ``confidence lo-hi: n named, share correct`` (calibration check)."""
        return [
            f"confidence {lo:.2f}-{hi:.2f}: {n:4d} named, {ok / n:.3f} correct"
            for lo, hi, n, ok in self.reliability
            if n
        ]

    @property
    def accuracy(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0

    @property
    def group_accuracy(self) -> float:
        return self.group_correct / self.labelled if self.labelled else 1.0


def _group(key: str | None, kb: KnowledgeBase) -> set[str]:
    """The vendor and those it is (or was) in one corporate group with."""
    if key is None or key not in kb.vendors:
        return set()
    out = {key}
    for other in kb.vendors.values():
        for r in other.relations:
            if r.kind in _GROUP and r.other == key:
                out.add(other.key)
    out |= {r.other for r in kb.vendor(key).relations if r.kind in _GROUP}
    return out


@dataclass
class _Tally:
    """Running counts of :func:`score`."""

    targets: Sequence[str]
    counts: dict[str, list[int]] = field(default_factory=dict)
    labelled: int = 0
    correct: int = 0
    group_correct: int = 0
    unknown: int = 0
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_targets: list[tuple[str, str, str]] = field(default_factory=list)
    named: list[tuple[float, bool]] = field(default_factory=list)

    def add(
        self, node: str, label: str, truth: str | None, ident: Identification, kb: KnowledgeBase
    ) -> None:
        got = ident.manufacturer
        for t in self.targets:
            c = self.counts.setdefault(t, [0, 0, 0])
            c[0] += truth == t and got == t
            c[1] += got == t and truth != t
            c[2] += truth == t and got != t
        if got in self.targets and truth != got:
            self.false_targets.append((node, label or "(no label)", got or ""))
        if truth is None:
            return
        self.labelled += 1
        self.unknown += got is None
        if got is not None:
            self.named.append((ident.confidence, got == truth))
        self.correct += got == truth
        self.group_correct += got == truth or (got is not None and got in _group(truth, kb))
        if got != truth:
            self.confusions[(label, got or "(unknown)")] += 1
            self.misses.append((node, label, got or "(unknown)"))

    def result(self) -> Score:
        bins = tuple(
            (
                lo,
                hi,
                sum(lo <= c < hi for c, _ in self.named),
                sum(ok for c, ok in self.named if lo <= c < hi),
            )
            for lo, hi in _BINS
        )
        per_vendor = {t: VendorScore(t, *self.counts.get(t, [0, 0, 0])) for t in self.targets}
        return Score(
            self.labelled, self.correct, self.group_correct, self.unknown, per_vendor,
            self.confusions, tuple(self.misses), tuple(self.false_targets), bins,
        )  # fmt: skip


def score(
    devices: Sequence[DeviceRecord],
    idents: Sequence[Identification],
    labels: Mapping[str, str],
    kb: KnowledgeBase,
    *,
    targets: Sequence[str] = TARGETS,
) -> Score:
    """Score ``idents`` (one per device) against ``labels`` (node -> vendor name; blank or
    absent = unknown, not scored, but a target vendor called on it is a false positive)."""
    tally = _Tally(targets)
    for dev, ident in zip(devices, idents, strict=True):
        label = (labels.get(dev.node) or "").strip()
        vendor = kb.vendor_by_name(label) if label else None
        truth = vendor.key if vendor else (f"?{label}" if label else None)
        makers = kb.makers_named(label) if label and vendor is None else ()
        if makers:  # a name several makers use: any of them is what the label says
            truth = ident.manufacturer if ident.manufacturer in makers else makers[0]
        tally.add(dev.node, label, truth, ident, kb)
    return tally.result()


_CSV_EXTRA = {
    "entPhysicalMfgName": "ent_physical_mfg_name",
    "entPhysicalModelName": "ent_physical_model_name",
    "entPhysicalDescr_first": "ent_physical_descr",
    "lldpLocSysDesc": "lldp_loc_sys_desc",
    "lldpLocChassisId_mac": "lldp_chassis_mac",
    "bridge_base_mac": "bridge_mac",
}


def _if_macs(text: str, orgs: str = "", kb: KnowledgeBase | None = None) -> tuple[str, ...]:
    """``'00055A:3;F47960:1'`` (OUI:count) -> one representative MAC per OUI.

    The CSV keeps only each address's first 24 bits, and its ``if_mac_oui_orgs`` names the
    registrant of the longest block the real address fell in. Under an OUI split into MA-M or
    MA-S blocks the representative is put inside the block whose registrant the CSV names
    (when the ``kb`` has one), so the lookup finds the block the real address was in.

    >>> _if_macs("00055A:3;F47960:1")
    ('00:05:5a:00:00:01', 'f4:79:60:00:00:01')
    """
    names = {n.strip() for n in orgs.split(";") if n.strip()}
    nested = _nested_blocks(kb) if kb is not None and names else {}
    out = []
    for word in re.split(r"[;\s]+", text.strip()):
        oui = word.split(":", 1)[0].lower()
        if len(oui) != 6 or not all(c in "0123456789abcdef" for c in oui):
            continue
        start = next((a for a, name in nested.get(oui, ()) if name in names), int(oui, 16) << 24)
        digits = f"{start + 1:012x}"
        out.append(":".join(digits[k : k + 2] for k in range(0, 12, 2)))
    return tuple(out)


_NESTED: dict[int, dict[str, list[tuple[int, str]]]] = {}


def _nested_blocks(kb: KnowledgeBase) -> dict[str, list[tuple[int, str]]]:
    """OUI (6 hex digits) -> [(first address of an MA-M/MA-S block under it, registrant)]."""
    table = kb.oui_table()
    if id(table) not in _NESTED:
        out: dict[str, list[tuple[int, str]]] = {}
        for e in table.entries():
            if e.bits > 24:
                start = block_start(e.prefix)
                out.setdefault(f"{start >> 24:06x}", []).append((start, e.long_name))
        _NESTED[id(table)] = out
    return _NESTED[id(table)]


def split_by_group(
    rows: Sequence[Mapping[str, str]], *, salt: str = "cleanpath"
) -> tuple[list[Mapping[str, str]], list[Mapping[str, str]]]:
    """Two halves of devices.csv rows, whole near-duplicate groups (``dedup_group``, else the
    file) on one side, chosen by a hash: a held-out check of what the KB learnt from labels.

    >>> a, b = split_by_group([{"dedup_group": "g1", "file": f} for f in "xy"])
    >>> len(a) + len(b), len(a) in (0, 2)
    (2, True)
    """
    halves: tuple[list[Mapping[str, str]], list[Mapping[str, str]]] = ([], [])
    for row in rows:
        key = f"{salt}:{row.get('dedup_group') or row.get('file')}".encode()
        halves[hashlib.sha256(key).digest()[0] & 1].append(row)
    return halves


def devices_from_labelled_csv(
    text: str, *, signals: str = "all", kb: KnowledgeBase | None = None
) -> tuple[list[DeviceRecord], dict[str, str]]:
    """Records and labels from the shared ``devices.csv`` text (node = the ``file`` column).

    ``signals='baseline'`` keeps only sysObjectID and sysDescr; ``'all'`` also the
    ENTITY-MIB names, LLDP local description, bridge/chassis MACs and interface OUIs.
    """
    rows = list(csv.DictReader(io.StringIO(text)))
    return devices_from_labelled_rows(rows, signals=signals, kb=kb)


def devices_from_labelled_rows(
    rows: Sequence[Mapping[str, str]], *, signals: str = "all", kb: KnowledgeBase | None = None
) -> tuple[list[DeviceRecord], dict[str, str]]:
    """:func:`devices_from_labelled_csv` for rows already read (``kb``: whose MAC blocks
    place the interface addresses, default the shipped one)."""
    kb = kb if kb is not None else load_kb()
    devices: list[DeviceRecord] = []
    labels: dict[str, str] = {}
    for row in rows:
        node = row["file"]
        labels[node] = row["manufacturer"]
        extra: dict[str, object] = {}
        if signals == "all":
            extra = {k: row[c] for c, k in _CSV_EXTRA.items() if row.get(c)}
            if row.get("if_mac_ouis"):
                extra["if_macs"] = _if_macs(row["if_mac_ouis"], row.get("if_mac_oui_orgs", ""), kb)
        devices.append(
            DeviceRecord(
                node,
                sys_object_id=row["sysObjectID"] or None,
                sys_descr=row["sysDescr"] or None,
                extra=extra,
            )
        )
    return devices, labels


#: devices.csv columns that carry text a device gives about itself (MAC registrant names too)
SELF_TEXT = (
    "sysDescr", "entPhysicalMfgName", "entPhysicalModelName", "entPhysicalDescr_first",
    "lldpLocSysDesc", "bridge_or_chassis_mac_org", "if_mac_oui_orgs",
)  # fmt: skip
#: a sysDescr that says nothing of a maker: empty, hidden, or a bare OS banner
_BLANK_DESCR = re.compile(
    r"^(|<private>|-+|(linux|freebsd|netbsd|openbsd|sunos|windows)\b.*)$", re.I | re.S
)


def _loose(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "


def label_signal(row: Mapping[str, str], kb: KnowledgeBase) -> str:
    """What a labelled ``devices.csv`` row carries about its label's maker (or its group):

    ``named``: a self-describing field (:data:`SELF_TEXT`) contains one of the maker's names
    (a loose substring test, generous on purpose), or the sysObjectID's enterprise number is
    the maker's or known from its devices; ``nothing``: no field names any maker — no
    sysObjectID or a software stack's, a blank or bare OS-banner sysDescr, no ENTITY-MIB or
    LLDP text and no MAC registrant; ``other``: the fields say something, but never the
    label's maker (another maker, or a model number only a product list would place).
    Unlabelled rows are ``unlabelled``. A ``nothing`` row can be right only through a
    product family's board or host name in its OS banner (Huawei's SMU says ``Linux
    GSE200M``), never through a maker's name, number or MAC block.

    >>> kb = load_kb()
    >>> row = {"manufacturer": "Sophos", "sysObjectID": "1.3.6.1.4.1.8072.3.2.10",
    ...        "sysDescr": "Linux fw1 3.12.40-smp64 #1 SMP x86_64"}
    >>> label_signal(row, kb)
    'nothing'
    >>> label_signal({**row, "manufacturer": "Huawei", "sysDescr": "Huawei VRP"}, kb)
    'named'
    >>> label_signal({**row, "sysDescr": "SDS_BIG_STSW www.AN-D.cz"}, kb)
    'other'
    """
    label = (row.get("manufacturer") or "").strip()
    if not label:
        return "unlabelled"
    vendor = kb.vendor_by_name(label)
    group = ({vendor.key} | _group(vendor.key, kb)) if vendor else set()
    group |= set(kb.makers_named(label))
    names = {label, *(vendor.names() if vendor else ()), *(k for k in group if len(k) >= 4)}
    names |= {n for k in group if k in kb.vendors for n in kb.vendor(k).names()}
    hay = _loose(" ".join(row.get(c) or "" for c in SELF_TEXT))
    if any(len(n.strip()) >= 3 and n in hay for n in (_loose(x).strip() for x in names)):
        return "named"
    pen = pen_of_oid(row.get("sysObjectID") or "")
    entry = kb.pen(pen) if pen is not None else None
    if entry is not None and group & {entry.vendor_key, entry.seen_on, *entry.among}:
        return "named"
    stack = entry is None or entry.meaning == PenMeaning.STACK or entry.vendor_key is None
    quiet = not any(row.get(c) for c in SELF_TEXT[1:])
    if stack and quiet and _BLANK_DESCR.match((row.get("sysDescr") or "").strip()):
        return "nothing"
    return "other"
