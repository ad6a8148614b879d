"""Poll one SNMP agent (pysnmp, asyncio): system group, ENTITY-MIB, IF-MIB, BRIDGE-MIB, LLDP-MIB.

One GETBULK asks for the scalars and the first four rows of every table column (a device
whose tables have at most three rows costs this one request); further multi-column GETBULKs
walk what is left, each column asking for twice its previous rows. Where sysObjectID is
missing or generic, the enterprise subtrees of the makers we look for are probed in the same
requests (one GETNEXT each, a subtree that answers is read on to a few objects): whose MIBs
the box implements tells who made it. Everything an agent says or fails to
say is data: a timeout fails the agent (:class:`AgentPoll` ``error``), an error status drops
the offending object and is kept as a warning, a value of the wrong shape is a warning of
:func:`~cleanpath.ingest.mib.device_from_values`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cleanpath.discover.session import (
    AgentPoll,
    Channel,
    Credentials,
    PollSettings,
    Session,
    status_name,
    to_value,
)
from cleanpath.discover.targets import Target
from cleanpath.errors import InputError
from cleanpath.ingest.mib import (
    ENT_PHYS,
    IF_PHYS_ADDRESS,
    LLDP_LOC_PORT,
    LLDP_REM,
    SCALARS,
    SYS_OBJECT_ID,
    SnmpValue,
    oid_key,
)

__all__ = [
    "GENERIC_PENS",
    "POLL_SCALARS",
    "POLL_TABLES",
    "VENDOR_SUBTREES",
    "AgentPoll",
    "Channel",
    "Credentials",
    "PollSettings",
    "needs_subtree_walk",
    "poll_agent",
    "walk",
]

#: Enterprise numbers that name an SNMP stack, not a maker (pen_selected.csv notes in
#: ../shared/data/devices, IANA registry via Wireshark enterprises.tsv, 2024-08-23):
#: 8072 net-snmp, 2021 UCD-SNMP (net-snmp's predecessor), 26381 the lwIP stack.
GENERIC_PENS = frozenset({8072, 2021, 26381})
#: Subtrees walked (bounded) when sysObjectID is generic or missing: Huawei 2011, ZTE 3902,
#: H3C 25506 and 61878, Hikvision 39165, Dahua 37496, Hytera 40297 (IANA, same source as
#: above), 50001 and 1004849 (reported by Hikvision / Dahua recorders; not their own
#: registrations, see SOURCES.md and issue 4), 43 3Com.
VENDOR_SUBTREES = (2011, 3902, 25506, 61878, 39165, 37496, 40297, 50001, 1004849, 43)

_MAX_VARBINDS = 64  # snmpsim's response cap (--max-var-binds 64); agents truncate GETBULK replies


def _keep(poll: AgentPoll, vbs: Sequence[Any]) -> None:
    for oid, value in vbs:
        v = to_value(value)
        if v is not None:
            poll.values[str(oid)] = v


async def _first_request(s: Session, columns: list[_Column], reps: int) -> bool:
    """One GETBULK for the scalars (as non-repeaters) and the first rows of every column.

    False when it failed (timeout or error status): then the scalars are fetched with GETs
    (no retries), and only if that fails too is the agent failed.
    """
    scalars = [o.rsplit(".", 1)[0] for o in POLL_SCALARS]  # GETNEXT of x is x.0
    reps = max(1, min(reps, (_MAX_VARBINDS - len(scalars)) // len(columns)))
    for col in columns:  # a column still open after ``reps`` rows is a long one
        col.step = 2 * reps
    error, status, vbs = await s.bulk(scalars + [c.last for c in columns], reps, len(scalars))
    if error or status:  # e.g. a reply too big to send: try plain GETs once before giving up
        s.poll.warnings.append(f"first request: {error or 'agent returned ' + status_name(status)}")
        return False
    for want, (oid, value) in zip(POLL_SCALARS, vbs[: len(scalars)], strict=False):
        v = to_value(value)
        if str(oid) == want and v is not None:
            s.poll.values[want] = v
    for i, (oid, value) in enumerate(vbs[len(scalars) :]):
        col = columns[i % len(columns)]
        if not col.done:
            _take(s, col, str(oid), value)
    return True


async def _get_scalars(s: Session) -> None:
    """GET the scalars; after an error status, ask for each object alone (error indexes
    are not reliable across agents), keeping every answer and a warning per refusal."""
    oids = list(POLL_SCALARS)
    error, status, _, vbs = await s.get(oids)
    if error:
        s.poll.error = error
        return
    if not status:
        _keep(s.poll, vbs)
        return
    refused = 0
    for oid in oids:
        error, status, _, vbs = await s.get([oid])
        if error or status:
            refused += 1
            s.poll.warnings.append(f"{oid}: {error or 'agent returned ' + status_name(status)}")
        else:
            _keep(s.poll, vbs)
    if refused == len(oids):
        s.poll.error = "agent returned an error for every system object"


@dataclass(slots=True)
class _Column:
    prefix: str
    last: str
    limit: int
    step: int  # rows to ask for in the next request (1: a GETNEXT probe)
    rows: int = 0
    done: bool = False
    bounded: bool = False  # a deliberate sample: reaching the limit is not worth a warning


#: what the poller asks for (a subset of what :mod:`cleanpath.ingest.mib` can read: each
#: object costs the agent work, and identification needs these)
POLL_SCALARS = tuple(o for o in SCALARS if o not in ("1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.4.0"))
POLL_TABLES: tuple[tuple[str, tuple[int, ...]], ...] = (
    (ENT_PHYS, (2, 5, 9, 11, 12, 13)),  # descr, class, firmware, serial, mfg, model
    (IF_PHYS_ADDRESS.rsplit(".", 1)[0], (6,)),
    (LLDP_REM, (4, 5, 7, 9, 10)),  # chassis id subtype, chassis id, port id, name, descr
    (LLDP_LOC_PORT, (3,)),  # lldpLocPortId
)


def _columns(settings: PollSettings) -> list[_Column]:
    limits = {ENT_PHYS: min(64, settings.max_rows)}
    step = max(2, settings.first_repetitions)
    return [
        _Column(f"{t}.{c}", f"{t}.{c}", limits.get(t, settings.max_rows), step)
        for t, cols in POLL_TABLES
        for c in cols
    ]


def _take(s: Session, col: _Column, oid: str, value: Any) -> None:
    v = to_value(value)
    if not oid.startswith(col.prefix + ".") or v is None:
        col.done = True
        return
    if oid_key(oid) <= oid_key(col.last):
        s.poll.warnings.append(f"{oid}: OID not increasing, walk of {col.prefix} stopped")
        col.done = True
        return
    col.last = oid
    col.rows += 1
    if v is not None:
        s.poll.values[oid] = v
    if col.rows >= col.limit:
        if not col.bounded:
            s.poll.warnings.append(f"{col.prefix}: stopped after {col.limit} rows")
        col.done = True


def _plan(active: list[_Column], cap: int) -> tuple[list[_Column], list[_Column], int]:
    """One request: columns probing for a first row (GETBULK non-repeaters), columns
    walked ``reps`` rows each, within :data:`_MAX_VARBINDS` var-binds."""
    active = active[:_MAX_VARBINDS]
    probes = [c for c in active if c.step == 1]
    walks = [c for c in active if c.step > 1]
    if not walks:
        return [], probes, 1
    room = (_MAX_VARBINDS - len(probes)) // len(walks)
    return probes, walks, max(1, min(cap, max(c.step for c in walks), room))


def _spread(s: Session, probes: list[_Column], walks: list[_Column], vbs: Sequence[Any]) -> None:
    """Hand each returned var-bind to its column (non-repeaters first, then row by row)."""
    for col, (oid, value) in zip(probes, vbs, strict=False):
        _take(s, col, str(oid), value)
    for i, (oid, value) in enumerate(vbs[len(probes) :]):
        col = walks[i % len(walks)]
        if not col.done:
            _take(s, col, str(oid), value)
    for col in (*probes, *walks):  # a column still open asks for more rows next time
        col.step = col.limit - col.rows if col.bounded else col.step * 2


async def walk(s: Session, columns: list[_Column], settings: PollSettings) -> None:
    """Walk many columns with shared GETBULK requests until each leaves its subtree.

    Each column asks for twice the rows of its previous request (a short table costs one
    row past its end, a long one few requests). After an error status the columns are
    walked one by one, so one refusing column does not cost the others; a timeout stops
    the walk and keeps what was read.
    """
    cap = settings.max_repetitions
    active = [c for c in columns if not c.done]
    while active and s.poll.requests < settings.max_requests:
        probes, walks, reps = _plan(active, cap)
        ask = probes + walks
        error, status, vbs = await s.bulk([c.last for c in ask], reps, len(probes))
        if status and len(ask) > 1 and (status != 1 or reps == 1):
            for col in ask:
                await walk(s, [col], settings)
            return
        if status and reps > 1:  # tooBig, or an error past the column: smaller steps
            cap = 1 if status != 1 else max(1, reps // 2)
            continue
        if error and not s.careful and (len(ask) > 1 or reps > 1):
            # a silent agent may be one whose reply would be too big: one column, one row
            s.careful = True
            s.poll.warnings.append(f"{error}; walking one object at a time")
            for col in ask:
                await walk(s, [col], replace(settings, max_repetitions=1))
                if s.failed_walk:
                    return
            return
        if error or status:
            what = error or f"agent returned {status_name(status)}"
            s.poll.warnings.append(f"{ask[0].prefix}: walk stopped: {what}")
            s.failed_walk = bool(error)
            return
        if not vbs:
            return
        _spread(s, probes, walks, vbs)
        active = [c for c in active if not c.done]
    if active:
        s.poll.warnings.append(f"walk stopped after {settings.max_requests} requests")


def needs_subtree_walk(values: Mapping[str, SnmpValue]) -> bool:
    """True when sysObjectID is missing, malformed or under a generic (stack) enterprise.

    >>> needs_subtree_walk({"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.8072.3.2.10"})
    True
    >>> needs_subtree_walk({"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.2011.2.23.96"})
    False
    """
    oid = values.get(SYS_OBJECT_ID)
    if not isinstance(oid, str) or not oid.startswith("1.3.6.1.4.1."):
        return True
    pen = oid.split(".")[6]
    return not pen.isdigit() or int(pen) in GENERIC_PENS


async def poll_agent(channel: Channel, target: Target, settings: PollSettings) -> AgentPoll:
    """Everything one agent tells: never raises for agent faults, they are in the result."""
    poll = AgentPoll(channel.credentials.label(target))
    start = time.perf_counter()
    s: Session | None = None
    try:
        s = await channel.session(target, poll, settings)
        columns = _columns(settings)
        if not await _first_request(s, columns, settings.first_repetitions):
            s.retries = 0
            await _get_scalars(s)
        if poll.error is None:
            if needs_subtree_walk(poll.values):  # in the same requests as the tables
                poll.subtree_walk = True
                columns += _subtree_columns(settings)
            await walk(s, columns, settings)
    except InputError:
        raise
    except Exception as exc:  # resolver failures, malformed packets: data, not a crash
        poll.error = f"{type(exc).__name__}: {exc}"
    finally:
        if s is not None:
            channel.release(s)
    poll.elapsed = time.perf_counter() - start
    return poll


def _subtree_columns(settings: PollSettings) -> list[_Column]:
    return [
        _Column(f"1.3.6.1.4.1.{pen}", f"1.3.6.1.4.1.{pen}", settings.subtree_oids, 1, bounded=True)
        for pen in VENDOR_SUBTREES
    ]
