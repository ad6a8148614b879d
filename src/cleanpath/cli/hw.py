"""``cleanpath hw``: hardware and firmware integrity (collect, baseline create, audit)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cleanpath import settings
from cleanpath.cli._app import app, err_console
from cleanpath.errors import DiscoveryError, InputError
from cleanpath.integrity import (
    Evidence,
    audit_evidence,
    baseline_from_evidence,
    collect_evidence,
    dump_baseline,
    read_baseline,
    render_json,
    render_text,
)

hw_app = typer.Typer(
    name="hw",
    help="Hardware/firmware integrity: compare what servers report with a golden baseline.",
    no_args_is_help=True,
)
baseline_app = typer.Typer(
    help="Golden bill of materials and firmware allowlist.", no_args_is_help=True
)
hw_app.add_typer(baseline_app, name="baseline")
app.add_typer(hw_app, name="hw")

Redfish = Annotated[str | None, typer.Option(help="Redfish service URL, e.g. https://bmc.example")]
User = Annotated[str | None, typer.Option(help="Redfish user.")]
Password = Annotated[str | None, typer.Option(help="Redfish password (setting redfish-password).")]
Auth = Annotated[str, typer.Option(help="Redfish auth: basic, or session (X-Auth-Token).")]
Lspci = Annotated[
    list[Path] | None, typer.Option(help="lspci -vmm -nn output or lspci -x dump (repeatable).")
]
Lsusb = Annotated[list[Path] | None, typer.Option(help="Recorded lsusb output (repeatable).")]
Dmidecode = Annotated[
    list[Path] | None, typer.Option(help="dmidecode output or --dump-bin file (repeatable).")
]
Eventlog = Annotated[
    list[Path] | None, typer.Option(help="TCG event log (binary_bios_measurements) (repeatable).")
]
EvidenceFile = Annotated[
    list[Path] | None, typer.Option("--evidence", help="Saved evidence JSON (hw collect).")
]
Timeout = Annotated[float, typer.Option(help="Seconds per Redfish request.")]


def _collect(
    redfish: str | None,
    user: str | None,
    password: str | None,
    auth: str,
    lspci: list[Path] | None,
    lsusb: list[Path] | None,
    dmidecode: list[Path] | None,
    eventlog: list[Path] | None,
    evidence: list[Path] | None,
    timeout: float,
) -> Evidence:
    ev = collect_evidence(
        redfish=redfish,
        user=user,
        password=settings.value("redfish-password", password),
        auth=auth,
        lspci=lspci or (),
        lsusb=lsusb or (),
        dmidecode=dmidecode or (),
        eventlog=eventlog or (),
        evidence=evidence or (),
        timeout=timeout,
    )
    for f in ev.failures:
        err_console.print(
            f"warning: could not read {f.where or '(service root)'}: {f.error}",
            style="yellow",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    return ev


def _write(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=str(out)) from None


@hw_app.command("collect")
def collect(
    out: Annotated[Path | None, typer.Option(help="Write the evidence JSON here.")] = None,
    redfish: Redfish = None,
    user: User = None,
    password: Password = None,
    auth: Auth = "basic",
    lspci: Lspci = None,
    lsusb: Lsusb = None,
    dmidecode: Dmidecode = None,
    eventlog: Eventlog = None,
    evidence: EvidenceFile = None,
    timeout: Timeout = 10.0,
) -> None:
    """Read evidence and save it, to audit later or elsewhere.

    Example: cleanpath hw collect --redfish https://bmc1 --user audit --out bmc1.json
    """
    ev = _collect(
        redfish, user, password, auth, lspci, lsusb, dmidecode, eventlog, evidence, timeout
    )
    _write(json.dumps(ev.to_dict(), indent=2) + "\n", out)


@baseline_app.command("create")
def baseline_create(
    out: Annotated[Path, typer.Option(help="Baseline YAML to write.")],
    redfish: Redfish = None,
    user: User = None,
    password: Password = None,
    auth: Auth = "basic",
    lspci: Lspci = None,
    lsusb: Lsusb = None,
    dmidecode: Dmidecode = None,
    eventlog: Eventlog = None,
    evidence: EvidenceFile = None,
    timeout: Timeout = 10.0,
) -> None:
    """Record a golden bill of materials and firmware allowlist from a trusted unit.

    Review the file afterwards: add further allowed versions under firmware[].allowed.

    Example: cleanpath hw baseline create --redfish https://bmc1 --user audit --out gold.yaml
    """
    ev = _collect(
        redfish, user, password, auth, lspci, lsusb, dmidecode, eventlog, evidence, timeout
    )
    if not (ev.components or ev.firmware or ev.pcrs):
        raise DiscoveryError("no component, firmware or PCR could be read; no baseline written")
    _write(dump_baseline(baseline_from_evidence(ev)), out)
    err_console.print(
        f"baseline: {len(ev.components)} components, {len(ev.firmware)} firmware items, "
        f"{sum(map(len, ev.pcrs.values()))} PCRs, {len(ev.failures)} known gaps -> {out}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


@hw_app.command("audit")
def audit(
    baseline: Annotated[Path, typer.Option(help="Baseline YAML (hw baseline create).")],
    redfish: Redfish = None,
    user: User = None,
    password: Password = None,
    auth: Auth = "basic",
    lspci: Lspci = None,
    lsusb: Lsusb = None,
    dmidecode: Dmidecode = None,
    eventlog: Eventlog = None,
    evidence: EvidenceFile = None,
    timeout: Timeout = 10.0,
    policy: Annotated[
        str | None, typer.Option(help="KB policy deciding untrusted makers, e.g. us-fcc.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Policy date YYYY-MM-DD (default today).")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    out: Annotated[Path | None, typer.Option(help="Write the report here.")] = None,
) -> None:
    """Compare evidence with a baseline; exit 1 when there is any finding (for CI).

    Example: cleanpath hw audit --redfish https://bmc1 --baseline gold.yaml --policy us-fcc
    """
    if format not in {"text", "json"}:
        raise InputError(f"unknown format {format!r} (text, json)", field="format")
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise InputError(f"not a date (YYYY-MM-DD): {as_of!r}", field="as-of") from None
    base = read_baseline(baseline)
    ev = _collect(
        redfish, user, password, auth, lspci, lsusb, dmidecode, eventlog, evidence, timeout
    )
    report = audit_evidence(ev, base, policy=policy, as_of=day)
    _write(render_json(report) + "\n" if format == "json" else render_text(report), out)
    if report.findings:
        # SystemExit, not typer.Exit: main() runs click with standalone_mode=False, which
        # turns typer.Exit into a return value that main() does not pass on.
        raise SystemExit(1)
