"""Every text label in an item image: where it is, what it says, and how sure the reading is.

Labels are white text on the render (residues "RES NUM" at their CA, ligand atoms by name at the atom).
The engine reads the grey pixels only (coloured sticks dropped), inverted to dark text on white; the
label class of `tools.perception.atoms` gives each reading's centre. The engine is RapidOCR with the
ONNX models its wheel ships (no download at run time). A detected line is then parsed by the grammar
of the two kinds of label: a residue is one of the amino-acid (or nucleotide, water, ion) codes followed
by its number; a ligand atom name is an element symbol followed by digits and letters. Characters the
engine confuses (O/0, I/1, S/5, B/8) are corrected only where the grammar demands a letter or a digit,
and the correction lowers the confidence. Text that fits neither grammar is reported as unread, never
turned into a label.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel

from tools.perception.atoms import GREY_SATURATION, LABEL, classify_pixels, load_rgb

RESIDUE_CODES = frozenset(
    [
        "ALA",
        "ARG",
        "ASN",
        "ASP",
        "CYS",
        "GLN",
        "GLU",
        "GLY",
        "HIS",
        "ILE",
        "LEU",
        "LYS",
        "MET",
        "PHE",
        "PRO",
        "SER",
        "THR",
        "TRP",
        "TYR",
        "VAL",
        "MSE",
        "SEC",
        "PYL",
        "HID",
        "HIE",
        "HIP",
        "CYX",
        "ASH",
        "GLH",
        "LYN",
        "HOH",
    ]
)
_ELEMENTS = ("CL", "BR", "C", "N", "O", "S", "P", "F", "I", "B", "H")
_TO_DIGIT = {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"}
_TO_LETTER = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}
UPSCALE = 2  # glyphs of 12-15 px read better at twice their size
ENGINE_NAME = "rapidocr-onnxruntime"
READER_VERSION = 6  # part of the cache key: a new parser must not reuse old readings

LabelKind = Literal["residue", "atom"]


class Label(BaseModel):
    """One label read in one image. Pixel coordinates: column right, row down, from the top-left."""

    text: str  # the normalised reading: "ARG 45" or "O1B"
    kind: LabelKind
    raw: str  # what the engine read for the whole line this label came from
    box: tuple[int, int, int, int]  # column min, row min, column max, row max
    centre: tuple[float, float]  # (column, row): centroid of the label's text pixels
    confidence: float  # engine confidence, lowered by corrections and by overlap with other text


class Unread(BaseModel):
    """Text the engine saw that fits no label grammar (overlapping labels, fragments)."""

    raw: str
    box: tuple[int, int, int, int]
    confidence: float


class LabelReading(BaseModel):
    image_size: tuple[int, int]  # (width, height)
    engine: str
    labels: list[Label]
    unread: list[Unread]

    def find(self, text: str) -> list[Label]:
        want = normalise_query(text)
        return [lab for lab in self.labels if lab.text == want]

    def unique(self) -> dict[str, Label]:
        """Labels whose text occurs once in this image (the only ones usable as correspondences)."""
        counts: dict[str, int] = {}
        for lab in self.labels:
            counts[lab.text] = counts.get(lab.text, 0) + 1
        return {lab.text: lab for lab in self.labels if counts[lab.text] == 1}


def normalise_query(text: str) -> str:
    t = " ".join(text.upper().split())
    m = re.fullmatch(r"([A-Z]{3}) ?(-?\d+[A-Z]?)", t)
    return f"{m.group(1)} {m.group(2)}" if m else t


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(print_verbose=False)


def _fix(chars: str, table: dict[str, str]) -> tuple[str, int]:
    out = [table.get(c, c) for c in chars]
    return "".join(out), sum(1 for a, b in zip(chars, out) if a != b)


_RESIDUE_RE = re.compile(r"(?<![A-Z0-9])([A-Z0-9]{3})\s*([0-9OIDQSLBZG]{1,4})(?![0-9])")
# an atom name starts with its element's letter; the engine reads a leading O as the digit 0
# and a sugar's atoms carry a prime (C5', O2')
_ATOM_RE = re.compile(r"(?<![A-Z0-9])([A-Z0][A-Z]?[0-9OIZSB]{0,3}[A-Z0-9]{0,2}'?)(?![A-Z0-9])")


def _nearest_code(name: str) -> str | None:
    """The one residue code a single misread character away from `name`, if exactly one is."""
    close = [c for c in RESIDUE_CODES if sum(a != b for a, b in zip(c, name)) == 1]
    return close[0] if len(close) == 1 else None


def _parse_residue(token: str, number: str) -> tuple[str, int] | None:
    name, n1 = _fix(token, _TO_LETTER)
    if name not in RESIDUE_CODES:
        near = _nearest_code(name)
        if near is None:
            return None
        name, n1 = near, n1 + 2  # a substituted letter counts as two corrections
    digits, n2 = _fix(number, _TO_DIGIT)
    if not digits.isdigit():
        return None
    return f"{name} {int(digits)}", n1 + n2


def _parse_atom(token: str) -> tuple[str, int] | None:
    """A ligand atom name: element symbol, then at least one digit (names such as O1B, C12, N3, CL1)."""
    if len(token) < 2 or len(token) > 5:
        return None
    if token.endswith("'"):
        parsed = _parse_atom(token[:-1])
        return (parsed[0] + "'", parsed[1]) if parsed else None
    if token[0] == "0" and token[1].isdigit():  # no name starts with a digit: an O, without a doubt
        return _parse_atom("O" + token[1:])
    if token[0] == "Q" and token[1].isdigit():  # nor with a Q, which is how the engine reads a bold O
        parsed = _parse_atom("O" + token[1:])
        return (parsed[0], parsed[1] + 1) if parsed else None
    for el in _ELEMENTS:
        if token.startswith(el) and len(token) > len(el):
            rest = token[len(el) :]
            head = rest[0]
            digit, fixes = _fix(head, _TO_DIGIT)
            if not digit.isdigit():
                continue
            return el + digit + rest[1:], fixes
    return None


def parse_line(text: str) -> tuple[list[tuple[str, LabelKind, int, int, int]], str]:
    """Labels in one OCR line: (reading, kind, corrections, start, end) by character span; and the rest."""
    t = text.upper().replace("|", "I").replace("`", "'").replace("\u2019", "'")
    found: list[tuple[str, LabelKind, int, int, int]] = []
    taken = [False] * len(t)
    for m in _RESIDUE_RE.finditer(t):
        parsed = _parse_residue(m.group(1), m.group(2))
        if parsed:
            # a letter right after the number: another label overlaps it, and the number may be cut
            merged = 3 if t[m.end() : m.end() + 1].isalpha() else 0
            found.append((parsed[0], "residue", parsed[1] + merged, m.start(), m.end()))
            for k in range(m.start(), m.end()):
                taken[k] = True
    masked = "".join(" " if taken[k] else c for k, c in enumerate(t))
    for m in _ATOM_RE.finditer(masked):
        parsed = _parse_atom(m.group(1))
        if parsed:
            found.append((parsed[0], "atom", parsed[1], m.start(), m.end()))
            for k in range(m.start(), m.end()):
                taken[k] = True
    rest = "".join(" " if taken[k] else c for k, c in enumerate(t)).strip()
    return sorted(found, key=lambda f: f[3]), rest


def label_mask(image: str | Path | Image.Image | np.ndarray) -> np.ndarray:
    class_map, _ = classify_pixels(load_rgb(image))
    return class_map == LABEL


def _centroid(mask: np.ndarray, box: tuple[int, int, int, int]) -> tuple[float, float] | None:
    c0, r0, c1, r1 = box
    sub = mask[r0 : r1 + 1, c0 : c1 + 1]
    rows, cols = np.nonzero(sub)
    if len(rows) == 0:
        return None
    return float(cols.mean() + c0), float(rows.mean() + r0)


def _cache_path(digest: str) -> Path | None:
    root = os.environ.get("MOLSPATIAL_CACHE")
    if not root:
        return None
    return Path(root) / "ocr" / f"{ENGINE_NAME}-v{READER_VERSION}-{digest}.json"


def read_labels(image: str | Path | Image.Image | np.ndarray) -> LabelReading:
    """Read every label of one image. Results are cached by the image's pixels (SHA-256)."""
    rgb = load_rgb(image)
    pixels = (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)
    digest = hashlib.sha256(pixels.tobytes() + str(pixels.shape).encode()).hexdigest()[:24]
    cached = _cache_path(digest)
    if cached is not None and cached.is_file():
        try:
            return LabelReading.model_validate_json(cached.read_text())
        except ValueError:
            pass
    reading = _read(pixels)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(reading.model_dump_json())
        os.replace(tmp, cached)
    return reading


