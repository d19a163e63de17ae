"""Drawing one Scene with PyMOL: atoms are loaded at their final screen coordinates, so the camera is
the identity looking down -Z at the origin and everything about the view lives in the coordinates.

Style follows the MiSI-Bench ChimeraX images: black background, sticks, grey ligand carbons, pocket
carbons in alternating colours per residue, white residue and ligand-atom labels.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from tools.render.scene import Scene, SceneAtom

# ChimeraX's O and N colours (vivid on black); every other element keeps PyMOL's colour.
ELEMENT_COLOURS = {"O": "0xFF0D0D", "N": "0x3050F8"}
STICK_RADIUS = 0.2  # Å, ChimeraX's stick radius
LABEL_PX_AT_512 = 15.0  # label glyph size in output pixels for a 512 px image; scales with the image
MIN_LABEL_PX = 8.0  # below this, glyphs are no longer legible
DEPTH_MARGIN = 5.0  # Å kept free in front of and behind the atoms and labels (stick radius)
PNG_COMPRESS_LEVEL = 1  # zlib level: renders are mostly black, level 1 is fast and ~1.3x PyMOL's size
MIN_CAMERA_DISTANCE = 1000.0  # Å; grows further when a zoomed scene comes closer (see camera_view)


def _pdb_name(name: str, element: str) -> str:
    """PDB atom-name columns 13-16: one-letter elements start in column 14 unless the name fills all four."""
    name = name[:4]
    return name.ljust(4) if len(name) == 4 or len(element) == 2 else f" {name:<3}"


def _pdb_line(record: str, serial: int, atom: SceneAtom) -> str:
    res = atom.residue
    element = atom.element.upper()
    return (
        f"{record:<6}{serial:>5} {_pdb_name(atom.name, element)} {res.name[:3]:>3} {res.chain[:1] or ' '}"
        f"{res.number:>4}{(res.icode.strip() or ' ')[:1]}   {atom.x:8.3f}{atom.y:8.3f}{atom.z:8.3f}"
        f"{1.0:6.2f}{0.0:6.2f}          {element:>2}"
    )


def pocket_pdb(atoms: list[SceneAtom]) -> str:
    """ATOM records: PyMOL bonds them by distance, including peptide bonds between neighbours."""
    return "\n".join(_pdb_line("ATOM", i + 1, a) for i, a in enumerate(atoms)) + "\nEND\n"


def ligand_pdb(atoms: list[SceneAtom], bonds: list[tuple[int, int, int]]) -> str:
    """HETATM records with explicit CONECTs (indices into `atoms`).

    PyMOL counts each CONECT pair over both directions, so a bond of order n is written n times each
    way; order 4 (aromatic) then reads back as PyMOL's aromatic bond.
    """
    lines = [_pdb_line("HETATM", i + 1, a) for i, a in enumerate(atoms)]
    for i, j, order in bonds:
        for _ in range(max(1, order)):
            lines.append(f"CONECT{i + 1:>5}{j + 1:>5}")
            lines.append(f"CONECT{j + 1:>5}{i + 1:>5}")
    return "\n".join(lines) + "\nEND\n"


def camera_view(field_width: float, z_range: tuple[float, float]) -> tuple[tuple[float, ...], float]:
    """PyMOL view (18 floats) and field of view (degrees) showing exactly `field_width` Å across.

    In orthoscopic mode PyMOL's visible half-height is |camera z| · tan(fov / 2) (SceneRay), so the
    full width of a square image is W = 2 · d · tan(fov / 2). The distance d is chosen large enough
    that the whole depth range `z_range` (atoms and lifted labels) sits between the slabs, and fov is
    solved from W and d.
    """
    z_min, z_max = z_range
    distance = max(MIN_CAMERA_DISTANCE, z_max + 10 * DEPTH_MARGIN)
    fov = math.degrees(2.0 * math.atan(field_width / (2.0 * distance)))
    front = distance - z_max - DEPTH_MARGIN
    back = distance - z_min + DEPTH_MARGIN
    # Identity rotation, camera at (0, 0, -d) from the origin of rotation (0, 0, 0); +fov = orthoscopic.
    view = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, -distance, 0.0, 0.0, 0.0, front, back, fov)
    return view, fov


def _apply_style(cmd: Any, scene: Scene) -> None:
    for name, value in (
        ("auto_zoom", 0),
        ("orthoscopic", 1),
        ("ray_orthoscopic", 1),
        ("ray_opaque_background", 1),
        ("depth_cue", 0),
        ("ray_trace_fog", 0),
        ("ray_shadow", 0),
        ("valence", 0),  # ChimeraX sticks do not draw bond orders
        ("pdb_hetatm_guess_valences", 0),  # keep the CONECT bond orders instead of PyMOL's guesses
        ("stick_radius", STICK_RADIUS),
        ("nb_spheres_size", STICK_RADIUS * 1.5),
        ("antialias", scene.antialias),
        ("label_color", "white"),
        ("label_font_id", 7),  # DejaVu Sans Bold
        ("label_size", max(MIN_LABEL_PX, round(LABEL_PX_AT_512 * scene.size / 512.0, 1))),
    ):
        cmd.set(name, value)
    cmd.bg_color("black")
    # No label outline: PyMOL does not ray-trace it; labels are lifted above the sticks instead.
    # Ray label sizes are scaled by image height / viewport height: make them equal.
    cmd.viewport(scene.size, scene.size)


def _colour(cmd: Any, obj: str, atoms: list[SceneAtom]) -> None:
    cmd.color("atomic", f"{obj} and not elem C")
    for element, colour in ELEMENT_COLOURS.items():
        cmd.color(colour, f"{obj} and elem {element}")
    by_colour: dict[str, list[int]] = {}
    for i, atom in enumerate(atoms):
        if atom.element.upper() == "C":
            by_colour.setdefault(atom.carbon_colour, []).append(i + 1)
    for hex_colour, ids in by_colour.items():
        # Selections by ID ranges stay short even for many atoms.
        cmd.color("0x" + hex_colour.lstrip("#"), f"{obj} and id {_id_ranges(ids)}")


def _id_ranges(ids: list[int]) -> str:
    runs: list[list[int]] = []
    for i in ids:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return "+".join(f"{a}-{b}" if b > a else str(a) for a, b in runs)


def load_scene(cmd: Any, scene: Scene) -> None:
    """Load, style and label the scene into a freshly reinitialised PyMOL and set the camera."""
    _apply_style(cmd, scene)
    pocket = [a for a in scene.atoms if not a.is_ligand]
    lig_index = [i for i, a in enumerate(scene.atoms) if a.is_ligand]
    ligand = [scene.atoms[i] for i in lig_index]
    # Separate objects: PyMOL never bonds across objects, so a ligand moved into the pocket gets no
    # spurious distance bonds to protein atoms.
    if pocket:
        cmd.read_pdbstr(pocket_pdb(pocket), "pocket")
        _colour(cmd, "pocket", pocket)
    if ligand:
        local = {g: k for k, g in enumerate(lig_index)}
        bonds = [(local[i], local[j], o) for i, j, o in scene.ligand_bonds if i in local and j in local]
        cmd.read_pdbstr(ligand_pdb(ligand, bonds), "ligand")
        # PDB columns hold four characters; labels need the full names.
        cmd.alter("ligand", "name = names[int(ID) - 1]", space={"names": [a.name for a in ligand]})
        _colour(cmd, "ligand", ligand)
    cmd.hide("everything")
    if pocket or ligand:
        shown = " or ".join(name for name, part in (("pocket", pocket), ("ligand", ligand)) if part)
        shown = f"({shown}) and not (hydro or solvent)"
        cmd.show("sticks", shown)
        cmd.show("nb_spheres", shown)  # atoms without bonds would otherwise be invisible
    if scene.labels:
        if ligand:
            cmd.label("ligand and not hydro", "name")
        for k, (text, xyz) in enumerate(scene.residue_labels):
            pos = [float(v) for v in xyz]
            cmd.pseudoatom("reslabels", name=f"R{k}", resi=str(k + 1), pos=pos, label=text)
        if scene.residue_labels:
            cmd.hide("everything", "reslabels")
            cmd.show("labels", "reslabels")
    z = np.array([a.z for a in scene.atoms] + [float(xyz[2]) for _, xyz in scene.residue_labels] or [0.0])
    z_min, z_max = float(z.min()), float(z.max())
    # Labels move towards the viewer by the scene's depth, so no stick ever covers a label (as in ChimeraX).
    lift = z_max - z_min + 2.0
    cmd.set("label_position", (0.0, 0.0, lift))
    view, fov = camera_view(scene.field_width, (z_min, z_max + lift))
    cmd.set("field_of_view", fov)
    cmd.set_view(view)


def draw(cmd: Any, scene: Scene, out: Path, threads: int = 1) -> None:
    """Render `scene` with the PyMOL instance behind `cmd` (state is reset first) to the PNG `out`.

    PyMOL hands over the raw pixels (PPM) and Pillow writes the PNG: PyMOL's own PNG writer compresses at
    zlib's default level and took about an eighth of each image's time. The pixels are PyMOL's, unchanged.
    """
    cmd.reinitialize()
    cmd.set("max_threads", threads)
    load_scene(cmd, scene)
    cmd.ray(scene.size, scene.size, antialias=scene.antialias)
    fd, raw = tempfile.mkstemp(suffix=".ppm", prefix=".molspatial-", dir=_scratch())
    os.close(fd)
    try:
        cmd.png(raw, prior=1, format=1)
        with Image.open(raw) as image:
            image.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    finally:
        os.unlink(raw)
    if not out.is_file():
        raise RuntimeError(f"PyMOL wrote no image to {out}")


def _scratch() -> str | None:
    """Raw frames are written to memory-backed storage where there is some."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
