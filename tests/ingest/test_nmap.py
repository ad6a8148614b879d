"""nmap XML: a hand-written fixture (MAC vendor, OS matches) and real output of Debian's nmap
run against banner services this test starts on 127.0.0.1."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.errors import InputError
from cleanpath.ingest.nmap import parse_nmap, read_nmap


def test_fixture_hosts_mac_vendor_os_and_banners(data_dir: Path) -> None:
    inv = read_nmap(data_dir / "nmap" / "lan.xml")
    assert [d.node for d in inv.devices] == ["cam-lobby.example", "192.0.2.6"]
    cam, switch = inv.devices
    assert cam.mac == "00:bc:99:12:34:56"
    assert cam.extra["nmap_mac_vendor"] == "Hangzhou Hikvision Digital Technology"
    assert cam.extra["ip"] == "192.0.2.5"
    assert cam.line == 8
    assert [m["name"] for m in cam.extra["nmap_os_matches"]] == [
        "Linux 3.2 - 4.9",
        "Hikvision DS-7600 NVR",
    ]
    assert cam.extra["nmap_os_matches"][0]["accuracy"] == 96
    assert cam.extra["nmap_os_matches"][0]["classes"][1]["cpe"] == ("cpe:/o:linux:linux_kernel:4",)
    ports = {b["port"]: b for b in cam.extra["banners"]}
    assert set(ports) == {80, 554}  # the closed telnet port is not a banner
    assert ports[80]["scripts"] == {"http-server-header": "App-webs/"}
    assert ports[554]["devicetype"] == "webcam"
    assert switch.hostname is None
    assert switch.extra["banners"][0]["ostype"] == "Comware"
    assert [s.reason for s in inv.skipped] == ["host not up"]


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<nmaprun><host><status state='up'/></host></nmaprun>", "host without an address"),
        ("<nmaprun><host><address addr='zz' addrtype='mac'/></host></nmaprun>", "bad MAC"),
        ("<scan/>", "not nmap XML output"),
        ("<nmaprun><host>", "malformed XML"),
    ],
)
def test_bad_input_names_file_and_line(xml: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as exc:
        parse_nmap(xml, source="scan.xml")
    assert exc.value.path == "scan.xml"
    assert exc.value.line == 1


def test_skip_bad_keeps_the_other_hosts() -> None:
    xml = (
        "<nmaprun>\n<host><address addr='zz' addrtype='mac'/></host>\n"
        "<host><address addr='192.0.2.1' addrtype='ipv4'/></host>\n</nmaprun>"
    )
    inv = parse_nmap(xml, source="scan.xml", skip_bad=True)
    assert [d.node for d in inv.devices] == ["192.0.2.1"]
    assert [(s.line, s.reason) for s in inv.skipped] == [(2, "bad MAC 'zz'")]


def _banner_server(banner: bytes) -> tuple[socket.socket, threading.Thread]:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                conn.sendall(banner)
                conn.settimeout(1.0)
                with contextlib.suppress(OSError):
                    conn.recv(1024)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return srv, thread


@pytest.fixture
def banner_ports() -> Iterator[dict[str, int]]:
    servers = {
        "ssh": _banner_server(b"SSH-2.0-Comware-7.1.045\r\n"),
        "ftp": _banner_server(b"220 DS-2CD2143G2-I FTP server ready\r\n"),
    }
    yield {name: s.getsockname()[1] for name, (s, _) in servers.items()}
    for s, _ in servers.values():
        s.close()


def test_real_nmap_output_against_local_services(
    banner_ports: dict[str, int], tmp_path: Path
) -> None:
    nmap = shutil.which("nmap")
    if nmap is None:
        pytest.skip("nmap is not installed (scripts/test-services.sh install adds it)")
    out = tmp_path / "scan.xml"
    ports = ",".join(str(p) for p in banner_ports.values())
    cmd = [
        nmap,
        "-sV",
        "--version-intensity",
        "0",
        "-Pn",
        "-n",
        "-T4",
        "-p",
        ports,
        "--script",
        "banner",
        "-oX",
        str(out),
        "127.0.0.1",
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    inv = read_nmap(out)
    (d,) = inv.devices
    assert d.node == "127.0.0.1"
    assert d.mac is None
    banners = {b["port"]: b for b in d.extra["banners"]}
    assert set(banners) == set(banner_ports.values())
    ssh = banners[banner_ports["ssh"]]
    assert ssh["scripts"]["banner"] == "SSH-2.0-Comware-7.1.045"
    assert ssh["name"] == "ssh"
    ftp = banners[banner_ports["ftp"]]
    assert "DS-2CD2143G2-I" in ftp["scripts"]["banner"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_junk_is_refused_or_read_never_a_crash(text: str) -> None:
    for doc in (text, f"<nmaprun><host>{text}</host></nmaprun>"):
        try:
            parse_nmap(doc, source="junk.xml", skip_bad=True)
        except InputError as exc:
            where = exc.path
        else:
            where = "junk.xml"
        assert where == "junk.xml"
