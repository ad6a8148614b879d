"""PCR values replayed from a TCG event log by tpm2-tools' ``tpm2_eventlog``.

``tpm2_eventlog FILE`` prints the events and then a ``pcrs:`` section (per bank, index :
0xHEX). ``parse_pcr_values`` reads that section, and equally the output of ``tpm2_pcrread``
(same layout), so values read from a TPM can be compared with a log's replay.

>>> parse_pcr_values("pcrs:\\n  sha256:\\n    0  : 0xAB01\\n    7  : 0xcd\\n")
{'sha256': {0: 'ab01', 7: 'cd'}}
"""

from __future__ import annotations

import re
from pathlib import Path

from cleanpath.errors import InputError
from cleanpath.integrity._tools import read_bytes, run_tool
from cleanpath.integrity.model import Evidence

__all__ = ["parse_pcr_values", "pcr_evidence", "read_eventlog"]

_BANK = re.compile(r"^\s{0,4}(sha1|sha256|sha384|sha512|sm3_256)\s*:\s*$")
_VALUE = re.compile(r"^\s+(\d+)\s*:\s*(?:0x)?([0-9A-Fa-f]+)\s*$")


def parse_pcr_values(text: str, *, source: str | None = None) -> dict[str, dict[int, str]]:
    """Bank → PCR index → lower-case hex, from the last ``pcrs:`` section (or the whole
    text when there is none, as ``tpm2_pcrread`` prints it)."""
    start = text.rfind("\npcrs:")
    body = text[start:] if start >= 0 else text
    out: dict[str, dict[int, str]] = {}
    bank: str | None = None
    for line in body.splitlines():
        if m := _BANK.match(line):
            bank = m[1]
            out.setdefault(bank, {})
        elif (m := _VALUE.match(line)) and bank is not None:
            out[bank][int(m[1])] = m[2].lower()
    if not any(out.values()):
        raise InputError(
            "no PCR values found (expected tpm2_eventlog or tpm2_pcrread output)", path=source
        )
    return out


def pcr_evidence(pcrs: dict[str, dict[int, str]], *, source: str) -> Evidence:
    """An Evidence that holds only PCR values."""
    return Evidence(pcrs=pcrs, sources=(source,), kinds=("tpm",))


def read_eventlog(path: str | Path) -> Evidence:
    """PCR values replayed from a binary TCG event log (``binary_bios_measurements``) by
    running ``tpm2_eventlog``; a text file is read as saved ``tpm2_eventlog``/``tpm2_pcrread``
    output."""
    data = read_bytes(path)
    if b"\0" in data[:64]:
        text = run_tool(["tpm2_eventlog", str(path)], path=path, package="tpm2-tools")
    else:
        text = data.decode("utf-8", errors="replace")
    return pcr_evidence(parse_pcr_values(text, source=str(path)), source=f"eventlog {path}")
