"""A small fixed built-in run whose report must not change when code moves.

Two complexes, every task, the built-in tool policy in `direct` and `tools` mode with structure access and
in `tools` mode with images only; the report (JSON) and each result line's verdict are compared with the
checked-in `tests/data/fixed_run_expected.json`. A change of behaviour (a new answer key, a better policy)
regenerates it on purpose: `MOLSPATIAL_UPDATE_EXPECTED=1 pytest tests/eval/run/test_fixed_run.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.agent.cli.clirun import run_agent

EXPECTED = Path(__file__).resolve().parents[2] / "data" / "fixed_run_expected.json"
_ARMS = {"structure": ("direct,tools", "structure"), "images": ("tools", "images")}


def _verdicts(run: Path) -> list[dict]:
    keep = ("item_id", "mode", "access", "status", "score", "exact_match", "parsed", "parse_method", "gold")
    lines = [json.loads(line) for line in (run / "results.jsonl").read_text().splitlines() if line.strip()]
    rows = [{k: line[k] for k in keep} for line in lines]
    for row in rows:
        row["score"] = round(row["score"], 9)
    return sorted(rows, key=lambda r: (r["mode"], r["item_id"]))


def _report(runs: list[Path]) -> dict:
    result = run_agent("report", *map(str, runs), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for arm in report["arms"]:
        arm["run"] = Path(arm["run"]).name  # the temporary directory differs per session
    return report


def test_fixed_builtin_run_gives_the_checked_in_report(small_bench: Path, tmp_path: Path) -> None:
    runs = []
    for name, (modes, access) in _ARMS.items():
        run = tmp_path / name
        result = run_agent(
            "run", "--data", str(small_bench), "--mode", modes, "--model", "builtin:tool-policy",
            "--access", access, "--run-dir", str(run), "--concurrency", "2",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        runs.append(run)
    actual = {"report": _report(runs), "results": {r.name: _verdicts(r) for r in runs}}
    if os.environ.get("MOLSPATIAL_UPDATE_EXPECTED"):
        EXPECTED.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    expected = json.loads(EXPECTED.read_text())
    assert actual["results"] == expected["results"]
    assert actual["report"] == expected["report"]
