"""`agent score --item ID --answer TEXT`: parse and score one answer against an item's gold."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from agent.cli.errors import UsageProblem
from agent.cli.options import BenchDir, BenchName, bench_for_item


def score(
    item_id: str = typer.Option(..., "--item", help="Item id."),
    answer: str = typer.Option(..., "--answer", help="The model's answer text."),
    bench: str = BenchName,
    bench_dir: Path = BenchDir,
    protocol: str = typer.Option("default", "--protocol", help="SciVideoBench: default | official."),
) -> None:
    """Print the parsed answer, the weighted score and exact match as JSON."""
    from pydantic import ValidationError

    from eval.settings import SolveSettings

    try:
        settings = SolveSettings.model_validate({"protocol": protocol})
    except ValidationError:
        raise UsageProblem(f"unknown protocol '{protocol}' (valid: default, official)") from None
    benchmark = bench_for_item(item_id, bench, bench_dir)
    item = benchmark.item(item_id)
    verdict = benchmark.judge(item, answer, settings)
    typer.echo(
        json.dumps(
            {
                "item": item.id,
                "task": item.task,
                "parsed": verdict.parsed,
                "parse_method": verdict.method,
                "parseable": verdict.parseable,
                "gold": item.gold,
                "score": round(verdict.score, 6),
                "exact_match": verdict.exact,
                "column": verdict.column,
            },
            indent=1,
        )
    )
