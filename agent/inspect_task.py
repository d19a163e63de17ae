"""The benchmark as an Inspect AI task, solved by this project's agent inside Inspect's `agent_bridge()`.

    inspect eval agent/inspect_task.py --model openai/gpt-4.1-mini -T tasks=T1,T2 -T limit=5
    inspect eval agent/inspect_task.py --model openai/Qwen/Qwen2.5-VL-7B-Instruct \
        --model-base-url http://localhost:8000/v1 -M responses_api=false -T mode=direct -T access=images
    inspect eval agent/inspect_task.py -T bench=scivideo -T data=DIR --model openai/gpt-4.1-mini

The agent's openai client asks for the model "inspect", which the bridge hands to the model named by
`inspect eval --model`: Inspect sends and logs every model call (prompt, images, tool results), while the
graph, tools, prompts and answer judging are the project's own, as in `agent run`. Generation settings are
the project's (temperature 0, the protocol's max tokens), forwarded through the bridge.

Task options (-T): bench (misi | scivideo), data (a built MiSI directory or a SciVideoBench release;
default: the bundled items), tasks (comma-separated), limit (items per task, default 1), items (a file of
ids), tiny (MiSI-Bench tiny), mode (direct | cot | tools), access (images | structure), protocol
(default | official), frames (SciVideoBench frames with the question; 32 is the project's choice, the
task itself sets none), max_turns. Scores: `score` (weighted) and `exact_match`, with the status
(correct / wrong / unparseable / error) and parsed answer in their metadata; unparseable scores 0.
`-M responses_api=false` keeps Inspect's openai provider on Chat Completions for a model name it does not
know (it would otherwise try the Responses API, which local servers may lack).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from inspect_ai import Task, task
from inspect_ai.agent import agent_bridge
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import Score, Target, mean, scorer, stderr
from inspect_ai.solver import Generate, Solver, TaskState, solver

from agent.models import OpenAIChatModel
from agent.solver import solve_item
from eval.registry import open_benchmark
from eval.run.selection import select_items
from eval.settings import SolveSettings

BRIDGE_MODEL = "inspect"  # the name agent_bridge() routes to the eval's model
# Never contacted: the bridge answers the request in-process. Port 9 (discard) on loopback, so a request
# that escaped the bridge would fail at once instead of reaching a real server.
BRIDGE_URL = "http://127.0.0.1:9/v1"
VERDICT = "molspatial_verdict"  # the store key the solver leaves for the scorers


def _split(value: str | list[str] | None) -> list[str]:
    items = value if isinstance(value, list) else (value or "").split(",")
    return [t.strip() for t in items if t and t.strip()]


def _verdict(trace: Any) -> dict[str, Any]:
    return {
        "status": trace.status,
        "score": trace.score,
        "exact_match": trace.exact_match,
        "parsed": trace.parsed,
        "parse_method": trace.parse_method,
        "column": trace.column,
        "error": trace.error,
        "final_text": trace.final_text,
        "n_tool_calls": trace.n_tool_calls,
        "reasoning_chars": trace.reasoning_chars,
    }


@solver
def molspatial_agent(bench: Any, settings: SolveSettings) -> Solver:
    """The project's LangGraph agent on the sample's item, its model calls bridged into Inspect."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        item = bench.item(str(state.sample_id))
        with tempfile.TemporaryDirectory(prefix="molspatial-inspect-") as workdir:
            # The client's own generation settings (temperature, the protocol's max tokens) are the run's.
            async with (
                agent_bridge(forward_generation_config=True) as bridge,
                OpenAIChatModel(BRIDGE_MODEL, base_url=BRIDGE_URL, max_retries=0) as model,
            ):
                trace = await solve_item(item, bench, model, settings, Path(workdir))
        state.messages = bridge.state.messages
        if bridge.state.output.choices:
            state.output = bridge.state.output
        state.store.set(VERDICT, _verdict(trace))
        return state

    return solve


def _score(state: TaskState, value_of: str) -> Score:
    verdict = state.store.get(VERDICT) or {"status": "error", "error": "the agent left no verdict"}
    answered = verdict["status"] in ("correct", "wrong")
    if value_of == "score":
        value = float(verdict.get("score") or 0.0) if answered else 0.0
    else:
        value = float(bool(verdict.get("exact_match"))) if answered else 0.0
    meta = {k: verdict.get(k) for k in ("status", "parsed", "parse_method", "column", "error")}
    meta["unparseable"] = verdict["status"] == "unparseable"
    explanation = verdict.get("final_text")
    return Score(value=value, answer=verdict.get("parsed"), explanation=explanation, metadata=meta)


@scorer(metrics=[mean(), stderr()], name="score")
def weighted_score():
    """The benchmark's weighted score as the project's judge gave it (0 for unparseable and errors)."""

    async def score(state: TaskState, target: Target) -> Score:
        return _score(state, "score")

    return score


@scorer(metrics=[mean(), stderr()], name="exact_match")
def exact_match():
    async def score(state: TaskState, target: Target) -> Score:
        return _score(state, "exact_match")

    return score


@task
def molspatial(
    bench: str = "misi",
    data: str | None = None,
    tasks: str | list[str] | None = None,
    limit: int | None = 1,
    items: str | None = None,
    tiny: bool = False,
    mode: str = "tools",
    access: str = "images",
    protocol: str = "default",
    frames: int = 32,
    max_turns: int = 12,
) -> Task:
    benchmark = open_benchmark(bench, Path(data) if data else None)
    chosen = benchmark.check_tasks(_split(tasks))
    ids = select_items(
        benchmark,
        chosen or None,
        tiny_set=tiny,
        limit=None if tiny or items else limit,
        items_file=Path(items) if items else None,
    )
    settings = SolveSettings(
        mode=mode,
        access=access,
        protocol=protocol,
        frames=frames,
        max_turns=max_turns,
    )
    samples = []
    for item_id in ids:
        item = benchmark.item(item_id)
        metadata = {"task": item.task, "task_name": item.task_name, **item.metadata}
        samples.append(Sample(id=item_id, input=item.prompt, target=item.gold or "", metadata=metadata))
    return Task(
        dataset=MemoryDataset(samples, name=f"molspatial-{bench}"),
        solver=molspatial_agent(benchmark, settings),
        scorer=[weighted_score(), exact_match()],
        name=f"molspatial_{bench}_{mode}",
        metadata={"settings": settings.model_dump(), "benchmark_dir": str(benchmark.root)},
    )
