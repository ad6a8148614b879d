"""Combine evidence into an identification: weighted vote, relabel resolution, conflicts.

Per vendor, the weights of the evidence that names it as manufacturer combine as a noisy OR
(``1 - Π(1 - w)``). When one candidate is known to relabel another's products (``oem_from``
in vendors.yaml), the relabeller is the brand and its votes go to the maker. Strong evidence
(weight ≥ 0.5) for unrelated makers is a conflict, and lowers the confidence.

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
from math import prod

from cleanpath.domain import DeviceRecord
from cleanpath.identify.model import Evidence, Identification
from cleanpath.identify.rules import RULES, Rule
from cleanpath.kb import KnowledgeBase, RelationKind

__all__ = ["MIN_SCORE", "STRONG", "identify", "identify_device"]

MIN_SCORE = 0.3  # below this combined weight the manufacturer stays unknown
STRONG = 0.5  # evidence at least this strong can conflict with other strong evidence


def _noisy_or(weights: Iterable[float]) -> float:
    return 1.0 - prod(1.0 - w for w in weights)


def _maker_votes(evidence: Sequence[Evidence]) -> dict[str, list[Evidence]]:
    votes: dict[str, list[Evidence]] = {}
    for e in evidence:
        if e.points_to and e.weight > 0 and e.about != "brand":
            votes.setdefault(e.points_to, []).append(e)
    return votes


def _relabelled(votes: dict[str, list[Evidence]], kb: KnowledgeBase) -> str | None:
    """Fold a relabeller's votes into the maker it relabels; return the relabeller's key."""
    for key in sorted(votes):
        for rel in kb.vendor(key).relations:
            if rel.kind == RelationKind.OEM_FROM and rel.other in votes:
                votes[rel.other].extend(votes.pop(key))
                return key
    return None


def _related(a: str, b: str, kb: KnowledgeBase) -> bool:
    """True when one vendor is (or was) in the other's group or relabels its products."""
    return any(r.other == b for r in kb.vendor(a).relations) or any(
        r.other == a for r in kb.vendor(b).relations
    )


def _conflicts(votes: dict[str, list[Evidence]], winner: str, kb: KnowledgeBase) -> list[str]:
    strong = {k: max(v, key=lambda e: e.weight) for k, v in votes.items()}
    strong = {k: e for k, e in strong.items() if e.weight >= STRONG}
    if winner not in strong:
        return []
    w = strong[winner]
    return [
        f"{w.signal} {w.value!r} → {winner} vs {e.signal} {e.value!r} → {key}"
        for key, e in sorted(strong.items())
        if key != winner and not _related(key, winner, kb)
    ]


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


def identify_device(
    device: DeviceRecord, kb: KnowledgeBase, *, rules: Sequence[Rule] = RULES
) -> Identification:
    """Identify one device: run every rule, then vote."""
    evidence = tuple(e for rule in rules for e in rule(device, kb))
    votes = _maker_votes(evidence)
    relabeller = _relabelled(votes, kb)
    scores = sorted(((_noisy_or(e.weight for e in v), k) for k, v in votes.items()), reverse=True)
    if not scores or scores[0][0] < MIN_SCORE:
        return Identification(device, None, None, None, device.model, 0.0, evidence)
    best, winner = scores[0]
    conflicts = _conflicts(votes, winner, kb)
    confidence = best * (1.0 - scores[1][0]) if conflicts and len(scores) > 1 else best
    if confidence < MIN_SCORE:
        return Identification(
            device, None, None, None, device.model, 0.0, evidence, tuple(conflicts)
        )
    return Identification(
        device=device,
        brand=_brand(evidence, relabeller, winner),
        manufacturer=winner,
        manufacturer_name=kb.vendor(winner).name,
        model=device.model,
        confidence=round(confidence, 3),
        evidence=evidence,
        conflicts=tuple(conflicts),
    )


def identify(
    devices: Iterable[DeviceRecord], kb: KnowledgeBase, *, rules: Sequence[Rule] = RULES
) -> tuple[Identification, ...]:
    """Identify every device (in order). Pure: reads only the devices and ``kb``."""
    return tuple(identify_device(d, kb, rules=rules) for d in devices)
