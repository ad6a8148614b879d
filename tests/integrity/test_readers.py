"""lspci and dmidecode readers on dumps the tests create, decoded by the real tools."""

from __future__ import annotations

import contextlib
import shutil
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.errors import InputError
from cleanpath.integrity import (
    audit_evidence,
    baseline_from_evidence,
    parse_dmidecode,
    parse_lspci,
    parse_lsusb,
    read_dmidecode,
    read_lspci,
)

from . import _smbios

needs_lspci = pytest.mark.skipif(shutil.which("lspci") is None, reason="pciutils not installed")
needs_dmidecode = pytest.mark.skipif(
    shutil.which("dmidecode") is None, reason="dmidecode not installed"
)


def config_dump(slot: str, vendor: int, device: int, svendor: int, sdevice: int) -> str:
    """An ``lspci -x`` style dump of a 64-byte type-0 config space (class 02 00 = Ethernet)."""
    space = bytearray(64)
    struct.pack_into("<HH", space, 0, vendor, device)
    space[8], space[11] = 0x45, 0x02
    struct.pack_into("<HH", space, 0x2C, svendor, sdevice)
    rows = [
        f"{o:02x}: " + " ".join(f"{b:02x}" for b in space[o : o + 16]) for o in range(0, 64, 16)
    ]
    return f"{slot} Ethernet controller: x\n" + "\n".join(rows) + "\n\n"


@needs_lspci
def test_lspci_dump_is_decoded_by_real_lspci(tmp_path):
    dump = tmp_path / "host.lspci"
    dump.write_text(
        config_dump("3b:00.0", 0x19E5, 0x1822, 0x19E5, 0xD129)
        + config_dump("5e:00.0", 0x15B3, 0x1017, 0x15B3, 0x0007)
    )
    ev = read_lspci(dump)
    assert ev.kinds == ("lspci",)
    nic, cx5 = ev.components
    assert (nic.slot, nic.vendor_id, nic.device_id, nic.subsystem_id) == (
        "0000:3b:00.0",
        "19e5",
        "1822",
        "d129",
    )
    assert nic.manufacturer == "Huawei Technologies Co., Ltd."  # name from pci.ids
    assert "Hi1822" in (nic.model or "")
    assert dict(nic.attrs) == {"class": "0200", "rev": "45"}
    assert cx5.vendor_id == "15b3"


@needs_lspci
def test_lspci_audit_flags_the_huawei_card_that_was_added(tmp_path):
    gold, now = tmp_path / "gold.lspci", tmp_path / "now.lspci"
    gold.write_text(config_dump("5e:00.0", 0x15B3, 0x1017, 0x15B3, 0x0007))
    now.write_text(gold.read_text() + config_dump("3b:00.0", 0x19E5, 0x1822, 0x19E5, 0xD129))
    report = audit_evidence(read_lspci(now), baseline_from_evidence(read_lspci(gold)))
    assert [(f.kind, f.component) for f in report.findings] == [
        ("added", "pci_function:0000:3b:00.0"),
        ("untrusted_vendor", "pci_function:0000:3b:00.0"),
    ]


def test_lspci_text_without_domain_and_with_extra_lines():
    text = (
        "Slot:\t00:1f.6\nClass:\tEthernet controller [0200]\n"
        "Vendor:\tIntel Corporation [8086]\nDevice:\tEthernet Connection I219-LM [15b7]\n"
        "SVendor:\tLenovo [17aa]\nSDevice:\tThinkPad [222a]\nPhySlot:\t1\nNUMANode:\t0\n"
    )
    (c,) = parse_lspci(text).components
    assert (c.slot, c.vendor_id, c.subsystem_vendor_id) == ("0000:00:1f.6", "8086", "17aa")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Slot 00:1f.6\n", 1),
        ("Vendor:\tIntel [8086]\n", 1),
        ("Slot:\t00:01.0\n\nbad line here\n", 3),
    ],
)
def test_bad_lspci_text_names_the_line(text, line):
    with pytest.raises(InputError) as exc:
        parse_lspci(text, source="x.txt")
    assert exc.value.line == line
    assert exc.value.path == "x.txt"


