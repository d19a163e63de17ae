"""In-memory model of a protein–ligand complex: pocket atoms, ligand atoms and bonds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tools.structure.repairs import Repairs


class StructureError(ValueError):
    """A structure file or folder that cannot be read; the message names the input and the problem."""


@dataclass(frozen=True, order=True)
class ResidueId:
    """A residue as the images label it: chain, number and insertion code are all kept."""

    chain: str
    number: int
    icode: str
    name: str

    @property
    def label(self) -> str:
        """'ARG 45' or 'HIS 57A' — the label drawn in the images."""
        return f"{self.name} {self.number}{self.icode.strip()}"

    @property
    def key(self) -> str:
        """'A:ARG:45' or 'A:HIS:57A' — a unique textual id."""
        return f"{self.chain}:{self.name}:{self.number}{self.icode.strip()}"


@dataclass
class AtomTable:
    """Heavy atoms in file order, column-wise."""

    coords: np.ndarray  # (N, 3) float64, Å
    elements: list[str]
    names: list[str]
    residues: list[ResidueId]

    def __len__(self) -> int:
        return len(self.names)

    def subset(self, mask: np.ndarray) -> AtomTable:
        idx = np.flatnonzero(mask)
        return AtomTable(
            coords=self.coords[idx].copy(),
            elements=[self.elements[i] for i in idx],
            names=[self.names[i] for i in idx],
            residues=[self.residues[i] for i in idx],
        )

    def residue_order(self) -> list[ResidueId]:
        """Distinct residues in file order."""
        return list(dict.fromkeys(self.residues))


@dataclass
class Ligand:
    """The ligand's heavy atoms, named as the images label them, with its bonds.

    `molblock` keeps hydrogens when the source had them (PLIP needs them); `hydrogens_known` says
    whether hydrogen counts came from the file rather than being inferred.
    """

    atoms: AtomTable
    bonds: list[tuple[int, int, int]]  # (i, j, order) over heavy-atom indices; order 1, 2, 3 or 4 (aromatic)
    molblock: str
    hydrogen_counts: list[int]
    hydrogens_known: bool
    ccd: str = "LIG"
    source_format: str = "pdb"
    renamed_atoms: int = 0  # atoms given generated names because the file's names repeated

    @property
    def centroid(self) -> np.ndarray:
        return self.atoms.coords.mean(axis=0)


@dataclass
class Complex:
    """A pocket (whole residues near the ligand) plus the ligand, with where they came from."""

    pdb_id: str
    pocket: AtomTable
    ligand: Ligand
    layout: str  # "complex" (one PDB with a HETATM ligand) or "split" (protein/pocket PDB + ligand file)
    files: list[Path] = field(default_factory=list)
    pocket_source: str = "extracted"  # "extracted" (cutoff) or "file" (a shipped pocket PDB)
    pocket_cutoff: float | None = None
    # Metal ions of the protein file (HETATM), which hold the lone pairs of the atoms they coordinate.
    metal_coords: np.ndarray = field(default_factory=lambda: np.empty((0, 3)))
    repairs: Repairs = field(default_factory=Repairs)  # what reading the files had to repair

    @property
    def all_coords(self) -> np.ndarray:
        return np.vstack([self.pocket.coords, self.ligand.atoms.coords])

    @property
    def centre(self) -> np.ndarray:
        """Centre of the pocket + ligand bounding box: the scene's initial rotation centre."""
        xyz = self.all_coords
        return (xyz.min(axis=0) + xyz.max(axis=0)) / 2.0
