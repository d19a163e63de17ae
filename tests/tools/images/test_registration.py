"""Registration recovers known in-plane motions on real images: microscopy frames and molecular renders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage.transform import warp

from tools.images.registration import register, similarity_transform, to_gray

FRAMES = Path(__file__).resolve().parents[3] / "eval" / "data" / "videos" / "trackpy_bulk_water"
SHIFT_TOL = 1.0  # px
ROTATION_TOL = 2.0  # degrees
SCALE_TOL = 0.03  # relative


def frame(i: int) -> np.ndarray:
    return to_gray(Image.open(FRAMES / f"bulk_water_{i:03d}.png"))


def centre_crop(image: np.ndarray, side: int = 300) -> np.ndarray:
    """Central square: both images then hold only real pixels (no fill from outside the frame)."""
    r0, c0 = (image.shape[0] - side) // 2, (image.shape[1] - side) // 2
    return image[r0 : r0 + side, c0 : c0 + side]


def moved(image: np.ndarray, rotation: float, scale: float, shift: tuple[float, float]) -> np.ndarray:
    """The image after the motion, in register()'s conventions (ccw degrees, screen y up)."""
    return warp(image, similarity_transform(image.shape, rotation, scale, shift).inverse, order=3)


def test_shift_between_two_real_frames() -> None:
    """Frame 1 seen through a window offset from frame 0's: the particles also diffused in between."""
    a0, a1 = frame(0), frame(1)
    dx, dy = 13, 7  # content moves right by 13 px and up by 7 px
    a = a0[50:350, 100:500]
    b = a1[50 + dy : 350 + dy, 100 - dx : 500 - dx]
    reg = register(a, b)
    assert reg.shift_px == pytest.approx((dx, dy), abs=SHIFT_TOL)
    assert abs(reg.rotation_deg) < ROTATION_TOL
    assert reg.scale == pytest.approx(1.0, rel=SCALE_TOL)
    assert reg.similarity.after > reg.similarity.before


def test_subpixel_shift() -> None:
    a0 = frame(0)
    reg = register(centre_crop(a0), centre_crop(moved(a0, 0.0, 1.0, (7.3, -4.6))))
    assert reg.shift_px == pytest.approx((7.3, -4.6), abs=0.5)


@pytest.mark.parametrize(
    ("rotation", "scale", "shift"),
    [
        (10.0, 1.0, (5.0, -3.0)),
        (-25.0, 1.1, (5.0, -3.0)),
        (120.0, 0.95, (-12.0, 8.0)),
        (-170.0, 1.0, (3.0, 3.0)),
    ],
)
def test_rotation_scale_and_shift(rotation: float, scale: float, shift: tuple[float, float]) -> None:
    a0 = frame(0)
    reg = register(centre_crop(a0), centre_crop(moved(a0, rotation, scale, shift)))
    assert (reg.rotation_deg - rotation + 180.0) % 360.0 - 180.0 == pytest.approx(0.0, abs=ROTATION_TOL)
    assert reg.scale == pytest.approx(scale, rel=SCALE_TOL)
    assert reg.shift_px == pytest.approx(shift, abs=SHIFT_TOL)
    assert reg.similarity.after > reg.similarity.before


def test_same_scene_is_identity() -> None:
    reg = register(frame(0), frame(0))
    assert reg.shift_px == pytest.approx((0.0, 0.0), abs=0.1)
    assert reg.rotation_deg == pytest.approx(0.0, abs=0.5)
    assert reg.similarity.before == pytest.approx(1.0)


def test_size_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="differ in size"):
        register(frame(0), centre_crop(frame(0)))


RENDER_SIZE = 256
FIELD_WIDTH = 30.0


@pytest.fixture(scope="module")
def renders(complexes_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """PyMOL renders of one complex before and after scene commands (tools/camera.py conventions)."""
    pytest.importorskip("pymol")
    from tools.render import RenderSpec, StructureRef, render_one
    from tools.render.pool import shutdown

    ref = StructureRef(pdb_id="1h2t", folder=str(complexes_dir / "1h2t"), ligand="GDP:Z:1151")
    out = tmp_path_factory.mktemp("renders")
    scenes = {"base": "", "shift": "move x 3, move y -2", "roll": "roll z 20", "zoom": "move z 10"}
    try:
        yield {
            name: render_one(
                RenderSpec(structure=ref, field_width=FIELD_WIDTH, size=RENDER_SIZE, scene=s),
                out / f"{name}.png",
            )
            for name, s in scenes.items()
        }
    finally:
        shutdown()


def test_render_shift_in_angstrom(renders: dict[str, Path]) -> None:
    reg = register(Image.open(renders["base"]), Image.open(renders["shift"]))
    ppa = RENDER_SIZE / FIELD_WIDTH
    assert np.array(reg.shift_px) / ppa == pytest.approx((3.0, -2.0), abs=SHIFT_TOL / ppa)
    assert abs(reg.rotation_deg) < ROTATION_TOL


def test_render_roll_z(renders: dict[str, Path]) -> None:
    reg = register(Image.open(renders["base"]), Image.open(renders["roll"]))
    assert reg.rotation_deg == pytest.approx(20.0, abs=ROTATION_TOL)
    assert reg.shift_px == pytest.approx((0.0, 0.0), abs=SHIFT_TOL)


def test_render_zoom(renders: dict[str, Path]) -> None:
    reg = register(Image.open(renders["base"]), Image.open(renders["zoom"]))
    assert reg.scale == pytest.approx(150.0 / 140.0, rel=SCALE_TOL)  # camera 150 Å away, scene 10 Å closer
