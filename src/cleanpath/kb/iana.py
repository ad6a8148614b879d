"""The full IANA Private Enterprise Numbers registry, as a compact table loaded on demand.

``kb/data/iana_pens.tsv.gz`` holds ``pen<TAB>organization<TAB>key`` for every number of the
registry (``key`` is :func:`~cleanpath.kb.names.name_key` of the organization, computed when
the table is built so that loading stays a split of lines). It is derived from nmap's
``nselib/data/enterprise_numbers.txt`` (see kb/data/README.md for the registry date) by
:func:`parse_nmap_enterprise_numbers` and :func:`registry_tsv`.

>>> reg = parse_iana("pen\\torganization\\tkey\\n41112\\tUbiquiti Networks, Inc.\\tubiquiti\\n")
>>> reg.organization(41112), reg.pens_of("ubiquiti")
('Ubiquiti Networks, Inc.', (41112,))
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cleanpath.errors import InputError, KnowledgeBaseError
from cleanpath.kb.names import name_key

__all__ = [
    "IANA_COLUMNS",
    "IanaRegistry",
    "parse_iana",
    "parse_nmap_enterprise_numbers",
    "read_iana",
    "registry_tsv",
]

IANA_COLUMNS = ("pen", "organization", "key")
_PLACEHOLDERS = frozenset({"unassigned", "reserved", "none"})  # not registrants


@dataclass(frozen=True, slots=True)
class IanaRegistry:
    """Enterprise number -> registrant, and name key -> the numbers registered under it."""

    organizations: Mapping[int, str]
    keys: Mapping[int, str]
    by_key: Mapping[str, tuple[int, ...]]

    def organization(self, pen: int) -> str | None:
        """The registrant of ``pen`` as the registry spells it, or None when unassigned."""
        return self.organizations.get(pen)

    def key(self, pen: int) -> str | None:
        """The name key of ``pen``'s registrant, or None."""
        return self.keys.get(pen)

    def pens_of(self, key: str) -> tuple[int, ...]:
        """The numbers whose registrant has name key ``key`` (ascending; empty when none)."""
        return self.by_key.get(key, ())

    def __len__(self) -> int:
        return len(self.organizations)


def parse_iana(text: str, *, path: str = "iana_pens.tsv") -> IanaRegistry:
    """Parse the shipped ``pen<TAB>organization<TAB>key`` table (first line: the header)."""
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != IANA_COLUMNS:
        raise KnowledgeBaseError(f"header must be {'<TAB>'.join(IANA_COLUMNS)}", path=path, line=1)
    orgs: dict[int, str] = {}
    keys: dict[int, str] = {}
    by_key: dict[str, list[int]] = {}
    for i, line in enumerate(lines[1:], start=2):
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0].isdigit():
            raise KnowledgeBaseError("expected pen<TAB>organization<TAB>key", path=path, line=i)
        pen = int(parts[0])
        orgs[pen], keys[pen] = parts[1], parts[2]
        if parts[2]:
            by_key.setdefault(parts[2], []).append(pen)
    return IanaRegistry(orgs, keys, {k: tuple(sorted(v)) for k, v in by_key.items()})


def read_iana(path: Path) -> IanaRegistry:
    """Read the gzip'd table at ``path``; KnowledgeBaseError when it cannot be read."""
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"cannot read IANA registry: {exc}", path=str(path)) from None
    return parse_iana(text, path=str(path))


def parse_nmap_enterprise_numbers(
    text: str, *, path: str = "enterprise_numbers.txt"
) -> list[tuple[int, str]]:
    """``(pen, organization)`` rows of nmap's ``enterprise_numbers.txt`` (``#`` lines are
    comments); a malformed line raises InputError naming the line.

    >>> parse_nmap_enterprise_numbers("# comment\\n9\\tciscoSystems\\n")
    [(9, 'ciscoSystems')]
    """
    rows: list[tuple[int, str]] = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        pen, sep, org = line.partition("\t")
        if not sep or not pen.strip().isdigit():
            raise InputError("expected pen<TAB>organization", path=path, line=i)
        rows.append((int(pen), " ".join(org.split())))
    return rows


def registry_tsv(rows: Iterable[tuple[int, str]]) -> str:
    """The shipped table's text for ``(pen, organization)`` rows (sorted, keys computed).

    >>> registry_tsv([(11, "Hewlett-Packard")]).splitlines()[1]
    '11\\tHewlett-Packard\\thewlettpackard'
    """
    lines = ["\t".join(IANA_COLUMNS)]
    for pen, org in sorted(set(rows)):
        text = org.replace("\t", " ")
        key = name_key(text)
        lines.append(f"{pen}\t{text}\t{'' if key in _PLACEHOLDERS else key}")
    return "\n".join(lines) + "\n"
