"""The first messages of an item: the benchmark's prompt plus the mode's additions, and the item's images.

A video item (SciVideoBench) has no stored images: its opening carries frames sampled from the video
under the run's protocol (eval/scivideo/protocol.py), written as PNGs under the run's workdir and each
recorded for the trace as {index, time, path, sha256}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.conversation import image_ref
from agent.settings import SolveSettings
from agent.trace import ImageRef
from eval.items import ItemView
from prompts import load_prompt


@dataclass
class Opening:
    system: str | None
    user: str
    images: list[ImageRef]
    mode_prompts: dict[str, str] = field(default_factory=dict)  # template id → hash
    frames: list[dict[str, Any]] = field(default_factory=list)  # video frames sent, for Trace.frames


def opening(
    item: ItemView, bench_root: Path, settings: SolveSettings, workdir: Path | None = None
) -> Opening:
    if item.video is not None:
        return _video_opening(item, bench_root, settings, workdir)
    used: dict[str, str] = {}

    def take(template_id: str, **values: object) -> str:
        template = load_prompt(template_id)
        used[template.id] = template.sha256
        return template.render(**values).strip()

    system = None
    user = item.prompt
    if settings.mode == "cot":
        user = f"{user}\n\n{take('modes/cot')}"
    elif settings.mode == "tools":
        access_note = take(f"modes/access_{settings.access}")
        system = take("modes/tools_system", access_note=access_note)
    images = [
        image_ref(bench_root / im.path, "item", f"Image {i}") for i, im in enumerate(item.images, start=1)
    ]
    return Opening(system, user, images, used)


def video_path(item: ItemView, bench_root: Path) -> Path:
    assert item.video is not None
    path = Path(item.video.path)
    return path if path.is_absolute() else bench_root / path


def _video_opening(
    item: ItemView, bench_root: Path, settings: SolveSettings, workdir: Path | None
) -> Opening:
    from eval.scivideo.frames import frame_files
    from eval.scivideo.protocol import frame_indices, item_prompt
    from tools.frames.video import format_timestamp, probe

    user, template = item_prompt(item, settings.protocol, settings.mode)
    used = {template.id: template.sha256}
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

    def take(template_id: str, **values: object) -> str:
        prompt = load_prompt(template_id)
        used[prompt.id] = prompt.sha256
        return prompt.render(**values).strip()

    system = None
    if settings.mode == "tools":
        parts = [user]
        if frames and settings.protocol != "official":  # official frames carry no time labels
            parts.append(
                take("scivideo/frames_note", n_frames=len(frames), duration=format_timestamp(info.duration))
            )
        parts.append(take("scivideo/tools_note"))
        user = "\n\n".join(parts)
        system = take("scivideo/tools_system")
    return Opening(system, user, images, used, frames)


def forced_final_text() -> tuple[str, str, str]:
    template = load_prompt("modes/forced_final")
    return template.render().strip(), template.id, template.sha256


def max_tokens(item: ItemView, settings: SolveSettings) -> int | None:
    """The request's token cap: the official SciVideoBench protocol fixes its own."""
    if item.benchmark == "scivideo":
        from eval.scivideo.protocol import max_new_tokens

        return max_new_tokens(settings.protocol, settings.mode) or settings.max_tokens
    return settings.max_tokens
