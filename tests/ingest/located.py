"""A helper for the malformed-file tests: the error names the file, line, field and cause."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cleanpath.errors import InputError

ANY = object()


def assert_located_error(
    read: Callable[[Path], Any],
    path: Path,
    *,
    line: int | object | None = ANY,
    field: str | object | None = ANY,
    words: str,
) -> InputError:
    """Run ``read(path)``, expect an InputError naming ``path`` and check line/field/words."""
    with pytest.raises(InputError) as info:
        read(path)
    err = info.value
    assert err.path == str(path)
    assert words in str(err)
    if line is not ANY:
        assert err.line == line
    if field is not ANY:
        assert err.field == field
    return err
