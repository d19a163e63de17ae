"""Batch-run throughput and the harness's own cost per item.

1. Concurrency: N items in `direct` mode at concurrency C against a local OpenAI-compatible server (in its
   own process) that answers every request after `--latency` seconds. Ideal wall time = N x latency / C;
   the item images are rendered beforehand, so the figure is the harness plus HTTP, not PyMOL.
2. Harness overhead: items in `tools` mode with the built-in policy, one at a time; per item, the wall
   time minus the time inside tools and inside the policy's own model calls.

    python -m eval.perf.run_throughput [--items 200] [--concurrency 16] [--latency 0.2] [--tools-items 40]

Run from a checkout: the server is the test suite's scripted OpenAI-compatible server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from agent.builtin import ToolPolicyModel
from agent.models import OpenAIChatModel
from agent.settings import SolveSettings
from eval.bench import open_benchmark
from eval.run.rundir import RunDir
from eval.run.runner import Job, execute
from eval.run.selection import select_items

_SERVE = """
import sys, time
from tests.agent.models.fake_openai_server import FakeOpenAIServer, replies
reply = replies.text("Final answer: A")
reply.delay_s = float(sys.argv[1])
server = FakeOpenAIServer(default=reply, validate=False)
server.requests = type("Drop", (list,), {"append": lambda self, x: None})()  # keep no request bodies
server.start()
print(server.url, flush=True)
while True:
    time.sleep(3600)
"""


def _throughput(bench, ids: list[str], concurrency: int, latency: float) -> dict:
    root = Path(__file__).resolve().parents[2]
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(latency)], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        url = server.stdout.readline().strip()  # type: ignore[union-attr]
        model = OpenAIChatModel("perf-model", base_url=url, max_retries=0, timeout=60)
        settings = SolveSettings(mode="direct", access="images")
        with tempfile.TemporaryDirectory() as tmp:
            run = RunDir(Path(tmp))
            jobs = [Job("direct", i) for i in ids]
            started = time.perf_counter()
            asyncio.run(
                execute(jobs, bench=bench, model=model, settings_for=lambda _m: settings, run=run,
                        concurrency=concurrency)
            )  # fmt: skip
            wall = time.perf_counter() - started
            lines = run.results()
    finally:
        server.kill()
    ideal = len(ids) * latency / concurrency
    return {
        "items": len(ids),
        "concurrency": concurrency,
        "latency_s": latency,
        "wall_s": round(wall, 3),
        "ideal_s": round(ideal, 3),
        "ratio": round(wall / ideal, 3),
        "errors": sum(1 for x in lines.values() if x.status == "error"),
    }


def _overhead(bench, ids: list[str]) -> dict:
    model = ToolPolicyModel()
    settings = SolveSettings(mode="tools", access="structure")
    with tempfile.TemporaryDirectory() as tmp:
        run = RunDir(Path(tmp))
        asyncio.run(
            execute([Job("tools", i) for i in ids], bench=bench, model=model,
                    settings_for=lambda _m: settings, run=run, concurrency=1)
        )  # fmt: skip
        per_item = []
        for line in run.results().values():
            trace = json.loads((run.root / line.trace).read_text())
            tools = sum(s["seconds"] for s in trace["steps"] if s["kind"] == "tool")
            models = sum(s["seconds"] for s in trace["steps"] if s["kind"] == "model")
            per_item.append((trace["seconds"], tools, models, len(trace["steps"])))
    own = [total - tools - models for total, tools, models, _ in per_item]
    steps = [n for *_, n in per_item]
    return {
        "items": len(per_item),
        "item_s_median": round(statistics.median(t for t, *_ in per_item), 4),
        "harness_ms_median": round(1000 * statistics.median(own), 2),
        "harness_ms_mean": round(1000 * statistics.mean(own), 2),
        "harness_ms_max": round(1000 * max(own), 2),
        "steps_mean": round(statistics.mean(steps), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--tools-items", type=int, default=40)
    args = parser.parse_args()
    bench = open_benchmark()
    ids = select_items(bench, limit=args.items)
    started = time.perf_counter()
    for item_id in ids:
        bench.ensure_images(bench.item(item_id), workers=2)
    print(f"images ready for {len(ids)} items in {time.perf_counter() - started:.1f} s (not timed below)")
    print(json.dumps({"throughput": _throughput(bench, ids, args.concurrency, args.latency)}))
    # T5 and T6 spend seconds in pose search; the harness's share is what this measures, so skip them.
    quick = [i for i in ids if bench.item(i).task not in {"T5", "T6"}][: args.tools_items]
    print(json.dumps({"tools_overhead": _overhead(bench, quick)}))


if __name__ == "__main__":
    main()
