"""A SciVideoBench release laid out as the official one, for tests: a jsonl and jove_{video_id} videos.

The video is 24 real microscopy frames (eval/data/videos/trackpy_bulk_water) at 24 fps: 1.0 s.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image

from tools.frames.video import encode_mp4

FRAMES = Path(__file__).resolve().parent.parent / "eval" / "data" / "videos" / "trackpy_bulk_water"
QUESTION = "What is the purpose of transferring the sample between chambers as shown between 02:22 and 02:33?"
OPTIONS = {
    "A": "Align the sample with the deposition target",
    "B": "Cool the sample before deposition",
    "C": "Measure sample thickness prior to coating",
    "D": "Preserve main chamber vacuum integrity",
    "E": "Remove residual solvent",
    "F": "Calibrate the thickness monitor",
    "G": "Expose the sample to air",
    "H": "Heat the substrate",
    "I": "Rotate the sample holder",
    "J": "Clean the sample surface",
}


@cache
def _video_bytes() -> bytes:
    images = [Image.open(p).convert("RGB") for p in sorted(FRAMES.glob("bulk_water_*.png"))]
    with tempfile.TemporaryDirectory() as tmp:
        return encode_mp4(images, Path(tmp) / "clip.mp4", fps=24).read_bytes()


def row(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "video_id": "58827",
        "question_id": "1",
        "question": QUESTION,
        "options": dict(reversed(list(OPTIONS.items()))),  # the loader must order them, not the file
        "answer": "D",
        "question_type": "Conceptual Reasoning",
        "discipline": "Chemistry",
        "subject": "Nanomaterials",
        "timestamp_breakdown": ["02:22-02:33: transfer"],
        "video_duration": 200.7,
    }
    return {**base, **fields}


def make_release(
    root: Path,
    rows: list[dict[str, Any]],
    videos: dict[str, str] | None = None,
    name: str = "scivideobench.jsonl",
) -> Path:
    """Write the jsonl and, for each video id, the clip at `videos[id]` (relative to root; default
    videos/jove_{id}.mp4)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    wanted = (
        videos
        if videos is not None
        else {str(r["video_id"]): f"videos/jove_{r['video_id']}.mp4" for r in rows}
    )
    for rel in wanted.values():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(_video_bytes())
    return root
