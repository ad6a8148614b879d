"""Run an external evidence tool (lspci, dmidecode, tpm2_eventlog) on a file we were given."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from cleanpath.errors import InputError, IntegrityError

__all__ = ["read_bytes", "run_tool"]


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an evidence file; InputError naming it when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read evidence: {exc.strerror}", path=str(path)) from None


def run_tool(args: list[str], *, path: str | Path, package: str, timeout: float = 30.0) -> str:
    """stdout of ``args``; IntegrityError when the tool is missing, InputError when it
    rejects the file ``path`` (its first stderr line is kept)."""
    exe = shutil.which(args[0])
    if exe is None:
        raise IntegrityError(
            f"{args[0]} is not installed (Debian package {package}); "
            f"it is needed to decode this file",
            path=str(path),
        )
    try:
        done = subprocess.run(
            [exe, *args[1:]],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            errors="replace",
        )
    except subprocess.TimeoutExpired:
        raise IntegrityError(f"{args[0]} took longer than {timeout:g} s", path=str(path)) from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise InputError(
            f"{args[0]} could not decode it (exit {done.returncode}): {first}", path=str(path)
        )
    return done.stdout
