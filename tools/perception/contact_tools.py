"""Model-facing tool: how close one residue's N/O atoms can come to the ligand's N/O atoms, from the six
standard views alone (tools.perception.contacts). The residue's own label is found by OCR so that its text
is not taken for a ligand atom's; the Å scale comes from the residue's backbone half bonds. It never uses
the camera or the structure.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.perception.contacts import PAIRS, contact_bound
from tools.perception.labels import normalise_query
from tools.perception.tools import ViewName, image_reading, image_views

HBOND_REACH = 3.9  # Å: the longest donor–acceptor distance the benchmark's prompts call a hydrogen bond


class ContactBoundArgs(BaseModel):
    images: list[int] = Field(
        min_length=6,
        max_length=6,
        description="1-based indices of the six standard views (front, left, top, back, right, bottom) of "
        "ONE residue and the ligand. Each image's view is taken from the item's image list unless `views` "
        "is given.",
    )
    residue: str = Field(description="The residue as its label reads, e.g. 'GLY 118'.")
    reach_angstrom: float = Field(
        HBOND_REACH, gt=0, le=10, description="Distance (Å) beyond which N/O pairs cannot hydrogen-bond."
    )
    views: list[ViewName] | None = Field(
        None, description="The view of each image, if the item does not say."
    )


@tool(
    "residue_contact_bound",
    "Lower bound (Å) on the closest distance between the residue's N/O atoms and the ligand's N/O atoms, "
    "from the six standard views of one residue and the ligand, without the structure: every projected "
    "distance is at most the true one; residue and ligand atoms are told apart by the carbon colour their "
    "sticks run into; text may hide ligand atoms, so it counts as possible ligand N/O (except the residue's "
    "own label, read by OCR). The scale comes from the residue's backbone C=O and N-CA half bonds, raised by "
    "its measurement margin so the bound errs low. `beyond_reach` is true only when the bound exceeds "
    "`reach_angstrom` and every N/O of the residue was found (none hidden): then no hydrogen bond is "
    "possible. Otherwise it cannot rule a bond out.",
)
def residue_contact_bound(ctx: ToolContext, args: ContactBoundArgs) -> ToolResult:
    names = image_views(ctx, args.images, args.views)
    if sorted(names) != sorted(v for pair in PAIRS for v in pair):
        raise ToolError(f"images {args.images} are views {names}: all six standard views are needed")
    want = normalise_query(args.residue)
    if " " not in want:
        raise ToolError(f"residue '{args.residue}' is not 'RES NUM' (e.g. 'GLY 118')")
    own = {}
    for i, v in zip(args.images, names):
        hits = [lab for lab in image_reading(ctx, i).labels if lab.text == want]
        if len(hits) == 1:  # two readings of one residue label: the box is unsure
            own[v] = hits[0]
    paths = {v: ctx.image_path(i) for i, v in zip(args.images, names)}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ToolError(f"image file missing: {missing[0]}")
    try:
        bound = contact_bound(paths, want.split()[0], own)
    except ValueError as exc:
        raise ToolError(str(exc)) from exc
    beyond = bool(
        bound.complete and bound.bound_angstrom is not None and bound.bound_angstrom > args.reach_angstrom
    )
    if bound.bound_angstrom is None:
        verdict = f"no bound in Å: {bound.reason if bound.bound_px is None else bound.scale.reason}"
    elif not bound.complete:
        verdict = f"bound {bound.bound_angstrom} Å, but {bound.reason}"
    elif beyond:
        verdict = f"bound {bound.bound_angstrom} Å > {args.reach_angstrom} Å: no N/O pair within reach"
    else:
        verdict = f"bound {bound.bound_angstrom} Å ≤ {args.reach_angstrom} Å: a bond cannot be ruled out"
    return ToolResult.success(
        {
            "residue": want,
            "beyond_reach": beyond,
            "verdict": verdict,
            "residue_label_read_in": sorted(own),
            **bound.model_dump(),
        }
    )
