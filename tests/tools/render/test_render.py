"""PyMOL rendering: geometry agrees with `project`, output is deterministic and written atomically."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from tools.render import RenderError, RenderSpec, StructureRef, build_scene, project, render_one, render_specs
from tools.render.pool import shutdown
from tools.render.scene import Scene, SceneAtom
from tools.structure import ResidueId

SIZE = 192


def pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def lit(img: np.ndarray) -> np.ndarray:
    """Pixels that are not background."""
    return img.sum(axis=2) > 30


@pytest.fixture(scope="module")
def ref(complexes_dir: Path) -> StructureRef:
    return StructureRef(pdb_id="1h2t", folder=str(complexes_dir / "1h2t"), ligand="GDP:Z:1151")


def spec(ref: StructureRef, **kwargs: object) -> RenderSpec:
    return RenderSpec(structure=ref, field_width=30.0, size=SIZE, **kwargs)  # type: ignore[arg-type]


VARIANTS: dict[str, dict[str, object]] = {
    "base": {},
    "no_labels": {"labels": False},
    "ligand": {"content": "ligand", "labels": False, "view": "top"},
    "residue": {"content": "residue", "residue": "Z:ARG:127"},
    "pocket": {"content": "pocket", "view": "back"},
    "roll_inverse": {"scene": "roll y 30, roll x 45, roll x -45, roll y -30"},
    "move_inverse": {"scene": "move z 12, move x 3, move x -3, move z -12"},
    "ligand_inverse": {"ligand_motion": "roll z 60, move y 2, move y -2, roll z -60"},
}


@pytest.fixture(scope="module")
def rendered(ref: StructureRef, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All variants in one two-worker run."""
    out = tmp_path_factory.mktemp("renders")
    seen: list[tuple[int, int]] = []
    jobs = [(spec(ref, **kw), out / f"{name}.png") for name, kw in VARIANTS.items()]
    render_specs(jobs, workers=2, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(jobs), len(jobs))
    return out


def test_same_spec_gives_identical_pixels_in_separate_processes(
    rendered: Path, ref: StructureRef, tmp_path: Path
) -> None:
    render_specs([(spec(ref), tmp_path / "again.png")], workers=1)  # a new pool: a new process
    assert np.array_equal(pixels(rendered / "base.png"), pixels(tmp_path / "again.png"))


def test_background_is_opaque_black(rendered: Path) -> None:
    img = np.asarray(Image.open(rendered / "base.png"))
    assert img.shape[:2] == (SIZE, SIZE)
    corners = img[[0, 0, -1, -1], [0, -1, 0, -1]]
    assert (corners[:, :3] == 0).all()
    if img.shape[2] == 4:  # opaque, not a transparent background
        assert (corners[:, 3] == 255).all()
    assert (img[..., :3] == 0).all(axis=2).mean() > 0.5


def test_labels_can_be_turned_off(rendered: Path) -> None:
    with_labels, without = pixels(rendered / "base.png"), pixels(rendered / "no_labels.png")

    def neutral_bright(img: np.ndarray) -> int:  # white glyphs, softened by antialiasing at this size
        return int((((img.max(axis=2) - img.min(axis=2)) < 40) & (img.min(axis=2) > 110)).sum())

    assert (with_labels != without).any(axis=2).sum() > 1000
    assert neutral_bright(with_labels) > 3 * neutral_bright(without)


@pytest.mark.parametrize("name", ["ligand", "residue", "pocket"])
def test_partial_scenes_render(rendered: Path, name: str) -> None:
    assert lit(pixels(rendered / f"{name}.png")).sum() > 200


def test_ligand_atoms_land_on_their_projected_pixels(rendered: Path, ref: StructureRef) -> None:
    scene = build_scene(spec(ref, **VARIANTS["ligand"]))  # type: ignore[arg-type]
    xyz = np.array([[a.x, a.y, a.z] for a in scene.atoms])
    col_row = np.rint(project(xyz, scene.field_width, scene.size) - 0.5).astype(int)
    mask = lit(pixels(rendered / "ligand.png"))
    assert mask[col_row[:, 1], col_row[:, 0]].all()


@pytest.mark.parametrize("name", ["roll_inverse", "move_inverse", "ligand_inverse"])
def test_command_then_inverse_matches_no_command(rendered: Path, name: str) -> None:
    base, moved = pixels(rendered / "base.png"), pixels(rendered / f"{name}.png")
    # Coordinates agree to ~1e-12 Å; allow a handful of pixels for a rounding flip in the 3rd decimal.
    assert (base != moved).any(axis=2).sum() <= 5


def test_no_temp_files_are_left(rendered: Path) -> None:
    names = sorted(p.name for p in rendered.iterdir())
    assert names == sorted(f"{name}.png" for name in VARIANTS)


def test_existing_outputs_are_skipped(tmp_path: Path, ref: StructureRef) -> None:
    out = tmp_path / "kept.png"
    out.write_bytes(b"not an image")
    render_specs([(spec(ref), out)])
    assert out.read_bytes() == b"not an image"


