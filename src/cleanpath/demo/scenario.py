"""The bundled demo scenarios: one public topology per country, its sites and its hubs.

>>> [(s.name, s.country) for s in demo_scenarios()]
[('germany-dfn', 'DE'), ('italy-garr', 'IT'), ('japan-iij', 'JP')]
>>> demo_scenarios()[0].graphml.name
'Dfn.graphml'
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from cleanpath.domain import SiteRecord
from cleanpath.errors import InputError
from cleanpath.ingest.sites import parse_sites_csv

__all__ = [
    "DemoScenario",
    "data_file",
    "demo_scenarios",
    "parse_sites",
    "read_sites",
]

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


def parse_sites(text: str, *, source: str = "sites.csv") -> tuple[SiteRecord, ...]:
    """Parse a bundled sites CSV (``name,lat,lon,kind,country,source``).

    Reads with :func:`cleanpath.ingest.sites.parse_sites_csv`, then requires what shipped
    facts need: every row names its own source, kind and country.

    >>> parse_sites("name,lat,lon,kind,country,source\\nX,1.5,2,base,DE,somewhere\\n")[0].lat
    1.5
    """
    sites = parse_sites_csv(text, source=source)
    for site in sites:
        for col, value in (("source", site.source), ("kind", site.kind), ("country", site.country)):
            if not value or (col == "source" and value == source):
                raise InputError("empty", path=source, line=site.line, field=col)
    return sites


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
