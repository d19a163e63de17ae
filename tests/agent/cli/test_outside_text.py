"""Text from outside (model replies, server errors) is shown verbatim and never breaks a command, whatever
console markup it happens to contain."""

from eval.run.results import latest
from tests.agent.cli.clirun import run_agent
from tests.agent.models.fake_openai_server import Reply, replies

REPLY = "[/INST] I think [bold]carefully[/bold] [redacted] :smile: [/] Final answer: move x 1"
REASONING = "step [/INST] one [red]two[/red]"
ERROR = "Not Found [/v1/x] [bold]"


def _alternating():
    """Every other request fails with a marked-up server error; the others reply with marked-up text."""
    count = iter(range(1_000_000))

    def reply(_body) -> Reply:
        if next(count) % 2:
            return replies.error(404, ERROR)
        return replies.text(REPLY, reasoning_content=REASONING)

    return reply


def test_run_records_every_item_and_show_prints_the_text_verbatim(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(default=_alternating())
    run_dir = tmp_path / "run"
    proc = run_agent(
        "run", "--data", str(small_bench), "--tasks", "T1,T2", "--mode", "direct", "--model", "fake-vlm",
        "--base-url", server.url, "--max-retries", "0", "--run-dir", str(run_dir),
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert "Traceback" not in proc.stderr, proc.stderr
    final = latest(run_dir / "results.jsonl")
    assert len(final) == 4, proc.stderr  # no item abandoned after the first error
    errors = {k: x for k, x in final.items() if x.status == "error"}
    assert len(errors) == 2 and all(ERROR in x.error for x in errors.values())
    assert proc.returncode == 1 and ERROR in proc.stderr  # each error printed as the server sent it

    answered = next(x.item_id for x in final.values() if x.status != "error")
    shown = run_agent("trace", "show", str(run_dir), answered, env={"COLUMNS": "300"})
    assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr
    assert REPLY in shown.stdout and REASONING in shown.stdout
    listing = run_agent("trace", "list", str(run_dir), "--errors", env={"COLUMNS": "300"})
    assert listing.returncode == 0 and ERROR in listing.stdout, listing.stderr


def test_solve_writes_the_trace_and_prints_the_reply_verbatim(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(default=replies.text(REPLY, reasoning_content=REASONING))
    out = tmp_path / "solve"
    proc = run_agent(
        "solve", "--item", "misi-T1-1acj-0", "--mode", "direct", "--bench-dir", str(small_bench),
        "--model", "fake-vlm", "--base-url", server.url, "--out", str(out), env={"COLUMNS": "300"},
    )  # fmt: skip
    assert "Traceback" not in proc.stderr, proc.stderr
    assert REPLY in proc.stdout and REASONING in proc.stdout
    assert len(list(out.glob("misi-T1-1acj-0.direct.*.json"))) == 1


def test_a_server_error_with_markup_is_shown_verbatim_by_solve(small_bench, fake_openai, tmp_path) -> None:
    server = fake_openai(default=replies.error(404, ERROR))
    proc = run_agent(
        "solve", "--item", "misi-T1-1acj-0", "--mode", "direct", "--bench-dir", str(small_bench),
        "--model", "fake-vlm", "--base-url", server.url, "--max-retries", "0", "--out", str(tmp_path),
        env={"COLUMNS": "300"},
    )  # fmt: skip
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert ERROR in proc.stdout and list(tmp_path.glob("*.json"))
