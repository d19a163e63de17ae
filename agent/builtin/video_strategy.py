"""The built-in policy on video items: look at frames, then answer only if the tools settle the question.

What video_frames reports about the video (frame count, frame size) settles questions about the
recording itself. compare_frames measures the in-plane motion between two moments (rotation about the
viewing axis, shift), which settles questions about a turn about z or a translation: its axis and
direction, its size between two cited times, and where it leads at a later time at the same rate. When
that motion does not explain the change (a turn about x or y, or a scene that changes in itself), or the
question is of another kind, the policy says it cannot answer rather than guess.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from agent.builtin.actions import Act, Answer, Call
from agent.builtin.history import History
from eval.items import ItemView

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TIME = re.compile(r"\b(\d{2}):(\d{2})\b")
_SCALE_UM = re.compile(r"1 µm corresponds to (\d+(?:\.\d+)?) pixels")
_WIDTH_A = re.compile(r"the frame is (\d+(?:\.\d+)?) Å across")
_DIRECTIONS = {"to the right": (1, 0), "to the left": (-1, 0), "up": (0, 1), "down": (0, -1)}
_PLACE = re.compile(r"(\d+(?:\.\d+)?) Å (to the right|to the left|up|down)\b")
IN_PLANE = 0.93  # SSIM after undoing the measured motion: above it, that motion explains the change
RATE_SPAN = (0, 2)  # seconds compared to measure a turning rate: under 180° for rates up to 90°/s
SHIFT_SPAN = (0, 4)  # seconds compared to measure a speed: the longer, the finer


def _question(item: ItemView) -> str:
    return str(item.metadata.get("question") or item.prompt)


def _times(text: str) -> list[int]:
    return [int(m) * 60 + int(s) for m, s in _TIME.findall(text)]


def _mmss(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _numeric_options(item: ItemView) -> dict[str, float]:
    out = {}
    for letter, text in (item.options or {}).items():
        m = _NUMBER.search(text)
        if m:
            out[letter] = float(m.group())
    return out


def _nearest(item: ItemView, value: float) -> str | None:
    options = _numeric_options(item)
    return min(options, key=lambda k: abs(options[k] - value)) if options else None


# --- questions about the recording: video_frames' summary settles them ---------------------------------


def _frame_count(item: ItemView, video: dict) -> Answer | None:
    if not re.search(r"\bhow many frames\b", _question(item), re.IGNORECASE):
        return None
    n = video["n_frames"]
    exact = [k for k, v in _numeric_options(item).items() if v == n]
    if len(exact) != 1:
        return None
    return Answer(f"video_frames reports {n} frames in the video.", exact[0])


def _field_width(item: ItemView, video: dict) -> Answer | None:
    q = _question(item)
    scale = _SCALE_UM.search(q)
    if not scale or not re.search(r"how wide is the field of view", q, re.IGNORECASE):
        return None
    width_px = video["size"][0]
    microns = width_px / float(scale.group(1))
    letter = _nearest(item, microns)
    if letter is None:
        return None
    return Answer(
        f"The frames are {width_px} px wide at {scale.group(1)} px per µm: {microns:.1f} µm across.", letter
    )


# --- questions about motion: compare_frames settles those in the screen plane ----------------------------


def _motion_plan(item: ItemView) -> tuple[str, tuple[int, int]] | None:
    """(kind of question, the two times to compare), for the motion questions this policy can measure."""
    q = _question(item)
    times = _times(q)
    texts = " ".join((item.options or {}).values())
    if len(times) < 2:
        return None
    if "Rotation about z" in texts and "Translation along" in texts:
        return "which-motion", (times[0], times[1])
    if re.search(r"in total would it have turned", q):
        return "total-angle", RATE_SPAN
    if re.search(r"where would it be at", q) and _PLACE.search(texts):
        return "position", SHIFT_SPAN
    if re.search(r"how many degrees does the complex turn between", q, re.IGNORECASE):
        return "angle", (times[0], times[1])
    if re.search(r"how far does the complex travel between", q, re.IGNORECASE):
        return "distance", (times[0], times[1])
    return None


def _place(text: str) -> tuple[float, float] | None:
    """'3 Å to the left' → (-3, 0) Å on screen."""
    m = _PLACE.search(text)
    if not m:
        return None
    ux, uy = _DIRECTIONS[m.group(2)]
    return float(m.group(1)) * ux, float(m.group(1)) * uy


def _option_with(item: ItemView, *needles: str) -> str | None:
    found = [k for k, t in (item.options or {}).items() if all(n in t for n in needles)]
    return found[0] if len(found) == 1 else None


def _answer_motion(item: ItemView, kind: str, span: tuple[int, int], c: dict) -> Answer:
    rot, sim = c["rotation_deg"], c["similarity_after"]
    seen = f"Between {_mmss(span[0])} and {_mmss(span[1])} the frame turned {rot}° and shifted "
    seen += f"({c['shift_px']['x']}, {c['shift_px']['y']}) px; similarity after undoing it {sim}."
    if sim < IN_PLANE:
        return Answer(f"{seen} That motion does not explain the change (a turn about x or y?).", None)
    width = _WIDTH_A.search(_question(item))
    per_a = c["compared_size"][0] / float(width.group(1)) if width else None
    dx, dy = (c["shift_px"]["x"] / per_a, c["shift_px"]["y"] / per_a) if per_a else (math.nan, math.nan)
    turning = abs(rot) >= 2.0
    letter: str | None = None
    if kind == "which-motion":
        if turning:
            letter = _option_with(item, "Rotation about z", "positive" if rot > 0 else "negative")
        elif per_a and math.hypot(dx, dy) >= 0.25:
            axis, value = ("x", dx) if abs(dx) >= abs(dy) else ("y", dy)
            letter = _option_with(item, f"Translation along {'+' if value > 0 else '−'}{axis}")
    elif kind == "angle" and turning:
        letter = _nearest(item, abs(rot))
    elif kind == "distance" and per_a and not turning:
        letter = _nearest(item, math.hypot(dx, dy))
    elif kind == "total-angle" and turning:
        until = max(_times(_question(item)))
        total = abs(rot) / (span[1] - span[0]) * until
        letter = _nearest(item, total)
        seen += f" At that rate, {total:.0f}° by {_mmss(until)}."
    elif kind == "position" and per_a and not turning:
        until = max(_times(_question(item)))
        px, py = dx / (span[1] - span[0]) * until, dy / (span[1] - span[0]) * until
        places = {k: p for k, t in (item.options or {}).items() if (p := _place(t)) is not None}
        if places:
            letter = min(places, key=lambda k: math.dist(places[k], (px, py)))
        seen += f" At that speed, ({px:.1f}, {py:.1f}) Å from the start by {_mmss(until)}."
    return Answer(seen, letter)


_RECORDING_RULES: list[Callable[[ItemView, dict], Answer | None]] = [_frame_count, _field_width]


def video_choice(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    if "video_frames" not in tools:
        return Answer("Without video_frames the policy cannot look at the video.", None)
    o = h.last("video_frames")
    if o is None:
        return Act("Sample frames across the video.", [Call("video_frames", {"uniform": 8})])
    if not o.ok:
        return Answer(f"The video could not be read: {o.data}", None)
    for rule in _RECORDING_RULES:
        if (answer := rule(item, o.data["video"])) is not None:
            return answer
    plan = _motion_plan(item) if "compare_frames" in tools else None
    if plan is None:
        return Answer("The frames alone do not settle this question for a rule-based policy.", None)
    kind, span = plan
    a, b = _mmss(span[0]), _mmss(span[1])
    c = h.last("compare_frames", a=a, b=b)
    if c is None:
        return Act(
            f"Measure how the picture moves from {a} to {b}.", [Call("compare_frames", {"a": a, "b": b})]
        )
    if not c.ok:
        return Answer(f"compare_frames failed: {c.data}", None)
    return _answer_motion(item, kind, span, c.data)
