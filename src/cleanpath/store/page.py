"""A page of a listing, its bounds, and the not-found errors of the store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cleanpath.errors import InputError

__all__ = ["MAX_PAGE", "NotFoundError", "Page", "UnknownRunError", "check_page"]

MAX_PAGE = 500
"""The largest page any listing returns."""


class NotFoundError(InputError):
    """A run, demand or other record named by the caller is not in the database."""


class UnknownRunError(NotFoundError):
    """The run id names no run in this database."""


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: ``items`` and the ``total`` number of matching rows."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "limit": self.limit,
                "offset": self.offset}  # fmt: skip


def check_page(limit: int, offset: int) -> None:
    """Raise InputError unless ``0 < limit <= MAX_PAGE`` and ``offset >= 0``."""
    if not 0 < limit <= MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}, got {limit}", field="limit")
    if offset < 0:
        raise InputError(f"offset must be 0 or more, got {offset}", field="offset")
