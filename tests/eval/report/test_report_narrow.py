"""The report at 80 columns (a small terminal, or a pipe): every line fits and every number is whole."""

from __future__ import annotations

import re

import pytest

from agent.cli import main
from eval.report import render, report_runs
from eval.report.sections import sections

NUMBER = re.compile(r"^[+-]?\d")


def _cells(report) -> list[str]:
    return [c for s in sections(report) for row in s.rows for c in row if NUMBER.match(c)]


@pytest.mark.parametrize("width", [80, 100])
def test_every_number_is_whole_at_narrow_widths(misi_run, scivideo_runs, width) -> None:
    for runs in ([misi_run], scivideo_runs):
        report = report_runs(runs, resamples=200)
        text = render(report, "table", width=width)
        assert "…" not in text
        assert max(len(line) for line in text.splitlines()) <= width
        for cell in _cells(report):  # whole, not split over two lines
            assert re.search(rf"(?<![\d.+-]){re.escape(cell)}(?![\d.])", text), cell


def test_the_command_fits_the_terminal_it_is_given(misi_run, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as done:
        main(["report", str(misi_run), "--resamples", "200"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert "…" not in out and max(len(line) for line in out.splitlines()) <= 80
    report = report_runs([misi_run], resamples=200)
    assert all(cell in out for cell in _cells(report))
