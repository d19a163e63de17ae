from pathlib import Path

import pytest

from agent.models.base import ToolCall, Usage
from eval.run.manifest import RunManifest
from eval.run.results import RESULTS, ResultLine, ResultWriter
from eval.run.traces import (
    RunError,
    find,
    flip_verdict,
    load_trace,
    open_run,
    reasoning_summary,
    select,
    spearman,
)
from eval.trace import ImageRef, MessageRecord, ModelStep, ToolStep, Trace, write_trace

GOLD = {"T1": "move y -4", "T2": "roll x -75"}
# (item, mode, status, reasoning chars, score); an "error" line before a later one is a retried attempt.
RESULTS_PLAN = [
    ("misi-T1-1acj-0", "direct", "wrong", 100, 0.0),
    ("misi-T2-1acj-0", "direct", "correct", 300, 1.0),
    ("misi-T1-1g9v-0", "direct", "unparseable", 50, 0.0),
    ("misi-T2-1g9v-0", "direct", "error", 0, 0.0),
    ("misi-T1-1acj-0", "tools", "correct", 400, 1.0),
    ("misi-T2-1acj-0", "tools", "correct", 600, 1.0),
    ("misi-T1-1g9v-0", "tools", "wrong", 200, 0.5),
    ("misi-T2-1g9v-0", "tools", "error", 0, 0.0),
    ("misi-T2-1g9v-0", "tools", "correct", 500, 1.0),
]


def _answer(task: str, status: str) -> str:
    return {"correct": GOLD[task], "wrong": "move x 2", "unparseable": "I cannot tell."}.get(status, "")


def make_trace(item_id: str, mode: str, status: str, chars: int, score: float) -> Trace:
    task = item_id.split("-")[1]
    final = f"Final answer: {_answer(task, status)}" if status != "unparseable" else _answer(task, status)
    trace = Trace(
        item_id=item_id,
        benchmark="misi",
        task=task,
        task_name={"T1": "Translation", "T2": "Rotation"}[task],
        mode=mode,
        model="fake:model",
        access="images",
        prompt_template=f"misi/{task}",
        prompt_hash="0" * 64,
        messages=[
            MessageRecord(role="system", text="You answer questions about protein-ligand images.\n" * 5),
            MessageRecord(
                role="user",
                text=f"Which command turns image 1 into image 4? ({item_id})",
                images=[ImageRef(path=f"images/{item_id}-{i}.png", sha256="1" * 64) for i in (1, 2)],
            ),
        ],
        gold=GOLD[task],
        score=score,
        seconds=2.5,
        usage=Usage(prompt_tokens=1000, completion_tokens=200),
        cost_usd=0.0123,
    )
    if status == "error":
        trace.error = "model fake:model: HTTP 500 from the server"
        return trace
    steps: list = []
    if mode == "tools":
        call = ToolCall(id="c0", name="test_poses", arguments='{"candidates": ["move y -4"]}', path="native")
        steps.append(
            ModelStep(
                turn=0,
                started_at=0,
                seconds=0.1,
                messages_sent=2,
                images_sent=2,
                text="Render the candidates.",
                tool_calls=[call],
            )
        )
        steps.append(
            ToolStep(
                turn=0,
                started_at=0,
                seconds=1.0,
                call_id="c0",
                name="test_poses",
                arguments=call.arguments,
                ok=True,
                result='{"best": [{"commands": "move y -4", "similarity": 0.8576}]}',
                images=[ImageRef(path="work/poses/p1.png", sha256="2" * 64, source="tool")],
            )
        )
    used = sum(len(s.text) for s in steps if s.kind == "model")
    steps.append(
        ModelStep(
            turn=1 if steps else 0,
            started_at=0,
            seconds=0.2,
            messages_sent=4,
            images_sent=2,
            text=final,
            reasoning="r" * (chars - used - len(final)),
        )
    )
    trace.steps = steps
    trace.final_text = final
    trace.parseable = status != "unparseable"
    trace.parsed = _answer(task, status) if trace.parseable else None
    trace.parse_method = "command" if trace.parseable else "none"
    trace.exact_match = status == "correct"
    assert trace.status == status and trace.reasoning_chars == chars
    return trace


def make_run(root: Path, plan=RESULTS_PLAN, extra_items: tuple[str, ...] = ("misi-T3-1acj-0",)) -> Path:
    """A run directory as `agent run` leaves it: manifest, results.jsonl, traces/<mode>/<item>.json."""
    items = sorted({p[0] for p in plan})
    manifest = RunManifest(
        run_id="r1",
        benchmark="misi",
        bench_dir="bench",
        model="fake:model",
        modes=["direct", "tools"],
        access="images",
        item_ids=items + list(extra_items),
    )
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.json").write_text(manifest.model_dump_json(indent=1))
    writer = ResultWriter(root / RESULTS)
    attempts: dict[tuple[str, str], int] = {}
    for item_id, mode, status, chars, score in plan:
        trace = make_trace(item_id, mode, status, chars, score)
        rel = f"traces/{mode}/{item_id}.json"
        write_trace(trace, root / rel)
        attempts[(mode, item_id)] = attempts.get((mode, item_id), 0) + 1
        writer.append(
            ResultLine(
                item_id=item_id,
                benchmark="misi",
                task=trace.task,
                task_name=trace.task_name,
                mode=mode,
                model=trace.model,
                access="images",
                status=status,
                score=score,
                exact_match=trace.exact_match,
                parsed=trace.parsed,
                parse_method=trace.parse_method,
                gold=trace.gold,
                final_text=trace.final_text,
                error=trace.error,
                attempt=attempts[(mode, item_id)],
                seconds=trace.seconds,
                usage=trace.usage,
                cost_usd=trace.cost_usd,
                n_tool_calls=trace.n_tool_calls,
                reasoning_chars=trace.reasoning_chars,
                trace=rel,
            )
        )
    writer.close()
    return root


