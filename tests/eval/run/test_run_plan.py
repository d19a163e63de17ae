import pytest

from eval.benchmark import BenchmarkError
from eval.run.manifest import RunManifest
from eval.run.plan import pending_jobs
from eval.run.results import ResultLine
from eval.run.selection import read_id_file, round_robin, select_items, tiny


def _manifest(ids: list[str], modes: list[str]) -> RunManifest:
    return RunManifest(run_id="r", benchmark="misi", bench_dir=".", model="m", modes=modes, access="images",
                       item_ids=ids)  # fmt: skip


def _result(item: str, mode: str, status: str, **kw) -> ResultLine:
    return ResultLine(item_id=item, benchmark="misi", task="T1", mode=mode, model="m", access="images",
                      status=status, **kw)  # fmt: skip


def test_pending_jobs_skip_finished_items_and_rerun_errors_with_their_history() -> None:
    manifest = _manifest(["a", "b", "c"], ["direct", "tools"])
    results = {
        ("direct", "a"): _result("a", "direct", "correct"),
        ("tools", "a"): _result("a", "tools", "unparseable"),
        ("direct", "b"): _result(
            "b", "direct", "error", error="HTTP 500", attempt=2, error_history=["timeout"]
        ),
    }
    jobs = pending_jobs(manifest, results)
    assert [(j.item_id, j.mode) for j in jobs] == [
        ("b", "direct"),
        ("b", "tools"),
        ("c", "direct"),
        ("c", "tools"),
    ]
    assert jobs[0].attempt == 3 and jobs[0].history == ["timeout", "HTTP 500"]
    assert jobs[1].attempt == 1 and jobs[1].history == []


def test_tiny_takes_fifty_per_task_with_a_fixed_seed() -> None:
    by_task = {"T1": [f"t1-{i:03d}" for i in range(80)], "T2": [f"t2-{i:03d}" for i in range(30)]}
    first, second = tiny(by_task), tiny({k: list(reversed(v)) for k, v in by_task.items()})
    assert first == second  # independent of listing order
    assert sum(x.startswith("t1") for x in first) == 50 and sum(x.startswith("t2") for x in first) == 30
    assert tiny(by_task, seed=1) != first


def test_round_robin_covers_every_task_before_repeating() -> None:
    by_task = {"T1": ["a1", "a2", "a3"], "T2": ["b1"], "T3": ["c1", "c2"]}
    assert round_robin(by_task, 4) == ["a1", "b1", "c1", "a2"]
    assert round_robin(by_task, 99) == ["a1", "b1", "c1", "a2", "c2", "a3"]


def test_an_id_file_keeps_order_drops_comments_and_rejects_unknown_ids(small_bench, tmp_path) -> None:
    from eval.misi.bench import MisiBenchmark as Benchmark

    bench = Benchmark(small_bench)
    listing = tmp_path / "ids.txt"
    listing.write_text("# chosen\nmisi-T3-1acj-0\n\nmisi-T1-1g9v-0  # second\nmisi-T3-1acj-0\n")
    assert read_id_file(listing) == ["misi-T3-1acj-0", "misi-T1-1g9v-0"]
    assert select_items(bench, ["T1"], items_file=listing) == ["misi-T1-1g9v-0"]
    listing.write_text("misi-T3-1acj-9\n")
    with pytest.raises(BenchmarkError, match="misi-T3-1acj-9"):
        select_items(bench, items_file=listing)
