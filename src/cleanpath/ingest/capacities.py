"""Link capacity files: CSV ``link,capacity`` (link ids as in the topology) or
``src,dst,capacity`` (node ids; either direction), for rerouting within capacity."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cleanpath.errors import InputError
from cleanpath.ingest._common import csv_rows, decode_text, parse_number, read_with

__all__ = ["CapacityRecord", "parse_capacities_csv", "read_capacities_csv"]


@dataclass(frozen=True, slots=True)
class CapacityRecord:
    """The capacity of one link, named by its id or by its two end nodes."""

    capacity: float
    link: str | None = None
    src: str | None = None
    dst: str | None = None
    line: int | None = None


def parse_capacities_csv(
    data: str | bytes, *, source: str | None = None
) -> tuple[CapacityRecord, ...]:
    """Parse a capacity CSV (header ``link,capacity`` or ``src,dst,capacity``).

    >>> parse_capacities_csv("src,dst,capacity\\na,b,10e9\\n")[0].capacity
    10000000000.0
    """
    rows = csv_rows(decode_text(data))
    first = next(rows, None)
    if first is None:
        raise InputError("empty capacity file", path=source)
    header = first[1]
    cols = [h.lower() for h in header]
    by_link = "link" in cols
    need = ["link", "capacity"] if by_link else ["src", "dst", "capacity"]
    missing = [c for c in need if c not in cols]
    if missing:
        raise InputError(f"capacity file needs columns {', '.join(need)}; missing "
                         f"{', '.join(missing)}", path=source, line=1)  # fmt: skip
    at = {c: cols.index(c) for c in need}
    out = []
    for line, cells in rows:
        if len(cells) < len(cols):
            raise InputError(f"expected {len(cols)} cells, got {len(cells)}",
                             path=source, line=line)  # fmt: skip
        cap = parse_number(cells[at["capacity"]], source=source, line=line,
                           field="capacity", lo=0.0)  # fmt: skip
        if by_link:
            out.append(CapacityRecord(cap, link=cells[at["link"]], line=line))
        else:
            out.append(CapacityRecord(cap, src=cells[at["src"]], dst=cells[at["dst"]],
                                      line=line))  # fmt: skip
    return tuple(out)


def read_capacities_csv(path: str | Path) -> tuple[CapacityRecord, ...]:
    """Read a capacity CSV file (errors name the file and line)."""
    return read_with(parse_capacities_csv, path)