def ocr_page(rgb: np.ndarray) -> np.ndarray:
    """What the engine reads: the brightness of grey pixels, inverted (dark text on white), colours dropped.

    Grey levels rather than the binary label mask: labels dimmed by depth cueing, or crossing a stick, keep
    their strokes (a threshold cuts them), while coloured sticks vanish. Measured on the bundled renders
    (`python -m eval.perf.perception`): more labels read and fewer misread than on the binary mask.
    """
    value = rgb.max(axis=2)
    saturation = np.where(value > 0, (value - rgb.min(axis=2)) / np.maximum(value, 1e-9), 0.0)
    grey = np.where(saturation < GREY_SATURATION, value, 0.0)
    return (255 - np.clip(grey, 0, 1) * 255 + 0.5).astype(np.uint8)


def ocr_lines(page: Image.Image) -> list[tuple[tuple[int, int, int, int], str, float]]:
    """The engine's text lines on a page of dark text on white: (box in the page's pixels, text, score)."""
    w, h = page.size
    big = page.resize((w * UPSCALE, h * UPSCALE), Image.Resampling.LANCZOS).convert("RGB")
    with _lock:  # one ONNX session shared by threads
        result, _ = _engine()(np.asarray(big), use_cls=False)
    out = []
    for quad, text, score in result or []:
        xs = [p[0] / UPSCALE for p in quad]
        ys = [p[1] / UPSCALE for p in quad]
        box = (max(0, int(min(xs))), max(0, int(min(ys))), min(w - 1, int(max(xs))), min(h - 1, int(max(ys))))
        out.append((box, str(text), float(score)))
    return out


