"""Complex folders the ChimeraX reference kit's `render.py` draws as the project's images are drawn, pieces
included: the pocket alone, the ligand alone and the complex with the ligand moved (docking items).

The kit renders a complex folder (protein or pocket PDB + ligand MOL2), shows the ligand and every residue
within its pocket cutoff, and centres the camera on the bounding box of what it shows. So each image gets a
folder written from the project's own complex:
- `<id>_pocket.pdb` holds exactly the project's pocket residues (a TER after each), and the kit is told a
  pocket cutoff larger than any complex, so its pocket is the project's whatever the ligand's position;
- `<id>_ligand.mol2` holds the ligand, bound or moved (the motion applied in the file's frame, as the
  project's renderer applies it before the scene commands);
- for the pocket alone, the ligand is one oxygen atom with a blank name, written into a whole-complex PDB on
  top of a pocket oxygen: drawn inside that oxygen's sphere, unlabelled, and inside the pocket's bounding
  box, so neither the picture nor the camera changes;
- for the ligand alone, the pocket is one atom drawn beside the image, off-screen with its label, at the
  ligand's depth (one folder per view).
Where the kit's bounding-box centre is not the project's scene centre (a moved ligand, the ligand alone),
MiSI moves that bring the scene centre back to the screen origin are put before the item's own commands,
with a camera distance so large that the kit's weak-perspective zoom for that `move z` is negligible (the
item's own commands then keep the project's camera distance, so a `move z` zooms as it should).

Used on the measuring machine only: the project never needs or calls ChimeraX.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel

from tools.camera import Pose, parse_commands, view_matrix
from tools.render.scene import RenderSpec
from tools.structure import Complex

HUGE_CUTOFF = 10000.0  # Å: every residue written is pocket
FAR_CAMERA = 1.0e5  # Å: the kit's zoom for a move z of d is (D − d) / D, negligible here


class KitJob(BaseModel):
    """One call of the kit's render.py: a folder written for it and its arguments."""

    folder: str
    views: list[str]
    field_width: float
    size: int
    misi: str
    ligand: str | None = None  # RESN:CHAIN:NUM for a whole-complex PDB
    camera_distance: float = FAR_CAMERA
    pocket_cutoff: float = HUGE_CUTOFF

    def command(self, render_py: Path, out: Path) -> list[str]:
        cmd = [
            str(render_py),
            self.folder,
            "--views",
            ",".join(self.views),
            "--size",
            str(self.size),
            "--field-width",
            f"{self.field_width:.6f}",
            "--camera-distance",
            f"{self.camera_distance:g}",
            "--pocket-cutoff",
            f"{self.pocket_cutoff:g}",
            "--out",
            str(out),
        ]
        if self.misi:
            cmd += ["--misi", self.misi]
        if self.ligand:
            cmd += ["--ligand", self.ligand]
        return cmd


def _atom_name(name: str, element: str) -> str:
    """A PDB atom-name field (columns 13-16): names of one-letter elements start in column 14."""
    if len(name) >= 4 or len(element) == 2:
        return f"{name:<4s}"[:4]
    return f" {name:<3s}"


def _pdb_line(
    record: str,
    serial: int,
    name: str,
    element: str,
    resname: str,
    chain: str,
    number: int,
    icode: str,
    xyz: np.ndarray,
) -> str:
    x, y, z = (float(v) for v in xyz)
    return (
        f"{record:<6s}{serial:5d} {_atom_name(name, element)} {resname:>3s} {(chain or ' ')[:1]}{number:4d}"
        f"{(icode or ' ')[:1]}   {x:8.3f}{y:8.3f}{z:8.3f}  1.00  0.00          {element.upper():>2s}"
    )


def pocket_pdb(cx: Complex) -> list[str]:
    """The project's pocket residues as ATOM records (heavy atoms, chains and numbers as read), a TER after
    each residue: ChimeraX then draws no "missing structure" dashes across the gaps between them."""
    lines: list[str] = []
    previous = None
    for k, (xyz, el, name, r) in enumerate(
        zip(cx.pocket.coords, cx.pocket.elements, cx.pocket.names, cx.pocket.residues), start=1
    ):
        if previous is not None and r != previous:
            lines.append("TER")
        lines.append(_pdb_line("ATOM", k, name, el, r.name, r.chain, r.number, r.icode, xyz))
        previous = r
    return lines


def ligand_mol2(cx: Complex, xyz: np.ndarray) -> str:
    """The ligand's heavy atoms at `xyz` with the project's names and bonds."""
    atoms = cx.ligand.atoms
    out = [
        "@<TRIPOS>MOLECULE",
        cx.ligand.ccd,
        f"{len(atoms)} {len(cx.ligand.bonds)} 1 0 0",
        "SMALL",
        "NO_CHARGES",
        "",
        "@<TRIPOS>ATOM",
    ]
    for k, (p, el, name) in enumerate(zip(xyz, atoms.elements, atoms.names), start=1):
        e = el.capitalize()
        sybyl = f"{e}.3" if e in {"C", "N", "O", "S", "P"} else e
        out.append(
            f"{k:6d} {name:<6s} {p[0]:10.4f} {p[1]:10.4f} {p[2]:10.4f} {sybyl:<6s} 1 {cx.ligand.ccd} 0.0"
        )
    out.append("@<TRIPOS>BOND")
    for k, (i, j, order) in enumerate(cx.ligand.bonds, start=1):
        out.append(f"{k:6d} {i + 1:5d} {j + 1:5d} {'ar' if order == 4 else order}")
    return "\n".join(out) + "\n"


