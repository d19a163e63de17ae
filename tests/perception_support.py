"""Ground truth for perception tests: where the builder's camera puts each label (tools never see it)."""

from __future__ import annotations

import numpy as np

from eval.items import Item
from eval.misi.bench import MisiBenchmark as Benchmark
from tools.render.scene import RenderSpec, build_scene, project


def first_item(bench: Benchmark, task: str) -> Item:
    return next(bench.item(i) for i in bench.ids if bench.task_of(i) == task)


Truth = tuple[dict[str, np.ndarray], dict[str, np.ndarray], float]


def truth(bench: Benchmark, item: Item, index: int) -> Truth:
    """Ground truth for image `index` (0-based): label text → pixel, label text → screen xyz (Å), px/Å."""
    spec = RenderSpec.model_validate(item.generation["images"][index])
    scene = build_scene(spec, bench.root)
    pixels: dict[str, np.ndarray] = {}
    xyz: dict[str, np.ndarray] = {}
    for atom in scene.atoms:
        if atom.is_ligand and atom.element.upper() != "H":
            p = np.array([[atom.x, atom.y, atom.z]])
            pixels[atom.name] = project(p, scene.field_width, scene.size)[0]
            xyz[atom.name] = p[0]
    for text, anchor in scene.residue_labels:
        pixels[text] = project(np.array([anchor]), scene.field_width, scene.size)[0]
        xyz[text] = np.asarray(anchor, dtype=float)
    return pixels, xyz, scene.pixels_per_angstrom
