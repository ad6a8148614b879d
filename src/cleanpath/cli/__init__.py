"""The ``cleanpath`` command: one module per command group, each thin (parse, call, render)."""

from __future__ import annotations

# Command modules register themselves on ``app`` when imported.
from cleanpath.cli import audit as _audit  # noqa: F401
from cleanpath.cli import config as _config  # noqa: F401
from cleanpath.cli import discover as _discover  # noqa: F401
from cleanpath.cli import hw as _hw  # noqa: F401
from cleanpath.cli import identify as _identify  # noqa: F401
from cleanpath.cli import plan as _plan  # noqa: F401
from cleanpath.cli import reroute as _reroute  # noqa: F401
from cleanpath.cli import runs as _runs  # noqa: F401
from cleanpath.cli._app import app, main

__all__ = ["app", "main"]
