"""Structures: reading complexes in either layout, pockets, ligands."""

from tools.structure.load import POCKET_CUTOFF, load_complex, load_complex_cached, parse_ligand_spec
from tools.structure.model import AtomTable, Complex, Ligand, ResidueId, StructureError

__all__ = [
    "POCKET_CUTOFF",
    "AtomTable",
    "Complex",
    "Ligand",
    "ResidueId",
    "StructureError",
    "load_complex",
    "load_complex_cached",
    "parse_ligand_spec",
]
