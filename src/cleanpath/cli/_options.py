"""Options shared by the commands that audit a network (audit, check, plan, reroute) and by
the commands that open the results database, declared once so their names, types and help
stay the same everywhere.

Help texts name the setting an option falls back to as ``(setting NAME, default X)``: typer
renders help as rich markup, where ``[setting ...]`` would be swallowed as a style tag.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "AsOf", "Db", "Demands", "Engine", "Inventory", "NetworkArg", "Policy", "Scheduler", "Seed",
    "Sites", "UnknownUntrusted", "UntrustedNodes", "Weight",
]  # fmt: skip

NetworkArg = Annotated[
    Path,
    typer.Argument(help="Topology file: GraphML, SNDlib, node-link JSON, or discover result.json."),
]
Inventory = Annotated[list[Path] | None, typer.Option(help="Device inventory CSV (repeatable).")]
UntrustedNodes = Annotated[str | None, typer.Option(help="Untrusted node ids: ID,ID,... or @FILE.")]
Demands = Annotated[
    str | None, typer.Option(help="Demands: a CSV/SNDlib file, 'all-pairs', or 'gravity'.")
]
Sites = Annotated[
    Path | None,
    typer.Option(help="Sites CSV (name,lat,lon[,kind,country,source]); kind hub, capital, "
                 "exchange or ixp marks a hub."),
]  # fmt: skip
Weight = Annotated[
    str | None,
    typer.Option(help="Link weight: auto, unit, distance or an attribute "
                 "(setting weight, default auto)."),
]  # fmt: skip
Policy = Annotated[
    str | None,
    typer.Option(help="Policy: us-fcc, us-889, uk-huawei, de-5g, au-5g "
                 "(setting policy, default us-fcc)."),
]  # fmt: skip
AsOf = Annotated[str | None, typer.Option(help="Verdict date YYYY-MM-DD (default today).")]
UnknownUntrusted = Annotated[bool, typer.Option(help="Treat devices of unknown make as untrusted.")]
Seed = Annotated[int, typer.Option(help="Seed for generated demands.")]
Engine = Annotated[
    str | None,
    typer.Option(help="Exposure engine: local, or dask (a LocalCluster unless --scheduler) "
                 "(setting engine, default local)."),
]  # fmt: skip
Scheduler = Annotated[
    str | None,
    typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786, with --engine dask "
                 "(setting scheduler)."),
]  # fmt: skip
Db = Annotated[
    Path | None,
    typer.Option(help="Results database (setting db, default ./cleanpath.duckdb)."),
]
