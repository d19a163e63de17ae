"""The report as text: rich tables, markdown, csv (long form) or json (the Report model)."""

from __future__ import annotations

import csv
import io

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from eval.report.models import Accuracy, MisiCell, Report
from eval.report.sections import Section, p_value, pct, sections

FORMATS = ("table", "markdown", "csv", "json")
CSV_FIELDS = ["section", "row", "column", "metric", "value"]


def _table(section: Section, columns: list[int], title: str, notes: bool) -> Table:
    # Text everywhere: arm labels, model names and notes come from run directories and manifests, and
    # must never be read as console markup.
    table = Table(title=Text(title), title_justify="left", caption_justify="left")
    for i in columns:
        table.add_column(Text(section.headers[i]), justify="left" if i == 0 else "right", no_wrap=True)
    for r, row in enumerate(section.rows):
        table.add_row(
            *(Text(row[i]) for i in columns),
            end_section=section.published_from is not None and r == section.published_from - 1,
        )
    if notes and section.notes:
        table.caption = Text("\n".join(section.notes))
    return table


def _width(section: Section, i: int) -> int:
    return max([cell_len(section.headers[i])] + [cell_len(row[i]) for row in section.rows])


def _pack(needs: list[int], key: int, capacity: int) -> list[list[int]]:
    """Columns 1.. in order, in groups whose widths (plus the repeated first column) fit `capacity`."""
    groups: list[list[int]] = [[]]
    used = key
    for i, need in enumerate(needs, start=1):
        if groups[-1] and used + need > capacity:
            groups.append([])
            used = key
        groups[-1].append(i)
        used += need
    return groups


def _rich_tables(section: Section, width: int | None) -> list[Table]:
    """The section as one table, or, when it is wider than `width`, as several tables with the first
    column repeated and the others shared out evenly between them: a number is never cut or wrapped."""
    n = len(section.headers)
    if width is None:
        return [_table(section, list(range(n)), section.title, True)]
    key = _width(section, 0) + 4  # each column: 2 padding + 1 rule; the table: 1 closing rule
    needs = [_width(section, i) + 3 for i in range(1, n)]
    groups = _pack(needs, key, width)
    if len(groups) == 1:
        return [_table(section, list(range(n)), section.title, True)]
    # The narrowest capacity giving as few groups, so the last group is not a lone column.
    floor = key + max(needs)
    capacity = next(c for c in range(floor, width + 1) if len(_pack(needs, key, c)) == len(groups))
    groups = _pack(needs, key, capacity)
    return [
        _table(section, [0, *g], f"{section.title} ({k} of {len(groups)})", k == len(groups))
        for k, g in enumerate(groups, start=1)
    ]


def rich_renderables(report: Report, width: int | None = None) -> RenderableType:
    """The report as rich tables; with `width`, each section fits in that many columns."""
    parts: list[RenderableType] = []
    for section in sections(report):
        for table in _rich_tables(section, width):
            parts += [table, Text("")]
    parts.extend(Text(note) for note in report.notes)
    return Group(*parts)


def _table_text(report: Report, width: int) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    console.print(rich_renderables(report, width))
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
