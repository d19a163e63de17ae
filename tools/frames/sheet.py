"""Contact sheet: frames in a grid, each thumbnail above its caption (e.g. '#12  00:00.5')."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tools.frames.video import Frame, format_timestamp

CAPTION_HEIGHT = 18
PAD = 6
BACKGROUND = (24, 24, 24)  # not black: black-background renders must stay distinguishable from the gaps


def frame_caption(index: int, seconds: float) -> str:
    return f"#{index}  {format_timestamp(seconds)}"


def grid_shape(n: int, columns: int | None = None) -> tuple[int, int]:
    """(columns, rows): near-square by default."""
    cols = columns or math.ceil(math.sqrt(n))
    cols = max(1, min(cols, n))
    return cols, math.ceil(n / cols)


def sheet_size(n: int, thumb: tuple[int, int], columns: int | None = None) -> tuple[int, int]:
    """Pixel (width, height) of a sheet of n thumbnails of size `thumb`."""
    cols, rows = grid_shape(n, columns)
    return PAD + cols * (thumb[0] + PAD), PAD + rows * (thumb[1] + CAPTION_HEIGHT + PAD)


def contact_sheet(
    images: Sequence[Image.Image | np.ndarray],
    captions: Sequence[str],
    *,
    columns: int | None = None,
    thumb_width: int = 320,
) -> Image.Image:
    """A grid of the images, all scaled to `thumb_width` wide (height from the first image's aspect)."""
    if not images:
        raise ValueError("a contact sheet needs at least one image")
    if len(captions) != len(images):
        raise ValueError(f"{len(captions)} captions for {len(images)} images")
    ims = [
        im.convert("RGB") if isinstance(im, Image.Image) else Image.fromarray(np.asarray(im)).convert("RGB")
        for im in images
    ]
    thumb = (thumb_width, max(1, round(thumb_width * ims[0].height / ims[0].width)))
    cols, _ = grid_shape(len(ims), columns)
    sheet = Image.new("RGB", sheet_size(len(ims), thumb, columns), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for k, (im, caption) in enumerate(zip(ims, captions, strict=True)):
        r, c = divmod(k, cols)
        x = PAD + c * (thumb[0] + PAD)
        y = PAD + r * (thumb[1] + CAPTION_HEIGHT + PAD)
        factor = min(thumb[0] / im.width, thumb[1] / im.height)  # keeps aspect; centred in its cell
        size = (max(1, round(im.width * factor)), max(1, round(im.height * factor)))
        fitted = im.resize(size, Image.Resampling.LANCZOS)
        sheet.paste(fitted, (x + (thumb[0] - fitted.width) // 2, y + (thumb[1] - fitted.height) // 2))
        draw.text((x + 2, y + thumb[1] + 3), caption, fill=(255, 255, 255), font=font)
    return sheet


def frame_sheet(
    frames: Sequence[Frame], *, columns: int | None = None, thumb_width: int = 320
) -> Image.Image:
    """Contact sheet of decoded video frames, captioned with index and timestamp."""
    return contact_sheet(
        [f.image for f in frames],
        [frame_caption(f.index, f.time) for f in frames],
        columns=columns,
        thumb_width=thumb_width,
    )
