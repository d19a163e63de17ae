"""Model-facing tool: test rotations of the scene against other images by the atoms' colour classes,
rebuilt in 3D from the standard views (tools.perception.hull). It needs no label reading, so it works on
crowded renders where the labels overlap; it never uses the camera or the structure.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.camera import parse_commands
from tools.perception.hull import Hull, carve, cell_maps, cell_size, fit_rotations
from tools.perception.tools import IMAGES_HELP, ViewName, image_views


def _maps(ctx: ToolContext, index: int) -> tuple[np.ndarray, int]:
    """The image's cell maps and the cell size in pixels."""
    path = ctx.image_path(index)
    if not path.is_file():
        raise ToolError(f"image {index} is listed by the item but its file is missing")
    cache = ctx.state.setdefault("cell_maps", {})
    if index not in cache:
        with Image.open(path) as im:
            cell = cell_size(im.size[0])
        try:
            cache[index] = (cell_maps(path, cell), cell)
        except ValueError as exc:
            raise ToolError(f"image {index}: {exc}") from exc
    return cache[index]


def _hull(ctx: ToolContext, images: list[int], views: list[ViewName] | None) -> Hull:
    names = image_views(ctx, images, views)
    key = tuple(zip(images, names))
    cache = ctx.state.setdefault("hulls", {})
    if key not in cache:
        maps = {v: _maps(ctx, i) for i, v in zip(images, names)}
        try:
            cache[key] = carve({v: m for v, (m, _) in maps.items()}, cell=maps[names[0]][1])
        except ValueError as exc:
            raise ToolError(str(exc)) from exc
    return cache[key]


class AtomRotationArgs(BaseModel):
    images: list[int] = Field(
        min_length=2, description=IMAGES_HELP + " These give the scene before the motion."
    )
    targets: list[int] = Field(
        min_length=1,
        max_length=8,
        description="1-based indices of the images to compare with (a front view after the motion, or "
        "each option image).",
    )
    candidates: list[str] = Field(
        min_length=1,
        max_length=2000,
        description="Candidate rotations in the paper's syntax, e.g. ['roll x 15', 'roll y -30, roll z 45'];"
        " moves are ignored (see `translate`).",
    )
    translate: bool = Field(
        False, description="Also fit the best in-plane shift for each rotation (for motions that move)."
    )
    views: list[ViewName] | None = Field(
        None, description="The view of each of `images`, if the item does not say."
    )


@tool(
    "fit_atom_rotation",
    "Test candidate rotations of the scene against other images by the atoms' colour classes, without "
    "reading labels: the atoms (O red, N blue, ligand C grey, pocket C purple/orange, other) are rebuilt in "
    "3D from the standard views (the space every view's silhouette allows, with each colour's support), "
    "rotated by each candidate, projected, and compared with each target image (intersection over union of "
    "the colour classes, 0..1). Returns per target the candidates ranked by agreement (with the fitted "
    "shift in pixels, x right and y UP, when `translate`), and whether the best one decides.",
)
def fit_atom_rotation(ctx: ToolContext, args: AtomRotationArgs) -> ToolResult:
    for cand in args.candidates:
        parts = [p.strip() for p in cand.split(",") if p.strip()]
        bad = [
            p
            for p in parts
            if len(parse_commands(p)) != 1 or parse_commands(p)[0].verb not in ("move", "roll")
        ]
        if not parts or bad:
            raise ToolError(f"candidate '{cand}' is not a list of commands like 'roll x 15, move y -2'")
    hull = _hull(ctx, args.images, args.views)
    if len(hull.xyz) == 0:
        raise ToolError(f"the views {args.images} share no atoms: they do not show one scene")
    out = {}
    for t in args.targets:
        target, _ = _maps(ctx, t)
        try:
            fit = fit_rotations(hull, target, args.candidates, args.translate)
        except ValueError as exc:
            raise ToolError(f"image {t}: {exc}") from exc
        out[str(t)] = fit.model_dump()
    return ToolResult.success({"images": args.images, "targets": out})
