"""Maintainer tool: derive the shipped IANA registry table and the NetBox model table.

Not used at run time. It regenerates two data files in ``kb/data``:

* ``iana_pens.tsv.gz``: every IANA Private Enterprise Number with its registrant and the
  registrant's name key (:func:`cleanpath.kb.names.name_key`), from nmap's
  ``nselib/data/enterprise_numbers.txt`` (a copy of the IANA registry);
* ``netbox_models.csv``: manufacturer, model and part number of every NetBox device type
  (CC0), with the manufacturer folder mapped to a vendor key.

Nothing here is learnt from labelled data. Run:
``python -m cleanpath.kb.build ../shared/data [NMAP_ENTERPRISE_NUMBERS_FILE]``.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

from cleanpath.kb.iana import parse_nmap_enterprise_numbers, registry_tsv
from cleanpath.kb.loader import DEFAULT_PATH, IANA_FILE, load_kb

__all__ = ["NMAP_ENTERPRISE_NUMBERS", "build_iana", "build_netbox_models", "main"]

NMAP_ENTERPRISE_NUMBERS = Path("/usr/share/nmap/nselib/data/enterprise_numbers.txt")
#: NetBox's "Alcatel-Lucent" folder holds OmniSwitch models (OS6450, OS6860, OS6900): ALE's line
_NETBOX_FOLDERS = {
    "HP": "hp",
    "HPE": "hpe",
    "Alcatel-Lucent": "alcatel-lucent-enterprise",
    "V-Solution": "v-sol",
}


def build_iana(nmap_file: Path = NMAP_ENTERPRISE_NUMBERS) -> bytes:
    """``iana_pens.tsv.gz`` bytes from nmap's ``enterprise_numbers.txt`` (deterministic gzip)."""
    text = nmap_file.read_text(encoding="utf-8")
    rows = parse_nmap_enterprise_numbers(text, path=str(nmap_file))
    return gzip.compress(registry_tsv(rows).encode("utf-8"), compresslevel=9, mtime=0)


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


def main(argv: list[str] | None = None) -> None:
    """Regenerate the derived files from ``argv[0]`` (the shared data folder) and
    ``argv[1]`` (nmap's ``enterprise_numbers.txt``, default: the Debian path)."""
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0] if args else "../shared/data")
    nmap = Path(args[1]) if len(args) > 1 else NMAP_ENTERPRISE_NUMBERS
    (DEFAULT_PATH / IANA_FILE).write_bytes(build_iana(nmap))
    (DEFAULT_PATH / "netbox_models.csv").write_text(build_netbox_models(shared), encoding="utf-8")


if __name__ == "__main__":
    main()
