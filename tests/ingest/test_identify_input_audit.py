"""Adversarial inputs of ``cleanpath identify``, run through the real CLI: every bad input is
one line naming the file and line (or JSON element / XML element) and exit 1, never a
traceback; with ``--skip-bad`` the bad record is skipped, counted, and the rest kept."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from cleanpath.cli import identify as _identify  # noqa: F401  (registers the command)
from cleanpath.errors import InputError
from cleanpath.ingest import parse_node_link
from cleanpath.ingest.inventory import parse_inventory_csv
from cleanpath.ingest.mib import MAX_TEXT
from cleanpath.ingest.nmap import parse_nmap
from cleanpath.ingest.snmprec import parse_snmprec
from cli.helpers import Outcome, run_cli

GOOD_REC = "1.3.6.1.2.1.1.1.0|4|Huawei Versatile Routing Platform\n"


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _identify_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Outcome:
    return run_cli(capsys, "identify", *map(str, args), "--format", "json", "--as-of", "2025-01-01")


def _fails(res: Outcome, message: str) -> None:
    """Exit 1 with exactly one ``error:`` line that is ``message``, and no traceback."""
    assert res.code == 1, (res.out, res.err)
    assert res.err.strip() == f"error: {message}"
    assert "Traceback" not in res.err + res.out


def _skips(res: Outcome, message: str) -> None:
    """With ``--skip-bad`` a file that cannot be read at all is one skipped record: exit 0,
    no devices, the reason listed and counted, no traceback."""
    assert res.code == 0, (res.out, res.err)
    assert json.loads(res.out) == []
    assert f"skipped {message}" in res.err
    assert "1 records skipped" in res.err
    assert "Traceback" not in res.err + res.out


def _devices(res: Outcome) -> list[str]:
    assert res.code == 0, res.err
    assert "Traceback" not in res.err
    return sorted(r["device"] for r in json.loads(res.out))


def _skipped(res: Outcome) -> int:
    counts = [ln for ln in res.err.splitlines() if ln.endswith("records skipped")]
    return int(counts[0].split()[0]) if counts else 0


# --- JSON: nesting, huge numbers, wrong shapes ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("devices.json", ""),  # NetBox export
        ("lldp.json", '{"neighbours": '),  # LLDP neighbour list
        ("scan.json", '{"format": "cleanpath-discovery", "devices": '),  # discovery result
    ],
)
def test_deeply_nested_json_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, prefix: str
) -> None:
    path = _write(tmp_path, name, prefix + "[" * 50_000 + "]" * 50_000 + ("}" if prefix else ""))
    _fails(_identify_cli(capsys, path), f"{path}: invalid JSON: nested too deeply")
    _skips(_identify_cli(capsys, path, "--skip-bad"), f"{path}: invalid JSON: nested too deeply")


def test_json_integer_of_5000_digits_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "devices.json", '[{"name": "sw1", "serial": ' + "9" * 5000 + "}]")
    _fails(_identify_cli(capsys, path), f"{path}: invalid JSON: an integer of 5000 digits")


def test_lldp_json_values_of_the_wrong_type_name_the_element(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {
        "neighbours": [
            {"local": "core1", "chassis_id": "00:e0:fc:00:00:01", "sys_name": "agg1"},
            {"local": {"name": "core2"}, "chassis_id": "00:e0:fc:00:00:02"},
            {"local": "core3", "chassis_id": "", "sys_name": ""},
        ]
    }
    path = _write(tmp_path, "lldp.json", json.dumps(doc))
    _fails(_identify_cli(capsys, path), f"{path}: neighbours[1].local: expected text, got dict")
    res = _identify_cli(capsys, path, "--skip-bad")
    assert _devices(res) == ["agg1", "core1"]  # the dict was not turned into "{'name': ...}"
    assert _skipped(res) == 2
    assert f"{path}: neighbours[2]: neither chassis_id nor sys_name" in res.err


# --- CSV: truncation, duplicated headers, shifted columns, huge fields --------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("inv.csv", 'node,sys_descr\nr1,ok\nr2,"Huawei VRP', "2: bad CSV: unexpected end of data"),
        ("nb.csv", 'name,device_type\nsw1,S5735\nsw2,"S67', "2: malformed CSV: unexpected end"),
        ("ll.csv", 'local,chassis_id,sys_descr\na,b,c\nd,e,"Hua', "2: malformed CSV: unexpected"),
    ],
)
def test_truncated_quoted_field_is_refused_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    """A file cut inside a quoted field used to be read as if the quote had been closed."""
    path = _write(tmp_path, name, text)
    res = _identify_cli(capsys, path)
    line, _, what = message.partition(": ")
    assert res.code == 1
    assert res.err.startswith(f"error: {path}:{int(line) + 1}: {what}")
    assert "Traceback" not in res.err


@pytest.mark.parametrize(
    ("name", "text", "column"),
    [
        ("nb.csv", "name,device_type,Name\nsw1,S5735,sw2\n", "name"),
        ("ll.csv", "local,chassis_id,sys_name,local\ncore1,aa,agg1,core2\n", "local"),
    ],
)
def test_duplicated_header_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, column: str
) -> None:
    """One of the two values used to win silently."""
    path = _write(tmp_path, name, text)
    _skips(_identify_cli(capsys, path, "--skip-bad"), f"{path}:1: duplicate columns ['{column}']")


@pytest.mark.parametrize(
    ("name", "text", "kept"),
    [
        (
            "nb.csv",
            "name,manufacturer,role\nsw1,Huawei Technologies Co.,Ltd,core\nsw2,ZTE,access\n",
            ["sw2"],
        ),
        ("ll.csv", "local,chassis_id,sys_name\ncore1,aa,x,y\ncore2,bb,agg2\n", ["agg2", "core2"]),
    ],
)
def test_more_cells_than_the_header_is_a_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, kept: list[str]
) -> None:
    """An unquoted comma shifts the columns after it: the row is bad, not read shifted."""
    path = _write(tmp_path, name, text)
    _fails(_identify_cli(capsys, path), f"{path}:2: more fields than the header has")
    res = _identify_cli(capsys, path, "--skip-bad")
    assert _devices(res) == kept
    assert _skipped(res) == 1
    assert f"skipped {path}:2: more fields than the header has" in res.err


def test_huge_inventory_field_names_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = "x" * (csv.field_size_limit() + 1)
    path = _write(tmp_path, "inv.csv", f'node,sys_descr\nr1,ok\n\nr2,"{big}"\n')
    res = _identify_cli(capsys, path)
    assert res.code == 1
    assert res.err.startswith(f"error: {path}:4: bad CSV: field larger than field limit")


def test_netbox_interface_of_a_device_not_in_the_export_is_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    devices = _write(tmp_path, "devices.csv", "name,device_type\nsw1,S5735\n")
    ifaces = _write(
        tmp_path,
        "interfaces.csv",
        "device,name,mac_address\nsw1,ge1,00:e0:fc:00:00:01\nsw9,ge1,00:e0:fc:00:00:09\n",
    )
    res = _identify_cli(capsys, devices, ifaces)
    assert _devices(res) == ["sw1"]
    assert _skipped(res) == 1
    assert f"{ifaces}:3: interface sw9:ge1: device not in the export" in res.err


# --- snmprec: BOM, escapes, empty recordings and folders -----------------------------------


def test_snmprec_with_bom_and_crlf_is_read() -> None:
    rec = parse_snmprec(
        b"\xef\xbb\xbf1.3.6.1.2.1.1.1.0|4|Huawei VRP\r\n1.3.6.1.2.1.1.3.0|67|-5\r\n",
        source="r.snmprec",
    )
    assert dict(rec.values) == {"1.3.6.1.2.1.1.1.0": b"Huawei VRP", "1.3.6.1.2.1.1.3.0": -5}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1.3.6.1.2.1.1.1.0|4e|ab\\x4", "tag '4e': bad escape \\x4"),
        ("1.3.6.1.2.1.1.1.0|4e|ab\\x 4", "tag '4e': bad escape \\x 4"),
        ("1.3.6.1.2.1.1.3.0|67|" + "9" * 5000, "tag '67': integer of 5000 characters"),
    ],
)
def test_snmprec_bad_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    path = _write(tmp_path, "r.snmprec", GOOD_REC + line + "\n")
    _fails(_identify_cli(capsys, path), f"{path}:2: {message}")
    res = _identify_cli(capsys, path, "--skip-bad")
    assert _devices(res) == ["r"]
    assert _skipped(res) == 1


def test_folder_without_recordings_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    _fails(_identify_cli(capsys, empty), f"{empty}: no .snmprec recordings in this folder")
    other = tmp_path / "other"
    _write(other, "notes.txt", GOOD_REC)
    _fails(_identify_cli(capsys, other), f"{other}: no .snmprec recordings in this folder")


def test_folder_mixing_good_bad_and_empty_recordings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recs = tmp_path / "recs"
    _write(recs, "a-good.snmprec", GOOD_REC)
    _write(recs, "b-bad.snmprec", GOOD_REC + "1.3.6.1.2.1.1.2.0|6|not-an-oid\n")
    empty = _write(recs, "c-empty.snmprec", b"# recorded nothing\n")
    _write(recs, "d-binary.snmprec", b"\x00\x01\xff\xfe\x80\x9fPK\x03\x04\n" * 3)
    _fails(
        _identify_cli(capsys, recs),
        f"{recs / 'b-bad.snmprec'}:2: tag '6': not an OBJECT IDENTIFIER: 'not-an-oid'",
    )
    res = _identify_cli(capsys, recs, "--skip-bad")
    assert _devices(res) == ["a-good", "b-bad"]  # no device is made up of an empty file
    assert f"skipped {empty}: no SNMP values in the recording" in res.err
    assert _skipped(res) == 1 + 1 + 3 + 1  # b's line 2, c, d's three lines, d
    bad_alone = _identify_cli(capsys, empty)
    _fails(bad_alone, f"{empty}: no SNMP values in the recording")


# --- nmap XML: entities, odd attributes, addresses ------------------------------------------

HOST = '<host><status state="up"/><address addr="{ip}" addrtype="ipv4"/>{more}</host>'


def _nmap(*hosts: str, head: str = "") -> str:
    return head + "<nmaprun>\n" + "\n".join(hosts) + "\n</nmaprun>\n"


@pytest.mark.parametrize(
    ("head", "entity"),
    [
        ('<!DOCTYPE n [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n', "a"),
        ('<!DOCTYPE n [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', "xxe"),
        ('<!DOCTYPE n [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>\n', "p"),
    ],
)
def test_nmap_entity_declarations_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], head: str, entity: str
) -> None:
    path = _write(tmp_path, "scan.xml", _nmap(HOST.format(ip="192.0.2.1", more="&b;"), head=head))
    message = f"{path}:1: XML entity declarations are not allowed (entity '{entity}')"
    _skips(_identify_cli(capsys, path, "--skip-bad"), message)


def test_nmap_external_dtd_is_never_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "evil.dtd", '<!ENTITY x "PWNED">\n')
    host = HOST.format(ip="192.0.2.1", more='<hostnames><hostname name="a&x;b"/></hostnames>')
    path = _write(tmp_path, "scan.xml", _nmap(host, head='<!DOCTYPE nmaprun SYSTEM "evil.dtd">'))
    res = _identify_cli(capsys, path)
    assert "PWNED" not in res.out + res.err
    assert _devices(res) == ["ab"]


def test_nmap_non_ascii_digits_and_bad_addresses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = '<ports><port protocol="tcp" portid="²"><state state="open"/><service name="http" product="x"/></port></ports>'  # noqa: E501
    path = _write(
        tmp_path,
        "scan.xml",
        _nmap(HOST.format(ip="192.0.2.1", more=port), HOST.format(ip="", more="")),
    )
    _fails(_identify_cli(capsys, path), f"{path}:3: address: bad IP address ''")
    res = _identify_cli(capsys, path, "--skip-bad")
    assert _devices(res) == ["192.0.2.1"]  # not a device called 'None'
    assert _skipped(res) == 1


# --- rendering: names from input files are text, never rich markup --------------------------


def test_markup_in_names_and_reasons_is_printed_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path, "inv.csv", "node,hostname,model,mac\nr1,sw[/x],[bold]M[/bold],\nr2,,,[/y]\n"
    )
    res = run_cli(capsys, "identify", str(path), "--skip-bad", "--as-of", "2025-01-01")
    assert res.code == 0, res.err
    assert "Traceback" not in res.err
    assert "sw[/x]" in res.out
    assert "[bold]M" in res.out
    assert f"skipped {path}:3: malformed MAC '[/y]'" in res.err


# --- what is not a file we can read --------------------------------------------------------


def test_fifo_and_endless_device_are_refused_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading a FIFO would block for ever, /dev/zero would fill the memory."""
    fifo = tmp_path / "inv.csv"
    os.mkfifo(fifo)
    _fails(_identify_cli(capsys, fifo), f"{fifo}: not a regular file")
    zero = tmp_path / "zero.snmprec"
    zero.symlink_to("/dev/zero")
    _skips(_identify_cli(capsys, zero, "--skip-bad"), f"{zero}: not a regular file")


