"""Atoms in an item image, found by colour class, whatever renderer drew them.

The benchmark's palette is documented in every prompt: O red, N blue, ligand C grey, pocket C alternating
purple #BF99F2 / orange #F2B366 by residue, other elements in their usual colours, white labels on black.
A pixel is classified by the *direction* of its RGB vector (its chromaticity), which lighting, depth cueing
(dimming towards the black background), antialiasing against the background and JPEG leave nearly
unchanged; brightness only separates white labels from grey carbons. Stick radius and image size do not
enter: a class is a set of pixels, and a blob is one connected region of one class.

API (stable):
- `detect_atoms(image) -> AtomDetection`: per-pixel classes, the label mask and the blobs.
- `AtomDetection.mask(cls)`, `.points(cls, step)`: pixels of one class, for matching against projected atoms.
- `Blob`: centroid (column, row) in pixels, colour class, area in pixels, bounding box, confidence in [0, 1].
- `COLOUR_CLASSES`: the classes, in the order of `AtomDetection.class_map`'s integer codes.
- `atom_class(element, is_ligand, pocket_parity)`: the class a structure atom is drawn in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel
from scipy import ndimage

ColourClass = Literal["O", "N", "ligand_C", "pocket_C1", "pocket_C2", "other"]
COLOUR_CLASSES: tuple[ColourClass, ...] = ("O", "N", "ligand_C", "pocket_C1", "pocket_C2", "other")
BACKGROUND = -1  # class_map code of background pixels
LABEL = -2  # class_map code of label (white text) pixels

# Reference colours per class. "other" collects the usual colours of elements outside the palette (S, P,
# halogens, metals in PyMOL's and ChimeraX's schemes), so that a yellow S is not read as an orange carbon.
_REFERENCES: list[tuple[ColourClass, str]] = [
    ("O", "#FF0D0D"),
    ("O", "#FF4040"),
    ("N", "#3050F8"),
    ("N", "#4060E0"),
    ("ligand_C", "#808080"),
    ("pocket_C1", "#BF99F2"),
    ("pocket_C2", "#F2B366"),
    ("other", "#FFFF30"),  # S (ChimeraX)
    ("other", "#E6C740"),  # S (PyMOL)
    ("other", "#FF8000"),  # P
    ("other", "#1FF01F"),  # Cl
    ("other", "#90E050"),  # F
    ("other", "#A62929"),  # Br
    ("other", "#940094"),  # I
    ("other", "#E06633"),  # Fe and similar metals
    ("other", "#7D80B0"),  # Zn
]

MIN_VALUE = 0.10  # a pixel whose brightest channel is below this is background
LABEL_VALUE = 0.86  # grey pixels brighter than this (× the brightest grey) are label text
OTHER_MARGIN_DEG = 4.0  # how much closer than any palette colour an "other" element colour must be
GREY_SATURATION = 0.12  # HSV saturation below which a pixel is grey (ligand C or label)


def _unit(rgb: np.ndarray) -> np.ndarray:
    return rgb / np.maximum(np.linalg.norm(rgb, axis=-1, keepdims=True), 1e-9)


def _hex(colour: str) -> np.ndarray:
    c = colour.lstrip("#")
    return np.array([int(c[i : i + 2], 16) for i in (0, 2, 4)], dtype=float) / 255.0


_REF_CLASS = np.array([COLOUR_CLASSES.index(c) for c, _ in _REFERENCES])
_REF_DIR = _unit(np.stack([_hex(h) for _, h in _REFERENCES]))


class Blob(BaseModel):
    """One connected region of one colour class."""

    centroid: tuple[float, float]  # (column, row) in pixels; rows grow downwards
    colour: ColourClass
    area: int  # pixels
    bbox: tuple[int, int, int, int]  # column min, row min, column max, row max (inclusive)
    confidence: float  # mean pixel confidence, lowered for blobs too small to be a whole atom


@dataclass
class AtomDetection:
    """The classified image: `class_map[row, col]` is an index into COLOUR_CLASSES, BACKGROUND or LABEL."""

    class_map: np.ndarray  # int8, shape (rows, columns)
    confidence: np.ndarray  # float32 in [0, 1] per pixel (0 on background)
    blobs: list[Blob]

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.class_map.shape[1]), int(self.class_map.shape[0])

    def mask(self, cls: ColourClass | Literal["label", "atoms"]) -> np.ndarray:
        """Boolean mask of one class; 'label' for text, 'atoms' for every atom class."""
        if cls == "label":
            return self.class_map == LABEL
        if cls == "atoms":
            return self.class_map >= 0
        return self.class_map == COLOUR_CLASSES.index(cls)

    def points(self, cls: ColourClass | Literal["atoms"], step: int = 1) -> np.ndarray:
        """(column, row) pixel centres of one class, every `step`-th pixel along each axis."""
        m = self.mask(cls)
        if step > 1:
            keep = np.zeros_like(m)
            keep[::step, ::step] = True
            m = m & keep
        rows, cols = np.nonzero(m)
        return np.stack([cols, rows], axis=1).astype(float)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {
            c: int(np.count_nonzero(self.class_map == i)) for i, c in enumerate(COLOUR_CLASSES)
        }
        out["label"] = int(np.count_nonzero(self.class_map == LABEL))
        return out


def load_rgb(image: str | Path | Image.Image | np.ndarray) -> np.ndarray:
    """An image as float RGB in [0, 1], shape (rows, columns, 3); any mode, PNG or JPEG."""
    if isinstance(image, np.ndarray):
        arr = image.astype(float)
        if arr.max() > 1.0:
            arr = arr / 255.0
        return arr[..., :3] if arr.ndim == 3 else np.repeat(arr[..., None], 3, axis=2)
    img = image if isinstance(image, Image.Image) else Image.open(image)
    return np.asarray(img.convert("RGB"), dtype=float) / 255.0


def classify_pixels(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(class_map, confidence) for an RGB image in [0, 1]."""
    value = rgb.max(axis=2)
    low = rgb.min(axis=2)
    saturation = np.where(value > 0, (value - low) / np.maximum(value, 1e-9), 0.0)
    fg = value >= MIN_VALUE
    class_map = np.full(value.shape, BACKGROUND, dtype=np.int8)
    confidence = np.zeros(value.shape, dtype=np.float32)

    grey = fg & (saturation < GREY_SATURATION)
    # relative to the brightest grey, so an image dimmed as a whole still has its labels
    top = float(np.percentile(value[grey], 99.5)) if grey.sum() > 50 else 1.0
    label = grey & (value >= LABEL_VALUE * max(top, 0.3))
    # Antialiased glyph edges are grey too: grey pixels touching label text belong to the label.
    near_label = ndimage.binary_dilation(label, iterations=2)
    label |= grey & near_label
    class_map[label] = LABEL
    confidence[label] = 1.0
    lig_c = grey & ~label
    class_map[lig_c] = COLOUR_CLASSES.index("ligand_C")
    confidence[lig_c] = np.clip(1.0 - saturation[lig_c] / GREY_SATURATION, 0.3, 1.0)

    coloured = fg & ~grey
    if coloured.any():
        d = _unit(rgb[coloured])
        cos = np.clip(d @ _REF_DIR.T, -1.0, 1.0)
        # best angle per class, then the class with the smallest one
        per_class = np.full((len(d), len(COLOUR_CLASSES)), np.pi)
        ang = np.arccos(cos)
        for k in range(len(COLOUR_CLASSES)):
            cols = np.equal(_REF_CLASS, k)
            if cols.any():
                per_class[:, k] = ang[:, cols].min(axis=1)
        # grey carbons are decided by saturation above; keep them out of the coloured vote
        per_class[:, COLOUR_CLASSES.index("ligand_C")] = np.pi
        # blends at the border of two palette colours (and JPEG's chroma fringes) resemble no palette
        # colour well; "other" must win clearly, or the nearest palette class keeps the pixel
        per_class[:, COLOUR_CLASSES.index("other")] += np.radians(OTHER_MARGIN_DEG)
        order = np.argsort(per_class, axis=1)
        best = order[:, 0]
        a1 = per_class[np.arange(len(d)), best]
        a2 = per_class[np.arange(len(d)), order[:, 1]]
        # a pixel halfway between two references is unsure; dim pixels carry noisier colour
        margin = np.clip((a2 - a1) / np.maximum(a2 + a1, 1e-9), 0.0, 1.0)
        conf = np.clip(2.0 * margin, 0.0, 1.0) * np.clip(value[coloured] / 0.4, 0.25, 1.0)
        class_map[coloured] = best.astype(np.int8)
        confidence[coloured] = conf.astype(np.float32)
    return _smooth(class_map, confidence)


