"""The bundled demo scenarios: one public topology per country, its sites and its hubs.

>>> [(s.name, s.country) for s in demo_scenarios()]
[('germany-dfn', 'DE'), ('italy-garr', 'IT'), ('japan-iij', 'JP')]
>>> demo_scenarios()[0].graphml.name
'Dfn.graphml'
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import math
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from cleanpath.domain import SiteRecord
from cleanpath.errors import InputError

__all__ = [
    "SITE_COLUMNS",
    "DemoScenario",
    "data_file",
    "demo_scenarios",
    "parse_sites",
    "read_sites",
]

SITE_COLUMNS = ("name", "lat", "lon", "kind", "country", "source")
ATTRIBUTION = (
    "Topology from The Internet Topology Zoo (topology-zoo.org), CC BY 4.0; "
    'S. Knight et al., "The Internet Topology Zoo", IEEE JSAC 29(9), 2011.'
)


def data_file(name: str) -> Traversable:
    """A file bundled in ``cleanpath/demo/data`` (``importlib.resources.as_file`` gives a path)."""
    return importlib.resources.files("cleanpath.demo").joinpath("data", name)


@dataclass(frozen=True, slots=True)
class DemoScenario:
    """One demo network: its GraphML file, the sites to protect and the traffic hubs.

    ``profile`` names the catalogue's illustrative vendor mix for
    :func:`cleanpath.demo.inventory.illustrative_inventory`.
    """

    name: str
    country: str
    graphml: Traversable
    sites: tuple[SiteRecord, ...]
    hubs: tuple[SiteRecord, ...]
    seed: int
    profile: str = "europe"
    attribution: str = ATTRIBUTION


def _float(value: str, field: str, line: int, source: str, lo: float, hi: float) -> float:
    try:
        x = float(value)
    except ValueError:
        raise InputError(f"not a number: {value!r}", path=source, line=line, field=field) from None
    if not math.isfinite(x) or not lo <= x <= hi:
        raise InputError(f"{x} is outside [{lo}, {hi}]", path=source, line=line, field=field)
    return x


def parse_sites(text: str, *, source: str = "sites.csv") -> tuple[SiteRecord, ...]:
    """Parse ``name,lat,lon,kind,country,source`` CSV text into SiteRecords.

    Every row must have a name, valid coordinates and a source; errors name the line.

    >>> parse_sites("name,lat,lon,kind,country,source\\nX,1.5,2,base,DE,somewhere\\n")[0].lat
    1.5
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in SITE_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(f"missing columns: {', '.join(missing)}", path=source, line=1)
    sites = []
    for row in reader:
        line = reader.line_num
        for col in ("name", "source"):
            if not (row.get(col) or "").strip():
                raise InputError("empty", path=source, line=line, field=col)
        sites.append(
            SiteRecord(
                name=row["name"].strip(),
                lat=_float(row["lat"] or "", "lat", line, source, -90.0, 90.0),
                lon=_float(row["lon"] or "", "lon", line, source, -180.0, 180.0),
                kind=(row["kind"] or "").strip(),
                country=(row["country"] or "").strip() or None,
                source=row["source"].strip(),
                line=line,
            )
        )
    return tuple(sites)


def read_sites(path: str | Path | Traversable) -> tuple[SiteRecord, ...]:
    """Read a sites CSV file (a path or a bundled resource)."""
    res = Path(path) if isinstance(path, str) else path
    name = str(res)
    try:
        text = res.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read sites file: {exc.strerror}", path=name) from exc
    return parse_sites(text, source=name)


_SCENARIOS = (
    ("germany-dfn", "DE", "Dfn.graphml", 20261128, "europe"),
    ("italy-garr", "IT", "Garr201201.graphml", 20261129, "europe"),
    ("japan-iij", "JP", "Iij.graphml", 20261130, "japan"),
)


def demo_scenarios() -> list[DemoScenario]:
    """The three bundled scenarios (Germany/DFN, Italy/GARR, Japan/IIJ), in that order."""
    sites = read_sites(data_file("sites.csv"))
    hubs = read_sites(data_file("hubs.csv"))
    return [
        DemoScenario(
            name=name,
            country=country,
            graphml=data_file(graphml),
            sites=tuple(s for s in sites if s.country == country),
            hubs=tuple(h for h in hubs if h.country == country),
            seed=seed,
            profile=profile,
        )
        for name, country, graphml, seed, profile in _SCENARIOS
    ]
