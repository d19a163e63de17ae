"""The geometric H-bond answer key on bundled complexes and on hand-built geometries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eval.misi.hbonds import (
    ANGLE_SLOP,
    DISTANCE_SLOP,
    MAX_DISTANCE,
    MIN_ANGLE,
    HBond,
    find_hbonds,
    hydrogen_counts,
    ligand_roles,
    protein_role,
)
from tools.structure import AtomTable, Complex, Ligand, ResidueId, load_complex

CUTOFF = MAX_DISTANCE + DISTANCE_SLOP


def _load(complexes_dir: Path, pdb_id: str, ligand: str | None = None) -> Complex:
    return load_complex(complexes_dir / pdb_id, ligand=ligand)


def _atom_xyz(table: AtomTable, rid: ResidueId | None, name: str) -> np.ndarray:
    idx = [i for i, n in enumerate(table.names) if n == name and (rid is None or table.residues[i] == rid)]
    assert len(idx) == 1, (rid, name, idx)
    return table.coords[idx[0]]


def _find(hbonds: list[HBond], key: str, protein_atom: str, ligand_atom: str) -> HBond:
    hits = [
        h
        for h in hbonds
        if (h.residue.key, h.protein_atom, h.ligand_atom) == (key, protein_atom, ligand_atom)
    ]
    assert len(hits) == 1, f"{key} {protein_atom} – {ligand_atom} not found once in {hbonds}"
    return hits[0]


# Textbook contacts, checked by hand: Gly219 backbone with the ligand amide/amine (2bm2, split SDF), the
# catalytic Asp25 of HIV protease with the inhibitor's hydroxyl (1hvi), the amidine in trypsin's S1
# pocket with Ser190 and Asp189 (1bju).
KNOWN = [
    ("2bm2", None, "B:GLY:219", "N", "O1", "protein"),
    ("2bm2", None, "B:GLY:219", "O", "N1", "ligand"),
    ("1hvi", "A77:A:800", "B:ASP:25", "OD2", "O47", "ligand"),
    ("1bju", "GP6:A:910", "A:SER:190", "OG", "N2", "ligand"),
    ("1bju", "GP6:A:910", "A:ASP:189", "OD1", "N2", "ligand"),
]


@pytest.mark.parametrize(("pdb_id", "spec", "key", "patom", "latom", "donor"), KNOWN)
def test_known_hbonds_found_with_their_geometry(
    complexes_dir: Path, pdb_id: str, spec: str | None, key: str, patom: str, latom: str, donor: str
) -> None:
    cx = _load(complexes_dir, pdb_id, spec)
    hb = _find(find_hbonds(cx), key, patom, latom)
    assert hb.donor == donor
    d = np.linalg.norm(_atom_xyz(cx.pocket, hb.residue, patom) - _atom_xyz(cx.ligand.atoms, None, latom))
    assert d == pytest.approx(hb.distance, abs=1e-3)
    assert 2.5 < d <= 3.3
    assert hb.donor_angle is not None and hb.donor_angle >= MIN_ANGLE - ANGLE_SLOP
    assert hb.acceptor_angle is not None and hb.acceptor_angle >= MIN_ANGLE - ANGLE_SLOP


def test_every_bond_meets_the_criterion_and_order_is_deterministic(complexes_dir: Path) -> None:
    cx = _load(complexes_dir, "1hvi", "A77:A:800")
    first, second = find_hbonds(cx), find_hbonds(cx)
    assert first == second
    assert [h.key for h in first] == sorted(h.key for h in first)
    assert len({h.key for h in first}) == len(first)
    for hb in first:
        assert 2.0 <= hb.distance <= CUTOFF
        assert all(a is None or a >= MIN_ANGLE - ANGLE_SLOP for a in (hb.donor_angle, hb.acceptor_angle))


def test_residue_filter_keeps_only_those_residues(complexes_dir: Path) -> None:
    cx = _load(complexes_dir, "1hvi", "A77:A:800")
    everything = find_hbonds(cx)
    asp25 = [r for r in cx.pocket.residue_order() if r.name == "ASP" and r.number == 25]
    assert len(asp25) == 2  # one per protease chain
    only = find_hbonds(cx, asp25)
    assert only == [h for h in everything if h.residue in set(asp25)]
    assert {h.residue.chain for h in only} == {"A", "B"}
    assert find_hbonds(cx, []) == []


def test_polar_pair_beyond_the_cutoff_is_excluded(complexes_dir: Path) -> None:
    # 1eve: the backbone N of residue 288 sits 4.0 Å from the ligand's O24 (PLIP, at 4.1 Å, lists it).
    cx = _load(complexes_dir, "1eve", "E20:A:2001")
    rid = next(r for r in cx.pocket.residue_order() if r.number == 288)
    d = np.linalg.norm(_atom_xyz(cx.pocket, rid, "N") - _atom_xyz(cx.ligand.atoms, None, "O24"))
    assert CUTOFF < d < 4.1
    assert all((h.residue, h.protein_atom, h.ligand_atom) != (rid, "N", "O24") for h in find_hbonds(cx))


def test_insertion_codes_are_kept(complexes_dir: Path) -> None:
    cx = _load(complexes_dir, "2bm2")
    icode_residues = [r for r in cx.pocket.residue_order() if r.icode]
    assert icode_residues  # PRO 60A, ASP 60B, LYS 60D
    assert find_hbonds(cx, icode_residues) == [h for h in find_hbonds(cx) if h.residue.icode]


# ---- hand-built geometry: a serine hydroxyl and a methanol ------------------------------------------

SER = ResidueId("A", 10, "", "SER")
LIG = ResidueId("L", 900, "", "MOH")


def _serine_and_methanol(distance: float, angle_at_og: float = 180.0) -> Complex:
    """CB at the origin, OG on +x; the methanol O at `distance` from OG with CB–OG···O = angle_at_og,
    its C continuing straight away from OG (so C–O···OG is 180°)."""
    cb, og = np.zeros(3), np.array([1.43, 0.0, 0.0])
    theta = np.radians(180.0 - angle_at_og)
    direction = np.array([np.cos(theta), np.sin(theta), 0.0])
    o = og + distance * direction
    c = o + 1.43 * direction
    pocket = AtomTable(np.array([cb, og]), ["C", "O"], ["CB", "OG"], [SER, SER])
    atoms = AtomTable(np.array([c, o]), ["C", "O"], ["C1", "O1"], [LIG, LIG])
    ligand = Ligand(atoms, [(0, 1, 1)], molblock="", hydrogen_counts=[3, 1], hydrogens_known=True, ccd="MOH")
    return Complex("test", pocket, ligand, "complex")


def test_distance_cutoff_is_3p5_plus_0p4() -> None:
    inside = find_hbonds(_serine_and_methanol(CUTOFF - 0.05))
    assert [(h.protein_atom, h.ligand_atom) for h in inside] == [("OG", "O1")]
    hb = inside[0]
    assert hb.both_ways and hb.donor == "ligand"  # both hydroxyls could donate; the ligand's H is known
    assert find_hbonds(_serine_and_methanol(CUTOFF + 0.05)) == []
    assert find_hbonds(_serine_and_methanol(1.5)) == []  # a covalent distance, not an H-bond


def test_partner_behind_the_donor_bond_is_excluded() -> None:
    limit = MIN_ANGLE - ANGLE_SLOP
    assert find_hbonds(_serine_and_methanol(2.8, angle_at_og=limit + 5))
    assert find_hbonds(_serine_and_methanol(2.8, angle_at_og=limit - 5)) == []


# ---- typing -----------------------------------------------------------------------------------------


def test_protein_typing() -> None:
    assert protein_role("PRO", "N") == ""
    assert protein_role("GLY", "N") == "D"
    assert protein_role("ALA", "O") == "A"
    assert protein_role("SER", "OG") == "DA"
    assert protein_role("ASN", "ND2") == "D"
    assert protein_role("ASN", "OD1") == "A"
    assert protein_role("LYS", "NZ") == "D"
    assert protein_role("MET", "SD") == ""
    assert protein_role("LEU", "CD1") == ""


def test_aromatic_nh_lost_by_the_reader_is_restored(complexes_dir: Path) -> None:
    # 1uou's uracil N3/N4 carry H; the SDF reader keeps them only as an [nH] property.
    cx = _load(complexes_dir, "1uou")
    names = cx.ligand.atoms.names
    counts = hydrogen_counts(cx.ligand)
    assert counts is not None
    assert counts[names.index("N3")] == 1 and counts[names.index("N4")] == 1
    roles = dict(zip(names, ligand_roles(cx.ligand), strict=True))
    assert roles["N3"] == "D" and roles["N4"] == "D"  # lactam N–H: donors, not acceptors
    assert roles["O1"] == "A"


def test_pdb_ligand_hydrogens_are_counted_not_guessed(complexes_dir: Path) -> None:
    # 1hvi's ligand has explicit hydrogens: an amide carbonyl O has none, the hydroxyls have one.
    cx = _load(complexes_dir, "1hvi", "A77:A:800")
    roles = dict(zip(cx.ligand.atoms.names, ligand_roles(cx.ligand), strict=True))
    counts = dict(zip(cx.ligand.atoms.names, hydrogen_counts(cx.ligand) or [], strict=True))
    assert counts["O47"] == 1 and roles["O47"] == "DA"
    assert counts["O2"] == 0 and roles["O2"] == "A"
