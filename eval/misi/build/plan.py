"""The planned item: a task planner's output before prompts are filled and images rendered."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from eval.items import AnswerFormat
from eval.misi.hbonds import HBond, find_hbonds
from tools.camera import CAMERA_DISTANCE, VIEWS_3V, VIEWS_6V
from tools.render.scene import RenderSpec, StructureRef
from tools.structure import Complex

LETTERS = "ABCD"


class SkipItem(Exception):
    """This complex cannot give this item (e.g. no hydrogen bond for T9); the reason is reported."""


@dataclass
class PlannedImage:
    role: str
    spec: RenderSpec


@dataclass
class PlannedItem:
    task: str
    answer_format: AnswerFormat
    gold: str
    images: list[PlannedImage]
    values: dict[str, Any] = field(default_factory=dict)  # prompt placeholders beyond the common ones
    options: dict[str, str] | None = None
    generation: dict[str, Any] = field(default_factory=dict)
    structure: StructureRef | None = None


@dataclass
class ComplexContext:
    """One complex as the planners see it: the loaded structure, its reference and base camera."""

    cx: Complex
    ref: StructureRef
    image_size: int = 512
    antialias: int = 1

    @cached_property
    def hbonds(self) -> list[HBond]:
        """The answer key's hydrogen bonds, computed once for all of this complex's items."""
        return find_hbonds(self.cx)

    @property
    def pdb_id(self) -> str:
        return self.cx.pdb_id

    @property
    def field_width(self) -> float:
        """Fits the pocket + ligand in all six views (the largest radius projected on the XY, YZ or XZ
        plane, so a roll about the viewing axis never clips), with 4 Å to spare for translations."""
        return projected_width(self.cx.all_coords - self.cx.centre, spare=4.0)

    def spec(self, view: str = "front", **kw: Any) -> RenderSpec:
        kw.setdefault("field_width", self.field_width)
        return RenderSpec(
            structure=self.ref,
            view=view,
            size=self.image_size,
            antialias=self.antialias,
            camera_distance=CAMERA_DISTANCE,
            **kw,
        )

    def views(self, names: list[str], what: str, **kw: Any) -> list[PlannedImage]:
        return [PlannedImage(f"{v} view of {what}", self.spec(v, **kw)) for v in names]

    def initial_3v(self, what: str = "the initial complex") -> list[PlannedImage]:
        return self.views(VIEWS_3V, what)

    def initial_6v(self, what: str = "the complex") -> list[PlannedImage]:
        return self.views(VIEWS_6V, what)


def projected_width(xyz: np.ndarray, spare: float, margin: float = 1.05) -> float:
    x, y, z = xyz[:, 0], xyz[:, 1], xyz[:, 2]
    radius = float(max(np.hypot(x, y).max(), np.hypot(y, z).max(), np.hypot(x, z).max()))
    return round(2.0 * (radius + spare) * margin, 3)


def item_rng(seed: int, *parts: object) -> np.random.Generator:
    """A generator that depends only on the seed and the item's identity, never on build order."""
    digest = hashlib.sha256(":".join(str(p) for p in (seed, *parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def nonzero_int(rng: np.random.Generator, low: int, high: int, step: int = 1) -> int:
    """A multiple of `step` in [low, high], never 0."""
    choices = [v for v in range(low, high + 1, step) if v != 0]
    return int(rng.choice(choices))


def shuffle_options(rng: np.random.Generator, correct: Any, decoys: list[Any]) -> tuple[list[Any], str]:
    """Place the correct option at a random letter; returns (options in letter order, gold letter)."""
    order = [correct, *decoys]
    perm = rng.permutation(len(order))
    options = [order[i] for i in perm]
    return options, LETTERS[int(np.flatnonzero(perm == 0)[0])]
