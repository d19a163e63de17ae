"""Every output format carries the same figures and parses back."""

from __future__ import annotations

import csv
import io

import pytest

from eval.report import FORMATS, Report, render, report_runs


@pytest.fixture
def report(misi_run, scivideo_runs) -> Report:
    return report_runs([misi_run, *scivideo_runs], resamples=500)


def test_csv_parses_into_long_rows(report) -> None:
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert set(rows[0]) == {"section", "row", "column", "metric", "value"}
    index = {(r["section"], r["row"], r["column"], r["metric"]): r["value"] for r in rows}
    assert index[("misi", "r1/direct", "Avg", "weighted")] == "46.67"
    assert index[("misi", "r1/direct", "Rot", "weighted")] == "60.00"
    assert index[("misi", "r1/direct", "Dock", "weighted")] == ""  # no items: blank
    assert index[("misi_published", "Human", "Avg", "weighted")] == "81.18"
    assert index[("scivideo", "sv1/direct", "Overall", "accuracy")] == "25.00"
    assert index[("paired", "r1/tools vs r1/direct", "Avg", "diff")] == "34.17"
    assert index[("paired", "r1/tools vs r1/direct", "Avg", "wrong_to_right")] == "6"


def test_json_validates_back_into_the_model(report) -> None:
    again = Report.model_validate_json(render(report, "json"))
    assert again == report
    assert again.misi.rows[0].cells["Trans"].n == 3


def test_markdown_has_header_rows_and_figures(report) -> None:
    text = render(report, "markdown")
    assert "| Arm | Model | Access | Avg | Trans | Rot | Zoom | RL-Pos | RL-Neg | T+R | R+R | Dock |" in text
    assert "| r1/direct | m1 | images | 46.67* | 50.00 | 60.00 |" in text
    assert "| Human (published) |" in text
    assert "## B vs A: r1/tools vs r1/direct" in text
    assert "| Column | n | A % | B % | B − A | 95% CI |" in text


def test_table_text_shows_every_section(report) -> None:
    text = render(report, "table")
    for title in (
        "MiSI-Bench: weighted score (%)",
        "MiSI-Bench: exact match (%)",
        "SciVideoBench: accuracy (%)",
    ):
        assert title in text
    assert "46.67*" in text and "Claude Sonnet 4.5 (published)" in text
    assert "official parser (random fallback)" in text and "+58.33" in text


def test_unknown_format_is_refused(report) -> None:
    assert "json" in FORMATS
    with pytest.raises(ValueError, match="unknown report format"):
        render(report, "html")
