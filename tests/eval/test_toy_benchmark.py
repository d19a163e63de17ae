"""A third benchmark in a few lines: registered here, run end to end through the public run API.

Adding a benchmark touches only its own code and the registry: the runner, the agent, the manifest, the
result lines, the traces and `agent report` take it as they take MiSI-Bench and SciVideoBench.
"""

from __future__ import annotations

import json
from pathlib import Path

from agent.api import ModelConfig, RunConfig, run
from eval.benchmark import BenchmarkError, Verdict, check_task_names
from eval.items import Item, ItemView
from eval.opening import image_opening
from eval.parsing import parse_choice
from eval.registry import register
from eval.report import report_runs
from eval.settings import SolveSettings
from eval.trace import Trace
from tests.agent.models.fake_openai_server import replies


class Sums:
    """Two-option arithmetic questions, text only."""

    name = "sums"

    def __init__(self, root: Path) -> None:
        self.root = root
        self._items = {
            f"sums-{a}-{b}": Item(
                id=f"sums-{a}-{b}", benchmark="sums", task="add", task_name="Addition",
                prompt=f"What is {a} + {b}? A) {a + b} B) {a + b + 1}", prompt_template="sums",
                prompt_hash="",
                options={"A": str(a + b), "B": str(a + b + 1)}, answer_format="choice", gold="A",
            )  # fmt: skip
            for a, b in [(1, 2), (3, 4), (5, 6)]
        }

    ids = property(lambda self: sorted(self._items))
    tasks = property(lambda self: ["add"])

    def item(self, item_id: str) -> Item:
        if item_id not in self._items:
            raise BenchmarkError(f"unknown item '{item_id}'")
        return self._items[item_id]

    def items(self, tasks: list[str] | None = None) -> list[Item]:
        return [self._items[i] for i in self.ids]

    def task_of(self, item_id: str) -> str:
        return self.item(item_id).task

    def check_tasks(self, tasks: list[str]) -> list[str]:
        return check_task_names(tasks, self.tasks, fold_case=True)

    def ensure_images(self, item: Item | ItemView, workers: int = 1) -> None:
        pass

    def opening(self, item: ItemView, settings: SolveSettings, workdir: Path | None = None):
        return image_opening(item, self.root, settings)

    def answer_budget(self, item: ItemView, settings: SolveSettings) -> int | None:
        return 16

    def judge(self, item: Item, text: str | None, settings: SolveSettings) -> Verdict:
        parsed = parse_choice(text or "", "AB")
        right = parsed.ok and parsed.value == item.gold
        return Verdict(parsed.value, parsed.method, parsed.ok, float(right), right, "Addition")


def test_a_registered_benchmark_runs_end_to_end(tmp_path: Path, fake_openai) -> None:
    register("sums", lambda data: Sums(data or tmp_path))
    server = fake_openai(replies.text("Final answer: B"), default=replies.text("The answer is A."))
    config = RunConfig(
        bench="sums", modes=["direct"], concurrency=1, run_dir=tmp_path / "run",
        model=ModelConfig(name="fake-model", base_url=server.url, max_retries=0),
    )  # fmt: skip
    outcome = run(config)
    assert outcome.exit_code == 0
    assert outcome.tallies["direct"].n == 3 and outcome.tallies["direct"].exact == 2
    lines = [json.loads(x) for x in (tmp_path / "run" / "results.jsonl").read_text().splitlines()]
    assert {x["benchmark"] for x in lines} == {"sums"} and {x["column"] for x in lines} == {"Addition"}
    first = Trace.model_validate_json((tmp_path / "run" / lines[0]["trace"]).read_text())
    assert first.benchmark == "sums" and first.messages[0].text.startswith("What is 1 + 2?")
    assert all(r.body is not None and r.body["max_tokens"] == 16 for r in server.requests)  # answer budget
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["benchmark"] == "sums" and manifest["item_ids"] == ["sums-1-2", "sums-3-4", "sums-5-6"]
    report = report_runs([tmp_path / "run"], None, resamples=100, seed=0)  # reports take it too
    assert [a.n_items for a in report.arms] == [3]
