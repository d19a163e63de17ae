"""Model-facing structure tools: what is in the pocket and where, and distances and angles between atoms.

Coordinates are reported in the front view's screen frame (Å; X right, Y up, Z towards the viewer,
origin at the view centre), the frame the item's images and commands use.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.structure.atoms import find_atom
from tools.structure.model import Complex, StructureError


def item_complex(ctx: ToolContext) -> Complex:
    """The item's complex; a ToolError (not a crash) when the item has none or its files are broken."""
    if ctx.item.structure is None:
        raise ToolError("this item has no structure")
    try:
        return ctx.item.structure.load(ctx.bench_dir)
    except StructureError as exc:
        raise ToolError(f"the item's structure could not be read: {exc}") from exc


def _xyz(v: np.ndarray) -> list[float]:
    return [round(float(x), 2) for x in v]


class SummaryArgs(BaseModel):
    include_atoms: bool = Field(
        False, description="Also list every ligand atom with its front-view position."
    )


@tool(
    "structure_summary",
    "Summarise the item's pocket and ligand: pocket residues (chain, number, insertion code, label as in the "
    "images), ligand atom names and elements, ligand centroid and extents in the front view's screen frame "
    "(Å; X right, Y up, Z towards the viewer, origin at the image centre).",
    needs_structure=True,
)
def structure_summary(ctx: ToolContext, args: SummaryArgs) -> ToolResult:
    cx = item_complex(ctx)
    lig = cx.ligand.atoms.coords - cx.centre
    pocket = cx.pocket.coords - cx.centre
    ligand: dict[str, Any] = {
        "code": cx.ligand.ccd,
        "n_heavy_atoms": len(cx.ligand.atoms),
        "atoms": [f"{n} ({e})" for n, e in zip(cx.ligand.atoms.names, cx.ligand.atoms.elements)],
        "centroid": _xyz(lig.mean(axis=0)),
        "extent_min": _xyz(lig.min(axis=0)),
        "extent_max": _xyz(lig.max(axis=0)),
    }
    if args.include_atoms:
        ligand["positions"] = {n: _xyz(p) for n, p in zip(cx.ligand.atoms.names, lig)}
    data = {
        "pdb_id": cx.pdb_id,
        "pocket_residues": [
            {"label": r.label, "chain": r.chain, "number": r.number, "icode": r.icode, "key": r.key}
            for r in cx.pocket.residue_order()
        ],
        "ligand": ligand,
        "pocket_extent_min": _xyz(pocket.min(axis=0)),
        "pocket_extent_max": _xyz(pocket.max(axis=0)),
        "frame": "front view screen frame, Å, origin at the image centre",
    }
    return ToolResult.success(data)


class GeometryArgs(BaseModel):
    atoms: list[str] = Field(
        ...,
        min_length=1,
        max_length=8,
        description="Atoms by the names the images show: 'ligand O1B' (or just 'O1B') for the ligand, "
        "'ARG 45 NH2' or 'A:ARG:45 NH2' for a pocket atom.",
    )


@tool(
    "atom_geometry",
    "Front-view positions of named atoms, every pairwise distance (Å), and for three atoms the angle at the "
    "middle one (degrees). Use it to check a hydrogen bond (donor–acceptor distance) or locate an atom.",
    needs_structure=True,
)
def atom_geometry(ctx: ToolContext, args: GeometryArgs) -> ToolResult:
    cx = item_complex(ctx)
    found = [find_atom(cx, a) for a in args.atoms]
    pos = {label: xyz - cx.centre for label, xyz in found}
    data: dict = {"positions": {k: _xyz(v) for k, v in pos.items()}, "distances": {}}
    for (la, pa), (lb, pb) in itertools.combinations(pos.items(), 2):
        data["distances"][f"{la} – {lb}"] = round(float(np.linalg.norm(pa - pb)), 2)
    if len(found) == 3:
        a, b, c = (v for _, v in found)
        u, w = a - b, c - b
        cos = float(np.dot(u, w) / (np.linalg.norm(u) * np.linalg.norm(w)))
        data["angle_at_middle"] = round(float(np.degrees(np.arccos(np.clip(cos, -1, 1)))), 1)
    if len(found) == 2:
        mid = (list(pos.values())[0] + list(pos.values())[1]) / 2
        data["midpoint"] = _xyz(mid)
    return ToolResult.success(data)
