"""`test_poses`: render many candidate transforms of the item's structure and rank them against one of
the item's images, so a model can test hypotheses (which roll? how far? which docking pose?) at once."""

from __future__ import annotations

from typing import Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field
from scipy import ndimage
from skimage.metrics import structural_similarity
from skimage.registration import phase_cross_correlation

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.pose.tools import read_commands
from tools.render.scene import RenderSpec


class PosesArgs(BaseModel):
    candidates: list[str] = Field(
        ...,
        min_length=1,
        max_length=1000,
        description="Candidate command sequences, e.g. ['roll x 15', 'roll x 30', 'roll y 15'].",
    )
    compare_with: int = Field(..., ge=1, description="Item image index the renders are compared with.")
    apply_to: Literal["scene", "ligand"] = Field(
        "scene",
        description="'scene': candidates move everything; 'ligand': candidates move only the ligand "
        "about its own centre (docking).",
    )
    before: str = Field("", description="Commands applied to the scene before each candidate (may be empty).")
    view: Literal["front", "left", "top", "back", "right", "bottom"] = Field(
        "front", description="Camera view."
    )
    content: Literal["complex", "pocket", "ligand"] = Field("complex", description="What to draw.")
    size: int = Field(128, ge=32, le=1024, description="Render size in pixels (small is fast).")
    labels: bool = Field(
        False, description="Draw labels (the item's images have them; small renders blur them)."
    )
    align: bool = Field(
        False,
        description="Rank by similarity after removing the shift between render and image (use when the "
        "candidate should match up to a translation); reports that shift in Å.",
    )
    top: int = Field(5, ge=1, le=50, description="How many best candidates to report.")


def _gray(path, size: int) -> np.ndarray:
    img = Image.open(path).convert("L")
    if img.size != (size, size):
        img = img.resize((size, size), Image.Resampling.LANCZOS)
    return np.asarray(img, dtype=float) / 255.0


@tool(
    "test_poses",
    "Render each candidate transform of the item's structure (small, fast renders styled like the item's "
    "images) and rank the candidates by similarity (SSIM) to one of the item's images. Returns the top "
    "candidates with their scores and, with align, the shift between render and image in Å.",
    needs_structure=True,
)
def test_poses(ctx: ToolContext, args: PosesArgs) -> ToolResult:
    from tools.render.batch import render_batch

    cam, ref = ctx.item.camera, ctx.item.structure
    if cam is None or ref is None:
        raise ToolError("this item has no structure or camera to render")
    read_commands(args.before)
    for c in args.candidates:
        read_commands(c)
    target = _gray(ctx.image_path(args.compare_with), args.size)
    out_dir = ctx.workdir / "poses"
    jobs = []
    for c in args.candidates:
        scene = ", ".join(x for x in (args.before, c if args.apply_to == "scene" else "") if x)
        spec = RenderSpec(
            structure=ref,
            content=args.content,
            scene=scene,
            ligand_motion=c if args.apply_to == "ligand" else "",
            view=args.view,
            field_width=cam.field_width,
            camera_distance=cam.camera_distance,
            size=args.size,
            labels=args.labels,
        )
        jobs.append((spec, out_dir / f"{spec.digest()}.png"))
    paths = render_batch(jobs, base=ctx.bench_dir)
    ranking = []
    for cand, path in zip(args.candidates, paths):
        img = _gray(path, args.size)
        entry: dict = {"commands": cand}
        if args.align:
            # translation only: undoing rotation or scale too would let a wrong pose match
            (drow, dcol), _, _ = phase_cross_correlation(target, img, upsample_factor=10)
            aligned = ndimage.shift(img, (drow, dcol), order=1, mode="constant")
            ppa = cam.pixels_per_angstrom * args.size / cam.image_size
            entry["similarity"] = round(float(structural_similarity(target, aligned, data_range=1.0)), 4)
            entry["render_minus_image_shift_angstrom"] = [round(-dcol / ppa, 2), round(drow / ppa, 2)]
        else:
            entry["similarity"] = round(float(structural_similarity(target, img, data_range=1.0)), 4)
        ranking.append(entry)
    ranking.sort(key=lambda e: -e["similarity"])
    best = ranking[: args.top]
    return ToolResult.success(
        {"compared_with": args.compare_with, "n_candidates": len(ranking), "best": best},
        images=[paths[args.candidates.index(best[0]["commands"])]],
    )
