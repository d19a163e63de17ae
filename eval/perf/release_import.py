"""Reading a release as downloaded: seconds and peak memory to inspect and import synthetic per-task
archives at the release's scale per item (6 images of 512 px each), in three layouts: a zip of json +
PNG files, a zip holding one pickle of dicts with PNG bytes, and a tar.gz of parquet with image structs.

    python -m eval.perf.release_import [--records 500]
"""

from __future__ import annotations

import argparse
import io
import json
import pickle
import resource
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from eval.misi.release import import_release
from eval.misi.release.inspect import inspect_release


def _png(seed: int, size: int = 512) -> bytes:
    """A render-like image: black background, a few coloured discs (compresses as renders do)."""
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(im)
    for _ in range(40):
        x, y, r = rng.integers(40, size - 40, 2).tolist() + [int(rng.integers(4, 12))]
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(c) for c in rng.integers(60, 255, 3)))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _records(n: int, images: list[list[bytes]]) -> list[dict]:
    return [
        {"id": f"q{i}", "question": f"(PDB ID: 1ABC) question {i}", "answer": "No", "images": images[i]}
        for i in range(n)
    ]


def make(root: Path, n: int) -> None:
    images = [[_png(i * 6 + k) for k in range(6)] for i in range(n)]
    with zipfile.ZipFile(root / "test-interaction-neg-1160.zip", "w") as zf:
        rows = []
        for i, ims in enumerate(images):
            for k, data in enumerate(ims):
                zf.writestr(f"neg/images/{i}_{k}.png", data)
            rows.append(
                {**_records(1, [[]])[0], "id": f"q{i}", "images": [f"images/{i}_{k}.png" for k in range(6)]}
            )
        zf.writestr("neg/test.json", json.dumps(rows))
    with zipfile.ZipFile(root / "test-interaction-pos-1160.zip", "w") as zf:
        zf.writestr("pos/test.pkl", pickle.dumps(_records(n, images), protocol=4))
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "id": [f"z{i}" for i in range(n)],
            "prompt": [f"(PDB ID: 1ABC) zoom {i}" for i in range(n)],
            "answer": ["move z 45"] * n,
            "images": [[{"bytes": d, "path": None} for d in ims[:4]] for ims in images],
        }
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    with tarfile.open(root / "test_scale.tar.gz", "w:gz") as tf:
        info = tarfile.TarInfo("test_scale/test.parquet")
        info.size = buf.tell()
        buf.seek(0)
        tf.addfile(info, buf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=500, help="records per archive")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "release"
        root.mkdir()
        make(root, args.records)
        size = sum(p.stat().st_size for p in root.iterdir()) / 1e6
        start = time.perf_counter()
        inspect_release(root)
        inspected = time.perf_counter() - start
        start = time.perf_counter()
        summary = import_release(root, Path(tmp) / "bench")
        imported = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{len(list(root.iterdir()))} archives, {size:.0f} MB, {summary.items} items, "
            f"{sum(summary.image_formats.values())} images"
        )
        print(
            f"inspect {inspected:.1f} s, import {imported:.1f} s "
            f"({summary.items / imported:.0f} items/s), peak RSS {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
