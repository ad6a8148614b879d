"""Build a small SMBIOS 3.0 table in the file format ``dmidecode --dump-bin`` writes (our own code).

Layout: a 24-byte ``_SM3_`` entry point at offset 0 whose table address points at offset 32,
then the structures (formatted area + string set ending in a double NUL).
"""

from __future__ import annotations

import struct


def _strings(values: list[str]) -> bytes:
    return b"".join(v.encode() + b"\0" for v in values) + b"\0" if values else b"\0\0"


def _struct(stype: int, handle: int, body: bytes, strings: list[str]) -> bytes:
    return struct.pack("<BBH", stype, 4 + len(body), handle) + body + _strings(strings)


def bios(vendor: str, version: str, date: str) -> bytes:
    # vendor(1) version(2) start segment, release date(3), rom size, characteristics(8)
    body = struct.pack("<BBHBBQ", 1, 2, 0xF000, 3, 0xFF, 0x08)
    return _struct(0, 0x0000, body, [vendor, version, date])


def system(maker: str, product: str, version: str, serial: str) -> bytes:
    body = struct.pack("<BBBB", 1, 2, 3, 4) + bytes(16) + struct.pack("<BBB", 6, 0, 0)
    return _struct(1, 0x0001, body, [maker, product, version, serial])


def baseboard(maker: str, product: str, serial: str) -> bytes:
    body = struct.pack("<BBBBB", 1, 2, 0, 3, 0)
    return _struct(2, 0x0002, body, [maker, product, serial])


def memory(handle: int, locator: str, size_mb: int, maker: str, serial: str, part: str) -> bytes:
    # SMBIOS 2.3 memory device (type 17): array handle, error handle, widths, size, form
    # factor, set, device locator(str), bank locator(str), type, type detail, speed,
    # manufacturer(str), serial(str), asset tag(str), part number(str)
    body = struct.pack(
        "<HHHHHBBBBBHHBBBB",
        0x1000,
        0xFFFE,
        72,
        64,
        size_mb,
        0x09,
        0,
        1,
        2,
        0x1A,
        0x0080,
        2933,
        3,
        4,
        0,
        5,
    )
    return _struct(17, handle, body, [locator, "BANK 0", maker, serial, part])


def end() -> bytes:
    return _struct(127, 0xFEFF, b"", [])


def smbios_dump(*structures: bytes) -> bytes:
    table = b"".join(structures)
    ep = bytearray(struct.pack("<5sBBBBBBBIQ", b"_SM3_", 0, 24, 3, 0, 0, 1, 0, len(table), 32))
    ep[5] = (-sum(ep)) & 0xFF
    return bytes(ep) + bytes(8) + table
