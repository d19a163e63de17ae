"""Parse and score a final text against an item, per benchmark."""

from __future__ import annotations

from dataclasses import dataclass

from eval.items import Item


@dataclass
class Verdict:
    parsed: str | None
    method: str
    parseable: bool
    score: float
    exact: bool
    column: str


def judge(item: Item, text: str | None, protocol: str = "default") -> Verdict:
    if item.benchmark == "misi":
        from eval.misi.parse import parse_answer
        from eval.misi.score import column_for, score_answer

        if text is None:
            return Verdict(None, "no_answer", False, 0.0, False, column_for(item.task, item.gold))
        parsed = parse_answer(text, item.answer_format)
        result = score_answer(item.answer_format, parsed, item.gold, task=item.task)
        return Verdict(parsed.value, parsed.method, parsed.ok, result.weighted, result.exact, result.column)
    from eval.scivideo.score import judge_choice  # SciVideoBench: A–J choices

    return judge_choice(item, text, protocol)
