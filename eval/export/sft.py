"""Supervised fine-tuning conversations for vision-language models (Qwen2.5-VL and others), in the two
layouts the common trainers read:

    OUT/misi_<split>.json          LLaMA-Factory: a JSON list of {"messages": [...], "images": [...]}
                                   (sharegpt formatting with role/content tags), image paths relative to
                                   OUT, which is the `dataset_dir` (LLaMA-Factory's default media_dir)
    OUT/dataset_info.json          its registration: one `misi_<split>` entry per split
    OUT/misi_<split>.swift.jsonl   ms-swift: one {"messages": [...], "images": [...]} per line, absolute
                                   image paths (ms-swift resolves relative ones against the working
                                   directory, not the file)
    OUT/misi_<split>.index.jsonl   per row, in the same order: id, task, pdb_id, gold
    OUT/images/<split>/*.png       the images, hard-linked from the benchmark (copied across devices)

The user turn is the item's prompt followed by one `Image N: <image>` line per image, the order in which
the evaluation harness sends them; the assistant turn is the gold answer, nothing more.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from eval.export.source import ExportError, Progress, items_with_images, pdb_id, select_splits
from eval.items import Item
from tools.atomic import write_atomic

IMAGE_TAG = "<image>"


def llamafactory_entry(file_name: str) -> dict[str, Any]:
    return {
        "file_name": file_name,
        "formatting": "sharegpt",
        "columns": {"messages": "messages", "images": "images"},
        "tags": {
            "role_tag": "role",
            "content_tag": "content",
            "user_tag": "user",
            "assistant_tag": "assistant",
        },
    }


def conversation(item: Item) -> list[dict[str, str]]:
    if IMAGE_TAG in item.prompt or IMAGE_TAG in item.gold:
        raise ExportError(f"{item.id}: its text contains {IMAGE_TAG}, which trainers read as an image slot")
    slots = "".join(f"\nImage {i}: {IMAGE_TAG}" for i in range(1, len(item.images) + 1))
    return [
        {"role": "user", "content": item.prompt.rstrip("\n") + "\n" + slots},
        {"role": "assistant", "content": item.gold},
    ]


def _link(src: Path, dest: Path) -> None:
    if dest.is_file() and dest.stat().st_size == src.stat().st_size:
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(src, tmp)
    tmp.replace(dest)


def export_sft(
    bench_dir: Path, out: Path, splits: list[str], workers: int = 1, progress: Progress | None = None
) -> dict[str, int]:
    """Write both layouts for each split; returns rows per split."""
    out = Path(out)
    benches = select_splits(bench_dir, splits)
    info_path = out / "dataset_info.json"
    info: dict[str, Any] = json.loads(info_path.read_text()) if info_path.is_file() else {}
    rows: dict[str, int] = {}
    for split, bench in benches.items():
        items = items_with_images(bench, workers, progress, f"{split} render")
        factory, swift, index = [], [], []
        for n, item in enumerate(items, start=1):
            rel = []
            for im in item.images:
                name = f"images/{split}/{Path(im.path).name}"
                _link(bench.root / im.path, out / name)
                rel.append(name)
            messages = conversation(item)
            factory.append({"messages": messages, "images": rel})
            swift.append({"messages": messages, "images": [str((out / r).absolute()) for r in rel]})
            index.append({"id": item.id, "task": item.task, "pdb_id": pdb_id(item), "gold": item.gold})
            if progress:
                progress(f"{split} rows", n, len(items))
        name = f"misi_{split}"
        write_atomic(out / f"{name}.json", json.dumps(factory, ensure_ascii=False, indent=1) + "\n")
        write_atomic(
            out / f"{name}.swift.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in swift)
        )
        write_atomic(
            out / f"{name}.index.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in index)
        )
        info[name] = llamafactory_entry(f"{name}.json")
        rows[split] = len(items)
    write_atomic(info_path, json.dumps(info, indent=1, sort_keys=True) + "\n")
    return rows
