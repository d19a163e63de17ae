import io
from pathlib import Path

import datasets
import pytest
from PIL import Image

from eval.export.hf import export_hf
from eval.export.source import ExportError
from eval.misi.bench import MisiBenchmark as Benchmark


@pytest.fixture(scope="module")
def hf_out(split_bench: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hf")
    rows = export_hf(split_bench, out, ["train", "test"], workers=2, save_to_disk=True)
    assert rows == {s: len(Benchmark(split_bench / s).ids) for s in ("train", "test")}
    return out


def _check(ds: datasets.DatasetDict, split_bench: Path) -> None:
    assert set(ds) == {"train", "test"}
    for split in ds:
        bench = Benchmark(split_bench / split)
        assert sorted(ds[split]["id"]) == bench.ids
        assert isinstance(ds[split].features["images"].feature, datasets.Image)
        for row in ds[split]:
            item = bench.item(row["id"])
            assert (row["task"], row["task_name"], row["answer_format"]) == (
                item.task,
                item.task_name,
                item.answer_format,
            )
            assert row["gold"] == item.gold and row["prompt"] == item.prompt
            assert row["pdb_id"] == item.structure.pdb_id.upper()
            assert {o["letter"]: o["text"] for o in row["options"]} == (item.options or {})
            assert len(row["images"]) == len(item.images) == len(row["image_roles"])
            for img, ref in zip(row["images"], item.images):
                assert img.size == (96, 96)
                want = Image.open(split_bench / split / ref.path).convert("RGB")
                assert img.convert("RGB").tobytes() == want.tobytes()


def test_parquet_export_loads_with_datasets_and_matches_the_items(hf_out: Path, split_bench: Path) -> None:
    files = {s: sorted(str(p) for p in (hf_out / "data").glob(f"{s}-*.parquet")) for s in ("train", "test")}
    assert all(files.values())
    _check(datasets.load_dataset("parquet", data_files=files), split_bench)
    # the dataset card's configs make the folder itself loadable
    assert set(datasets.load_dataset(str(hf_out))) == {"train", "test"}


def test_images_live_in_the_rows_so_the_export_stands_alone(
    hf_out: Path, split_bench: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "moved"
    (moved / "data").mkdir(parents=True)
    for p in (hf_out / "data").glob("*.parquet"):
        (moved / "data" / p.name).write_bytes(p.read_bytes())
    ds = datasets.load_dataset("parquet", data_files=str(moved / "data" / "test-*.parquet"))["train"]
    img = ds[0]["images"][0]
    assert isinstance(img, Image.Image)
    raw = io.BytesIO()
    img.save(raw, format="PNG")
    assert raw.tell() > 0


def test_save_to_disk_copy_loads_with_load_from_disk(hf_out: Path, split_bench: Path) -> None:
    _check(datasets.load_from_disk(str(hf_out / "disk")), split_bench)


def test_unknown_split_is_one_clear_error(split_bench: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no validation split .it has: train, test"):
        export_hf(split_bench, tmp_path, ["validation"])
