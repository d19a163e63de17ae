"""PDBbind-style defects, each reproduced in a small pocket file derived from a bundled complex: every one
is repaired, counted, and the complex still renders."""

import warnings
from pathlib import Path

import numpy as np
import pytest
from Bio.PDB import PDBParser
from Bio.PDB.PDBExceptions import PDBConstructionException

from tests import structure_defects as defects
from tools.render import RenderSpec, StructureRef, render_specs
from tools.structure import StructureError, load_complex


@pytest.fixture(scope="module")
def pocket_lines(complexes_dir: Path) -> list[str]:
    return defects.pocket_lines(complexes_dir)


def _folder(tmp_path: Path, complexes_dir: Path, lines: list[str]) -> Path:
    return defects.write_folder(tmp_path / "9xyz", complexes_dir, lines)


_shift = defects.shift


def _renders(folder: Path, tmp_path: Path) -> None:
    ref = StructureRef(pdb_id=folder.name, folder=str(folder))
    cx = ref.load()
    width = 2.2 * float(np.abs(cx.all_coords - cx.centre).max())
    out = tmp_path / "front.png"
    render_specs([(RenderSpec(structure=ref, field_width=width, size=64), out)])
    assert out.stat().st_size > 0


def test_two_chains_sharing_residue_numbers_under_a_blank_id(
    pocket_lines: list[str], complexes_dir: Path, tmp_path: Path
) -> None:
    """The 10gs case: both chains' pocket residues with a blank chain id, the second restarting the
    numbering, no TER between them."""
    both = defects.shared_numbering_lines(complexes_dir)
    blank, second = both[: len(both) // 2], both[len(both) // 2 :]
    folder = _folder(tmp_path, complexes_dir, both)
    with pytest.raises(PDBConstructionException, match="defined twice in residue"):
        PDBParser(PERMISSIVE=False, QUIET=True).get_structure("x", str(folder / "9xyz_pocket.pdb"))

    cx = load_complex(folder)
    n_res = len({ln[17:27] for ln in blank})
    assert cx.repairs.chain_segments_split == 2
    assert cx.repairs.residues_relabelled == 2 * n_res
    assert cx.repairs.duplicate_atoms_dropped == 0
    assert len(cx.pocket) == len(blank) + len(second)  # nothing lost
    assert {r.chain for r in cx.pocket.residue_order()} == {"A", "B"}
    assert len(cx.pocket.residue_order()) == 2 * n_res
    assert "restarts its numbering" in cx.repairs.notes[0]
    assert "chain segments split" in cx.repairs.describe()
    _renders(folder, tmp_path)


def test_duplicate_atom_name_in_one_residue_keeps_the_first(
    pocket_lines: list[str], complexes_dir: Path, tmp_path: Path
) -> None:
    lines = list(pocket_lines)
    lines.insert(3, _shift(lines[2], 0.5))  # a second copy of the third atom, slightly moved
    cx = load_complex(_folder(tmp_path, complexes_dir, lines))
    assert cx.repairs.duplicate_atoms_dropped == 1
    assert len(cx.pocket) == len(pocket_lines)
    assert cx.pocket.coords[2][0] == pytest.approx(float(pocket_lines[2][30:38]))
    _renders(tmp_path / "9xyz", tmp_path)


def test_missing_element_columns_are_inferred(
    pocket_lines: list[str], complexes_dir: Path, tmp_path: Path
) -> None:
    lines = [ln[:76].rstrip() for ln in pocket_lines]
    cx = load_complex(_folder(tmp_path, complexes_dir, lines))
    expected = [ln[76:78].strip().capitalize() for ln in pocket_lines]
    assert cx.pocket.elements == expected
    assert cx.repairs.elements_inferred == len(pocket_lines)
    _renders(tmp_path / "9xyz", tmp_path)


def test_alternate_locations_keep_the_most_occupied(
    pocket_lines: list[str], complexes_dir: Path, tmp_path: Path
) -> None:
    lines: list[str] = []
    for i, ln in enumerate(pocket_lines):
        if i < 4:  # the first residue's first four atoms come in two places
            lines.append(ln[:16] + "A" + ln[17:54] + "  0.40" + ln[60:])
            lines.append(_shift(ln[:16] + "B" + ln[17:54] + "  0.60" + ln[60:], 1.5))
        else:
            lines.append(ln)
    cx = load_complex(_folder(tmp_path, complexes_dir, lines))
    assert cx.repairs.altloc_atoms == 4
    assert len(cx.pocket) == len(pocket_lines)
    assert cx.pocket.coords[0][0] == pytest.approx(float(pocket_lines[0][30:38]) + 1.5, abs=1e-3)
    _renders(tmp_path / "9xyz", tmp_path)


def test_insertion_codes_and_blank_chain_are_kept(
    pocket_lines: list[str], complexes_dir: Path, tmp_path: Path
) -> None:
    first = pocket_lines[0][17:27]
    lines = [ln[:21] + " " + ln[22:26] + " A"[ln[17:27] == first] + ln[27:] for ln in pocket_lines]
    cx = load_complex(_folder(tmp_path, complexes_dir, lines))
    first_res = cx.pocket.residue_order()[0]
    assert first_res.icode == "A" and first_res.chain == ""
    assert cx.repairs.kept_insertion_codes == 1
    assert cx.repairs.kept_blank_chain_residues == len(cx.pocket.residue_order())
    assert cx.repairs.counts() == {}  # nothing needed repairing
    _renders(tmp_path / "9xyz", tmp_path)


def test_unreadable_coordinates_drop_only_that_atom(
    pocket_lines: list[str], complexes_dir: Path, tmp_path: Path
) -> None:
    lines = list(pocket_lines)
    lines[5] = lines[5][:30] + "   abc.def" + lines[5][40:]
    lines.append(pocket_lines[-1][:40])  # a line cut short
    cx = load_complex(_folder(tmp_path, complexes_dir, lines))
    assert cx.repairs.unreadable_atom_lines == 2
    assert len(cx.pocket) == len(pocket_lines) - 1


def test_a_clean_file_needs_no_repairs(complexes_dir: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the parser's own warnings are recorded, never shown
        cx = load_complex(complexes_dir / defects.SOURCE)
    assert not cx.repairs.any()
    assert cx.repairs.ligand_reader == "sdf:sanitized"


def test_a_file_without_atoms_is_still_skipped(complexes_dir: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path, complexes_dir, ["REMARK nothing here"])
    with pytest.raises(StructureError, match="9xyz_pocket.pdb"):
        load_complex(folder)
