"""Read the knowledge base's data files: each reader validates one file and names the file
and the entry (or line) in its KnowledgeBaseError. :mod:`cleanpath.kb.loader` ties them
together into a :class:`~cleanpath.kb.loader.KnowledgeBase`."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from cleanpath.errors import KnowledgeBaseError
from cleanpath.kb.model import ModelEntry, SysDescrPattern, Vendor, normalize_model
from cleanpath.kb.naming import NamesFile, check_keys, parse_names_csv
from cleanpath.kb.oui import OuiTable, read_manuf
from cleanpath.kb.policy import Policy, PolicyEntry
from cleanpath.kb.schema import PatternsFile, PolicyFile, VendorsFile, validated

__all__ = [
    "data_version",
    "read_models",
    "read_names_file",
    "read_oui",
    "read_patterns",
    "read_policy",
    "read_text",
    "read_vendors",
    "read_yaml",
]


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read: {exc.strerror}", path=str(path)) from None


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise KnowledgeBaseError(f"bad YAML: {exc}", path=str(path), line=line) from None


def read_vendors(root: Path) -> dict[str, Vendor]:
    path = root / "vendors.yaml"
    data = validated(VendorsFile, read_yaml(path), str(path))
    vendors = {key: model.build(key) for key, model in data.vendors.items()}
    for key, vendor in vendors.items():
        refs = {
            f"vendors.{key}.relations.{i}.other": r.other for i, r in enumerate(vendor.relations)
        }
        check_keys(str(path), refs, vendors)
    return vendors


def read_patterns(root: Path, vendors: Mapping[str, Any]) -> tuple[SysDescrPattern, ...]:
    path = root / "patterns.yaml"
    data = validated(PatternsFile, read_yaml(path), str(path))
    for i, p in enumerate(data.patterns):
        where = f"patterns.{i}({p.id})"
        check_keys(
            str(path), {f"{where}.manufacturer": p.manufacturer, f"{where}.brand": p.brand}, vendors
        )
    return tuple(p.build() for p in data.patterns)


def read_policy(path: Path, vendors: Mapping[str, Vendor]) -> Policy:
    data = validated(PolicyFile, read_yaml(path), str(path))
    entries = []
    for i, e in enumerate(data.entries):
        check_keys(str(path), {f"entries.{i}({e.id}).entity": e.entity}, vendors)
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


def read_models(root: Path, vendors: Mapping[str, Any]) -> dict[str, tuple[ModelEntry, ...]]:
    path = root / "netbox_models.csv"
    if not path.is_file():
        return {}
    index: dict[str, list[ModelEntry]] = {}
    reader = csv.DictReader(io.StringIO(read_text(path)))
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


def read_oui(manuf: Path) -> OuiTable:
    try:
        return read_manuf(manuf)
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"cannot read MAC registry: {exc}", path=str(manuf)) from None


def data_version(root: Path) -> str:
    digest = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f.relative_to(root).as_posix().encode() + b"\0")
        digest.update(f.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def read_names_file(root: Path, names: dict[str, str]) -> NamesFile:
    path = root / "names.csv"
    if not path.is_file():
        return NamesFile(names, {}, (), frozenset())
    return parse_names_csv(read_text(path), names, path=str(path))
