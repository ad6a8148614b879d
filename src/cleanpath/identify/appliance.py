"""Generic agents on appliances: the MAC blocks of an equipment maker name the board's maker.

Many appliances answer SNMP with a stock agent (net-snmp, lwIP): sysObjectID is the stack's
number and sysDescr a Linux kernel line, so nothing names the maker. When *every* MAC of
such a device lies in blocks of one registrant that the knowledge base knows as an equipment
maker (a curated vendor or a ``names.csv`` name; not a chip, stack or contract maker, not a
virtual NIC), that maker most likely built the board. It is weak evidence (0.36, just above
the naming threshold): an identification resting on it is shown, and a listed maker named
this way is *unknown — needs inspection*, never *covered* (``policy.COVER_CONFIDENCE``).

>>> from cleanpath.kb import load_kb
>>> from cleanpath.domain import DeviceRecord
>>> dev = DeviceRecord("t", sys_object_id="1.3.6.1.4.1.8072.3.2.10",
...                    sys_descr="Linux router 5.4.0 #0 mips", mac="00:1e:42:00:00:01")
>>> [(e.points_to, e.weight) for e in stack_agent_macs(dev, load_kb())]
[('teltonika', 0.36)]
"""

from __future__ import annotations

from cleanpath.domain import DeviceRecord
from cleanpath.identify.model import Evidence
from cleanpath.identify.rules import mac_owner
from cleanpath.kb import KnowledgeBase, PenMeaning, pen_of_oid

__all__ = ["STACK_MAC", "stack_agent_macs"]

STACK_MAC = 0.36


def _macs(device: DeviceRecord) -> list[str]:
    extra = device.extra
    found = [device.mac, extra.get("bridge_mac"), extra.get("lldp_chassis_mac")]
    ifs = extra.get("if_macs")
    if isinstance(ifs, str):
        found += ifs.split(" | ")
    elif isinstance(ifs, list | tuple):
        found += [str(m) for m in ifs]
    return [m.strip() for m in found if isinstance(m, str) and m.strip()]


def _owner(kb: KnowledgeBase, mac: str) -> str | None:
    """The vendor key of ``mac``'s block when the KB knows its owner as an equipment maker;
    '' for any other registered block, None when the address is not in a block."""
    hit = mac_owner(kb, mac)
    if hit is None:
        return None
    key = hit[0]
    return "" if key is None or key in kb.not_makers or key in kb.virtual_nics else key


def stack_agent_macs(device: DeviceRecord, kb: KnowledgeBase) -> list[Evidence]:
    """Every MAC in one equipment maker's blocks, on a device whose sysObjectID is a software
    stack's number: that maker (weight :data:`STACK_MAC`, read as a MAC-block vote)."""
    pen = pen_of_oid(device.sys_object_id or "")
    entry = kb.pen(pen) if pen is not None else None
    if entry is None or entry.meaning != PenMeaning.STACK:
        return []
    owners = [o for o in (_owner(kb, m) for m in _macs(device)) if o is not None]
    if not owners or len(set(owners)) != 1 or not owners[0]:
        return []
    key = owners[0]
    macs = "its MAC" if len(owners) == 1 else f"all {len(owners)} MACs"
    detail = (
        f"{macs} in blocks of {kb.vendor(key).name}, an equipment maker, on a generic "
        f"{entry.organization} agent: probably its board (weak, needs inspection)"
    )
    return [
        Evidence("mac", f"{len(owners)} MACs", "stack_agent_macs", key, STACK_MAC, detail, "nic")
    ]
