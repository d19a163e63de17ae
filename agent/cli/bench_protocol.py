"""The printed outcome of `agent bench build`: per-task tables, skipped complexes, and the exit code when
nothing could be built."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.table import Table

from agent.cli.console import say
from eval.misi.build.builder import BuildSummary
from eval.misi.build.paper import SplitBuildSummary
from eval.misi.build.protocol import QUOTAS

_QUOTA_OF = {"T4": ("T4+", "T4-"), "T8": ("T8",)}


def print_skipped(console: Console, summary: BuildSummary, prefix: str = "") -> None:
    for pdb_id, reason in summary.skipped_complexes.items():
        say(console, (f"skipped complex {prefix}{pdb_id}", "yellow"), f": {reason}")


def fail_if_empty(total_items: int, summaries: list[BuildSummary], source: str) -> None:
    """Exit 1 with one line when no item at all was built (every complex skipped, or none planned)."""
    if total_items:
        return
    skipped = {k: v for s in summaries for k, v in s.skipped_complexes.items()}
    if skipped:
        first, why = next(iter(skipped.items()))
        detail = f"all {len(skipped)} complexes were skipped (first, {first}: {why})"
    else:
        detail = "no item could be planned from its complexes"
    print(f"error: nothing was built from {source}: {detail}", file=sys.stderr)
    raise typer.Exit(1)


def print_protocol(console: Console, result: SplitBuildSummary) -> None:
    """One table per split: items per task against the protocol's target."""
    for split, summary in result.splits.items():
        goal = result.targets[split]
        table = Table(title=f"{split}: {goal.complexes} complexes ({len(result.assignment[split])} assigned)")
        for col in ("task", "items", "protocol", "skipped"):
            table.add_column(col, justify="left" if col == "task" else "right")
        for task in sorted(summary.items.keys() | summary.skipped_items.keys()):
            if task in _QUOTA_OF:
                want = sum(goal.quota_totals[q] for q in _QUOTA_OF[task])
            else:
                want = goal.per_complex.get(task, 0) * goal.complexes
                want = want if task != "T9" else goal.complexes  # at most: complexes with a hydrogen bond
            skipped = len(summary.skipped_items.get(task, []))
            table.add_row(task, str(summary.items.get(task, 0)), str(want), str(skipped))
        console.print(table)
        console.print(
            f"{split}: {sum(summary.items.values())} items, {summary.images} images "
            f"({summary.rendered} rendered now)",
            highlight=False,
        )
        for quota in QUOTAS:
            note = result.shortfalls.get(split, {}).get(quota)
            if note:
                say(console, (f"{split} {quota} short", "yellow"), f": {note}")
        if result.removed_items.get(split):
            console.print(f"{split}: removed {result.removed_items[split]} items no longer planned")
        print_skipped(console, summary, prefix="")
