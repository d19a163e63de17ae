"""Releases laid out as the official MiSI-Bench one might be, generated for tests in several plausible
layouts: per-task archives (zip, tar.gz) holding json/jsonl records + image files, a pickled list of dicts
with PNG bytes, a pickled pandas frame with numpy images and chat-style turns, and parquet with image
structs. Every image is a distinct small PNG, so stored files can be checked byte for byte."""

from __future__ import annotations

import io
import json
import pickle
import tarfile
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

BONDS = "ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A"


def png(seed: int, size: int = 24) -> bytes:
    rng = np.random.default_rng(seed)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (size, size, 3), dtype=np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def prompt(pdb_id: str, n: int, extra: str = "") -> str:
    return (
        f"I will provide you with {n} images showing the binding interaction between a protein "
        f"(PDB ID: {pdb_id.upper()}) and a small molecule ligand.{extra}"
    )


def zip_json_with_files(root: Path, polarity: str = "pos", jsonl: bool = False) -> Path:
    """(a) `test-interaction-<pos|neg>-1160.zip`: a folder with records (json or jsonl) + PNG files."""
    name = f"test-interaction-{polarity}-1160"
    records = []
    with zipfile.ZipFile(root / f"{name}.zip", "w") as zf:
        for q in range(3):
            paths = []
            for v in range(6):
                rel = f"images/{q}_{v}.png"
                zf.writestr(f"{name}/{rel}", png(1000 * (polarity == "neg") + 10 * q + v))
                paths.append(rel)
            answer = "Yes: ARG NH2, O1B" if polarity == "pos" else "No"
            records.append(
                {
                    "id": f"{polarity}{q}",
                    "question": prompt("1acj", 6),
                    "answer": answer,
                    "image_paths": paths,
                    "pdb_id": "1acj" if q < 2 else "9zzz",
                }
            )
        if jsonl:
            zf.writestr(f"{name}/test.jsonl", "".join(json.dumps(r) + "\n" for r in records))
        else:
            zf.writestr(f"{name}/test.json", json.dumps(records))
    return root / f"{name}.zip"


def zip_pickled_dicts(root: Path) -> Path:
    """(b) `bind_multiview_test.zip`: one pickle, a list of dicts with PNG bytes; T7 and T9 records mixed."""
    records = [
        {
            "id": 0,
            "question": prompt("1g9v", 7),
            "answer": "roll x 75, move x -14",
            "images": [png(200 + k) for k in range(7)],
        },
        {"id": 1, "question": prompt("1g9v", 6), "answer": BONDS, "images": [png(300 + k) for k in range(6)]},
        {
            "id": 2,
            "question": prompt("1acj", 6),
            "answer": "ASP 72 OD1 A, N1",
            "images": [png(400 + k) for k in range(6)],
        },
    ]
    path = root / "bind_multiview_test.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("bind_multiview_test/test.pkl", pickle.dumps(records, protocol=4))
    return path


def zip_pickled_frame(root: Path) -> Path:
    """(b') `test-location-1160.zip`: a pickled pandas frame, numpy images in image_1…image_6, chat turns."""
    import pandas as pd

    options = "\nA. move x 3, move y 5\nB. move x -3, move y 5\nC. move x 3, move y -5\nD. move x 1, move y 1"
    rng = np.random.default_rng(7)
    rows = []
    for q in range(2):
        row = {
            "sample_id": f"loc-{q}",
            "conversations": [
                {"from": "human", "value": "<image>\n" * 6 + prompt("1acj", 6, options)},
                {"from": "gpt", "value": "BC"[q]},
            ],
        }
        for v in range(1, 7):
            row[f"image_{v}"] = rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)
        rows.append(row)
    path = root / "test-location-1160.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("test-location-1160/data.pkl", pickle.dumps(pd.DataFrame(rows), protocol=5))
    return path


def targz_parquet(root: Path) -> Path:
    """(c) `test_scale.tar.gz`: parquet records whose images are {bytes, path} structs (HF Image feature)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "question_id": ["z0", "z1"],
            "prompt": [prompt("1acj", 4), prompt("5xyz", 4)],
            "answer": ["move z 45", "move z 52"],
            "images": [
                [{"bytes": png(500 + 10 * q + k), "path": f"{q}_{k}.png"} for k in range(4)] for q in range(2)
            ],
        }
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    path = root / "test_scale.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        data = buf.getvalue()
        info = tarfile.TarInfo("test_scale/test-00000-of-00001.parquet")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return path


def release(root: Path) -> Path:
    """A folder with every layout above, as downloaded."""
    root.mkdir(parents=True, exist_ok=True)
    zip_json_with_files(root, "pos")
    zip_json_with_files(root, "neg", jsonl=True)
    zip_pickled_dicts(root)
    zip_pickled_frame(root)
    targz_parquet(root)
    return root


class Hostile:
    """Unpickling this calls `call(*args)`: what a hostile release would do."""

    def __init__(self, call, *args) -> None:
        self.call, self.args = call, args

    def __reduce__(self):
        return self.call, self.args


def hostile_zip(root: Path, payload: object, name: str = "test-location-1160.zip") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    records = [{"id": 0, "question": "q", "answer": "A", "images": [png(1)], "extra": payload}]
    with zipfile.ZipFile(root / name, "w") as zf:
        zf.writestr("test-location-1160/evil.pkl", pickle.dumps(records, protocol=2))
    return root / name


def zip_from_items(root: Path, bench_dir: Path, item_ids: list[str], name: str) -> Path:
    """An archive of records made from built items: their rendered images as files, prompt and gold only
    (no camera, no structure: what an official item gives)."""
    from eval.misi.bench import MisiBenchmark as Benchmark

    bench = Benchmark(bench_dir)
    root.mkdir(parents=True, exist_ok=True)
    records = []
    with zipfile.ZipFile(root / f"{name}.zip", "w") as zf:
        for item_id in item_ids:
            item = bench.item(item_id)
            bench.ensure_images(item)
            paths = []
            for k, im in enumerate(item.images):
                rel = f"{name}/images/{item_id}_{k}.png"
                zf.write(bench_dir / im.path, rel)
                paths.append(f"images/{item_id}_{k}.png")
            records.append(
                {
                    "id": item_id,
                    "prompt": item.prompt,
                    "answer": item.gold,
                    "images": paths,
                    "options": item.options,
                }
            )
        zf.writestr(f"{name}/{name}.json", json.dumps(records))
    return root / f"{name}.zip"
