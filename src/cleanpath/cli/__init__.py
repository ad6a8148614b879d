"""The ``cleanpath`` command: one module per command group, each thin (parse, call, render)."""

from __future__ import annotations

# Command modules register themselves on ``app`` when imported.
from cleanpath.cli import audit as _audit  # noqa: F401  (registers commands)
from cleanpath.cli import hw as _hw  # noqa: F401
from cleanpath.cli._app import app, main

__all__ = ["app", "main"]
