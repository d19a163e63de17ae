"""Model-facing image tools: crop_image and compare_images. Images are the item's own, addressed by
their 1-based index in the prompt."""

from __future__ import annotations

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field
from skimage.transform import AffineTransform, warp

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.images.ops import auto_gain, crop, difference, pixel_box, side_by_side
from tools.images.registration import register, similarity_transform


def load_image(ctx: ToolContext, index: int) -> Image.Image:
    path = ctx.image_path(index)
    if not path.is_file():
        raise ToolError(f"image {index} is listed by the item but its file is missing")
    with Image.open(path) as im:
        return im.convert("RGB")


def save(ctx: ToolContext, image: Image.Image, stem: str) -> str:
    path = ctx.output_path(stem)
    image.save(path)
    return str(path)


class CropArgs(BaseModel):
    image: int = Field(description="1-based index of the item's image to crop, as numbered in the prompt.")
    box: list[float] = Field(
        min_length=4,
        max_length=4,
        description=(
            "[x0, y0, x1, y1] as fractions (0 to 1) of the image width and height, from the top-left "
            "corner with y growing DOWNWARD (image coordinates); x0 < x1 and y0 < y1. "
            "[0.25, 0.25, 0.75, 0.75] is the central region, [0, 0, 0.5, 0.5] the top-left quarter."
        ),
    )
    size: int = Field(768, ge=64, le=2048, description="Pixels along the longer side of the returned crop.")


@tool(
    "crop_image",
    "Zoom into part of one of the item's images: cut out a box (fractions of width and height, y down "
    "from the top) and return it enlarged. Use it to read small details such as atoms, labels or contacts.",
)
def crop_image(ctx: ToolContext, args: CropArgs) -> ToolResult:
    image = load_image(ctx, args.image)
    x0, y0, x1, y1 = args.box
    if not all(0.0 <= v <= 1.0 for v in args.box) or x0 >= x1 or y0 >= y1:
        raise ToolError(
            f"box {args.box} is not valid: give [x0, y0, x1, y1] with every value between 0 and 1, "
            "x0 < x1 and y0 < y1 (fractions of the width and height, y down from the top)"
        )
    px = pixel_box(image.size, (x0, y0, x1, y1))
    out = crop(image, (x0, y0, x1, y1), size=args.size)
    data = {
        "image": args.image,
        "box_fraction": [round(v, 4) for v in args.box],
        "box_pixels": list(px),
        "source_size": list(image.size),
        "output_size": list(out.size),
        "magnification": round(out.width / (px[2] - px[0]), 3),
    }
    return ToolResult.success(data, images=[save(ctx, out, "crop")])


class CompareArgs(BaseModel):
    a: int = Field(description="1-based index of the reference image.")
    b: int = Field(description="1-based index of the image compared with it (the moved one).")


def _aligned_rgb(image: Image.Image, motion: AffineTransform) -> Image.Image:
    """b with the estimated motion undone, so it overlays a."""
    arr = warp(np.asarray(image, dtype=np.float64) / 255.0, motion, order=1, mode="constant", cval=0.0)
    return Image.fromarray((np.clip(arr, 0, 1) * 255 + 0.5).astype(np.uint8))


@tool(
    "compare_images",
    "Measure how image b differs from image a as an in-plane motion: shift (pixels, and Å when the run "
    "gives the structure, from the camera fitted to image a; x right, y up), rotation in degrees "
    "(counter-clockwise positive, about the image centre) and scale (b size / a size), with SSIM "
    "similarity before and after undoing that motion. "
    "Returns a side-by-side view and difference images (before | after alignment); what stays bright "
    "after alignment moved differently from the rest (e.g. a ligand moved relative to its pocket).",
)
def compare_images(ctx: ToolContext, args: CompareArgs) -> ToolResult:
    if args.a == args.b:
        raise ToolError(f"a and b are both image {args.a}; give two different image indices")
    ia, ib = load_image(ctx, args.a), load_image(ctx, args.b)
    if ia.size != ib.size:
        raise ToolError(
            f"image {args.a} is {ia.width}x{ia.height} and image {args.b} is {ib.width}x{ib.height}; "
            "compare_images needs two images of the same size"
        )
    try:
        reg = register(ia, ib)
    except ValueError as exc:
        raise ToolError(str(exc)) from exc
    dx, dy = reg.shift_px
    data: dict = {
        "a": args.a,
        "b": args.b,
        "image_size": list(ia.size),
        "shift_px": {"x": round(dx, 2), "y": round(dy, 2)},
        "rotation_deg": round(reg.rotation_deg, 2),
        "scale": round(reg.scale, 4),
        "similarity_before": round(reg.similarity.before, 4),
        "similarity_after": round(reg.similarity.after, 4),
        "conventions": (
            "b ≈ a rotated counter-clockwise by rotation_deg and scaled by scale about the image centre, "
            "then shifted by shift; x to the right, y UP (screen axes). similarity is mean SSIM (1 = same)."
        ),
    }
    if ctx.access == "structure" and ctx.item.structure is not None:
        _add_angstrom(ctx, args.a, ia.width, dx, dy, data)
    motion = similarity_transform((ia.height, ia.width), reg.rotation_deg, reg.scale, reg.shift_px)
    pair = side_by_side([ia, ib], [f"image {args.a} (a)", f"image {args.b} (b)"])
    gain = auto_gain(ia, ib)  # one contrast for both, so what remains after alignment looks smaller
    diffs = side_by_side(
        [difference(ia, ib, gain=gain), difference(ia, _aligned_rgb(ib, motion), gain=gain)],
        ["|a - b| as given", "|a - b| after undoing the motion"],
    )
    return ToolResult.success(data, images=[save(ctx, pair, "compare"), save(ctx, diffs, "difference")])


def _add_angstrom(ctx: ToolContext, index: int, width: int, dx: float, dy: float, data: dict) -> None:
    """Shift in Å from the projection fitted to image `index`; a fit that fails leaves pixels only."""
    from tools.perception.item_fit import calibration

    try:
        cal = calibration(ctx, index)
    except ToolError as exc:
        data["angstrom_unavailable"] = str(exc)
        return
    ppa = cal.projection.scale
    data["shift_angstrom"] = {"x": round(dx / ppa, 2), "y": round(dy / ppa, 2)}
    data["pixels_per_angstrom"] = round(ppa, 4)
    data["camera_fit_quality"] = cal.quality
