"""The characters of an item's labels, taken from the labels the engine read, and texts composed of them.

Every label of an item is drawn in one font at one size, so each label read with confidence gives the
pixels of its characters: split at the empty columns between glyphs, one piece per character when the
counts agree. A text never read ("SER 10") is composed from those pieces with the spacing the read labels
show. Nothing of the renderer is assumed: font, size and spacing all come from the item's own images.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.signal import fftconvolve

from tools.perception.atoms import GREY_SATURATION, LABEL, classify_pixels, load_rgb
from tools.perception.hull import ImageLike
from tools.perception.labels import LabelReading

MIN_READ_CONFIDENCE = 0.8  # only confident readings give glyphs
HEIGHT_SLACK_PX = 1  # antialiasing moves a glyph's first or last row by one
MAX_WIDTH_RATIO = 2.0  # a piece this much wider than the label's median is two glyphs run together
SLOT_MARGIN = 0.02  # a character's own glyph must beat every rival glyph by this much at its slot


@dataclass
class Composed:
    template: np.ndarray  # soft text ink, one-pixel margin
    spans: list[tuple[str, int, int]]  # each character and its columns [start, end) in the template
    centre: tuple[float, float]  # (column, row) of the text's centroid from the template's top-left


@dataclass
class Glyphs:
    """Character pieces (soft ink) and the spacing between them."""

    pieces: dict[str, list[np.ndarray]]
    gap: float  # columns between two characters of one word
    space: float  # columns between the words of a residue label
    height: int  # rows of a capital or a digit

    @property
    def size(self) -> tuple[float, float]:
        """(height, width) of one character in px."""
        return float(self.height), float(np.median([p.shape[1] for ps in self.pieces.values() for p in ps]))

    def piece(self, ch: str) -> np.ndarray:
        """The character's piece of median width (robust to a piece with a neighbour's fringe)."""
        samples = sorted(self.pieces[ch], key=lambda p: p.shape[1])
        return samples[len(samples) // 2]

    def compose(self, text: str) -> Composed | None:
        """The text as a template, or None if one of its characters was never read."""
        if any(ch != " " and ch not in self.pieces for ch in text):
            return None
        col, after_space = 1, False
        placed: list[tuple[str, int, np.ndarray]] = []
        for ch in text:
            if ch == " ":
                after_space = True
                continue
            if placed:
                col += round(self.space if after_space else self.gap)
            piece = self.piece(ch)
            placed.append((ch, col, piece))
            col += piece.shape[1]
            after_space = False
        tmpl = np.zeros((self.height + 2, col + 1))
        for _, c0, piece in placed:
            h = min(piece.shape[0], self.height)
            tmpl[1 : 1 + h, c0 : c0 + piece.shape[1]] = piece[:h]
        rows, cols = np.nonzero(tmpl > 0.5)
        return Composed(
            template=tmpl,
            spans=[(ch, c0, c0 + p.shape[1]) for ch, c0, p in placed],
            centre=(float(cols.mean()), float(rows.mean())),
        )

    def slot_score(self, rows: np.ndarray, centre: float, ch: str) -> float:
        """How well `ch`'s piece, centred on column `centre` (±1 px) of a text band, explains it."""
        piece = np.pad(self.piece(ch), 1)
        c0 = int(round(centre - piece.shape[1] / 2.0)) - 1
        patch = rows[:, max(0, c0) : c0 + piece.shape[1] + 2]
        if patch.shape[0] < piece.shape[0] or patch.shape[1] < piece.shape[1]:
            return -1.0
        return float(ncc_map(patch, piece).max())

    def spells(self, composed: Composed, stack: np.ndarray) -> bool:
        """In a patch holding one label alone (template size, one-pixel margin), each character's slot
        looks more like that character than like any rival of its kind (the label grammar fixes which
        slots hold letters and which digits: O and 0 look alike)."""
        for ch, a, b in composed.spans:
            rivals = [k for k in self.pieces if k != ch and k.isdigit() == ch.isdigit()]
            if not rivals:
                continue
            centre = 1 + (a + b) / 2.0
            own = self.slot_score(stack, centre, ch)
            if own < max(self.slot_score(stack, centre, k) for k in rivals) + SLOT_MARGIN:
                return False
        return True

    def explains(self, text: str, stack: np.ndarray) -> Fit | None:
        """How well the composed text fits a patch holding one label alone; None if the text cannot be
        composed or is larger than the patch."""
        composed = self.compose(text)
        if composed is None:
            return None
        t = composed.template
        if t.shape[0] > stack.shape[0] or t.shape[1] > stack.shape[1]:
            return None
        ncc = ncc_map(stack, t)
        r, c = np.unravel_index(int(np.argmax(ncc)), ncc.shape)
        window = np.pad(stack, 1)[r : r + t.shape[0] + 2, c : c + t.shape[1] + 2]
        return Fit(score=float(ncc[r, c]), spelt=self.spells(composed, window))


@dataclass
class Fit:
    score: float  # correlation of the composed text with the patch, at its best place
    spelt: bool  # each character's slot looks most like that character


def text_ink(image: ImageLike) -> np.ndarray:
    """Label text as floats: label pixels' brightness relative to the brightest text, 0 elsewhere. Soft
    glyph edges (antialiasing) keep their grey, so composed text matches drawn text closely."""
    rgb = load_rgb(image)
    label, relative = _relative_brightness(rgb)
    return np.where(label, relative, 0.0)


