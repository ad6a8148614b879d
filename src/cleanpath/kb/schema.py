"""Pydantic models of the knowledge-base files: untrusted YAML is validated here, once.

Each ``*Model.build()`` returns the plain frozen records of :mod:`cleanpath.kb.model`; a
validation failure is turned into a :class:`~cleanpath.errors.KnowledgeBaseError` that names
the file and the entry (see :func:`validated`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cleanpath.errors import KnowledgeBaseError
from cleanpath.kb.model import (
    Confidence,
    FuzzyDate,
    Relation,
    RelationKind,
    Source,
    SysDescrPattern,
    Vendor,
)

__all__ = [
    "MODEL_TEXT",
    "TEXT_FIELDS",
    "MilestoneModel",
    "PatternsFile",
    "PolicyEntryModel",
    "PolicyFile",
    "SourceModel",
    "VendorsFile",
    "validated",
]

M = TypeVar("M", bound=BaseModel)
Scope = Literal["all", "public-safety-national-security", "uses"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Strict):
    title: str = Field(min_length=1)
    url: str | None = None
    document: str | None = None
    date: str | None = None
    retrieved: dt.date | None = None

    @model_validator(mode="after")
    def _url_or_document(self) -> SourceModel:
        if not (self.url or self.document):
            raise ValueError("a source needs a url or a document")
        return self

    def build(self) -> Source:
        return Source(self.title, self.url, self.document, self.date, self.retrieved)


class _DataFile(_Strict):
    """A data file: may hold shared ``x-sources`` that entries reference with YAML anchors."""

    x_sources: dict[str, SourceModel] = Field(default_factory=dict, alias="x-sources")


def _fuzzy(value: str | None) -> FuzzyDate | None:
    return None if value is None else FuzzyDate.parse(value)


class RelationModel(_Strict):
    kind: RelationKind
    other: str
    since: str | None = None
    until: str | None = None
    confidence: Confidence
    source: SourceModel
    products: str | None = None
    note: str | None = None

    @field_validator("since", "until", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        if isinstance(value, dt.date | int):
            value = str(value)
        if value is not None:
            FuzzyDate.parse(value)
        return value

    def build(self) -> Relation:
        return Relation(
            self.kind,
            self.other,
            _fuzzy(self.since),
            _fuzzy(self.until),
            self.confidence,
            self.source.build(),
            self.products,
            self.note,
        )


class VendorModel(_Strict):
    name: str = Field(min_length=1)
    legal_names: list[str] = []
    aliases: list[str] = []
    country: str | None = None
    relations: list[RelationModel] = []
    sources: list[SourceModel] = Field(min_length=1)
    as_of: dt.date
    note: str | None = None

    def build(self, key: str) -> Vendor:
        return Vendor(
            key=key,
            name=self.name,
            legal_names=tuple(self.legal_names),
            aliases=tuple(self.aliases),
            relations=tuple(r.build() for r in self.relations),
            sources=tuple(s.build() for s in self.sources),
            as_of=self.as_of,
            country=self.country,
            note=self.note,
        )


class VendorsFile(_DataFile):
    note: str = ""
    vendors: dict[str, VendorModel]

    @field_validator("vendors")
    @classmethod
    def _keys(cls, value: dict[str, VendorModel]) -> dict[str, VendorModel]:
        bad = [k for k in value if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", k)]
        if bad:
            raise ValueError(f"vendor keys must be lower-case words with dashes: {bad}")
        return value


TextField = Literal[
    "sys_descr",
    "sys_object_id",
    "model",
    "hostname",
    "manufacturer",
    "ent_physical_descr",
    "ent_physical_model_name",
    "ent_physical_mfg_name",
    "lldp_loc_sys_desc",
    "nmap_os_matches",
    "banners",
]
TEXT_FIELDS: tuple[str, ...] = get_args(TextField)
#: ``fields: model-text`` expands to the fields where model numbers appear
MODEL_TEXT = (
    "model",
    "ent_physical_model_name",
    "ent_physical_descr",
    "sys_descr",
    "lldp_loc_sys_desc",
)


class PatternModel(_Strict):
    id: str
    field: TextField = "sys_descr"
    fields: list[TextField] | Literal["model-text"] | None = None
    regex: str
    ignore_case: bool = False
    manufacturer: str | None = None
    brand: str | None = None
    brand_group: str | None = None
    weight: float = Field(gt=0, le=1)
    label: str = Field(min_length=1, max_length=60)
    description: str
    source: SourceModel

    @model_validator(mode="after")
    def _compiles(self) -> PatternModel:
        try:
            compiled = re.compile(self.regex)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from exc
        if self.brand_group and self.brand_group not in compiled.groupindex:
            raise ValueError(f"brand_group {self.brand_group!r} is not a group of the regex")
        if not (self.manufacturer or self.brand or self.brand_group):
            raise ValueError("a pattern must name a manufacturer or a brand")
        return self

    def build(self) -> SysDescrPattern:
        flags = re.IGNORECASE if self.ignore_case else 0
        if self.fields == "model-text":
            fields: tuple[str, ...] = MODEL_TEXT
        else:
            fields = tuple(self.fields or (self.field,))
        return SysDescrPattern(
            id=self.id,
            field=fields[0],
            fields=fields,
            regex=re.compile(self.regex, flags),
            manufacturer=self.manufacturer,
            brand=self.brand,
            brand_group=self.brand_group,
            weight=self.weight,
            label=self.label,
            description=self.description,
            source=self.source.build(),
        )


class PatternsFile(_DataFile):
    note: str = ""
    patterns: list[PatternModel]


class PolicyEntryModel(_Strict):
    id: str
    entity: str
    entity_name: str
    text: str
    category: str
    scope: Scope
    date_added: dt.date
    affiliates: bool
    confidence: Confidence
    source: SourceModel
    note: str | None = None
    uses: list[str] = []
    deadline: dt.date | None = None

    @model_validator(mode="after")
    def _uses_for_scope(self) -> PolicyEntryModel:
        if self.scope == "uses" and not self.uses:
            raise ValueError("scope 'uses' needs the list of uses it applies to")
        return self


class MilestoneModel(_Strict):
    date: dt.date
    text: str


class PolicyFile(_DataFile):
    name: str
    title: str
    jurisdiction: str
    description: str
    source: SourceModel
    as_of: dt.date
    scope_uses: list[str]
    scope_text: str
    milestones: list[MilestoneModel] = []
    note: str = ""
    entries: list[PolicyEntryModel] = Field(min_length=1)


def validated(model: type[M], data: Any, path: str) -> M:
    """Validate ``data`` against ``model``; a failure names ``path`` and the entry."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise KnowledgeBaseError(f"{first['msg']}{more}", path=path, field=where) from None
