"""`test_poses`: rank many candidate transforms of the item's structure against one of the item's images, so
a model can test hypotheses (which roll? how far? which docking pose?) at once.

Nothing is rendered and no camera is given: the projection is fitted to a reference image of the unmoved
structure (tools/perception/calibrate.py), each candidate pose is projected with it, and its sticks are
matched against the atoms detected in the compared image by position and colour class. The ranking
therefore depends on where atoms are drawn, not on how a renderer shades, thickens or labels them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw
from pydantic import BaseModel, Field

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.perception import item_fit
from tools.perception.calibrate import MATCH_CLASSES, match_cost, stick_model
from tools.pose.tools import read_commands
from tools.structure.tools import item_complex

View = Literal["front", "left", "top", "back", "right", "bottom"]
_DOT = {"O": (255, 60, 60), "N": (80, 120, 255), "ligand_C": (200, 200, 200), "pocket_C": (0, 255, 120)}


class PosesArgs(BaseModel):
    candidates: list[str] = Field(
        ...,
        min_length=1,
        max_length=1000,
        description="Candidate command sequences, e.g. ['roll x 15', 'roll x 30', 'roll y 15'].",
    )
    compare_with: int = Field(..., ge=1, description="Item image index the candidates are compared with.")
    apply_to: Literal["scene", "ligand"] = Field(
        "scene",
        description="'scene': candidates move everything; 'ligand': candidates move only the ligand "
        "about its own centre (docking).",
    )
    before: str = Field("", description="Commands applied to the scene before each candidate (may be empty).")
    view: View = Field("front", description="Camera view of the compared image.")
    content: Literal["complex", "pocket", "ligand"] = Field(
        "complex", description="What the compared image shows."
    )
    reference: int | None = Field(
        None,
        ge=1,
        description="Item image showing the structure before any command, in the same view; the camera is "
        "fitted to it. Default: the first item image in that view.",
    )
    compare: Literal["atoms", "silhouette"] = Field(
        "atoms",
        description="'atoms': match atoms by position and colour class; 'silhouette': match the drawn shape "
        "(atoms and labels together), for images whose labels hide most atoms.",
    )
    align: bool = Field(
        False,
        description="Rank after removing the shift between each candidate and the image (use when the "
        "candidate should match up to a translation); reports that shift in Å.",
    )
    top: int = Field(5, ge=1, le=50, description="How many best candidates to report.")


def _reference_index(ctx: ToolContext, args: PosesArgs) -> int:
    if args.reference is not None:
        ctx.image_path(args.reference)
        return args.reference
    for i, img in enumerate(ctx.item.images, start=1):
        if (getattr(img, "view", None) or "front") == args.view and i != args.compare_with:
            return i
    raise ToolError(f"no item image in the {args.view} view to fit the camera to; give `reference`")


def _overlay(ctx: ToolContext, index: int, px: np.ndarray, cls: np.ndarray) -> Path:
    img = Image.open(ctx.image_path(index)).convert("RGB")
    draw = ImageDraw.Draw(img)
    for (x, y), k in zip(px[::2], cls[::2]):
        draw.point((float(x), float(y)), fill=_DOT.get(MATCH_CLASSES[k], (255, 255, 0)))
    out = ctx.output_path("poses")
    img.save(out)
    return out


@tool(
    "test_poses",
    "Rank candidate transforms of the item's structure against one of the item's images: the camera is "
    "fitted to a reference image of the unmoved structure, each candidate pose is projected with it and "
    "matched against the atoms detected in the image (position and colour class). Returns the top "
    "candidates with their mean mismatch in Å (lower is better), the camera fit's quality and, with "
    "align, the shift between candidate and image in Å; the image shows the best candidate's atoms "
    "drawn over the compared image.",
    needs_structure=True,
)
def test_poses(ctx: ToolContext, args: PosesArgs) -> ToolResult:
    if ctx.item.structure is None:
        raise ToolError("this item has no structure to pose")
    read_commands(args.before)
    for c in args.candidates:
        read_commands(c)
    ctx.image_path(args.compare_with)
    cx = item_complex(ctx)
    ref_index = _reference_index(ctx, args)
    cal = item_fit.calibration(ctx, ref_index, view=args.view)
    proj = cal.projection
    det = item_fit.detection(ctx, args.compare_with)
    target = item_fit.target(ctx, args.compare_with)
    ranking = []
    best_px: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for cand in args.candidates:
        scene = ", ".join(x for x in (args.before, cand if args.apply_to == "scene" else "") if x)
        model = stick_model(
            cx,
            ctx.item.structure,
            args.content,
            scene=scene,
            ligand_motion=cand if args.apply_to == "ligand" else "",
            view=args.view,
        )
        px = proj.project(model.xyz, model.zoom)
        scale = proj.scale * model.zoom
        entry: dict = {"commands": cand}
        if args.align:
            shift = item_fit.silhouette_shift(px, det, scale)
            px = px + shift
            entry["render_minus_image_shift_angstrom"] = [
                round(float(-shift[0] / scale), 2),
                round(float(shift[1] / scale), 2),
            ]
        if args.compare == "silhouette":
            cost = item_fit.silhouette_cost(px, det, scale)
        else:
            cost, _ = match_cost(px, model.cls, target, scale)
        entry["distance_angstrom"] = round(float(cost), 4)
        ranking.append(entry)
        best_px[cand] = (px, model.cls)
    ranking.sort(key=lambda e: e["distance_angstrom"])
    best = ranking[: args.top]
    px, cls = best_px[best[0]["commands"]]
    return ToolResult.success(
        {
            "compared_with": args.compare_with,
            "n_candidates": len(ranking),
            "best": best,
            "camera_fit": {
                "reference_image": ref_index,
                "pixels_per_angstrom": round(proj.scale, 4),
                "centre_px": [round(v, 2) for v in proj.centre],
                "rotation_deg": round(proj.rotation_deg, 2),
                "quality": cal.quality,
                "mismatch_angstrom": cal.cost_angstrom,
                "view_convention_verified": cal.convention_verified,
            },
        },
        images=[_overlay(ctx, args.compare_with, px, cls)],
    )