@pytest.fixture
def run(tmp_path: Path):
    return open_run(make_run(tmp_path / "run"))


def keys(lines) -> set[tuple[str, str]]:
    return {(x.item_id, x.mode) for x in lines}


def test_latest_line_counts_and_modes_follow_the_manifest(run) -> None:
    assert run.modes == ["direct", "tools"] and len(run.lines) == 8
    assert run.lines[("tools", "misi-T2-1g9v-0")].status == "correct"
    assert [x.mode for x in select(run) if x.item_id == "misi-T1-1acj-0"] == ["direct", "tools"]


def test_status_task_and_mode_filters(run) -> None:
    assert keys(select(run, statuses=["correct"])) == {
        ("misi-T2-1acj-0", "direct"),
        ("misi-T1-1acj-0", "tools"),
        ("misi-T2-1acj-0", "tools"),
        ("misi-T2-1g9v-0", "tools"),
    }
    assert keys(select(run, statuses=["wrong"])) == {
        ("misi-T1-1acj-0", "direct"),
        ("misi-T1-1g9v-0", "tools"),
    }
    assert keys(select(run, statuses=["unparseable", "error"])) == {
        ("misi-T1-1g9v-0", "direct"),
        ("misi-T2-1g9v-0", "direct"),
    }
    assert keys(select(run, task="t1")) == keys(select(run, task="Translation"))
    assert {x.item_id for x in select(run, task="T1")} == {"misi-T1-1acj-0", "misi-T1-1g9v-0"}
    assert keys(select(run, mode="tools", statuses=["wrong"])) == {("misi-T1-1g9v-0", "tools")}
    with pytest.raises(RunError, match=r"mode 'cot' is not in run .* \(modes: direct, tools\)"):
        select(run, mode="cot")
    with pytest.raises(RunError, match=r"task 'T9' .*\(tasks: T1, T2\)"):
        select(run, task="T9")


def test_reasoning_summary_by_outcome_and_rank_correlation(run) -> None:
    direct, tools = reasoning_summary(select(run), run.modes)
    assert direct.mode == "direct" and direct.n == 3  # the error is left out
    assert (direct.by_outcome["correct"].median, direct.by_outcome["wrong"].mean) == (300, 100)
    assert direct.by_outcome["unparseable"].n == 1 and direct.by_outcome["unparseable"].median == 50
    # lengths (100, 300, 50) vs scores (0, 1, 0): ranks (2, 3, 1) vs (1.5, 3, 1.5) → 1.5 / √3
    assert direct.spearman == pytest.approx(3**0.5 / 2)
    correct = tools.by_outcome["correct"]
    assert (tools.n, correct.n, correct.median, correct.mean) == (4, 3, 500, 500)
    assert tools.by_outcome["unparseable"] == type(correct)(0, None, None)
    assert tools.spearman == pytest.approx(3 / 15**0.5)  # lengths (400, 600, 200, 500), scores (1, 1, .5, 1)
    only_t1 = reasoning_summary(select(run, task="T1", mode="tools"), run.modes)
    assert [s.mode for s in only_t1] == ["tools"] and only_t1[0].spearman is None  # two items: no ρ


def test_spearman_edge_cases() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # ties in both variables share their average rank, as scipy.stats.spearmanr does
    assert spearman([3, 1, 4, 1, 5, 9, 2, 6], [0, 0, 1, 0.5, 1, 1, 0, 0.5]) == pytest.approx(0.6654104630507)
    assert spearman([5, 5, 5], [0, 1, 0]) is None and spearman([1, 2], [0, 1]) is None


def test_find_resolves_modes_and_suggests_close_matches(run) -> None:
    assert find(run, "misi-T1-1acj-0", "tools").status == "correct"
    with pytest.raises(RunError, match="ran in modes direct, tools: choose one with --mode"):
        find(run, "misi-T1-1acj-0")
    with pytest.raises(RunError, match="close matches: misi-T1-1acj-0"):
        find(run, "misi-T1-1acj-7")
    with pytest.raises(RunError, match="misi-T3-1acj-0 has no finished result"):
        find(run, "misi-T3-1acj-0")
    with pytest.raises(RunError, match=r"no 'cot' result .*\(modes: direct, tools\)"):
        find(run, "misi-T2-1acj-0", "cot")


def test_load_trace_and_its_failures(run) -> None:
    trace = load_trace(run, find(run, "misi-T1-1acj-0", "tools"))
    assert trace.n_tool_calls == 1 and trace.reasoning_chars == 400 and trace.status == "correct"
    line = find(run, "misi-T2-1acj-0", "direct")
    path = run.root / line.trace
    path.write_text('{"item_id": "misi-T2-1acj-0", "steps": [')
    with pytest.raises(RunError) as bad:
        load_trace(run, line)
    assert str(bad.value).startswith(f"trace {path}: not a valid trace") and "\n" not in str(bad.value)
    path.unlink()
    with pytest.raises(RunError, match="no such file"):
        load_trace(run, line)


def test_open_run_rejects_what_is_not_a_run(tmp_path: Path) -> None:
    with pytest.raises(RunError, match="no such directory"):
        open_run(tmp_path / "missing")
    with pytest.raises(RunError, match="not a run directory"):
        open_run(tmp_path)


def test_flip_verdict() -> None:
    assert flip_verdict("direct", "wrong", "tools", "correct") == "direct wrong → tools right"
    assert flip_verdict("a:cot", "correct", "b:cot", "unparseable") == "a:cot right → b:cot unparseable"
