"""Pure image operations (Pillow/numpy in, Pillow out): crop and upscale, side by side, difference.

Boxes are in image coordinates: x to the right, y DOWN from the top-left corner, (x0, y0, x1, y1).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ImageLike = Image.Image | np.ndarray
Box = tuple[float, float, float, float]

LABEL_HEIGHT = 20
GAP = 8
BACKGROUND = (40, 40, 40)  # not black, so black-background images keep visible edges


def as_image(image: ImageLike) -> Image.Image:
    """An RGB Pillow image (alpha dropped: renders are opaque on black)."""
    if isinstance(image, Image.Image):
        return image.convert("RGB")
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = (np.clip(arr, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    return Image.fromarray(arr).convert("RGB")


def pixel_box(
    size: tuple[int, int], box: Box, units: Literal["fraction", "pixel"] = "fraction"
) -> tuple[int, ...]:
    """The box in whole pixels, checked to lie inside an image of `size` = (width, height)."""
    w, h = size
    x0, y0, x1, y1 = box
    if units == "fraction":
        if not all(0.0 <= v <= 1.0 for v in box):
            raise ValueError(f"fractional box {box} must have every value in [0, 1]")
        x0, x1, y0, y1 = x0 * w, x1 * w, y0 * h, y1 * h
    px = (int(np.floor(x0)), int(np.floor(y0)), int(np.ceil(x1)), int(np.ceil(y1)))
    if not (0 <= px[0] < px[2] <= w and 0 <= px[1] < px[3] <= h):
        raise ValueError(f"box {box} ({units}) is empty or outside the {w}x{h} image; need x0 < x1, y0 < y1")
    return px


def crop(
    image: ImageLike,
    box: Box,
    *,
    units: Literal["fraction", "pixel"] = "fraction",
    size: int | None = None,
) -> Image.Image:
    """The box cut out and, if `size` is given, resized so its longer side is `size` pixels."""
    im = as_image(image)
    left, top, right, bottom = pixel_box(im.size, box, units)
    region = im.crop((left, top, right, bottom))
    if size is None:
        return region
    factor = size / max(region.size)
    new = (max(1, round(region.width * factor)), max(1, round(region.height * factor)))
    return region.resize(new, Image.Resampling.LANCZOS)


def side_by_side(images: Sequence[ImageLike], labels: Sequence[str] | None = None) -> Image.Image:
    """Images in a row on a dark grey canvas, top-aligned, each under its label (if labels are given)."""
    ims = [as_image(im) for im in images]
    if not ims:
        raise ValueError("side_by_side needs at least one image")
    if labels is not None and len(labels) != len(ims):
        raise ValueError(f"{len(labels)} labels for {len(ims)} images")
    top = LABEL_HEIGHT if labels else 0
    width = sum(im.width for im in ims) + GAP * (len(ims) - 1)
    canvas = Image.new("RGB", (width, top + max(im.height for im in ims)), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default()
    x = 0
    for i, im in enumerate(ims):
        canvas.paste(im, (x, top))
        if labels:
            draw.text((x + 4, 4), labels[i], fill=(255, 255, 255), font=font)
        x += im.width + GAP
    return canvas


def _abs_diff(a: ImageLike, b: ImageLike) -> np.ndarray:
    ia, ib = as_image(a), as_image(b)
    if ia.size != ib.size:
        raise ValueError(f"images differ in size: {ia.width}x{ia.height} and {ib.width}x{ib.height}")
    return np.abs(np.asarray(ia, dtype=np.float64) - np.asarray(ib, dtype=np.float64))


def auto_gain(a: ImageLike, b: ImageLike) -> float:
    """Contrast gain that maps the 99.9th percentile of |a - b| to white: renders of nearly the same
    scene differ by a few grey levels that would otherwise look black."""
    top = float(np.percentile(_abs_diff(a, b), 99.9))
    return 255.0 / top if top > 0 else 1.0


def difference(a: ImageLike, b: ImageLike, *, gain: float | None = None) -> Image.Image:
    """Per-pixel |a - b| (RGB) times `gain` (default: auto_gain). Pass one gain to several difference
    images to keep them comparable."""
    diff = _abs_diff(a, b) * (auto_gain(a, b) if gain is None else gain)
    return Image.fromarray(np.clip(diff, 0, 255).astype(np.uint8))
