"""``cleanpath identify INPUT...``: who made each device, why, and what a policy says of it.

The reader is chosen per input: a folder or ``.snmprec`` file (snmpsim recordings), ``.xml``
(nmap ``-oX``), ``.json`` (a discovery result, a NetBox export or an LLDP neighbour list,
told apart by content), ``.csv`` (an inventory with a ``node`` column, an LLDP neighbour
table with ``local``/``chassis_id``, or a NetBox device export, told apart by the header).
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Callable, Sequence
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cleanpath import settings
from cleanpath.cli import _options as opt
from cleanpath.cli._app import app, console, err_console, plain
from cleanpath.domain import Inventory, Skipped
from cleanpath.errors import InputError
from cleanpath.ingest._common import header_key

__all__ = ["identify_command", "read_input"]

FORMATS = ("table", "csv", "json")
COLUMNS = (
    "source",
    "device",
    "brand",
    "manufacturer",
    "model",
    "confidence",
    "covered",
    "evidence",
)
Reader = Callable[..., Inventory]


def _reader(module: str, *names: str) -> Reader:
    """A reader function of the issue-4 ingest modules (imported when first needed)."""
    try:
        mod = import_module(f"cleanpath.ingest.{module}")
    except ImportError:
        raise InputError(f"the {module} reader is not installed in this build") from None
    for name in names:
        func = getattr(mod, name, None)
        if callable(func):
            return func  # type: ignore[no-any-return]
    raise InputError(f"cleanpath.ingest.{module} has no reader {names[0]}")


def _head(path: Path, size: int = 4096) -> str:
    try:
        with path.open("rb") as fh:
            raw = fh.read(size)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # what spreadsheets call "Unicode text"
        raise InputError("UTF-16 text: save the file as UTF-8", path=str(path), line=1)
    return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")


_NETBOX_DEVICE = {"device_type", "type", "manufacturer", "role", "site"}
_NETBOX_OTHER = {"mac_address", "side_a_device", "side_a", "termination_a"}


def _csv_kind(path: Path) -> str:
    first = _head(path).splitlines()[:1]
    cells = next(csv.reader(io.StringIO(first[0])), []) if first else []
    header = {header_key(h) for h in cells}
    line = first[0] if first else ""
    seps = [name for sep, name in ((";", "semicolons"), ("\t", "tabs")) if sep in line]
    if len(cells) == 1 and seps:
        raise InputError(
            f"the columns are separated by {seps[0]}: cleanpath reads comma-separated CSV",
            path=str(path),
            line=1,
        )
    if "local" in header and header & {"chassis_id", "sys_name", "system_name"}:
        return "lldp"
    if "node" in header:
        return "inventory"
    if ("name" in header and _NETBOX_DEVICE & header) or _NETBOX_OTHER & header:
        return "netbox"
    raise InputError(
        "unknown CSV: expected an inventory ('node' column), an LLDP table ('local', "
        "'chassis_id') or a NetBox export ('name' and 'device_type', 'mac_address', 'side_a')",
        path=str(path),
        line=1,
    )


def _json_kind(path: Path) -> str:
    head = _head(path, 65536)
    if '"cleanpath-discovery"' in head:
        return "discovery"
    if '"neighbours"' in head or '"neighbors"' in head or '"chassis_id"' in head:
        return "lldp"
    return "netbox"


def _stat(path: Path) -> os.stat_result | None:
    """``path``'s status (symbolic links followed), None when there is no such file."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a name too long, a symbolic link loop, no permission
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None


def _kind(path: Path) -> str:
    st = _stat(path)
    if st is None:
        raise InputError("no such file or folder", path=str(path))
    if stat.S_ISDIR(st.st_mode):
        return "snmprec"
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block, /dev/zero would never end
        raise InputError("not a regular file", path=str(path))
    if st.st_size == 0:
        raise InputError("empty file", path=str(path), line=1)
    suffix = path.suffix.lower()
    if suffix == ".snmprec":
        return "snmprec"
    if suffix == ".xml":
        return "nmap"
    if suffix == ".json":
        return _json_kind(path)
    if suffix in (".csv", ".tsv", ".txt"):
        return _csv_kind(path)
    raise InputError(
        "cannot tell the format from the extension (.csv, .json, .xml, .snmprec)", path=str(path)
    )


def read_input(path: Path, *, skip_bad: bool = False, kind: str | None = None) -> Inventory:
    """Read one input with the reader its extension / content calls for (``kind``, when
    already known, spares looking at the file again)."""
    kind = kind or _kind(path)
    if kind == "inventory":
        from cleanpath.ingest.inventory import read_inventory_csv

        return read_inventory_csv(path, skip_bad=skip_bad)
    if kind == "discovery":
        from cleanpath.discover.result import read_discovery_json

        return read_discovery_json(path)[1]
    readers = {
        "snmprec": ("snmprec", "read_snmprec"),
        "nmap": ("nmap", "read_nmap"),
        "lldp": ("lldp", "read_lldp"),
        "netbox": ("netbox", "read_netbox", "read_netbox_devices"),
    }
    module, *names = readers[kind]
    return _guarded(_reader(module, *names), path, skip_bad)


def _guarded(reader: Reader, path: Path | list[Path], skip_bad: bool) -> Inventory:
    """Run a reader; a CSV-module error it lets through becomes an InputError on the file."""
    try:
        return reader(path, skip_bad=skip_bad)
    except csv.Error as exc:
        where = path if isinstance(path, Path) else path[0]
        raise InputError(f"bad CSV: {exc}", path=str(where)) from None


def _device_name(d: Any) -> str:
    return d.hostname or d.node or Path(d.source or "").stem


