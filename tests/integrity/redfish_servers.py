"""Redfish services on 127.0.0.1 for tests: real ``sushy-static``, and a tiny faulty server
of our own (500s, truncated JSON, redirect loops, off-site redirects)."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from servers import free_port, stop

HERE = Path(__file__).resolve().parent
MOCKUPS = HERE.parent / "data" / "redfish"
SMC = MOCKUPS / "supermicro-x11-1u"


def _sushy_static() -> str:
    exe = Path(sys.executable).parent / "sushy-static"
    found = str(exe) if exe.exists() else shutil.which("sushy-static")
    if found is None:
        pytest.skip("sushy-static (PyPI sushy-tools) is not installed")
    return found


@contextlib.contextmanager
def sushy_static(mockup: Path, *, wait: float = 15.0) -> Iterator[str]:
    """Serve ``mockup`` with sushy-static bound to 127.0.0.1 on a free port; yield its URL."""
    port = free_port()
    cmd = [_sushy_static(), "-i", "127.0.0.1", "-p", str(port), "-m", str(mockup)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(url + "/redfish/v1", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                    raise RuntimeError(f"sushy-static did not start: {err[-500:]}") from None
                time.sleep(0.1)
        yield url
    finally:
        stop(proc)


TOKEN = "cleanpath-test-token"
SESSION = "/redfish/v1/SessionService/Sessions/1"


def _handler(
    root: Path, faults: Mapping[str, str], port: list[int], log: list[str] | None
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def _send(self, code: int, body: bytes, headers: Mapping[str, str] = {}) -> None:
            self.send_response(code)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # Redfish session login: audit / secret
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path != "/redfish/v1/SessionService/Sessions" or body != {
                "UserName": "audit",
                "Password": "secret",
            }:
                return self._send(401, b'{"error": "unauthorized"}')
            self._send(201, b"{}", {"X-Auth-Token": TOKEN, "Location": SESSION})

        def do_DELETE(self) -> None:
            if log is not None:
                log.append(f"DELETE {self.path} {self.headers.get('X-Auth-Token')}")
            self._send(204, b"")

        def do_GET(self) -> None:
            path = self.path.split("?")[0].rstrip("/")
            if log is not None:
                log.append(f"GET {path} {self.headers.get('X-Auth-Token')}")
                if self.headers.get("X-Auth-Token") != TOKEN:
                    return self._send(401, b'{"error": "unauthorized"}')
            fault = faults.get(path)
            if fault == "500":
                return self._send(500, b'{"error": "internal"}')
            if fault == "loop":
                return self._send(302, b"", {"Location": path + "/../" + path.rsplit("/", 1)[-1]})
            if fault == "offsite":
                return self._send(302, b"", {"Location": f"http://127.0.0.2:{port[0]}{path}"})
            file = root / path.removeprefix("/redfish/v1").lstrip("/") / "index.json"
            if not file.is_file():
                return self._send(404, b'{"error": "not found"}')
            body = file.read_bytes()
            if fault == "truncated":
                body = body[: len(body) // 2]
            self._send(200, body, {"Content-Type": "application/json"})

    return Handler


@contextlib.contextmanager
def faulty_redfish(
    mockup: Path, faults: Mapping[str, str], *, session_log: list[str] | None = None
) -> Iterator[str]:
    """Serve ``mockup`` from our own http.server on 127.0.0.1, with ``faults`` by path:
    ``500``, ``truncated`` (half the JSON), ``loop`` (redirects to itself), ``offsite``.
    With ``session_log``, GETs need the session token and every request is logged there."""
    port: list[int] = [0]
    handler = _handler(mockup, faults, port, session_log)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port[0] = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port[0]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def edit_json(root: Path, rel: str, **changes: Any) -> None:
    """Set top-level keys of the resource at ``rel`` (a path below /redfish/v1)."""
    file = root / rel / "index.json"
    doc = json.loads(file.read_text())
    doc.update(changes)
    file.write_text(json.dumps(doc, indent=2))


def remove_member(root: Path, collection: str, member: str) -> None:
    """Delete a resource and its entry in the collection's Members (as a BMC would)."""
    shutil.rmtree(root / collection / member)
    file = root / collection / "index.json"
    doc = json.loads(file.read_text())
    doc["Members"] = [m for m in doc["Members"] if not m["@odata.id"].endswith("/" + member)]
    doc["Members@odata.count"] = len(doc["Members"])
    file.write_text(json.dumps(doc, indent=2))


def tamper(root: Path) -> None:
    """Swap the Slot1 NIC for a Huawei-made one, change the BIOS version, remove a DIMM."""
    nic = "Chassis/1/PCIeDevices/Slot1"
    edit_json(
        root,
        nic,
        Manufacturer="Huawei Technologies Co., Ltd.",
        Model="SP570",
        SerialNumber="2102312ABC10K0000001",
        PartNumber="02312ABC",
    )
    edit_json(
        root,
        nic + "/PCIeFunctions/1",
        VendorId="0x19E5",
        DeviceId="0x1822",
        SubsystemVendorId="0x19E5",
        SubsystemId="0xD129",
    )
    edit_json(root, "UpdateService/FirmwareInventory/BIOS", Version="3.5")
    edit_json(root, "Systems/1", BiosVersion="3.5")
    remove_member(root, "Systems/1/Memory", "P2-DIMMB1")
