"""Link capacity from free text such as ``"10 Gbps"``, ``"2x10Gb/s"`` or ``"POS OC-48"``.

Only unambiguous text gives a number: ranges (``"1-2.5 Gb/s"``), bounds (``"< 2.5 Gbps"``),
alternatives (``"155Mbs/1Gbps"``) and unknown multipliers (``"N*10Gbit/s"``) give None,
since any single number would be invented. Named line rates are the standard nominal rates:
SDH STM-n (ITU-T G.707), SONET OC-n (ANSI T1.105), T/DS-carrier (ANSI T1.107), E-carrier
(ITU-T G.703/G.732) and Gigabit/10-Gigabit Ethernet (IEEE 802.3).

>>> parse_link_speed("10 Gbps")
(10000000000.0, '10 Gbps')
>>> parse_link_speed("POS OC-48")
(2488320000.0, 'OC-48')
>>> parse_link_speed("2x10Gb/s")[0]
20000000000.0
>>> parse_link_speed("1-2.5 Gb/s") is None
True
"""

from __future__ import annotations

import re

__all__ = ["NAMED_RATES", "parse_link_speed"]

#: Nominal line rates in bit/s of well-known circuit names (upper case, no separators).
NAMED_RATES: dict[str, float] = {
    "STM0": 51.84e6,
    "STM1": 155.52e6,
    "STM4": 622.08e6,
    "STM16": 2488.32e6,
    "STM64": 9953.28e6,
    "STM256": 39813.12e6,
    "OC1": 51.84e6,
    "OC3": 155.52e6,
    "OC12": 622.08e6,
    "OC48": 2488.32e6,
    "OC192": 9953.28e6,
    "OC768": 39813.12e6,
    "T1": 1.544e6,
    "DS1": 1.544e6,
    "T2": 6.312e6,
    "DS2": 6.312e6,
    "T3": 44.736e6,
    "DS3": 44.736e6,
    "E1": 2.048e6,
    "E2": 8.448e6,
    "E3": 34.368e6,
    "E4": 139.264e6,
    "GE": 1e9,
    "GIGE": 1e9,
    "GBE": 1e9,
    "10GE": 10e9,
    "10GBE": 10e9,
}

_PREFIX = {"": 1.0, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
_MULT = r"(?<![\w.])(?:(?P<mult>\w+?)\s*[x×*]\s*)?"
_UNIT = r"(?:bit/s|bits/s|bps|b/s|bit|bs|b)"
_NUMERIC = re.compile(
    _MULT + r"(?P<num>\d+(?:\.\d+)?)"
    r"(?:\s*(?P<pfx>[kmgt])" + _UNIT + r"|(?P<pfx2>[kmgt])|\s*(?P<bare>bit/s|bits/s|bps))"
    r"(?![a-z])",
    re.IGNORECASE,
)
_NAMED = re.compile(
    _MULT + r"(?P<name>STM-?\d+|OC-?\d+c?|DS-?\d|T[123]|E[1-4]|10\s?GB?E|GIGE|GBE|GE)"
    r"(?:\s*[x×*]\s*(?P<after>\d+))?(?!\w)",
    re.IGNORECASE,
)
_RANGE = re.compile(r"\d\s*[MGK]?\s*-\s*\d|[<>≤≥]", re.IGNORECASE)
_UNIT_SLASH = re.compile(r"(?:bits?|b)/s", re.IGNORECASE)


def _multiplier(m: re.Match[str]) -> int | None:
    mult = m.group("mult")
    after = m.groupdict().get("after")
    if mult is not None and not mult.isdigit():
        return None
    return (int(mult) if mult else 1) * (int(after) if after else 1)


def _term_rate(term: str) -> tuple[float, str] | bool | None:
    """Rate of one ``+``-separated term: (bit/s, text), None (no rate) or False (ambiguous)."""
    numeric = list(_NUMERIC.finditer(term))
    if numeric:
        if len(numeric) > 1:
            return False
        m = numeric[0]
        k = _multiplier(m)
        if k is None:
            return False
        pfx = (m.group("pfx") or m.group("pfx2") or "").upper()
        return k * float(m.group("num")) * _PREFIX[pfx], m.group(0).strip()
    named = {}
    for m in _NAMED.finditer(term):
        k = _multiplier(m)
        if k is None:
            return False
        key = re.sub(r"[-\s]", "", m.group("name").upper()).removesuffix("C")
        if key in NAMED_RATES:
            named[m.group(0).strip()] = k * NAMED_RATES[key]
    if len(set(named.values())) > 1:
        return False
    if not named:
        return None
    text, rate = next(iter(named.items()))
    return rate, text


def parse_link_speed(text: str) -> tuple[float, str] | None:
    """Capacity in bit/s and the matched words, or None when the text gives no single rate."""
    if not text or _RANGE.search(text) or "/" in _UNIT_SLASH.sub("", text):
        return None
    total, basis = 0.0, []
    for term in text.split("+"):
        rate = _term_rate(term)
        if rate is False:
            return None
        if isinstance(rate, tuple):
            total += rate[0]
            basis.append(rate[1])
    if not basis:
        return None
    return total, " + ".join(basis)
