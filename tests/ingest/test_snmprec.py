"""snmprec recordings: the OID|tag|value format, folders, context files, bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.errors import InputError
from cleanpath.ingest.snmprec import parse_snmprec, read_snmprec


def test_every_tag_and_encoding() -> None:
    rec = parse_snmprec(
        "1.3.6.1.2.1.1.1.0|4|plain text\n"
        "1.3.6.1.2.1.1.4.0|4x|00ff41\n"
        "1.3.6.1.2.1.1.6.0|4e|\\x04\\x88_a\\n\n"
        "1.3.6.1.2.1.1.2.0|6|.1.3.6.1.4.1.3902.3.600\n"
        "1.3.6.1.2.1.1.3.0|67|12345\n"
        "1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1\n"
        "1.3.6.1.2.1.4.20.1.1.10.0.0.2|64x|0a000002\n"
        "1.3.6.1.2.1.4.20.1.1.10.0.0.3|64e|\\n\\x00\\x00\\x03\n"
        "1.3.6.1.2.1.31.1.1.1.6.1|70|18446744073709551615\n"
        "1.3.6.1.2.1.2.2.1.10.1|65|4294967295\n"
        "1.3.6.1.2.1.14.2.1.2.0|5|\n"
        "1.3.6.1.2.1.1.9.0|128|\n"
        "\n"
        ".1.3.6.1.2.1.1.5.0|4|dotted\n"
    )
    v = rec.values
    assert v["1.3.6.1.2.1.1.1.0"] == b"plain text"
    assert v["1.3.6.1.2.1.1.4.0"] == b"\x00\xffA"
    assert v["1.3.6.1.2.1.1.6.0"] == b"\x04\x88_a\n"
    assert v["1.3.6.1.2.1.1.2.0"] == "1.3.6.1.4.1.3902.3.600"
    assert v["1.3.6.1.2.1.1.3.0"] == 12345
    assert [v[f"1.3.6.1.2.1.4.20.1.1.10.0.0.{i}"] for i in (1, 2, 3)] == [
        "10.0.0.1",
        "10.0.0.2",
        "10.0.0.3",
    ]
    assert v["1.3.6.1.2.1.31.1.1.1.6.1"] == 2**64 - 1
    assert "1.3.6.1.2.1.14.2.1.2.0" not in v
    assert "1.3.6.1.2.1.1.9.0" not in v
    assert v["1.3.6.1.2.1.1.5.0"] == b"dotted"
    assert rec.lines["1.3.6.1.2.1.1.5.0"] == 14


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1.3.6.1.2.1.1.1.0|4x|zz", "non-hexadecimal"),
        ("1.3.6.1.2.1.1.3.0|67|abc", "invalid literal"),
        ("1.3.6.1.2.1.1.2.0|6|not.an.oid", "not an OBJECT IDENTIFIER"),
        ("1.3.6.1.2.1.4.20.1.1|64|300.1.1.1", "not an IPv4 address"),
        ("1.3.6.1.2.1.4.20.1.1|64x|0a00", "IpAddress of 2 bytes"),
        ("1.3.6.1.2.1.1.1.0|99|x", "unknown tag '99'"),
        ("1.3.6.1.2.1.1.1.0|4e|\\q", "unknown escape"),
        ("1.3.6.1.2.1.1.1.0 4 text", "not an OID|tag|value record"),
        ("sysDescr.0|4|x", "not an OID"),
    ],
)
def test_bad_line_names_file_and_line(line: str, message: str) -> None:
    text = "1.3.6.1.2.1.1.5.0|4|ok\n" + line + "\n1.3.6.1.2.1.1.6.0|4|after\n"
    with pytest.raises(InputError, match=message) as exc:
        parse_snmprec(text, source="dev.snmprec")
    assert (exc.value.path, exc.value.line) == ("dev.snmprec", 2)
    rec = parse_snmprec(text, source="dev.snmprec", skip_bad=True)
    assert [s.line for s in rec.skipped] == [2]
    assert set(rec.values) == {"1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0"}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_junk_is_skipped_or_refused_never_a_crash(data: bytes) -> None:
    rec = parse_snmprec(data, source="junk.snmprec", skip_bad=True)
    assert all(s.source == "junk.snmprec" and s.line for s in rec.skipped)
    try:
        parse_snmprec(data, source="junk.snmprec")
    except InputError as exc:
        where = (exc.path, exc.line is not None)
    else:
        where = ("junk.snmprec", True)
    assert where == ("junk.snmprec", True)


def test_lab_folder_devices_and_links(data_dir: Path) -> None:
    lab = data_dir / "snmplab"
    spec = json.loads((lab / "lab.json").read_text())
    inv = read_snmprec(lab)
    devices = {d.node: d for d in inv.devices}
    assert set(devices) == set(spec["devices"])  # faults/ is a sub-folder: not read
    for name, s in spec["devices"].items():
        assert devices[name].sys_object_id == s["sys_object_id"]
        assert devices[name].mac == s["mac"]
        assert devices[name].source == str(lab / f"{name}.snmprec")
    polled_links = [x for x in spec["links"] if x[2] in spec["devices"]]
    assert len(inv.links) == len(polled_links)
    assert "nvr-dahua" not in devices  # neighbours only with neighbours=True
    with_neighbours = {d.node: d for d in read_snmprec(lab, neighbours=True).devices}
    assert with_neighbours["nvr-dahua"].extra["observed_only"] is True


def test_context_files_attach_to_their_parent(tmp_path: Path) -> None:
    (tmp_path / "sw.snmprec").write_text("1.3.6.1.2.1.1.5.0|4|sw\n")
    (tmp_path / "sw@10.snmprec").write_text("1.3.6.1.2.1.17.1.1.0|4x|00e0fc000001\n")
    (tmp_path / "sw@20.snmprec").write_text("1.3.6.1.2.1.17.1.1.0|4x|00e0fc000001\n")
    (tmp_path / "orphan@5.snmprec").write_text("1.3.6.1.2.1.1.5.0|4|o\n")
    inv = read_snmprec(tmp_path)
    devices = {d.node: d for d in inv.devices}
    assert set(devices) == {"sw", "orphan@5"}
    assert devices["sw"].extra["contexts"] == ("10", "20")


def test_malformed_recording_values_are_warnings(data_dir: Path) -> None:
    inv = read_snmprec(data_dir / "snmplab" / "faults" / "malformed.snmprec")
    (d,) = inv.devices
    assert d.sys_object_id is None
    assert any("not-an-oid" in w for w in d.extra["warnings"])
    assert d.mac == "00:bc:99:f0:00:09"
    assert len(d.sys_descr or "") == 4096


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        read_snmprec(tmp_path / "nope")


def test_generr_recording_with_variation_tag_is_a_bad_line(data_dir: Path) -> None:
    path = data_dir / "snmplab" / "faults" / "generr.snmprec"
    with pytest.raises(InputError, match="unknown tag '4:error'") as exc:
        read_snmprec(path)
    assert exc.value.line == 3
    assert len(read_snmprec(path, skip_bad=True).skipped) == 2


def test_an_oid_repeated_with_another_value_is_a_bad_line() -> None:
    text = (
        "1.3.6.1.2.1.1.1.0|4|first\n"
        "1.3.6.1.2.1.1.1.0|4|first\n"  # an identical repeat changes nothing
        "1.3.6.1.2.1.1.1.0|4|second\n"
    )
    with pytest.raises(InputError, match=r"r\.snmprec:3: OID 1\.3\.6\.1\.2\.1\.1\.1\.0 again"):
        parse_snmprec(text, source="r.snmprec")
    rec = parse_snmprec(text, source="r.snmprec", skip_bad=True)
    assert rec.values["1.3.6.1.2.1.1.1.0"] == b"first"
    assert [(s.line, s.reason) for s in rec.skipped] == [
        (3, "OID 1.3.6.1.2.1.1.1.0 again, with another value (first: line 1)")
    ]
