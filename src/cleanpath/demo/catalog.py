"""The illustrative device catalogue shipped with the demo (``demo/data/catalog.yaml``).

``parse_catalog(text)`` checks the YAML and returns a :class:`Catalog`; ``read_catalog()``
reads the bundled file (or another path). Errors name the file, the entry and the field.

>>> cat = read_catalog()
>>> cat.illustrative
True
>>> sorted({e.role for e in cat.entries})
['aggregation', 'camera', 'core', 'optical', 'switch']
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cleanpath.errors import InputError

__all__ = ["ROLES", "Catalog", "CatalogEntry", "Profile", "parse_catalog", "read_catalog"]

ROLES = ("core", "aggregation", "switch", "optical", "camera")
CATALOG_NAME = "catalog.yaml"
_EVIDENCE = ("observed", "model_only")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One real product, with the identifiers a device of that model reports."""

    key: str
    role: str
    forwarding: bool
    manufacturer: str
    model: str
    oui: str
    oui_registrant: str
    evidence: str
    source: str
    brand: str | None = None
    sys_descr: str | None = None
    sys_object_id: str | None = None

    @property
    def label_name(self) -> str:
        """The name on the label: the brand when it differs from the maker."""
        return self.brand or self.manufacturer


@dataclass(frozen=True, slots=True)
class Profile:
    """An illustrative vendor mix: weights per maker and a default target-vendor share."""

    name: str
    untrusted_share: float
    target: Mapping[str, float]
    other: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Catalog:
    """The parsed catalogue."""

    entries: tuple[CatalogEntry, ...]
    profiles: Mapping[str, Profile]
    target_vendors: frozenset[str]
    illustrative: bool
    notice: str
    source: str

    def is_target(self, entry: CatalogEntry) -> bool:
        """True when the entry's maker is one of the target vendors."""
        return entry.manufacturer in self.target_vendors


def _need(obj: Mapping[str, Any], key: str, kind: type, where: str, source: str) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise InputError(f"{where}: '{key}' must be a {kind.__name__}", path=source, field=key)
    return value


def _opt_str(obj: Mapping[str, Any], key: str, where: str, source: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InputError(f"{where}: '{key}' must be text or null", path=source, field=key)
    return str(value)


def _entry(raw: Any, index: int, source: str) -> CatalogEntry:
    where = f"devices[{index}]"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: must be a mapping", path=source, field="devices")
    entry = CatalogEntry(
        key=_need(raw, "key", str, where, source),
        role=_need(raw, "role", str, where, source),
        forwarding=_need(raw, "forwarding", bool, where, source),
        manufacturer=_need(raw, "manufacturer", str, where, source),
        model=_need(raw, "model", str, where, source),
        oui=_need(raw, "oui", str, where, source).upper(),
        oui_registrant=_need(raw, "oui_registrant", str, where, source),
        evidence=_need(raw, "evidence", str, where, source),
        source=_need(raw, "source", str, where, source),
        brand=_opt_str(raw, "brand", where, source),
        sys_descr=_opt_str(raw, "sys_descr", where, source),
        sys_object_id=_opt_str(raw, "sys_object_id", where, source),
    )
    if entry.role not in ROLES:
        raise InputError(f"{where}: unknown role {entry.role!r}", path=source, field="role")
    if entry.evidence not in _EVIDENCE:
        raise InputError(
            f"{where}: evidence must be one of {_EVIDENCE}", path=source, field="evidence"
        )
    parts = entry.oui.split(":")
    if len(parts) != 3 or not all(len(p) == 2 and _is_hex(p) for p in parts):
        raise InputError(f"{where}: oui must look like 'AA:BB:CC'", path=source, field="oui")
    return entry


def _is_hex(text: str) -> bool:
    return all(c in "0123456789ABCDEF" for c in text)


def _weights(raw: Any, where: str, source: str) -> dict[str, float]:
    if not isinstance(raw, Mapping) or not raw:
        raise InputError(f"{where}: must be a non-empty mapping", path=source, field=where)
    out: dict[str, float] = {}
    for name, weight in raw.items():
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight < 0:
            raise InputError(f"{where}.{name}: weight must be >= 0", path=source, field=where)
        out[str(name)] = float(weight)
    return out


def _profile(name: str, raw: Any, source: str) -> Profile:
    where = f"profiles.{name}"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: must be a mapping", path=source, field="profiles")
    share = raw.get("untrusted_share")
    if not isinstance(share, int | float) or isinstance(share, bool) or not 0.0 <= share <= 1.0:
        raise InputError(f"{where}: untrusted_share must be in [0, 1]", path=source)
    target = _weights(raw.get("target"), f"{where}.target", source)
    other = _weights(raw.get("other"), f"{where}.other", source)
    return Profile(name, float(share), target, other)


def parse_catalog(text: str, *, source: str = CATALOG_NAME) -> Catalog:
    """Parse catalogue YAML text; raise :class:`InputError` naming the bad entry/field."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"not valid YAML: {exc}", path=source, line=line) from exc
    if not isinstance(doc, Mapping):
        raise InputError("top level must be a mapping", path=source)
    raw_devices = doc.get("devices")
    if not isinstance(raw_devices, list) or not raw_devices:
        raise InputError("'devices' must be a non-empty list", path=source, field="devices")
    entries = tuple(_entry(raw, i, source) for i, raw in enumerate(raw_devices))
    keys = [e.key for e in entries]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise InputError(f"duplicate keys: {', '.join(dupes)}", path=source, field="key")
    raw_profiles = doc.get("profiles")
    if not isinstance(raw_profiles, Mapping) or not raw_profiles:
        raise InputError("'profiles' must be a non-empty mapping", path=source, field="profiles")
    profiles = {str(k): _profile(str(k), v, source) for k, v in raw_profiles.items()}
    targets = doc.get("target_vendors")
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise InputError("'target_vendors' must be a list of names", path=source)
    return Catalog(
        entries=entries,
        profiles=profiles,
        target_vendors=frozenset(targets),
        illustrative=bool(doc.get("illustrative", True)),
        notice=str(doc.get("notice", "")).strip(),
        source=source,
    )


@functools.cache
def _bundled_catalog() -> Catalog:
    res = importlib.resources.files("cleanpath.demo").joinpath("data", CATALOG_NAME)
    return parse_catalog(res.read_text(encoding="utf-8"), source=CATALOG_NAME)


def read_catalog(path: str | Path | None = None) -> Catalog:
    """Read ``path``, or the catalogue bundled with cleanpath when ``path`` is None."""
    if path is None:
        return _bundled_catalog()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read catalogue: {exc.strerror}", path=str(p)) from exc
    return parse_catalog(text, source=str(p))
