"""Labels read where they overlap: the standard views' text stacked at each label's point of space.

Labels face the camera in every view and are drawn on top of everything. At a label's point of space each
view therefore holds that label's strokes, while the labels crossing it differ from view to view (they
sit at other points, which project elsewhere). The pixel-wise minimum of the six views' text at the
point is the label alone, legible even where every single view is a tangle of overlapping names.

The points are found without reading anything: a point is a candidate where every view has text around
its projection; along the one axis that each view sees only along the text direction (the front frame's
X: horizontal in front, back, top and bottom), the candidate slides to where the stacked text is densest,
which is where the views' copies of one label line up. The stacked patches are read by the OCR engine in
one pass, and parsed by the label grammar (tools.perception.labels). A text read at two separate points
is dropped: it cannot say which one it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage
from scipy.spatial import cKDTree

from tools.camera import view_matrix
from tools.perception.glyphs import Glyphs, harvest
from tools.perception.labels import LabelKind, LabelReading, ocr_lines, parse_line

MIN_VIEWS = 6  # with three views, other text meets by chance (3 of 12 readings wrong on one scene)
BOX_INK = 0.22  # mean text ink a glyph-sized box around a label's centre has in every view
MIN_STACK_GLYPHS = 1.2  # ink of the stacked patch, in glyph areas at BOX_INK, that a label needs
MAX_CANDIDATES = 6000
MIN_FIT = 0.6  # correlation of a reading, composed from the glyphs, with its stacked patch
SURE_CONFIDENCE = 0.85  # engine confidence (after grammar corrections) that needs no further check
MAX_LABELS = 700  # densest stacks read per scene
PAGE_COLUMNS = 5
CELL_MARGIN = 12  # white pixels between stacked patches on the OCR page
PAGE_ROWS = 18  # patches per page column: keeps a page within the OCR engine's input size
SHORT_NAME = 2  # atom names this long are often a longer label read in part ("O3" of "O3'", "C1" of "C17")
PRIME_INK = 0.25  # neutral ink a prime's pixel keeps in every view (it antialiases to grey)
PRIME_PX = 7  # such pixels that make a prime: on bundled scenes, 6 of 8 primes seen have 9 or more and
# 68 of 70 short names that end where read have fewer than 5
TRAIL_PX = 4  # pixels of text beside a reading, in every view (one pixel of slack), that continue its label


@dataclass
class StackedLabel:
    text: str
    kind: LabelKind
    xyz_px: tuple[float, float, float]  # front frame, pixels, origin at the image centre
    confidence: float  # the engine's, lowered by grammar corrections
    raw: str  # what the engine read in the stacked patch
    fit: float | None = None  # correlation of the reading, composed from the glyphs, with the patch
    whole: bool = True  # for a short atom name: nothing in the views says it is part of a longer label


class _Stack:
    """Patches of every view's text at a point of space, and their minimum."""

    def __init__(self, ink: Mapping[str, np.ndarray], glyph: tuple[float, float]):
        self.ink = dict(ink)
        self.mats = {v: view_matrix(v) for v in ink}
        self.h, self.w = next(iter(ink.values())).shape
        gh, gw = glyph
        self.ph = int(round(gh)) + 6
        self.pw = int(round(9 * gw))  # the longest labels ("ILE 126") and a margin
        self.padded = {
            v: np.pad(im, ((self.ph, self.ph), (2 * self.pw, 2 * self.pw))) for v, im in ink.items()
        }

    def patch(self, view: str, p: np.ndarray) -> np.ndarray:
        q = self.mats[view] @ p
        r0 = int(round(self.h / 2.0 - q[1] - self.ph / 2.0)) + self.ph
        c0 = int(round(self.w / 2.0 + q[0] - self.pw / 2.0)) + 2 * self.pw
        im = self.padded[view]
        r0, c0 = min(max(r0, 0), im.shape[0] - self.ph), min(max(c0, 0), im.shape[1] - self.pw)
        return im[r0 : r0 + self.ph, c0 : c0 + self.pw]

    def band(self, view: str, p: np.ndarray, reach: int) -> np.ndarray:
        """The patch at `p` widened by `reach` columns on each side."""
        q = self.mats[view] @ p
        r0 = int(round(self.h / 2.0 - q[1] - self.ph / 2.0)) + self.ph
        c0 = int(round(self.w / 2.0 + q[0] - self.pw / 2.0)) + 2 * self.pw - reach
        im = self.padded[view]
        r0 = min(max(r0, 0), im.shape[0] - self.ph)
        c0 = min(max(c0, 0), im.shape[1] - self.pw - 2 * reach)
        return im[r0 : r0 + self.ph, c0 : c0 + self.pw + 2 * reach]

    def stacked(self, p: np.ndarray) -> np.ndarray:
        return _least(np.array([self.patch(v, p) for v in self.ink]))

    def loose(self, p: np.ndarray) -> np.ndarray:
        """The stacked patch with a pixel of horizontal slack per view: thin strokes (a prime, a narrow
        digit) that one view's rounding moves by a pixel still count."""
        return _least(np.array([ndimage.maximum_filter(self.patch(v, p), size=(1, 3)) for v in self.ink]))

    def pixel(self, view: str, p: np.ndarray) -> tuple[float, float]:
        """(column, row) of a front-frame point in a view."""
        q = self.mats[view] @ p
        return self.w / 2.0 + q[0], self.h / 2.0 - q[1]

    def mass(self, p: np.ndarray) -> float:
        return float(self.stacked(p).sum())

    def agreement(self, p: np.ndarray) -> float:
        patches = np.array([self.patch(v, p) for v in self.ink])
        return float(_least(patches).sum() / max(float(patches.mean(axis=0).sum()), 1e-9))


