import json

from eval.trace import Trace
from tests.agent.cli.clirun import run_agent


def test_solve_offline_streams_steps_and_writes_the_trace(small_bench, tmp_path) -> None:
    proc = run_agent(
        "solve",
        "--item",
        "misi-T1-1acj-0",
        "--bench-dir",
        str(small_bench),
        "--out",
        str(tmp_path),
        env={"OPENAI_API_KEY": ""},
    )
    assert proc.returncode == 0, proc.stderr
    assert "builtin:tool-policy" in proc.stdout and "test_poses" in proc.stdout
    assert "exact match: True" in proc.stdout
    trace = Trace.model_validate_json(next(tmp_path.glob("misi-T1-1acj-0.tools.*.json")).read_text())
    assert trace.exact_match and trace.access == "structure" and trace.prompt_hash
    assert trace.messages[0].role == "system" and trace.messages[1].images[0].sha256


def test_solve_unknown_item_lists_close_matches(small_bench) -> None:
    proc = run_agent("solve", "--item", "misi-T1-1acj-7", "--bench-dir", str(small_bench))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "close matches: misi-T1-1acj-0" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_solve_rejects_unknown_mode(small_bench) -> None:
    proc = run_agent("solve", "--item", "misi-T1-1acj-0", "--mode", "magic", "--bench-dir", str(small_bench))
    assert proc.returncode == 2 and "unknown mode 'magic'" in proc.stderr


def test_tools_list_and_call(small_bench, tmp_path) -> None:
    listing = run_agent("tools", "list", "--json")
    assert listing.returncode == 0
    assert "compare_images" in {t["function"]["name"] for t in json.loads(listing.stdout)}
    ok = run_agent(
        "tools",
        "call",
        "compare_images",
        "--item",
        "misi-T1-1acj-0",
        "--args",
        '{"a": 1, "b": 4}',
        "--bench-dir",
        str(small_bench),
        "--out",
        str(tmp_path),
    )
    assert ok.returncode == 0, ok.stderr
    assert "shift_angstrom" in ok.stdout and "image: " in ok.stdout
    bad = run_agent(
        "tools",
        "call",
        "compare_images",
        "--item",
        "misi-T1-1acj-0",
        "--args",
        '{"a": 1, "b": 99}',
        "--bench-dir",
        str(small_bench),
        "--out",
        str(tmp_path),
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "tool error" in bad.stderr and "tool error" not in bad.stdout  # errors go to stderr
    badjson = run_agent(
        "tools",
        "call",
        "compare_images",
        "--item",
        "misi-T1-1acj-0",
        "--args",
        "{a:",
        "--bench-dir",
        str(small_bench),
    )
    assert badjson.returncode == 2 and "--args is not valid JSON" in badjson.stderr


def _solve(small_bench, *args: str, env: dict[str, str] | None = None):
    return run_agent("solve", "--item", "misi-T1-1acj-0", "--bench-dir", str(small_bench), *args, env=env)


def test_an_api_key_without_model_uses_the_builtin_model_and_says_so(small_bench, tmp_path) -> None:
    proc = _solve(small_bench, "--mode", "direct", "--out", str(tmp_path), env={"OPENAI_API_KEY": "sk-x"})
    assert proc.returncode == 0, proc.stderr
    assert "builtin:tool-policy" in proc.stderr and "--model" in proc.stderr
    assert "builtin:tool-policy" in proc.stdout


def test_a_missing_api_key_is_one_line_naming_the_variable_and_the_builtin_model(small_bench) -> None:
    for command in (["solve", "--item", "misi-T1-1acj-0"], ["run", "--limit", "1", "--run-dir", "unused"]):
        model = ["--model", "gpt-4.1-mini", "--api-key-env", "NO_SUCH_KEY"]
        proc = run_agent(*command, "--bench-dir", str(small_bench), *model)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert "NO_SUCH_KEY" in proc.stderr and "builtin:tool-policy" in proc.stderr


def test_traces_of_other_access_never_overwrite_and_out_may_name_the_file(small_bench, tmp_path) -> None:
    for access in ("structure", "images"):
        proc = _solve(small_bench, "--mode", "direct", "--access", access, "--out", str(tmp_path))
        assert proc.returncode == 0, proc.stderr
    traces = list(tmp_path.glob("misi-T1-1acj-0.direct.*.json"))
    assert sorted(Trace.model_validate_json(t.read_text()).access for t in traces) == ["images", "structure"]
    target = tmp_path / "one" / "X.json"
    (tmp_path / "one").mkdir()
    proc = _solve(small_bench, "--mode", "direct", "--out", str(target))
    assert proc.returncode == 0 and target.is_file() and Trace.model_validate_json(target.read_text())
    missing = _solve(small_bench, "--mode", "direct", "--out", str(tmp_path / "nope" / "X.json"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr and not (tmp_path / "nope").exists()
