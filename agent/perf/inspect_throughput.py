"""The project's harness against Inspect AI on the same items and the same local server, side by side.

Three arms, each sending every item's question and images once (`direct` mode) to one local
OpenAI-compatible server (in its own process) that answers every request after `--latency` seconds:

- project: `agent run` through the public run API (agent.api), with the project's openai client;
- inspect: a plain Inspect task, the same prompt and images as one user message, solved by `generate()`
  (Inspect's own model client, logging and scoring);
- inspect+agent: `agent/inspect_task.py`, the project's agent inside Inspect's agent_bridge().

Ideal wall time = items x latency / concurrency. Arms run back to back in each repeat (order rotated per
repeat), so a loaded machine's drift hits all three alike; the summary gives medians and ratios to the
project arm. Images are rendered and every arm warmed up on two items before the clock starts; each
Inspect arm's time includes Inspect's per-eval work (log file, sample records with the images).

    python -m agent.perf.inspect_throughput [--items 100] [--concurrency 16] [--latency 0.2] [--repeats 3]

Needs the `inspect` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import inspect_ai
from inspect_ai import Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageUser, Content, ContentImage, ContentText
from inspect_ai.solver import generate

from agent.api import ModelConfig
from agent.inspect_task import molspatial
from agent.perf.run_throughput import _SERVE, _session
from agent.toolset import all_tools
from eval.misi.bench import MisiBenchmark, open_misi
from eval.run.selection import select_items

ARMS = ("project", "inspect", "inspect+agent")


def _project(ids: list[str], url: str, concurrency: int) -> float:
    model = ModelConfig(name="perf-model", base_url=url, max_retries=0, timeout=60)
    with tempfile.TemporaryDirectory() as tmp:
        session = _session(
            Path(tmp), ids, modes=["direct"], access="images", model=model, concurrency=concurrency
        )
        started = time.perf_counter()
        session.run()
        wall = time.perf_counter() - started
        errors = sum(1 for x in session.target.results().values() if x.status == "error")
    if errors:
        raise RuntimeError(f"project arm: {errors} items failed")
    return wall


def _plain_task(bench, ids: list[str]) -> Task:
    samples = []
    for item_id in ids:
        item = bench.item(item_id)
        parts: list[Content] = [ContentText(text=item.prompt)]
        parts += [ContentImage(image=str(Path(bench.root) / im.path)) for im in item.images]
        samples.append(Sample(id=item_id, input=[ChatMessageUser(content=parts)], target=item.gold or ""))
    return Task(dataset=MemoryDataset(samples), solver=generate(), name="plain_generate")


def _inspect(task: Task, url: str, concurrency: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        (log,) = inspect_ai.eval(
            task, model="openai/perf-model", model_base_url=url,
            model_args={"responses_api": False}, max_connections=concurrency, max_samples=concurrency,
            max_retries=0, display="none", log_dir=tmp, score=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
    if log.status != "success":
        raise RuntimeError(f"inspect arm: {log.status} ({log.error.message if log.error else ''})")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "EMPTY")  # Inspect's openai provider insists on a key
    all_tools()
    bench: MisiBenchmark = open_misi()
    ids = select_items(bench, limit=args.items)
    for item_id in ids:
        bench.ensure_images(bench.item(item_id), workers=2)
    id_file = Path(tempfile.mkdtemp()) / "ids.txt"
    id_file.write_text("\n".join(ids) + "\n")
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(args.latency)], stdout=subprocess.PIPE, text=True
    )
    walls: dict[str, list[float]] = {a: [] for a in ARMS}
    try:
        url = server.stdout.readline().strip()  # type: ignore[union-attr]
        # Warm-up of every arm on two items: one-time imports and set-up are not what is compared.
        warm = ids[:2]
        warm_file = id_file.with_name("warm.txt")
        warm_file.write_text("\n".join(warm) + "\n")
        _project(warm, url, args.concurrency)
        _inspect(_plain_task(bench, warm), url, args.concurrency)
        _inspect(molspatial(items=str(warm_file), mode="direct", access="images"), url, args.concurrency)
        for repeat in range(args.repeats):
            order = ARMS[repeat % 3 :] + ARMS[: repeat % 3]
            for arm in order:
                if arm == "project":
                    wall = _project(ids, url, args.concurrency)
                elif arm == "inspect":
                    wall = _inspect(_plain_task(bench, ids), url, args.concurrency)
                else:
                    task = molspatial(items=str(id_file), mode="direct", access="images")
                    wall = _inspect(task, url, args.concurrency)
                walls[arm].append(wall)
                print(json.dumps({"repeat": repeat, "arm": arm, "wall_s": round(wall, 3)}), flush=True)
    finally:
        server.kill()
    ideal = len(ids) * args.latency / args.concurrency
    medians = {a: statistics.median(w) for a, w in walls.items()}
    summary = {
        "items": len(ids),
        "concurrency": args.concurrency,
        "latency_s": args.latency,
        "ideal_s": round(ideal, 3),
        "wall_s": {a: [round(x, 3) for x in w] for a, w in walls.items()},
        "median_s": {a: round(m, 3) for a, m in medians.items()},
        "median_over_ideal": {a: round(m / ideal, 2) for a, m in medians.items()},
        "median_over_project": {a: round(m / medians["project"], 2) for a, m in medians.items()},
    }
    print(json.dumps({"summary": summary}))


if __name__ == "__main__":
    main()
