"""Model-facing pose tools: apply commands to the item's structure, estimate the transform between two
poses, and render any view after a transform so a hypothesis can be checked against the item's images."""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field
from scipy.spatial.transform import Rotation

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.camera import COMMAND_RE, Command, Pose, format_commands, parse_commands, zoom_factor
from tools.pose.kabsch import kabsch, snap, transform_commands
from tools.render.scene import RenderSpec
from tools.structure.atoms import find_residue
from tools.structure.tools import item_complex

Part = Literal["complex", "ligand"]
COMMANDS_HELP = "Commands in the paper's syntax, comma-separated, e.g. 'roll y 15, move x 4' (may be empty)."


def read_commands(text: str) -> list[Command]:
    """Commands from text; anything else than commands and separators is an error the model can read."""
    leftover = re.sub(r"\b(and|then)\b|[,;\s]", "", COMMAND_RE.sub("", text), flags=re.IGNORECASE)
    if leftover:
        raise ToolError(
            f"could not read commands from '{text}': use 'move <x|y|z> <Å>' or 'roll <x|y|z> <deg>'"
        )
    return parse_commands(text)


def _posed(ctx: ToolContext, commands: str, part: Part) -> tuple[np.ndarray, Pose]:
    """Front-view coordinates of the part after the commands (ligand: about its own centre)."""
    cx = item_complex(ctx)
    xyz = (cx.ligand.atoms.coords if part == "ligand" else cx.all_coords) - cx.centre
    pose = Pose(pivot=xyz.mean(axis=0) if part == "ligand" else np.zeros(3)).apply(read_commands(commands))
    return pose.transform(xyz), pose


class ApplyArgs(BaseModel):
    commands: str = Field(..., description=COMMANDS_HELP)
    part: Part = Field(
        "complex",
        description="'complex' moves everything about the scene centre; 'ligand' "
        "moves only the ligand about its own centre (as in docking).",
    )


@tool(
    "apply_commands",
    "Apply a command sequence to the item's structure and report where it ends up in the front view: the "
    "ligand centroid and extents before and after, the scene centre, and the zoom factor.",
    needs_structure=True,
)
def apply_commands(ctx: ToolContext, args: ApplyArgs) -> ToolResult:
    before, _ = _posed(ctx, "", args.part)
    after, pose = _posed(ctx, args.commands, args.part)
    cx = item_complex(ctx)
    n_lig = len(cx.ligand.atoms)
    lig_b, lig_a = (before, after) if args.part == "ligand" else (before[-n_lig:], after[-n_lig:])
    return ToolResult.success(
        {
            "commands": format_commands(read_commands(args.commands)),
            "ligand_centroid_before": [round(float(v), 2) for v in lig_b.mean(axis=0)],
            "ligand_centroid_after": [round(float(v), 2) for v in lig_a.mean(axis=0)],
            "ligand_extent_after": [
                [round(float(v), 2) for v in lig_a.min(axis=0)],
                [round(float(v), 2) for v in lig_a.max(axis=0)],
            ],
            "scene_centre_after": [round(float(v), 2) for v in pose.centre]
            if args.part == "complex"
            else [0, 0, 0],
            "zoom_factor": round(zoom_factor(float(pose.centre[2])) if args.part == "complex" else 1.0, 4),
            "rmsd_moved": round(float(np.sqrt(np.mean(np.sum((after - before) ** 2, axis=1)))), 3),
        }
    )


class EstimateArgs(BaseModel):
    from_commands: str = Field("", description="Commands giving the first pose (empty = the initial pose).")
    to_commands: str = Field(..., description="Commands giving the second pose.")
    part: Part = Field("complex", description="Which atoms to fit: the whole complex or the ligand only.")


