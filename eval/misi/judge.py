"""Judging a MiSI-Bench final text: the task's parser, then the paper's scoring rules."""

from __future__ import annotations

from eval.benchmark import Verdict
from eval.items import Item
from eval.misi.parse import parse_answer
from eval.misi.score import column_for, score_answer


def judge_misi(item: Item, text: str | None) -> Verdict:
    if text is None:
        return Verdict(None, "no_answer", False, 0.0, False, column_for(item.task, item.gold))
    parsed = parse_answer(text, item.answer_format)
    result = score_answer(item.answer_format, parsed, item.gold, task=item.task)
    return Verdict(parsed.value, parsed.method, parsed.ok, result.weighted, result.exact, result.column)
