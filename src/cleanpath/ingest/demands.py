"""Traffic-demand readers: CSV (a list or a square matrix) and SNDlib files.

List form, one demand per row, header ``src,dst,volume[,class]`` (``class`` is ``sensitive``
or ``normal``, default ``normal``; an ``id`` column is kept when present)::

    src,dst,volume,class
    a,b,10,sensitive

Matrix form: the first row holds the destination ids, the first column the source ids;
blank cells are 0 and zeros are skipped. Commas, semicolons or tabs separate cells.

>>> [(d.src, d.dst, d.volume, d.cls.value) for d in parse_demands_csv("src,dst,volume\\na,b,2")]
[('a', 'b', 2.0, 'normal')]
>>> [(d.src, d.dst, d.volume) for d in parse_demands_csv(",a,b\\na,0,3\\nb,,0")]
[('a', 'b', 3.0)]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from cleanpath.domain import DemandClass, DemandRecord
from cleanpath.errors import InputError
from cleanpath.ingest._common import csv_rows, decode_text, naming, parse_number, read_with
from cleanpath.ingest.sndlib import parse_sndlib_native, parse_sndlib_xml

__all__ = ["parse_demands_csv", "parse_demands_sndlib", "read_demands", "read_demands_csv"]

_SRC = ("src", "source", "from", "origin")
_DST = ("dst", "target", "to", "destination")
_VOLUME = ("volume", "demand", "value", "traffic")
_CLASS = ("class", "cls")


def _column(header: Sequence[str], names: Sequence[str]) -> int | None:
    lowered = [h.lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def _list_form(
    rows: Iterator[tuple[int, list[str]]], header: list[str], source: str | None
) -> list[DemandRecord]:
    cols = [_column(header, names) for names in (_SRC, _DST, _VOLUME, _CLASS, ("id",))]
    src, dst, vol, cls, ident = cols
    if src is None or dst is None or vol is None:
        raise InputError("demand list needs a 'volume' column", path=source, line=1)
    out = []
    for line, cells in rows:
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        names = {"src": cells[src], "dst": cells[dst]}
        for what, value in names.items():
            if not value:
                raise InputError("empty node id", path=source, line=line, field=what)
        volume = parse_number(
            cells[vol], source=source, line=line, field="volume", lo=0, hi=float("inf")
        )
        label = cells[cls].lower() if cls is not None and cells[cls] else "normal"
        if label not in {c.value for c in DemandClass}:
            raise InputError(
                f"class must be sensitive or normal, not {label!r}",
                path=source,
                line=line,
                field="class",
            )
        out.append(
            DemandRecord(
                names["src"],
                names["dst"],
                volume,
                DemandClass(label),
                cells[ident] if ident is not None else None,
                line,
            )
        )
    return out


def _matrix_form(
    rows: Iterator[tuple[int, list[str]]], header: list[str], source: str | None
) -> list[DemandRecord]:
    cols = header[1:]
    if not cols or any(not c for c in cols) or len(set(cols)) != len(cols):
        raise InputError(
            "matrix header needs distinct, non-empty node ids", path=source, line=1, field="header"
        )
    out, seen = [], []
    for line, cells in rows:
        if len(cells) > len(header):
            raise InputError(
                f"row has {len(cells)} cells, the header {len(header)}", path=source, line=line
            )
        src = cells[0]
        if src not in cols or src in seen:
            raise InputError(
                f"row id {src!r} is not a header id or repeats", path=source, line=line, field="row"
            )
        seen.append(src)
        for dst, cell in zip(cols, cells[1:], strict=False):
            volume = parse_number(
                cell or "0", source=source, line=line, field=dst, lo=0, hi=float("inf")
            )
            if volume:
                out.append(DemandRecord(src, dst, volume, line=line))
    if len(seen) != len(cols):
        missing = sorted(set(cols) - set(seen))
        raise InputError(f"matrix is not square: no row for {missing[:5]}", path=source)
    return out


def parse_demands_csv(data: str | bytes, *, source: str | None = None) -> tuple[DemandRecord, ...]:
    """Demands from CSV text in the list or the matrix form (see the module docs)."""
    with naming(source):
        rows = csv_rows(decode_text(data))
        first = next(rows, None)
        if first is None:
            raise InputError("no demands: the file is empty", path=source)
        header = first[1]
        if _column(header, _SRC) is not None and _column(header, _DST) is not None:
            return tuple(_list_form(rows, header, source))
        return tuple(_matrix_form(rows, header, source))


def parse_demands_sndlib(
    data: str | bytes, *, source: str | None = None
) -> tuple[DemandRecord, ...]:
    """The demands of an SNDlib file, native or XML (a static instance or a traffic matrix)."""
    head = data[:64].decode("latin-1") if isinstance(data, bytes) else data[:64]
    native = head.lstrip("\ufeff \t\r\n").startswith("?")
    parse = parse_sndlib_native if native else parse_sndlib_xml
    return parse(data, source=source).demands


def read_demands_csv(path: str | Path) -> tuple[DemandRecord, ...]:
    """Read a demand CSV file; errors name the file."""
    return read_with(parse_demands_csv, path)


def read_demands(path: str | Path) -> tuple[DemandRecord, ...]:
    """Demands from a CSV file or an SNDlib ``.txt``/``.xml`` file (chosen by extension)."""
    if Path(path).suffix.lower() in (".txt", ".xml"):
        return read_with(parse_demands_sndlib, path)
    return read_demands_csv(path)
