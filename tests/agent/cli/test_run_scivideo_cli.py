"""`agent run --bench scivideo --data DIR` offline, in all three modes, on local video items."""

from eval.run.results import latest
from eval.run.traces import load_trace, open_run
from eval.scivideo.local import Movie, build_local
from tests.agent.cli.clirun import run_agent


def test_local_video_items_run_offline_in_every_mode_with_frames_in_the_traces(tmp_path) -> None:
    data = tmp_path / "videos"
    movie = Movie("local-1acj-01", "1acj", "roll", "z", 30.0, fps=4, size=128)
    summary = build_local(data, movies=[movie], ids=["1acj"], seed=0, workers=1)
    run_dir = tmp_path / "run"
    args = ["run", "--bench", "scivideo", "--data", str(data), "--mode", "direct,cot,tools", "--frames", "8"]
    proc = run_agent(*args, "--run-dir", str(run_dir), env={"OPENAI_API_KEY": "", "COLUMNS": "200"})
    assert proc.returncode == 0, proc.stderr

    final = latest(run_dir / "results.jsonl")
    assert len(final) == 3 * summary["questions"]
    assert {x.benchmark for x in final.values()} == {"scivideo"}
    assert {x.task for x in final.values()} <= {"conceptual", "hypothetical", "quantitative"}
    run = open_run(run_dir)
    for line in final.values():
        trace = load_trace(run, line)
        opening = [f for f in trace.frames if f.get("source") == "opening"]
        assert len(opening) == 8 and all({"index", "time", "sha256"} <= set(f) for f in opening)
        first_user = next(m for m in trace.messages if m.role == "user")
        assert [im.sha256 for im in first_user.images] == [f["sha256"] for f in opening]
    # the tools mode measures the in-plane turn from frames and answers; the other modes abstain
    tools = [x for (mode, _), x in final.items() if mode == "tools"]
    assert sum(x.status == "correct" for x in tools) >= 2 and all(x.status != "wrong" for x in tools)
    assert all(x.status == "unparseable" for (mode, _), x in final.items() if mode != "tools")

    report = run_agent("report", str(run_dir), "--format", "markdown")
    assert report.returncode == 0 and "Conceptual" in report.stdout and "Gemini-2.5-Pro" in report.stdout
