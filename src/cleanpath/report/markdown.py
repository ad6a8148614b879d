"""The report context as Markdown (GitHub-flavoured tables); maps and charts are HTML-only.

>>> from cleanpath.report.schema import minimal_context
>>> print(render_markdown(minimal_context()).splitlines()[0])
# cleanpath report
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cleanpath.report._format import (
    ILLUSTRATIVE_NOTICE,
    Table,
    devices_table,
    evidence_table,
    flows_table,
    integrity_table,
    label_map,
    plan_table,
    sites_table,
    summary_rows,
    vendor_table,
)
from cleanpath.report.schema import check_context

__all__ = ["md_table", "render_markdown"]


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def md_table(tab: Table) -> list[str]:
    """A Markdown table (``_none_`` when there are no rows).

    >>> md_table((("a", "b"), [("1", "x|y")]))
    ['| a | b |', '| --- | --- |', '| 1 | x\\\\|y |']
    """
    header, rows = tab
    if not rows:
        return ["_none_"]
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    lines.append("|" + " --- |" * len(header))
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _network(net: Mapping[str, Any]) -> list[str]:
    out = [f"## {net['name']}", ""]
    out += md_table((("Measure", "Value"), list(summary_rows(net["summary"]))))
    sections: list[tuple[str, Table]] = [
        ("Exposure by vendor", vendor_table(net)),
        ("Top devices by sensitive volume carried", devices_table(net)),
        ("Worst flows", flows_table(net)),
        ("Sites and hubs", sites_table(net)),
    ]
    plan = net.get("plan")
    if plan is not None:
        sections.append(("Replacement plan", plan_table(plan, label_map(net))))
    if net.get("integrity") is not None:
        sections.append(("Integrity findings", integrity_table(net["integrity"], label_map(net))))
    if net.get("device_evidence") is not None:
        sections.append(("Covered devices and their evidence", evidence_table(net)))
    for title, tab in sections:
        out += ["", f"### {title}", "", *md_table(tab)]
    if net.get("skipped"):
        out += ["", f"### Skipped input records ({len(net['skipped'])})", ""]
        out += [f"- {_cell(str(s))}" for s in net["skipped"]]
    if net["coordinates"] != "geographical":
        out += ["", f"_No map: node coordinates are {net['coordinates']!s}._"]
    if net.get("attribution"):
        out += ["", f"_{net['attribution']}_"]
    return [*out, ""]


def render_markdown(ctx: Mapping[str, Any]) -> str:
    """Render the report context (see ``context_schema.md``) as Markdown text."""
    check_context(ctx)
    out = [f"# {ctx['title']}", ""]
    out.append(
        f"Generated {ctx['generated']} · verdicts as of {ctx['as_of']} · policy "
        f"{ctx['policy']} · knowledge base {ctx['kb_version']} · cleanpath "
        f"{ctx['cleanpath_version']}"
    )
    if ctx["illustrative_inventory"]:
        out += ["", f"> **Illustrative inventory.** {ctx.get('notice') or ILLUSTRATIVE_NOTICE}"]
    out.append("")
    for net in ctx["networks"]:
        out += _network(net)
    out += ["## Attribution and sources", ""]
    out += [f"- {a}" for a in ctx["attributions"]] or ["_none_"]
    return "\n".join(out).rstrip() + "\n"
