"""Calibration recovers a camera the tools are not told: scale, centre and the view convention."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tools.perception.atoms import detect_atoms
from tools.perception.calibrate import calibrate
from tools.structure import load_complex_cached

SCALE_TOLERANCE = 0.005  # relative
CENTRE_TOLERANCE_PX = 1.5


def _fit(spec, path, scene: str = "", view: str = "front"):
    cx = load_complex_cached(spec.structure.folder, spec.structure.ligand, spec.structure.pocket_cutoff)
    return calibrate(detect_atoms(path), cx, spec.structure, "auto", scene, view)


def test_recovers_a_ten_percent_larger_scale(renders) -> None:
    spec, path = renders["big"]
    cal = _fit(spec, path)
    true = spec.size / spec.field_width
    assert abs(cal.projection.scale / true - 1) < SCALE_TOLERANCE
    assert np.hypot(*(np.array(cal.projection.centre) - spec.size / 2)) < CENTRE_TOLERANCE_PX
    assert cal.quality == "good" and cal.convention_verified
    assert abs(cal.projection.rotation_deg) < 1.0


def test_recovers_a_shifted_centre(renders) -> None:
    # the scene moved 2 Å right and 1 Å down: fitted as the unmoved structure, its origin is off-centre
    spec, path = renders["big_moved"]
    cal = _fit(spec, path)
    s = spec.size / spec.field_width
    expected = np.array([spec.size / 2 + 2 * s, spec.size / 2 + 1 * s])
    assert np.hypot(*(np.array(cal.projection.centre) - expected)) < CENTRE_TOLERANCE_PX
    assert abs(cal.projection.scale / s - 1) < SCALE_TOLERANCE


def test_other_views_fit_with_their_rotation(renders) -> None:
    spec, path = renders["left"]
    cal = _fit(spec, path, view="left")
    assert abs(cal.projection.scale / (spec.size / spec.field_width) - 1) < SCALE_TOLERANCE


def test_a_mirrored_image_fails_the_view_convention(renders, tmp_path) -> None:
    spec, path = renders["big"]
    flipped = tmp_path / "flipped.png"
    Image.open(path).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(flipped)
    cal = _fit(spec, flipped)
    assert not cal.convention_verified
    assert cal.mirrored_cost_angstrom is not None and cal.mirrored_cost_angstrom < cal.cost_angstrom


def test_fit_camera_tool_reports_the_fit(renders, tmp_path) -> None:
    import json

    from eval.items import ItemImage
    from tests.support import item_view
    from tools.base import REGISTRY, ToolContext
    from tools.perception.camera_tool import fit_camera  # noqa: F401  (registers the tool)

    spec, path = renders["big"]
    item = item_view(images=[ItemImage(path=str(path), role="front", view="front")], structure=spec.structure)
    ctx = ToolContext(item=item, bench_dir=tmp_path, workdir=tmp_path / "w", access="structure")
    result = REGISTRY["fit_camera"].run(ctx, {"image": 1})
    assert result.ok, result.text
    data = json.loads(result.text)
    assert data["quality"] == "good" and data["view_convention_verified"] is True
    assert data["pixels_per_angstrom"] == pytest.approx(spec.size / spec.field_width, rel=SCALE_TOLERANCE)
    assert not REGISTRY["fit_camera"].run(ctx, {"image": 2}).ok  # no such image: a message
