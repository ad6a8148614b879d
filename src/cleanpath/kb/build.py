"""Maintainer tool: derive the registrant vendor table and the NetBox model table.

Not used at run time. It regenerates two shipped data files from the shared data:

* ``vendors_registry.yaml`` and ``pens_registry.csv``: every enterprise number that the
  curated ``vendors.yaml``/``pens.csv`` do not map to a vendor gets one. The name is the common name
  under which LibreNMS shows the devices that report the number (``devices.csv``) when all of
  them show one name; the IANA organization name is kept as a legal name when it spells the
  same company. A number reported by devices shown under several names is marked
  ``exclusive = no`` (weak evidence).
* ``netbox_models.csv``: manufacturer, model and part number of every NetBox device type
  (CC0), with the manufacturer folder mapped to a vendor key.

Run: ``python -m cleanpath.kb.build ../shared/data`` (rewrites files in ``kb/data``).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from cleanpath.kb.loader import DEFAULT_PATH, KnowledgeBase, load_kb
from cleanpath.kb.model import normalize_name
from cleanpath.kb.pens import REGISTRY_PEN_COLUMNS

__all__ = [
    "build_netbox_models",
    "build_registry",
    "kb_learnt_from",
    "labels_by_pen",
    "main",
    "registry_yaml",
]

AS_OF = "2026-11-28"
_NETBOX_FOLDERS = {"HP": "hp", "HPE": "hpe", "Alcatel-Lucent": "nokia", "V-Solution": "v-sol"}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "vendor"


def labels_by_pen(rows: Iterable[Mapping[str, str]]) -> dict[str, Counter[str]]:
    """Per enterprise number, the labels of the devices.csv rows that report it."""
    by: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row["manufacturer"] and row["sysObjectID_pen"]:
            by[row["sysObjectID_pen"]][row["manufacturer"]] += 1
    return by


def _devices_rows(shared: Path) -> list[dict[str, str]]:
    with (shared / "devices" / "devices.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _same_company(org: str, label: str) -> bool:
    a, b = normalize_name(org), normalize_name(label)
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def _add_registrant(
    vendors: dict[str, dict[str, Any]],
    taken: dict[str, str],
    curated: Any,
    row: dict[str, str],
    name: str,
    label: str,
) -> str:
    """The vendor key for one number's registrant, adding a registry vendor when needed."""
    org = row["organization"].strip()
    key = taken.get(normalize_name(name)) or _slug(name)
    entry = vendors.get(key)
    if entry is None and key not in curated:
        entry = vendors[key] = {"name": name, "legal_names": [], "pens": []}
        taken[normalize_name(label)] = key
    if entry is not None:
        entry["pens"].append(int(row["pen"]))
        same = _same_company(org, name) and taken.get(normalize_name(org), key) == key
        if same and org not in entry["legal_names"] and normalize_name(org) != normalize_name(name):
            entry["legal_names"].append(org)
        if same:
            taken[normalize_name(org)] = key
    return key


def build_registry(
    labels: Mapping[str, Counter[str]], data: Path = DEFAULT_PATH
) -> tuple[str, dict[str, Any]]:
    """``pens_registry.csv`` text and the registry vendors (YAML-ready dict) from the labels
    of the devices reporting each number (:func:`labels_by_pen`)."""
    kb = load_kb(data, registry=False)
    text = (data / "pens.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    curated = {row["pen"]: row["vendor_key"] for row in rows}
    shown_as = {normalize_name(n): n for c in labels.values() for n in c}
    vendors: dict[str, dict[str, Any]] = {}
    taken = {normalize_name(n): k for k, v in kb.vendors.items() for n in (k, *v.names())}
    for row in rows:
        row["note"] = ""
        if row["vendor_key"] or row["meaning"] != "own" or row["pen"] == "0":
            continue
        seen = labels.get(row["pen"], Counter())
        org = row["organization"].strip()
        if len(seen) == 1:
            (label,) = seen
            # the registrant's own name wins when devices elsewhere are shown under it
            name = shown_as.get(normalize_name(org), label)
            row["vendor_key"] = _add_registrant(vendors, taken, kb.vendors, row, name, label)
            row["note"] = f"devices reporting it are shown as {label} by LibreNMS"
            if name != label:
                row["note"] += f" (the registrant {name} makes them)"
        elif len(seen) > 1:
            row["vendor_key"] = taken.get(normalize_name(org)) or ""
            row["exclusive"] = "no"
            shown = ", ".join(sorted(seen))
            row["note"] = f"reported by devices LibreNMS shows as {shown}"
        else:
            row["vendor_key"] = taken.get(normalize_name(org)) or ""
    for row in rows:  # registrants named after vendors created later in the loop
        if not row["vendor_key"] and row["meaning"] == "own" and row["pen"] != "0":
            row["vendor_key"] = taken.get(normalize_name(row["organization"])) or ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTRY_PEN_COLUMNS)
    for row in rows:
        if row["vendor_key"] != curated[row["pen"]] or row.get("exclusive") == "no":
            writer.writerow(
                [row["pen"], row["vendor_key"], row.get("exclusive") or "yes", row["note"]]
            )
    return out.getvalue(), vendors


