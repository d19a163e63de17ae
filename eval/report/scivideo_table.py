"""The SciVideoBench table: accuracy overall, per question type and per discipline, per arm.

Accuracy = exact match; unparseable and errored items count as wrong and in n. Disciplines are mapped
from the raw field as eval.report.categories documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from eval.report.arms import OFFICIAL_LABEL, Arm, is_right
from eval.report.categories import DISCIPLINES, QUESTION_TYPES, discipline_of, question_type_of
from eval.report.models import Accuracy, SciVideoRow, SciVideoTable
from eval.report.published import scivideo_published
from eval.run.results import ResultLine

NOTES = [
    "Accuracy in %. Unparseable and errored items count as wrong and in n.",
    "Disciplines mapped from the raw field (eval/report/categories.py); unmapped values listed as they are.",
    "Published rows: arXiv 2510.08559 leaderboard; (CoT) rows are its chain-of-thought figures.",
]


def accuracy(lines: list[ResultLine]) -> Accuracy:
    if not lines:
        return Accuracy()
    correct = sum(is_right(x) for x in lines)
    return Accuracy(
        n=len(lines),
        correct=correct,
        accuracy=100.0 * correct / len(lines),
        unparseable=sum(x.status == "unparseable" for x in lines),
        error=sum(x.status == "error" for x in lines),
    )


def _grouped(
    lines: list[ResultLine], key: str, to_name: Callable[[object], str]
) -> dict[str, list[ResultLine]]:
    out: dict[str, list[ResultLine]] = defaultdict(list)
    for line in lines:
        out[to_name(line.metadata.get(key))].append(line)
    return out


def _ordered(known: list[str], present: set[str]) -> list[str]:
    return known + sorted(present - set(known))


def scivideo_row(arm: Arm) -> SciVideoRow:
    lines = list(arm.results.values())
    types = _grouped(lines, "question_type", question_type_of)
    fields = _grouped(lines, "discipline", discipline_of)
    return SciVideoRow(
        arm=arm.info.label,
        model=arm.info.model,
        access=arm.info.access,
        overall=accuracy(lines),
        by_type={t: accuracy(types.get(t, [])) for t in _ordered(QUESTION_TYPES, set(types))},
        by_discipline={d: accuracy(fields.get(d, [])) for d in _ordered(DISCIPLINES, set(fields))},
    )


def scivideo_table(arms: list[Arm]) -> SciVideoTable | None:
    """None when no arm is a SciVideoBench arm."""
    chosen = [a for a in arms if a.info.benchmark == "scivideo"]
    if not chosen:
        return None
    rows = [scivideo_row(a) for a in chosen]
    types = _ordered(QUESTION_TYPES, {t for r in rows for t in r.by_type})
    disciplines = _ordered(DISCIPLINES, {d for r in rows for d in r.by_discipline})
    for row in rows:  # every row gets every column, so tables line up
        row.by_type = {t: row.by_type.get(t, Accuracy()) for t in types}
        row.by_discipline = {d: row.by_discipline.get(d, Accuracy()) for d in disciplines}
    notes = list(NOTES)
    if any(a.info.protocol == "official" for a in chosen):
        notes.append(
            f"Arms marked '{OFFICIAL_LABEL}' used the official answer parser, which takes the first letter "
            "anywhere and guesses at random when it finds none: figures are for parity only."
        )
    return SciVideoTable(
        types=types, disciplines=disciplines, rows=rows, published=scivideo_published(), notes=notes
    )
