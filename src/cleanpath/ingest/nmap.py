"""nmap XML output (``nmap -oX``): one device per host that was up.

Per host: addresses (IPv4/IPv6 and, on a local segment, the MAC with nmap's MAC vendor),
host names, OS matches (``-O``) and per-port service banners (``-sV`` product/version and
script output such as ``banner`` or ``http-server-header``). nmap's MAC vendor names the NIC
maker, not necessarily the brand of the box: it is kept as a signal (``nmap_mac_vendor``).

>>> inv = parse_nmap('''<nmaprun scanner="nmap"><host><status state="up"/>
... <address addr="192.0.2.7" addrtype="ipv4"/>
... <address addr="00:BC:99:00:00:01" addrtype="mac" vendor="Hikvision"/>
... <ports><port protocol="tcp" portid="80"><state state="open"/>
... <service name="http" product="Hikvision IP camera httpd"/></port></ports>
... </host></nmaprun>''')
>>> d = inv.devices[0]
>>> d.node, d.mac, d.extra["nmap_mac_vendor"], d.extra["banners"][0]["product"]
('192.0.2.7', '00:bc:99:00:00:01', 'Hikvision', 'Hikvision IP camera httpd')
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

from cleanpath.domain import DeviceRecord, Inventory, Skipped
from cleanpath.errors import InputError
from cleanpath.ingest._common import read_with
from cleanpath.ingest._xml import Element, parse_xml
from cleanpath.ingest.mib import MAX_TEXT, format_mac

__all__ = ["parse_nmap", "read_nmap"]

_SERVICE_KEYS = ("name", "product", "version", "extrainfo", "ostype", "devicetype", "hostname")


def _addresses(host: Element) -> tuple[str | None, str | None, str | None]:
    """(IP address, MAC, nmap's MAC vendor)."""
    ip = mac = vendor = None
    for a in host.iter("address"):
        kind = a.attrs.get("addrtype", "")
        if kind in ("ipv4", "ipv6") and ip is None:
            ip = a.attrs.get("addr", "")
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                raise InputError(f"bad IP address {ip!r}", line=a.line, field="address") from None
        elif kind == "mac":
            mac = format_mac(a.attrs.get("addr", ""))
            if mac is None:
                raise InputError(f"bad MAC {a.attrs.get('addr')!r}", line=a.line, field="address")
            vendor = a.attrs.get("vendor") or None
    return ip, mac, vendor


def _hostname(host: Element) -> str | None:
    names = host.find("hostnames")
    if names is None:
        return None
    found = [h.attrs.get("name", "") for h in names.iter("hostname")]
    return next((n for n in found if n), None)


def _banner(port: Element) -> dict[str, Any] | None:
    state = port.find("state")
    if state is not None and state.attrs.get("state") not in ("open", "open|filtered"):
        return None
    out: dict[str, Any] = {
        "port": _number(port.attrs.get("portid")),
        "protocol": port.attrs.get("protocol"),
    }
    service = port.find("service")
    if service is not None:
        out.update({k: service.attrs[k][:MAX_TEXT] for k in _SERVICE_KEYS if service.attrs.get(k)})
        cpes = [c.text for c in service.iter("cpe") if c.text]
        if cpes:
            out["cpe"] = tuple(cpes)
    scripts = {
        s.attrs.get("id", ""): s.attrs.get("output", "")[:MAX_TEXT] for s in port.iter("script")
    }
    if scripts:
        out["scripts"] = scripts
    return out if len(out) > 2 else None


def _number(text: str | None) -> int | None:
    """A small whole number attribute (port, accuracy), or None when it is not one.

    >>> _number("443"), _number("²"), _number("9" * 5000), _number(None)
    (443, None, None, None)
    """
    ok = text is not None and text.isascii() and text.isdigit() and len(text) <= 9
    return int(text) if ok and text is not None else None


def _os_matches(host: Element) -> tuple[dict[str, Any], ...]:
    os_elem = host.find("os")
    if os_elem is None:
        return ()
    matches = []
    for m in os_elem.iter("osmatch"):
        classes = [
            {k: c.attrs[k] for k in ("type", "vendor", "osfamily", "osgen") if c.attrs.get(k)}
            | {"cpe": tuple(x.text for x in c.iter("cpe") if x.text)}
            for c in m.iter("osclass")
        ]
        matches.append(
            {
                "name": m.attrs.get("name"),
                "accuracy": _number(m.attrs.get("accuracy")),
                "classes": tuple(classes),
            }
        )
    return tuple(matches)


def _device(host: Element, source: str | None) -> DeviceRecord | None:
    status = host.find("status")
    if status is not None and status.attrs.get("state") != "up":
        return None
    ip, mac, vendor = _addresses(host)
    hostname = _hostname(host)
    if ip is None and mac is None:
        raise InputError("host without an address", line=host.line, field="host")
    extra: dict[str, Any] = {"ip": ip} if ip else {}
    if vendor:
        extra["nmap_mac_vendor"] = vendor
    os_matches = _os_matches(host)
    if os_matches:
        extra["nmap_os_matches"] = os_matches
    ports = host.find("ports")
    banners = [b for p in (ports.iter("port") if ports else ()) if (b := _banner(p))]
    if banners:
        extra["banners"] = tuple(banners)
    return DeviceRecord(
        node=hostname or ip or str(mac),
        hostname=hostname,
        mac=mac,
        source=source,
        line=host.line,
        extra=extra,
    )


def parse_nmap(
    data: str | bytes, *, source: str | None = None, skip_bad: bool = False
) -> Inventory:
    """Parse ``nmap -oX`` output. Hosts that were not up are skipped and counted."""
    root = parse_xml(data, source=source, root="nmaprun", what="nmap XML output")
    devices: list[DeviceRecord] = []
    skipped: list[Skipped] = []
    for host in root.iter("host"):
        try:
            device = _device(host, source)
        except InputError as exc:
            if not skip_bad:
                raise InputError(exc.message, path=source, line=exc.line, field=exc.field) from None
            skipped.append(Skipped(source, exc.line, exc.message))
            continue
        if device is None:
            skipped.append(Skipped(source, host.line, "host not up"))
        else:
            devices.append(device)
    return Inventory(tuple(devices), (), tuple(skipped), (source,) if source else ())


def read_nmap(path: str | Path, *, skip_bad: bool = False) -> Inventory:
    """Read an nmap XML file; errors name the file, line and element."""
    return read_with(parse_nmap, path, skip_bad=skip_bad)
