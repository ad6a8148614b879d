"""Site list reader: CSV ``name,lat,lon[,kind,country,source]``, one site per row.

``lat`` must lie in [-90, 90] and ``lon`` in [-180, 180]. ``source`` names where the site's
facts come from; when the column is absent or blank, the file itself is the source.

>>> [(s.name, s.lat, s.lon, s.kind) for s in parse_sites_csv("name,lat,lon,kind\\nX,1.5,2,base")]
[('X', 1.5, 2.0, 'base')]
"""

from __future__ import annotations

from pathlib import Path

from cleanpath.domain import SiteRecord
from cleanpath.errors import InputError
from cleanpath.ingest._common import csv_rows, decode_text, naming, parse_number, read_with

__all__ = ["parse_sites_csv", "read_sites_csv"]

_REQUIRED = ("name", "lat", "lon")
_OPTIONAL = ("kind", "country", "source")


def _header(cells: list[str], line: int, source: str | None) -> dict[str, int]:
    lowered = [c.lower() for c in cells]
    aliases = {"latitude": "lat", "longitude": "lon", "lng": "lon"}
    cols = {aliases.get(c, c): i for i, c in enumerate(lowered)}
    missing = [c for c in _REQUIRED if c not in cols]
    if missing:
        raise InputError(
            f"site list needs columns name,lat,lon; missing {', '.join(missing)}",
            path=source,
            line=line,
            field="header",
        )
    return {c: cols[c] for c in (*_REQUIRED, *_OPTIONAL) if c in cols}


def _site(cells: list[str], cols: dict[str, int], line: int, source: str | None) -> SiteRecord:
    def cell(name: str) -> str:
        i = cols.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    if not cell("name"):
        raise InputError("empty site name", path=source, line=line, field="name")
    lat = parse_number(cell("lat"), source=source, line=line, field="lat", lo=-90, hi=90)
    lon = parse_number(cell("lon"), source=source, line=line, field="lon", lo=-180, hi=180)
    return SiteRecord(
        name=cell("name"),
        lat=lat,
        lon=lon,
        kind=cell("kind"),
        country=cell("country") or None,
        source=cell("source") or source,
        line=line,
    )


def parse_sites_csv(data: str | bytes, *, source: str | None = None) -> tuple[SiteRecord, ...]:
    """Sites from CSV text with a ``name,lat,lon[,kind,country,source]`` header."""
    with naming(source):
        rows = csv_rows(decode_text(data))
        first = next(rows, None)
        if first is None:
            raise InputError("no sites: the file is empty", path=source)
        cols = _header(first[1], first[0], source)
        return tuple(_site(cells, cols, line, source) for line, cells in rows)


def read_sites_csv(path: str | Path) -> tuple[SiteRecord, ...]:
    """Read a site list CSV file; errors name the file."""
    return read_with(parse_sites_csv, path)
