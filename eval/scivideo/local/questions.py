"""Ten-option questions of SciVideoBench's three types about a movie, with gold answers from the motion's
generation parameters. Times are whole seconds cited as mm:ss, so the frame on screen at a cited time
shows exactly the motion up to that time. Options are shuffled by a seeded generator per question."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from pydantic import Field

from eval.misi.build.plan import item_rng
from eval.scivideo.local.plan import Movie
from eval.scivideo.release import Row
from tools.camera import format_number

LETTERS = "ABCDEFGHIJ"
CONCEPTUAL = "Conceptual Reasoning"
HYPOTHETICAL = "Hypothetical Reasoning"
QUANTITATIVE = "Quantitative Reasoning"
LAST_CITED = 4  # latest whole second cited: the 5 s movies show it
ROLL_BIN = 15.0  # degrees between numeric options
MOVE_BIN = 0.5  # Å between numeric options
ROLL_HINT = {  # what a positive or negative roll looks like on screen
    ("x", 1): "the top moves towards the viewer",
    ("x", -1): "the top moves away from the viewer",
    ("y", 1): "the near side moves right",
    ("y", -1): "the near side moves left",
    ("z", 1): "counter-clockwise on screen",
    ("z", -1): "clockwise on screen",
}
MOVE_TEXT = {
    ("x", 1): "Translation along +x (to the right), without turning",
    ("x", -1): "Translation along −x (to the left), without turning",
    ("y", 1): "Translation along +y (upwards), without turning",
    ("y", -1): "Translation along −y (downwards), without turning",
}


def _roll_text(axis: str, sign: int, hint: str) -> str:
    return f"Rotation about {axis}, {'positive' if sign > 0 else 'negative'} by the right-hand rule ({hint})"


MOTION_TEXT = {
    **{("roll", a, s): _roll_text(a, s, h) for (a, s), h in ROLL_HINT.items()},
    **{("move", a, s): text for (a, s), text in MOVE_TEXT.items()},
}
DIRECTION_TEXT = {("x", 1): "to the right", ("x", -1): "to the left", ("y", 1): "up", ("y", -1): "down"}


class Question(Row):
    """A question in the release's row shape, plus how its gold was derived (never written to the row)."""

    params: dict[str, Any] = Field(default_factory=dict, exclude=True)

    def row(self, video_duration: float) -> dict[str, Any]:
        """The official jsonl row (field order as in the release; `category` only when set)."""
        unset = set() if self.category else {"category"}
        row = self.model_copy(update={"video_duration": video_duration})
        return row.model_dump(mode="json", exclude=unset)


