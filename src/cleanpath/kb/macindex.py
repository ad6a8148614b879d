"""Vectorised MAC-block lookup: millions of addresses per second with numpy.

:class:`MacIndex` answers, for an array of 48-bit addresses, the index of the longest
registered block (into ``index.entries``) or -1. One gather in a flat table over all 2**24
OUIs (MA-L) answers most; only addresses under an OUI that holds MA-M (28-bit) or MA-S
(36-bit) blocks (flagged in a second flat table) are searched further, by binary search in
the sorted longer prefixes.

>>> from cleanpath.kb.oui import parse_manuf
>>> t = parse_manuf("00:00:0C\\tCisco\\tCisco Systems, Inc\\n"
...                 "00:1B:C5:00:00/36\\tConverging\\tConverging Systems Inc.\\n")
>>> idx = MacIndex(t)
>>> hits = idx.lookup_many(parse_macs(["00:00:0c:00:00:01", "00:1b:c5:00:00:07", "bad"]))
>>> [idx.entries[i].short_name if i >= 0 else None for i in hits]
['Cisco', 'Converging', None]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleanpath.kb.oui import OuiEntry, OuiTable

__all__ = ["BAD_MAC", "MacIndex", "block_start", "mac_index", "parse_macs"]

BAD_MAC = np.uint64(2**64 - 1)  # what parse_macs gives for a malformed address
_HEX = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(b"0123456789abcdef"):
    _HEX[_c] = _i
    _HEX[ord(chr(_c).upper())] = _i
_DIGITS = [0, 1, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16]
_SEPARATORS = [2, 5, 8, 11, 14]


def parse_macs(texts: Sequence[str] | np.ndarray) -> np.ndarray:
    """Vectorised :func:`~cleanpath.kb.oui.parse_mac` for ``aa:bb:cc:dd:ee:ff`` (or ``-``)
    text; anything else (other layouts, longer text, non-ASCII) becomes :data:`BAD_MAC`,
    which no block contains.

    >>> parse_macs(["00:1b:c5:00:00:07", "zz"]).tolist() == [0x1BC5000007, 2**64 - 1]
    True
    """
    try:
        raw = np.asarray(texts, dtype="S18")  # a 17-character MAC leaves byte 17 empty
    except UnicodeEncodeError:
        raw = np.array([str(t).encode("ascii", "replace")[:18] for t in texts], dtype="S18")
    chars = raw.reshape(-1).view(np.uint8).reshape(-1, 18)
    digits = _HEX[chars[:, _DIGITS]]  # uint8, 255 where not a hex digit
    seps = chars[:, _SEPARATORS]
    bad = (digits > 15).any(axis=1) | ~((seps == 58) | (seps == 45)).all(axis=1)
    bad |= chars[:, 17] != 0
    octets = np.zeros((len(chars), 8), dtype=np.uint8)  # big-endian 64-bit words
    octets[:, 2:] = (digits[:, 0::2] << 4) | (digits[:, 1::2] & 15)
    values: np.ndarray = octets.view(">u8").reshape(-1).astype(np.uint64)
    values[bad] = BAD_MAC
    return values


_INDEXES: dict[int, MacIndex] = {}


def mac_index(table: OuiTable) -> MacIndex:
    """The (cached) :class:`MacIndex` of ``table``."""
    index = _INDEXES.get(id(table))
    if index is None or index.table is not table:
        index = _INDEXES[id(table)] = MacIndex(table)
    return index


class MacIndex:
    """Array lookup over an :class:`~cleanpath.kb.oui.OuiTable` (80 MiB, built once)."""

    def __init__(self, table: OuiTable) -> None:
        self.table = table
        by_bits: dict[int, list[tuple[int, OuiEntry]]] = {}
        for entry in table.entries():
            prefix = block_start(entry.prefix)
            by_bits.setdefault(entry.bits, []).append((prefix >> (48 - entry.bits), entry))
        entries: list[OuiEntry] = []
        self._flat = np.zeros(1 << 24, dtype=np.int32)
        self._longer: list[tuple[int, np.ndarray, np.ndarray]] = []
        nested: list[np.ndarray] = []
        for bits in sorted(by_bits, reverse=True):
            pairs = sorted(by_bits[bits], key=lambda p: p[0])
            keys = np.array([p[0] for p in pairs], dtype=np.uint64)
            index = np.arange(len(entries), len(entries) + len(pairs), dtype=np.int32)
            entries.extend(p[1] for p in pairs)
            if bits == 24:
                self._flat[keys.astype(np.int64)] = index + 1
            else:
                self._longer.append((bits, keys, index))
                nested.append(keys >> np.uint64(bits - 24))
        self._nested = np.zeros(1 << 24, dtype=np.bool_)
        if nested:
            self._nested[np.concatenate(nested).astype(np.int64)] = True
        self.entries: tuple[OuiEntry, ...] = tuple(entries)

    def lookup_many(self, macs: np.ndarray) -> np.ndarray:
        """Index into :attr:`entries` of the longest block holding each address, else -1."""
        values = np.asarray(macs, dtype=np.uint64)
        oui = values >> np.uint64(24)
        valid = oui < np.uint64(1 << 24)
        at = np.where(valid, oui, 0).astype(np.int64)
        out = self._flat[at] - 1
        out[~valid] = -1
        rows = np.flatnonzero(self._nested[at] & valid)
        if len(rows):
            out[rows] = self._lookup_longer(values[rows], out[rows])
        return out

    def _lookup_longer(self, values: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        out = np.full(values.shape, -1, dtype=np.int32)
        for bits, keys, index in self._longer:
            prefix = values >> np.uint64(48 - bits)
            pos = np.searchsorted(keys, prefix)
            pos[pos == len(keys)] = 0
            hit = (keys[pos] == prefix) & (out < 0)
            out[hit] = index[pos[hit]]
        return np.where(out >= 0, out, fallback).astype(np.int32)


def block_start(prefix: str) -> int:
    """``'00:1B:C5:00:00/36'`` -> the block's first address as a 48-bit int.

    >>> hex(block_start("00:1B:C5:00:00/36"))
    '0x1bc5000000'
    """
    digits = "".join(c for c in prefix.split("/")[0] if c.isalnum())
    return int(digits.ljust(12, "0"), 16)
