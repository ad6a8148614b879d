"""Every CLI command has help with an example and an entry in docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from cleanpath.cli import app

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _commands(t: typer.Typer, prefix: str = "") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for cmd in t.registered_commands:
        name = cmd.name or (cmd.callback.__name__ if cmd.callback else "")
        out.append((prefix + name.replace("_", "-"), cmd.callback))
    for grp in t.registered_groups:
        if grp.typer_instance is not None:
            out += _commands(grp.typer_instance, prefix + (grp.name or "") + " ")
    return out


COMMANDS = _commands(app)


def test_there_are_commands() -> None:
    names = {n for n, _ in COMMANDS}
    assert {"audit", "demo", "identify", "discover", "plan", "serve", "hw audit"} <= names


@pytest.mark.parametrize(("name", "callback"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_example_and_docs(name: str, callback: object) -> None:
    doc = getattr(callback, "__doc__", None) or ""
    assert doc.strip(), f"{name} has no help"
    assert "Example:" in doc, f"{name}'s help has no example"
    cli_md = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert f"`{name}`" in cli_md or f"`{name.split()[0]} " in cli_md, f"{name} not in docs/cli.md"
