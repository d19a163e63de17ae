"""`agent trace list|show|compare` (placeholder)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Inspect the traces of a run in the terminal.", no_args_is_help=True)
