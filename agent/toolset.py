"""Which tools an item gets: image tools when it has images, video tools for video items, structure tools
only when the run grants structure access and the item has a structure."""

from __future__ import annotations

from tools.base import REGISTRY, Tool

_VIDEO_TOOLS = {"video_frames", "compare_frames"}
_ITEM_IMAGE_TOOLS = {
    "crop_image",
    "compare_images",
    "read_labels",
    "rebuild_scene",
    "fit_view_motion",
    "label_shift",
    "fit_zoom",
    "scene_geometry",
    "hbond_candidates",
    "fit_atom_rotation",
    "residue_contact_bound",
}  # address the item's own images by index


def _register_all() -> None:
    # Importing a tool module registers its tools.
    import tools.frames.tools  # noqa: F401
    import tools.images.tools  # noqa: F401
    import tools.interactions.tools  # noqa: F401
    import tools.perception.camera_tool  # noqa: F401
    import tools.perception.contact_tools  # noqa: F401
    import tools.perception.hull_tools  # noqa: F401
    import tools.perception.tools  # noqa: F401
    import tools.pose.hypotheses  # noqa: F401
    import tools.pose.tools  # noqa: F401
    import tools.structure.tools  # noqa: F401


def all_tools() -> list[Tool]:
    _register_all()
    return [REGISTRY[name] for name in sorted(REGISTRY)]


def tools_for(has_structure: bool, has_video: bool, access: str, has_images: bool = True) -> list[Tool]:
    chosen = []
    for tool in all_tools():
        if tool.needs_structure and (access != "structure" or not has_structure):
            continue
        if tool.name in _VIDEO_TOOLS and not has_video:
            continue
        if tool.name in _ITEM_IMAGE_TOOLS and not has_images:
            continue
        chosen.append(tool)
    return chosen
