"""The design's import direction, the public API and module size, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cleanpath

SRC = Path(cleanpath.__file__).resolve().parent

# Imports point one way: a package may import its own layer or lower ones only.
LAYERS: dict[str, int] = {
    "errors": 0, "domain": 0, "settings": 0,
    "kb": 1, "ingest": 1,
    "identify": 2, "discover": 3,
    "model": 3, "integrity": 3,
    "analysis": 4,
    "pipeline": 5,
    "store": 6, "report": 6, "audit_io": 6,
    "web": 7, "cli": 7, "demo": 7, "__main__": 8, "__init__": 8,
}  # fmt: skip
PURE = ("identify", "model", "analysis")
FORBIDDEN_IN_PURE = ("duckdb", "fastapi", "typer", "rich", "cleanpath.store", "cleanpath.web",
                     "cleanpath.cli", "cleanpath.report")  # fmt: skip


def _top(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


MODULES = sorted(p for p in SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_one_way(path: Path) -> None:
    me = _top(path)
    assert me in LAYERS, f"{me} has no layer in LAYERS; add it"
    for line, mod in _imports(path):
        if not mod.startswith("cleanpath.") or mod == "cleanpath":
            continue
        other = mod.split(".")[1]
        assert other in LAYERS, f"{path.name}:{line}: unknown package {other}"
        assert LAYERS[other] <= LAYERS[me], (
            f"{path.relative_to(SRC)}:{line} imports {mod} (layer {LAYERS[other]}) "
            f"from layer {LAYERS[me]}"
        )
        if me in PURE:
            assert not mod.startswith(FORBIDDEN_IN_PURE), f"{path.name}:{line}: {mod}"
    if me in PURE:
        for line, mod in _imports(path):
            assert not mod.startswith(FORBIDDEN_IN_PURE), f"{path.name}:{line}: {mod}"


def test_public_api_is_sorted_and_importable() -> None:
    assert cleanpath.__all__ == sorted(cleanpath.__all__)
    for name in cleanpath.__all__:
        assert hasattr(cleanpath, name), name


def test_exceptions_form_one_tree() -> None:
    from cleanpath import errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.CleanpathError)
        assert name in (errors.__doc__ or ""), f"{name} missing from the tree in the docstring"
