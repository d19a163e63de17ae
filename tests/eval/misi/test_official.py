import json
from pathlib import Path

import pytest
from PIL import Image

from eval.misi.bench import MisiBenchmark as Benchmark
from eval.misi.official import OfficialFormatError, import_official


def _release(root: Path, rows: list[dict]) -> Path:
    (root / "imgs").mkdir(parents=True)
    for k in range(3):
        Image.new("RGB", (8, 8), (k * 40, 0, 0)).save(root / "imgs" / f"{k}.png")
    (root / "test.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return root


def test_rows_become_items(tmp_path: Path) -> None:
    src = _release(
        tmp_path / "src",
        [
            {
                "id": "q1",
                "task": "Translation",
                "question": "I will provide...",
                "images": ["imgs/0.png", "imgs/1.png"],
                "answer": "move x 4",
                "pdb_id": "1abc",
            },
            {
                "id": "q2",
                "task": "T5",
                "question": "Pick",
                "images": ["imgs/2.png"],
                "answer": "C",
                "options": ["a", "b", "c", "d"],
            },
        ],
    )
    items = import_official(src, tmp_path / "bench")
    assert [i.id for i in items] == ["misi-official-T1-q1", "misi-official-T5-q2"]
    assert items[0].answer_format == "translation" and items[1].options == {
        "A": "a",
        "B": "b",
        "C": "c",
        "D": "d",
    }
    assert items[0].metadata["layout_checked"] is False
    bench = Benchmark(tmp_path / "bench")
    assert bench.item("misi-official-T1-q1").gold == "move x 4"
    assert all((tmp_path / "bench" / im.path).is_file() for im in items[0].images)


def test_missing_fields_and_images_are_named(tmp_path: Path) -> None:
    src = _release(
        tmp_path / "src", [{"id": "q1", "task": "Translation", "images": ["imgs/0.png"], "answer": "x"}]
    )
    with pytest.raises(OfficialFormatError, match="test.jsonl:1: no 'prompt' field"):
        import_official(src, tmp_path / "bench")
    src2 = _release(
        tmp_path / "src2", [{"task": "T1", "prompt": "p", "images": ["imgs/9.png"], "answer": "x"}]
    )
    with pytest.raises(OfficialFormatError, match="image 1 not found"):
        import_official(src2, tmp_path / "bench2")
