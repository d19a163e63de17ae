"""In-plane registration of two images: shift, rotation and scale of image b relative to image a.

Rotation and scale come from the log-polar transform of the two images' Fourier magnitude spectra,
which a translation does not change (Reddy & Chatterji 1996, as in scikit-image's "Using Polar and
Log-Polar Transformations for Registration" example). The shift is then measured by phase correlation
after undoing the rotation and scale. All three are scikit-image calls; nothing here is a new FFT
registration.

Conventions (screen space, tools/camera.py): b ≈ a rotated counter-clockwise by `rotation_deg` and
scaled by `scale` about the image centre, then moved by `shift_px` = (dx, dy) with dx to the right and
dy UP (the opposite sign of image rows). Pixel units are those of the images as given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from skimage.color import rgb2gray
from skimage.filters import difference_of_gaussians, window
from skimage.metrics import structural_similarity
from skimage.registration import phase_cross_correlation
from skimage.transform import AffineTransform, warp, warp_polar

ImageLike = Image.Image | np.ndarray

UPSAMPLE = 20  # phase correlation precision: 1/20 pixel (or 1/20 of a polar bin)
ANGLE_BINS = 720  # polar rows over 360°: 0.5° per bin before upsampling


@dataclass(frozen=True)
class Similarity:
    """Mean SSIM of a and b as given, and of a and b after undoing the estimated motion
    (over the pixels that stay inside b)."""

    before: float
    after: float


@dataclass(frozen=True)
class Registration:
    """b ≈ a rotated by `rotation_deg` and scaled by `scale` about the centre, then moved by `shift_px`."""

    shift_px: tuple[float, float]  # (dx right +, dy up +) of b's content relative to a, after rotation/scale
    rotation_deg: float  # counter-clockwise on screen, about the image centre, in (-180, 180]
    scale: float  # > 1: b's content appears larger than a's
    similarity: Similarity


def to_gray(image: ImageLike) -> np.ndarray:
    """Grayscale float64 in [0, 1]; alpha is dropped (renders are opaque on black)."""
    if isinstance(image, Image.Image):
        image = np.asarray(image.convert("RGB"))
    arr = np.asarray(image)
    scale = 255.0 if arr.dtype == np.uint8 else 65535.0 if arr.dtype == np.uint16 else 1.0
    arr = arr.astype(np.float64) / scale
    if arr.ndim == 3:
        arr = rgb2gray(arr[..., :3]) if arr.shape[2] >= 3 else arr[..., 0]
    return arr


def _centre(shape: tuple[int, ...]) -> np.ndarray:
    """Image centre in (column, row) pixel coordinates."""
    return np.array([(shape[1] - 1) / 2.0, (shape[0] - 1) / 2.0])


def similarity_transform(
    shape: tuple[int, ...], rotation_deg: float, scale: float, shift_px: tuple[float, float] = (0.0, 0.0)
) -> AffineTransform:
    """The motion a → b in (column, row) pixel coordinates, in this module's screen conventions."""
    t = np.deg2rad(rotation_deg)
    # counter-clockwise on screen is clockwise in (column, row-down) coordinates
    linear = scale * np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]])
    c = _centre(shape)
    matrix = np.eye(3)
    matrix[:2, :2] = linear
    matrix[:2, 2] = c + np.array([shift_px[0], -shift_px[1]]) - linear @ c
    return AffineTransform(matrix=matrix)


def _spectrum(gray: np.ndarray) -> np.ndarray:
    """Band-passed, windowed magnitude spectrum of the central square (a rotation of a
    non-square image is not a rotation of its spectrum, whose bins differ in width along the axes)."""
    side = min(gray.shape)
    r0, c0 = (gray.shape[0] - side) // 2, (gray.shape[1] - side) // 2
    square = gray[r0 : r0 + side, c0 : c0 + side]
    # the band-pass drops the mean and the smooth background that would swamp the low frequencies
    filtered = difference_of_gaussians(square, 1.0)
    return np.abs(np.fft.fftshift(np.fft.fft2(filtered * window("hann", square.shape))))


