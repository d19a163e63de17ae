"""Turning whatever a record holds for an image into image bytes: encoded PNG/JPEG/… bytes, a PIL image,
a numpy array, a `{"bytes": …, "path": …}` struct (Hugging Face's Image feature), a base64 data URI,
or a path to an image member of the archive."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from eval.misi.release.errors import ReleaseError

MAGIC = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"BM": "bmp",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}
SUFFIX = {"png": ".png", "jpeg": ".jpg", "gif": ".gif", "bmp": ".bmp", "tiff": ".tif", "webp": ".webp"}


@dataclass(frozen=True)
class PathRef:
    """An image the record names by path; resolved against the archive's members later."""

    path: str


@dataclass(frozen=True)
class ImageBytes:
    data: bytes
    format: str  # png | jpeg | …

    @property
    def suffix(self) -> str:
        return SUFFIX.get(self.format, ".png")


def sniff(data: bytes) -> str | None:
    for magic, fmt in MAGIC.items():
        if data.startswith(magic):
            return fmt
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _png(image: Image.Image) -> ImageBytes:
    buf = io.BytesIO()
    if image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
        image = image.convert("RGB")
    image.save(buf, "PNG")
    return ImageBytes(buf.getvalue(), "png")


def _from_array(arr: np.ndarray) -> ImageBytes:
    if arr.ndim == 3 and arr.shape[0] in {1, 3, 4} and arr.shape[-1] not in {1, 3, 4}:
        arr = np.moveaxis(arr, 0, -1)  # channels first (torch style)
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[-1] in {3, 4})):
        raise ValueError(f"an array of shape {arr.shape} is not an image")
    if arr.dtype != np.uint8:
        top = 1.0 if np.issubdtype(arr.dtype, np.floating) and float(np.nanmax(arr)) <= 1.0 else 255.0
        arr = np.clip(np.nan_to_num(arr.astype(np.float64)) * (255.0 / top), 0, 255).round().astype(np.uint8)
    return _png(Image.fromarray(arr))


def looks_like_image(value: Any) -> bool:
    """Cheap check used to find image fields: encoded bytes, PIL images, image-shaped arrays, structs."""
    if isinstance(value, (bytes, bytearray)):
        return sniff(bytes(value[:16])) is not None
    if isinstance(value, Image.Image):
        return True
    if isinstance(value, np.ndarray):
        return value.ndim in {2, 3} and min(value.shape[:2]) >= 8 and value.dtype.kind in "uif"
    if isinstance(value, dict):
        return "bytes" in value and looks_like_image(value["bytes"])
    if isinstance(value, str):
        return value.startswith("data:image/") or value.lower().rsplit(".", 1)[-1] in {
            "png",
            "jpg",
            "jpeg",
            "bmp",
            "gif",
            "tif",
            "tiff",
            "webp",
        }
    return False


def decode(value: Any, where: str) -> ImageBytes | PathRef:
    """One image value → bytes, or a path to resolve; ReleaseError names `where` if it is not an image."""
    try:
        if isinstance(value, dict):
            if value.get("bytes"):
                return decode(value["bytes"], where)
            if value.get("path"):
                return PathRef(str(value["path"]))
            raise ValueError("a struct with neither bytes nor path")
        if isinstance(value, str):
            if value.startswith("data:image/") and "," in value:
                return decode(base64.b64decode(value.split(",", 1)[1]), where)
            return PathRef(value)
        if isinstance(value, (bytes, bytearray)):
            data = bytes(value)
            fmt = sniff(data)
            if fmt is None:
                with Image.open(io.BytesIO(data)) as im:  # other formats PIL knows: re-encode as PNG
                    im.load()
                    return _png(im)
            return ImageBytes(data, fmt)
        if isinstance(value, Image.Image):
            return _png(value)
        if isinstance(value, np.ndarray):
            return _from_array(value)
    except (ValueError, OSError, UnidentifiedImageError) as exc:
        raise ReleaseError(f"{where}: not an image ({exc})") from None
    raise ReleaseError(f"{where}: not an image (a {type(value).__name__})")


def describe(data: bytes) -> str:
    """'PNG 512x512 RGB' for a summary; the header only is read."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            return f"{im.format} {im.width}x{im.height} {im.mode}"
    except (OSError, UnidentifiedImageError):
        return "unreadable"