COMMA_ONLY = "cleanpath reads comma-separated CSV"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("node,mac\r\nr1,x\r\n".encode("utf-16"), "UTF-16 text: save the file as UTF-8"),
        (
            "node;mac\nr1;00:e0:fc:00:00:01\n",
            f"the columns are separated by semicolons: {COMMA_ONLY}",
        ),
        ("node\tmac\nr1\t00:e0:fc:00:00:01\n", f"the columns are separated by tabs: {COMMA_ONLY}"),
    ],
)
def test_spreadsheet_exports_that_are_not_comma_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: str | bytes, message: str
) -> None:
    """These used to be 'unknown CSV: expected ... a node column' while the node column is there."""
    path = _write(tmp_path, "inv.csv", data)
    _fails(_identify_cli(capsys, path), f"{path}:1: {message}")


@pytest.mark.parametrize("name", ["inv.csv", "devices.json", "scan.xml", "r.snmprec"])
def test_empty_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = _write(tmp_path, name, b"")
    _skips(_identify_cli(capsys, path, "--skip-bad"), f"{path}:1: empty file")


def test_nmap_service_banner_of_a_megabyte_is_cut() -> None:
    port = '<port protocol="tcp" portid="80"><state state="open"/><service product="{p}"/></port>'
    xml = _nmap(
        HOST.format(ip="192.0.2.1", more=f"<ports>{port.format(p='Dahua ' * 200_000)}</ports>")
    )
    (banner,) = parse_nmap(xml, source="scan.xml").devices[0].extra["banners"]
    assert banner["product"] == ("Dahua " * 200_000)[:MAX_TEXT]


