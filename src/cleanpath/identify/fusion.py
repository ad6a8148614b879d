"""Combine evidence into an identification: weighted vote, relabel resolution, conflicts.

Per vendor, the evidence that names it as manufacturer is first reduced to one vote per
signal (the strongest reading of sysDescr, of sysObjectID, of the ENTITY-MIB, … — several
patterns over the same text are not independent), and the votes combine as a noisy OR
(``1 - Π(1 - w)``). When one candidate is known to relabel another's products (``oem_from``
in vendors.yaml), the relabeller is the brand and its votes go to the maker; a parent
company's votes go to its subsidiary when the subsidiary has evidence of its own. Strong evidence
(weight ≥ 0.5) for unrelated makers is a conflict and lowers the confidence to
``best × (1 - runner-up)``; weaker disagreements (a NIC maker's MAC block) are listed as
conflicts but do not lower it. Below :data:`MIN_SCORE` the manufacturer is unknown and the
vendors the evidence hints at are kept as ``candidates``. How the weights were calibrated
is in docs/knowledge-base.md.

>>> from cleanpath.kb import load_kb
>>> from cleanpath.domain import DeviceRecord
>>> dev = DeviceRecord("sw1", sys_object_id="1.3.6.1.4.1.25506.11.1.120",
...                    sys_descr="HPE Comware Platform Software, Software Version 7.1.045")
>>> ident = identify_device(dev, load_kb())
>>> ident.manufacturer, ident.brand
('h3c', 'hpe')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from math import prod

from cleanpath.domain import DeviceRecord
from cleanpath.identify.model import Evidence, Identification
from cleanpath.identify.rules import Rule
from cleanpath.identify.signals import RULES
from cleanpath.kb import KnowledgeBase, RelationKind

__all__ = ["MIN_SCORE", "STRONG", "fuse", "identify", "identify_device"]

MIN_SCORE = 0.35  # below this combined weight the manufacturer stays unknown
STRONG = 0.5  # evidence at least this strong can conflict with other strong evidence
SPECIFIC = 0.45  # a subsidiary's own evidence this strong takes its parent's votes
HEARD_SIGNAL = "lldp_rem_sys_desc"  # what neighbours heard: never enough to relabel a device


def _noisy_or(weights: Iterable[float]) -> float:
    return 1.0 - prod(1.0 - w for w in weights)


def _maker_votes(evidence: Sequence[Evidence]) -> dict[str, list[Evidence]]:
    """Per vendor, the strongest evidence of each signal (all MAC blocks are one signal)."""
    best: dict[tuple[str, str], Evidence] = {}
    for e in evidence:
        if e.points_to and e.weight > 0 and e.about != "brand":
            key = (e.points_to, "nic" if e.about == "nic" else e.signal)
            if key not in best or best[key].weight < e.weight:
                best[key] = e
    votes: dict[str, list[Evidence]] = {}
    for (vendor, _), e in best.items():
        votes.setdefault(vendor, []).append(e)
    return votes


def _add_vote(votes: list[Evidence], e: Evidence) -> None:
    """Add ``e`` to one vendor's votes, keeping one vote per signal (the strongest)."""
    same = [v for v in votes if v.signal == e.signal and v.about != "nic"]
    if same and same[0].weight >= e.weight:
        return
    votes[:] = [v for v in votes if v not in same] + [e]


def _shared(votes: dict[str, list[Evidence]], evidence: Sequence[Evidence]) -> list[Evidence]:
    """Give the evidence of each name several makers use ("Alcatel-Lucent") to the one of its
    makers that the other evidence favours (the sysObjectID, a product pattern, a MAC block
    decide); it never conflicts with them. Return the evidence none of whose makers has other
    evidence: it names no one, but still disagrees with an unrelated winner."""
    before = {k: _noisy_or(e.weight for e in v) for k, v in votes.items()}
    loose: list[Evidence] = []
    for e in evidence:
        if not e.among or e.weight <= 0:
            continue
        held = [k for k in e.among if k in before]
        if held:
            _add_vote(votes[max(held, key=lambda k: (before[k], k))], e)
        else:
            loose.append(e)
    return loose


def _relabelled(votes: dict[str, list[Evidence]], kb: KnowledgeBase) -> str | None:
    """Fold a relabeller's votes into the maker it relabels (when the device's own signals,
    not only what neighbours heard, name the maker); return the relabeller's key."""
    for key in sorted(votes):
        for rel in kb.vendor(key).relations:
            own = [e for e in votes.get(rel.other, []) if e.signal != HEARD_SIGNAL]
            if rel.kind == RelationKind.OEM_FROM and own:
                votes[rel.other].extend(votes.pop(key))
                return key
    return None


_TAKES_VOTES = (RelationKind.SUBSIDIARY_OF, RelationKind.BUSINESS_FROM, RelationKind.SUCCESSOR_OF)