def test_failure_names_the_spec_and_leaves_no_file(tmp_path: Path, ref: StructureRef) -> None:
    bad = spec(ref, content="residue", residue="Z:XYZ:1", view="left")
    with pytest.raises(RenderError, match=r"1h2t.*view left"):
        render_specs([(bad, tmp_path / "bad.png")])
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def one_worker() -> Iterator[None]:
    yield
    shutdown()


def test_render_one_reuses_its_worker(tmp_path: Path, ref: StructureRef, one_worker: None) -> None:
    first = render_one(spec(ref, labels=False), tmp_path / "a.png")
    second = render_one(spec(ref, labels=False, view="left"), tmp_path / "b.png")
    assert lit(pixels(first)).sum() > 200 and lit(pixels(second)).sum() > 200
    assert not np.array_equal(pixels(first), pixels(second))


# --- camera geometry, drawn directly with PyMOL in this process -------------------------------------


@pytest.fixture(scope="module")
def pymol_cmd() -> Iterator[object]:
    pymol2 = pytest.importorskip("pymol2")
    instance = pymol2.PyMOL()
    instance.start()
    yield instance.cmd
    instance.stop()


@pytest.mark.parametrize(("field_width", "size", "antialias"), [(20.0, 256, 1), (23.7, 200, 2)])
def test_isolated_atoms_sit_at_projected_pixels(
    pymol_cmd: object, tmp_path: Path, field_width: float, size: int, antialias: int
) -> None:
    from tools.render.pymol_draw import draw

    # Spread over the field and in depth: an orthographic camera must not move them with z.
    xyz = np.array([[0, 0, 0], [6, 0, -5], [-7, 4, 8], [3, -8, 2], [-5, -6, -10], [8.5, 8.5, 0]], float)
    rid = ResidueId("L", 900, "", "LIG")
    atoms = [SceneAtom(*p, "O", f"O{i}", rid, True, "#909090") for i, p in enumerate(xyz)]
    draw(pymol_cmd, Scene(atoms, [], [], field_width, size, antialias, False), tmp_path / "atoms.png")
    mask = lit(pixels(tmp_path / "atoms.png"))
    labels, n = ndimage.label(mask)
    assert n == len(xyz)
    centres = np.array(ndimage.center_of_mass(mask, labels, range(1, n + 1)))[:, ::-1] + 0.5  # (col, row)
    expected = project(xyz, field_width, size)
    distance = np.linalg.norm(expected[:, None, :] - centres[None, :, :], axis=2).min(axis=1)
    assert distance.max() < 1.5


def test_pdb_records_use_the_standard_columns() -> None:
    from tools.render.pymol_draw import ligand_pdb, pocket_pdb

    res = ResidueId("B", 60, "A", "PRO")
    line = pocket_pdb([SceneAtom(-1.5, 22.25, -103.125, "C", "CA", res, False, "#BF99F2")]).splitlines()[0]
    assert line[:6] == "ATOM  " and line[6:11] == "    1" and line[12:16] == " CA "
    assert (line[17:20], line[21], line[22:26], line[26]) == ("PRO", "B", "  60", "A")
    assert (line[30:38], line[38:46], line[46:54]) == ("  -1.500", "  22.250", "-103.125")
    assert line[76:78] == " C"
    lig = ResidueId("L", 900, "", "LIG")
    atoms = [
        SceneAtom(0, 0, 0, "Cl", "CL1", lig, True, "#909090"),
        SceneAtom(1.7, 0, 0, "C", "C1", lig, True, "#909090"),
    ]
    text = ligand_pdb(atoms, [(0, 1, 2)]).splitlines()
    assert text[0][:6] == "HETATM" and text[0][12:16] == "CL1 " and text[0][76:78] == "CL"
    assert text[1][12:16] == " C1 "
    assert text.count("CONECT    1    2") == 2 and text.count("CONECT    2    1") == 2


@pytest.mark.parametrize(("pdb_id", "ligand"), [("1h2t", "GDP:Z:1151"), ("1g9v", None)])
def test_loaded_scene_keeps_names_bond_orders_and_colours(
    pymol_cmd: object, complexes_dir: Path, pdb_id: str, ligand: str | None
) -> None:
    from tools.render.pymol_draw import load_scene

    cmd: Any = pymol_cmd
    scene = build_scene(spec(StructureRef(pdb_id=pdb_id, folder=str(complexes_dir / pdb_id), ligand=ligand)))
    cmd.reinitialize()
    load_scene(cmd, scene)
    ligand = [a for a in scene.atoms if a.is_ligand]
    model = cmd.get_model("ligand")
    assert sorted(a.name for a in model.atom) == sorted(a.name for a in ligand)
    first = len(scene.atoms) - len(ligand)
    want = {frozenset((ligand[i - first].name, ligand[j - first].name)): o for i, j, o in scene.ligand_bonds}
    got = {frozenset(model.atom[k].name for k in b.index): b.order for b in model.bond}
    assert got == want
    colours: list[tuple[int, int]] = []
    cmd.iterate("pocket and elem C", "colours.append((ID, color))", space={"colours": colours})
    pocket = [a for a in scene.atoms if not a.is_ligand]
    for atom_id, colour in colours:
        rgb = tuple(round(v * 255) for v in cmd.get_color_tuple(colour))
        assert rgb == tuple(int(pocket[atom_id - 1].carbon_colour[k : k + 2], 16) for k in (1, 3, 5))
