"""The images-only plans answer only when their measurement decides, and abstain otherwise."""

import json

from agent.builtin.actions import Act
from agent.builtin.history import History
from agent.builtin.image_strategies import NO_ROTATION, STRATEGIES, applies
from tests.support import item_view

TOOLS = {
    "rebuild_scene",
    "fit_view_motion",
    "label_shift",
    "fit_zoom",
    "scene_geometry",
    "read_labels",
    "fit_atom_rotation",
}


def _history(name: str, args: dict, result: dict, *more: tuple[str, dict, dict]) -> History:
    messages: list[dict] = []
    for k, (n, a, r) in enumerate([(name, args, result), *more]):
        call = {"id": f"c{k}", "function": {"name": n, "arguments": json.dumps(a)}}
        messages.append({"role": "assistant", "tool_calls": [call]})
        messages.append({"role": "tool", "tool_call_id": f"c{k}", "content": json.dumps(r)})
    return History(messages)


def _atoms(ranked: dict[int, list[tuple[str, float]]], decisive: bool = True) -> tuple[str, dict, dict]:
    """A fit_atom_rotation call on views 1-3 with the given ranking per target."""
    targets = {
        str(t): {
            "ranked": [{"commands": c, "agreement": a, "shift_px": [0, 0]} for c, a in r],
            "decisive": decisive,
            "reason": "test",
            "hull_cells": 1000,
        }
        for t, r in ranked.items()
    }
    args = {"images": [1, 2, 3], "targets": sorted(ranked), "candidates": ["roll x 15"]}
    return "fit_atom_rotation", args, {"images": [1, 2, 3], "targets": targets}


def _fit(best: list[tuple[str, float]], decisive: bool) -> dict:
    return {
        "best": [{"commands": c, "residual_px": r, "matched": 5, "shift_px": [0, 0]} for c, r in best],
        "matched_labels": ["A", "B", "C", "D", "E"],
        "decisive": decisive,
        "reason": "test",
    }


def test_images_only_runs_with_the_perception_tools_use_these_plans() -> None:
    assert applies(TOOLS) and not applies(TOOLS | {"test_poses"}) and not applies({"compare_images"})


def test_rotation_answers_a_decisive_atom_fit_and_abstains_when_none_fits_better_than_no_rotation() -> None:
    item = item_view(task="T2", answer_format="rotation", prompt="a multiple of 15 degrees")
    first = STRATEGIES["T2"](item, TOOLS, History([]))
    assert isinstance(first, Act) and first.calls[0].name == "fit_atom_rotation"
    assert NO_ROTATION in first.calls[0].args["candidates"]
    h = _history(*_atoms({4: [("roll x -75", 0.3), ("roll x -60", 0.2)]}))
    assert STRATEGIES["T2"](item, TOOLS, h).answer == "roll x -75"
    h = _history(*_atoms({4: [(NO_ROTATION, 0.4), ("roll z 15", 0.2)]}))
    assert STRATEGIES["T2"](item, TOOLS, h).answer is None


def test_an_undecided_atom_fit_falls_back_to_the_labels_and_abstains_if_they_do_not_decide() -> None:
    item = item_view(task="T2", answer_format="rotation", prompt="a multiple of 15 degrees")
    undecided = _atoms({4: [("roll x -75", 0.3), ("roll y 30", 0.29)]}, decisive=False)
    step = STRATEGIES["T2"](item, TOOLS, _history(*undecided))
    assert isinstance(step, Act) and step.calls[0].name == "fit_view_motion"
    labels = ("fit_view_motion", {"target": 4}, _fit([("roll x -75", 1.2), ("roll x -90", 8.0)], True))
    assert STRATEGIES["T2"](item, TOOLS, _history(*undecided, labels)).answer == "roll x -75"
    labels = ("fit_view_motion", {"target": 4}, _fit([("roll x -75", 1.2), ("roll y 30", 1.5)], False))
    assert STRATEGIES["T2"](item, TOOLS, _history(*undecided, labels)).answer is None


