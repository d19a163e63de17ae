"""Video frames as PNG files for a model's message, decoded once per video and reused.

Frames are downscaled to at most MAX_SIDE pixels on the long side: 32 full-HD frames would be ~100 MB
of base64 per request, and models resize far below 1080p anyway. Files go to
out_dir/<video stem>-<key>/<index>-<side>.png, the key changing with the video file (path, size, mtime),
so questions on the same video, and reruns, decode nothing twice. Each PNG carries its frame time in a
text chunk, so a reused file needs no decoding to be described. Writes are atomic: concurrent items on
one video at worst decode the same frame twice.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, PngImagePlugin

from tools.atomic import write_atomic
from tools.frames.video import frames_at

MAX_SIDE = 512


@dataclass(frozen=True)
class FrameFile:
    index: int
    time: float  # seconds from the start of the stream
    path: Path


def cache_dir(video: Path, out_dir: Path) -> Path:
    stat = video.stat()
    key = hashlib.sha256(f"{video.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:10]
    return out_dir / f"{video.stem}-{key}"


def _fit(image: Image.Image, max_side: int) -> Image.Image:
    factor = max_side / max(image.size)
    if factor >= 1:
        return image.convert("RGB")
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def _stored_time(path: Path) -> float | None:
    try:
        with Image.open(path) as im:
            return float(im.info["time"])  # PNG text chunks are in info too
    except (OSError, KeyError, ValueError):
        return None


def frame_files(video: Path, indices: list[int], out_dir: Path, max_side: int = MAX_SIDE) -> list[FrameFile]:
    """The frames at `indices` (in that order, repeats allowed) as PNG files under out_dir."""
    folder = cache_dir(video, out_dir)
    paths = {i: folder / f"{i:06d}-{max_side}.png" for i in indices}
    times = {i: t for i in paths if (t := _stored_time(paths[i])) is not None}
    missing = sorted(set(indices) - times.keys())
    for frame in frames_at(video, missing) if missing else []:
        info = PngImagePlugin.PngInfo()
        info.add_text("time", repr(frame.time))
        buffer = io.BytesIO()
        _fit(frame.image, max_side).save(buffer, format="PNG", pnginfo=info)
        write_atomic(paths[frame.index], buffer.getvalue())
        times[frame.index] = frame.time
    return [FrameFile(i, times[i], paths[i]) for i in indices]