def mmss(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def shuffle(rng: np.random.Generator, correct: str, decoys: list[str]) -> tuple[dict[str, str], str]:
    """Ten options in a seeded order; returns (letter → text, gold letter)."""
    texts = [correct, *decoys]
    if len(texts) != len(LETTERS) or len(set(texts)) != len(texts):
        raise ValueError(f"need {len(LETTERS)} distinct options, got {texts}")
    perm = rng.permutation(len(texts))
    options = {LETTERS[i]: texts[int(j)] for i, j in enumerate(perm)}
    return options, LETTERS[int(np.flatnonzero(perm == 0)[0])]


def window(rng: np.random.Generator, correct: int, n: int = 10, lowest: int = 1) -> list[int]:
    """n consecutive whole bins holding `correct` at a seeded position (none below `lowest`)."""
    start = max(lowest, correct - int(rng.integers(n)))
    return list(range(start, start + n))


def _span(rng: np.random.Generator, longest: int) -> tuple[int, int]:
    """A cited interval [t1, t2] of whole seconds inside 0..LAST_CITED, at most `longest` long."""
    span = int(rng.integers(1, min(longest, LAST_CITED) + 1))
    t1 = int(rng.integers(0, LAST_CITED - span + 1))
    return t1, t1 + span


class MovieQuestions:
    """The three questions about one movie of a complex, drawn `width` Å across."""

    def __init__(self, movie: Movie, width: float, seed: int) -> None:
        self.movie, self.width, self.seed = movie, width, seed
        self.sign = 1 if movie.rate > 0 else -1
        self.intro = (
            f"The video shows the binding pocket (sticks) and bound ligand (grey carbons) of PDB entry "
            f"{movie.pdb_id.upper()} moving steadily; the frame is {width:.1f} Å across. Screen axes: x "
            "points right, y up and z out of the screen towards the viewer; positive rotations follow the "
            "right-hand rule."
        )

    def _rng(self, kind: str) -> np.random.Generator:
        return item_rng(self.seed, "scivideo-local", kind, self.movie.video_id)

    def _question(self, n: int, kind: str, text: str, options: dict, gold: str, params: dict) -> Question:
        m = self.movie
        breakdown = (
            f"00:00–{mmss(m.duration)}: PDB {m.pdb_id.upper()} pocket and ligand rendered with PyMOL "
            f"({m.n_frames} frames at {m.fps} fps), moving steadily throughout."
        )
        return Question(
            video_id=m.video_id,
            question_id=f"{m.video_id}-q{n}",
            question=f"{self.intro} {text}",
            options=options,
            answer=gold,
            question_type=kind,
            discipline="Chemistry",
            subject="Structural Biology",
            timestamp_breakdown=breakdown,
            params=params,
        )

    def conceptual(self) -> Question:
        m, rng = self.movie, self._rng("conceptual")
        # a roll of 180° about z looks the same either way round: keep the cited turn within 90°
        longest = int(90 // abs(m.rate)) if m.verb == "roll" else LAST_CITED
        t1, t2 = _span(rng, longest)
        correct = MOTION_TEXT[(m.verb, m.axis, self.sign)]
        options, gold = shuffle(rng, correct, [t for t in MOTION_TEXT.values() if t != correct])
        text = f"How does the complex move during {mmss(t1)}–{mmss(t2)}?"
        params = {"times": [t1, t2], "motion": [m.verb, m.axis, self.sign]}
        return self._question(1, CONCEPTUAL, text, options, gold, params)

    def quantitative(self) -> Question:
        m, rng = self.movie, self._rng("quantitative")
        t1, t2 = _span(rng, 3)
        amount = abs(m.rate) * (t2 - t1)
        if m.verb == "roll":
            bin_, unit = ROLL_BIN, "°"
            text = f"Through how many degrees does the complex turn between {mmss(t1)} and {mmss(t2)}?"
        else:
            bin_, unit = MOVE_BIN, " Å"
            text = f"How far does the complex travel between {mmss(t1)} and {mmss(t2)}?"
        units = _whole(amount / bin_)
        values = [v * bin_ for v in window(rng, units)]
        labels = [f"{format_number(v)}{unit}" for v in values]
        correct = labels[values.index(units * bin_)]
        options, gold = shuffle(rng, correct, [t for t in labels if t != correct])
        params = {"times": [t1, t2], "amount": amount, "unit": m.unit.split("/")[0], "options": values}
        return self._question(2, QUANTITATIVE, text, options, gold, params)

    def hypothetical(self) -> Question:
        m, rng = self.movie, self._rng("hypothetical")
        until = int(rng.choice([6, 7, 8, 10]))
        total = abs(m.rate) * until
        if m.verb == "roll":
            text = (
                "If the complex kept turning at the same rate after the video ends, through how many degrees "
                f"in total would it have turned between 00:00 and {mmss(until)}?"
            )
            values = [v * ROLL_BIN for v in window(rng, _whole(total / ROLL_BIN))]
            labels = [f"{format_number(v)}°" for v in values]
            correct = labels[values.index(total)]
            decoys = [t for t in labels if t != correct]
        else:
            text = (
                "If the complex kept moving at the same speed after the video ends, where would it be at "
                f"{mmss(until)}, relative to where it is at 00:00?"
            )
            distances = [v * MOVE_BIN for v in window(rng, _whole(total / MOVE_BIN), n=5)]
            combos = [f"{format_number(d)} Å {DIRECTION_TEXT[k]}" for d in distances for k in DIRECTION_TEXT]
            correct = f"{format_number(total)} Å {DIRECTION_TEXT[(m.axis, self.sign)]}"
            others = [c for c in combos if c != correct]
            decoys = [others[int(i)] for i in sorted(rng.choice(len(others), size=9, replace=False))]
        options, gold = shuffle(rng, correct, decoys)
        params = {"until": until, "total": total, "unit": m.unit.split("/")[0]}
        return self._question(3, HYPOTHETICAL, text, options, gold, params)

    def all(self) -> list[Question]:
        return [self.conceptual(), self.quantitative(), self.hypothetical()]


def _whole(x: float) -> int:
    n = round(x)
    if not math.isclose(x, n, abs_tol=1e-9):
        raise ValueError(f"{x} is not a whole number of option bins")
    return int(n)
