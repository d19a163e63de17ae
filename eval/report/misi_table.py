"""The MiSI-Bench table: per arm, weighted score and exact match in the paper's columns.

Unparseable and errored items score 0 and count in n, as a wrong answer would. Avg follows
eval.misi.score.aggregate: the mean of the AVG_COLUMNS (T+R and R+R excluded) that have items; when some
are missing the row says which, since such an Avg is not comparable with the paper's.
"""

from __future__ import annotations

from collections import defaultdict

from eval.misi.score import AVG_COLUMNS, COLUMNS, aggregate
from eval.report.arms import Arm, is_right, misi_column, score_of
from eval.report.models import MisiCell, MisiRow, MisiTable
from eval.report.published import misi_published
from eval.run.results import ResultLine

NOTES = [
    "Weighted score and exact match in %. Avg = mean of the 8 columns other than T+R and R+R.",
    "Unparseable and errored items score 0 and count in n.",
    "A column with no items is blank; Avg is then taken over the columns present and marked *.",
    "Published rows: Table 1 of arXiv 2512.10867 (weighted score; MiSI-Bench tiny, except the SFT row).",
]


def _cell(lines: list[ResultLine]) -> MisiCell:
    n = len(lines)
    return MisiCell(
        n=n,
        weighted=100.0 * sum(score_of(x) for x in lines) / n,
        exact=100.0 * sum(is_right(x) for x in lines) / n,
        unparseable=sum(x.status == "unparseable" for x in lines),
        error=sum(x.status == "error" for x in lines),
    )


def misi_row(arm: Arm) -> MisiRow:
    by_column: dict[str, list[ResultLine]] = defaultdict(list)
    for line in arm.results.values():
        by_column[misi_column(line)].append(line)
    cells = {c: _cell(by_column[c]) if by_column.get(c) else MisiCell() for c in COLUMNS}
    avg = aggregate((c, score_of(x), is_right(x)) for c in AVG_COLUMNS for x in by_column.get(c, []))["Avg"]
    return MisiRow(
        arm=arm.info.label,
        model=arm.info.model,
        access=arm.info.access,
        cells=cells,
        avg_weighted=avg["weighted"],
        avg_exact=avg["exact"],
        avg_columns=avg["columns"],
        avg_missing=avg["missing"],
        other_columns={c: len(v) for c, v in sorted(by_column.items()) if c not in COLUMNS},
    )


def misi_table(arms: list[Arm]) -> MisiTable | None:
    """None when no arm is a MiSI-Bench arm."""
    misi_arms = [a for a in arms if a.info.benchmark == "misi"]
    rows = [misi_row(a) for a in misi_arms]
    if not rows:
        return None
    notes = list(NOTES)
    for arm, row in zip(misi_arms, rows):
        bare = sum(1 for line in arm.results.values() if line.has_structure is False)
        if arm.info.access == "structure" and bare:
            notes.append(
                f"{row.arm}: {bare} of {len(arm.results)} items had no structure and ran with images only."
            )
        if row.avg_missing and row.avg_columns:
            notes.append(
                f"{row.arm}: Avg* over {len(row.avg_columns)} of 8 columns "
                f"(missing {', '.join(row.avg_missing)})."
            )
        if row.other_columns:
            extra = ", ".join(f"{c} ({n})" for c, n in row.other_columns.items())
            notes.append(f"{row.arm}: items outside the paper's columns, not shown: {extra}.")
    return MisiTable(columns=list(COLUMNS), rows=rows, published=misi_published(), notes=notes)
