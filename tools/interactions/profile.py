"""What PLIP found at one binding site, in the project's terms: residues with insertion codes and chains,
ligand atoms named as the images label them. Built from PLIP's raw site report and the merge's serial maps."""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal, get_args

from pydantic import BaseModel, Field, computed_field

from tools.interactions.merge import MergedComplex
from tools.structure import ResidueId

Kind = Literal[
    "hbonds",
    "hydrophobic",
    "pi_stacking",
    "pi_cation",
    "salt_bridges",
    "water_bridges",
    "halogen_bonds",
    "metal_complexes",
]


class PlipError(RuntimeError):
    """PLIP crashed, found no ligand site, or its answer failed a consistency check."""

    def __init__(self, pdb_id: str, reason: str) -> None:
        super().__init__(f"PLIP on {pdb_id}: {reason}")
        self.pdb_id = pdb_id
        self.reason = reason


# ---------------------------------------------------------------------------------------------------
# The profile: every contact names its residue (insertion code kept) and the ligand atoms by name.


class ResidueContact(BaseModel):
    chain: str
    resname: str
    resnr: int
    icode: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def residue(self) -> str:
        """'ARG 45' / 'HIS 57A': the residue as the images label it."""
        return f"{self.resname} {self.resnr}{self.icode}"

    def residue_id(self) -> ResidueId:
        return ResidueId(self.chain, self.resnr, self.icode, self.resname)


class HydrogenBond(ResidueContact):
    protein_atom: str
    ligand_atom: str
    donor: Literal["protein", "ligand"]
    sidechain: bool
    distance_da: float = Field(description="donor–acceptor distance, Å")
    distance_ha: float = Field(description="hydrogen–acceptor distance, Å")
    angle: float = Field(description="donor–H···acceptor angle, degrees")


class HydrophobicContact(ResidueContact):
    protein_atom: str
    ligand_atom: str
    distance: float


class PiStacking(ResidueContact):
    protein_atoms: list[str]
    ligand_atoms: list[str]
    kind: Literal["parallel", "T-shaped"]
    distance: float = Field(description="ring centre distance, Å")
    angle: float
    offset: float


class PiCation(ResidueContact):
    protein_atoms: list[str]
    ligand_atoms: list[str]
    charged_side: Literal["protein", "ligand"]
    distance: float
    offset: float


class SaltBridge(ResidueContact):
    protein_atoms: list[str]
    ligand_atoms: list[str]
    positive_side: Literal["protein", "ligand"]
    ligand_group: str
    distance: float = Field(description="distance between charge centres, Å")


class WaterBridge(ResidueContact):
    protein_atom: str
    ligand_atom: str
    water: int = Field(description="water oxygen serial in the merged file")
    donor: Literal["protein", "ligand"]
    distance_aw: float
    distance_dw: float
    donor_angle: float
    water_angle: float


class HalogenBond(ResidueContact):
    protein_atom: str = Field(description="the acceptor")
    ligand_atom: str = Field(description="the halogen")
    distance: float
    donor_angle: float
    acceptor_angle: float


class MetalComplex(BaseModel):
    metal_atom: str = Field(description="the metal, a ligand atom")
    target_atom: str
    target_residue: str | None = Field(description="'A:HIS:57' for a protein target, None for the ligand")
    location: str
    geometry: str
    coordination: int
    distance: float


class InteractionProfile(BaseModel):
    """PLIP's interactions between the pocket and the ligand of one complex."""

    pdb_id: str
    site: str
    plip_version: str
    ligand_heavy_atoms: int
    hbonds: list[HydrogenBond] = []
    hydrophobic: list[HydrophobicContact] = []
    pi_stacking: list[PiStacking] = []
    pi_cation: list[PiCation] = []
    salt_bridges: list[SaltBridge] = []
    water_bridges: list[WaterBridge] = []
    halogen_bonds: list[HalogenBond] = []
    metal_complexes: list[MetalComplex] = []

    KINDS: ClassVar[tuple[str, ...]] = get_args(Kind)

    def counts(self) -> dict[str, int]:
        return {kind: len(getattr(self, kind)) for kind in self.KINDS}

    def for_residue(self, rid: ResidueId) -> InteractionProfile:
        """Only the contacts of one residue (metal complexes kept when that residue is the target)."""
        keep: dict[str, Any] = {}
        for kind in self.KINDS:
            items = getattr(self, kind)
            if kind == "metal_complexes":
                keep[kind] = [m for m in items if m.target_residue == rid.key]
            else:
                keep[kind] = [c for c in items if c.residue_id() == rid]
        return self.model_copy(update=keep)


_KIND_MODELS: dict[str, type[ResidueContact]] = {
    "hbonds": HydrogenBond,
    "hydrophobic": HydrophobicContact,
    "pi_stacking": PiStacking,
    "pi_cation": PiCation,
    "salt_bridges": SaltBridge,
    "water_bridges": WaterBridge,
    "halogen_bonds": HalogenBond,
}


def _contact(merged: MergedComplex, model: type[ResidueContact], raw: dict[str, Any]) -> ResidueContact:
    """A worker record (atoms as serials under 'prot'/'lig') named through the merged file's maps."""
    data = dict(raw)
    prot, lig = data.pop("prot"), data.pop("lig")
    if isinstance(prot, list):
        data["protein_atoms"] = [merged.protein_atoms[s].atom for s in prot]
        data["ligand_atoms"] = [merged.ligand_atoms[s] for s in lig]
        prot = prot[0]
    else:
        data["protein_atom"] = merged.protein_atoms[prot].atom
        data["ligand_atom"] = merged.ligand_atoms[lig]
    rid = merged.protein_atoms[prot].residue  # never PLIP's residue number: it drops insertion codes
    return model(chain=rid.chain, resname=rid.name, resnr=rid.number, icode=rid.icode, **data)


def _metal(merged: MergedComplex, raw: dict[str, Any]) -> MetalComplex:
    data = dict(raw)
    metal, target = data.pop("metal"), data.pop("target")
    on_ligand = target in merged.ligand_atoms
    return MetalComplex(
        metal_atom=merged.ligand_atoms[metal],
        target_atom=merged.ligand_atoms[target] if on_ligand else merged.protein_atoms[target].atom,
        target_residue=None if on_ligand else merged.protein_atoms[target].residue.key,
        **data,
    )


def build_profile(merged: MergedComplex, report: dict[str, Any], plip_version: str) -> InteractionProfile:
    """Read a worker report back through the merged file's maps; KeyError on an unknown serial."""

    def order(c: BaseModel) -> tuple:  # by residue, then everything else: PLIP's order is internal
        d = c.model_dump()
        return (d.get("chain", ""), d.get("resnr", 0), d.get("icode", ""), json.dumps(d, sort_keys=True))

    contacts: dict[str, list[Any]] = {
        kind: [_contact(merged, model, raw) for raw in report[kind]] for kind, model in _KIND_MODELS.items()
    }
    contacts["metal_complexes"] = [_metal(merged, raw) for raw in report["metal_complexes"]]
    return InteractionProfile(
        pdb_id=merged.pdb_id,
        site=merged.site,
        plip_version=plip_version,
        ligand_heavy_atoms=merged.ligand_heavy_atoms,
        **{kind: sorted(items, key=order) for kind, items in contacts.items()},
    )


# ---------------------------------------------------------------------------------------------------
# Worker side: runs in the worker process only. Records use the profile's field names, atoms as serials.
