"""The images-only plans answer only when their measurement decides, and abstain otherwise."""

import json

from agent.builtin.history import History
from agent.builtin.image_strategies import NO_ROTATION, STRATEGIES, applies
from tests.support import item_view

TOOLS = {"rebuild_scene", "fit_view_motion", "label_shift", "fit_zoom", "scene_geometry", "read_labels"}


def _history(name: str, args: dict, result: dict) -> History:
    return History(
        [
            {
                "role": "assistant",
                "tool_calls": [{"id": "c0", "function": {"name": name, "arguments": json.dumps(args)}}],
            },
            {"role": "tool", "tool_call_id": "c0", "content": json.dumps(result)},
        ]
    )


def _fit(best: list[tuple[str, float]], decisive: bool) -> dict:
    return {
        "best": [{"commands": c, "residual_px": r, "matched": 5, "shift_px": [0, 0]} for c, r in best],
        "matched_labels": ["A", "B", "C", "D", "E"],
        "decisive": decisive,
        "reason": "test",
    }


def test_images_only_runs_with_the_perception_tools_use_these_plans() -> None:
    assert applies(TOOLS) and not applies(TOOLS | {"test_poses"}) and not applies({"compare_images"})


def test_rotation_abstains_when_no_allowed_rotation_beats_none() -> None:
    item = item_view(task="T2", answer_format="rotation", prompt="a multiple of 15 degrees")
    h = _history("fit_view_motion", {"target": 4}, _fit([(NO_ROTATION, 0.8), ("roll z 15", 9.0)], True))
    assert STRATEGIES["T2"](item, TOOLS, h).answer is None


def test_rotation_answers_a_decisive_fit_and_abstains_on_an_undecided_one() -> None:
    item = item_view(task="T2", answer_format="rotation", prompt="a multiple of 15 degrees")
    h = _history("fit_view_motion", {"target": 4}, _fit([("roll x -75", 1.2), ("roll x -90", 8.0)], True))
    assert STRATEGIES["T2"](item, TOOLS, h).answer == "roll x -75"
    h = _history("fit_view_motion", {"target": 4}, _fit([("roll x -75", 1.2), ("roll y 30", 1.5)], False))
    assert STRATEGIES["T2"](item, TOOLS, h).answer is None


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
