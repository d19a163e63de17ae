"""The report as text: rich tables, markdown, csv (long form) or json (the Report model)."""

from __future__ import annotations

import csv
import io

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from eval.report.models import Accuracy, MisiCell, Report
from eval.report.sections import Section, p_value, pct, sections

FORMATS = ("table", "markdown", "csv", "json")
CSV_FIELDS = ["section", "row", "column", "metric", "value"]


def _rich_table(section: Section) -> Table:
    table = Table(title=section.title, title_justify="left", caption_justify="left")
    for i, header in enumerate(section.headers):
        table.add_column(header, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for i, row in enumerate(section.rows):
        table.add_row(
            *row, end_section=section.published_from is not None and i == section.published_from - 1
        )
    if section.notes:
        table.caption = "\n".join(section.notes)
    return table


def rich_renderables(report: Report) -> RenderableType:
    parts: list[RenderableType] = []
    for section in sections(report):
        parts += [_rich_table(section), Text("")]
    parts.extend(Text(note) for note in report.notes)
    return Group(*parts)


def _table_text(report: Report, width: int) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    console.print(rich_renderables(report))
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown(report: Report) -> str:
    lines: list[str] = []
    for section in sections(report):
        lines += [f"## {section.title}", ""]
        lines.append("| " + " | ".join(_md_cell(h) for h in section.headers) + " |")
        lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(section.headers))) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in section.rows]
        if section.notes:
            lines.append("")
            lines += [f"- {note}" for note in section.notes]
        lines.append("")
    lines += [f"{note}\n" for note in report.notes]
    return "\n".join(lines).rstrip() + "\n"


def _cell_rows(section: str, row: str, column: str, cell: MisiCell | Accuracy) -> list[list[str]]:
    if isinstance(cell, MisiCell):
        values = {"weighted": pct(cell.weighted), "exact": pct(cell.exact)}
    else:
        values = {"accuracy": pct(cell.accuracy), "correct": str(cell.correct)}
    values |= {"n": str(cell.n), "unparseable": str(cell.unparseable), "error": str(cell.error)}
    return [[section, row, column, k, v] for k, v in values.items()]


def _csv_rows(report: Report) -> list[list[str]]:
    out: list[list[str]] = []
    if report.misi:
        for r in report.misi.rows:
            out += [
                ["misi", r.arm, "Avg", "weighted", pct(r.avg_weighted)],
                ["misi", r.arm, "Avg", "exact", pct(r.avg_exact)],
                ["misi", r.arm, "Avg", "columns", " ".join(r.avg_columns)],
            ]
            for column, cell in r.cells.items():
                out += _cell_rows("misi", r.arm, column, cell)
        for p in report.misi.published:
            out += [["misi_published", p.label, c, "weighted", pct(v)] for c, v in p.values.items()]
    if report.scivideo:
        for v in report.scivideo.rows:
            out += _cell_rows("scivideo", v.arm, "Overall", v.overall)
            for column, accuracy in {**v.by_type, **v.by_discipline}.items():
                out += _cell_rows("scivideo", v.arm, column, accuracy)
        for p in report.scivideo.published:
            out += [["scivideo_published", p.label, c, "accuracy", pct(v)] for c, v in p.values.items()]
    for pair in report.paired:
        name = f"{pair.b} vs {pair.a}"
        for s in pair.stats:
            values = {
                "n": str(s.n),
                "a": pct(s.a),
                "b": pct(s.b),
                "diff": pct(s.diff),
                "ci_low": pct(s.ci_low),
                "ci_high": pct(s.ci_high),
                "wrong_to_right": str(s.wrong_to_right),
                "right_to_wrong": str(s.right_to_wrong),
                "mcnemar_p": p_value(s.mcnemar_p),
            }
            out += [["paired", name, s.column, k, v] for k, v in values.items()]
    return out


def _csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    writer.writerows(_csv_rows(report))
    return buffer.getvalue()


def render(report: Report, fmt: str = "table", *, width: int = 200) -> str:
    """The report as text in one of FORMATS; `width` is for the plain-text rich tables."""
    if fmt == "table":
        return _table_text(report, width)
    if fmt == "markdown":
        return _markdown(report)
    if fmt == "csv":
        return _csv(report)
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    raise ValueError(f"unknown report format {fmt!r} (valid: {', '.join(FORMATS)})")