def estimate_rotation_scale(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Rotation (degrees, in (-90, 90]: a magnitude spectrum cannot tell θ from θ + 180°) and scale."""
    fa, fb = _spectrum(a), _spectrum(b)
    radius = fa.shape[0] // 4  # the lower frequencies, where the signal is
    shape = (ANGLE_BINS, fa.shape[0])
    pa = warp_polar(fa, radius=radius, output_shape=shape, scaling="log", order=1)
    pb = warp_polar(fb, radius=radius, output_shape=shape, scaling="log", order=1)
    half = ANGLE_BINS // 2  # the spectrum is point-symmetric: half the angles carry everything
    shift, _, _ = phase_cross_correlation(pa[:half], pb[:half], upsample_factor=UPSAMPLE, normalization=None)
    rotation = float(shift[0]) * 360.0 / ANGLE_BINS
    rotation = (rotation + 90.0) % 180.0 - 90.0
    scale = float(np.exp(shift[1] * np.log(radius) / shape[1]))
    return rotation, scale


def _shift_after(a: np.ndarray, b: np.ndarray, rotation: float, scale: float) -> tuple[float, float]:
    """The shift (screen dx, dy) that completes the motion a → b once rotation and scale are known."""
    rs = similarity_transform(a.shape, rotation, scale)
    undone, inside = aligned(b, rs)  # undone(p) = b(RS p): a moved by (RS)⁻¹t
    # fill what came from outside b with its mean: zeros there make edges that can win the correlation
    undone = np.where(inside, undone, undone[inside].mean() if inside.any() else 0.0)
    # phase_cross_correlation returns the (row, column) shift that registers `undone` onto `a`
    found, _, _ = phase_cross_correlation(a, undone, upsample_factor=UPSAMPLE, disambiguate=True)
    moved = np.array([-found[1], -found[0]])  # (column, row) motion of a's content in `undone`
    t = rs.params[:2, :2] @ moved
    return float(t[0]), float(-t[1])


def _ssim(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> float:
    _, ssim_map = structural_similarity(a, b, data_range=1.0, full=True)
    return float(ssim_map[mask].mean()) if mask is not None and mask.any() else float(ssim_map.mean())


def aligned(b: np.ndarray, motion: AffineTransform) -> tuple[np.ndarray, np.ndarray]:
    """b with `motion` undone (so it overlays a) and the mask of pixels that came from inside b."""
    back = warp(b, motion, order=1, mode="constant", cval=0.0)
    inside = warp(np.ones_like(b), motion, order=0, mode="constant", cval=0.0) > 0.5
    return back, inside


def register(a: ImageLike, b: ImageLike) -> Registration:
    """How b's content moved relative to a's: rotation and scale about the centre, then shift."""
    ga, gb = to_gray(a), to_gray(b)
    if ga.shape != gb.shape:
        raise ValueError(
            f"images differ in size: {ga.shape[1]}x{ga.shape[0]} and {gb.shape[1]}x{gb.shape[0]}"
        )
    if min(ga.shape) < 16:
        raise ValueError(
            f"images are too small to register ({ga.shape[1]}x{ga.shape[0]}; need 16 px or more)"
        )
    rotation, scale = estimate_rotation_scale(ga, gb)
    best: tuple[float, float, float, tuple[float, float]] | None = None
    # the spectrum leaves θ and θ + 180° open; a near-identity candidate guards against spurious peaks
    for rot, sc in ((rotation, scale), (rotation + 180.0, scale), (0.0, 1.0)):
        shift = _shift_after(ga, gb, rot, sc)
        back, inside = aligned(gb, similarity_transform(ga.shape, rot, sc, shift))
        score = _ssim(ga, back, inside)
        if best is None or score > best[0] + 1e-6:
            best = (score, rot, sc, shift)
    assert best is not None
    score, rot, sc, shift = best
    rot = (rot + 180.0) % 360.0 - 180.0
    if rot == -180.0:
        rot = 180.0
    return Registration(
        shift_px=shift,
        rotation_deg=rot,
        scale=sc,
        similarity=Similarity(before=_ssim(ga, gb), after=score),
    )
