"""``cleanpath settings``: every setting, its effective value and where it came from."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from cleanpath.cli._app import app, console, plain
from cleanpath.errors import InputError


@app.command("settings")
def show_settings(
    format: Annotated[str, typer.Option(help="Output: table or json.")] = "table",
) -> None:
    """Show each setting's value and its source: command line > environment CLEANPATH_<NAME>
    > config file ($CLEANPATH_CONFIG or ./cleanpath.toml) > default. Secrets are masked.

    Example: CLEANPATH_POLICY=uk-huawei cleanpath settings
    """
    from cleanpath.settings import config_path, effective

    if format not in ("table", "json"):
        raise InputError(f"unknown format {format!r}; known: json, table", field="format")
    values = effective()
    if format == "json":
        rows = [{"name": v.setting.name, "value": v.shown(), "source": v.source,
                 "env": v.setting.env, "help": v.setting.help} for v in values]  # fmt: skip
        sys.stdout.write(json.dumps({"config_file": str(config_path() or ""), "settings": rows},
                                    indent=2) + "\n")  # fmt: skip
        return
    table = Table(title=plain(f"settings (config file: {config_path() or 'none'})"))
    for col in ("setting", "value", "source", "meaning"):
        table.add_column(col)
    for v in values:
        table.add_row(v.setting.name, plain(v.shown()), v.source,
                      plain(f"{v.setting.help} (${v.setting.env})"))  # fmt: skip
    console.print(table)
