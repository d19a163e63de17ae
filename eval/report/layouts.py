"""How a benchmark's results are laid out in reports: the column of a result line, the column order, and
the pooled summary row. Reports look a benchmark up here instead of testing its name; a benchmark with no
layout of its own is reported by each line's recorded column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from eval.misi.score import AVG_COLUMNS, COLUMNS
from eval.report.arms import misi_column
from eval.report.categories import QUESTION_TYPES, question_type_of
from eval.run.results import ResultLine


@dataclass(frozen=True)
class Layout:
    group: Callable[[ResultLine], str]  # the report column a result line counts in
    columns: Sequence[str] = ()  # report order; columns not listed follow, sorted
    avg_columns: Sequence[str] = ()  # pooled into an "Avg" row (mean of column means); none: "Overall"
    avg_note: str | None = None  # how the summary row is made, for the report's notes


def _recorded_column(line: ResultLine) -> str:
    return line.column or line.task


MISI = Layout(
    group=misi_column,
    columns=COLUMNS,
    avg_columns=AVG_COLUMNS,
    avg_note="Avg: mean of the Avg columns' differences; its n and flips pool those columns' items.",
)
SCIVIDEO = Layout(
    group=lambda line: question_type_of(line.metadata.get("question_type")), columns=QUESTION_TYPES
)
_LAYOUTS = {"misi": MISI, "scivideo": SCIVIDEO}


def layout_for(benchmark: str) -> Layout:
    return _LAYOUTS.get(benchmark, Layout(group=_recorded_column))