def _least(patches: np.ndarray) -> np.ndarray:
    """Per pixel, what every view holds."""
    return patches.min(axis=0)


def read_stacked(
    ink: Mapping[str, np.ndarray],
    readings: Mapping[str, LabelReading],
    strokes: Mapping[str, np.ndarray] | None = None,
) -> list[StackedLabel]:
    """Every label legible in the stacked views. `ink`: the standard views' text ink
    (tools.perception.glyphs.text_ink), keyed by view name; `readings`: the engine's readings of the
    same views, whose characters give the glyph size and check each stacked reading; `strokes`: the views'
    neutral ink (tools.perception.glyphs.neutral_ink), where a short name's trailing prime is looked for."""
    if len(ink) < MIN_VIEWS:
        return []
    glyphs = harvest(readings, ink)
    if glyphs is None:
        return []
    glyph = glyphs.size
    stack = _Stack(ink, glyph)
    points = _candidates(stack, glyph)
    least = MIN_STACK_GLYPHS * BOX_INK * glyph[0] * glyph[1]
    aligned = [t for p in points for t in _align(stack, p, glyph)]
    settled = [_settle(stack, p) for p in _distinct(aligned, least, glyph[0] / 2.0)[:MAX_LABELS]]
    keep = _distinct([(stack.mass(p), p) for p in settled], least, glyph[0] / 2.0)
    if not keep:
        return []
    read = _read(stack, keep)
    # the stacked patches hold labels alone: confident readings of them add the characters the crowded
    # views never gave, and every reading is then checked against its composition
    sure = [(lab.text, patch) for lab, patch in read if lab.confidence >= SURE_CONFIDENCE]
    glyphs = harvest(readings, ink, sure) or glyphs
    read = [(lab, patch) for lab, patch in read if _verified(lab, patch, glyphs)]
    faint = _Stack(strokes, glyph) if strokes else None
    labels = [lab for lab, _ in read]
    for lab in labels:
        if lab.kind == "atom" and len(lab.text) <= SHORT_NAME:
            lab.whole = _whole(lab, stack, faint, readings, labels, glyphs)
    by_text: dict[str, list[StackedLabel]] = {}
    for lab, _ in read:
        by_text.setdefault(lab.text, []).append(lab)
    out = []
    for labs in by_text.values():
        spread = max(float(np.linalg.norm(np.subtract(a.xyz_px, labs[0].xyz_px))) for a in labs)
        if spread <= glyph[0]:  # one label, found from two candidates
            out.append(max(labs, key=lambda a: a.confidence))
    return sorted(out, key=lambda a: a.text)


