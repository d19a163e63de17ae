import json
from pathlib import Path

import datasets
import pytest

from eval.export.sft import IMAGE_TAG, export_sft
from eval.misi.bench import MisiBenchmark as Benchmark


@pytest.fixture(scope="module")
def sft_out(split_bench: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sft")
    rows = export_sft(split_bench, out, ["train"], workers=2)
    assert rows == {"train": len(Benchmark(split_bench / "train").ids)}
    return out


def _check_record(record: dict, item, image_paths: list[Path]) -> None:
    user, assistant = record["messages"]
    assert user["role"] == "user" and assistant["role"] == "assistant"
    assert assistant["content"] == item.gold
    assert user["content"].startswith(item.prompt.rstrip("\n"))
    assert user["content"].count(IMAGE_TAG) == len(record["images"]) == len(item.images)
    assert all(p.is_file() for p in image_paths)
    for p, ref in zip(image_paths, item.images):
        assert p.name == Path(ref.path).name


def test_llamafactory_layout(sft_out: Path, split_bench: Path) -> None:
    info = json.loads((sft_out / "dataset_info.json").read_text())
    entry = info["misi_train"]
    assert entry["formatting"] == "sharegpt" and entry["columns"] == {
        "messages": "messages",
        "images": "images",
    }
    assert entry["tags"]["role_tag"] == "role" and entry["tags"]["assistant_tag"] == "assistant"
    records = json.loads((sft_out / entry["file_name"]).read_text())
    index = [json.loads(ln) for ln in (sft_out / "misi_train.index.jsonl").read_text().splitlines()]
    bench = Benchmark(split_bench / "train")
    assert sorted(r["id"] for r in index) == bench.ids and len(records) == len(index)
    for record, meta in zip(records, index):
        item = bench.item(meta["id"])
        assert meta["gold"] == item.gold
        # LLaMA-Factory resolves images against dataset_dir (this folder)
        _check_record(record, item, [sft_out / p for p in record["images"]])
    # the file reads as a table of (messages, images) with the `datasets` json loader LLaMA-Factory uses
    ds = datasets.load_dataset("json", data_files=str(sft_out / entry["file_name"]))["train"]
    assert ds.column_names == ["messages", "images"] and len(ds) == len(records)


def test_ms_swift_layout(sft_out: Path, split_bench: Path) -> None:
    lines = (sft_out / "misi_train.swift.jsonl").read_text().splitlines()
    index = [json.loads(ln) for ln in (sft_out / "misi_train.index.jsonl").read_text().splitlines()]
    bench = Benchmark(split_bench / "train")
    assert len(lines) == len(index) == len(bench.ids)
    for line, meta in zip(lines, index):
        record = json.loads(line)
        assert set(record) == {"messages", "images"}
        assert all(Path(p).is_absolute() for p in record["images"])
        _check_record(record, bench.item(meta["id"]), [Path(p) for p in record["images"]])
    ds = datasets.load_dataset("json", data_files=str(sft_out / "misi_train.swift.jsonl"))["train"]
    assert len(ds) == len(lines)


def test_only_the_train_split_unless_asked(sft_out: Path, split_bench: Path, tmp_path: Path) -> None:
    assert not (sft_out / "misi_test.json").exists()
    assert not (sft_out / "images" / "test").exists()
    rows = export_sft(split_bench, tmp_path, ["test"])
    assert rows == {"test": len(Benchmark(split_bench / "test").ids)}
    assert set(json.loads((tmp_path / "dataset_info.json").read_text())) == {"misi_test"}
