"""The robustness benchmark: a restyled item is solved by `agent run` with the access asked for, tabulated
per task, and its fitted camera compared with the styled render's true one."""

from __future__ import annotations

from pathlib import Path

from eval.misi.bench import MisiBenchmark
from eval.perf.robustness import STYLES, calibration_errors, markdown, run_policy, styled_benchmark, summarise


def test_a_restyled_item_is_run_with_either_access_and_tabulated(small_bench: Path, tmp_path: Path) -> None:
    item = MisiBenchmark(small_bench).items(["T3"])[0]
    bench = tmp_path / "bench"
    styled_benchmark(small_bench, [item], STYLES["scale+10%"], bench, workers=1)
    runs = {a: run_policy(bench, tmp_path / "runs" / a, 1, a) for a in ("structure", "images")}
    for access, results in runs.items():
        assert [r["item_id"] for r in results] == [item.id]
        assert results[0]["access"] == access and results[0]["status"] != "error"
    report = {"styles": {"scale+10%": {"tasks": summarise(runs["images"], ["T1", "T3"])}}}
    table = markdown(report, ["T1", "T3"])
    assert "| style | T1 | T3 |" in table and "(n 1) |" in table and "| scale+10% | – |" in table
    # the styled images are 10 % larger than built, and the fit finds that scale
    (cal,) = calibration_errors(bench)
    assert abs(cal["scale_error_pct"]) < 1.0 and cal["convention_verified"]
