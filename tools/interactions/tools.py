"""Model-facing PLIP tools: `interaction_profile` (the item's pocket–ligand interactions) and
`residue_hbonds` (one pocket residue's H-bonds with the ligand). Importing this module registers them.

Both need structure access: they read the item's complex, never a path chosen by the model.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.interactions.plip_run import plip_profile
from tools.interactions.profile import HydrogenBond, InteractionProfile, Kind, PlipError
from tools.structure import Complex
from tools.structure.atoms import RESIDUE_FORMS, find_residue
from tools.structure.tools import item_complex


def item_profile(cx: Complex) -> InteractionProfile:
    try:
        return plip_profile(cx)
    except PlipError as exc:
        raise ToolError(str(exc)) from exc


def _hbond_view(hb: HydrogenBond) -> dict[str, Any]:
    data = hb.model_dump(exclude={"chain", "resname", "resnr", "icode"})
    data["label"], data["residue"] = hb.residue, hb.residue_id().key
    # The benchmark's answer notation: "RES NUM ATOM CHAIN, LIGAND_ATOM".
    data["pair"] = f"{hb.residue} {hb.protein_atom} {hb.chain}, {hb.ligand_atom}"
    return data


class ProfileArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kinds: list[Kind] | None = Field(
        None,
        description="Interaction kinds to return (default: all). 'hbonds' are hydrogen bonds; the others are "
        "hydrophobic contacts, pi-stacking, pi-cation, salt bridges, water bridges, halogen bonds and metal "
        "complexes.",
    )
    residue: str | None = Field(
        None, description=f"Only the contacts of this pocket residue, written as {RESIDUE_FORMS}."
    )


@tool(
    "interaction_profile",
    "Protein–ligand interactions of this item's complex computed by PLIP from the 3D structure (pocket + "
    "ligand, hydrogens added by PLIP): hydrogen bonds (residue, protein atom, ligand atom, donor side, "
    "distances, angle), hydrophobic contacts, pi-stacking, pi-cation, salt bridges, halogen bonds, metal "
    "complexes (water bridges stay empty: crystal waters are not included). Residues and ligand atoms are "
    "named as the images label them.",
    needs_structure=True,
)
def interaction_profile(ctx: ToolContext, args: ProfileArgs) -> ToolResult:
    cx = item_complex(ctx)
    rid = None if args.residue is None else find_residue(cx, args.residue)
    profile = item_profile(cx)
    data: dict[str, Any] = {"pdb_id": profile.pdb_id, "ligand_site": profile.site, "source": "PLIP"}
    if rid is not None:
        profile = profile.for_residue(rid)
        data["residue"] = rid.key
    kinds: list[str] = list(args.kinds or InteractionProfile.KINDS)
    data["counts"] = {k: v for k, v in profile.counts().items() if k in kinds}
    for kind in kinds:
        items = getattr(profile, kind)
        data[kind] = [_hbond_view(h) for h in items] if kind == "hbonds" else [i.model_dump() for i in items]
    return ToolResult.success(data)


class ResidueArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    residue: str = Field(description=f"The pocket residue, written as {RESIDUE_FORMS}.")


@tool(
    "residue_hbonds",
    "Hydrogen bonds between one pocket residue and the ligand, computed by PLIP from the 3D structure: "
    "protein atom, ligand atom (named as in the images), which side donates, donor–acceptor and H–acceptor "
    "distances and the D–H···A angle, plus the pair in answer notation 'RES NUM ATOM CHAIN, LIGAND_ATOM'. "
    "An empty list means PLIP finds none for that residue.",
    needs_structure=True,
)
def residue_hbonds(ctx: ToolContext, args: ResidueArgs) -> ToolResult:
    cx = item_complex(ctx)
    rid = find_residue(cx, args.residue)
    hbonds = item_profile(cx).for_residue(rid).hbonds
    return ToolResult.success(
        {
            "pdb_id": cx.pdb_id,
            "residue": rid.key,
            "label": rid.label,
            "count": len(hbonds),
            "hbonds": [_hbond_view(h) for h in hbonds],
        }
    )
