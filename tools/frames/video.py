"""Video decoding and encoding with PyAV: probe, frames by index / timestamp / uniform sampling, MP4 out.

Frame indices count decoded frames from 0 in presentation order. A timestamp t (seconds from the
start of the stream) selects the frame on screen at t: index floor(t · fps). Uniform sampling takes
round(linspace(0, n_frames - 1, N)); the official SciVideoBench protocol truncates instead (see
eval/scivideo/protocol.py).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

ENCODERS = ("libx264", "mpeg4")  # preferred first; PyAV's wheels ship both
_EPS = 1e-6  # seconds: absorbs float error in t · fps at exact frame boundaries


class VideoError(ValueError):
    """A request the video cannot satisfy (bad timestamp, index out of range, unreadable file)."""


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    duration: float  # seconds
    fps: float
    n_frames: int
    width: int
    height: int
    codec: str


@dataclass(frozen=True)
class Frame:
    index: int
    time: float  # seconds from the start of the stream
    image: Image.Image


_FIELD = re.compile(r"\d+")
_SECONDS = re.compile(r"\d+(\.\d+)?")


def parse_timestamp(value: str | float | int) -> float:
    """Seconds from 12.5, "12.5", "m:ss", "mm:ss.s" or "hh:mm:ss[.s]"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    parts = str(value).strip().split(":")
    ok = (
        len(parts) <= 3
        and all(_FIELD.fullmatch(p) for p in parts[:-1])
        and _SECONDS.fullmatch(parts[-1]) is not None
        and all(float(p) < 60 for p in parts[1:])
    )
    if not ok:
        raise VideoError(f"timestamp '{value}' is not seconds (12.5), 'mm:ss[.s]' or 'hh:mm:ss[.s]'")
    seconds = 0.0
    for p in parts:
        seconds = seconds * 60.0 + float(p)
    return seconds


def format_timestamp(seconds: float) -> str:
    """'mm:ss.s' (or 'h:mm:ss.s' from an hour on), truncated like a timecode: never later than `seconds`."""
    tenths = int(max(seconds, 0.0) * 10 + 1e-6)
    h, rest = divmod(tenths, 36000)
    m, rest = divmod(rest, 600)
    s = f"{m:02d}:{rest // 10:02d}.{rest % 10}"
    return f"{h}:{s}" if h else s


def probe(path: str | Path) -> VideoInfo:
    """Duration, frame rate and frame count of the first video stream."""
    path = Path(path)
    if not path.is_file():
        raise VideoError(f"video file not found: {path}")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise VideoError(f"{path.name} has no video stream")
            stream = container.streams.video[0]
            n = stream.frames
            if n <= 0:  # not in the header (e.g. some MKV/WebM): count packets, which is cheap
                n = sum(1 for p in container.demux(stream) if p.size > 0)
            rate = stream.average_rate or stream.guessed_rate or stream.base_rate
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / av.time_base
            else:
                duration = n / float(rate) if rate else 0.0
            fps = float(rate) if rate else (n / duration if duration > 0 else 0.0)
            return VideoInfo(
                path,
                duration,
                fps,
                n,
                stream.codec_context.width,
                stream.codec_context.height,
                stream.codec_context.name,
            )
    except av.FFmpegError as exc:
        raise VideoError(f"cannot read {path.name}: {exc}") from exc


def uniform_indices(n_frames: int, count: int) -> list[int]:
    """Evenly spread frames: round(linspace(0, n_frames - 1, count))."""
    if n_frames <= 0 or count <= 0:
        raise VideoError(f"cannot sample {count} frames from a video of {n_frames} frames")
    return [int(i) for i in np.round(np.linspace(0, n_frames - 1, count)).astype(int)]


def index_at(info: VideoInfo, seconds: float) -> int:
    """The frame on screen at `seconds`; the end of the video (t = duration) is its last frame."""
    if not 0.0 <= seconds <= info.duration + _EPS:
        raise VideoError(
            f"timestamp {seconds:g} s is outside the video: valid times are 0 to {info.duration:g} s "
            f"(00:00.0 to {format_timestamp(info.duration)})"
        )
    return min(info.n_frames - 1, int(np.floor(seconds * info.fps + _EPS)))


