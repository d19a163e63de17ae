"""Model-facing perception tools: read the labels of an image, rebuild the 3D scene from the standard
views, measure motions, zoom, distances and candidate hydrogen bonds, from the item's images alone.

They never use the camera or the structure: pixels are turned into Å by chemistry (consecutive CA atoms
3.80 Å apart, ligand bonds ≈ 1.45 Å), and every answer says what it rests on and how sure it is.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.camera import VIEWS
from tools.perception.atoms import detect_atoms
from tools.perception.geometry import (
    BACKBONE_REACH,
    SIDE_CHAIN_REACH,
    angle,
    distance,
    fit_motion,
    fit_similarity,
    fit_zoom,
    hbond_reach,
    residue_partners,
)
from tools.perception.glyphs import ink_layers
from tools.perception.labels import LabelReading, label_mask, normalise_query, read_labels
from tools.perception.scene import SceneModel, project_px, rebuild

ViewName = Literal["front", "left", "top", "back", "right", "bottom"]
IMAGES_HELP = (
    "1-based indices of images that show ONE scene from the standard views (e.g. [1, 2, 3] for front, "
    "left, top). Each image's view is taken from the item's image list unless `views` is given."
)


def image_reading(ctx: ToolContext, index: int) -> LabelReading:
    path = ctx.image_path(index)
    if not path.is_file():
        raise ToolError(f"image {index} is listed by the item but its file is missing")
    cache = ctx.state.setdefault("label_readings", {})
    if index not in cache:
        cache[index] = read_labels(path)
    return cache[index]


def image_views(ctx: ToolContext, images: list[int], views: list[ViewName] | None) -> list[str]:
    if views is not None:
        if len(views) != len(images):
            raise ToolError(f"give one view per image: {len(images)} images but {len(views)} views")
        return list(views)
    out = []
    for i in images:
        ctx.image_path(i)  # raises for a bad index
        view = getattr(ctx.item.images[i - 1], "view", None)
        if view not in VIEWS:
            raise ToolError(f"image {i} has no standard view name; pass `views` (one of {', '.join(VIEWS)})")
        out.append(view)
    if len(set(out)) != len(out):
        raise ToolError(f"images {images} repeat a view ({out}): give images of one scene, one per view")
    return out


def _scene(
    ctx: ToolContext, images: list[int], views: list[ViewName] | None, wanted: list[str] | None = None
) -> SceneModel:
    names = image_views(ctx, images, views)
    key = (tuple(zip(images, names)), tuple(wanted or ()))
    cache = ctx.state.setdefault("scenes", {})
    if key not in cache:
        try:
            readings = {v: image_reading(ctx, i) for i, v in zip(images, names)}
            ink = {v: label_mask(ctx.image_path(i)).astype(float) for i, v in zip(images, names)}
            layers = {v: ink_layers(ctx.image_path(i)) for i, v in zip(images, names)}
            text = {v: t for v, (t, _) in layers.items()}
            strokes = {v: n for v, (_, n) in layers.items()}
            cache[key] = rebuild(readings, ink, text, wanted, strokes)
        except ValueError as exc:
            raise ToolError(str(exc)) from exc
    return cache[key]


class ReadLabelsArgs(BaseModel):
    image: int = Field(description="1-based index of the item's image to read.")


@tool(
    "read_labels",
    "Read every text label in one image with OCR: residue labels ('ARG 45', at the residue's CA) and ligand "
    "atom names ('O1B', at the atom). Each label has its pixel box and centre (column right, row DOWN from "
    "the top-left) and a confidence; labels hidden by overlapping text are not invented but listed as "
    "unread fragments.",
)
def read_labels_tool(ctx: ToolContext, args: ReadLabelsArgs) -> ToolResult:
    r = image_reading(ctx, args.image)
    return ToolResult.success(
        {
            "image": args.image,
            "image_size": list(r.image_size),
            "engine": r.engine,
            "labels": [lab.model_dump(exclude={"raw"}) for lab in r.labels],
            "unread": [u.model_dump() for u in r.unread],
        }
    )


class SceneArgs(BaseModel):
    images: list[int] = Field(min_length=2, description=IMAGES_HELP)
    views: list[ViewName] | None = Field(
        None, description="The view of each image, if the item does not say."
    )


def _point_dict(model: SceneModel, p) -> dict:
    out = p.model_dump()
    if p.kind == "residue":
        out["bond_reach_angstrom"] = hbond_reach(p.text.split()[0])
    ppa = model.scale.pixels_per_angstrom
    if ppa:
        out["xyz_angstrom"] = [round(c / ppa, 2) for c in p.xyz_px]
    return out


@tool(
    "rebuild_scene",
    "Rebuild a partial 3D model of the scene from labels read in two or more standard views (orthographic, "
    "related by the known view rotations). Returns each label seen in two or more views with its 3D position "
    "in the front view's frame (x right, y up, z towards the viewer; origin at the image centre) in pixels, "
    "and in Å when the scale could be fixed from the labels (consecutive residues' CA 3.80 Å apart, or "
    "ligand bond lengths), with the residual across views and the views used. `located_by` says how: read "
    "in two or more views, read once and found by its pixels, read where all six views' text is stacked "
    "at its point (overlapping labels), or found by its text composed from glyphs read elsewhere.",
)
def rebuild_scene_tool(ctx: ToolContext, args: SceneArgs) -> ToolResult:
    model = _scene(ctx, args.images, args.views)
    return ToolResult.success(
        {
            "images": args.images,
            "scale": model.scale.model_dump(),
            "points": [_point_dict(model, p) for p in model.points],
            "seen_in_one_view_only": model.unmatched,
        }
    )


class MotionArgs(BaseModel):
    images: list[int] = Field(
        min_length=2, description=IMAGES_HELP + " These give the scene before the motion."
    )
    target: int = Field(description="1-based index of the front view after the motion.")
    candidates: list[str] = Field(
        min_length=1,
        max_length=2000,
        description="Candidate motions in the paper's syntax, e.g. ['roll x 15', 'roll y -30, roll z 45'];"
        " moves are ignored (only rotations are tested; see `translate`).",
    )
    translate: bool = Field(False, description="Also fit an in-plane shift (for motions that include moves).")
    views: list[ViewName] | None = Field(
        None, description="The view of each of `images`, if the item does not say."
    )


@tool(
    "fit_view_motion",
    "Test candidate rotations of the scene against a later front view: the scene is rebuilt from its labels "
    "in the given views, each candidate rotation is applied, and the labels' predicted positions are "
    "compared with those read in the target image. Returns the candidates ranked by median miss in "
    "pixels, the labels matched, and whether the best one decides (enough labels, small miss, clear margin).",
)
def fit_view_motion(ctx: ToolContext, args: MotionArgs) -> ToolResult:
    model = _scene(ctx, args.images, args.views)
    rotations = [
        ", ".join(c.strip() for c in cand.split(",") if c.strip().startswith("roll")) or "roll z 0"
        for cand in args.candidates
    ]
    fit = fit_motion(model, image_reading(ctx, args.target), rotations, args.translate)
    back = dict(zip(rotations, args.candidates))
    data = fit.model_dump()
    for f in data["best"]:
        f["commands"] = back.get(f["commands"], f["commands"])
    if model.scale.pixels_per_angstrom and args.translate:
        for f in data["best"]:
            f["shift_angstrom"] = [round(v / model.scale.pixels_per_angstrom, 2) for v in f["shift_px"]]
    data["scale"] = model.scale.model_dump()
    return ToolResult.success(data)


class ShiftArgs(BaseModel):
    a: int = Field(description="1-based index of the reference image.")
    b: int = Field(description="1-based index of the moved image (same view).")
    scene_images: list[int] | None = Field(
        None, description="Optional: standard views of the same scene, to express the shift in Å."
    )


@tool(
    "label_shift",
    "Measure the in-plane motion between two images of one view from the labels both show: the shift in "
    "pixels (x right, y UP) and the scale about the image centre, robust to misread labels; in Å as well "
    "when `scene_images` lets the scale be fixed.",
)
def label_shift(ctx: ToolContext, args: ShiftArgs) -> ToolResult:
    fit = fit_similarity(image_reading(ctx, args.a), image_reading(ctx, args.b))
    data = fit.model_dump()
    if args.scene_images and fit.shift_px is not None:
        model = _scene(ctx, args.scene_images, None)
        data["scale_from_labels"] = model.scale.model_dump()
        if model.scale.pixels_per_angstrom:
            data["shift_angstrom"] = [round(v / model.scale.pixels_per_angstrom, 2) for v in fit.shift_px]
    return ToolResult.success(data)


class ZoomArgs(BaseModel):
    a: int = Field(description="1-based index of the initial front view.")
    b: int = Field(description="1-based index of the zoomed front view.")
    camera_distance: float = Field(
        gt=0, description="Å from the camera to the scene centre, as the task states."
    )
    distances: list[float] = Field(
        min_length=2, max_length=400, description="Candidate `move z` distances in Å (e.g. 40 to 60)."
    )


@tool(
    "fit_zoom",
    "Find which `move z d` turns image a into image b: for each candidate d the atoms of a (by colour class, "
    "labels excluded) are scaled by D / (D - d) about the image centre and compared with b's. Returns the "
    "candidates ranked by the share of b's atom pixels that agree, and the margin of the best.",
)
def fit_zoom_tool(ctx: ToolContext, args: ZoomArgs) -> ToolResult:
    if any(d >= args.camera_distance - 1 for d in args.distances):
        raise ToolError("every distance must be smaller than the camera distance")
    da, db = detect_atoms(ctx.image_path(args.a)), detect_atoms(ctx.image_path(args.b))
    if da.size != db.size:
        raise ToolError(f"images {args.a} and {args.b} differ in size")
    factors = [args.camera_distance / (args.camera_distance - d) for d in args.distances]
    z = fit_zoom(da, db, factors)
    by_factor = {round(f, 5): d for f, d in zip(factors, args.distances)}
    ranked = [{"move_z": by_factor[k], "scale": k, "agreement": s} for k, s in z.scores]
    return ToolResult.success({"ranked": ranked[:8], "margin": round(z.margin, 4)})


class GeometryArgs(BaseModel):
    images: list[int] = Field(min_length=2, description=IMAGES_HELP)
    names: list[str] = Field(
        min_length=1,
        max_length=20,
        description="Labels to measure: ligand atom names ('O47') or residues ('ASP 25').",
    )
    views: list[ViewName] | None = Field(
        None, description="The view of each image, if the item does not say."
    )


@tool(
    "scene_geometry",
    "Positions of named labels in the rebuilt scene (front-view frame, Å when the scale is known, else "
    "pixels), their pairwise distances and, for three names, the angle at the middle one. A residue's "
    "position is its label's anchor (its CA), not a side-chain atom; its `bond_reach_angstrom` is how far "
    "from the CA its farthest hydrogen-bonding atom can be.",
)
def scene_geometry(ctx: ToolContext, args: GeometryArgs) -> ToolResult:
    names = [normalise_query(n) for n in args.names]
    model = _scene(ctx, args.images, args.views, names)
    found = {n: model.point(n) for n in names}
    missing = [n for n, p in found.items() if p is None]
    data: dict = {
        "scale": model.scale.model_dump(),
        "positions": {n: _point_dict(model, p) for n, p in found.items() if p is not None},
        "not_located": missing,
    }
    pairs = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            d = distance(model, a, b)
            if d is not None:
                pairs[f"{a} - {b}"] = round(d, 2)
    data["distances_angstrom"] = pairs
    if len(names) == 3 and not missing and (deg := angle(model, *names)) is not None:
        data["angle_deg"] = round(deg, 1)
    return ToolResult.success(data)


class HBondArgs(BaseModel):
    images: list[int] = Field(min_length=2, description=IMAGES_HELP)
    residue: str | None = Field(
        None, description="Only this residue ('HIS 440'); default every residue read."
    )
    max_distance: float = Field(4.0, gt=0, le=12, description="Largest donor–acceptor distance in Å.")
    views: list[ViewName] | None = Field(
        None, description="The view of each image, if the item does not say."
    )


@tool(
    "hbond_candidates",
    "Candidate hydrogen bonds from the rebuilt scene: ligand N/O atoms (by label) close enough to a residue "
    "(by its CA label) that one of the residue's donor/acceptor atoms could reach them, with the residue "
    "atom names chemistry allows. Side-chain atoms carry no labels, so these are possibilities with a "
    "margin, not measured bonds.",
)
def hbond_candidates(ctx: ToolContext, args: HBondArgs) -> ToolResult:
    model = _scene(ctx, args.images, args.views)
    ppa = model.scale.pixels_per_angstrom
    if not ppa:
        raise ToolError(f"the scale could not be fixed from the labels ({model.scale.source})")
    ligand = [p for p in model.points if p.kind == "atom" and p.element in ("N", "O")]
    residues = [p for p in model.points if p.kind == "residue"]
    if args.residue:
        want = normalise_query(args.residue)
        residues = [p for p in residues if p.text == want]
    out: list[dict[str, Any]] = []
    for r in residues:
        resname = r.text.split()[0]
        reach = max(SIDE_CHAIN_REACH.get(resname, 0.0), BACKBONE_REACH)
        for a in ligand:
            d = float(np.linalg.norm(np.subtract(a.xyz_px, r.xyz_px)) / ppa)
            if d <= reach + args.max_distance:
                side = d <= SIDE_CHAIN_REACH.get(resname, 0.0) + args.max_distance
                out.append(
                    {
                        "residue": r.text,
                        "ligand_atom": a.text,
                        "ca_distance_angstrom": round(d, 2),
                        "possible_partners": residue_partners(resname) if side else ["N", "O"],
                        "confidence": round(
                            min(r.confidence, a.confidence) * (1 - d / (reach + args.max_distance + 1)), 3
                        ),
                    }
                )
    out.sort(key=lambda c: c["ca_distance_angstrom"])
    return ToolResult.success(
        {
            "scale": model.scale.model_dump(),
            "candidates": out,
            "ligand_atoms_located": [a.text for a in ligand],
            "residues_located": [r.text for r in residues],
        }
    )


def front_position(model: SceneModel, text: str) -> np.ndarray | None:
    """Pixel (column, row) of a located label in the front view."""
    p = model.point(text)
    if p is None:
        return None
    return project_px(np.array(p.xyz_px), np.eye(3), model.image_size)[0]
