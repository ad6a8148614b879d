"""Sites: named points (e.g. military installations) attached to their nearest network node."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from cleanpath.domain import DemandClass, DemandRecord, SiteRecord
from cleanpath.errors import ModelError
from cleanpath.model.network import Network, haversine_km

__all__ = ["AttachedSite", "attach_sites", "site_demands"]


@dataclass(frozen=True, slots=True)
class AttachedSite:
    """A site and the node it is attached to, with the distance in km."""

    site: SiteRecord
    node: str
    distance_km: float

    def to_dict(self) -> dict[str, object]:
        s = self.site
        return {
            "name": s.name,
            "lat": s.lat,
            "lon": s.lon,
            "kind": s.kind,
            "country": s.country,
            "source": s.source,
            "node": self.node,
            "distance_km": round(self.distance_km, 3),
        }


def attach_sites(
    net: Network, sites: Iterable[SiteRecord], *, include_external: bool = False
) -> tuple[AttachedSite, ...]:
    """Attach each site to the nearest node with coordinates (great-circle distance).

    Hyperedge (cloud) nodes never host a site; external nodes only with ``include_external``.
    Raises ModelError when the network has no usable coordinates.
    """
    ok = ~np.isnan(net.lat) & ~np.isnan(net.lon) & ~net.hyperedge
    if not include_external:
        ok &= ~net.external
    cand = np.flatnonzero(ok)
    if cand.size == 0:
        raise ModelError(f"network {net.name!r} has no node coordinates to attach sites to")
    out = []
    for s in sites:
        d = [haversine_km(s.lat, s.lon, float(net.lat[i]), float(net.lon[i])) for i in cand]
        j = int(np.argmin(d))
        out.append(AttachedSite(s, net.node_ids[int(cand[j])], float(d[j])))
    return tuple(out)


def site_demands(
    sites: Iterable[AttachedSite],
    hubs: Iterable[AttachedSite],
    *,
    volume: float = 1.0,
    both_directions: bool = True,
) -> tuple[DemandRecord, ...]:
    """Sensitive demands from each site's node to each hub's node (and back).

    Pairs whose ends fall on the same node are skipped (they never cross the network).
    """
    hubs = tuple(hubs)
    out: list[DemandRecord] = []
    seen: set[tuple[str, str]] = set()
    for s in sites:
        for h in hubs:
            pairs = [(s.node, h.node)] + ([(h.node, s.node)] if both_directions else [])
            for a, b in pairs:
                if a == b or (a, b) in seen:
                    continue
                seen.add((a, b))
                out.append(
                    DemandRecord(
                        a, b, volume, DemandClass.SENSITIVE, id=f"{s.site.name} ~ {h.site.name}"
                    )
                )
    return tuple(out)
