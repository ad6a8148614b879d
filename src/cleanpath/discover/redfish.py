"""Read a server's inventory and firmware from its BMC over Redfish (GET only).

:func:`walk_redfish` holds the logic: given any ``get(path) -> dict`` it walks Systems
(Processors, Memory, Storage/Drives, PCIeDevices), Chassis (PCIeDevices/PCIeFunctions,
NetworkAdapters, Drives), Managers and UpdateService/FirmwareInventory, tolerating the
three shapes PCIe links take, member counts that disagree with ``Members`` and vendor IDs
in hex or decimal. Each resource that cannot be read becomes a :class:`Failure` and the
walk goes on, so a flaky BMC still gives a partial audit. :func:`collect_redfish` is the
HTTP edge (stdlib ``urllib``, basic auth, same-origin redirects only, bounded requests).

Everything here is *self-reported by the BMC*: the report says so.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from cleanpath.errors import DiscoveryError
from cleanpath.integrity.model import Component, Evidence, Failure, Firmware, normalise_hex_id

__all__ = ["ROOT", "FetchError", "collect_redfish", "rel", "walk_redfish"]

ROOT = "/redfish/v1"
Doc = Mapping[str, Any]
Getter = Callable[[str], Doc]


_EMPTY = {
    "not available",
    "n/a",
    "na",
    "none",
    "unknown",
    "to be filled by o.e.m.",
    "default string",
}


class FetchError(Exception):
    """One resource could not be read (HTTP status, bad JSON, loop, unreachable)."""


def rel(path: str) -> str:
    """A Redfish path relative to the service root, the key used for components.

    >>> rel("/redfish/v1/Systems/1/Memory/DIMM1/"), rel("/redfish/v1"), rel("/redfish/v1/X#/a")
    ('Systems/1/Memory/DIMM1', '', 'X')
    >>> rel("https://bmc:443/redfish/v1/Chassis/1?$expand=.")
    'Chassis/1'
    """
    path = urllib.parse.urlsplit(path).path if "://" in path else path
    path = path.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return path.removeprefix(ROOT).lstrip("/")


def _link(value: object) -> str | None:
    if isinstance(value, Mapping) and isinstance(value.get("@odata.id"), str):
        return str(value["@odata.id"])
    return None


class _Walk:
    """The state of one walk: documents read, failures, components and firmware found."""

    def __init__(self, get: Getter, *, max_requests: int) -> None:
        self.get = get
        self.max_requests = max_requests
        self.docs: dict[str, Doc | None] = {}
        self.failures: list[Failure] = []
        self.components: dict[str, Component] = {}
        self.firmware: dict[str, Firmware] = {}

    def fetch(self, path: str) -> Doc | None:
        key = rel(path)
        if key in self.docs:
            return self.docs[key]
        doc: Doc | None = None
        if len(self.docs) >= self.max_requests:
            self.failures.append(Failure(key, f"not read: request limit {self.max_requests}"))
        else:
            try:
                doc = self.get(f"{ROOT}/{key}" if key else ROOT)
            except FetchError as exc:
                self.failures.append(Failure(key, str(exc)))
        self.docs[key] = doc
        return doc

    def members(self, ref: object) -> Iterator[tuple[str, Doc]]:
        """Resources behind a collection link or an array of links (``Members`` is trusted,
        ``Members@odata.count`` never is)."""
        paths: list[str] = []
        if isinstance(ref, list):
            paths = [p for p in map(_link, ref) if p]
        elif (coll := _link(ref)) is not None:
            doc = self.fetch(coll)
            if doc is not None:
                paths = [p for p in map(_link, doc.get("Members") or []) if p]
        for p in paths:
            doc = self.fetch(p)
            if doc is not None:
                yield rel(p), doc

    def add(self, comp: Component) -> None:
        if comp.slot not in self.components:
            self.components[comp.slot] = comp


def _text(doc: Doc, *keys: str) -> str | None:
    for k in keys:
        v = doc.get(k)
        if isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip():
            s = str(v).strip()
            if s.lower() not in _EMPTY:
                return s
    return None


def _sub(doc: Doc, key: str) -> Doc:
    """``doc[key]`` when it is an object (``Links``, ``ProcessorId``), else an empty one."""
    value = doc.get(key)
    return value if isinstance(value, Mapping) else {}


def _absent(doc: Doc) -> bool:
    status = doc.get("Status")
    return isinstance(status, Mapping) and status.get("State") == "Absent"


def _component(kind: str, slot: str, doc: Doc, **extra: Any) -> Component:
    attrs = tuple(sorted((k, str(v)) for k, v in extra.pop("attrs", {}).items() if v is not None))
    fields: dict[str, Any] = {
        "manufacturer": _text(doc, "Manufacturer"),
        "model": _text(doc, "Model"),
        "serial_number": _text(doc, "SerialNumber"),
        "part_number": _text(doc, "PartNumber"),
    }
    fields.update(extra)
    return Component(kind, slot, attrs=attrs, source="redfish", **fields)


def _system(w: _Walk, slot: str, doc: Doc) -> None:
    w.add(
        _component(
            "system",
            slot,
            doc,
            firmware_version=_text(doc, "BiosVersion"),
            attrs={"sku": _text(doc, "SKU")},
        )
    )
    for p, d in w.members(doc.get("Processors")):
        if not _absent(d):
            vendor = _text(_sub(d, "ProcessorId"), "VendorId")
            w.add(
                _component(
                    "processor",
                    p,
                    d,
                    firmware_version=_text(d, "FirmwareVersion"),
                    attrs={"type": _text(d, "ProcessorType"), "cpu_vendor": vendor},
                )
            )
    for p, d in w.members(doc.get("Memory")):
        if not _absent(d):
            w.add(
                _component(
                    "memory",
                    p,
                    d,
                    firmware_version=_text(d, "FirmwareRevision"),
                    attrs={
                        "capacity_mib": _text(d, "CapacityMiB"),
                        "type": _text(d, "MemoryDeviceType"),
                    },
                )
            )
    for p, d in w.members(doc.get("Storage")):
        _storage(w, p, d)
    _pcie_devices(w, doc.get("PCIeDevices"))


def _storage(w: _Walk, slot: str, doc: Doc) -> None:
    for i, ctl in enumerate(doc.get("StorageControllers") or []):
        if isinstance(ctl, Mapping) and not _absent(ctl):
            w.add(
                _component(
                    "storage_controller",
                    f"{slot}/StorageControllers/{i}",
                    ctl,
                    firmware_version=_text(ctl, "FirmwareVersion"),
                )
            )
    for p, d in w.members(doc.get("Controllers")):
        w.add(_component("storage_controller", p, d, firmware_version=_text(d, "FirmwareVersion")))
    _drives(w, doc.get("Drives"))


def _drives(w: _Walk, ref: object) -> None:
    for p, d in w.members(ref):
        if not _absent(d):
            w.add(
                _component(
                    "drive",
                    p,
                    d,
                    firmware_version=_text(d, "Revision"),
                    attrs={"capacity_bytes": _text(d, "CapacityBytes")},
                )
            )


def _pcie_devices(w: _Walk, ref: object) -> None:
    for p, d in w.members(ref):
        if _absent(d) or p in w.components:
            continue
        links = _sub(d, "Links")
        funcs = [f for _, f in w.members(d.get("PCIeFunctions"))]
        funcs += [f for _, f in w.members(links.get("PCIeFunctions") or [])]
        ids = _function_ids(funcs)
        w.add(_component("pcie_device", p, d, firmware_version=_text(d, "FirmwareVersion"), **ids))


def _function_ids(funcs: list[Doc]) -> dict[str, Any]:
    """Vendor/device/subsystem ids of a PCIe device: those of its first function; all
    distinct function ids go to ``attrs['functions']`` when there are several."""
    rows = []
    for f in sorted(funcs, key=lambda f: str(f.get("FunctionId", f.get("Id", "")))):
        rows.append(
            {
                k: normalise_hex_id(f.get(src), bare_decimal=True)
                for k, src in (
                    ("vendor_id", "VendorId"),
                    ("device_id", "DeviceId"),
                    ("subsystem_vendor_id", "SubsystemVendorId"),
                    ("subsystem_id", "SubsystemId"),
                )
            }
        )
    if not rows:
        return {}
    out: dict[str, Any] = dict(rows[0])
    pairs = sorted({f"{r['vendor_id']}:{r['device_id']}" for r in rows})
    if len(pairs) > 1:
        out["attrs"] = {"functions": ",".join(pairs)}
    return out


def _chassis(w: _Walk, slot: str, doc: Doc) -> None:
    w.add(_component("chassis", slot, doc))
    links = _sub(doc, "Links")
    _pcie_devices(w, doc.get("PCIeDevices"))
    _pcie_devices(w, links.get("PCIeDevices") or [])
    _drives(w, doc.get("Drives"))
    _drives(w, links.get("Drives") or [])
    for p, d in w.members(doc.get("NetworkAdapters")):
        _adapter(w, p, d)


def _adapter(w: _Walk, slot: str, doc: Doc) -> None:
    """A NetworkAdapter; merged into its PCIe device when a controller links to one."""
    versions: list[str] = []
    linked: list[str] = []
    for ctl in doc.get("Controllers") or []:
        if not isinstance(ctl, Mapping):
            continue
        v = _text(ctl, "FirmwarePackageVersion")
        versions += [v] if v else []
        links = _sub(ctl, "Links")
        linked += [rel(p) for p in map(_link, links.get("PCIeDevices") or []) if p]
    fw = ",".join(versions) or None
    for dev in (p for p in linked if p in w.components):
        old = w.components[dev]
        w.components[dev] = replace(old, firmware_version=old.firmware_version or fw)
    if not any(p in w.components for p in linked):
        w.add(_component("network_adapter", slot, doc, firmware_version=fw))


def _firmware(w: _Walk, root: Doc) -> None:
    link = _link(root.get("UpdateService"))
    update = w.fetch(link) if link else None
    if update is None:
        return
    for p, d in w.members(update.get("FirmwareInventory")):
        related = tuple(rel(r) for r in map(_link, d.get("RelatedItem") or []) if r)
        upd = d.get("Updateable")
        w.firmware[p] = Firmware(
            id=p,
            name=_text(d, "Name", "Id") or p,
            version=_text(d, "Version"),
            software_id=_text(d, "SoftwareId"),
            manufacturer=_text(d, "Manufacturer"),
            updateable=upd if isinstance(upd, bool) else None,
            related=related,
            source="redfish",
        )


def _component_firmware(w: _Walk) -> None:
    """Firmware a component reports itself, unless FirmwareInventory already covers it
    (a ``RelatedItem`` points at it, or an inventory entry has the same version string)."""
    related = {r for f in w.firmware.values() for r in f.related}
    versions = {f.version for f in w.firmware.values() if f.version}
    for c in w.components.values():
        v = c.firmware_version
        if v is None or c.slot in related or v in versions:
            continue
        fid = f"{c.slot}#firmware"
        w.firmware[fid] = Firmware(
            fid, f"{c.kind} {c.model or c.slot}", v, manufacturer=c.manufacturer, source="redfish"
        )


def walk_redfish(get: Getter, *, source: str = "redfish", max_requests: int = 3000) -> Evidence:
    """Walk a Redfish service through ``get(path)`` and return what it reports.

    ``get`` returns the JSON document at a path or raises :class:`FetchError`; failures are
    kept in ``Evidence.failures`` (path relative to ``/redfish/v1``, ``""`` for the root).
    """
    w = _Walk(get, max_requests=max_requests)
    root = w.fetch(ROOT)
    if root is not None:
        for p, d in w.members(root.get("Systems")):
            _system(w, p, d)
        for p, d in w.members(root.get("Chassis")):
            _chassis(w, p, d)
        for p, d in w.members(root.get("Managers")):
            w.add(_component("manager", p, d, firmware_version=_text(d, "FirmwareVersion")))
        _firmware(w, root)
        _component_firmware(w)
    comps = tuple(sorted(w.components.values(), key=lambda c: c.slot))
    fws = tuple(sorted(w.firmware.values(), key=lambda f: f.id))
    return Evidence(comps, fws, {}, tuple(w.failures), (source,), ("redfish",))


def collect_redfish(
    url: str,
    *,
    user: str | None = None,
    password: str | None = None,
    auth: str = "basic",
    timeout: float = 10.0,
    max_requests: int = 3000,
) -> Evidence:
    """Evidence of the server behind the Redfish service at ``url`` (``http://host:port``).

    ``auth`` is ``basic`` (HTTP basic auth on every request) or ``session`` (a Redfish
    session: POST to SessionService/Sessions, then ``X-Auth-Token``; deleted at the end).
    Unreadable resources are listed in ``failures``; an unreachable service gives an
    Evidence with one failure for the root (``""``) and nothing else.
    """
    from cleanpath.discover.redfish_http import RedfishHttp

    http = RedfishHttp(url, user=user, password=password, timeout=timeout)
    source = f"redfish {url}"
    try:
        if auth == "session":
            http.login()
        elif auth != "basic":
            raise DiscoveryError(f"unknown auth {auth!r} (basic, session)", field="auth")
    except FetchError as exc:
        failure = Failure("SessionService/Sessions", f"session login failed: {exc}")
        return Evidence(failures=(failure,), sources=(source,), kinds=("redfish",))
    try:
        return walk_redfish(http.get, source=source, max_requests=max_requests)
    finally:
        http.logout()
