"""`fit_camera`: the projection of the item's structure onto one of its images, fitted from the atoms the
image shows, with how well it fits and whether the view convention holds."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.base import ToolContext, ToolResult, tool
from tools.perception import item_fit


class FitCameraArgs(BaseModel):
    image: int = Field(..., ge=1, description="Item image index (it should show the structure unmoved).")
    commands: str = Field(
        "", description="Commands the image shows applied to the scene, if any (e.g. 'roll x 30')."
    )


@tool(
    "fit_camera",
    "Fit the camera of one item image from the atoms it shows: pixels per Å, the pixel of the scene "
    "centre (column, row), the in-plane rotation, the fit's mean mismatch in Å and quality, and whether the "
    "view convention (front view down -Z, x right, y up) is verified against the mirrored alternative.",
    needs_structure=True,
)
def fit_camera(ctx: ToolContext, args: FitCameraArgs) -> ToolResult:
    from tools.pose.tools import read_commands

    read_commands(args.commands)
    cal = item_fit.calibration(ctx, args.image, scene=args.commands)
    p = cal.projection
    return ToolResult.success(
        {
            "image": args.image,
            "view": item_fit.image_view(ctx, args.image),
            "content": cal.content,
            "pixels_per_angstrom": round(p.scale, 4),
            "centre_px": [round(v, 2) for v in p.centre],
            "rotation_deg": round(p.rotation_deg, 2),
            "mirrored": p.mirrored,
            "mismatch_angstrom": cal.cost_angstrom,
            "mirrored_mismatch_angstrom": cal.mirrored_cost_angstrom,
            "view_convention_verified": cal.convention_verified,
            "inlier_fraction": cal.inlier_fraction,
            "rms_px": cal.rms_px,
            "quality": cal.quality,
        }
    )
