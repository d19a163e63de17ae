"""`agent report --plot DIR`: real matplotlib figures, PNG and SVG, drawn from the report's numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from agent.cli import main
from eval.report import load_arms
from eval.report.build import build_report

pytest.importorskip("matplotlib")
from matplotlib.collections import LineCollection  # noqa: E402

from eval.report.plots import reasoning_figure, scores_figure, write_plots  # noqa: E402

STEMS = ("scores", "flips", "reasoning")


def _svg_text(path) -> str:
    root = ET.parse(path).getroot()  # a well-formed SVG document
    assert root.tag.endswith("svg")
    return path.read_text()


def test_plot_option_writes_png_and_svg_of_every_figure(misi_run, scivideo_runs, tmp_path, capsys) -> None:
    out = tmp_path / "figures"
    with pytest.raises(SystemExit) as done:
        main(["report", str(misi_run), *map(str, scivideo_runs), "--plot", str(out), "--resamples", "200"])
    assert done.value.code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{s}.{f}" for s in STEMS for f in ("png", "svg"))
    for stem in STEMS:
        with Image.open(out / f"{stem}.png") as png:
            assert png.format == "PNG" and png.width > 600 and png.height > 300
    scores = _svg_text(out / "scores.svg")
    # both benchmarks' panels, each arm, and the published rows beside them
    for label in ("MiSI-Bench", "SciVideoBench", "r1/direct", "r1/tools", "sv1/direct", "Human (published)"):
        assert label in scores, label
    flips = _svg_text(out / "flips.svg")
    assert "B = r1/tools vs A = r1/direct" in flips
    assert "reasoning length" in _svg_text(out / "reasoning.svg")


def test_bars_and_intervals_are_the_table_figures(misi_run) -> None:
    arms = load_arms([misi_run])
    report = build_report(arms, resamples=300)
    fig = scores_figure(arms, report)
    ax = fig.axes[0]
    bars = list(ax.patches)
    heights = sorted(round(b.get_height(), 6) for b in bars)
    expected = []
    for row in report.misi.rows:
        expected.append(round(row.avg_weighted, 6))
        expected += [round(c.weighted, 6) for c in row.cells.values() if c.n]
    assert heights == sorted(expected)
    # one interval per bar, around the bar's height
    segments = [s for c in ax.collections if isinstance(c, LineCollection) for s in c.get_segments()]
    centres = {round(b.get_x() + b.get_width() / 2, 6): b.get_height() for b in bars}
    assert len(segments) == len(bars)
    for segment in segments:
        low, high = sorted((segment[0][1], segment[1][1]))
        assert low - 1e-9 <= centres[round(segment[0][0], 6)] <= high + 1e-9


def test_figures_need_arms_and_pairs(misi_run, tmp_path) -> None:
    arms = load_arms([misi_run], modes=["tools"])
    report = build_report(arms, resamples=200)
    written = write_plots(arms, report, tmp_path)
    # one arm, so no pair and no flips figure
    assert sorted(p.stem for p in written) == ["reasoning", "reasoning", "scores", "scores"]
    assert reasoning_figure([]) is None
