"""A video item's opening: frames sampled from the video under the run's protocol, as images.

The frames are written as PNGs under the run's workdir and each recorded for the trace as
{index, time, path, sha256}.
"""

from __future__ import annotations

from pathlib import Path

from eval.benchmark import BenchmarkError, Opening
from eval.items import ItemView
from eval.opening import PromptLog
from eval.scivideo.frames import frame_files
from eval.scivideo.protocol import frame_indices, item_prompt
from eval.settings import SolveSettings
from eval.trace import image_ref
from tools.frames.video import format_timestamp, probe


def video_path(item: ItemView, bench_root: Path) -> Path:
    if item.video is None:
        raise BenchmarkError(f"{item.id}: not a video item")
    path = Path(item.video.path)
    return path if path.is_absolute() else bench_root / path


def video_opening(
    item: ItemView, bench_root: Path, settings: SolveSettings, workdir: Path | None
) -> Opening:
    user, template = item_prompt(item, settings.protocol, settings.mode)
    prompts = PromptLog()
    prompts.used[template.id] = template.sha256
    video = video_path(item, bench_root)
    info = probe(video)
    # no more frames than one request may carry: a dropped opening frame would be a frame not sent
    indices = frame_indices(info.n_frames, settings.protocol, min(settings.frames, settings.max_images))
    if indices and workdir is None:
        raise ValueError(f"{item.id}: a video item needs a workdir to write its frames to")
    files = frame_files(video, indices, workdir / "frames") if indices and workdir else []
    images, frames = [], []
    for k, f in enumerate(files, start=1):
        # the official protocol shows bare frames; ours say when each was taken
        label = f"Frame {k}" if settings.protocol == "official" else f"Frame {k} ({format_timestamp(f.time)})"
        ref = image_ref(f.path, "frame", label)
        images.append(ref)
        frames.append({"index": f.index, "time": round(f.time, 6), "path": ref.path, "sha256": ref.sha256})
    system = None
    if settings.mode == "tools":
        parts = [user]
        if frames and settings.protocol != "official":  # official frames carry no time labels
            note = prompts.take(
                "scivideo/frames_note", n_frames=len(frames), duration=format_timestamp(info.duration)
            )
            parts.append(note)
        parts.append(prompts.take("scivideo/tools_note"))
        user = "\n\n".join(parts)
        system = prompts.take("scivideo/tools_system")
    return Opening(system, user, images, prompts.used, frames)
