"""What to draw: a RenderSpec names the complex, the content, the motions and the view; `build_scene`
turns it into atoms in final screen coordinates plus the camera's field width, ready for the renderer.

Specs are pure data (pydantic, canonical JSON) so an image's file name can be its spec's hash and the
same spec always gives the same pixels.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel

from tools.camera import CAMERA_DISTANCE, Pose, parse_commands, view_matrix, zoom_factor
from tools.refs import StructureRef
from tools.structure import Complex, ResidueId

POCKET_CARBON_COLOURS = ("#BF99F2", "#F2B366")  # alternate per pocket residue, as in the paper
LIGAND_CARBON_COLOUR = "#909090"


class RenderSpec(BaseModel):
    """One image: content, motions and view. Motions are command strings in the paper's syntax.

    content: "complex" (pocket + ligand), "pocket", "ligand", or "residue" (one pocket residue, by
    `residue` key such as 'A:ARG:45', plus the whole ligand).
    scene: commands applied to everything shown, about the scene centre (the origin).
    ligand_motion: commands applied to the ligand only, about the ligand centroid, before `scene`.
    field_width: Å visible across the image at depth 0 (the camera's base zoom).
    """

    structure: StructureRef
    content: Literal["complex", "pocket", "ligand", "residue"] = "complex"
    residue: str | None = None
    scene: str = ""
    ligand_motion: str = ""
    view: str = "front"
    field_width: float
    camera_distance: float = CAMERA_DISTANCE
    size: int = 512
    antialias: int = 1
    labels: bool = True

    def digest(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:20]


@dataclass
class SceneAtom:
    x: float
    y: float
    z: float
    element: str
    name: str
    residue: ResidueId
    is_ligand: bool
    carbon_colour: str  # hex; used for carbons only, other elements keep element colours


@dataclass
class Scene:
    """Atoms in final screen coordinates (Å; X right, Y up, Z towards the viewer), ligand bonds
    (indices into `atoms`), residue labels (text at a screen position) and the visible field width."""

    atoms: list[SceneAtom]
    ligand_bonds: list[tuple[int, int, int]]
    residue_labels: list[tuple[str, np.ndarray]]
    field_width: float  # Å across the image after zoom
    size: int
    antialias: int
    labels: bool

    @property
    def pixels_per_angstrom(self) -> float:
        return self.size / self.field_width


def scene_coordinates(spec: RenderSpec, cx: Complex) -> tuple[np.ndarray, np.ndarray, float]:
    """Final screen coordinates of (pocket, ligand) atoms and the zoom factor for this spec."""
    centre = cx.centre
    pocket0 = cx.pocket.coords - centre
    lig0 = cx.ligand.atoms.coords - centre
    if spec.ligand_motion:
        lig_pose = Pose(pivot=lig0.mean(axis=0)).apply(parse_commands(spec.ligand_motion))
        lig0 = lig_pose.transform(lig0)
    scene = Pose().apply(parse_commands(spec.scene))
    rot = view_matrix(spec.view)
    pocket = scene.transform(pocket0) @ rot.T
    lig = scene.transform(lig0) @ rot.T
    depth = float((rot @ scene.centre)[2])
    return pocket, lig, zoom_factor(depth, spec.camera_distance)


def build_scene(spec: RenderSpec, base: Path | None = None) -> Scene:
    cx = spec.structure.load(base)
    pocket_xyz, lig_xyz, zoom = scene_coordinates(spec, cx)
    atoms: list[SceneAtom] = []
    labels: list[tuple[str, np.ndarray]] = []
    if spec.content in {"complex", "pocket", "residue"}:
        order = cx.pocket.residue_order()
        if spec.content == "residue":
            order = [r for r in order if r.key == spec.residue]
            if not order:
                raise ValueError(f"residue '{spec.residue}' is not in the pocket of {cx.pdb_id}")
        colour = {r: POCKET_CARBON_COLOURS[i % 2] for i, r in enumerate(cx.pocket.residue_order())}
        wanted = set(order)
        for i, rid in enumerate(cx.pocket.residues):
            if rid in wanted:
                p = pocket_xyz[i]
                x, y, z = (float(v) for v in p)
                atoms.append(
                    SceneAtom(x, y, z, cx.pocket.elements[i], cx.pocket.names[i], rid, False, colour[rid])
                )
        for rid in order:
            idx = [i for i, r in enumerate(cx.pocket.residues) if r == rid]
            names = [cx.pocket.names[i] for i in idx]
            anchor = idx[names.index("CA")] if "CA" in names else idx[0]
            labels.append((rid.label, pocket_xyz[anchor]))
    first_lig = len(atoms)
    if spec.content in {"complex", "ligand", "residue"}:
        lig = cx.ligand.atoms
        for i in range(len(lig)):
            atoms.append(
                SceneAtom(
                    float(lig_xyz[i][0]),
                    float(lig_xyz[i][1]),
                    float(lig_xyz[i][2]),
                    lig.elements[i],
                    lig.names[i],
                    lig.residues[i],
                    True,
                    LIGAND_CARBON_COLOUR,
                )
            )
        bonds = [(a + first_lig, b + first_lig, o) for a, b, o in cx.ligand.bonds]
    else:
        bonds = []
    return Scene(atoms, bonds, labels, spec.field_width / zoom, spec.size, spec.antialias, spec.labels)


def project(xyz: np.ndarray, field_width: float, size: int) -> np.ndarray:
    """Pixel (column, row) of screen-space points: the image centre is the origin, rows grow downwards."""
    scale = size / field_width
    col = size / 2.0 + xyz[:, 0] * scale
    row = size / 2.0 - xyz[:, 1] * scale
    return np.stack([col, row], axis=1)
