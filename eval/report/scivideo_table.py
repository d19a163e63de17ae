"""The SciVideoBench table: accuracy overall, per question type and per subject, per arm.

Accuracy = exact match; unparseable and errored items count as wrong and in n. Subject columns are the
release's `category` when every row has one, else its raw `discipline` values (eval.report.categories).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from eval.report.arms import OFFICIAL_LABEL, Arm, is_right
from eval.report.categories import (
    CATEGORIES,
    QUESTION_TYPES,
    SubjectField,
    clean,
    question_type_of,
    subject_field,
)
from eval.report.models import Accuracy, SciVideoRow, SciVideoTable
from eval.report.published import scivideo_published
from eval.run.results import ResultLine

NOTES = [
    "Accuracy in %. Unparseable and errored items count as wrong and in n.",
    "Published rows: arXiv 2510.08559 leaderboard; (CoT) rows are its chain-of-thought figures.",
]
CATEGORY_NOTE = "Subject columns: the release's `category` field, as the official code groups."
DISCIPLINE_NOTE = (
    "Subject columns: the rows' raw `discipline` values, as they are (the rows carry no `category`). "
    "The paper's four columns (Biology, Chemistry, Medicine, Physics) group by `category` and cannot be "
    "reproduced from the disciplines, so none of these columns is comparable with the paper's."
)


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


def scivideo_row(arm: Arm, subject: SubjectField = "discipline") -> SciVideoRow:
    lines = list(arm.results.values())
    types = _grouped(lines, "question_type", question_type_of)
    fields = _grouped(lines, subject, clean)
    known = CATEGORIES if subject == "category" else []
    return SciVideoRow(
        arm=arm.info.label,
        model=arm.info.model,
        access=arm.info.access,
        overall=accuracy(lines),
        by_type={t: accuracy(types.get(t, [])) for t in _ordered(QUESTION_TYPES, set(types))},
        by_discipline={d: accuracy(fields.get(d, [])) for d in _ordered(known, set(fields))},
    )


def scivideo_table(arms: list[Arm]) -> SciVideoTable | None:
    """None when no arm is a SciVideoBench arm."""
    chosen = [a for a in arms if a.info.benchmark == "scivideo"]
    if not chosen:
        return None
    subject = subject_field(line.metadata for a in chosen for line in a.results.values())
    rows = [scivideo_row(a, subject) for a in chosen]
    types = _ordered(QUESTION_TYPES, {t for r in rows for t in r.by_type})
    known = CATEGORIES if subject == "category" else []
    disciplines = _ordered(known, {d for r in rows for d in r.by_discipline})
    for row in rows:  # every row gets every column, so tables line up
        row.by_type = {t: row.by_type.get(t, Accuracy()) for t in types}
        row.by_discipline = {d: row.by_discipline.get(d, Accuracy()) for d in disciplines}
    notes = [*NOTES, CATEGORY_NOTE if subject == "category" else DISCIPLINE_NOTE]
    if any(a.info.protocol == "official" for a in chosen):
        notes.append(
            f"Arms marked '{OFFICIAL_LABEL}' used the official answer parser, which takes the first letter "
            "anywhere and guesses at random when it finds none: figures are for parity only."
        )
    return SciVideoTable(
        types=types,
        disciplines=disciplines,
        subject_field=subject,
        rows=rows,
        published=scivideo_published(),
        notes=notes,
    )
