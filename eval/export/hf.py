"""A Hugging Face `datasets` export: one split per split, as parquet shards with the images inside.

    OUT/data/<split>-00000-of-0000N.parquet   rows: id, task, task_name, answer_format, prompt, gold,
                                              options, pdb_id, images (Image feature), image_roles
    OUT/README.md                             a dataset card whose `configs` name the shards per split
    OUT/disk/                                 with save_to_disk: the same splits for load_from_disk

`datasets.load_dataset("parquet", data_files={"test": "OUT/data/test-*.parquet"})` and
`datasets.load_dataset("OUT")` both read it. The PNG bytes are stored in the rows, so the export stands
alone. Shards are written under temporary names and renamed once complete.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from eval.export.source import ExportError, Progress, items_with_images, pdb_id, select_splits
from eval.items import Item
from tools.atomic import write_atomic

MAX_SHARD_BYTES = 500 * 1024 * 1024  # about the size the Hub's own parquet conversion aims for
BATCH_ROWS = 64


def features() -> Any:
    import datasets

    text = datasets.Value("string")
    return datasets.Features(
        {
            "id": text,
            "task": text,
            "task_name": text,
            "answer_format": text,
            "prompt": text,
            "gold": text,
            "options": datasets.List({"letter": text, "text": text}),
            "pdb_id": text,
            "images": datasets.List(datasets.Image()),
            "image_roles": datasets.List(text),
        }
    )


def row(item: Item, root: Path) -> dict[str, Any]:
    return {
        "id": item.id,
        "task": item.task,
        "task_name": item.task_name,
        "answer_format": item.answer_format,
        "prompt": item.prompt,
        "gold": item.gold,
        "options": [{"letter": k, "text": v} for k, v in (item.options or {}).items()],
        "pdb_id": pdb_id(item),
        "images": [
            {"bytes": (root / im.path).read_bytes(), "path": Path(im.path).name} for im in item.images
        ],
        "image_roles": [im.role for im in item.images],
    }


def _clear(data: Path, split: str) -> None:
    for old in data.glob(f"{split}-*.parquet"):
        old.unlink()
    for tmp in data.glob(f".{split}-*.tmp"):
        tmp.unlink()


def write_split(
    items: list[Item], root: Path, data: Path, split: str, progress: Progress | None
) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    feats = features()
    schema = feats.arrow_schema
    _clear(data, split)
    shards: list[Path] = []
    writer: pq.ParquetWriter | None = None
    written = 0
    for start in range(0, len(items), BATCH_ROWS):
        batch = [row(it, root) for it in items[start : start + BATCH_ROWS]]
        table = pa.Table.from_pylist([feats.encode_example(r) for r in batch], schema=schema)
        if writer is None or written >= MAX_SHARD_BYTES:
            if writer is not None:
                writer.close()
            shards.append(data / f".{split}-{len(shards):05d}.tmp")
            writer = pq.ParquetWriter(shards[-1], schema)
            written = 0
        writer.write_table(table)
        written += table.nbytes
        if progress:
            progress(f"{split} rows", min(start + BATCH_ROWS, len(items)), len(items))
    if writer is not None:
        writer.close()
    final = []
    for i, tmp in enumerate(shards):
        target = data / f"{split}-{i:05d}-of-{len(shards):05d}.parquet"
        tmp.replace(target)
        final.append(target)
    return final


def _card(splits: list[str]) -> str:
    files = "".join(f"  - split: {s}\n    path: data/{s}-*.parquet\n" for s in splits)
    return (
        "---\nconfigs:\n- config_name: default\n  data_files:\n" + files + "---\n\n"
        "# MiSI-style items\n\nBuilt by molspatial-agent (`agent bench export --format hf`). Columns: "
        "id, task, task_name, answer_format, prompt, gold, options (letter, text), pdb_id, images (PNG, "
        "in the order the prompt names them), image_roles.\n"
    )


def export_hf(
    bench_dir: Path,
    out: Path,
    splits: list[str],
    workers: int = 1,
    save_to_disk: bool = False,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the export; returns rows per split."""
    benches = select_splits(bench_dir, splits)
    data = Path(out) / "data"
    data.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    shards: dict[str, list[Path]] = {}
    for split, bench in benches.items():
        items = items_with_images(bench, workers, progress, f"{split} render")
        if not items:
            raise ExportError(f"{bench.root}: the {split} split has no items")
        shards[split] = write_split(items, bench.root, data, split, progress)
        rows[split] = len(items)
    write_atomic(Path(out) / "README.md", _card(list(benches)))
    if save_to_disk:
        _save_to_disk(Path(out), shards)
    return rows


def _save_to_disk(out: Path, shards: dict[str, list[Path]]) -> None:
    import datasets

    cache = out / ".hf-cache"
    try:
        dd = datasets.DatasetDict(
            {
                s: datasets.Dataset.from_parquet(
                    [str(p) for p in files], features=features(), cache_dir=str(cache)
                )
                for s, files in shards.items()
                if files
            }
        )
        tmp = out / ".disk.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        dd.save_to_disk(str(tmp))
        shutil.rmtree(out / "disk", ignore_errors=True)
        tmp.replace(out / "disk")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
