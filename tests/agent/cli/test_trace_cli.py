import re
from pathlib import Path

import pytest

from agent.cli import main
from eval.trace import Trace, write_trace
from tests.agent.cli.clirun import run_agent
from tests.eval.run.test_trace_queries import make_run

WIDE = {"COLUMNS": "200"}  # rich must not wrap the rows the assertions read


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return make_run(tmp_path / "run1")


def agent(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple:
    for k, v in WIDE.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


def rows(out: str) -> set[tuple[str, str]]:
    return set(re.findall(r"(misi-T\d-\w+-\d)\s*[│|]\s*T\d\s*[│|]\s*(\w+)\s*[│|]", out))


def test_list_filters_select_the_right_rows(run_dir, capsys, monkeypatch) -> None:
    code, out, _ = agent(capsys, monkeypatch, "trace", "list", str(run_dir))
    assert code == 0 and len(rows(out)) == 8
    _, out, _ = agent(capsys, monkeypatch, "trace", "list", str(run_dir), "--correct")
    assert rows(out) == {
        ("misi-T2-1acj-0", "direct"),
        ("misi-T1-1acj-0", "tools"),
        ("misi-T2-1acj-0", "tools"),
        ("misi-T2-1g9v-0", "tools"),
    }
    _, out, _ = agent(capsys, monkeypatch, "trace", "list", str(run_dir), "--wrong", "--mode", "tools")
    assert rows(out) == {("misi-T1-1g9v-0", "tools")}
    _, out, _ = agent(capsys, monkeypatch, "trace", "list", str(run_dir), "--task", "T2", "--errors")
    assert rows(out) == {("misi-T2-1g9v-0", "direct")} and "HTTP 500" in out
    _, out, _ = agent(capsys, monkeypatch, "trace", "list", str(run_dir), "--unparseable")
    assert rows(out) == {("misi-T1-1g9v-0", "direct")}


def test_list_prints_the_reasoning_length_summary(run_dir, capsys, monkeypatch) -> None:
    code, out, _ = agent(capsys, monkeypatch, "trace", "list", str(run_dir), "--correct")
    summary = out[out.index("reasoning length") :]
    assert code == 0 and "+0.87 (n=3)" in summary and "+0.77 (n=4)" in summary
    correct_tools = re.search(r"tools\s*[│|]\s*correct\s*[│|]\s*(\d+)\s*[│|]\s*(\d+)\s*[│|]\s*(\d+)", summary)
    assert correct_tools and correct_tools.groups() == ("3", "500", "500")
    # one row per result, then the ρ line: a task filter leaves too few items for a correlation
    _, out, _ = agent(capsys, monkeypatch, "trace", "list", str(run_dir), "--task", "T1", "--mode", "tools")
    assert "n/a" in out[out.index("reasoning length") :]


def test_show_prints_prompt_steps_tool_results_and_verdict(run_dir, capsys, monkeypatch) -> None:
    code, out, err = agent(
        capsys, monkeypatch, "trace", "show", str(run_dir), "misi-T1-1acj-0", "--mode", "tools"
    )
    assert code == 0, err
    assert "Which command turns image 1 into image 4?" in out and "images/misi-T1-1acj-0-2.png" in out
    assert "test_poses" in out and '"similarity": 0.8576' in out and "work/poses/p1.png" in out
    assert "Final answer: move y -4" in out and "gold:         move y -4" in out
    assert "$0.0123" in out and "1,000 prompt" in out and "correct" in out


def test_show_lists_video_frames_and_errors(run_dir, capsys, monkeypatch) -> None:
    path = run_dir / "traces/direct/misi-T2-1g9v-0.json"
    trace = Trace.model_validate_json(path.read_text())
    trace.frames = [
        {"index": 0, "time": 0.0, "path": "f/0.png"},
        {"index": 12, "time": 6.25, "path": "f/12.png"},
    ]
    write_trace(trace, path)
    code, out, _ = agent(
        capsys, monkeypatch, "trace", "show", str(run_dir), "misi-T2-1g9v-0", "--mode", "direct"
    )
    assert code == 0 and "video frames sent (2)" in out and "frame 12 @ 6.25 s  f/12.png" in out
    assert "error:        model fake:model: HTTP 500" in out and "steps (0 model, 0 tool)" in out


def test_show_needs_a_mode_when_the_item_ran_in_several(run_dir) -> None:
    proc = run_agent("trace", "show", str(run_dir), "misi-T1-1acj-0", env=WIDE)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "error: item misi-T1-1acj-0 ran in modes direct, tools: choose one with --mode"
    ]


def test_compare_two_modes_of_one_run(run_dir, capsys, monkeypatch) -> None:
    code, out, _ = agent(
        capsys, monkeypatch, "trace", "compare", str(run_dir), str(run_dir), "misi-T1-1acj-0"
    )
    assert code == 0 and out.strip().splitlines()[-1] == "direct wrong → tools right"
    assert "move x 2" in out and "move y -4" in out and "test_poses" in out
    _, out, _ = agent(
        capsys, monkeypatch, "trace", "compare", str(run_dir), str(run_dir), "misi-T1-1g9v-0",
        "--mode-a", "tools", "--mode-b", "direct",
    )  # fmt: skip
    assert out.strip().splitlines()[-1] == "tools wrong → direct unparseable"


def test_compare_two_runs(run_dir, tmp_path, capsys, monkeypatch) -> None:
    other = make_run(tmp_path / "run2", plan=[("misi-T1-1acj-0", "tools", "wrong", 80, 0.0)])
    code, out, _ = agent(
        capsys,
        monkeypatch,
        "trace",
        "compare",
        str(run_dir),
        str(other),
        "misi-T1-1acj-0",
        "--mode-a",
        "tools",
    )
    assert code == 0 and out.strip().splitlines()[-1] == "run1:tools right → run2:tools wrong"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "{missing}"], "error: run {missing}: no such directory"),
        (["show", "{run}", "misi-T1-1acj-7", "--mode", "tools"], "close matches: misi-T1-1acj-0"),
        (["list", "{run}", "--mode", "cot"], "mode 'cot' is not in run"),
        (["compare", "{run}", "{run}", "misi-T2-1acj-0", "--mode-a", "tools"], "choose one with --mode-b"),
        (["show", "{run}", "misi-T2-1acj-0", "--mode", "direct"], "not a valid trace"),
        (["show", "{run}", "misi-T1-1g9v-0", "--mode", "tools"], "no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run_dir, tmp_path, capsys, monkeypatch, args, message) -> None:
    (run_dir / "traces/direct/misi-T2-1acj-0.json").write_text("{not json")
    (run_dir / "traces/tools/misi-T1-1g9v-0.json").unlink()
    fill = {"run": str(run_dir), "missing": str(tmp_path / "nope")}
    code, out, err = agent(capsys, monkeypatch, "trace", *(a.format(**fill) for a in args))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert message.format(**fill) in err
