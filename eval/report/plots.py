"""Figures of a report, written as PNG and SVG with matplotlib (Agg, no display needed).

- scores: per column, each arm's score with its 95% percentile bootstrap interval (items resampled within
  the column; MiSI Avg stratified by column as in the table), beside the published rows as open markers.
  MiSI: weighted score; SciVideoBench: accuracy. Unparseable and errored items count 0, as in the tables.
- flips: for every pair of arms, exact-match flips per column, wrong→right up and right→wrong down.
- reasoning: per arm, reasoning length (characters of model text and reasoning) against the item's
  score, coloured by outcome, with Spearman's ρ in the title.

Needs the optional `matplotlib` package (`pip install 'molspatial-agent[plots]'`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: files only, whatever the environment's backend

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from eval.report.arms import Arm, is_right, score_of  # noqa: E402
from eval.report.layouts import Layout, layout_for  # noqa: E402
from eval.report.models import PairComparison, PublishedRow, Report  # noqa: E402
from eval.report.stats import bootstrap_ci  # noqa: E402
from eval.run.results import ResultLine  # noqa: E402
from eval.run.traces import spearman  # noqa: E402

FORMATS = ("png", "svg")
OUTCOME_COLOURS = {"correct": "#1b9e77", "wrong": "#d95f02", "unparseable": "#7570b3", "error": "#666666"}
# matplotlib's tab10 palette
ARM_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
PUBLISHED_MARKERS = "os^Dvp*hX<>"
MAX_PUBLISHED = 4  # the first rows of each published table; more crowd the figure
MAX_LABELLED_ARMS = 4


def _value(line: ResultLine) -> float:
    """The figure's per-item value: exact match for SciVideoBench (its tables' accuracy), else the
    weighted score (0–1)."""
    return float(is_right(line)) if line.benchmark == "scivideo" else score_of(line)


def _columns(arm: Arm) -> dict[str, list[ResultLine]]:
    out: dict[str, list[ResultLine]] = defaultdict(list)
    for line in arm.results.values():
        out[layout_for(line.benchmark).group(line)].append(line)
    return out


def _estimate(strata: list[list[float]], report: Report) -> tuple[float, float, float]:
    mean = sum(sum(s) / len(s) for s in strata) / len(strata)
    boot = report.bootstrap
    low, high = bootstrap_ci(strata, resamples=boot.resamples, seed=boot.seed, confidence=boot.confidence)
    return 100 * mean, 100 * low, 100 * high


def _summary_name(layout: Layout) -> str:
    return "Avg" if layout.avg_columns else "Overall"


def _arm_points(arm: Arm, layout: Layout, columns: list[str], report: Report) -> dict[str, tuple]:
    groups = {c: [_value(x) for x in lines] for c, lines in _columns(arm).items()}
    points = {}
    if layout.avg_columns:  # mean of column means, resampled within each column, as the table's Avg
        strata = [groups[c] for c in layout.avg_columns if groups.get(c)]
    else:
        strata = [[v for vs in groups.values() for v in vs]]
    if strata and strata[0]:
        points[_summary_name(layout)] = _estimate(strata, report)
    for column in columns:
        if column not in points and groups.get(column):
            points[column] = _estimate([groups[column]], report)
    return points


def _scores_axes(ax, arms: list[Arm], benchmark: str, report: Report) -> None:
    layout = layout_for(benchmark)
    chosen = [a for a in arms if a.info.benchmark == benchmark]
    present = {c for a in chosen for c in _columns(a)}
    listed = list(layout.columns)
    columns = [_summary_name(layout), *listed, *sorted(present - set(listed))]
    if benchmark == "misi":
        published, ylabel = (report.misi.published if report.misi else []), "weighted score (%)"
    elif benchmark == "scivideo":
        published, ylabel = (report.scivideo.published if report.scivideo else []), "accuracy (%)"
    else:
        published, ylabel = [], "score (%)"
    width = 0.8 / max(len(chosen), 1)
    for i, arm in enumerate(chosen):
        points = _arm_points(arm, layout, columns, report)
        xs = [columns.index(c) - 0.4 + width * (i + 0.5) for c in columns if c in points]
        ys = [points[c][0] for c in columns if c in points]
        lows = [points[c][0] - points[c][1] for c in columns if c in points]
        highs = [points[c][2] - points[c][0] for c in columns if c in points]
        colour = ARM_COLOURS[i % len(ARM_COLOURS)]
        label = f"{arm.info.label} (n={arm.info.n_items})"
        # the edge keeps a 0% bar visible as a line on the axis
        ax.bar(xs, ys, width * 0.9, color=colour, alpha=0.75, edgecolor=colour, linewidth=1.2, label=label)
        ax.errorbar(xs, ys, yerr=[lows, highs], fmt="none", ecolor="black", elinewidth=1, capsize=2)
        if len(chosen) <= MAX_LABELLED_ARMS:  # values on the bars while they stay readable
            for x, y in zip(xs, ys):
                ax.annotate(f"{y:.0f}", (x, y), ha="center", va="bottom", fontsize=6, xytext=(0, 1),
                            textcoords="offset points")  # fmt: skip
    for j, row in enumerate(_published(published)):
        xs = [columns.index(c) for c in columns if row.values.get(c) is not None]
        ys = [row.values[c] for c in columns if row.values.get(c) is not None]
        ax.scatter(
            xs, ys, marker=PUBLISHED_MARKERS[j % len(PUBLISHED_MARKERS)], facecolors="none",
            edgecolors="black", s=36, zorder=3, label=f"{row.label} (published)",
        )  # fmt: skip
    ax.set_xticks(range(len(columns)), columns)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 105)
    ax.grid(axis="y", alpha=0.3)
    name = "MiSI-Bench" if benchmark == "misi" else "SciVideoBench"
    ax.set_title(f"{name}: per column, with {round(100 * report.bootstrap.confidence)}% bootstrap intervals")
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)


def _published(rows: list[PublishedRow]) -> list[PublishedRow]:
    return [r for r in rows if "(CoT)" not in r.label][:MAX_PUBLISHED]


def scores_figure(arms: list[Arm], report: Report) -> Figure | None:
    benchmarks = list(dict.fromkeys(a.info.benchmark for a in arms))
    if not benchmarks:
        return None
    fig, axes = plt.subplots(len(benchmarks), 1, figsize=(11, 4.8 * len(benchmarks)), squeeze=False)
    for ax, benchmark in zip(axes[:, 0], benchmarks):
        _scores_axes(ax, arms, benchmark, report)
    fig.tight_layout()
    return fig


def _flips_axes(ax, pair: PairComparison) -> None:
    stats = pair.stats
    xs = range(len(stats))
    up = [s.wrong_to_right for s in stats]
    down = [-s.right_to_wrong for s in stats]
    ax.bar(xs, up, color=OUTCOME_COLOURS["correct"], label="wrong → right")
    ax.bar(xs, down, color=OUTCOME_COLOURS["wrong"], label="right → wrong")
    for x, s in zip(xs, stats):
        top = max(s.wrong_to_right, 0)
        ax.annotate(f"{s.diff:+.1f}", (x, top), ha="center", va="bottom", fontsize=7, xytext=(0, 2),
                    textcoords="offset points")  # fmt: skip
    ax.axhline(0, color="black", linewidth=0.8)
    reach = max([1, *up, *(-d for d in down)])
    ax.set_ylim(-reach * 1.2, reach * 1.25)  # room for the labels, and the same scale up and down
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(list(xs), [s.column for s in stats], fontsize=8)
    ax.set_ylabel("items")
    ax.set_title(f"B = {pair.b} vs A = {pair.a} ({pair.n_shared} shared items)", fontsize=9)
    ax.grid(axis="y", alpha=0.3)


def flips_figure(report: Report) -> Figure | None:
    pairs = report.paired
    if not pairs:
        return None
    fig, axes = plt.subplots(len(pairs), 1, figsize=(10, 2.6 * len(pairs) + 0.6), squeeze=False)
    for ax, pair in zip(axes[:, 0], pairs):
        _flips_axes(ax, pair)
    axes[0, 0].legend(fontsize=8, loc="upper right")
    fig.suptitle("Paired exact-match flips per column (labels: B − A score, points)", fontsize=10)
    fig.tight_layout()
    return fig


def reasoning_figure(arms: list[Arm]) -> Figure | None:
    if not arms:
        return None
    cols = min(3, len(arms))
    rows = math.ceil(len(arms) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    for ax in axes.flat[len(arms) :]:
        ax.set_visible(False)
    for ax, arm in zip(axes.flat, arms):
        lines = list(arm.results.values())
        answered = [x for x in lines if x.status != "error"]
        for outcome, colour in OUTCOME_COLOURS.items():
            chosen = [x for x in lines if x.status == outcome]
            if chosen:
                ax.scatter(
                    [max(x.reasoning_chars, 1) for x in chosen], [100 * score_of(x) for x in chosen],
                    s=14, alpha=0.7, color=colour, label=f"{outcome} ({len(chosen)})",
                )  # fmt: skip
        rho = spearman([x.reasoning_chars for x in answered], [score_of(x) for x in answered])
        ax.set_xscale("log")
        ax.set_ylim(-5, 105)
        ax.set_xlabel("reasoning length (characters, log)")
        ax.set_ylabel("score (%)")
        where = "n/a" if rho is None else f"{rho:+.2f}"
        ax.set_title(f"{arm.info.label}\nSpearman ρ = {where} (n={len(answered)})", fontsize=9)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="center right")
    fig.tight_layout()
    return fig


def _save(fig: Figure, out_dir: Path, stem: str) -> list[Path]:
    paths = []
    for fmt in FORMATS:
        path = out_dir / f"{stem}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        fig.savefig(tmp, format=fmt, dpi=150 if fmt == "png" else None, metadata=_metadata(fmt))
        tmp.replace(path)  # atomic: a reader never sees half a figure
        paths.append(path)
    plt.close(fig)
    return paths


def _metadata(fmt: str) -> dict:
    # No creation date, so the same report gives the same files.
    return {"Date": None} if fmt == "svg" else {}


def write_plots(arms: list[Arm], report: Report, out_dir: Path) -> list[Path]:
    """scores, flips and reasoning figures (those with something to show) as PNG and SVG in out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, fig in (
        ("scores", scores_figure(arms, report)),
        ("flips", flips_figure(report)),
        ("reasoning", reasoning_figure(arms)),
    ):
        if fig is not None:
            written += _save(fig, out_dir, stem)
    return written
