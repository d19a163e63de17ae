"""SciVideoBench's two protocols: what the question text looks like and which frames go with it.

official: the lmms-eval `scivideobench` task as released. Prompt = question (its mm:ss timestamps
  rewritten to "frame N", N ≈ seconds, as the task's doc_to_text does) + "\n" + options "A. text" one per
  line in letter order + "\n" + post-prompt, whose text itself starts with "\n"; so a blank line precedes
  "Answer with the option's letter…". Frames at floor(linspace(0, n - 1, 32)) (numpy's dtype=int cast, as
  lmms-eval's API-model video encoders sample), at most 16 new tokens, first-letter parser with a random
  fallback (eval/scivideo/score.py). The task sets no frame count (the model wrapper decides; lmms-eval's
  GPT-4V wrapper defaults to 10): 32 is the official README's example and this project's choice.
default: the same text with the raw mm:ss kept (an agent that fetches frames by time needs real times),
  frames at round(linspace(0, n - 1, N)) capped at the video's length, and a strict parser that never
  guesses. CoT mode swaps the post-prompt for the task's CoT post-prompt in either protocol.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from eval.items import ItemView
from prompts import PromptTemplate, load_prompt
from tools.frames.video import uniform_indices

PROTOCOLS = ("default", "official")
LETTERS = "ABCDEFGHIJ"
# The project's choice, not a setting of the task: the official README's example uses 32 frames, and the
# task leaves the count to the model wrapper.
DEFAULT_FRAMES = 32
OFFICIAL_MAX_TOKENS = 16
QUESTION_TYPES = {
    "Conceptual Reasoning": "conceptual",
    "Hypothetical Reasoning": "hypothetical",
    "Quantitative Reasoning": "quantitative",
}
PROMPT_IDS = {"direct": "scivideo/direct", "cot": "scivideo/cot"}


def task_code(question_type: str) -> str:
    """Short task code of a question type; an unknown type becomes its own slug."""
    if question_type in QUESTION_TYPES:
        return QUESTION_TYPES[question_type]
    slug = re.sub(r"[^a-z0-9]+", "-", question_type.lower()).strip("-")
    return slug.removesuffix("-reasoning") or "unknown"


def format_options(options: Mapping[str, str]) -> str:
    return "\n".join(f"{key}. {options[key]}" for key in sorted(options))


# mm:ss as the official task matches it: a range first ("06:15–06:36", hyphen or en dash), then single
# times not followed by a dash. Hours and fractions of seconds are not recognised there either.
_RANGE = re.compile(r"(\d{1,2}:\d{2})\s*[-\u2013]\s*(\d{1,2}:\d{2})")
_SINGLE = re.compile(r"(?<!frame )(\d{1,2}:\d{2})(?!\s*[-\u2013])")


def timestamps_to_frames(question: str, duration: float) -> str:
    """The official rewrite of mm:ss into "frame N". The task passes int(duration) as both the total
    time and the frame count, so N = round(t / T * T) with T = int(duration): whole seconds, with
    Python's round (half to even). A video under a second (T = 0) crashes the official code; the
    question is left as it is instead."""
    whole = int(duration)
    if whole <= 0:
        return question

    def frame(stamp: str) -> int:
        minutes, seconds = stamp.split(":")
        return round((int(minutes) * 60 + int(seconds)) / whole * whole)

    question = _RANGE.sub(lambda m: f"frame {frame(m.group(1))} to frame {frame(m.group(2))}", question)
    return _SINGLE.sub(lambda m: f"frame {frame(m.group(1))}", question)


def question_prompt(
    question: str, options: Mapping[str, str], style: str = "direct"
) -> tuple[str, PromptTemplate]:
    """Question, options and post-prompt, byte for byte as the official task joins them."""
    template = load_prompt(PROMPT_IDS[style])
    # load_prompt ends every template with one "\n"; the official text has no trailing newline
    text = template.render(question=question, options=format_options(options)).removesuffix("\n")
    return text, template


def item_prompt(item: ItemView, protocol: str, mode: str) -> tuple[str, PromptTemplate]:
    """The question text an item is posed with under `protocol` in `mode` (CoT swaps the post-prompt)."""
    question = str(item.metadata.get("question", ""))
    if protocol == "official":
        duration = item.video.duration if item.video and item.video.duration else 0.0
        question = timestamps_to_frames(question, duration)
    return question_prompt(question, item.options or {}, "cot" if mode == "cot" else "direct")


def official_indices(n_frames: int, count: int = DEFAULT_FRAMES) -> list[int]:
    """floor(linspace(0, n - 1, count)); repeats frames when the video has fewer than `count`."""
    if n_frames <= 0 or count <= 0:
        raise ValueError(f"cannot sample {count} frames from a video of {n_frames} frames")
    return [int(i) for i in np.linspace(0, n_frames - 1, count).astype(int)]


def frame_indices(n_frames: int, protocol: str, frames: int) -> list[int]:
    """The frames the opening message carries under `protocol` (`frames` is ignored by official)."""
    if protocol == "official":
        return official_indices(n_frames)
    if frames <= 0:
        return []
    return uniform_indices(n_frames, min(frames, n_frames))


def max_new_tokens(protocol: str, mode: str) -> int | None:
    """The official generation cap applies to its direct answers; a CoT or tool-using reply needs room."""
    return OFFICIAL_MAX_TOKENS if protocol == "official" and mode == "direct" else None
