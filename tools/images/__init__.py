"""Image operations and in-plane registration. `import tools.images.tools` registers the model-facing
tools (crop_image, compare_images). Names load on first use so importing the package stays cheap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.lazy import lazy_getattr

_EXPORTS = {
    "as_image": "ops",
    "auto_gain": "ops",
    "crop": "ops",
    "difference": "ops",
    "pixel_box": "ops",
    "side_by_side": "ops",
    "Registration": "registration",
    "Similarity": "registration",
    "register": "registration",
    "similarity_transform": "registration",
    "to_gray": "registration",
}

__all__ = [
    "Registration",
    "Similarity",
    "as_image",
    "auto_gain",
    "crop",
    "difference",
    "pixel_box",
    "register",
    "side_by_side",
    "similarity_transform",
    "to_gray",
]


__getattr__ = lazy_getattr(__name__, _EXPORTS)


if TYPE_CHECKING:
    from tools.images.ops import as_image, auto_gain, crop, difference, pixel_box, side_by_side
    from tools.images.registration import Registration, Similarity, register, similarity_transform, to_gray