def test_spelled_out_headers_are_read_not_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``Sys Object ID`` and ``System Description`` used to be ignored: the device lost its
    strongest evidence (or every LLDP row failed) while the CLI had sniffed the file right."""
    inv = _write(
        tmp_path,
        "inv.csv",
        "Node,Host Name,Sys Object-ID\nr1,edge-1,1.3.6.1.4.1.2011.2.23.96\n",
    )
    lldp = _write(
        tmp_path,
        "lldp.csv",
        "Local,Local Port,Chassis ID,Port ID,System Name,System Description\n"
        "core1,ge0/1,00:11:22:33:44:55,GE1/0/1,agg1,Huawei Versatile Routing Platform\n",
    )
    res = _identify_cli(capsys, inv, lldp)
    assert res.code == 0, res.err
    rows = {r["device"]: r for r in json.loads(res.out)}
    assert set(rows) == {"edge-1", "core1", "agg1"}
    assert "sys_object_id=1.3.6.1.4.1.2011.2.23.96" in rows["edge-1"]["evidence"]
    assert "lldp_rem_sys_desc=" in rows["agg1"]["evidence"]
    assert rows["agg1"]["manufacturer"] == "Huawei"


def test_inventory_with_hostname_and_sysname_columns_keeps_both() -> None:
    inv = parse_inventory_csv("node,hostname,sysName\nr1,10.0.0.1,edge-1\n", source="i.csv")
    (d,) = inv.devices
    assert (d.hostname, d.extra["sysname"]) == ("10.0.0.1", "edge-1")


def test_node_link_topology_with_a_5000_digit_number_is_an_input_error() -> None:
    """The same JSON hole in the topology reader (``cleanpath audit``)."""
    doc = '{"nodes": [{"id": ' + "9" * 5000 + '}], "links": []}'
    with pytest.raises(InputError, match="malformed JSON") as exc:
        parse_node_link(doc, source="t.json")
    assert exc.value.path == "t.json"


def test_unstatable_paths_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name longer than the file system allows used to be an OSError traceback."""
    long = tmp_path / ("a" * 300 + ".csv")
    _fails(_identify_cli(capsys, long), f"{long}: cannot read: File name too long")
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    _fails(_identify_cli(capsys, loop), f"{loop}: cannot read: Too many levels of symbolic links")
    dangling = tmp_path / "gone.snmprec"
    dangling.symlink_to(tmp_path / "nowhere")
    _skips(_identify_cli(capsys, dangling, "--skip-bad"), f"{dangling}: no such file or folder")