def smc_smbios(bios_version: str = "3.4", dimms: int = 2) -> bytes:
    parts = [
        _smbios.bios("American Megatrends Inc.", bios_version, "10/12/2020"),
        _smbios.system("Supermicro", "SYS-1029U-TRTP", "0123456789", "S900000X0000001"),
        _smbios.baseboard("Supermicro", "X11DPU", "HM000000001"),
    ]
    parts += [
        _smbios.memory(
            0x11 + i, f"P1-DIMM{'AB'[i]}1", 16384, "Samsung", f"0345AB0{i}", "M393A2K40DB3-CWE"
        )
        for i in range(dimms)
    ]
    return _smbios.smbios_dump(*parts, _smbios.end())


@needs_dmidecode
def test_dmidecode_from_dump(tmp_path):
    blob = tmp_path / "smbios.bin"
    blob.write_bytes(smc_smbios())
    ev = read_dmidecode(blob)
    by_slot = {c.slot: c for c in ev.components}
    assert set(by_slot) == {
        "dmi/system",
        "dmi/baseboard",
        "dmi/memory/P1-DIMMA1",
        "dmi/memory/P1-DIMMB1",
    }
    assert by_slot["dmi/system"].model == "SYS-1029U-TRTP"
    assert by_slot["dmi/memory/P1-DIMMB1"].serial_number == "0345AB01"
    assert [(f.id, f.version, f.manufacturer) for f in ev.firmware] == [
        ("dmi/bios", "3.4", "American Megatrends Inc.")
    ]


@needs_dmidecode
def test_dmidecode_audit_bios_change_and_removed_dimm(tmp_path):
    gold, now = tmp_path / "gold.bin", tmp_path / "now.bin"
    gold.write_bytes(smc_smbios())
    now.write_bytes(smc_smbios(bios_version="3.3", dimms=1))
    report = audit_evidence(read_dmidecode(now), baseline_from_evidence(read_dmidecode(gold)))
    assert [(f.kind, f.component) for f in report.findings] == [
        ("missing", "memory:dmi/memory/P1-DIMMB1"),
        ("firmware_downgraded", "dmi/bios"),
    ]


@needs_dmidecode
def test_corrupt_smbios_dump_is_an_input_error(tmp_path):
    blob = tmp_path / "bad.bin"
    blob.write_bytes(b"_SM3_" + bytes(19))
    with pytest.raises(InputError) as exc:
        read_dmidecode(blob)
    assert exc.value.path == str(blob)


def test_missing_file_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="cannot read"):
        read_lspci(tmp_path / "nope")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_parsers_never_crash_on_junk(text):
    for parse in (parse_lspci, parse_dmidecode, parse_lsusb):
        with contextlib.suppress(InputError):
            parse(text, source="junk")


LSUSB = """Bus 002 Device 001: ID 1d6b:0003 Linux Foundation 3.0 root hub
Bus 001 Device 003: ID 19d2:1405 ZTE WCDMA Technologies MSM
Bus 001 Device 004: ID 12d1:1506 Huawei Technologies Co., Ltd. Modem/Networkcard
Bus 001 Device 005: ID 12d1:1506 Huawei Technologies Co., Ltd. Modem/Networkcard
"""


def test_lsusb_cli_flags_huawei_and_zte_usb_devices(tmp_path, capsys):
    import json

    import cleanpath.cli.hw  # noqa: F401
    from cleanpath.cli import main

    gold, now = tmp_path / "gold.txt", tmp_path / "now.txt"
    gold.write_text(LSUSB.splitlines()[0] + "\n")
    now.write_text(LSUSB)
    base = tmp_path / "gold.yaml"
    main(["hw", "baseline", "create", "--lsusb", str(gold), "--out", str(base)])
    with pytest.raises(SystemExit) as exc:
        main(["hw", "audit", "--lsusb", str(now), "--baseline", str(base), "--format", "json"])
    assert exc.value.code == 1
    doc = json.loads(capsys.readouterr().out)
    got = sorted((f["kind"], f["component"], f["actual"]) for f in doc["findings"])
    assert got == [
        ("added", "usb_device:12d1:1506#1", got[0][2]),
        ("added", "usb_device:12d1:1506#2", got[1][2]),
        ("added", "usb_device:19d2:1405#1", got[2][2]),
        ("untrusted_vendor", "usb_device:12d1:1506#1", "huawei"),
        ("untrusted_vendor", "usb_device:12d1:1506#2", "huawei"),
        ("untrusted_vendor", "usb_device:19d2:1405#1", "zte"),
    ]


def test_bad_lsusb_line_is_an_input_error():
    with pytest.raises(InputError) as exc:
        parse_lsusb("Bus 001 Device 001: ID 1d6b:0002 root hub\nlsusb: cannot open\n", source="u")
    assert exc.value.line == 2