def _read(pixels: np.ndarray) -> LabelReading:
    mask = label_mask(pixels)
    h, w = mask.shape
    labels: list[Label] = []
    unread: list[Unread] = []
    for box, text, conf in ocr_lines(Image.fromarray(ocr_page(load_rgb(pixels)))):
        found, rest = parse_line(text)
        n = max(1, len(text))
        for reading, kind, fixes, start, end in found:
            # the label's share of the line box, by character position
            c0 = box[0] + (box[2] - box[0]) * start / n
            c1 = box[0] + (box[2] - box[0]) * end / n
            sub = (int(c0), box[1], int(np.ceil(c1)), box[3])
            centre = _centroid(mask, sub) or ((c0 + c1) / 2, (box[1] + box[3]) / 2)
            penalty = 0.8**fixes * (0.85 if rest else 1.0)
            labels.append(
                Label(
                    text=reading,
                    kind=kind,
                    raw=text,
                    box=sub,
                    centre=(round(centre[0], 2), round(centre[1], 2)),
                    confidence=round(conf * penalty, 3),
                )
            )
        if rest and not found:
            unread.append(Unread(raw=text, box=box, confidence=round(conf, 3)))
    return LabelReading(image_size=(w, h), engine=ENGINE_NAME, labels=labels, unread=unread)


def reading_summary(reading: LabelReading) -> str:
    return json.dumps({"labels": len(reading.labels), "unread": len(reading.unread)})
