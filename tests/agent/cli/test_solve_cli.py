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
    assert bad.returncode == 1 and "tool error" in bad.stdout and "Traceback" not in bad.stderr
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
