"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import typer

from agent.cli.errors import UsageProblem

BenchDir = typer.Option(
    None,
    "--bench-dir",
    help="A benchmark directory built with `agent bench build` (default: the bundled one).",
)


def split_list(values: list[str] | None) -> list[str]:
    """Accept both `--tasks T1,T2` and `--tasks T1 --tasks T2`."""
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def check_tasks(values: list[str] | None, valid: list[str]) -> list[str]:
    tasks = [t.upper() for t in split_list(values)]
    unknown = [t for t in tasks if t not in valid]
    if unknown:
        raise UsageProblem(f"unknown task {', '.join(unknown)} (valid: {', '.join(valid)})")
    return tasks


def existing_dir(path: Path | None, what: str) -> Path | None:
    if path is not None and not path.is_dir():
        raise UsageProblem(f"{what} {path}: no such directory")
    return path
