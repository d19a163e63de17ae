import json

from eval.run.results import ResultLine, ResultWriter, cut_torn_tail, iter_lines, latest


def _line(item: str, mode: str = "direct", status: str = "wrong", **kw) -> ResultLine:
    return ResultLine(item_id=item, benchmark="misi", task="T1", mode=mode, model="m", access="images",
                      status=status, **kw)  # fmt: skip


def test_lines_are_appended_and_the_last_per_key_counts(tmp_path) -> None:
    path = tmp_path / "results.jsonl"
    writer = ResultWriter(path)
    writer.append(_line("a", status="error", error="HTTP 500"))
    writer.append(_line("b"))
    writer.append(_line("a", status="correct", attempt=2, error_history=["HTTP 500"]))
    writer.close()
    assert len(path.read_text().splitlines()) == 3
    final = latest(path)
    assert set(final) == {("direct", "a"), ("direct", "b")}
    assert final[("direct", "a")].status == "correct" and final[("direct", "a")].error_history == ["HTTP 500"]


def test_a_torn_last_line_is_skipped_then_cut_before_the_next_append(tmp_path) -> None:
    path = tmp_path / "results.jsonl"
    good = json.dumps(_line("a").model_dump(mode="json")) + "\n"
    path.write_text(good + good[:40])  # a writer killed mid-line
    assert [x.item_id for x in iter_lines(path)] == ["a"]
    writer = ResultWriter(path)
    writer.append(_line("b"))
    writer.close()
    lines = path.read_text().splitlines()
    assert len(lines) == 2 and all(json.loads(x)["item_id"] in {"a", "b"} for x in lines)


def test_a_corrupt_middle_line_is_skipped_not_fatal(tmp_path) -> None:
    path = tmp_path / "results.jsonl"
    good = json.dumps(_line("a").model_dump(mode="json"))
    other = good.replace('"a"', '"b"')
    path.write_text(f"{good}\nnot json\n{other}\n")
    assert [x.item_id for x in iter_lines(path)] == ["a", "b"]


def test_cut_torn_tail_leaves_a_clean_file_alone(tmp_path) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text("x\n")
    cut_torn_tail(path)
    assert path.read_text() == "x\n"