def _smooth(class_map: np.ndarray, confidence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unsure atom pixels take the confidence-weighted majority class of their 3 × 3 neighbourhood."""
    unsure = (class_map >= 0) & (confidence < 0.5)
    if not unsure.any():
        return class_map, confidence
    votes = np.stack(
        [
            ndimage.uniform_filter(np.where(class_map == k, confidence, 0.0), size=3)
            for k in range(len(COLOUR_CLASSES))
        ]
    )
    winner = votes.argmax(axis=0).astype(np.int8)
    out = class_map.copy()
    out[unsure] = winner[unsure]
    return out, confidence


def _blobs(class_map: np.ndarray, confidence: np.ndarray, min_area: int) -> list[Blob]:
    out: list[Blob] = []
    structure = np.ones((3, 3), dtype=bool)
    for k, cls in enumerate(COLOUR_CLASSES):
        labels, n = ndimage.label(class_map == k, structure=structure)
        if n == 0:
            continue
        index = np.arange(1, n + 1)
        areas = ndimage.sum_labels(np.ones_like(labels), labels, index)
        mean_conf = ndimage.mean(confidence, labels, index)
        centres = ndimage.center_of_mass(np.ones_like(labels), labels, index)
        slices = ndimage.find_objects(labels)
        for area, conf, (row, col), sl in zip(areas, mean_conf, centres, slices):
            if area < min_area:
                continue
            size_factor = min(1.0, float(area) / (4.0 * min_area))
            out.append(
                Blob(
                    centroid=(round(float(col), 2), round(float(row), 2)),
                    colour=cls,
                    area=int(area),
                    bbox=(sl[1].start, sl[0].start, sl[1].stop - 1, sl[0].stop - 1),
                    confidence=round(float(conf) * size_factor, 3),
                )
            )
    out.sort(key=lambda b: (b.centroid[1], b.centroid[0]))
    return out


def detect_atoms(image: str | Path | Image.Image | np.ndarray, min_area: int | None = None) -> AtomDetection:
    """Classify every pixel of an item image and collect the blobs of each atom colour class.

    `min_area` (pixels) drops specks; by default it grows with the image area (4 px at 512 × 512).
    """
    rgb = load_rgb(image)
    class_map, confidence = classify_pixels(rgb)
    if min_area is None:
        min_area = max(2, round(4 * rgb.shape[0] * rgb.shape[1] / 512**2))
    return AtomDetection(class_map, confidence, _blobs(class_map, confidence, min_area))


def atom_class(element: str, is_ligand: bool, pocket_parity: int = 0) -> ColourClass:
    """The colour class a structure atom is drawn in (pocket carbons alternate by residue order)."""
    e = element.strip().upper()
    if e == "O":
        return "O"
    if e == "N":
        return "N"
    if e == "C":
        if is_ligand:
            return "ligand_C"
        return "pocket_C1" if pocket_parity % 2 == 0 else "pocket_C2"
    return "other"
