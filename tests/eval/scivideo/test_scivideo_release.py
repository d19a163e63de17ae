"""Loading a SciVideoBench release laid out exactly as the official one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.benchmark import BenchmarkError
from eval.scivideo import MissingVideoError, ReleaseError, open_scivideo
from tests.scivideo_support import OPTIONS, make_release, row

OPTION_LINES = "\n".join(f"{k}. {v}" for k, v in OPTIONS.items())


def test_default_prompt_keeps_timestamps_and_item_fields(tmp_path: Path) -> None:
    bench = open_scivideo(
        make_release(tmp_path / "rel", [row(), row(question_type="Quantitative Reasoning")])
    )
    assert bench.ids == ["scivideo-0000", "scivideo-0001"] and bench.root == tmp_path / "rel"
    item = bench.item("scivideo-0000")
    expected = (
        "What is the purpose of transferring the sample between chambers as shown between 02:22 and 02:33?\n"
        "A. Align the sample with the deposition target\n"
        "B. Cool the sample before deposition\n"
        "C. Measure sample thickness prior to coating\n"
        "D. Preserve main chamber vacuum integrity\n"
        "E. Remove residual solvent\n"
        "F. Calibrate the thickness monitor\n"
        "G. Expose the sample to air\n"
        "H. Heat the substrate\n"
        "I. Rotate the sample holder\n"
        "J. Clean the sample surface\n"
        "\n"
        "Answer with the option's letter from the given choices directly."
    )
    assert item.prompt == expected
    assert (item.benchmark, item.task, item.task_name, item.gold) == (
        "scivideo",
        "conceptual",
        "Conceptual Reasoning",
        "D",
    )
    assert list(item.options or {}) == list("ABCDEFGHIJ") and item.answer_format == "choice"
    assert item.video is not None and item.video.path == "videos/jove_58827.mp4"
    assert item.video.duration == 200.7 and item.video.fps == pytest.approx(24.0)
    assert item.prompt_template == "scivideo/direct" and len(item.prompt_hash) == 64
    meta = item.metadata
    assert (meta["video_id"], meta["question_id"], meta["row"], meta["discipline"]) == (
        "58827",
        "1",
        0,
        "Chemistry",
    )
    assert meta["subject"] == "Nanomaterials" and meta["timestamp_breakdown"] == ["02:22-02:33: transfer"]
    assert "gold" not in item.view().model_dump() and "answer" not in meta
    assert [it.id for it in bench.items(["Quantitative"])] == ["scivideo-0001"]


def test_official_prompt_byte_for_byte(tmp_path: Path) -> None:
    from eval.scivideo.protocol import item_prompt

    item = open_scivideo(make_release(tmp_path, [row()])).item("scivideo-0000")
    text, template = item_prompt(item, "official", "direct")
    # lmms-eval scivideobench: f"{question}\n{options}\n{post_prompt}", post_prompt = "\nAnswer with …"
    assert text == (
        "What is the purpose of transferring the sample between chambers as shown "
        "between frame 142 and frame 153?\n"
        "A. Align the sample with the deposition target\nB. Cool the sample before deposition\n"
        "C. Measure sample thickness prior to coating\nD. Preserve main chamber vacuum integrity\n"
        "E. Remove residual solvent\nF. Calibrate the thickness monitor\nG. Expose the sample to air\n"
        "H. Heat the substrate\nI. Rotate the sample holder\nJ. Clean the sample surface\n\n"
        "Answer with the option's letter from the given choices directly."
    )
    assert template.id == "scivideo/direct"
    cot, _ = item_prompt(item, "default", "cot")
    assert cot.startswith(item.prompt.rsplit("\n\n", 1)[0] + "\n\nAnswer the given question step-by-step.")
    assert cot.endswith(
        "“Therefore, the final answer is: $LETTER” (without quotes), where $LETTER is one of the "
        "options. Think step by step before answering."
    )


def test_jsonl_path_and_numeric_ids(tmp_path: Path) -> None:
    root = make_release(tmp_path, [row(video_id=58827, question_id=3)])
    bench = open_scivideo(root / "scivideobench.jsonl")
    item = bench.item("scivideo-0000")
    assert bench.root == root and item.metadata["video_id"] == "58827" and item.metadata["question_id"] == "3"


@pytest.mark.parametrize(
    "where", ["videos/jove_58827.MP4", "videos/jove_58827.mkv", "jove_58827.mp4", "jove_58827.mkv"]
)
def test_video_fallbacks(tmp_path: Path, where: str) -> None:
    item = open_scivideo(make_release(tmp_path, [row()], videos={"58827": where})).item("scivideo-0000")
    assert item.video is not None and item.video.path == where


def test_videos_dir_comes_first(tmp_path: Path) -> None:
    root = make_release(tmp_path, [row()], videos={"a": "jove_58827.mp4", "b": "videos/jove_58827.mkv"})
    assert open_scivideo(root).item("scivideo-0000").video.path == "videos/jove_58827.mkv"  # type: ignore[union-attr]


def test_missing_video_names_every_path_tried(tmp_path: Path) -> None:
    bench = open_scivideo(make_release(tmp_path, [row(video_id="999")], videos={}))
    with pytest.raises(MissingVideoError) as err:
        bench.item("scivideo-0000")
    message = str(err.value)
    assert isinstance(err.value, BenchmarkError) and "\n" not in message
    for rel in (
        "videos/jove_999.mp4",
        "videos/jove_999.MP4",
        "videos/jove_999.mkv",
        "jove_999.mp4",
        "jove_999.mkv",
    ):
        assert str(tmp_path / rel) in message


def test_duration_is_probed_when_the_row_has_none(tmp_path: Path) -> None:
    fields = row()
    del fields["video_duration"]
    item = open_scivideo(make_release(tmp_path, [fields])).item("scivideo-0000")
    assert item.video is not None and item.video.duration == pytest.approx(1.0, abs=0.05)


def test_malformed_row_names_file_and_line(tmp_path: Path) -> None:
    root = make_release(tmp_path, [row(), row()])
    jsonl = root / "scivideobench.jsonl"
    lines = jsonl.read_text().splitlines()
    jsonl.write_text(lines[0] + "\n\n" + json.dumps(row(answer="K")) + "\n")
    with pytest.raises(ReleaseError, match=r"scivideobench\.jsonl:3: malformed row \(answer: .*'K'"):
        open_scivideo(root)
    jsonl.write_text(lines[0] + "\n{not json\n")
    with pytest.raises(ReleaseError, match=r"scivideobench\.jsonl:2: not valid JSON"):
        open_scivideo(root)
    fields = row()
    del fields["question"]
    jsonl.write_text(json.dumps(fields) + "\n")
    with pytest.raises(ReleaseError, match=r":1: malformed row \(question: Field required\)"):
        open_scivideo(root)


def test_data_dir_needs_exactly_one_jsonl(tmp_path: Path) -> None:
    root = make_release(tmp_path, [row()])
    (root / "other.jsonl").write_text("")
    with pytest.raises(ReleaseError, match="exactly one"):
        open_scivideo(root)
    with pytest.raises(ReleaseError, match="no such"):
        open_scivideo(tmp_path / "absent")


def test_unknown_id_lists_close_matches(tmp_path: Path) -> None:
    bench = open_scivideo(make_release(tmp_path, [row()] * 3))
    with pytest.raises(BenchmarkError, match="close matches: .*scivideo-0000"):
        bench.item("scivideo-000")
    bench.ensure_images(bench.item("scivideo-0002"))  # nothing to render: must not fail