def frames_at(path: str | Path, indices: Iterable[int]) -> list[Frame]:
    """Frames at these indices (any order, repeats allowed), returned in the order asked.

    Decodes from the start: exact for any stream (no keyframe/seek arithmetic), linear in the index
    of the last frame asked for.
    """
    wanted = list(indices)
    info = probe(path)
    bad = [i for i in wanted if not 0 <= i < info.n_frames]
    if bad:
        raise VideoError(f"frame indices {bad} are out of range: valid indices are 0 to {info.n_frames - 1}")
    found: dict[int, Frame] = {}
    targets = set(wanted)
    last = max(targets, default=-1)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        start = stream.start_time or 0
        for i, frame in enumerate(container.decode(stream)):
            if i in targets:
                pts, base = frame.pts, stream.time_base
                t = float((pts - start) * base) if pts is not None and base is not None else i / info.fps
                found[i] = Frame(i, t, frame.to_image())
            if i >= last:
                break
    missing = sorted(targets - found.keys())
    if missing:
        raise VideoError(f"the decoder returned no frame for indices {missing} (the stream ended early)")
    return [found[i] for i in wanted]


def frames_at_times(path: str | Path, times: Sequence[str | float]) -> list[Frame]:
    """Frames on screen at these timestamps (seconds or 'mm:ss' strings)."""
    info = probe(path)
    return frames_at(path, [index_at(info, parse_timestamp(t)) for t in times])


def sample_uniform(path: str | Path, count: int) -> list[Frame]:
    return frames_at(path, uniform_indices(probe(path).n_frames, count))


def _even_rgb(image: Image.Image | np.ndarray) -> np.ndarray:
    """uint8 RGB with even width and height (yuv420p halves both), padding by edge replication."""
    im = (
        image.convert("RGB")
        if isinstance(image, Image.Image)
        else Image.fromarray(np.asarray(image)).convert("RGB")
    )
    arr = np.asarray(im)
    pad = ((0, arr.shape[0] % 2), (0, arr.shape[1] % 2), (0, 0))
    return np.pad(arr, pad, mode="edge") if any(p[1] for p in pad[:2]) else arr


def encoder_name() -> str:
    """The first of ENCODERS this PyAV build can encode with."""
    for name in ENCODERS:
        try:
            av.codec.Codec(name, "w")
            return name
        except ValueError:  # UnknownCodecError
            continue
    raise VideoError(f"this PyAV build has none of the encoders {ENCODERS}")


def encode_mp4(images: Sequence[Image.Image | np.ndarray], path: str | Path, fps: float) -> Path:
    """Write the images as an H.264 (or MPEG-4 Part 2) MP4 in yuv420p, atomically: readers never see a
    half-written file. All images must have the size of the first."""
    if not images:
        raise VideoError("encode_mp4 needs at least one image")
    if fps <= 0:
        raise VideoError(f"fps must be positive, got {fps}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = [_even_rgb(im) for im in images]
    shape = frames[0].shape
    if any(f.shape != shape for f in frames):
        raise VideoError("all images must have the same size")
    codec = encoder_name()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".mp4", dir=path.parent)
    os.close(fd)
    try:
        with av.open(tmp, mode="w", format="mp4") as container:
            stream = container.add_stream(codec, rate=Fraction(fps).limit_denominator(1001))
            assert isinstance(stream, av.VideoStream)  # a video codec gives a video stream
            stream.width, stream.height = shape[1], shape[0]
            stream.pix_fmt = "yuv420p"
            if codec == "libx264":
                stream.options = {"crf": "18"}  # visually lossless: frames feed image analysis later
            else:
                stream.bit_rate = 8_000_000
            for arr in frames:
                container.mux(stream.encode(av.VideoFrame.from_ndarray(arr, format="rgb24")))
            container.mux(stream.encode(None))
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; a video is an ordinary shared output
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
