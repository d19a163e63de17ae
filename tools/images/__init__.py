"""Image operations and in-plane registration. `import tools.images.tools` registers the model-facing
tools (crop_image, compare_images). Names load on first use so importing the package stays cheap."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from tools.images.ops import as_image, auto_gain, crop, difference, pixel_box, side_by_side
    from tools.images.registration import Registration, Similarity, register, similarity_transform, to_gray
