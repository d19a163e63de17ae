"""Run directories read into arms: one arm per (run, mode), holding the result that counts per item."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import BaseModel

from eval.misi.score import column_for
from eval.report.models import ArmInfo
from eval.run.manifest import RunManifest
from eval.run.results import RESULTS, ResultLine, latest
from eval.run.rundir import RunDir, RunDirError

OFFICIAL_LABEL = "official parser (random fallback)"
NOT_ANSWERED = ("unparseable", "error")


ReportInputError = RunDirError  # a run directory that cannot be reported; the message names it


class Arm(BaseModel):
    info: ArmInfo
    results: dict[str, ResultLine]  # item id → the line that counts


def score_of(line: ResultLine) -> float:
    """Weighted score, with unparseable and errored items forced to 0 whatever the line says."""
    return 0.0 if line.status in NOT_ANSWERED else line.score


def is_right(line: ResultLine) -> bool:
    return line.exact_match and line.status not in NOT_ANSWERED


def misi_column(line: ResultLine) -> str:
    """The paper column; lines written without one fall back to the task's column."""
    if line.column:
        return line.column
    try:
        return column_for(line.task, line.gold or "")
    except ValueError:
        return line.task


def _read_manifest(run: RunDir) -> RunManifest:
    try:
        return run.read_manifest()
    except RunDirError as exc:
        raise ReportInputError(f"run {exc}") from None


def _most_common(values: list[str], default: str) -> str:
    return Counter(values).most_common(1)[0][0] if values else default


def _label(name: str, mode: str, benchmark: str, protocol: str) -> str:
    label = f"{name}/{mode}"
    if protocol == "official" and benchmark == "scivideo":
        return f"{label} · {OFFICIAL_LABEL}"
    if protocol != "default":
        return f"{label} · protocol {protocol}"
    return label


def load_run(run: Path, *, name: str | None = None) -> list[Arm]:
    """The arms of one run directory, in the manifest's mode order (modes with no results left out)."""
    run = Path(run)
    if not run.is_dir():
        raise ReportInputError(f"run {run}: no such directory")
    if not (run / RESULTS).is_file():
        raise ReportInputError(f"run {run}: no {RESULTS} (has the run started?)")
    manifest = _read_manifest(RunDir(run))
    lines = latest(run / RESULTS)
    if not lines:
        raise ReportInputError(f"run {run}: {RESULTS} holds no finished items")
    by_mode: dict[str, dict[str, ResultLine]] = {}
    for (mode, item_id), line in lines.items():
        by_mode.setdefault(mode, {})[item_id] = line
    order = [m for m in manifest.modes if m in by_mode] + sorted(
        m for m in by_mode if m not in manifest.modes
    )
    run_name = name or run.resolve().name
    arms = []
    for mode in order:
        results = dict(sorted(by_mode[mode].items()))
        values = list(results.values())
        benchmark = _most_common([v.benchmark for v in values], manifest.benchmark)
        protocol = _most_common([v.protocol for v in values], manifest.protocol)
        info = ArmInfo(
            label=_label(run_name, mode, benchmark, protocol),
            run=str(run),
            run_id=manifest.run_id,
            benchmark=benchmark,
            mode=mode,
            model=_most_common([v.model for v in values], manifest.model),
            access=_most_common([v.access for v in values], manifest.access),
            protocol=protocol,
            n_items=len(results),
        )
        arms.append(Arm(info=info, results=results))
    return arms


def _names(runs: list[Path]) -> list[str]:
    """Directory names, or the paths as given when two runs share a name."""
    names = [Path(r).resolve().name for r in runs]
    return [str(r) if names.count(n) > 1 else n for r, n in zip(runs, names)]


def load_arms(runs: list[Path], modes: list[str] | None = None) -> list[Arm]:
    """Every arm of every run, in argument order; `modes` keeps only those modes."""
    if not runs:
        raise ReportInputError("no run directory given")
    arms = [arm for run, name in zip(runs, _names(runs)) for arm in load_run(run, name=name)]
    if modes:
        present = {a.info.mode for a in arms}
        unknown = [m for m in modes if m not in present]
        if unknown:
            raise ReportInputError(
                f"mode {', '.join(unknown)} not in the runs (they have: {', '.join(sorted(present))})"
            )
        arms = [a for a in arms if a.info.mode in modes]
    return arms
