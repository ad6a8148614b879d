"""Poll one SNMP agent (pysnmp, asyncio): system group, ENTITY-MIB, IF-MIB, BRIDGE-MIB, LLDP-MIB.

One GET fetches the scalars; one multi-column GETBULK walk reads every table at once (so a
small device costs two or three requests); where sysObjectID is missing or generic, a
bounded GETBULK over the enterprise subtrees of the makers we look for tells whose MIBs the
box implements. Everything an agent says or fails to say is data: a timeout fails the agent
(:class:`AgentPoll` ``error``), an error status drops the offending object and is kept as a
warning, a value of the wrong shape is a warning of
:func:`~cleanpath.ingest.mib.device_from_values`.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

with warnings.catch_warnings():
    # pysnmp 7.1 calls a pysmi 2 function that pysmi marks deprecated, at import time
    warnings.simplefilter("ignore", DeprecationWarning)
    from pyasn1.type import univ
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData,
        ContextData,
        ObjectIdentity,
        ObjectType,
        SnmpEngine,
        Udp6TransportTarget,
        UdpTransportTarget,
        UsmUserData,
        bulk_cmd,
        get_cmd,
        usmAesCfb128Protocol,
        usmDESPrivProtocol,
        usmHMACMD5AuthProtocol,
        usmHMACSHAAuthProtocol,
        usmNoAuthProtocol,
        usmNoPrivProtocol,
    )
    from pysnmp.proto import rfc1902

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
    "VENDOR_SUBTREES",
    "AgentPoll",
    "Credentials",
    "PollSettings",
    "SnmpEngine",
    "poll_agent",
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

_MAX_VARBINDS = 60  # below snmpsim's 64-varbind response cap and typical agents' limits
_AUTH = {"md5": usmHMACMD5AuthProtocol, "sha": usmHMACSHAAuthProtocol}
_PRIV = {"des": usmDESPrivProtocol, "aes": usmAesCfb128Protocol}


class _NoMibCompiler:
    """Stands in for pysmi's compiler: we send numeric OIDs only, so a MIB that is not
    bundled with pysnmp is simply missing (no compiling, no downloading)."""

    def compile(self, *names: str, **_: object) -> dict[str, str]:
        return dict.fromkeys(names, "missing")


def new_engine() -> SnmpEngine:
    """A pysnmp engine that never compiles or fetches MIBs (pysmi would take ~1.5 s to
    build its parser on first use, and may try the network for unknown MIBs)."""
    engine = SnmpEngine()
    builder = engine.get_mib_builder()
    builder._MibBuilder__mibCompiler = _NoMibCompiler()  # private: no public switch exists
    engine.cleanpath_varbinds = {}  # OID -> ObjectType that pysnmp has resolved once
    return engine


_VARBIND_CACHE = 20_000


def _varbinds(engine: Any, oids: Sequence[str]) -> list[Any]:
    """Request var-binds, reused across requests: pysnmp resolves each new ObjectType
    against its MIB view (about 1 ms of CPU); a resolved one is used as is."""
    cache: dict[str, Any] | None = getattr(engine, "cleanpath_varbinds", None)
    if cache is None:
        return [ObjectType(ObjectIdentity(o)) for o in oids]
    if len(cache) > _VARBIND_CACHE:
        cache.clear()
    out = []
    for o in oids:
        vb = cache.get(o)
        if vb is None:
            vb = cache[o] = ObjectType(ObjectIdentity(o))
        out.append(vb)
    return out


@dataclass(frozen=True, slots=True)
class Credentials:
    """SNMPv2c community, or SNMPv3 user (authPriv when both keys are given)."""

    community: str = "public"
    v3_user: str | None = None
    auth_key: str | None = None
    priv_key: str | None = None
    auth_protocol: str = "sha"
    priv_protocol: str = "aes"
    context: str = ""  # SNMPv3 context name (a target's community is used as one with v3)

    def auth_data(self, community: str | None) -> CommunityData | UsmUserData:
        """pysnmp credentials for one target (a target's own community wins)."""
        if self.v3_user is None:
            return CommunityData(community or self.community, mpModel=1)
        if self.auth_protocol not in _AUTH or self.priv_protocol not in _PRIV:
            raise InputError("unknown SNMPv3 protocol", field="auth/priv protocol")
        return UsmUserData(
            self.v3_user,
            authKey=self.auth_key,
            privKey=self.priv_key,
            authProtocol=_AUTH[self.auth_protocol] if self.auth_key else usmNoAuthProtocol,
            privProtocol=_PRIV[self.priv_protocol] if self.priv_key else usmNoPrivProtocol,
        )

    def label(self, target: Target) -> str:
        """The agent name: ``host:port/community`` (``host:port/user`` for SNMPv3)."""
        if self.v3_user is not None:
            return Target(target.host, target.port, self.v3_user).agent
        return Target(target.host, target.port, target.community or self.community).agent


@dataclass(frozen=True, slots=True)
class PollSettings:
    """How hard to try: per-request timeout (s) and retries, GETBULK size and bounds."""

    timeout: float = 2.0
    retries: int = 1
    max_repetitions: int = 20
    max_rows: int = 512  # per table column
    max_requests: int = 60  # per agent, all walks together
    subtree_oids: int = 4  # per vendor subtree


@dataclass(slots=True)
class AgentPoll:
    """What one agent returned: values by OID, the failure (if any), warnings, cost."""

    agent: str
    values: dict[str, SnmpValue] = field(default_factory=dict)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    requests: int = 0
    elapsed: float = 0.0
    subtree_walk: bool = False


def to_value(value: Any) -> SnmpValue | None:
    """A pysnmp value as a plain Python value (see :mod:`cleanpath.ingest.mib`)."""
    if isinstance(value, univ.Null):
        return None  # Null, noSuchObject, noSuchInstance, endOfMibView (Null subclasses)
    if isinstance(value, rfc1902.IpAddress):
        return ".".join(str(b) for b in value.asOctets())
    if isinstance(value, univ.OctetString):
        return bytes(value.asOctets())
    if isinstance(value, univ.ObjectIdentifier):
        return ".".join(str(a) for a in value)
    if isinstance(value, univ.Integer):
        return int(value)
    return None


class _Session:
    """One agent: credentials, transport and the request counter."""

    def __init__(
        self, engine: SnmpEngine, auth: Any, transport: Any, poll: AgentPoll, context: str = ""
    ) -> None:
        self.engine, self.auth, self.transport, self.poll = engine, auth, transport, poll
        self.context = ContextData(contextName=context.encode()) if context else ContextData()
        self.careful = False  # after a timeout: one object per request
        self.failed_walk = False  # a timeout even then: stop walking this agent

    async def get(self, oids: Sequence[str]) -> tuple[str | None, int, int, Sequence[Any]]:
        self.poll.requests += 1
        vbs = _varbinds(self.engine, oids)
        ei, es, ix, out = await get_cmd(
            self.engine, self.auth, self.transport, self.context, *vbs, lookupMib=False
        )
        return (str(ei) if ei else None), int(es or 0), int(ix or 0), out

    async def bulk(
        self, oids: Sequence[str], reps: int, non_repeaters: int = 0
    ) -> tuple[str | None, int, Sequence[Any]]:
        self.poll.requests += 1
        vbs = _varbinds(self.engine, oids)
        ei, es, _, out = await bulk_cmd(
            self.engine,
            self.auth,
            self.transport,
            self.context,
            non_repeaters,
            reps,
            *vbs,
            lookupMib=False,
        )
        return (str(ei) if ei else None), int(es or 0), out


_ERRORS = (
    "noError",
    "tooBig",
    "noSuchName",
    "badValue",
    "readOnly",
    "genErr",
    "noAccess",
    "wrongType",
    "wrongLength",
    "wrongEncoding",
    "wrongValue",
    "noCreation",
    "inconsistentValue",
    "resourceUnavailable",
    "commitFailed",
    "undoFailed",
    "authorizationError",
    "notWritable",
    "inconsistentName",
)


def _status(code: int) -> str:
    return _ERRORS[code] if 0 <= code < len(_ERRORS) else f"error-status {code}"


def _keep(poll: AgentPoll, vbs: Sequence[Any]) -> None:
    for oid, value in vbs:
        v = to_value(value)
        if v is not None:
            poll.values[str(oid)] = v


async def _first_request(s: _Session, columns: list[_Column]) -> bool:
    """One GETBULK for the scalars (as non-repeaters) and the first rows of every column.

    False when it failed (timeout or error status): then the scalars are fetched with GETs
    (no retries), and only if that fails too is the agent failed.
    """
    scalars = [o.rsplit(".", 1)[0] for o in POLL_SCALARS]  # GETNEXT of x is x.0
    error, status, vbs = await s.bulk(scalars + [c.last for c in columns], 2, len(scalars))
    if error or status:  # e.g. a reply too big to send: try plain GETs once before giving up
        s.poll.warnings.append(f"first request: {error or 'agent returned ' + _status(status)}")
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


async def _get_scalars(s: _Session) -> None:
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
            s.poll.warnings.append(f"{oid}: {error or 'agent returned ' + _status(status)}")
        else:
            _keep(s.poll, vbs)
    if refused == len(oids):
        s.poll.error = "agent returned an error for every system object"


@dataclass(slots=True)
class _Column:
    prefix: str
    last: str
    limit: int
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
    return [
        _Column(f"{t}.{c}", f"{t}.{c}", limits.get(t, settings.max_rows))
        for t, cols in POLL_TABLES
        for c in cols
    ]


def _take(s: _Session, col: _Column, oid: str, value: Any) -> None:
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


async def walk(s: _Session, columns: list[_Column], settings: PollSettings) -> None:
    """Walk many columns with shared GETBULK requests until each leaves its subtree.

    After an error status the columns are walked one by one, so one refusing column
    does not cost the others; a timeout stops the walk and keeps what was read.
    """
    reps = settings.max_repetitions
    active = [c for c in columns if not c.done]
    while active and s.poll.requests < settings.max_requests:
        n_reps = max(1, min(reps, _MAX_VARBINDS // len(active)))
        error, status, vbs = await s.bulk([c.last for c in active], n_reps)
        if status and len(active) > 1 and status != 1:
            for col in active:
                await walk(s, [col], settings)
            return
        if status and n_reps > 1:  # tooBig, or an error past the column: smaller steps
            reps = 1 if status != 1 else max(1, n_reps // 2)
            continue
        if error and not s.careful and (len(active) > 1 or n_reps > 1):
            # a silent agent may be one whose reply would be too big: one column, one row
            s.careful = True
            s.poll.warnings.append(f"{error}; walking one object at a time")
            for col in active:
                await walk(s, [col], replace(settings, max_repetitions=1))
                if s.failed_walk:
                    return
            return
        if error or status:
            what = error or f"agent returned {_status(status)}"
            s.poll.warnings.append(f"{active[0].prefix}: walk stopped: {what}")
            s.failed_walk = bool(error)
            return
        for i, (oid, value) in enumerate(vbs):
            col = active[i % len(active)]
            if not col.done:
                _take(s, col, str(oid), value)
        if not vbs:
            return
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


async def poll_agent(
    engine: SnmpEngine, target: Target, credentials: Credentials, settings: PollSettings
) -> AgentPoll:
    """Everything one agent tells: never raises for agent faults, they are in the result."""
    poll = AgentPoll(credentials.label(target))
    start = time.perf_counter()
    try:
        factory = Udp6TransportTarget if ":" in target.host else UdpTransportTarget
        transport = await factory.create(
            (target.host, target.port), timeout=settings.timeout, retries=settings.retries
        )
        context = credentials.context or (target.community or "") if credentials.v3_user else ""
        s = _Session(engine, credentials.auth_data(target.community), transport, poll, context)
        columns = _columns(settings)
        if not await _first_request(s, columns):
            s.transport = await factory.create(
                (target.host, target.port), timeout=settings.timeout, retries=0
            )
            await _get_scalars(s)
        if poll.error is None:
            await walk(s, columns, settings)
            if needs_subtree_walk(poll.values):
                poll.subtree_walk = True
                await walk(s, _subtree_columns(settings), settings)
    except InputError:
        raise
    except Exception as exc:  # resolver failures, malformed packets: data, not a crash
        poll.error = f"{type(exc).__name__}: {exc}"
    poll.elapsed = time.perf_counter() - start
    return poll


def _subtree_columns(settings: PollSettings) -> list[_Column]:
    return [
        _Column(f"1.3.6.1.4.1.{pen}", f"1.3.6.1.4.1.{pen}", settings.subtree_oids, bounded=True)
        for pen in VENDOR_SUBTREES
    ]
