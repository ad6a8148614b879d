"""IANA Private Enterprise Numbers as the knowledge base knows them (``kb/data/pens.csv``).

>>> table = parse_pens("pen,organization,vendor_key,meaning,source,source_date\\n"
...                    "8072,net-snmp,,stack,IANA,2024-08-23\\n")
>>> table[8072].meaning
<PenMeaning.STACK: 'stack'>
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from cleanpath.errors import KnowledgeBaseError
from cleanpath.kb.model import PenEntry, PenMeaning

__all__ = ["PEN_COLUMNS", "REGISTRY_PEN_COLUMNS", "apply_registry", "parse_pens", "pen_of_oid"]

PEN_COLUMNS = ("pen", "organization", "vendor_key", "meaning", "source", "source_date")
REGISTRY_PEN_COLUMNS = ("pen", "vendor_key", "exclusive", "note")
_ENTERPRISES = "1.3.6.1.4.1."


def pen_of_oid(oid: str) -> int | None:
    """The enterprise number under 1.3.6.1.4.1 of an OID (a leading dot is allowed).

    >>> pen_of_oid(".1.3.6.1.4.1.2011.2.23.294"), pen_of_oid("1.3.6.1.2.1.1.2")
    (2011, None)
    """
    text = oid.strip().lstrip(".")
    if not text.startswith(_ENTERPRISES):
        return None
    head = text[len(_ENTERPRISES) :].split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _row(row: dict[str, str], line: int, path: str) -> PenEntry:
    try:
        pen = int(row["pen"])
        meaning = PenMeaning(row["meaning"].strip())
    except (ValueError, KeyError) as exc:
        raise KnowledgeBaseError(f"bad pen or meaning: {exc}", path=path, line=line) from None
    if not row.get("source") or not row.get("source_date"):
        raise KnowledgeBaseError(f"PEN {pen} has no source or date", path=path, line=line)
    keys = [k.strip() for k in row.get("vendor_key", "").split("|") if k.strip()]
    return PenEntry(
        pen=pen,
        organization=row.get("organization", "").strip(),
        vendor_key=keys[0] if len(keys) == 1 else None,
        among=tuple(keys) if len(keys) > 1 else (),
        meaning=meaning,
        source=row["source"].strip(),
        source_date=row["source_date"].strip(),
        seen_on=(row.get("seen_on") or "").strip() or None,
        exclusive=(row.get("exclusive") or "yes").strip().lower() != "no",
        note=(row.get("note") or "").strip(),
    )


def parse_pens(text: str, *, path: str = "pens.csv") -> dict[int, PenEntry]:
    """Parse ``pens.csv`` text into ``{pen: PenEntry}``; bad rows raise KnowledgeBaseError."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in PEN_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise KnowledgeBaseError(f"missing columns {missing}", path=path, line=1)
    table: dict[int, PenEntry] = {}
    for row in reader:
        line = reader.line_num
        entry = _row(row, line, path)
        if entry.pen in table:
            raise KnowledgeBaseError(f"PEN {entry.pen} listed twice", path=path, line=line)
        table[entry.pen] = entry
    return table


def apply_registry(
    table: dict[int, PenEntry], text: str, *, path: str = "pens_registry.csv"
) -> dict[int, PenEntry]:
    """Fill in vendor keys (and ``exclusive``) from the generated ``pens_registry.csv``.

    Only numbers that ``pens.csv`` lists without a vendor are changed; the curated file wins.
    """
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != REGISTRY_PEN_COLUMNS:
        raise KnowledgeBaseError(f"columns must be {list(REGISTRY_PEN_COLUMNS)}", path=path, line=1)
    out = dict(table)
    for row in reader:
        try:
            pen = int(row["pen"])
        except ValueError:
            raise KnowledgeBaseError("bad pen", path=path, line=reader.line_num) from None
        entry = out.get(pen)
        if entry is None:
            raise KnowledgeBaseError(
                f"PEN {pen} is not in pens.csv", path=path, line=reader.line_num
            )
        if entry.vendor_key is not None and entry.vendor_key != (row["vendor_key"] or None):
            continue
        note = "; ".join(n for n in (entry.note, row["note"]) if n)
        out[pen] = replace(
            entry,
            vendor_key=row["vendor_key"] or None,
            exclusive=entry.exclusive and row["exclusive"] != "no",
            note=note,
        )
    return out
