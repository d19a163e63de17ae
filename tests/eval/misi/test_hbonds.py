"""The H-bond answer key on bundled complexes (against bonds UCSF ChimeraX reported for them) and on
hand-built geometries."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rdkit import Chem

from eval.misi.hbonds import (
    ANGLE_SLOP,
    DHA_MIN,
    DISTANCE_SLOP,
    ROTOR_MAX_DISTANCE,
    HBond,
    find_hbonds,
    hydrogen_counts,
    ligand_roles,
    protein_role,
)
from eval.misi.hbonds import find as hbond_search
from eval.perf.hbonds_vs_chimerax import parse_bond
from tools.structure import AtomTable, Complex, Ligand, ResidueId, load_complex

CHIMERAX = json.loads((Path(__file__).parents[2] / "data" / "chimerax_hbonds.json").read_text())["complexes"]


def _load(complexes_dir: Path, pdb_id: str, ligand: str | None = None) -> Complex:
    return load_complex(complexes_dir / pdb_id, ligand=ligand)


def _pairs(hbonds: list[HBond]) -> set[tuple[str, str, str, str]]:
    return {
        (h.residue.chain, f"{h.residue.number}{h.residue.icode}", h.protein_atom, h.ligand_atom)
        for h in hbonds
    }


def _atom_xyz(table: AtomTable, rid: ResidueId | None, name: str) -> np.ndarray:
    idx = [i for i, n in enumerate(table.names) if n == name and (rid is None or table.residues[i] == rid)]
    assert len(idx) == 1, (rid, name, idx)
    return table.coords[idx[0]]


# ---- the bonds ChimeraX reports ------------------------------------------------------------------------
# 1hvi: whole-complex PDB whose ligand has hydrogens; 2bm2, 1uou: split PDB + SDF; 1h2t, 2w0s: PDB ligands
# with neither hydrogens nor bond orders (GDP, a phosphate).


@pytest.mark.parametrize("pdb_id", sorted(CHIMERAX))
def test_key_reproduces_chimerax(complexes_dir: Path, pdb_id: str) -> None:
    ref = CHIMERAX[pdb_id]
    cx = _load(complexes_dir, pdb_id, ref["ligand"])
    assert _pairs(find_hbonds(cx)) == {parse_bond(b) for b in ref["bonds"]}


def test_bond_geometry_is_reported(complexes_dir: Path) -> None:
    cx = _load(complexes_dir, "2bm2")
    by_pair = {(h.residue.key, h.protein_atom, h.ligand_atom): h for h in find_hbonds(cx)}
    nh = by_pair[("B:GLY:219", "N", "O1")]  # backbone N–H: its hydrogen is placed and tested
    assert nh.donor == "protein" and not nh.both_ways
    assert nh.hydrogen_angle is not None and nh.hydrogen_angle >= DHA_MIN - ANGLE_SLOP
    d = np.linalg.norm(_atom_xyz(cx.pocket, nh.residue, "N") - _atom_xyz(cx.ligand.atoms, None, "O1"))
    assert d == pytest.approx(nh.distance, abs=1e-3)
    assert by_pair[("B:GLY:219", "O", "N1")].donor == "ligand"


def test_order_is_deterministic_and_pairs_unique(complexes_dir: Path) -> None:
    cx = _load(complexes_dir, "1hvi", "A77:A:800")
    first, second = find_hbonds(cx), find_hbonds(cx)
    assert first == second
    assert [h.key for h in first] == sorted(h.key for h in first)
    assert len({h.key for h in first}) == len(first)


def test_residue_filter_keeps_only_those_residues(complexes_dir: Path) -> None:
    cx = _load(complexes_dir, "1hvi", "A77:A:800")
    everything = find_hbonds(cx)
    asp25 = [r for r in cx.pocket.residue_order() if r.name == "ASP" and r.number == 25]
    assert len(asp25) == 2  # one per protease chain
    only = find_hbonds(cx, asp25)
    assert only == [h for h in everything if h.residue in set(asp25)]
    assert {h.residue.chain for h in only} == {"A", "B"}
    assert find_hbonds(cx, []) == []


def test_insertion_codes_are_kept(complexes_dir: Path) -> None:
    cx = _load(complexes_dir, "2bm2")
    icode_residues = [r for r in cx.pocket.residue_order() if r.icode]
    assert icode_residues  # PRO 60A, ASP 60B, LYS 60D
    assert find_hbonds(cx, icode_residues) == [h for h in find_hbonds(cx) if h.residue.icode]


# ---- what the files give: hydrogens, formats, metals ------------------------------------------------------


def test_hydrogens_in_the_files_do_not_change_the_bonds(complexes_dir: Path, tmp_path: Path) -> None:
    # 1hvi ships 390 hydrogens; the key infers them from the heavy atoms, so deleting them changes nothing.
    src = complexes_dir / "1hvi" / "1hvi_complex.pdb"
    lines = src.read_text().splitlines(keepends=True)
    is_h = [ln.startswith(("ATOM", "HETATM")) and ln[76:78].strip() in {"H", "D"} for ln in lines]
    assert sum(is_h) > 300
    folder = tmp_path / "1hvi"
    folder.mkdir()
    (folder / "1hvi_complex.pdb").write_text("".join(ln for ln, h in zip(lines, is_h, strict=True) if not h))
    with_h = _load(complexes_dir, "1hvi", "A77:A:800")
    without_h = load_complex(folder, ligand="A77:A:800")
    assert hydrogen_counts(without_h.ligand) is None  # nothing to count now: geometry decides
    assert _pairs(find_hbonds(without_h)) == _pairs(find_hbonds(with_h))


def test_sdf_mol2_and_hydrogen_free_sdf_give_the_same_bonds(complexes_dir: Path, tmp_path: Path) -> None:
    from openbabel import pybel  # after RDKit (imported above): see PLIP.md

    src = complexes_dir / "2bm2"
    expected = _pairs(find_hbonds(_load(complexes_dir, "2bm2")))
    assert expected
    mol = next(pybel.readfile("sdf", str(src / "2bm2_ligand.sdf")))
    with_h = Chem.AddHs(Chem.MolFromMolFile(str(src / "2bm2_ligand.sdf")), addCoords=True)
    for name, write in {
        "mol2": lambda p: mol.write("mol2", str(p), overwrite=True),
        "sdf": lambda p: Chem.MolToMolFile(with_h, str(p)),
    }.items():
        folder = tmp_path / name / "2bm2"
        folder.mkdir(parents=True)
        (folder / "2bm2_protein.pdb").write_bytes((src / "2bm2_protein.pdb").read_bytes())
        write(folder / f"2bm2_ligand.{name}")
        cx = load_complex(folder)
        assert cx.ligand.source_format.startswith(name)
        assert _pairs(find_hbonds(cx)) == expected, name


def test_zinc_bound_histidines_donate_nothing(complexes_dir: Path) -> None:
    # 4gql: His 218/222/228 NE2 bind the catalytic zinc, which holds their lone pair; each lies within
    # donor range of the ligand's O2, which ChimeraX does not bond to them.
    cx = _load(complexes_dir, "4gql", "R47:A:306")
    assert len(cx.metal_coords) >= 2
    his = {("A", str(n), "NE2", "O2") for n in (218, 222, 228)}
    assert not his & _pairs(find_hbonds(cx))
    cx.metal_coords = np.empty((0, 3))
    assert his <= _pairs(find_hbonds(cx))


# ---- hand-built geometry --------------------------------------------------------------------------------

SER = ResidueId("A", 10, "", "SER")
GLY = ResidueId("A", 11, "", "GLY")
LIG = ResidueId("L", 900, "", "MOH")


def _serine_and_methanol(distance: float, angle_at_og: float = 115.0) -> Complex:
    """CB at the origin, OG on +x; the methanol O at `distance` from OG with CB–OG···O = angle_at_og, and
    its C placed so that C–O···OG is 115° too (both hydroxyls could donate)."""
    cb, og = np.zeros(3), np.array([1.43, 0.0, 0.0])
    theta = np.radians(180.0 - angle_at_og)
    direction = np.array([np.cos(theta), np.sin(theta), 0.0])
    o = og + distance * direction
    back = -direction  # O→OG; turn it by 115° about z to get O→C
    turn = np.radians(115.0)
    rot = np.array([[np.cos(turn), -np.sin(turn), 0.0], [np.sin(turn), np.cos(turn), 0.0], [0.0, 0.0, 1.0]])
    c = o + 1.43 * (rot @ back)
    pocket = AtomTable(np.array([cb, og]), ["C", "O"], ["CB", "OG"], [SER, SER])
    atoms = AtomTable(np.array([c, o]), ["C", "O"], ["C1", "O1"], [LIG, LIG])
    ligand = Ligand(atoms, [(0, 1, 1)], molblock="", hydrogen_counts=[3, 1], hydrogens_known=True, ccd="MOH")
    return Complex("test", pocket, ligand, "complex")


def test_hydroxyl_pair_distance_limit() -> None:
    limit = ROTOR_MAX_DISTANCE + DISTANCE_SLOP
    inside = find_hbonds(_serine_and_methanol(limit - 0.05))
    assert [(h.protein_atom, h.ligand_atom) for h in inside] == [("OG", "O1")]
    hb = inside[0]
    assert hb.both_ways and hb.donor == "ligand"  # both hydroxyls could donate; the ligand's H is known
    assert find_hbonds(_serine_and_methanol(limit + 0.05)) == []
    assert find_hbonds(_serine_and_methanol(1.5)) == []  # a covalent distance, not an H-bond


def test_hydroxyl_partner_behind_or_on_the_bond_axis_is_excluded() -> None:
    assert find_hbonds(_serine_and_methanol(2.8, angle_at_og=60)) == []  # behind the CB–OG bond
    # Straight along the CB–OG axis no serine H can point at the methanol, which still donates to OG.
    (on_axis,) = find_hbonds(_serine_and_methanol(2.8, angle_at_og=175))
    assert on_axis.donor == "ligand" and not on_axis.both_ways
    (both,) = find_hbonds(_serine_and_methanol(2.8, angle_at_og=110))
    assert both.both_ways


def _backbone_nh_and_water_like_o(out_of_plane: float) -> Complex:
    """A Gly backbone N (C of the previous residue and CA in the xy plane, H along +x) and a ligand carbonyl
    O 2.9 Å from N, tilted `out_of_plane` degrees from the N–H direction towards +z."""
    n = np.zeros(3)
    c_prev = 1.33 * np.array([np.cos(np.radians(120)), np.sin(np.radians(120)), 0.0])
    ca = 1.46 * np.array([np.cos(np.radians(240)), np.sin(np.radians(240)), 0.0])
    t = np.radians(out_of_plane)
    o = n + 2.9 * np.array([np.cos(t), 0.0, np.sin(t)])
    c = o + 1.23 * np.array([np.cos(t), 0.0, np.sin(t)])  # C=O pointing away from N
    prev = ResidueId("A", 10, "", "ALA")
    pocket = AtomTable(np.array([c_prev, n, ca]), ["C", "N", "C"], ["C", "N", "CA"], [prev, GLY, GLY])
    atoms = AtomTable(np.array([c, o]), ["C", "O"], ["C1", "O1"], [LIG, LIG])
    ligand = Ligand(atoms, [(0, 1, 2)], molblock="", hydrogen_counts=[2, 0], hydrogens_known=True, ccd="FOR")
    return Complex("test", pocket, ligand, "complex")


def test_backbone_nh_needs_its_hydrogen_to_point_at_the_acceptor() -> None:
    # The heavy-atom angles stay ≥ 90° at every tilt; only the placed N–H decides.
    straight = find_hbonds(_backbone_nh_and_water_like_o(0.0))
    assert [(h.protein_atom, h.ligand_atom, h.donor) for h in straight] == [("N", "O1", "protein")]
    assert straight[0].hydrogen_angle == pytest.approx(180.0, abs=0.5)
    assert find_hbonds(_backbone_nh_and_water_like_o(25.0))
    assert find_hbonds(_backbone_nh_and_water_like_o(70.0)) == []


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


def test_acid_oxygens_are_acceptors_only(complexes_dir: Path) -> None:
    # 1of6's ligand (D-tyrosine) is read with a neutral carboxylic acid; it is typed as the carboxylate.
    cx = _load(complexes_dir, "1of6")
    names = cx.ligand.atoms.names
    counts = hydrogen_counts(cx.ligand)
    roles = dict(zip(names, ligand_roles(cx.ligand), strict=True))
    acid = [n for n, c in zip(names, counts or [], strict=True) if n in {"O1", "O3"} and c]
    assert acid == ["O3"] and roles["O3"] == "A"
    # The phenol O2 is modelled 1.27 Å from its ring carbon, as short as a C=O: typed from geometry (as
    # ChimeraX does once hydrogens are deleted) it carries no hydrogen, whatever the file says.
    assert roles["O2"] == "A"


def test_tied_altlocs_keep_the_better_ordered_copy(complexes_dir: Path, tmp_path: Path) -> None:
    # 2efj's ligand is modelled twice at occupancy 0.33, flipped; B has the lower B-factors and is the copy
    # ChimeraX reports bonds for. Swapping the B-factors (and nothing else) flips the choice.
    base = _load(complexes_dir, "2efj", "37T:A:502")
    assert ("A", "18", "OH", "O6") in _pairs(find_hbonds(base))
    lines = (complexes_dir / "2efj" / "2efj_complex.pdb").read_text().splitlines(keepends=True)
    out, i = [], 0
    while i < len(lines):
        a = lines[i]
        if a.startswith("HETATM") and a[17:20] == "37T" and a[16] == "A":
            b = lines[i + 1]
            out += [a[:60] + b[60:66] + a[66:], b[:60] + a[60:66] + b[66:]]
            i += 2
            continue
        out.append(a)
        i += 1
    (tmp_path / "2efj").mkdir()
    (tmp_path / "2efj" / "2efj_complex.pdb").write_text("".join(out))
    swapped = load_complex(tmp_path / "2efj", ligand="37T:A:502")
    assert not np.allclose(swapped.ligand.atoms.coords, base.ligand.atoms.coords)
    assert _pairs(find_hbonds(swapped)) == {
        ("A", "160", "NE2", "O2"),
        ("A", "161", "NE1", "O2"),
        ("A", "237", "OG", "O6"),
    }


def test_metal_coordinated_ligand_nitrogens_do_not_donate(complexes_dir: Path) -> None:
    # 2q8q's heme: the four pyrrole N hold the iron, which has taken the place of their hydrogens.
    cx = _load(complexes_dir, "2q8q")
    roles = dict(zip(cx.ligand.atoms.names, ligand_roles(cx.ligand), strict=True))
    assert [roles[n] for n in ("NA", "NB", "NC", "ND")] == ["A"] * 4


def _serine_bonded_to_the_ligand() -> Complex:
    """Ser OG bonded to the ligand's C1 (1.43 Å, CB–OG–C1 115°, in the xy plane), and the ligand's carbonyl
    O3 2.8 Å from OG on the other side (CB–OG···O3 110°, out of that plane), its C=O pointing away."""
    cb, og = np.zeros(3), np.array([1.43, 0.0, 0.0])
    t = np.radians(180.0 - 115.0)
    c1 = og + 1.43 * np.array([np.cos(t), np.sin(t), 0.0])
    t = np.radians(180.0 - 110.0)
    d = np.array([np.cos(t), -0.6 * np.sin(t), 0.8 * np.sin(t)])
    o3, c3 = og + 2.8 * d, og + (2.8 + 1.23) * d
    pocket = AtomTable(np.array([cb, og]), ["C", "O"], ["CB", "OG"], [SER, SER])
    atoms = AtomTable(np.array([c1, c3, o3]), ["C", "C", "O"], ["C1", "C3", "O3"], [LIG, LIG, LIG])
    ligand = Ligand(
        atoms, [(0, 1, 1), (1, 2, 2)], molblock="", hydrogen_counts=[2, 1, 0], hydrogens_known=True, ccd="ADD"
    )
    return Complex("test", pocket, ligand, "complex")


def test_a_serine_bonded_to_the_ligand_has_no_hydrogen_to_donate(monkeypatch: pytest.MonkeyPatch) -> None:
    cx = _serine_bonded_to_the_ligand()
    assert find_hbonds(cx) == []
    # Read as two separate molecules, the serine's OH would donate to the carbonyl.
    monkeypatch.setattr(hbond_search, "covalent_links", lambda cx: [])
    assert _pairs(find_hbonds(cx)) == {("A", "10", "OG", "O3")}
