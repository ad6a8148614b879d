"""Frozen records of the knowledge base: sources, vendors, relations, PENs, patterns.

Dates in the data may be known only to the year or month ("2003", "2010-04"); a
:class:`FuzzyDate` keeps that precision so that questions like "was H3C part of Huawei on
this day?" can answer *unknown* instead of guessing.

>>> FuzzyDate.parse("2010-04").earliest, FuzzyDate.parse("2010-04").latest
(datetime.date(2010, 4, 1), datetime.date(2010, 4, 30))
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cleanpath.kb.names import name_key

__all__ = [
    "Confidence",
    "FuzzyDate",
    "ModelEntry",
    "PenEntry",
    "PenMeaning",
    "Relation",
    "RelationKind",
    "Source",
    "SysDescrPattern",
    "Vendor",
    "normalize_model",
    "normalize_name",
]


def normalize_name(text: str) -> str:
    """Fold a company name for matching: :func:`cleanpath.kb.names.name_key` (the one
    normalisation; kept under this name for callers).

    >>> normalize_name("HUAWEI TECHNOLOGIES CO.,LTD") == normalize_name("Huawei Technologies")
    True
    >>> normalize_name("Cisco Systems, Inc")
    'cisco'
    """
    return name_key(text)


class Confidence(StrEnum):
    """How sure the knowledge base is of a fact (the data file states it per fact)."""

    HIGH = "high"
    MEDIUM = "medium"
    UNVERIFIED = "unverified"


class RelationKind(StrEnum):
    """How a vendor relates to another one.

    ``subsidiary_of``/``affiliate_of`` make the vendor part of the other's group while active;
    ``oem_from`` means the vendor sells (relabels) products the other one makes;
    ``successor_of`` means the vendor continues the other's business under a new company;
    ``business_from`` means it took over a business line of the other (ties afterwards unclear).
    """

    SUBSIDIARY_OF = "subsidiary_of"
    AFFILIATE_OF = "affiliate_of"
    OEM_FROM = "oem_from"
    SUCCESSOR_OF = "successor_of"
    BUSINESS_FROM = "business_from"


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date known to a day, a month or a year: the range ``earliest..latest``."""

    text: str
    earliest: date
    latest: date

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError otherwise."""
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
        if m is None:
            raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
        year, month, day = int(m[1]), m[2], m[3]
        if day is not None:
            d = date(year, int(month or 1), int(day))
            return cls(text, d, d)
        if month is not None:
            last = calendar.monthrange(year, int(month))[1]
            return cls(text, date(year, int(month), 1), date(year, int(month), last))
        return cls(text, date(year, 1, 1), date(year, 12, 31))

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: a title and a URL or a document description, with dates."""

    title: str
    url: str | None = None
    document: str | None = None
    date: str | None = None
    retrieved: dt.date | None = None

    def __str__(self) -> str:
        where = self.url or self.document or ""
        return f"{self.title} ({where})" if where else self.title


@dataclass(frozen=True, slots=True)
class Relation:
    """A dated relation of one vendor to another (``since`` inclusive, ``until`` exclusive)."""

    kind: RelationKind
    other: str
    since: FuzzyDate | None
    until: FuzzyDate | None
    confidence: Confidence
    source: Source
    products: str | None = None
    note: str | None = None

    def active_on(self, day: date) -> bool | None:
        """True/False when the data settles it for ``day``, None when the dates are too coarse.

        >>> src = Source("t", document="d")
        >>> r = Relation(RelationKind.SUBSIDIARY_OF, "huawei", None,
        ...              FuzzyDate.parse("2020-11-17"), Confidence.HIGH, src)
        >>> r.active_on(date(2020, 11, 16)), r.active_on(date(2020, 11, 17))
        (True, False)
        """
        if self.since is not None:
            if day < self.since.earliest:
                return False
            if day < self.since.latest:
                return None
        if self.until is not None:
            if day >= self.until.latest:
                return False
            if day >= self.until.earliest:
                return None
        return True

    def period(self) -> str:
        """The relation's dates as text, e.g. ``'2003 – 2007'`` or ``'until 2020-11-17'``."""
        if self.since and self.until:
            return f"{self.since} – {self.until}"
        if self.until:
            return f"until {self.until}"
        if self.since:
            return f"since {self.since}"
        return "dates not recorded"


@dataclass(frozen=True, slots=True)
class Vendor:
    """A company that makes or sells equipment; ``key`` is the canonical vendor key."""

    key: str
    name: str
    legal_names: tuple[str, ...]
    aliases: tuple[str, ...]
    relations: tuple[Relation, ...]
    sources: tuple[Source, ...]
    as_of: date
    country: str | None = None
    note: str | None = None

    def names(self) -> tuple[str, ...]:
        """Display name, legal names and aliases: every spelling that names this vendor."""
        return (self.name, *self.legal_names, *self.aliases)


class PenMeaning(StrEnum):
    """What a device reporting this enterprise number tells about its maker.

    ``own``: the registrant's own number (devices using it are normally the registrant's);
    ``stack``: the number of a software stack (net-snmp, lwIP), used by devices of any maker;
    ``misused``: reported by devices of makers other than the registrant.
    """

    OWN = "own"
    STACK = "stack"
    MISUSED = "misused"


@dataclass(frozen=True, slots=True)
class PenEntry:
    """One IANA Private Enterprise Number with its registrant and what it means on a device.

    ``seen_on`` names the vendor whose devices were seen reporting a misused number;
    ``exclusive`` is False when devices of other makers are known to report an own number;
    ``among`` lists the makers of a number whose registrant's business was split between
    them (``vendor_key`` ``"nokia | alcatel-lucent-enterprise"`` in pens.csv; then
    ``vendor_key`` is None): it names one of them, other evidence decides which.
    """

    pen: int
    organization: str
    vendor_key: str | None
    meaning: PenMeaning
    source: str
    source_date: str
    seen_on: str | None = None
    exclusive: bool = True
    note: str = ""
    among: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SysDescrPattern:
    """A regular expression over a device text field that names its manufacturer (and brand).

    ``brand_group`` names a regex group whose text is looked up as a vendor name to give the
    brand (e.g. ``HPE`` in ``HPE Comware Platform Software``). ``fields`` are the device fields
    searched (a record attribute or an ``extra`` key); ``field`` is the first of them.
    """

    id: str
    field: str
    regex: re.Pattern[str]
    manufacturer: str | None
    brand: str | None
    brand_group: str | None
    weight: float
    label: str
    description: str
    source: Source
    fields: tuple[str, ...] = ()


def normalize_model(text: str) -> str:
    """Fold a model name for matching: case, spaces and punctuation are ignored.

    >>> normalize_model("S5735-L24P4X-A1") == normalize_model("s5735 l24p4x a1")
    True
    """
    return re.sub(r"[^0-9a-z]+", "", text.lower())


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """A device model of the NetBox device-type library: its vendor folder and part number.

    ``comware_guess`` marks HP/HPE models of Comware families (built by H3C): a hint only.
    """

    vendor_key: str
    manufacturer: str
    model: str
    part_number: str
    comware_guess: bool
    path: str
