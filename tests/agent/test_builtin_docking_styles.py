"""The built-in policy docks a ligand from images drawn with labels 1.3× larger in another font (DejaVu
Serif), where labels cover nearly every atom of the ligand-alone views, as well as in the project's style."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agent.builtin.actions import Answer
from agent.builtin.history import History
from agent.builtin.misi_strategies import STRATEGIES
from agent.toolset import all_tools
from eval.misi.bench import MisiBenchmark
from eval.misi.build.builder import BuildConfig, build
from eval.perf.robustness import STYLES, styled_benchmark
from tools.base import ToolContext


def _play(view, ctx: ToolContext) -> Answer:
    offered = {t.name for t in all_tools()}
    tools = {t.name: t for t in all_tools()}
    messages: list[dict] = [{"role": "user", "content": view.prompt}]
    for turn in range(6):
        action = STRATEGIES[view.task](view, offered, History(messages))
        if isinstance(action, Answer):
            return action
        calls = [
            {"id": f"c{turn}_{i}", "function": {"name": c.name, "arguments": json.dumps(c.args)}}
            for i, c in enumerate(action.calls)
        ]
        messages.append({"role": "assistant", "content": action.note, "tool_calls": calls})
        for call, c in zip(calls, action.calls):
            result = tools[c.name].run(ctx, c.args)
            assert result.ok, result.text
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": result.text})
    raise AssertionError(f"{view.id}: no answer after 6 turns")


@pytest.fixture(scope="module")
def docking_bench(complexes_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("docking-complexes")
    shutil.copytree(complexes_dir / "1x0n", src / "1x0n")
    shutil.copy(complexes_dir / "index.csv", src / "index.csv")
    out = tmp_path_factory.mktemp("docking-bench")
    build(BuildConfig(src, out, per_task=2, seed=0, tasks=["T7"], render=False))
    return out


@pytest.mark.parametrize("style", ["font-serif-1.3x", "base"])
def test_docking_is_exact_with_large_serif_labels(docking_bench: Path, tmp_path: Path, style: str) -> None:
    item = MisiBenchmark(docking_bench).items(["T7"])[1]
    styled = tmp_path / style
    styled_benchmark(docking_bench, [item], STYLES[style], styled, workers=1)
    bench = MisiBenchmark(styled)
    restyled = bench.items(["T7"])[0]
    view = restyled.view()
    ctx = ToolContext(item=view, bench_dir=bench.root, workdir=tmp_path / "work", access="structure")
    answer = _play(view, ctx)
    assert answer.answer == item.gold, answer.reasoning
    # the x shift is measured in the two views that show x, and both agree with the answer within 0.5 Å
    shift = int(item.gold.split("move x ")[1])
    views = [
        float(v)
        for v in answer.reasoning.split("(front view ")[1].rstrip(").").replace(" Å", "").split(", top view ")
    ]
    assert all(abs(-v - shift) < 1.0 for v in views), answer.reasoning