def _candidates(stack: _Stack, glyph: tuple[float, float]) -> list[np.ndarray]:
    """Points where every view has text in a glyph-sized box around the projection, strongest first,
    at least half a glyph apart."""
    gh, gw = glyph
    size = (max(3, int(round(gh))), max(3, int(round(1.5 * gw))))
    dens = {v: ndimage.uniform_filter(im, size=size, mode="constant") for v, im in stack.ink.items()}
    views = list(dens)
    first = views[0]
    rows, cols = np.nonzero(dens[first][::2, ::2] >= BOX_INK)
    rows, cols = rows * 2, cols * 2
    u, v = cols - stack.w / 2.0, stack.h / 2.0 - rows
    depths = np.arange(-stack.w / 2.0, stack.w / 2.0, 2.0)
    found_p, found_s = [], []
    for k in range(0, len(u), 256):
        uu, vv = u[k : k + 256], v[k : k + 256]
        sight = np.stack(np.broadcast_arrays(uu[:, None], vv[:, None], depths[None, :]), axis=-1).reshape(
            -1, 3
        )
        pts = sight @ stack.mats[first]
        least = np.full(len(pts), np.inf)
        for view in views:
            q = pts @ stack.mats[view].T
            c = np.rint(stack.w / 2.0 + q[:, 0]).astype(int)
            r = np.rint(stack.h / 2.0 - q[:, 1]).astype(int)
            ok = (r >= 0) & (c >= 0) & (r < stack.h) & (c < stack.w)
            here = np.zeros(len(pts))
            here[ok] = dens[view][r[ok], c[ok]]
            least = np.minimum(least, here)
        good = least >= BOX_INK
        found_p.append(pts[good])
        found_s.append(least[good])
    if not found_p:
        return []
    pts, score = np.concatenate(found_p), np.concatenate(found_s)
    order = np.argsort(-score)
    pts = pts[order]
    tree = cKDTree(pts)
    taken = np.zeros(len(pts), dtype=bool)
    out = []
    for i in range(len(pts)):
        if taken[i]:
            continue
        out.append(pts[i])
        taken[tree.query_ball_point(pts[i], gh / 2.0)] = True
        if len(out) >= MAX_CANDIDATES:
            break
    return out


def _align(stack: _Stack, p: np.ndarray, glyph: tuple[float, float]) -> list[tuple[float, np.ndarray]]:
    """The points along X (which the views see only along the text) within three glyphs of `p` where the
    stacked text is locally densest: there the views' copies of one label line up."""
    reach = int(round(3 * glyph[1]))
    per_view = []
    for v in stack.ink:
        d = stack.mats[v] @ np.array([1.0, 0.0, 0.0])
        step = int(round(d[0]))
        if abs(d[1]) > 1e-6 or abs(abs(d[0]) - 1.0) > 1e-6 and abs(d[0]) > 1e-6:
            raise ValueError(f"view {v} is not a standard view")
        band = stack.band(v, p, reach)  # (ph, pw + 2 reach)
        if step == 0:
            per_view.append(
                np.broadcast_to(band[:, reach : reach + stack.pw], (2 * reach + 1, stack.ph, stack.pw))
            )
            continue
        windows = np.lib.stride_tricks.sliding_window_view(band, stack.pw, axis=1).transpose(1, 0, 2)
        per_view.append(windows if step > 0 else windows[::-1])
    masses = _least(np.array(per_view)).sum(axis=(1, 2))
    peaks = np.flatnonzero((masses == ndimage.maximum_filter1d(masses, size=5)) & (masses > 0))
    return [(float(masses[k]), np.array([p[0] + k - reach, p[1], p[2]])) for k in peaks]


def _settle(stack: _Stack, p: np.ndarray) -> np.ndarray:
    """Within a pixel in every direction, where the views agree best: the share of their mean text that
    all of them hold (other text only adds to the mean; a misaligned label takes from the minimum)."""
    for _ in range(2):
        p = max((p + np.array(d) - 1 for d in np.ndindex(3, 3, 3)), key=stack.agreement)
    return p


def _distinct(scored: list[tuple[float, np.ndarray]], least: float, radius: float) -> list[np.ndarray]:
    """The densest points at least `radius` apart whose stacked text weighs at least `least`."""
    scored = sorted((t for t in scored if t[0] >= least), key=lambda t: -t[0])
    if not scored:
        return []
    pts = np.array([p for _, p in scored])
    tree = cKDTree(pts)
    taken = np.zeros(len(pts), dtype=bool)
    out = []
    for i in range(len(pts)):
        if not taken[i]:
            out.append(pts[i])
            taken[tree.query_ball_point(pts[i], radius)] = True
    return out


def _verified(lab: StackedLabel, patch: np.ndarray, glyphs: Glyphs) -> bool:
    """A confident reading stands; a less confident one must be spelt by the patch, its text composed
    from the glyphs fitting it."""
    fit = glyphs.explains(lab.text, patch)
    if fit is not None:
        lab.fit = round(fit.score, 3)
    if lab.confidence >= SURE_CONFIDENCE:
        return True
    return fit is not None and fit.score >= MIN_FIT and fit.spelt


