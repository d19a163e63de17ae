"""Atom detection on real renders, checked against where the structure's atoms project."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from tools.perception.atoms import COLOUR_CLASSES, detect_atoms
from tools.render import build_scene, project


def _projected(spec) -> tuple[np.ndarray, list[str]]:
    scene = build_scene(spec)
    xyz = np.array([[a.x, a.y, a.z] for a in scene.atoms])
    px = project(xyz, scene.field_width, scene.size)
    return px, [a.element.upper() for a in scene.atoms]


def test_oxygen_and_nitrogen_blobs_sit_on_projected_atoms(renders) -> None:
    spec, path = renders["front"]
    det = detect_atoms(path)
    px, elements = _projected(spec)
    scale = spec.size / spec.field_width
    for element in ("O", "N"):
        atoms = px[[e == element for e in elements]]
        blobs = [b for b in det.blobs if b.colour == element and b.confidence > 0.3]
        assert len(blobs) >= 10
        # a blob covers half a bond from its atom: its centroid lies within ~0.8 Å of an atom of its element
        near = [np.min(np.linalg.norm(atoms - np.array(b.centroid), axis=1)) / scale < 0.9 for b in blobs]
        assert np.mean(near) > 0.85, (element, np.mean(near))


def test_every_class_of_the_palette_is_found_and_labels_are_separate(renders) -> None:
    det = detect_atoms(renders["front"][1])
    counts = det.counts()
    for cls in ("O", "N", "pocket_C1", "pocket_C2", "label"):
        assert counts[cls] > 50, counts
    assert set(b.colour for b in det.blobs) <= set(COLOUR_CLASSES)


def test_jpeg_and_dimming_keep_the_classes(renders, tmp_path: Path) -> None:
    path = renders["front"][1]
    base = detect_atoms(path)
    img = Image.open(path).convert("RGB")
    jpeg = tmp_path / "q70.jpg"
    img.save(jpeg, quality=70)
    dimmed = (np.asarray(img, dtype=float) * 0.55).astype(np.uint8)  # depth cueing towards black
    dimmed_det = detect_atoms(dimmed)
    # JPEG's chroma subsampling blurs colour across the thin sticks of a small image; dimming changes nothing
    for other in (detect_atoms(jpeg), dimmed_det):
        atoms = (base.class_map >= 0) & (other.class_map >= 0)
        agree = np.mean(base.class_map[atoms] == other.class_map[atoms])
        assert agree > (0.8 if other is not dimmed_det else 0.95), agree


def test_no_atoms_in_a_black_image() -> None:
    det = detect_atoms(np.zeros((64, 64, 3), dtype=np.uint8))
    assert det.blobs == [] and det.counts()["O"] == 0
