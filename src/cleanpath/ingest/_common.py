"""Small helpers shared by the topology, demand and site readers (not public API)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from cleanpath.domain import CoordinateKind, NodeRecord
from cleanpath.errors import CleanpathError, InputError

__all__ = [
    "CSV_EXTRA",
    "coordinate_kind",
    "csv_records",
    "csv_rows",
    "decode_text",
    "header_key",
    "load_file",
    "load_json",
    "naming",
    "next_record",
    "parse_number",
    "read_with",
    "stem_of",
    "unique_header",
]

T = TypeVar("T")


def decode_text(data: str | bytes) -> str:
    """Text of ``data``: UTF-8 (a BOM is dropped), falling back to Latin-1.

    >>> decode_text(b"\\xef\\xbb\\xbfa,b")
    'a,b'
    >>> decode_text(b"M\\xfcnchen")
    'München'
    """
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _json_int(text: str) -> int:
    if len(text) > 1000:  # int() itself refuses 4300 digits with a ValueError
        raise ValueError(f"an integer of {len(text)} digits")
    return int(text)


def load_json(text: str, *, source: str | None) -> Any:
    """The JSON document ``text``; malformed or too deeply nested JSON, and integers too
    long to convert, are an :class:`InputError` naming the file (and line).

    >>> load_json('[{"a": 1}]', source=None)
    [{'a': 1}]
    >>> load_json("[" * 100_000, source="x.json")
    Traceback (most recent call last):
    ...
    cleanpath.errors.InputError: x.json: invalid JSON: nested too deeply
    """
    try:
        return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=source, line=exc.lineno) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply", path=source) from None
    except ValueError as exc:  # an absurdly long integer
        raise InputError(f"invalid JSON: {exc}", path=source) from None


def parse_number(
    value: str,
    *,
    source: str | None,
    line: int | None,
    field: str,
    lo: float | None = None,
    hi: float | None = None,
) -> float:
    """``value`` as a finite float, else :class:`InputError` naming file, line and field.

    >>> parse_number("2.5", source=None, line=1, field="x")
    2.5
    >>> parse_number("abc", source="f.txt", line=3, field="x")
    Traceback (most recent call last):
    ...
    cleanpath.errors.InputError: f.txt:3: x: not a number: 'abc'
    """
    try:
        number = float(value.strip())
    except (ValueError, AttributeError):
        raise InputError(f"not a number: {value!r}", path=source, line=line, field=field) from None
    if not math.isfinite(number):
        raise InputError(f"not a finite number: {value!r}", path=source, line=line, field=field)
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        bounds = f"[{lo:g}, {hi:g}]" if lo is not None and hi is not None else ""
        limit = f">= {lo:g}" if lo is not None and number < lo else f"<= {hi:g}"
        raise InputError(
            f"{number:g} is outside {bounds}" if bounds else f"{number:g} is not {limit}",
            path=source,
            line=line,
            field=field,
        )
    return number


def coordinate_kind(nodes: Iterable[NodeRecord]) -> CoordinateKind:
    """GEOGRAPHICAL when any node has a latitude, else NONE."""
    has = any(n.lat is not None for n in nodes)
    return CoordinateKind.GEOGRAPHICAL if has else CoordinateKind.NONE


def stem_of(source: str | None, default: str) -> str:
    """The file name without directory and extension, or ``default``.

    >>> stem_of("/data/zoo/Abilene.graphml", "x")
    'Abilene'
    """
    if not source:
        return default
    return Path(source).stem or default


def load_file(path: str | Path) -> bytes:
    """The bytes of ``path``; a missing or unreadable file is an :class:`InputError`."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from None


def read_with(parse: Callable[..., T], path: str | Path, **kwargs: object) -> T:
    """Open ``path`` and run ``parse(data, source=path, **kwargs)``; errors name the file."""
    data = load_file(path)
    with naming(str(path)):
        return parse(data, source=str(path), **kwargs)


@contextmanager
def naming(source: str | None) -> Iterator[None]:
    """Give errors raised inside the block the file name ``source`` when they lack one."""
    try:
        yield
    except CleanpathError as exc:
        if exc.path is None and source is not None:
            raise exc.located(source) from None
        raise


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each non-blank, non-``#`` row; the separator is guessed from the
    first line among comma, semicolon and tab."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(text.splitlines(), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            if cells and any(c.strip() for c in cells) and not cells[0].lstrip().startswith("#"):
                yield reader.line_num, [c.strip() for c in cells]
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", line=reader.line_num) from None


def header_key(name: str | None) -> str:
    """A CSV column name as the readers match it: lower case, spaces and dashes as ``_``.

    >>> header_key(" Sys Object-ID "), header_key(None)
    ('sys_object_id', '')
    """
    return "_".join((name or "").strip().lower().replace("-", " ").split())


def next_record(text: str, done: int) -> int:
    """The line where the record after the first ``done`` lines starts (blank lines skipped;
    the csv module's own line count is not reliable once it has failed).

    >>> next_record("a,b\\n1,2\\n\\n3,4\\n", 2)
    4
    """
    lines = text.splitlines()
    while done < len(lines) and not lines[done].strip():
        done += 1
    return done + 1


def unique_header(names: list[str], source: str | None) -> list[str]:
    """``names`` (a CSV header, already normalised) when no name is repeated, else an
    :class:`InputError` on line 1: a repeated column would silently hide one of the values.

    >>> unique_header(["node", "mac", "mac"], "inv.csv")
    Traceback (most recent call last):
    ...
    cleanpath.errors.InputError: inv.csv:1: duplicate columns ['mac']
    """
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise InputError(f"duplicate columns {dupes}", path=source, line=1)
    return names


#: the key under which :func:`csv_records` keeps the cells past the header (a list): such a
#: row's columns may be shifted, so readers refuse it
CSV_EXTRA = "(cells past the header)"


def csv_records(
    text: str, source: str | None, header: Callable[[list[str]], list[str]]
) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """A CSV file's header (as ``header`` makes it from the raw names; it may refuse them)
    and its records as ``(line, {column: cell})``, cells past the header under
    :data:`CSV_EXTRA`. Malformed CSV (a quote left open) is an InputError on the line where
    the broken record starts.

    >>> csv_records("A,B\\n1,2,3\\n", "x.csv", lambda names: [n.lower() for n in names])
    (['a', 'b'], [(2, {'a': '1', 'b': '2', '(cells past the header)': ['3']})])
    >>> csv_records('a\\n"1\\n', "x.csv", list)
    Traceback (most recent call last):
    ...
    cleanpath.errors.InputError: x.csv:2: malformed CSV: unexpected end of data
    """
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, dict[str, Any]]] = []
    done = 0  # lines read by complete records: a bad record starts after them
    try:
        names = header(list(reader.fieldnames or []))
        reader.fieldnames = names
        done = reader.line_num
        for row in reader:
            records.append((reader.line_num, {k or CSV_EXTRA: v for k, v in row.items()}))
            done = reader.line_num
    except csv.Error as exc:
        line = next_record(text, done)
        raise InputError(f"malformed CSV: {exc}", path=source, line=line) from None
    return names, records