def _specific(votes: dict[str, list[Evidence]], kb: KnowledgeBase) -> None:
    """Fold a parent company's votes into its subsidiary's, and a former owner's into the
    vendor that took over the product line, when that vendor has evidence of its own at least
    :data:`SPECIFIC` strong: the more specific, current maker (an ArubaOS-CX switch reporting
    HPE's number is HPE Aruba's; a NetIron whose ENTITY-MIB names Extreme Networks, under
    Brocade's number, is Extreme's)."""
    for key in sorted(votes):
        if key not in votes or max(e.weight for e in votes[key]) < SPECIFIC:
            continue
        for rel in kb.vendor(key).relations:
            if rel.kind in _TAKES_VOTES and rel.other in votes:
                votes[key].extend(votes.pop(rel.other))


def _related(a: str, b: str, kb: KnowledgeBase) -> bool:
    """True when one vendor is (or was) in the other's group or relabels its products."""
    return any(r.other == b for r in kb.vendor(a).relations) or any(
        r.other == a for r in kb.vendor(b).relations
    )


def _conflicts(
    votes: dict[str, list[Evidence]], winner: str, kb: KnowledgeBase, loose: Sequence[Evidence]
) -> tuple[list[str], list[str]]:
    """Strong conflicts (unrelated makers, both with evidence ≥ STRONG) and weak ones; an
    ambiguous name none of whose makers has other evidence conflicts unless it may mean the
    winner or a maker related to it."""
    top = {k: max(v, key=lambda e: e.weight) for k, v in votes.items()}
    rivals = [(k, e) for k, e in sorted(top.items()) if k != winner]
    rivals += [(" | ".join(e.among), e) for e in loose]
    w = top[winner]
    strong: list[str] = []
    weak: list[str] = []
    for key, e in rivals:
        if any(k == winner or _related(k, winner, kb) for k in (e.among or (key,))):
            continue
        text = f"{w.signal} {w.value!r} → {winner} vs {e.signal} {e.value!r} → {key}"
        if w.weight >= STRONG and e.weight >= STRONG:
            strong.append(text)
        else:
            what = "NIC maker" if e.about == "nic" else f"weight {e.weight:g}"
            weak.append(f"{text} ({what})")
    return strong, weak


def _brand(evidence: Sequence[Evidence], relabeller: str | None, maker: str | None) -> str | None:
    named = sorted(
        (e for e in evidence if e.about == "brand" and e.points_to), key=lambda e: -e.weight
    )
    if named:
        return named[0].points_to
    if relabeller is not None:
        return relabeller
    explicit = [e for e in evidence if e.rule == "manufacturer_field" and e.points_to]
    if explicit:
        return explicit[0].points_to
    return maker if maker and any(e.about != "nic" for e in evidence if e.points_to) else None


def _candidates(
    scores: Sequence[tuple[float, str]], skip: str | None
) -> tuple[tuple[str, float], ...]:
    return tuple((k, round(sc, 3)) for sc, k in scores if k != skip)[:3]


def _with_hints(
    scores: Sequence[tuple[float, str]], loose: Sequence[Evidence]
) -> list[tuple[float, str]]:
    """The vote's scores plus the makers loose ambiguous names may mean (for candidates)."""
    best: dict[str, float] = {}
    for sc, k in [*scores, *((e.weight, k) for e in loose for k in e.among)]:
        best[k] = max(best.get(k, 0.0), sc)
    return sorted(((sc, k) for k, sc in best.items()), key=lambda x: (-x[0], x[1]))


def identify_device(
    device: DeviceRecord, kb: KnowledgeBase, *, rules: Sequence[Rule] = RULES
) -> Identification:
    """Identify one device: run every rule, then vote."""
    return fuse(device, tuple(e for rule in rules for e in rule(device, kb)), kb)


def fuse(device: DeviceRecord, evidence: tuple[Evidence, ...], kb: KnowledgeBase) -> Identification:
    """Combine the evidence of one device into its identification (the vote alone)."""
    votes = _maker_votes(evidence)
    loose = _shared(votes, evidence)
    relabeller = _relabelled(votes, kb)
    _specific(votes, kb)
    scores = sorted(((_noisy_or(e.weight for e in v), k) for k, v in votes.items()), reverse=True)
    hinted = _with_hints(scores, loose)
    unknown = Identification(device, None, None, None, device.model, 0.0, evidence)
    if not scores or scores[0][0] < MIN_SCORE:
        return replace(unknown, candidates=_candidates(hinted, None))
    best, winner = scores[0]
    strong, weak = _conflicts(votes, winner, kb, loose)
    rival = max([sc for sc, _ in scores[1:]] + [e.weight for e in loose], default=0.0)
    confidence = best * (1.0 - rival) if strong else best
    if confidence < MIN_SCORE:
        return replace(
            unknown, conflicts=tuple(strong + weak), candidates=_candidates(hinted, None)
        )
    return Identification(
        device=device,
        brand=_brand(evidence, relabeller, winner),
        manufacturer=winner,
        manufacturer_name=kb.vendor(winner).name,
        model=device.model,
        confidence=round(confidence, 3),
        evidence=evidence,
        conflicts=tuple(strong + weak),
        candidates=_candidates(hinted, winner),
    )


def identify(
    devices: Iterable[DeviceRecord], kb: KnowledgeBase, *, rules: Sequence[Rule] = RULES
) -> tuple[Identification, ...]:
    """Identify every device (in order). Pure: reads only the devices and ``kb``."""
    return tuple(identify_device(d, kb, rules=rules) for d in devices)