def neutral_ink(image: ImageLike) -> np.ndarray:
    """Every unsaturated pixel's brightness relative to the brightest text: the text with its thinnest
    strokes (a prime antialiases to grey and is classed as carbon) and grey carbon too. Stacked over the
    views, carbons fall away (they project elsewhere in each) and a label's own strokes stay."""
    return ink_layers(image)[1]


def ink_layers(image: ImageLike) -> tuple[np.ndarray, np.ndarray]:
    """(text_ink, neutral_ink) of one image, from one load and one classification."""
    rgb = load_rgb(image)
    label, relative = _relative_brightness(rgb)
    value, low = rgb.max(axis=2), rgb.min(axis=2)
    saturation = np.where(value > 0, (value - low) / np.maximum(value, 1e-9), 1.0)
    return np.where(label, relative, 0.0), np.where(saturation < GREY_SATURATION, relative, 0.0)


def _relative_brightness(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The label-text mask, and every pixel's brightness relative to the brightest text (so an image
    dimmed as a whole keeps its ink)."""
    class_map, _ = classify_pixels(rgb)
    value = rgb.max(axis=2)
    label = class_map == LABEL
    top = float(np.percentile(value[label], 99.5)) if label.any() else 1.0
    return label, np.clip(value / max(top, 1e-6), 0.0, 1.0)


def _pieces(text: str, soft: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]] | None:
    """A label's text cut to its rows and split into one run of columns per character, or None."""
    chars = text.replace(" ", "")
    if not chars.replace("'", "").isalnum():
        return None
    rows = np.flatnonzero((soft > 0.5).any(axis=1))
    if not len(rows):
        return None
    soft = soft[rows[0] : rows[-1] + 1]
    runs = _runs(np.asarray((soft > 0.5).any(axis=0)))
    if len(runs) != len(chars):
        return None
    widths = np.array([b - a for a, b in runs])
    if widths.max() > MAX_WIDTH_RATIO * np.median(widths):
        return None
    return soft, runs


def harvest(
    readings: Mapping[str, LabelReading],
    ink: Mapping[str, np.ndarray],
    extra: list[tuple[str, np.ndarray]] | None = None,
) -> Glyphs | None:
    """Glyphs from every confidently read label whose pieces match its characters one to one and whose
    height is the labels' usual one (a taller crop holds two labels). `ink`: each view's text_ink;
    `extra`: more (text, patch of that text alone) pairs, such as labels read in stacked views."""
    found: list[tuple[str, np.ndarray, list[tuple[int, int]]]] = []
    crops = [
        (lab.text, ink[view][lab.box[1] : lab.box[3] + 1, lab.box[0] : lab.box[2] + 1])
        for view, reading in readings.items()
        for lab in reading.labels
        if lab.confidence >= MIN_READ_CONFIDENCE
    ]
    for text, soft in crops + list(extra or []):
        cut = _pieces(text, soft)
        if cut is not None:
            found.append((text, *cut))
    if not found:
        return None
    height = int(np.median([soft.shape[0] for _, soft, _ in found]))
    pieces: dict[str, list[np.ndarray]] = {}
    gaps: list[int] = []
    spaces: list[int] = []
    for text, soft, runs in found:
        if abs(soft.shape[0] - height) > HEIGHT_SLACK_PX:
            continue
        for ch, (a, b) in zip(text.replace(" ", ""), runs):
            pieces.setdefault(ch, []).append(soft[:, a:b])
        word_ends = set((np.cumsum([len(w) for w in text.split()]) - 1)[:-1])
        for i in range(len(runs) - 1):
            (spaces if i in word_ends else gaps).append(int(runs[i + 1][0] - runs[i][1]))
    if not pieces or not gaps:
        return None
    space = float(np.median(spaces)) if spaces else 3.0 * float(np.median(gaps))
    return Glyphs(pieces=pieces, gap=float(np.median(gaps)), space=space, height=height + HEIGHT_SLACK_PX)


def _runs(cols: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True in a 1-D boolean array, as [start, end)."""
    edges = np.diff(np.concatenate([[0], cols.astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def ncc_map(image: np.ndarray, tmpl: np.ndarray) -> np.ndarray:
    """Normalised cross-correlation of `tmpl` at every top-left position where it fits in `image`
    (−1 where the image is flat)."""
    t = tmpl - tmpl.mean()
    ones = np.ones_like(tmpl)
    num = fftconvolve(image, t[::-1, ::-1], mode="valid")
    s1 = fftconvolve(image, ones, mode="valid")
    s2 = fftconvolve(image * image, ones, mode="valid")
    var = np.maximum(s2 - s1 * s1 / tmpl.size, 0.0)
    denom = np.sqrt(var) * float(np.sqrt((t * t).sum()))
    return np.where(denom > 1e-6, num / np.maximum(denom, 1e-12), -1.0)


def coverage_map(image: np.ndarray, tmpl: np.ndarray) -> np.ndarray:
    """At every top-left position, how much of the template's ink the image has there (1: all of it)."""
    return fftconvolve(image, tmpl[::-1, ::-1], mode="valid") / float((tmpl * tmpl).sum())
