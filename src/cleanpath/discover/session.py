"""The pysnmp side of polling: engines, credentials, one agent's session, value conversion.

:mod:`cleanpath.discover.snmp` decides what to ask; this module asks it.
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
from cleanpath.errors import InputError
from cleanpath.ingest.mib import SnmpValue

__all__ = [
    "AgentPoll",
    "Credentials",
    "PollSettings",
    "Session",
    "SnmpEngine",
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


def status_name(code: int) -> str:
    return _ERRORS[code] if 0 <= code < len(_ERRORS) else f"error-status {code}"


async def open_transport(target: Target, settings: PollSettings, retries: int) -> Any:
    """A pysnmp UDP transport target (IPv6 when the host has a colon)."""
    factory = Udp6TransportTarget if ":" in target.host else UdpTransportTarget
    return await factory.create(
        (target.host, target.port), timeout=settings.timeout, retries=retries
    )
