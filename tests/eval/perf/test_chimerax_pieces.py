"""Folders written for the ChimeraX kit hold the project's pocket and the posed ligand, read back by the
project's own loader, and the kit's camera is brought back to the project's scene centre."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eval.perf.chimerax_pieces import FAR_CAMERA, HUGE_CUTOFF, moved_ligand, write_job
from tools.camera import view_matrix
from tools.refs import StructureRef
from tools.render.scene import RenderSpec, scene_coordinates
from tools.structure.load import load_complex

MOTION = "move x -17, roll x 75"


@pytest.fixture(scope="module")
def cx(complexes_dir: Path):
    return load_complex(complexes_dir / "1acj")


def _spec(cx, **kw) -> RenderSpec:
    ref = StructureRef(pdb_id=cx.pdb_id, folder="unused")
    return RenderSpec(structure=ref, field_width=47.0, **kw)


def _origin(job, kit_centre: np.ndarray) -> np.ndarray:
    """Where the kit's screen origin ends up: its camera starts on its bounding-box centre and each leading
    `move a d` moves the camera by −d (the kit's README)."""
    origin = kit_centre.copy()
    for part in filter(None, job.misi.split(",")):
        verb, axis, value = part.split()
        if verb == "move":
            origin["xyz".index(axis)] -= float(value)
    return origin


def _xyz(path: Path) -> np.ndarray:
    rows = [ln for ln in path.read_text().splitlines() if ln.startswith(("ATOM", "HETATM"))]
    return np.array([[float(ln[30:38]), float(ln[38:46]), float(ln[46:54])] for ln in rows])


def test_a_moved_ligand_beside_the_pocket_is_the_projects_pose(cx, tmp_path) -> None:
    spec = _spec(cx, content="complex", ligand_motion=MOTION)
    job = write_job(cx, spec, ["front"], tmp_path / "1acj")
    back = load_complex(tmp_path / "1acj", pocket_cutoff=HUGE_CUTOFF)
    # the project's own loader reads the pocket file whole: the same atoms and residues
    assert back.pocket_source == "file"
    assert np.allclose(back.pocket.coords, cx.pocket.coords, atol=1e-3)
    assert back.pocket.names == cx.pocket.names
    assert back.pocket.residues == cx.pocket.residues
    # a TER after every residue, so that ChimeraX joins no two residues across a gap
    text = (tmp_path / "1acj" / "1acj_pocket.pdb").read_text()
    assert text.count("TER") == len(cx.pocket.residue_order()) - 1
    # the ligand sits where the project's renderer puts it, names and bonds kept
    _, lig_screen, _ = scene_coordinates(spec, cx)
    assert np.allclose(back.ligand.atoms.coords - cx.centre, lig_screen, atol=2e-3)
    assert back.ligand.atoms.names == cx.ligand.atoms.names
    assert len(back.ligand.bonds) == len(cx.ligand.bonds)
    # the moved ligand widens the bounding box: the leading moves bring the origin back to the scene centre
    xyz = np.vstack([cx.pocket.coords, moved_ligand(cx, MOTION)])
    kit_centre = (xyz.min(axis=0) + xyz.max(axis=0)) / 2
    assert np.linalg.norm(kit_centre - cx.centre) > 1.0
    assert np.allclose(_origin(job, kit_centre), cx.centre, atol=2e-3)
    cmd = job.command(Path("/kit/render.py"), tmp_path / "img")
    assert cmd[cmd.index("--camera-distance") + 1] == f"{FAR_CAMERA:g}"
    assert cmd[cmd.index("--field-width") + 1] == "47.000000"


def test_the_pocket_alone_hides_the_kits_ligand_atom_in_a_pocket_oxygen(cx, tmp_path) -> None:
    job = write_job(cx, _spec(cx, content="pocket"), ["front", "left", "top"], tmp_path / "1acj")
    pdb = tmp_path / "1acj" / "1acj_complex.pdb"
    lines = [ln for ln in pdb.read_text().splitlines() if ln.startswith("HETATM")]
    assert len(lines) == 1 and lines[0][12:16].strip() == "" and lines[0][76:78].strip() == "O"
    dummy = _xyz(pdb)[-1]
    oxygens = cx.pocket.coords[[e.upper() == "O" for e in cx.pocket.elements]]
    assert np.min(np.linalg.norm(oxygens - dummy, axis=1)) < 1e-3
    assert job.ligand == "DUM:Z:999"
    pocket = cx.pocket.coords
    kit_centre = (pocket.min(axis=0) + pocket.max(axis=0)) / 2
    assert np.allclose(_origin(job, kit_centre), cx.centre, atol=2e-3)


@pytest.mark.parametrize("view", ["front", "left", "top"])
def test_the_ligand_alone_gets_one_residue_off_screen_at_its_depth(cx, tmp_path, view) -> None:
    spec = _spec(cx, content="ligand", ligand_motion=MOTION, view=view)
    job = write_job(cx, spec, [view], tmp_path / "1acj")
    residue = _xyz(tmp_path / "1acj" / "1acj_pocket.pdb")
    assert len(residue) == 1
    rot = view_matrix(view)
    on_screen = (residue[0] - cx.centre) @ rot.T
    lig = (moved_ligand(cx, MOTION) - cx.centre) @ rot.T
    assert abs(on_screen[0]) > 0.75 * spec.field_width  # beyond the edge, its label too
    assert lig[:, 2].min() <= on_screen[2] <= lig[:, 2].max()  # clipping and depth cueing unchanged
    xyz = np.vstack([moved_ligand(cx, MOTION), residue])
    kit_centre = (np.round(xyz, 3).min(axis=0) + np.round(xyz, 3).max(axis=0)) / 2
    assert np.allclose(_origin(job, kit_centre), cx.centre, atol=2e-3)


def test_what_the_kit_cannot_draw_is_refused_with_the_reason(cx, tmp_path) -> None:
    with pytest.raises(ValueError, match="one view per folder"):
        write_job(cx, _spec(cx, content="ligand", ligand_motion=MOTION), ["front", "left"], tmp_path / "a")
    with pytest.raises(ValueError, match="every pocket residue"):
        write_job(cx, _spec(cx, content="residue", residue="A:TRP:84"), ["front"], tmp_path / "b")
    with pytest.raises(ValueError, match="another centre"):
        write_job(
            cx,
            _spec(cx, content="complex", ligand_motion=MOTION, scene="roll x 30"),
            ["front"],
            tmp_path / "c",
        )
    # the bound complex under scene commands needs no recentring: the kit turns it about the same centre
    job = write_job(cx, _spec(cx, content="complex", scene="roll x 30"), ["front"], tmp_path / "d")
    assert job.misi == "roll x 30"
    # and an item's own move z keeps the project's camera distance, so the kit zooms as the project does
    job = write_job(cx, _spec(cx, content="complex", scene="move z 41"), ["front"], tmp_path / "e")
    assert job.misi == "move z 41" and job.camera_distance == 150.0
