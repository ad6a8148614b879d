"""Reports: one plain context dict rendered as HTML (self-contained), Markdown or JSON.

The context's shape is documented in ``report/context_schema.md`` and checked by
:func:`check_context`.
"""

from __future__ import annotations

from cleanpath.report.html import render_html
from cleanpath.report.jsonout import render_json
from cleanpath.report.markdown import render_markdown
from cleanpath.report.schema import check_context, minimal_context

__all__ = ["check_context", "minimal_context", "render_html", "render_json", "render_markdown"]
