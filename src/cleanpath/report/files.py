"""Write a report context to files (the only I/O of report/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["RENDERERS", "write_report"]


def _html(ctx: dict[str, Any]) -> str:
    from cleanpath.report.html import render_html

    return render_html(ctx)


def _markdown(ctx: dict[str, Any]) -> str:
    from cleanpath.report.markdown import render_markdown

    return render_markdown(ctx)


def _json(ctx: dict[str, Any]) -> str:
    from cleanpath.report.jsonout import render_json

    return render_json(ctx)


RENDERERS = {"html": ("report.html", _html), "md": ("report.md", _markdown),
             "json": ("report.json", _json)}  # fmt: skip


def write_report(
    ctx: dict[str, Any], out_dir: Path, formats: tuple[str, ...] = ("html", "md", "json")
) -> list[Path]:
    """Render ``ctx`` in each format into ``out_dir``; returns the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for f in formats:
        name, render = RENDERERS[f]
        p = out_dir / name
        p.write_text(render(ctx), encoding="utf-8")
        written.append(p)
    return written
