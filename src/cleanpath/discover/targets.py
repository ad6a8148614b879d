"""Discovery targets: ``host[:port][,community]`` lines, addresses and CIDR blocks.

>>> [t.agent for t in parse_targets(["10.0.0.1", "sw2:1161,lab", "[::1]:162"], community="public")]
['10.0.0.1:161/public', 'sw2:1161/lab', '[::1]:162/public']
>>> len(parse_targets(["192.0.2.0/30"]))
2
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleanpath.errors import InputError
from cleanpath.ingest._common import decode_text, load_file

__all__ = ["MAX_CIDR_HOSTS", "Target", "parse_targets", "read_targets"]

MAX_CIDR_HOSTS = 65536


@dataclass(frozen=True, slots=True)
class Target:
    """One SNMP agent to poll. ``community`` None means "the run's default credentials"."""

    host: str
    port: int = 161
    community: str | None = None
    line: int | None = None

    @property
    def agent(self) -> str:
        """``host:port/community`` (IPv6 hosts in brackets), the agent's name in outputs."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}/{self.community or ''}"


def _split_host_port(text: str, default_port: int, where: dict[str, object]) -> tuple[str, int]:
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""  # a bare IPv6 address or a plain host name
    if not host:
        raise InputError(f"no host in {text!r}", field="target", **where)  # type: ignore[arg-type]
    if not port_text:
        return host, default_port
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise InputError(f"bad port {port_text!r}", field="target", **where)  # type: ignore[arg-type]
    return host, int(port_text)


def _expand(host: str, where: dict[str, object]) -> list[str]:
    if "/" not in host:
        return [host]
    try:
        net = ipaddress.ip_network(host, strict=False)
    except ValueError:
        raise InputError(f"not a CIDR block: {host!r}", field="target", **where) from None  # type: ignore[arg-type]
    if net.num_addresses > MAX_CIDR_HOSTS + 2:
        raise InputError(
            f"{host} has {net.num_addresses} addresses; at most {MAX_CIDR_HOSTS} per block",
            field="target",
            **where,  # type: ignore[arg-type]
        )
    hosts = list(net.hosts())
    return [str(a) for a in hosts] or [str(net.network_address)]


def _parse_one(
    item: str, *, port: int, community: str | None, source: str | None, line: int | None
) -> list[Target]:
    where: dict[str, object] = {"path": source, "line": line}
    spec, _, comm = item.partition(",")
    spec = spec.strip()
    host, p = _split_host_port(spec, port, where)
    return [Target(h, p, comm.strip() or community, line) for h in _expand(host, where)]


def parse_targets(
    items: Iterable[str],
    *,
    port: int = 161,
    community: str | None = None,
    source: str | None = None,
) -> tuple[Target, ...]:
    """Targets from lines or arguments; duplicates (same host, port, community) kept once.

    Blank lines and ``#`` comments are ignored; a bad line is an :class:`InputError` naming
    ``source`` and the line number.
    """
    seen: dict[tuple[str, int, str | None], Target] = {}
    for number, raw in enumerate(items, 1):
        item = raw.split("#", 1)[0].strip()
        if not item:
            continue
        line = number if source else None
        for t in _parse_one(item, port=port, community=community, source=source, line=line):
            seen.setdefault((t.host, t.port, t.community), t)
    return tuple(seen.values())


def read_targets(
    args: Sequence[str], *, port: int = 161, community: str | None = None
) -> tuple[Target, ...]:
    """Targets from command-line words: each is a file of target lines, or a target itself."""
    out: dict[tuple[str, int, str | None], Target] = {}
    for arg in args:
        path = Path(arg)
        if path.is_file():
            lines = decode_text(load_file(path)).splitlines()
            found = parse_targets(lines, port=port, community=community, source=str(path))
        else:
            found = parse_targets([arg], port=port, community=community)
        for t in found:
            out.setdefault((t.host, t.port, t.community), t)
    if not out:
        raise InputError("no targets given", field="TARGETS")
    return tuple(out.values())
