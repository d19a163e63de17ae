"""Batch-run throughput and the harness's own cost per item.

1. Concurrency: N items in `direct` mode at concurrency C against a local OpenAI-compatible server (in its
   own process) that answers every request after `--latency` seconds. Ideal wall time = N x latency / C;
   the item images are rendered beforehand, so the figure is the harness plus HTTP, not PyMOL.
2. Harness overhead: items in `tools` mode with the built-in policy, one at a time; per item, the wall
   time minus the time inside tools and inside the policy's own model calls.

    python -m agent.perf.run_throughput [--items 200] [--concurrency 16] [--latency 0.2] [--tools-items 40]

The tool modules are imported before the clock starts (a run's one-time start-up, about a second).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from agent.api import ModelConfig, RunConfig, prepare
from agent.toolset import all_tools
from eval.misi.bench import MisiBenchmark, open_misi
from eval.run.rundir import RunDir
from eval.run.selection import select_items

# A stand-in for a model server on other hardware: it reads each request without parsing it, waits, and
# answers, so the figure is the harness's cost and not a Python server's JSON parsing on the same cores.
_SERVE = """
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
latency = float(sys.argv[1])
message = {"role": "assistant", "content": "Final answer: A"}
body = json.dumps({"id": "perf", "object": "chat.completion", "created": 0, "model": "perf-model",
    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(latency)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class Server(ThreadingHTTPServer):
    daemon_threads = True
    def handle_error(self, *args): pass
server = Server(("127.0.0.1", 0), Handler)
print(f"http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
server.serve_forever()
"""


def _session(tmp: Path, ids: list[str], **options: object):  # -> agent.api.RunSession
    """A new run of exactly these items through the public API, ready to run (its set-up not timed)."""
    items = tmp / "items.txt"
    items.write_text("\n".join(ids) + "\n")
    return prepare(RunConfig.model_validate({"items_file": items, "run_dir": tmp / "run", **options}))


def _throughput(ids: list[str], concurrency: int, latency: float, repeats: int) -> dict:
    """Each repeat is a fresh run; the first also reads and encodes every image for the first time."""
    server = subprocess.Popen([sys.executable, "-c", _SERVE, str(latency)], stdout=subprocess.PIPE, text=True)
    walls, errors = [], 0
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        model = ModelConfig(name="perf-model", base_url=url, max_retries=0, timeout=60)
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as tmp:
                session = _session(
                    Path(tmp), ids, modes=["direct"], access="images", model=model, concurrency=concurrency
                )
                started = time.perf_counter()
                session.run()
                walls.append(time.perf_counter() - started)
                errors += sum(1 for x in session.target.results().values() if x.status == "error")
    finally:
        server.kill()
    ideal = len(ids) * latency / concurrency
    return {
        "items": len(ids),
        "concurrency": concurrency,
        "latency_s": latency,
        "ideal_s": round(ideal, 3),
        "wall_s": [round(w, 3) for w in walls],
        "ratio": [round(w / ideal, 3) for w in walls],
        "errors": errors,
    }


def _overhead(ids: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        session = _session(
            Path(tmp), ids, modes=["tools"], access="structure",
            model=ModelConfig(name="builtin:tool-policy"), concurrency=1,
        )  # fmt: skip
        session.run()
        run: RunDir = session.target
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
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    all_tools()  # one-time imports of every tool module, not a per-item cost
    bench: MisiBenchmark = open_misi()
    ids = select_items(bench, limit=args.items)
    started = time.perf_counter()
    for item_id in ids:
        bench.ensure_images(bench.item(item_id), workers=2)
    print(f"images ready for {len(ids)} items in {time.perf_counter() - started:.1f} s (not timed below)")
    print(json.dumps({"throughput": _throughput(ids, args.concurrency, args.latency, args.repeats)}))
    # T5 and T6 spend seconds in pose search; the harness's share is what this measures, so skip them.
    quick = [i for i in ids if bench.item(i).task not in {"T5", "T6"}][: args.tools_items]
    print(json.dumps({"tools_overhead": _overhead(quick)}))


if __name__ == "__main__":
    main()
