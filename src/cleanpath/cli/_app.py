"""The typer application and the single place where errors become one red line."""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from cleanpath.errors import CleanpathError

app = typer.Typer(
    name="cleanpath",
    help="Find untrusted-vendor equipment, measure the traffic that crosses it, find clean paths.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)
_state: dict[str, Any] = {"debug": False}


def plain(value: object) -> str:
    r"""``value`` as text rich prints literally: names, paths and messages come from input
    files and may hold ``[...]``, which rich would read as markup (or fail on).

    >>> plain("core [/x]")
    'core \\[/x]'
    """
    return escape(str(value))


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
) -> None:
    """cleanpath: where is untrusted equipment, how much sensitive traffic crosses it,
    and how can it take a clean path."""
    _state["debug"] = debug


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning CleanpathError into one red line and exit 1."""
    try:
        code = app(args=argv, standalone_mode=False)
    except CleanpathError as exc:
        if _state["debug"]:
            raise
        err_console.print(f"[bold red]error:[/] {plain(exc)}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("[red]aborted[/]")
        sys.exit(130)
    except Exception as exc:
        # usage errors (missing/bad parameters) carry show() and exit_code
        show, exit_code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        raise
    if isinstance(code, int) and code:
        sys.exit(code)
