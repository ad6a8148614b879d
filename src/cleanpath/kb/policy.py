"""Policies (lists of covered entities) and the verdicts they give on identified devices.

A verdict follows the *manufacturer*, not the brand, and is computed *as of* a date: an
entity counts only from the day it was added, and a subsidiary only while it belonged to the
entity (the vendor relations in ``vendors.yaml`` carry those dates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from cleanpath.domain import CoverStatus, DeviceRecord
from cleanpath.kb.model import Confidence, RelationKind, Source, Vendor

__all__ = ["EvidenceLike", "IdentificationLike", "Policy", "PolicyEntry", "Verdict"]

STRONG = 0.5
#: below this identification confidence a listed maker makes a device *unknown* (needs
#: inspection), never *covered*: e.g. Hytera named only by lwIP's bare root sysObjectID
COVER_CONFIDENCE = 0.4
RIVAL = 0.3  # evidence this strong for a listed maker that lost the vote makes a verdict unknown
_GROUP_KINDS = (RelationKind.SUBSIDIARY_OF, RelationKind.AFFILIATE_OF)


class EvidenceLike(Protocol):
    """What a verdict reads of one piece of evidence (``identify.Evidence`` satisfies it)."""

    @property
    def signal(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def points_to(self) -> str | None: ...
    @property
    def weight(self) -> float: ...
    @property
    def detail(self) -> str: ...
    @property
    def about(self) -> str: ...


class IdentificationLike(Protocol):
    """What a verdict reads of an identification (``identify.Identification`` satisfies it)."""

    @property
    def device(self) -> DeviceRecord: ...
    @property
    def brand(self) -> str | None: ...
    @property
    def manufacturer(self) -> str | None: ...
    @property
    def conflicts(self) -> tuple[str, ...]: ...
    @property
    def evidence(self) -> Sequence[EvidenceLike]: ...
    @property
    def confidence(self) -> float: ...


@dataclass(frozen=True, slots=True)
class PolicyEntry:
    """One listed entity: who, what (``text``), in which ``scope``, since when, per which source."""

    id: str
    entity: str
    entity_name: str
    text: str
    category: str
    scope: str
    date_added: date
    affiliates: bool
    confidence: Confidence
    source: Source
    note: str | None = None
    uses: tuple[str, ...] = ()

    def applies_to(self, use: str, policy_uses: tuple[str, ...]) -> bool:
        """Whether the entry restricts a device used for ``use``."""
        if self.scope == "all":
            return True
        return use in (self.uses or policy_uses)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer of one policy for one device, with the entry and the reason."""

    node: str
    status: CoverStatus
    policy: str
    entry: PolicyEntry | None
    as_of: date
    reason: str
    manufacturer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        e = self.entry
        return {
            "node": self.node,
            "status": str(self.status),
            "policy": self.policy,
            "entity": e.entity_name if e else None,
            "scope": e.scope if e else None,
            "date_added": e.date_added.isoformat() if e else None,
            "source": str(e.source) if e else None,
            "as_of": self.as_of.isoformat(),
            "manufacturer": self.manufacturer,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class _Tie:
    """Whether a vendor belongs to a listed entity on a day: True, False or None (unknown)."""

    status: bool | None
    text: str = ""


def _tie(key: str, entity: str, day: date, vendors: Mapping[str, Vendor], depth: int = 0) -> _Tie:
    if key == entity:
        return _Tie(True)
    vendor = vendors.get(key)
    if vendor is None or depth > 4:
        return _Tie(False)
    found: list[_Tie] = []
    for rel in vendor.relations:
        other = vendors[rel.other].name if rel.other in vendors else rel.other
        sure = f"confidence {rel.confidence}"
        if rel.kind == RelationKind.BUSINESS_FROM and rel.other == entity:
            what = rel.note or f"{vendor.name} took over a business of {other}"
            found.append(_Tie(None, f"{what} ({rel.period()}; {sure})"))
        if rel.kind not in _GROUP_KINDS:
            continue
        upper = _tie(rel.other, entity, day, vendors, depth + 1)
        if upper.status is False:
            continue
        active = rel.active_on(day)
        if active is not False and rel.confidence == Confidence.UNVERIFIED:
            active = None
        kind = rel.kind.value.replace("_", " ")
        text = f"{vendor.name} {kind} {other} ({rel.period()}; {sure})"
        found.append(_Tie(active if upper.status else None, text))
    for wanted in (True, None, False):
        hits = [t for t in found if t.status is wanted]
        if hits:
            return _Tie(wanted, "; ".join(t.text for t in hits))
    return _Tie(False)


@dataclass(frozen=True, slots=True)
class Policy:
    """A jurisdiction's list of covered entities (e.g. ``us-fcc``), with its own source."""

    name: str
    title: str
    jurisdiction: str
    description: str
    source: Source
    as_of: date
    scope_uses: tuple[str, ...]
    scope_text: str
    milestones: tuple[tuple[date, str], ...]
    entries: tuple[PolicyEntry, ...]
    note: str = ""
    vendors: Mapping[str, Vendor] = field(default_factory=dict, repr=False, compare=False)

    def verdict(self, ident: IdentificationLike, *, as_of: date, use: str | None = None) -> Verdict:
        """Covered / not covered / unknown for ``ident`` on ``as_of``, with the reason.

        ``use`` is the device's use when known (one of ``scope_uses``); scoped entries
        (public safety, national security) are then decided by it.
        """
        maker = ident.manufacturer
        if maker is None:
            conflicts = "; ".join(ident.conflicts)
            why = f"evidence conflicts: {conflicts}" if conflicts else "no evidence names it"
            hinted = [str(c[0]) for c in getattr(ident, "candidates", ())]
            why += f"; it may be {' or '.join(hinted)}" if hinted else ""
            reason = f"manufacturer unknown ({why}), so {self.title} cannot be applied"
            return self._say(ident, as_of, CoverStatus.UNKNOWN, None, reason)
        rival = self._conflicting_listed(ident, as_of)
        if rival is not None:
            return rival
        return self._decide(ident, maker, as_of, use)

    def _say(
        self,
        ident: IdentificationLike,
        as_of: date,
        status: CoverStatus,
        entry: PolicyEntry | None,
        reason: str,
    ) -> Verdict:
        node = ident.device.node
        return Verdict(node, status, self.name, entry, as_of, reason, ident.manufacturer)

    def _decide(
        self, ident: IdentificationLike, maker: str, as_of: date, use: str | None
    ) -> Verdict:
        who = self._who(ident, maker)
        ended: list[str] = []
        unsure: tuple[PolicyEntry, _Tie] | None = None
        listed: list[tuple[PolicyEntry, str]] = []
        for entry in self.entries:
            tie = _tie(maker, entry.entity, as_of, self.vendors)
            if tie.status is True and (entry.affiliates or maker == entry.entity):
                listed.append((entry, who + (f" via {tie.text}" if tie.text else "")))
            elif tie.status is None and unsure is None:
                unsure = (entry, tie)
            elif tie.status is False and tie.text:
                ended.append(tie.text)
        if listed:
            return self._best_listed(ident, listed, as_of, use)
        if unsure is not None:
            entry, tie = unsure
            reason = (
                f"{who}: {tie.text}; whether {entry.entity_name} on {self.title} "
                f"covers it as of {as_of} is not settled"
            )
            return self._say(ident, as_of, CoverStatus.UNKNOWN, entry, reason)
        after = f" ({'; '.join(ended)})" if ended else ""
        reason = f"{who} is not on {self.title} as of {as_of}{after}"
        return self._say(ident, as_of, CoverStatus.NOT_COVERED, None, reason)

    def _best_listed(
        self,
        ident: IdentificationLike,
        listed: list[tuple[PolicyEntry, str]],
        as_of: date,
        use: str | None,
    ) -> Verdict:
        """The most binding entry: in force and applying to the use, else the next one."""
        verdicts = [self._listed(ident, entry, as_of, use, who) for entry, who in listed]
        rank = {CoverStatus.COVERED: 0, CoverStatus.UNKNOWN: 1, CoverStatus.NOT_COVERED: 2}
        in_force = [v for v in verdicts if v.entry is not None and v.entry.date_added <= as_of]
        pool = sorted(in_force, key=lambda v: rank[v.status]) or sorted(
            verdicts, key=lambda v: v.entry.date_added if v.entry else as_of
        )
        return pool[0]

    def _listed(
        self, ident: IdentificationLike, entry: PolicyEntry, as_of: date, use: str | None, who: str
    ) -> Verdict:
        if as_of < entry.date_added:
            reason = (
                f"{who} is on {self.title} only since {entry.date_added}; "
                f"not yet listed as of {as_of}"
            )
            return self._say(ident, as_of, CoverStatus.NOT_COVERED, entry, reason)
        head = f"{who} is on {self.title} since {entry.date_added} ({entry.entity_name})"
        if ident.confidence < COVER_CONFIDENCE:
            reason = (
                f"{head}, but the manufacturer was identified only at confidence "
                f"{ident.confidence:.2f} (below {COVER_CONFIDENCE}): needs inspection"
            )
            return self._say(ident, as_of, CoverStatus.UNKNOWN, entry, reason)
        scope_text = ", ".join(entry.uses) if entry.uses else self.scope_text
        if entry.scope == "all":
            status, tail = CoverStatus.COVERED, "scope: all uses"
        elif use is None:
            status = CoverStatus.COVERED
            tail = f"covered when used for {scope_text} (the site's use is not known)"
        elif entry.applies_to(use, self.scope_uses):
            status, tail = CoverStatus.COVERED, f"covered: used for {use}"
        else:
            status = CoverStatus.NOT_COVERED
            tail = f"but only when used for {scope_text}; stated use {use!r} is outside that scope"
        return self._say(ident, as_of, status, entry, f"{head}, {tail}")

    def _conflicting_listed(self, ident: IdentificationLike, as_of: date) -> Verdict | None:
        """UNKNOWN when evidence (not a NIC block) also points at a listed maker that lost."""
        if not ident.conflicts:
            return None
        rivals = {
            e.points_to
            for e in ident.evidence
            if e.points_to and e.weight >= RIVAL and e.about == "manufacturer"
        }
        rivals.discard(ident.manufacturer)
        for entry in self.entries:
            for rival in sorted(r for r in rivals if r):
                if _tie(rival, entry.entity, as_of, self.vendors).status is not False:
                    reason = (
                        f"evidence conflicts ({'; '.join(ident.conflicts)}): "
                        f"it also points at {rival}, listed as {entry.entity_name}"
                    )
                    return self._say(ident, as_of, CoverStatus.UNKNOWN, entry, reason)
        return None

    def _who(self, ident: IdentificationLike, maker: str) -> str:
        """``'manufacturer H3C, brand HPE (sys_descr … → …)'`` for the reason text."""
        name = self.vendors[maker].name if maker in self.vendors else maker
        brand = ident.brand
        branded = ""
        if brand and brand != maker:
            branded = f", brand {self.vendors[brand].name if brand in self.vendors else brand}"
        best = sorted((e for e in ident.evidence if e.points_to == maker), key=lambda e: -e.weight)
        cites = [f"{e.signal} {e.value} → {e.detail}" for e in best[:2]]
        cite = f" ({'; '.join(cites)})" if cites else ""
        return f"manufacturer {name}{branded}{cite}"

    def entity_keys(self) -> tuple[str, ...]:
        """Vendor keys of the listed entities, in list order."""
        return tuple(e.entity for e in self.entries)