def moved_ligand(cx: Complex, ligand_motion: str) -> np.ndarray:
    """Ligand coordinates in the file's frame after `ligand_motion` about its centroid (as the project)."""
    xyz = cx.ligand.atoms.coords
    if not ligand_motion:
        return xyz.copy()
    centre = cx.centre
    lig0 = xyz - centre
    pose = Pose(pivot=lig0.mean(axis=0)).apply(parse_commands(ligand_motion))
    return pose.transform(lig0) + centre


def _bbox_centre(*parts: np.ndarray) -> np.ndarray:
    xyz = np.vstack([np.round(p, 3) for p in parts if len(p)])
    return (xyz.min(axis=0) + xyz.max(axis=0)) / 2.0


def _recentre(kit_centre: np.ndarray, scene_centre: np.ndarray) -> str:
    """MiSI moves that take the kit's screen origin (its bounding-box centre) to the project's scene centre:
    `move x|y|z d` moves the camera by −d before any view is turned about that origin."""
    d = kit_centre - scene_centre
    return ", ".join(f"move {a} {v:.4f}" for a, v in zip("xyz", d) if abs(v) > 5e-4)


def _offscreen_residue(lig: np.ndarray, scene_centre: np.ndarray, spec: RenderSpec, view: str) -> str:
    """One pocket residue (one atom) for the kit, which labels "the pocket residues" and fails on none: put
    beside the image, off-screen with its label, at the ligand's mean depth in that view, so that neither the
    clipping planes nor depth cueing (a ramp between them) change."""
    rot = view_matrix(view)
    depth = float(((lig - scene_centre) @ rot.T)[:, 2].mean())
    screen = np.array([0.85 * spec.field_width, 0.0, depth])
    xyz = scene_centre + rot.T @ screen
    return _pdb_line("ATOM", 1, "CA", "C", "GLY", "Z", 9999, "", xyz) + "\nEND\n"


def _read_xyz(pdb: Path) -> np.ndarray:
    rows = [ln for ln in pdb.read_text().splitlines() if ln.startswith(("ATOM", "HETATM"))]
    return np.array([[float(ln[30:38]), float(ln[38:46]), float(ln[46:54])] for ln in rows])


def write_job(cx: Complex, spec: RenderSpec, views: list[str], folder: Path) -> KitJob:
    """A folder the kit draws `spec`'s content from (scene commands and views as given)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{cx.pdb_id}_*"):
        old.unlink()
    scene_centre = np.round(cx.centre, 6)
    pocket = np.round(cx.pocket.coords, 3)
    ligand_name = None
    if spec.content == "residue":
        raise ValueError("the kit draws every pocket residue: a one-residue image cannot be made")
    if spec.content == "complex":
        lig = moved_ligand(cx, spec.ligand_motion)
        (folder / f"{cx.pdb_id}_pocket.pdb").write_text("\n".join(pocket_pdb(cx)) + "\nEND\n")
        (folder / f"{cx.pdb_id}_ligand.mol2").write_text(ligand_mol2(cx, lig))
        kit_centre = _bbox_centre(pocket, lig)
    elif spec.content == "pocket":
        oxygens = [i for i, e in enumerate(cx.pocket.elements) if e.upper() == "O"]
        if not oxygens:
            raise ValueError(f"{cx.pdb_id}: no pocket oxygen to hide the kit's required ligand atom in")
        anchor = pocket[oxygens[0]]
        lines = pocket_pdb(cx) + ["TER"]
        lines.append(_pdb_line("HETATM", len(lines) + 1, "", "O", "DUM", "Z", 999, "", anchor))
        (folder / f"{cx.pdb_id}_complex.pdb").write_text("\n".join(lines) + "\nEND\n")
        ligand_name = "DUM:Z:999"
        kit_centre = _bbox_centre(pocket)
    else:  # the ligand alone
        if len(views) != 1:
            raise ValueError(
                "the ligand alone is drawn one view per folder (its hidden residue is placed per view)"
            )
        lig = np.round(moved_ligand(cx, spec.ligand_motion), 3)
        (folder / f"{cx.pdb_id}_pocket.pdb").write_text(_offscreen_residue(lig, scene_centre, spec, views[0]))
        (folder / f"{cx.pdb_id}_ligand.mol2").write_text(ligand_mol2(cx, lig))
        kit_centre = _bbox_centre(lig, _read_xyz(folder / f"{cx.pdb_id}_pocket.pdb"))
    if spec.scene and np.abs(kit_centre - scene_centre).max() > 2e-3:
        # the kit turns the scene about its own centre (cofr), which is not the project's here
        raise ValueError(
            f"{spec.content} content under scene commands: the kit would turn it about another centre"
        )
    recentre = _recentre(kit_centre, scene_centre)
    misi = ", ".join(x for x in (recentre, spec.scene) if x)
    # the far camera only where the recentring moves in depth; an item's own `move z` needs the kit's zoom
    # at the project's camera distance (scene commands come only with no recentring, checked above)
    return KitJob(
        folder=str(folder),
        views=views,
        field_width=spec.field_width,
        size=spec.size,
        misi=misi,
        ligand=ligand_name,
        camera_distance=FAR_CAMERA if recentre else spec.camera_distance,
    )
