"""Vendor names at load time: the curated name index, ``names.csv``, and the vendor keys that
data files may use (curated, named by names.csv, or an IANA registrant's name key).

Pure: :func:`parse_names_csv` takes the file's text (``loader`` reads it).

>>> idx = name_index({}, "vendors.yaml")
>>> extra = parse_names_csv(
...     "name,vendor,relation,since,confidence,source,note\\n"
...     "Network Appliance,NetApp,former-name,2008,high,renamed 2008,\\n", idx)
>>> extra.index["networkappliance"], extra.named["netapp"][0]
('netapp', 'NetApp')
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cleanpath.errors import KnowledgeBaseError
from cleanpath.kb.model import PenEntry, PenMeaning, Source, Vendor
from cleanpath.kb.names import name_key

__all__ = [
    "NAME_COLUMNS",
    "NAME_RELATIONS",
    "KnownKeys",
    "NamesFile",
    "check_keys",
    "name_index",
    "parse_names_csv",
    "resolve_pens",
]


def name_index(vendors: Mapping[str, Vendor], path: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, vendor in vendors.items():
        for name in (key, *vendor.names()):
            norm = name_key(name)
            if not norm:
                continue
            other = index.setdefault(norm, key)
            if other != key:
                raise KnowledgeBaseError(
                    f"name {name!r} is used by both {other!r} and {key!r}", path=path, field=key
                )
    return index


def check_keys(where: str, keys: Mapping[str, str | None], vendors: Mapping[str, Any]) -> None:
    for what, key in keys.items():
        if key is not None and key not in vendors:
            raise KnowledgeBaseError(f"unknown vendor key {key!r}", path=where, field=what)


class KnownKeys(Mapping[str, None]):
    """Vendor keys a data file may name: curated, named by names.csv, or (``registrant``,
    asked only for other keys) an IANA registrant's name key."""

    def __init__(
        self,
        vendors: Mapping[str, Vendor],
        names: Mapping[str, str],
        registrant: Callable[[str], bool] | None = None,
    ):
        self._keys = set(vendors) | set(names.values())
        self._registrant = registrant

    def __contains__(self, key: object) -> bool:
        if key in self._keys:
            return True
        return bool(self._registrant and isinstance(key, str) and self._registrant(key))

    def __getitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


NAME_COLUMNS = ("name", "vendor", "relation", "since", "confidence", "source", "note")
NAME_RELATIONS = frozenset(
    {"short-name", "former-name", "acquired-by", "brand-of", "division-of", "display-name"}
    | {"not-the-maker", "virtual-nic", "ambiguous"}
)


@dataclass(frozen=True, slots=True)
class NamesFile:
    """What ``names.csv`` adds: the name index, vendors it names that vendors.yaml does not
    curate (key -> display name, source), every spelling it lists, and keys of companies
    whose names in device fields do not name the device's maker (stack, chip, contract
    manufacturer), and of makers of virtual machines' NICs (their MAC blocks say nothing
    about hardware). ``ambiguous`` maps a name key that names one of several makers
    (``ambiguous`` rows, one per candidate: "Alcatel-Lucent" is Nokia's or ALE's) to the
    candidates' keys; such a name is not in ``index``."""

    index: dict[str, str]
    named: dict[str, tuple[str, Source]]
    spellings: tuple[str, ...]
    not_makers: frozenset[str]
    virtual_nics: frozenset[str] = frozenset()
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)


def parse_names_csv(text: str, names: Mapping[str, str], *, path: str = "names.csv") -> NamesFile:
    """Add ``names.csv`` rows (other names of vendors: short names, former names, acquired
    companies, brands) to the name index ``names``; bad rows raise KnowledgeBaseError naming
    ``path`` and the line. An ``ambiguous`` row lists one candidate maker of a name that
    several makers use; a name may not be both ambiguous and one vendor's."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != NAME_COLUMNS:
        raise KnowledgeBaseError(f"columns must be {list(NAME_COLUMNS)}", path=path, line=1)
    out = dict(names)
    named: dict[str, tuple[str, Source]] = {}
    spellings: list[str] = []
    not_makers: set[str] = set()
    virtual: set[str] = set()
    ambiguous: dict[str, list[str]] = {}
    for row in reader:
        line = reader.line_num
        if row["relation"] not in NAME_RELATIONS or not (row["name"] and row["vendor"]):
            raise KnowledgeBaseError("bad name, vendor or relation", path=path, line=line)
        if not row["source"]:
            raise KnowledgeBaseError("a name needs a source", path=path, line=line)
        vkey = name_key(row["vendor"])
        target = out.get(vkey, vkey)
        if target not in names.values() and target not in named:
            named.setdefault(target, (row["vendor"], Source(row["source"], document="names.csv")))
            out.setdefault(vkey, target)
        alias = name_key(row["name"])
        spellings += [row["name"], row["vendor"]]
        if row["relation"] == "ambiguous":
            ambiguous.setdefault(alias, []).append(target)
            continue
        if out.get(alias, target) != target:
            raise KnowledgeBaseError(
                f"{row['name']!r} already names {out[alias]!r}", path=path, line=line
            )
        out[alias] = target
        if row["relation"] == "not-the-maker":
            not_makers.add(target)
        if row["relation"] == "virtual-nic":
            virtual.add(target)
    spelled = tuple(dict.fromkeys(spellings))
    amb = _ambiguous(ambiguous, out, path)
    return NamesFile(out, named, spelled, frozenset(not_makers), frozenset(virtual), amb)


def _ambiguous(
    rows: Mapping[str, list[str]], index: Mapping[str, str], path: str
) -> dict[str, tuple[str, ...]]:
    """Name key -> candidate makers; each name needs two makers and no single vendor."""
    out = {alias: tuple(dict.fromkeys(makers)) for alias, makers in rows.items()}
    for alias, makers in out.items():
        if alias in index or len(makers) < 2:
            raise KnowledgeBaseError(
                f"ambiguous name {alias!r} needs two or more makers and no single one",
                path=path,
                field=alias,
            )
    return out


def resolve_pens(
    pens: dict[int, PenEntry],
    names: Mapping[str, str],
    vendors: Mapping[str, Vendor],
    path: str,
    registrant: Callable[[str], bool] | None = None,
) -> tuple[dict[int, PenEntry], dict[str, tuple[str, int]]]:
    """Give each curated own number without a vendor key its registrant's vendor (curated,
    else derived from the registrant name); check the keys the file names (curated, in
    names.csv, a listed number's registrant or, with ``registrant``, any IANA registrant)."""
    orgs: dict[str, tuple[str, int]] = {}
    out = dict(pens)
    for pen, entry in pens.items():
        if entry.vendor_key is None and entry.meaning == PenMeaning.OWN and pen and not entry.among:
            key = name_key(entry.organization)
            if key and key not in names:
                orgs.setdefault(key, (entry.organization, pen))
            if key:
                out[pen] = replace(entry, vendor_key=names.get(key, key))
    known = KnownKeys(vendors, {**names, **{k: k for k in orgs}}, registrant)
    for entry in pens.values():
        refs = {"vendor_key": entry.vendor_key, "seen_on": entry.seen_on}
        refs |= {f"vendor_key[{i}]": k for i, k in enumerate(entry.among)}
        check_keys(f"{path} (PEN {entry.pen})", refs, known)
    return out, orgs
