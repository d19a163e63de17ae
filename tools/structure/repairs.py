"""What was repaired (or kept as found) while reading a complex, counted per kind.

Real PDBbind folders carry quirks that a strict reader rejects: old pocket files give two chains the same
blank chain id, so residue numbers repeat ("Atom N defined twice in residue ARG 70"); some files lack
element columns or carry alternate locations. The loader repairs what is recoverable, counts each kind
here, and the build summary shows the counts per complex.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter

from pydantic import BaseModel, Field

# Chain ids handed out to chain segments split apart, in this order, skipping ids the file already uses.
CHAIN_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
MAX_NOTES = 5

# Biopython warning texts (PERMISSIVE parser) → the repair they stand for.
_WARNING_KINDS = (
    (re.compile(r"Atom \S+ defined twice in residue"), "duplicate_atoms_dropped"),
    (re.compile(r"Blank altlocs in duplicate residue"), "duplicate_residues_dropped"),
    (re.compile(r"^Used element '\w+' for Atom"), "elements_inferred"),
    (re.compile(r"^Could not assign element"), "elements_from_name"),
    (re.compile(r"Invalid or missing (occupancy|B factor)"), "fields_defaulted"),
)
# Warnings that change nothing we read: a chain interrupted by waters or ligands, residues merged back.
_BENIGN = re.compile(
    r"is discontinuous|Ignoring unrecognized record|redefined at line|already defined with the same name"
    r"|disordered atom"
)


class Repairs(BaseModel):
    """Counts per kind of repair made while reading one complex (0 = not needed).

    `kept_*` count quirks read as they are (they change nothing but are worth knowing).
    """

    chain_segments_split: int = Field(0, description="chain segments given new ids where numbering restarted")
    residues_relabelled: int = Field(0, description="residues moved to a new chain id by such a split")
    duplicate_atoms_dropped: int = Field(0, description="a second atom of one name in a residue (first kept)")
    duplicate_residues_dropped: int = Field(0, description="residue id repeated under another name")
    altloc_atoms: int = Field(
        0, description="atoms with alternate locations (highest occupancy, then lowest B-factor, kept)"
    )
    ligand_altloc_atoms: int = Field(
        0, description="ligand atoms with alternate locations (highest occupancy, then lowest B-factor, kept)"
    )
    elements_inferred: int = Field(0, description="atoms without an element column (element from the name)")
    elements_from_name: int = Field(0, description="atoms whose element had to be read off the atom name")
    fields_defaulted: int = Field(0, description="missing occupancy or B factor (defaulted)")
    unreadable_atom_lines: int = Field(0, description="ATOM/HETATM lines with unreadable numbers (dropped)")
    ligand_atoms_renamed: int = Field(0, description="ligand atoms renamed because names repeated")
    ligand_reader: str = Field("", description="how the ligand was read, e.g. 'mol2:sanitized'")
    kept_blank_chain_residues: int = Field(0, description="residues with a blank chain id (kept blank)")
    kept_insertion_codes: int = Field(0, description="residues with insertion codes (kept)")
    notes: list[str] = Field(default_factory=list, description="relabelled segments; other warnings")

    def counts(self) -> dict[str, int]:
        """Non-zero repair counts (kept quirks excluded), in field order."""
        return {
            k: v
            for k, v in self.model_dump().items()
            if isinstance(v, int) and v and not k.startswith("kept_")
        }

    @property
    def ligand_fallback(self) -> bool:
        """The ligand needed a fallback reader (unsanitized RDKit or Open Babel)."""
        return bool(self.ligand_reader) and not self.ligand_reader.endswith(":sanitized") and (
            self.ligand_reader != "pdb"
        )

    def any(self) -> bool:
        return bool(self.counts()) or self.ligand_fallback

    def summary(self) -> dict:
        """What a build manifest records per complex: the repairs, the fallback reader and the notes."""
        data: dict = dict(self.counts())
        if self.ligand_fallback:
            data["ligand_reader"] = self.ligand_reader
        for key in ("kept_blank_chain_residues", "kept_insertion_codes"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.notes:
            data["notes"] = list(self.notes)
        return data

    def describe(self) -> str:
        """One line for people: '2 chain segments split, 14 residues relabelled, ...'."""
        parts = [f"{v} {k.replace('_', ' ')}" for k, v in self.counts().items()]
        if self.ligand_fallback:
            parts.append(f"ligand read as {self.ligand_reader}")
        return ", ".join(parts)

    def note(self, text: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(text)

    def count_warnings(self, caught: list[warnings.WarningMessage]) -> None:
        """Classify the PERMISSIVE parser's warnings; unknown ones are kept verbatim as notes."""
        seen: Counter[str] = Counter()
        for w in caught:
            text = str(w.message)
            text = text.removeprefix("PDBConstructionException: ").strip()
            for pattern, kind in _WARNING_KINDS:
                if pattern.search(text):
                    seen[kind] += 1
                    break
            else:
                if not _BENIGN.search(text):
                    self.note(text.splitlines()[0][:160])
        for kind, n in seen.items():
            setattr(self, kind, getattr(self, kind) + n)
