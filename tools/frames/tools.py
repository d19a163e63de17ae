"""Model-facing multi-frame tools: contact_sheet (item images or a video's frames), video_frames and
compare_frames (two moments of a video)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.frames.sheet import contact_sheet as make_sheet
from tools.frames.sheet import frame_caption
from tools.frames.video import (
    Frame,
    VideoError,
    VideoInfo,
    format_timestamp,
    frames_at,
    frames_at_times,
    probe,
    sample_uniform,
)
from tools.images.ops import auto_gain, difference, side_by_side
from tools.images.registration import aligned, register, similarity_transform
from tools.images.tools import load_image, save

MAX_FRAMES = 32  # per call: more frames than this cost the model more than they tell it


def video_file(ctx: ToolContext) -> Path:
    """The item's video on disk, or a ToolError saying why there is none."""
    video = ctx.item.video
    if video is None:
        raise ToolError("this item has no video; video tools work only on video questions")
    path = Path(video.path)
    path = path if path.is_absolute() else ctx.bench_dir / path
    if not path.is_file():
        raise ToolError(f"the item's video file '{video.path}' is missing")
    return path


def video_summary(info: VideoInfo) -> dict:
    return {
        "duration_s": round(info.duration, 3),
        "duration": format_timestamp(info.duration),
        "fps": round(info.fps, 3),
        "n_frames": info.n_frames,
        "size": [info.width, info.height],
    }


class SheetArgs(BaseModel):
    images: list[int] | None = Field(
        None,
        description="1-based indices of the item's images to tile; omit for all of them (or, for a "
        "video question, for frames sampled uniformly from the video).",
    )
    frames: int = Field(
        16, ge=1, le=MAX_FRAMES, description="Video questions only: how many frames to sample."
    )
    columns: int | None = Field(None, ge=1, le=8, description="Grid columns; omit for a near-square grid.")


@tool(
    "contact_sheet",
    "One overview image: the item's images (or, for a video question, frames sampled uniformly over the "
    "whole video) tiled in a grid, each captioned (image number, or frame index and mm:ss.s time).",
)
def contact_sheet(ctx: ToolContext, args: SheetArgs) -> ToolResult:
    if args.images is not None or ctx.item.video is None:
        indices = args.images if args.images is not None else list(range(1, len(ctx.item.images) + 1))
        if not indices:
            raise ToolError("this item has no images and no video to tile")
        images = [load_image(ctx, i) for i in indices]
        captions = [
            f"image {i}" + (f" ({view})" if (view := getattr(ctx.item.images[i - 1], "view", None)) else "")
            for i in indices
        ]
        sheet = make_sheet(images, captions, columns=args.columns)
        data: dict = {"images": indices}
    else:
        path = video_file(ctx)
        try:
            info = probe(path)
            frames = sample_uniform(path, min(args.frames, info.n_frames))
        except VideoError as exc:
            raise ToolError(str(exc)) from exc
        sheet = make_sheet(
            [f.image for f in frames], [frame_caption(f.index, f.time) for f in frames], columns=args.columns
        )
        data = {"video": video_summary(info), "frames": [_frame_entry(f) for f in frames]}
    return ToolResult.success(data, images=[save(ctx, sheet, "sheet")])


class FramesArgs(BaseModel):
    times: list[str | float] | None = Field(
        None,
        description="Timestamps to look at: 'mm:ss', 'mm:ss.s', 'hh:mm:ss' or seconds, e.g. ['01:05', 92.5].",
    )
    indices: list[int] | None = Field(None, description="Frame indices (0-based) to look at.")
    uniform: int | None = Field(
        None,
        ge=1,
        le=MAX_FRAMES,
        description="Sample this many frames evenly from the first to the last frame.",
    )
    max_side: int = Field(768, ge=128, le=2048, description="Longest side of each returned frame, in pixels.")


def _frame_entry(frame: Frame) -> dict:
    return {"index": frame.index, "time_s": round(frame.time, 3), "timestamp": format_timestamp(frame.time)}


def _fit(image: Image.Image, max_side: int) -> Image.Image:
    factor = max_side / max(image.size)
    if factor >= 1:
        return image
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.LANCZOS)


