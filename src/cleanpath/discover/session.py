"""The pysnmp side of polling: the run's channel, credentials, one agent's session, values.

:mod:`cleanpath.discover.snmp` decides what to ask; this module asks it: SNMPv2c through
pysnmp's v2c message API on one shared socket (:mod:`cleanpath.discover.v2c`), SNMPv3
through pysnmp's high-level API (USM keys, engine-id discovery).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
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
from cleanpath.discover.v2c import Reply, V2cClient
from cleanpath.errors import InputError
from cleanpath.ingest.mib import SnmpValue

__all__ = [
    "AgentPoll",
    "Channel",
    "Credentials",
    "PollSettings",
    "Session",
    "SnmpEngine",
    "V2cSession",
    "V3Session",
    "new_engine",
    "open_transport",
    "status_name",
    "to_value",
]

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
    first_repetitions: int = 4  # rows of every column in the first request
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


class Session:
    """One agent: how to reach it, the request counter and the walk state.

    :class:`V2cSession` sends through the run's shared :class:`V2cClient`;
    :class:`V3Session` through a pysnmp engine (high-level API).
    """

    def __init__(self, poll: AgentPoll, settings: PollSettings) -> None:
        self.poll, self.timeout, self.retries = poll, settings.timeout, settings.retries
        self.careful = False  # after a timeout: one object per request
        self.failed_walk = False  # a timeout even then: stop walking this agent

    async def get(self, oids: Sequence[str]) -> tuple[str | None, int, int, Sequence[Any]]:
        self.poll.requests += 1
        return await self._send(oids, None)

    async def bulk(
        self, oids: Sequence[str], reps: int, non_repeaters: int = 0
    ) -> tuple[str | None, int, Sequence[Any]]:
        self.poll.requests += 1
        error, status, _, vbs = await self._send(oids, (non_repeaters, reps))
        return error, status, vbs

    async def _send(self, oids: Sequence[str], bulk: tuple[int, int] | None) -> Reply:
        raise NotImplementedError


class V2cSession(Session):
    """SNMPv2c through the run's one UDP socket (:mod:`cleanpath.discover.v2c`)."""

    def __init__(
        self,
        client: V2cClient,
        addr: tuple[int, tuple[str, int]],
        community: str,
        poll: AgentPoll,
        settings: PollSettings,
    ) -> None:
        super().__init__(poll, settings)
        self.client, self.addr, self.community = client, addr, community

    async def _send(self, oids: Sequence[str], bulk: tuple[int, int] | None) -> Reply:
        return await self.client.request(
            self.addr, self.community, oids, bulk=bulk, timeout=self.timeout, retries=self.retries
        )


class V3Session(Session):
    """SNMPv3 (USM) through a pysnmp engine and its high-level API."""

    def __init__(
        self,
        engine: SnmpEngine,
        auth: Any,
        context: str,
        target: Target,
        poll: AgentPoll,
        settings: PollSettings,
    ) -> None:
        super().__init__(poll, settings)
        self.engine, self.auth, self.target = engine, auth, target
        self.transports: dict[int, Any] = {}  # by retries
        self.context = ContextData(contextName=context.encode()) if context else ContextData()

    async def _send(self, oids: Sequence[str], bulk: tuple[int, int] | None) -> Reply:
        if self.retries not in self.transports:
            self.transports[self.retries] = await open_transport(
                self.target, self.timeout, self.retries
            )
        transport = self.transports[self.retries]
        vbs = _varbinds(self.engine, oids)
        if bulk is None:
            ei, es, ix, out = await get_cmd(
                self.engine, self.auth, transport, self.context, *vbs, lookupMib=False
            )
        else:
            ei, es, ix, out = await bulk_cmd(
                self.engine, self.auth, transport, self.context, *bulk, *vbs, lookupMib=False
            )
        return (str(ei) if ei else None), int(es or 0), int(ix or 0), list(out)


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


def status_name(code: int) -> str:
    return _ERRORS[code] if 0 <= code < len(_ERRORS) else f"error-status {code}"


async def open_transport(target: Target, timeout: float, retries: int) -> Any:
    """A pysnmp UDP transport target (IPv6 when the host has a colon)."""
    factory = Udp6TransportTarget if ":" in target.host else UdpTransportTarget
    return await factory.create((target.host, target.port), timeout=timeout, retries=retries)


class _Engines:
    """pysnmp engines for SNMPv3, a fresh one every ``per_engine`` agents: an engine keeps a
    row per user and per target address it has used, and its per-message lookups grow with
    them (on one engine 1,000 agents cost 3x the CPU per agent of 100)."""

    def __init__(self, per_engine: int = 128) -> None:
        self.per_engine = per_engine
        self.users: dict[int, int] = {}
        self.retired: dict[int, SnmpEngine] = {}
        self.current: SnmpEngine | None = None
        self.started = 0

    def take(self) -> SnmpEngine:
        if self.current is None or self.started >= self.per_engine:
            if self.current is not None:
                self.retired[id(self.current)] = self.current
                self._close_idle()
            self.current, self.started = new_engine(), 0
        self.started += 1
        key = id(self.current)
        self.users[key] = self.users.get(key, 0) + 1
        return self.current

    def give_back(self, engine: SnmpEngine) -> None:
        self.users[id(engine)] -= 1
        self._close_idle()

    def _close_idle(self) -> None:
        for key in [k for k in self.retired if not self.users.get(k)]:
            self.retired.pop(key).close_dispatcher()
            self.users.pop(key, None)

    def close(self) -> None:
        for engine in [*self.retired.values(), *([self.current] if self.current else [])]:
            engine.close_dispatcher()
        self.retired.clear()
        self.current = None


class Channel:
    """What a run sends through: one :class:`V2cClient` (one UDP socket per address family)
    for SNMPv2c, pysnmp engines for SNMPv3. ``async with Channel(creds) as ch:``"""

    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials
        self.client = V2cClient()
        self.engines = _Engines()

    async def __aenter__(self) -> Channel:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    async def session(self, target: Target, poll: AgentPoll, settings: PollSettings) -> Session:
        """A session for one agent (resolves its host name; errors propagate)."""
        creds = self.credentials
        if creds.v3_user is None:
            addr = await self.client.resolve(target.host, target.port)
            community = target.community or creds.community
            return V2cSession(self.client, addr, community, poll, settings)
        context = creds.context or target.community or ""
        auth = creds.auth_data(target.community)
        return V3Session(self.engines.take(), auth, context, target, poll, settings)

    def release(self, session: Session) -> None:
        """Done with ``session`` (its engine may be closed once no agent uses it)."""
        if isinstance(session, V3Session):
            self.engines.give_back(session.engine)

    def close(self) -> None:
        self.client.close()
        self.engines.close()
