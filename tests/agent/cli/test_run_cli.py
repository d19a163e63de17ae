"""`agent run` end to end: the real CLI in a subprocess against a scripted OpenAI-compatible server."""

import json
import os
import signal
import subprocess
import sys
import time

from eval.run.results import iter_lines, latest
from tests.agent.cli.clirun import run_agent
from tests.agent.models.fake_openai_server import Reply, replies

SECRET = "sk-test-do-not-log-0123456789"


def _answer_by_task(delay: float):
    """A deterministic answer per item: the reply depends only on the prompt, never on request order."""

    def reply(body) -> Reply:
        first = body["messages"][-1]["content"]
        text = first if isinstance(first, str) else " ".join(p.get("text", "") for p in first)
        answer = "move x 1" if "1acj" in text else "roll y 15" if "Rotation" in text else "A"
        out = replies.text(f"Final answer: {answer}", usage={"prompt_tokens": 10, "completion_tokens": 3})
        out.delay_s = delay
        return out

    return reply


def _run_args(bench, server, run_dir, *extra: str) -> list[str]:
    model = ["--model", "fake-vlm", "--base-url", server.url, "--max-retries", "0"]
    return ["run", "--data", str(bench), "--mode", "direct,cot", *model, "--run-dir", str(run_dir), *extra]


def _outcome(run_dir) -> dict:
    return {
        k: (v.status, round(v.score, 9), v.exact_match, v.parsed)
        for k, v in latest(run_dir / "results.jsonl").items()
    }


def test_sigkill_then_resume_gives_one_result_per_item_and_the_same_results(
    small_bench, fake_openai, tmp_path
) -> None:
    server = fake_openai(default=_answer_by_task(0.25))
    env = {"OPENAI_API_KEY": SECRET, "COLUMNS": "200"}
    whole = run_agent(*_run_args(small_bench, server, tmp_path / "whole", "--concurrency", "3"), env=env)
    assert whole.returncode == 0, whole.stderr

    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent", *_run_args(small_bench, server, killed, "--concurrency", "3")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **env},
    )  # fmt: skip
    deadline = time.time() + 120
    while time.time() < deadline and len(list(iter_lines(killed / "results.jsonl"))) < 5:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list(iter_lines(killed / "results.jsonl")))
    assert 5 <= done_before < 36, "the kill must land in the middle of the run"

    resumed = run_agent("run", "--resume", str(killed), "--concurrency", "2", env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{36 - done_before} to do" in resumed.stderr

    keys = [(x.mode, x.item_id) for x in iter_lines(killed / "results.jsonl")]
    assert len(keys) == len(set(keys)) == 36  # 18 items x 2 modes, none twice
    assert _outcome(killed) == _outcome(tmp_path / "whole")
    reports = [run_agent("report", str(tmp_path / name), "--format", "csv") for name in ("whole", "killed")]
    assert all(r.returncode == 0 and "whole/direct" in reports[0].stdout for r in reports)
    assert reports[1].stdout.replace("killed/", "whole/") == reports[0].stdout
    manifest = json.loads((killed / "manifest.json").read_text())
    assert len(manifest["sessions"]) == 2 and manifest["finished_at"] is not None
    assert (
        manifest["prompt_hashes"]
        and manifest["versions"]["openai"]
        and manifest["api_key_env"] == "OPENAI_API_KEY"
    )
    for path in [killed / "manifest.json", killed / "results.jsonl", *killed.rglob("*.json")]:
        assert SECRET not in path.read_text(), path


def test_failing_items_are_errors_then_resume_reruns_only_them_keeping_the_history(
    small_bench, fake_openai, tmp_path
) -> None:
    failing = fake_openai(default=replies.server_error(503))
    run_dir = tmp_path / "run"
    first = run_agent(
        *_run_args(small_bench, failing, run_dir, "--tasks", "T1,T3"), env={"OPENAI_API_KEY": "k"}
    )
    assert first.returncode == 1 and "errored" in first.stderr and "Traceback" not in first.stderr
    assert {x.status for x in latest(run_dir / "results.jsonl").values()} == {"error"}

    manifest = json.loads((run_dir / "manifest.json").read_text())
    manifest["base_url"] = fake_openai(default=_answer_by_task(0.0)).url  # the server is back, elsewhere
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    second = run_agent("run", "--resume", str(run_dir), env={"OPENAI_API_KEY": "k"})
    assert second.returncode == 0, second.stderr
    final = latest(run_dir / "results.jsonl")
    assert len(final) == 8 and all(x.status != "error" for x in final.values())
    assert all(
        x.attempt == 2 and len(x.error_history) == 1 and "503" in x.error_history[0] for x in final.values()
    )
    assert len((run_dir / "results.jsonl").read_text().splitlines()) == 16  # the error lines stay


def test_resume_refuses_new_configuration_and_unknown_directories(tmp_path) -> None:
    proc = run_agent("run", "--resume", str(tmp_path), "--mode", "cot")
    assert proc.returncode == 2 and "drop --mode" in proc.stderr
    proc = run_agent("run", "--resume", str(tmp_path / "nope"))
    assert proc.returncode == 2 and "not a run directory" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_bad_run_options_are_one_line_errors(small_bench, tmp_path) -> None:
    for args, message in [
        (["--mode", "direct,magic"], "unknown mode 'magic'"),
        (["--tasks", "T11"], "unknown task T11"),
        (["--bench", "nope"], "unknown benchmark 'nope'"),
        (["--items", str(tmp_path / "missing.txt")], "missing.txt"),
    ]:
        proc = run_agent("run", "--data", str(small_bench), "--run-dir", str(tmp_path / "r"), *args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_offline_run_with_the_builtin_model_writes_traces_and_refuses_a_second_run_in_place(
    small_bench, tmp_path
) -> None:
    run_dir = tmp_path / "run"
    args = [
        "run",
        "--data",
        str(small_bench),
        "--tasks",
        "T1,T4",
        "--mode",
        "direct,tools",
        "--run-dir",
        str(run_dir),
    ]
    proc = run_agent(*args, env={"OPENAI_API_KEY": ""})
    assert proc.returncode == 0, proc.stderr
    final = latest(run_dir / "results.jsonl")
    assert len(final) == 8 and {x.model for x in final.values()} == {"builtin:tool-policy"}
    tools = [x for (mode, _), x in final.items() if mode == "tools"]
    assert all((run_dir / x.trace).is_file() and x.n_tool_calls > 0 for x in tools)
    again = run_agent(*args, env={"OPENAI_API_KEY": ""})
    assert again.returncode == 2 and "--resume" in again.stderr
