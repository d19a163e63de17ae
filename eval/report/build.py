"""From arms to the whole report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from eval.report.arms import Arm, load_arms
from eval.report.misi_table import misi_table
from eval.report.models import BootstrapSettings, Report
from eval.report.paired import compare_all
from eval.report.scivideo_table import scivideo_table
from eval.run.results import BadLine

if TYPE_CHECKING:
    from typing_extensions import Unpack


def build_report(
    arms: list[Arm], *, resamples: int = 2000, seed: int = 0, confidence: float = 0.95
) -> Report:
    boot = BootstrapSettings(resamples=resamples, seed=seed, confidence=confidence)
    notes = []
    paired = compare_all(arms, boot)
    if paired:
        notes.append(
            f"Paired comparisons, B vs A = B − A on the items both answered (positive: B higher). "
            f"{round(100 * confidence)}% CI: percentile bootstrap, {resamples} paired resamples of items, "
            f"seed {seed}. McNemar: exact two-sided binomial test on exact-match flips "
            "(unparseable and errored items count as not right)."
        )
    return Report(
        arms=[a.info for a in arms],
        misi=misi_table(arms),
        scivideo=scivideo_table(arms),
        paired=paired,
        bootstrap=boot,
        notes=notes,
    )


class ReportOptions(TypedDict, total=False):
    """`load_report`'s keyword options (their defaults are there)."""

    resamples: int
    seed: int
    confidence: float
    skip_bad_lines: bool


def report_runs(runs: list[Path], modes: list[str] | None = None, **options: Unpack[ReportOptions]) -> Report:
    """Load run directories (raising ReportInputError for a bad one, or for an unreadable result line
    unless `skip_bad_lines`: then the report's notes name every line left out) and build their report."""
    return load_report(runs, modes, **options)[1]


def load_report(
    runs: list[Path],
    modes: list[str] | None = None,
    *,
    resamples: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
    skip_bad_lines: bool = False,
) -> tuple[list[Arm], Report]:
    """As report_runs, also giving the arms the report was built from (figures draw on them)."""
    skipped: list[BadLine] | None = [] if skip_bad_lines else None
    arms = load_arms(runs, modes, skipped=skipped)
    report = build_report(arms, resamples=resamples, seed=seed, confidence=confidence)
    report.skipped_lines = [str(bad) for bad in skipped or []]
    report.notes += [f"Left out an unreadable result line: {bad}" for bad in report.skipped_lines]
    return arms, report