def _row(ident: Any, verdict: Any, source: str) -> dict[str, Any]:
    strongest = sorted(ident.evidence, key=lambda e: -e.weight)
    evidence = "; ".join(
        f"{e.signal}={e.value} → {e.points_to or '-'} ({e.rule}, {e.weight:g})"
        for e in strongest
        if e.weight > 0
    )
    return {
        "source": source,
        "device": _device_name(ident.device),
        "brand": ident.brand or "",
        "manufacturer": ident.manufacturer_name or "",
        "model": ident.model or "",
        "confidence": round(float(ident.confidence), 3),
        "covered": str(verdict.status),
        "evidence": evidence,
        "conflicts": " | ".join(ident.conflicts),
        "candidates": " ".join(f"{k}:{s:g}" for k, s in ident.candidates),
        "reason": verdict.reason,
    }


def identify_rows(
    paths: Sequence[Path],
    *,
    policy: str,
    as_of: date,
    use: str | None = None,
    skip_bad: bool = False,
) -> tuple[list[dict[str, Any]], Inventory]:
    """Read every input, identify each device, apply ``policy`` as of ``as_of`` (for devices
    used for ``use``, when the policy's entries depend on it)."""
    from cleanpath.identify import identify
    from cleanpath.kb import load_kb

    kb = load_kb()
    pol = kb.policy(policy)
    rows: list[dict[str, Any]] = []
    total = Inventory(())
    batches = _read_all(paths, skip_bad)
    for source, inv in batches:
        total = total + inv
        for ident in identify(inv.devices, kb):
            where = ident.device.source or source
            rows.append(_row(ident, pol.verdict(ident, as_of=as_of, use=use), where))
    return rows, total


def _skipped_file(path: Path | list[Path], exc: InputError) -> Inventory:
    """A file that cannot be read at all, as one skipped record (``--skip-bad``)."""
    where = exc.path or str(path)
    reason = f"{exc.field}: {exc.message}" if exc.field else exc.message
    return Inventory((), skipped=(Skipped(where, exc.line, reason),))


def _read_all(paths: Sequence[Path], skip_bad: bool) -> list[tuple[str, Inventory]]:
    """Each input's inventory (NetBox exports merged into one). With ``skip_bad`` a file that
    cannot be read at all (missing, of no known format, empty, malformed as a whole) is one
    skipped record and the other inputs are still read; without it, its error stops the run."""
    batches: list[tuple[str, Inventory]] = []
    kinds: dict[Path, str] = {}
    for p in paths:
        try:
            kinds[p] = _kind(p)
        except InputError as exc:
            if not skip_bad:
                raise
            batches.append((str(p), _skipped_file(p, exc)))
    netbox = [p for p, k in kinds.items() if k == "netbox"]
    groups: list[Path | list[Path]] = [netbox] if netbox else []
    groups += [p for p in kinds if p not in netbox]
    for group in groups:
        try:
            if isinstance(group, list):  # device, interface and cable exports are merged
                inv = _guarded(_reader("netbox", "read_netbox"), group, skip_bad)
            else:
                inv = read_input(group, skip_bad=skip_bad, kind=kinds[group])
        except InputError as exc:
            if not skip_bad:
                raise
            inv = _skipped_file(group, exc)
        name = ", ".join(map(str, group)) if isinstance(group, list) else str(group)
        batches.append((name, inv))
    return batches


def _render(rows: list[dict[str, Any]], fmt: str, title: str) -> None:
    if fmt == "json":
        console.print_json(json.dumps(rows, ensure_ascii=False))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=list(rows[0]) if rows else list(COLUMNS), lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows({**r, "confidence": f"{r['confidence']:.2f}"} for r in rows)
        typer.echo(out.getvalue(), nl=False)
        return
    table = Table(title=plain(title), title_justify="left")
    for col in ("device", "brand", "manufacturer", "model", "confidence", "covered", "evidence"):
        table.add_column(col, overflow="fold", max_width=60 if col == "evidence" else None)
    for r in rows:
        style = {"covered": "red", "unknown": "yellow"}.get(r["covered"], "green")
        evidence = "; ".join(r["evidence"].split("; ")[:2])
        cells = (r["device"], r["brand"], r["manufacturer"], r["model"], f"{r['confidence']:.2f}")
        # names and evidence come from input files: ``[...]`` in them is text, not markup
        table.add_row(*map(plain, cells), f"[{style}]{r['covered']}[/]", plain(evidence))
    console.print(table)


@app.command("identify")
def identify_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Inventory CSV, snmprec file/folder, nmap XML, NetBox/discovery JSON."),
    ],
    policy: opt.Policy = None,
    as_of: str = typer.Option(
        None, "--as-of", help="Date of the verdict, YYYY-MM-DD (default: today)."
    ),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    use: str = typer.Option(
        None,
        "--use",
        help="The devices' use, for use-scoped entries (e.g. 5g-core, public-safety).",
    ),
    skip_bad: bool = typer.Option(
        False, "--skip-bad", help="Skip malformed records (counted) instead of failing."
    ),
) -> None:
    """Identify each device's manufacturer and brand, with evidence, and its policy verdict.

    Example: cleanpath identify devices.csv recs/ --policy us-fcc --as-of 2025-01-01 --format csv
    """
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter(f"--as-of must be YYYY-MM-DD, not {as_of!r}") from None
    policy = settings.value("policy", policy)
    rows, inv = identify_rows(inputs, policy=policy, as_of=day, use=use, skip_bad=skip_bad)
    _render(rows, fmt, f"{len(rows)} devices, {policy} as of {day}")
    for s in inv.skipped[:10]:
        err_console.print(f"[yellow]skipped[/] {plain(s)}", highlight=False, soft_wrap=True)
    if inv.skipped:
        err_console.print(f"{len(inv.skipped)} records skipped", highlight=False)
