"""PCR values: an event log we build, replayed by the real tpm2_eventlog, compared with golden
values read from a software TPM (swtpm on 127.0.0.1) into which the same events were extended."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleanpath.errors import InputError
from cleanpath.integrity import (
    Baseline,
    Evidence,
    baseline_from_evidence,
    compare,
    parse_pcr_values,
    read_eventlog,
)
from servers import free_port, stop

from . import _tcg

needs_eventlog = pytest.mark.skipif(
    shutil.which("tpm2_eventlog") is None, reason="tpm2-tools (tpm2_eventlog) is not installed"
)
needs_swtpm = pytest.mark.skipif(
    shutil.which("swtpm") is None or shutil.which("tpm2_pcrextend") is None,
    reason="swtpm or tpm2-tools is not installed",
)


def write_log(path: Path, events) -> Path:
    path.write_bytes(_tcg.eventlog(events))
    return path


@needs_eventlog
def test_tpm2_eventlog_replay_matches_our_own_replay(tmp_path):
    events = _tcg.golden_events()
    ev = read_eventlog(write_log(tmp_path / "log.bin", events))
    assert ev.kinds == ("tpm",)
    assert ev.pcrs == {"sha256": _tcg.replay(events)}


@needs_eventlog
def test_truncated_event_log_is_an_input_error(tmp_path):
    log = tmp_path / "cut.bin"
    log.write_bytes(_tcg.eventlog(_tcg.golden_events())[:-20])
    with pytest.raises(InputError) as exc:
        read_eventlog(log)
    assert exc.value.path == str(log)


def free_port_pair() -> int:
    """A free port P on 127.0.0.1 whose neighbour P+1 is free as well."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two adjacent free ports on 127.0.0.1")


@contextlib.contextmanager
def swtpm(tmp: Path) -> Iterator[dict[str, str]]:
    """A TPM 2.0 simulator on 127.0.0.1; yields the environment for tpm2-tools."""
    port = free_port_pair()
    ctrl = port + 1  # the swtpm TCTI always uses the next port for control
    state = tmp / "tpmstate"
    state.mkdir()
    cmd = [
        "swtpm",
        "socket",
        "--tpm2",
        "--tpmstate",
        f"dir={state}",
        "--server",
        f"type=tcp,port={port},bindaddr=127.0.0.1",
        "--ctrl",
        f"type=tcp,port={ctrl},bindaddr=127.0.0.1",
        "--flags",
        "not-need-init,startup-clear",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "TPM2TOOLS_TCTI": f"swtpm:host=127.0.0.1,port={port}"}
    try:
        for _ in range(100):
            ok = subprocess.run(["tpm2_pcrread", "sha256:0"], env=env, capture_output=True)
            if ok.returncode == 0:
                break
            time.sleep(0.05)
        yield env
    finally:
        stop(proc)


def tpm_values(env: dict[str, str], events) -> dict[str, dict[int, str]]:
    """Extend each event's digest into the TPM, then read the PCRs back (tpm2_pcrread)."""
    for pcr, _, digest, _ in events:
        subprocess.run(
            ["tpm2_pcrextend", f"{pcr}:sha256={digest.hex()}"],
            env=env,
            check=True,
            capture_output=True,
        )
    pcrs = ",".join(str(i) for i in sorted({e[0] for e in events}))
    out = subprocess.run(
        ["tpm2_pcrread", f"sha256:{pcrs}"], env=env, check=True, capture_output=True, text=True
    )
    return parse_pcr_values(out.stdout)


@needs_eventlog
@needs_swtpm
def test_changed_firmware_measurement_is_a_pcr_mismatch(tmp_path):
    golden = _tcg.golden_events()
    with swtpm(tmp_path) as env:
        measured = tpm_values(env, golden)
    assert measured == {"sha256": _tcg.replay(golden)}  # the TPM agrees with the log
    base = baseline_from_evidence(Evidence(pcrs=measured, kinds=("tpm",)))

    same = read_eventlog(write_log(tmp_path / "gold.bin", golden))
    assert compare(same, base).findings == ()

    tampered = _tcg.golden_events(firmware=b"BIOS 3.4 image, patched")
    report = compare(read_eventlog(write_log(tmp_path / "bad.bin", tampered)), base)
    assert [(f.kind, f.component) for f in report.findings] == [("pcr_mismatch", "pcr:sha256:0")]
    (finding,) = report.findings
    assert finding.expected == measured["sha256"][0]
    assert finding.actual == _tcg.replay(tampered)[0]


def test_baseline_pcrs_without_tpm_evidence_is_evidence_missing():
    base = Baseline((), (), {"sha256": {0: "ab"}}, kinds=("tpm",))
    report = compare(Evidence(kinds=("redfish",)), base)
    assert [(f.kind, f.component) for f in report.findings] == [("evidence_missing", "tpm")]


def test_pcr_text_without_values_is_an_input_error():
    with pytest.raises(InputError, match="no PCR values"):
        parse_pcr_values("pcrs:\n  sha256:\n", source="x.txt")
