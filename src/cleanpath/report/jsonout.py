"""The report context as JSON: sorted keys, two-space indent, stable float formatting.

Floats are rounded to 9 significant digits (so the same result computed in a different
summation order prints the same), ``-0.0`` becomes ``0.0`` and NaN/inf become ``null``.

>>> canonical({"b": 0.1 + 0.2, "a": (float("nan"), -0.0, 3)})
{'b': 0.3, 'a': [None, 0.0, 3]}
>>> from cleanpath.report.schema import minimal_context
>>> render_json(minimal_context()).splitlines()[1]
'  "as_of": "2026-11-28",'
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from cleanpath.report.schema import check_context

__all__ = ["SIGNIFICANT_DIGITS", "canonical", "render_json"]

SIGNIFICANT_DIGITS = 9


def _float(x: float) -> float | None:
    if not math.isfinite(x):
        return None
    y = float(f"{x:.{SIGNIFICANT_DIGITS}g}")
    return 0.0 if y == 0 else y


def canonical(obj: Any) -> Any:
    """``obj`` as plain JSON types with stable floats (numpy scalars, enums, dates too)."""
    if obj is None or isinstance(obj, bool | str):
        return str(obj.value) if isinstance(obj, enum.Enum) else obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return _float(obj)
    if isinstance(obj, Mapping):
        return {str(k): canonical(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        items = [canonical(v) for v in obj]
        return sorted(items, key=repr) if isinstance(obj, set | frozenset) else items
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, enum.Enum):
        return canonical(obj.value)
    if hasattr(obj, "item"):  # numpy scalar
        return canonical(obj.item())
    if hasattr(obj, "tolist"):  # numpy array
        return canonical(obj.tolist())
    raise TypeError(f"cannot put {type(obj).__name__} into a report")


def render_json(ctx: Mapping[str, Any]) -> str:
    """The checked context as JSON text (sorted keys, 2-space indent) ending in a newline."""
    check_context(ctx)
    text = json.dumps(canonical(ctx), sort_keys=True, indent=2, ensure_ascii=False)
    return text + "\n"
