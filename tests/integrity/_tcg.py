"""Build a small crypto-agile TCG PC Client event log (our own code, sha256 bank only).

Layout (TCG PC Client Platform Firmware Profile): a legacy-format first event (PCR 0,
EV_NO_ACTION, 20 zero bytes) carrying the "Spec ID Event03" structure, then TCG_PCR_EVENT2
records: pcr, type, digest count, (alg id, digest)..., event size, event data.
"""

from __future__ import annotations

import hashlib
import struct

SHA256 = 0x000B
EV_NO_ACTION = 0x03
EV_POST_CODE = 0x01
EV_S_CRTM_VERSION = 0x08
EV_SEPARATOR = 0x04


def _spec_id() -> bytes:
    body = b"Spec ID Event03\0" + struct.pack("<IBBBBI", 0, 0, 2, 0, 2, 1)
    body += struct.pack("<HH", SHA256, 32) + b"\0"
    return struct.pack("<II", 0, EV_NO_ACTION) + bytes(20) + struct.pack("<I", len(body)) + body


def event(pcr: int, etype: int, data: bytes) -> tuple[int, int, bytes, bytes]:
    """An event that measures ``data`` (its digest is sha256(data))."""
    return pcr, etype, hashlib.sha256(data).digest(), data


def eventlog(events: list[tuple[int, int, bytes, bytes]]) -> bytes:
    out = _spec_id()
    for pcr, etype, digest, data in events:
        out += struct.pack("<III", pcr, etype, 1) + struct.pack("<H", SHA256) + digest
        out += struct.pack("<I", len(data)) + data
    return out


def replay(events: list[tuple[int, int, bytes, bytes]]) -> dict[int, str]:
    """PCR values the events extend to (sha256 bank), computed independently of tpm2-tools."""
    pcrs: dict[int, bytes] = {}
    for pcr, _, digest, _ in events:
        pcrs[pcr] = hashlib.sha256(pcrs.get(pcr, bytes(32)) + digest).digest()
    return {i: v.hex() for i, v in pcrs.items()}


def golden_events(firmware: bytes = b"BIOS 3.4 image") -> list[tuple[int, int, bytes, bytes]]:
    return [
        event(0, EV_S_CRTM_VERSION, "3.4\0".encode("utf-16-le")),
        event(0, EV_POST_CODE, firmware),
        event(0, EV_SEPARATOR, bytes(4)),
        event(1, EV_SEPARATOR, bytes(4)),
        event(7, EV_SEPARATOR, bytes(4)),
    ]
