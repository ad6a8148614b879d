"""Serve ``.snmprec`` recordings as live SNMP agents on loopback with snmpsim (tests, benchmarks).

snmpsim (the ``test`` extra) answers on one UDP port for many recordings: the SNMP community
selects the file (``core1`` serves ``core1.snmprec``). It refuses to run as root and drops to
``nobody``, so the recordings are copied into a fresh folder under /tmp that ``nobody`` can
read, with a cache folder it can write. Not used by ``cleanpath discover`` itself.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from cleanpath.errors import DiscoveryError

__all__ = ["SnmpSimulator", "free_udp_port"]


def free_udp_port() -> int:
    """A UDP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _responder() -> str:
    exe = Path(sys.executable).with_name("snmpsim-command-responder")
    found = str(exe) if exe.exists() else shutil.which("snmpsim-command-responder")
    if not found:
        raise DiscoveryError("snmpsim-command-responder is not installed (pip install snmpsim)")
    return found


async def _answers(port: int, community: str) -> bool:
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData,
        ContextData,
        ObjectIdentity,
        ObjectType,
        SnmpEngine,
        UdpTransportTarget,
        get_cmd,
    )

    import cleanpath.discover.snmp  # noqa: F401  (imports pysnmp with its warnings filtered)

    engine = SnmpEngine()
    try:
        target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=0.5, retries=0)
        error, status, _, _ = await get_cmd(
            engine,
            CommunityData(community),
            target,
            ContextData(),
            ObjectType(ObjectIdentity("1.3.6.1.2.1.1.2.0")),
            lookupMib=False,
        )
        return not error and not status
    finally:
        engine.close_dispatcher()


class SnmpSimulator:
    """``with SnmpSimulator(files) as sim:`` agents at ``127.0.0.1:sim.port``, community = stem.

    ``files`` are .snmprec paths, or ``(community, path)`` pairs to serve one recording under
    another name (many simulated agents from one recording).
    """

    def __init__(
        self,
        files: Iterable[Path | tuple[str, Path]],
        *,
        port: int | None = None,
        startup_timeout: float = 60.0,
        extra_args: Sequence[str] = (),
    ) -> None:
        self.files = [(f.stem, f) if isinstance(f, Path) else f for f in files]
        if not self.files:
            raise DiscoveryError("no recordings to serve")
        self.port = port or free_udp_port()
        self.startup_timeout = startup_timeout
        self.extra_args = list(extra_args)
        self.root: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    def _prepare(self) -> tuple[Path, Path]:
        self.root = Path(tempfile.mkdtemp(prefix="cleanpath-snmpsim-", dir="/tmp"))
        data, cache = self.root / "data", self.root / "cache"
        data.mkdir()
        cache.mkdir()
        for community, path in self.files:
            shutil.copyfile(path, data / f"{community}.snmprec")
        for p in (self.root, data, *data.iterdir()):
            p.chmod(0o755 if p.is_dir() else 0o644)
        cache.chmod(0o777)
        return data, cache

    def start(self) -> SnmpSimulator:
        try:
            return self._start()
        except BaseException:
            self.stop()  # no half-made folder or orphan process left behind
            raise

    def _start(self) -> SnmpSimulator:
        data, cache = self._prepare()
        cmd = [
            _responder(),
            f"--data-dir={data}",
            f"--agent-udpv4-endpoint=127.0.0.1:{self.port}",
            f"--cache-dir={cache}",
            "--log-level=error",
            *self.extra_args,
        ]
        if os.geteuid() == 0:
            cmd += ["--process-user=nobody", "--process-group=nogroup"]
        assert self.root is not None
        log = (self.root / "snmpsim.log").open("wb")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        self._wait()
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        probe = self.files[0][0]
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise DiscoveryError(f"snmpsim exited: {self.log_tail()}")
            if asyncio.run(_answers(self.port, probe)):
                return
            time.sleep(0.2)
        self.stop()
        raise DiscoveryError(f"snmpsim did not answer within {self.startup_timeout:g} s")

    def log_tail(self, lines: int = 20) -> str:
        """The end of snmpsim's log (for error messages)."""
        if self.root is None or not (self.root / "snmpsim.log").exists():
            return ""
        text = (self.root / "snmpsim.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> SnmpSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