def _whole(
    lab: StackedLabel,
    stack: _Stack,
    faint: _Stack | None,
    readings: Mapping[str, LabelReading],
    others: list[StackedLabel],
    glyphs: Glyphs,
) -> bool:
    """Whether a short reading is its whole label: no longer name containing it is read at its point,
    in any one view or stacked, and no text continues it on either side in every view."""
    p = np.array(lab.xyz_px)

    def longer(text: str) -> bool:
        """'C53' holds 'C3' (a character lost in the stack), 'SER 203' holds 'O3' (0 and O look alike)."""
        rest = iter(text.replace(" ", "").replace("0", "O"))
        return len(text) > len(lab.text) and all(ch in rest for ch in lab.text.replace("0", "O"))

    near = glyphs.size[0]
    if any(longer(o.text) and np.linalg.norm(np.subtract(o.xyz_px, p)) < near for o in others):
        return False
    for view, reading in readings.items():
        if view not in stack.ink:
            continue
        col, row = stack.pixel(view, p)
        for other in reading.labels:
            c0, r0, c1, r1 = other.box
            if longer(other.text) and c0 - 2 <= col <= c1 + 2 and r0 - 2 <= row <= r1 + 2:
                return False
    return not _continued(stack.stacked(p), stack.loose(p), faint.loose(p) if faint else None, glyphs)


def _continued(stacked: np.ndarray, loose: np.ndarray, faint: np.ndarray | None, glyphs: Glyphs) -> bool:
    """Text beside the label read at the patch's centre: its run of columns (glyph gaps bridged) found in
    the stacked patch, then every view's text (with a pixel of slack) looked for in the width of one more
    glyph on each side, and every view's faint strokes for a prime just after it, in the upper half."""
    cols = np.flatnonzero((stacked > 0.5).any(axis=0))
    if not len(cols):
        return False
    bridge = int(round((glyphs.gap + glyphs.space) / 2.0))
    k = int(cols[np.argmin(np.abs(cols - stacked.shape[1] / 2.0))])
    a = b = k
    for c in cols[cols > k]:
        if c - b > bridge:
            break
        b = int(c)
    for c in cols[cols < k][::-1]:
        if a - c > bridge:
            break
        a = int(c)
    rows = np.flatnonzero((stacked[:, a : b + 1] > 0.5).any(axis=1))
    band = loose[max(0, int(rows[0]) - 1) : int(rows[-1]) + 2]
    reach = int(round(glyphs.gap + glyphs.size[1]))
    beside = [band[:, max(0, a - 1 - reach) : max(0, a - 1)], band[:, b + 2 : b + 2 + reach]]
    if any(int((z > 0.5).sum()) >= TRAIL_PX for z in beside):
        return True
    if faint is None:
        return False
    r0, r1 = int(rows[0]), int(rows[-1])
    top = faint[max(0, r0 - 1) : r0 + (r1 - r0) // 2 + 1, b + 2 : b + 2 + int(round(glyphs.gap)) + 4]
    return int((top > PRIME_INK).sum()) >= PRIME_PX


def _read(stack: _Stack, points: list[np.ndarray]) -> list[tuple[StackedLabel, np.ndarray]]:
    """OCR the stacked patches, laid out on pages; a patch's label is the one read at its centre."""
    ch, cw = stack.ph + 2 * CELL_MARGIN, stack.pw + 2 * CELL_MARGIN
    out = []
    per_page = PAGE_COLUMNS * PAGE_ROWS
    for start in range(0, len(points), per_page):
        chunk = points[start : start + per_page]
        rows = -(-len(chunk) // PAGE_COLUMNS)
        page = np.zeros((rows * ch, PAGE_COLUMNS * cw))
        for i, p in enumerate(chunk):
            r, c = divmod(i, PAGE_COLUMNS)
            page[
                r * ch + CELL_MARGIN : r * ch + CELL_MARGIN + stack.ph,
                c * cw + CELL_MARGIN : c * cw + CELL_MARGIN + stack.pw,
            ] = stack.stacked(p)
        grey = (255 - np.clip(page, 0, 1) * 255 + 0.5).astype(np.uint8)
        for box, text, score in ocr_lines(Image.fromarray(grey)):
            c0, r0, c1, r1 = box
            r, c = int((r0 + r1) / 2 // ch), int((c0 + c1) / 2 // cw)
            i = r * PAGE_COLUMNS + c
            if i >= len(chunk) or c >= PAGE_COLUMNS:
                continue
            # one label per patch: stray dots and commas are specks of other text, not separators
            text = text.replace(".", "").replace(",", "")
            found, _ = parse_line(text)
            n = max(1, len(text))
            centre = c * cw + CELL_MARGIN + stack.pw / 2.0
            for reading, kind, fixes, s0, s1 in found:
                mid = c0 + (c1 - c0) * (s0 + s1) / (2.0 * n)
                if abs(mid - centre) > stack.pw / 6.0:  # a coincidence of other text, off the centre
                    continue
                p = chunk[i]
                out.append(
                    (
                        StackedLabel(
                            text=reading,
                            kind=kind,
                            xyz_px=(round(float(p[0]), 2), round(float(p[1]), 2), round(float(p[2]), 2)),
                            confidence=round(float(score) * 0.8**fixes, 3),
                            raw=text,
                        ),
                        stack.stacked(p),
                    )
                )
    return out
