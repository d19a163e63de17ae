"""`agent score --item ID --answer TEXT`: parse and score one answer against an item's gold."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from agent.cli.options import BenchDir, existing_dir
from eval.bench import open_benchmark
from eval.misi.parse import parse_answer
from eval.misi.score import score_answer


def score(
    item_id: str = typer.Option(..., "--item", help="Item id."),
    answer: str = typer.Option(..., "--answer", help="The model's answer text."),
    bench_dir: Path = BenchDir,
) -> None:
    """Print the parsed answer, the weighted score and exact match as JSON."""
    item = open_benchmark(existing_dir(bench_dir, "--bench-dir")).item(item_id)
    parsed = parse_answer(answer, item.answer_format)
    result = score_answer(item.answer_format, parsed, item.gold, task=item.task)
    typer.echo(
        json.dumps(
            {
                "item": item.id,
                "task": item.task,
                "parsed": parsed.value,
                "parse_method": parsed.method,
                "parseable": parsed.ok,
                "gold": item.gold,
                "score": round(result.weighted, 6),
                "exact_match": result.exact,
                "column": result.column,
            },
            indent=1,
        )
    )