@tool(
    "estimate_transform",
    "Estimate the rigid transform between two poses of the item's structure (Kabsch fit), as an axis–angle, "
    "a translation, and the paper's commands (exact and rounded to 1 Å / 15° bins).",
    needs_structure=True,
)
def estimate_transform(ctx: ToolContext, args: EstimateArgs) -> ToolResult:
    a, pose_a = _posed(ctx, args.from_commands, args.part)
    b, _ = _posed(ctx, args.to_commands, args.part)
    r, t, rmsd = kabsch(a, b)
    centre = pose_a.centre
    cmds = transform_commands(r, t, centre)
    rotvec = np.degrees(Rotation.from_matrix(r).as_rotvec())
    angle = float(np.linalg.norm(rotvec))
    return ToolResult.success(
        {
            "rotation_angle_deg": round(angle, 3),
            "rotation_axis": [round(float(v / angle), 4) for v in rotvec] if angle > 1e-9 else [0, 0, 0],
            "translation": [round(float(v), 3) for v in t],
            "commands": format_commands(cmds),
            "commands_binned": format_commands(snap(cmds)),
            "fit_rmsd": round(rmsd, 4),
        }
    )


class RenderArgs(BaseModel):
    commands: str = Field("", description=COMMANDS_HELP + " Applied to everything shown.")
    view: Literal["front", "left", "top", "back", "right", "bottom"] = Field(
        "front", description="Camera view."
    )
    content: Literal["complex", "pocket", "ligand", "residue"] = Field(
        "complex",
        description="What to draw: pocket + ligand, pocket only, ligand only, or one residue + ligand.",
    )
    residue: str | None = Field(None, description="For content 'residue': the residue, e.g. 'ARG 45'.")
    ligand_commands: str = Field(
        "",
        description="Commands applied to the ligand only, about its own centre, "
        "before `commands` (to test a docking hypothesis).",
    )
    compare_with: int | None = Field(None, ge=1, description="Item image index to compare the render with.")
    labels: bool = Field(True, description="Draw residue and atom labels as the item's images do.")


@tool(
    "render_view",
    "Render the item's structure after commands, in any of the six views, styled like the item's images, and "
    "optionally compare it with one of the item's images (similarity, shift, rotation, scale).",
    needs_structure=True,
)
def render_view(ctx: ToolContext, args: RenderArgs) -> ToolResult:
    from tools.render import render_one  # PyMOL workers only when rendering is asked for

    if ctx.item.structure is None:
        raise ToolError("this item has no structure to render")
    read_commands(args.commands)
    read_commands(args.ligand_commands)
    residue = None
    if args.content == "residue":
        if not args.residue:
            raise ToolError("content 'residue' needs `residue`, e.g. 'ARG 45'")
        residue = find_residue(item_complex(ctx), args.residue).key
    # The camera is fitted to the item's first image (its own view), so the render matches the item's scale.
    from tools.perception.item_fit import calibration

    first = 1
    cal = calibration(ctx, first)
    size = Image.open(ctx.image_path(first)).width
    spec = RenderSpec(
        structure=ctx.item.structure,
        content=args.content,
        residue=residue,
        scene=args.commands,
        ligand_motion=args.ligand_commands,
        view=args.view,
        field_width=size / cal.projection.scale,
        size=size,
        labels=args.labels,
    )
    out = render_one(spec, ctx.output_path(f"render-{args.view}"), base=ctx.bench_dir)
    data: dict = {
        "rendered": {"commands": args.commands, "view": args.view, "content": args.content},
        "camera_fit": {
            "reference_image": first,
            "quality": cal.quality,
            "mismatch_angstrom": cal.cost_angstrom,
        },
    }
    if args.compare_with is not None:
        from tools.images.registration import register

        target = ctx.image_path(args.compare_with)
        reg = register(Image.open(target), Image.open(out))
        data["comparison_with_image"] = args.compare_with
        data["similarity"] = round(reg.similarity.before, 4)
        data["residual_shift_px"] = [round(float(v), 2) for v in reg.shift_px]
        data["residual_rotation_deg"] = round(reg.rotation_deg, 2)
        data["residual_scale"] = round(reg.scale, 4)
    return ToolResult.success(data, images=[out])