@tool(
    "video_frames",
    "Look at frames of the item's video: give exactly one of `times` (timestamps), `indices` (frame "
    "numbers) or `uniform` (N evenly spaced frames). Returns the frames as images, in the order asked, "
    "and each frame's index and time.",
)
def video_frames(ctx: ToolContext, args: FramesArgs) -> ToolResult:
    given = [name for name in ("times", "indices", "uniform") if getattr(args, name) is not None]
    if len(given) != 1:
        raise ToolError(f"give exactly one of times, indices or uniform (got {', '.join(given) or 'none'})")
    requested = args.times if args.times is not None else args.indices
    if requested is not None and not 1 <= len(requested) <= MAX_FRAMES:
        raise ToolError(f"ask for 1 to {MAX_FRAMES} frames per call (got {len(requested)})")
    path = video_file(ctx)
    try:
        info = probe(path)
        if args.times is not None:
            frames = frames_at_times(path, args.times)
        elif args.indices is not None:
            frames = frames_at(path, args.indices)
        else:
            frames = sample_uniform(path, min(args.uniform or 1, info.n_frames))
    except VideoError as exc:
        raise ToolError(str(exc)) from exc
    entries, images = [], []
    for k, frame in enumerate(frames):
        entry = {"image": k + 1, **_frame_entry(frame)}
        if args.times is not None:
            entry["requested"] = args.times[k]
        entries.append(entry)
        images.append(save(ctx, _fit(frame.image, args.max_side), "frame"))
    return ToolResult.success({"video": video_summary(info), "frames": entries}, images=images)


class CompareFramesArgs(BaseModel):
    a: str | float = Field(description="Time of the reference frame: 'mm:ss', 'mm:ss.s' or seconds.")
    b: str | float = Field(description="Time of the frame compared with it, in the same forms.")
    max_side: int = Field(512, ge=128, le=1024, description="Longest side the frames are compared at.")


@tool(
    "compare_frames",
    "How the picture changes between two moments of the item's video: the global motion of frame b "
    "relative to frame a (shift in pixels at the compared size, x right, y up; rotation in degrees, "
    "counter-clockwise positive; scale) and SSIM similarity before and after undoing it. Returns the two "
    "frames side by side and their difference images (as given | after undoing the motion): what stays "
    "bright after alignment changed in itself (a colour change, something added or moved), not by camera "
    "motion.",
)
def compare_frames(ctx: ToolContext, args: CompareFramesArgs) -> ToolResult:
    path = video_file(ctx)
    try:
        fa, fb = frames_at_times(path, [args.a, args.b])
    except VideoError as exc:
        raise ToolError(str(exc)) from exc
    if fa.index == fb.index:
        raise ToolError(f"{args.a} and {args.b} fall on the same frame (index {fa.index}); give two times")
    ia, ib = (_fit(f.image.convert("RGB"), args.max_side) for f in (fa, fb))
    try:
        reg = register(ia, ib)
    except ValueError as exc:
        raise ToolError(str(exc)) from exc
    motion = similarity_transform((ia.height, ia.width), reg.rotation_deg, reg.scale, reg.shift_px)
    back, _ = aligned(np.asarray(ib, dtype=np.float64) / 255.0, motion)
    ib_back = Image.fromarray((np.clip(back, 0, 1) * 255 + 0.5).astype(np.uint8))
    gain = auto_gain(ia, ib)
    labels = [
        f"a: {format_timestamp(fa.time)} (#{fa.index})",
        f"b: {format_timestamp(fb.time)} (#{fb.index})",
    ]
    pair = side_by_side([ia, ib], labels)
    diffs = side_by_side(
        [difference(ia, ib, gain=gain), difference(ia, ib_back, gain=gain)],
        ["|a - b| as given", "|a - b| after undoing the motion"],
    )
    dx, dy = reg.shift_px
    data = {
        "a": _frame_entry(fa),
        "b": _frame_entry(fb),
        "compared_size": list(ia.size),
        "shift_px": {"x": round(dx, 2), "y": round(dy, 2)},
        "rotation_deg": round(reg.rotation_deg, 2),
        "scale": round(reg.scale, 4),
        "similarity_before": round(reg.similarity.before, 4),
        "similarity_after": round(reg.similarity.after, 4),
    }
    return ToolResult.success(data, images=[save(ctx, pair, "frames"), save(ctx, diffs, "frame-difference")])
