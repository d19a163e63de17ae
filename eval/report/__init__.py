"""Reports on batch runs: per-task tables in the papers' columns and paired comparisons between arms.

An arm is one (run directory, mode). `report_runs` loads run directories and builds a `Report`;
`render` turns it into rich tables, markdown, csv or json.
"""

from eval.report.arms import Arm, ReportInputError, load_arms, load_run
from eval.report.build import build_report, report_runs
from eval.report.models import PairComparison, PairedStat, Report
from eval.report.paired import compare, compare_all
from eval.report.render import FORMATS, render, rich_renderables
from eval.report.stats import bootstrap_ci, mcnemar_p

__all__ = [
    "FORMATS",
    "Arm",
    "PairComparison",
    "PairedStat",
    "Report",
    "ReportInputError",
    "bootstrap_ci",
    "build_report",
    "compare",
    "compare_all",
    "load_arms",
    "load_run",
    "mcnemar_p",
    "render",
    "report_runs",
    "rich_renderables",
]
