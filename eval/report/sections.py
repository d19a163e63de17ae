"""The report laid out as titled tables of strings, shared by the rich and markdown renderers."""

from __future__ import annotations

from dataclasses import dataclass, field

from eval.report.layouts import layout_for
from eval.report.models import Accuracy, MisiCell, MisiTable, PairComparison, Report, SciVideoTable


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list[str]]
    published_from: int | None = None  # index of the first published row, drawn under a rule
    notes: list[str] = field(default_factory=list)


def pct(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def signed(value: float) -> str:
    return f"{value:+.2f}"


def p_value(value: float) -> str:
    return f"{value:.4g}"


def _counts(cell: MisiCell | Accuracy) -> str:
    if cell.n == 0:
        return ""
    extra = [f"{k}{c}" for k, c in (("u", cell.unparseable), ("e", cell.error)) if c]
    return f"{cell.n} ({', '.join(extra)})" if extra else str(cell.n)


def _misi_sections(table: MisiTable) -> list[Section]:
    cols = table.columns
    weighted, exact, counts = [], [], []
    for row in table.rows:
        star = "*" if row.avg_missing and row.avg_columns else ""
        head = [row.arm, row.model, row.access]
        weighted.append([*head, pct(row.avg_weighted) + star, *(pct(row.cells[c].weighted) for c in cols)])
        exact.append([*head, pct(row.avg_exact) + star, *(pct(row.cells[c].exact) for c in cols)])
        n = sum(c.n for c in row.cells.values())
        u = sum(c.unparseable for c in row.cells.values())
        e = sum(c.error for c in row.cells.values())
        counts.append([row.arm, str(n), str(u), str(e), *(_counts(row.cells[c]) for c in cols)])
    start = len(weighted)
    for pub in table.published:
        weighted.append(
            [f"{pub.label} ({pub.source})", "", "", pct(pub.values.get("Avg"))]
            + [pct(pub.values.get(c)) for c in cols]
        )
    headers = ["Arm", "Model", "Access", "Avg", *cols]
    return [
        Section("MiSI-Bench: weighted score (%)", headers, weighted, start, table.notes),
        Section("MiSI-Bench: exact match (%)", headers, exact),
        Section(
            "MiSI-Bench: items per column",
            ["Arm", "n", "unparseable", "error", *cols],
            counts,
            notes=["Cells: n (u = unparseable, e = error)."],
        ),
    ]


def _scivideo_section(table: SciVideoTable) -> Section:
    rows = []
    for row in table.rows:
        cells = [row.overall, *row.by_type.values(), *row.by_discipline.values()]
        rows.append(
            [
                row.arm,
                row.model,
                row.access,
                str(row.overall.n),
                *(pct(c.accuracy) for c in cells),
                str(row.overall.unparseable),
                str(row.overall.error),
            ]
        )
    start = len(rows)
    for pub in table.published:
        rows.append(
            [
                f"{pub.label} ({pub.source})",
                "",
                "",
                "",
                pct(pub.values.get("Overall")),
                *(pct(pub.values.get(t)) for t in table.types),
                *("" for _ in table.disciplines),
                "",
                "",
            ]
        )
    headers = [
        "Arm",
        "Model",
        "Access",
        "n",
        "Overall",
        *table.types,
        *table.disciplines,
        "unparseable",
        "error",
    ]
    return Section("SciVideoBench: accuracy (%)", headers, rows, start, table.notes)


def _pair_section(pair: PairComparison, confidence: float) -> Section:
    rows = [
        [
            s.column,
            str(s.n),
            pct(s.a),
            pct(s.b),
            signed(s.diff),
            f"[{signed(s.ci_low)}, {signed(s.ci_high)}]",
            str(s.wrong_to_right),
            str(s.right_to_wrong),
            p_value(s.mcnemar_p),
        ]
        for s in pair.stats
    ]
    notes = [f"A = {pair.a}; B = {pair.b}; {pair.n_shared} shared items."]
    if (avg_note := layout_for(pair.benchmark).avg_note) is not None:
        notes.append(avg_note)
    if pair.only_a or pair.only_b:
        notes.append(f"Left out: {pair.only_a} items only in A, {pair.only_b} only in B.")
    return Section(
        f"B vs A: {pair.b} vs {pair.a}",
        [
            "Column",
            "n",
            "A %",
            "B %",
            "B − A",
            f"{round(100 * confidence)}% CI",
            "wrong→right",
            "right→wrong",
            "McNemar p",
        ],
        rows,
        notes=notes,
    )


def sections(report: Report) -> list[Section]:
    out: list[Section] = []
    if report.misi:
        out.extend(_misi_sections(report.misi))
    if report.scivideo:
        out.append(_scivideo_section(report.scivideo))
    out.extend(_pair_section(p, report.bootstrap.confidence) for p in report.paired)
    return out