def registry_yaml(vendors: dict[str, dict[str, Any]]) -> str:
    """``vendors_registry.yaml`` text."""
    head = (
        "# GENERATED by `python -m cleanpath.kb.build` — do not edit by hand; curated vendors\n"
        "# belong in vendors.yaml. One vendor per enterprise-number registrant that vendors.yaml\n"
        "# does not cover: name = the common name LibreNMS shows for the devices reporting the\n"
        "# number; legal_names = the IANA organization name when it spells the same company.\n"
    )
    body: dict[str, Any] = {
        "note": "registrant vendors derived from IANA PENs and LibreNMS device names",
        "vendors": {},
    }
    for key in sorted(vendors):
        v = vendors[key]
        pens = ", ".join(str(p) for p in sorted(v["pens"]))
        body["vendors"][key] = {
            "name": v["name"],
            "legal_names": v["legal_names"],
            "sources": [
                {
                    "title": f"IANA Private Enterprise Numbers registry (PEN {pens})",
                    "url": "https://www.iana.org/assignments/enterprise-numbers/",
                    "date": "2024-08-23",
                },
                {
                    "title": "LibreNMS device names for recordings reporting these numbers",
                    "document": "shared/data/devices/devices.csv (LibreNMS 501d60a6, 2026-04-08)",
                    "date": "2026-04-08",
                },
            ],
            "as_of": AS_OF,
        }
    return head + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


def build_netbox_models(shared: Path) -> str:
    """``netbox_models.csv`` text: vendor key, NetBox manufacturer, model, part number."""
    kb = load_kb(registry=False)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["vendor_key", "manufacturer", "model", "part_number", "comware_guess", "path", "commit"]
    )
    with (shared / "devicetypes" / "models.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            folder = row["manufacturer"]
            vendor = kb.vendor_by_name(folder)
            key = _NETBOX_FOLDERS.get(folder) or (vendor.key if vendor else None)
            if key is None:
                continue
            writer.writerow(
                [
                    key,
                    folder,
                    row["model"],
                    row["part_number"],
                    row["hpe_comware_family_guess"],
                    row["path"],
                    row["commit"][:12],
                ]
            )
    return out.getvalue()


def kb_learnt_from(rows: Iterable[Mapping[str, str]], folder: Path) -> KnowledgeBase:
    """A copy of the shipped KB in ``folder`` whose registrant tables are learnt from
    ``rows`` of devices.csv only (to check them on rows they did not see)."""
    data = folder / "data"
    shutil.copytree(DEFAULT_PATH, data)
    pens, vendors = build_registry(labels_by_pen(rows), data)
    (data / "pens_registry.csv").write_text(pens, encoding="utf-8")
    (data / "vendors_registry.yaml").write_text(registry_yaml(vendors), encoding="utf-8")
    return load_kb(data)


def main(argv: list[str] | None = None) -> None:
    """Regenerate the derived files from ``argv[0]`` (the shared data folder)."""
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0] if args else "../shared/data")
    pens, vendors = build_registry(labels_by_pen(_devices_rows(shared)))
    (DEFAULT_PATH / "vendors_registry.yaml").write_text(registry_yaml(vendors), encoding="utf-8")
    (DEFAULT_PATH / "pens_registry.csv").write_text(pens, encoding="utf-8")
    (DEFAULT_PATH / "netbox_models.csv").write_text(build_netbox_models(shared), encoding="utf-8")


if __name__ == "__main__":
    main()
