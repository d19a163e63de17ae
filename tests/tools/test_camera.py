import numpy as np
import pytest

from tools.camera import (
    CAMERA_DISTANCE,
    Command,
    Pose,
    format_commands,
    parse_commands,
    view_matrix,
    zoom_factor,
)
from tools.structure import load_complex


def test_parse_and_format_round_trip() -> None:
    cmds = parse_commands("First roll y 15, then Move X -4 and move z 40.5")
    assert cmds == [Command("roll", "y", 15), Command("move", "x", -4), Command("move", "z", 40.5)]
    assert format_commands(cmds) == "roll y 15, move x -4, move z 40.5"


def test_move_translates_along_screen_axes() -> None:
    xyz = np.array([[1.0, 2.0, 3.0]])
    moved = Pose().apply(parse_commands("move x 4, move y -2")).transform(xyz)
    assert np.allclose(moved, [[5.0, 0.0, 3.0]])


def test_roll_is_right_handed_about_the_moving_centre() -> None:
    pose = Pose().apply(parse_commands("move x 10, roll z 90"))
    # the point one Å right of the (moved) centre goes to one Å above it
    assert np.allclose(pose.transform(np.array([[1.0, 0.0, 0.0]])), [[10.0, 1.0, 0.0]])
    assert np.allclose(pose.centre, [10.0, 0.0, 0.0])


@pytest.mark.parametrize("pdb_id", ["1acj", "2bm2", "1h2t"])
def test_commands_then_inverses_restore_coordinates(complexes_dir, pdb_id: str) -> None:
    cx = load_complex(complexes_dir / pdb_id)
    xyz = cx.all_coords - cx.centre
    rng = np.random.default_rng(7)
    for _ in range(20):
        cmds = [
            Command(
                str(rng.choice(["move", "roll"])), str(rng.choice(list("xyz"))), float(rng.uniform(-90, 90))
            )
            for _ in range(rng.integers(1, 6))
        ]
        undo = [c.inverse() for c in reversed(cmds)]
        back = Pose().apply(cmds).apply(undo).transform(xyz)
        assert np.max(np.abs(back - xyz)) < 1e-6


def test_named_views_show_their_side() -> None:
    assert np.allclose(view_matrix("left") @ [-1, 0, 0], [0, 0, 1])
    assert np.allclose(view_matrix("right") @ [1, 0, 0], [0, 0, 1])
    assert np.allclose(view_matrix("top") @ [0, 1, 0], [0, 0, 1])
    assert np.allclose(view_matrix("bottom") @ [0, -1, 0], [0, 0, 1])
    assert np.allclose(view_matrix("back") @ [0, 0, -1], [0, 0, 1])
    with pytest.raises(ValueError, match="unknown view"):
        view_matrix("diagonal")


def test_zoom_grows_with_positive_move_z() -> None:
    assert zoom_factor(0.0) == 1.0
    assert zoom_factor(50.0) == pytest.approx(CAMERA_DISTANCE / (CAMERA_DISTANCE - 50.0))
    assert zoom_factor(-50.0) < 1.0
    with pytest.raises(ValueError):
        zoom_factor(CAMERA_DISTANCE)
