"""The benchmark item: everything a run needs to pose one question and score its answer.

`Item` is what a benchmark directory stores (one JSON file per item). `ItemView` is what a model or
an agent policy may see: the gold answer, the rendering camera and the builder's generation metadata are
not in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from tools.refs import CameraInfo, StructureRef, VideoRef

AnswerFormat = Literal[
    "translation",  # T1: move <x|y> <Å>
    "rotation",  # T2: roll <x|y|z> <deg>
    "zoom",  # T3: move z <Å>
    "residue_bonds",  # T4: No | Yes: RES ATOM, LIGATOM; ...
    "choice",  # MC letter (T5, T6, T8, SciVideoBench)
    "docking",  # T7: roll <axis> <deg>, move x <Å>
    "pocket_bonds",  # T9: RES NUM ATOM CHAIN, LIGATOM; ...
]


class ItemImage(BaseModel):
    """One image given to the model, in order. `path` is relative to the benchmark directory."""

    path: str
    role: str
    view: str | None = None
    sha256: str = ""


class ItemView(BaseModel):
    """What the model and the agent's policy may read."""

    id: str
    benchmark: str  # a registered benchmark name (eval.benchmark)
    task: str
    task_name: str
    prompt: str
    prompt_template: str
    prompt_hash: str
    images: list[ItemImage] = Field(default_factory=list)
    options: dict[str, str] | None = None
    answer_format: AnswerFormat
    structure: StructureRef | None = None
    video: VideoRef | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)  # non-answer facts: question type, discipline…


class Item(ItemView):
    """A stored item: the view plus the gold answer, the camera and how it was generated.

    The camera is the builder's, kept for building and checks; tools and policies never see it (they fit
    the projection to the images instead), so an official item without one runs the same way.
    """

    gold: str
    camera: CameraInfo | None = None
    generation: dict[str, Any] = Field(default_factory=dict)

    def view(self) -> ItemView:
        return ItemView.model_validate(self.model_dump(exclude={"gold", "generation", "camera"}))

    def to_json(self) -> str:
        """Canonical, byte-stable JSON (sorted keys, fixed indentation, trailing newline)."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, path: Path) -> Item:
        return cls.model_validate_json(Path(path).read_text())
