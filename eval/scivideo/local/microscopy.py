"""A real microscopy clip for the local set: the 24 shipped trackpy frames of latex spheres diffusing in
water, encoded at their recording rate, with questions whose answers are facts of the recording (frame
count; field of view from the stated pixel scale), not judgements about the particles."""

from __future__ import annotations

from pathlib import Path

from eval.misi.build.plan import item_rng
from eval.scivideo.local.questions import QUANTITATIVE, Question, mmss, shuffle, window
from tools.frames.video import encode_mp4

FRAMES_DIR = Path(__file__).resolve().parents[2] / "data" / "videos" / "trackpy_bulk_water"
PROVENANCE = FRAMES_DIR.parent / "PROVENANCE.md"
VIDEO_ID = "local-trackpy-water"
FPS = 24  # the recording's rate (its README)
PIXELS_PER_MICRON = 2.85  # the recording's scale (its README)
ATTRIBUTION = (
    "trackpy-examples contributors, https://github.com/soft-matter/trackpy-examples "
    "(sample_data/bulk_water, BSD-3-Clause or CC BY 3.0)"
)
INTRO = (
    "The video is bright-field microscopy of 1-µm charge-stabilized latex spheres diffusing in water, "
    f"recorded at {FPS} frames per second; in the original frames 1 µm corresponds to "
    f"{PIXELS_PER_MICRON} pixels."
)


def frame_files() -> list[Path]:
    files = sorted(FRAMES_DIR.glob("bulk_water_*.png"))
    if not files:
        raise FileNotFoundError(f"no microscopy frames in {FRAMES_DIR}")
    return files


def encode(out: Path) -> Path:
    from PIL import Image

    images = []
    for p in frame_files():
        with Image.open(p) as im:
            images.append(im.convert("RGB"))
    return encode_mp4(images, out, fps=FPS)


def questions(seed: int, n_frames: int, width_px: int, duration: float) -> list[Question]:
    """Frame count and field-of-view width, both read from the decoded video and the stated scale."""
    breakdown = (
        f"00:00–{mmss(duration)}: latex spheres (1 µm) diffusing in water under a microscope, "
        f"{n_frames} frames at {FPS} fps."
    )

    def make(n: int, text: str, options: dict, gold: str, params: dict) -> Question:
        qid = f"{VIDEO_ID}-q{n}"
        return Question(
            video_id=VIDEO_ID,
            question_id=qid,
            question=f"{INTRO} {text}",
            options=options,
            answer=gold,
            question_type=QUANTITATIVE,
            discipline="Physics",
            subject="Soft Matter",
            timestamp_breakdown=breakdown,
            params=params,
        )

    rng = item_rng(seed, "scivideo-local", "frames", VIDEO_ID)
    step = 6
    counts = [v * step for v in window(rng, -(-n_frames // step))]
    labels = [f"{v} frames" for v in counts]
    if n_frames not in counts:  # not a multiple of the bin: swap the nearest bin for the true count
        counts[min(range(len(counts)), key=lambda i: abs(counts[i] - n_frames))] = n_frames
        labels = [f"{v} frames" for v in counts]
    correct = f"{n_frames} frames"
    options, gold = shuffle(rng, correct, [t for t in labels if t != correct])
    first = make(
        1, "How many frames does the clip contain?", options, gold, {"n_frames": n_frames, "options": counts}
    )

    rng = item_rng(seed, "scivideo-local", "field", VIDEO_ID)
    microns = width_px / PIXELS_PER_MICRON
    step = 25
    widths = [v * step for v in window(rng, round(microns / step))]
    correct = f"about {round(microns / step) * step} µm"
    labels = [f"about {v} µm" for v in widths]
    options, gold = shuffle(rng, correct, [t for t in labels if t != correct])
    second = make(
        2,
        "About how wide is the field of view, in micrometres?",
        options,
        gold,
        {"width_px": width_px, "width_um": round(microns, 2), "options": widths},
    )
    return [first, second]
