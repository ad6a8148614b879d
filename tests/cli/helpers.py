"""Run the real ``cleanpath`` entry point in-process and capture what it prints."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cleanpath.cli import main


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> Outcome:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    cap = capsys.readouterr()
    return Outcome(code, cap.out, cap.err)
