"""The built-in policy on items that carry neither a camera nor a structure (as official items may):
every MiSI task ends in an answer or an abstention through the real tools, never a crash."""

from __future__ import annotations

import pytest

from agent.builtin.actions import Answer
from agent.builtin.misi_strategies import STRATEGIES
from agent.toolset import all_tools
from eval.misi.bench import MisiBenchmark as Benchmark
from tests.agent.policy_play import play
from tools.base import ToolContext


@pytest.mark.parametrize("access", ["images", "structure"])
def test_every_task_answers_or_abstains_without_structure(small_bench, tmp_path, access) -> None:
    bench = Benchmark(small_bench)
    offered = {t.name for t in all_tools() if access == "structure" or not t.needs_structure}
    for task in sorted(STRATEGIES):
        items = bench.items([task])  # 1acj has no hydrogen bond, so no T8/T9 item: take 1g9v's there
        item = next((it for it in items if it.id.endswith("1acj-0")), items[0])
        bench.ensure_images(item)
        view = item.view().model_copy(update={"structure": None})
        assert "camera" not in view.model_dump()
        ctx = ToolContext(item=view, bench_dir=bench.root, workdir=tmp_path / task, access=access)  # type: ignore[arg-type]
        answer = play(view, ctx, offered, turns=8, tool_errors=True)
        assert isinstance(answer, Answer), task