def test_rotation_rotation_picks_the_option_that_clearly_agrees_and_abstains_on_a_tie() -> None:
    options = {k: f"Image {i}" for k, i in zip("ABCD", range(5, 9))}
    item = item_view(task="T6", answer_format="choice", prompt="a multiple of 15 degrees", options=options)
    pair = _atoms({4: [("roll x 30, roll y 45", 0.3)]})
    step = STRATEGIES["T6"](item, TOOLS, _history(*pair))
    assert isinstance(step, Act)
    assert step.calls[0].args["candidates"] == ["roll x 30, roll y 45, roll x 30, roll y 45"]
    clear = {5: [("c", 0.1)], 6: [("c", 0.35)], 7: [("c", 0.2)], 8: [("c", 0.15)]}
    assert STRATEGIES["T6"](item, TOOLS, _history(*pair, _atoms(clear))).answer == "B"
    tie = {**clear, 7: [("c", 0.33)]}
    assert STRATEGIES["T6"](item, TOOLS, _history(*pair, _atoms(tie))).answer is None


def test_zoom_abstains_when_neighbouring_depths_agree_equally() -> None:
    prompt = "The camera looks at the scene centre from 150 Å away ... a whole number of Å between 40 and 60."
    item = item_view(task="T3", answer_format="zoom", prompt=prompt)
    ranked = [
        {"move_z": 45, "scale": 1.43, "agreement": 0.7},
        {"move_z": 46, "scale": 1.44, "agreement": 0.699},
    ]
    h = _history("fit_zoom", {"a": 1, "b": 4}, {"ranked": ranked, "margin": 0.001})
    assert STRATEGIES["T3"](item, TOOLS, h).answer is None
    h = _history("fit_zoom", {"a": 1, "b": 4}, {"ranked": ranked, "margin": 0.05})
    assert STRATEGIES["T3"](item, TOOLS, h).answer == "move z 45"


def _location_item():
    prompt = "Find the hydrogen bond between chain A SER 10 OG and ligand atom O2P. Which translation ..."
    options = {
        "A": "move x -4, move y -6",
        "B": "move x 4, move y -6",
        "C": "move x 4, move y 6",
        "D": "move x -4, move y 6",
    }
    return item_view(task="T8", answer_format="choice", prompt=prompt, options=options)


def _geometry(residue_xyz: list[float], reach: float = 2.5) -> dict:
    return {
        "scale": {"pixels_per_angstrom": 13.0},
        "positions": {"SER 10": {"xyz_angstrom": residue_xyz, "bond_reach_angstrom": reach}},
        "not_located": ["O2P"],
    }


def test_interaction_location_keeps_only_options_the_named_residue_can_reach() -> None:
    item = _location_item()
    # the CA sits near (-4, -6): only C's bond centre (-4, -6) is within 2.5 + 2 Å (+ slack)
    h = _history("scene_geometry", {"names": ["O2P", "SER 10"]}, _geometry([-3.0, -5.0, 1.0]))
    assert STRATEGIES["T8"](item, TOOLS, h).answer == "C"
    # a long side chain whose CA lies between two options' centres (6 Å from each) reaches both: no answer
    h = _history("scene_geometry", {"names": ["O2P", "SER 10"]}, _geometry([-4.0, 0.0, 0.0], reach=4.0))
    answer = STRATEGIES["T8"](item, TOOLS, h)
    assert answer.answer is None and "2 options remain" in answer.reasoning


def test_interaction_location_from_the_ligand_atom_alone_answers_only_within_half_a_bond() -> None:
    item = _location_item()
    located = {"scale": {"pixels_per_angstrom": 13.0}, "not_located": ["SER 10"]}
    # O2P at (-3.5, -5): the bond's centre is within 2 Å (+ rounding and slack) of it: only C's (-4, -6)
    h = _history("scene_geometry", {"names": ["O2P", "SER 10"]},
                 {**located, "positions": {"O2P": {"xyz_angstrom": [-3.5, -5.0, 2.0]}}})  # fmt: skip
    answer = STRATEGIES["T8"](item, TOOLS, h)
    assert answer.answer == "C" and "SER 10 is not located" in answer.reasoning
    # O2P at (0, -6), 4 Å from both C's and B's centres: the nearer one is not taken on the ligand alone
    h = _history("scene_geometry", {"names": ["O2P", "SER 10"]},
                 {**located, "positions": {"O2P": {"xyz_angstrom": [0.0, -6.0, 2.0]}}})  # fmt: skip
    answer = STRATEGIES["T8"](item, TOOLS, h)
    assert answer.answer is None and "does not decide" in answer.reasoning
