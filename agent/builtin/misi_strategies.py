"""The built-in tool policy's plan for each MiSI task. It reads only the item view (prompt, images,
options) and tool results — never the gold answer, the rendering camera or the builder's metadata.

With structure access it tests hypotheses against the images (test_poses: candidate poses projected with
the camera fitted to the images, matched atom by atom) or measures the structure (atom_geometry, PLIP);
with images only it measures the images (compare_images) or says it cannot answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from agent.builtin import image_strategies
from agent.builtin.actions import Act, Answer, Call
from agent.builtin.history import History
from agent.builtin.options import option_moves
from eval.items import ItemView
from tools.camera import CAMERA_DISTANCE

Strategy = Callable[[ItemView, set[str], History], "Act | Answer"]
ROLLS = [f"roll {a} {v}" for a in "xyz" for v in range(-90, 91, 15) if v]
MOVES = [f"move {a} {v}" for a in "xy" for v in range(-4, 5) if v]


def _best(h: History, **match) -> str | None:
    o = h.last("test_poses", **match)
    return o.data["best"][0]["commands"] if o and o.ok else None


def _failed(h: History, name: str = "test_poses") -> str | None:
    o = h.last(name)
    return o.data if o is not None and not o.ok else None


def _compare(h: History, a: int, b: int) -> dict | None:
    o = h.last("compare_images", a=a, b=b)
    return o.data if o and o.ok else None


def translation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    if "test_poses" in tools:
        if (err := _failed(h)) is not None:
            return Answer(f"Testing the translations failed: {err}", None)
        if (best := _best(h)) is None:
            return Act(
                "Project every allowed translation with the camera fitted to image 1 and match it with "
                "image 4.",
                [Call("test_poses", {"candidates": MOVES, "compare_with": 4, "reference": 1})],
            )
        return Answer(f"The structure after '{best}' matches the atoms of image 4 best.", best)
    if (c := _compare(h, 1, 4)) is None:
        return Act(
            "Measure the shift between the front view before (1) and after (4).",
            [Call("compare_images", {"a": 1, "b": 4})],
        )
    if "shift_angstrom" not in c:
        return Answer(
            f"Image 4 is image 1 shifted by ({c['shift_px']['x']}, {c['shift_px']['y']}) px, but without the "
            "structure the image scale in Å is unknown.",
            None,
        )
    sx, sy = c["shift_angstrom"]["x"], c["shift_angstrom"]["y"]
    axis, value = ("x", sx) if abs(sx) >= abs(sy) else ("y", sy)
    value = max(-4, min(4, round(value))) or int(math.copysign(1, value))
    return Answer(f"Image 4 is image 1 shifted by ({sx}, {sy}) Å.", f"move {axis} {value}")


def rotation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    if "test_poses" in tools:
        if (err := _failed(h)) is not None:
            return Answer(f"Testing the rotations failed: {err}", None)
        if (best := _best(h)) is None:
            return Act(
                "Project every allowed rotation with the camera fitted to image 1 and match it with image 4.",
                [Call("test_poses", {"candidates": ROLLS, "compare_with": 4, "reference": 1})],
            )
        return Answer(f"The structure after '{best}' matches the atoms of image 4 best.", best)
    if (c := _compare(h, 1, 4)) is None:
        return Act(
            "Measure the in-plane rotation between images 1 and 4.",
            [Call("compare_images", {"a": 1, "b": 4})],
        )
    angle = max(-90, min(90, round(c["rotation_deg"] / 15) * 15)) or 15
    return Answer(
        f"Image 4 looks like image 1 turned {c['rotation_deg']}° in the screen plane (similarity after "
        f"alignment {c['similarity_after']}); only a rotation about z is measurable from images.",
        f"roll z {angle}",
    )


def zoom(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    distance = CAMERA_DISTANCE  # the commands' definition: move z d magnifies by D / (D - d)
    if "fit_camera" in tools:
        # The zoom is the ratio of the scales fitted to images 4 and 1: whatever a renderer's sticks do to a
        # fitted scale (thick sticks widen the drawing) they do to both images, so it cancels in the ratio.
        fits = {i: h.last("fit_camera", image=i) for i in (1, 4)}
        if any(o is None for o in fits.values()):
            return Act(
                "Fit the camera to image 1 and to image 4: the ratio of their scales is the zoom.",
                [Call("fit_camera", {"image": i}) for i, o in fits.items() if o is None],
            )
        f1, f4 = fits[1], fits[4]
        assert f1 is not None and f4 is not None  # both fitted above
        if f1.ok and f4.ok and f1.data["quality"] == f4.data["quality"] == "good":
            ratio = f4.data["pixels_per_angstrom"] / f1.data["pixels_per_angstrom"]
            d = distance * (1 - 1 / ratio)
            if 39.5 <= d < 60.5:
                return Answer(
                    f"Image 4 is {ratio:.4f} times image 1's scale (fitted cameras): "
                    f"d = D(1 - 1/s) = {d:.2f} Å at D = {distance:g} Å.",
                    f"move z {round(d)}",
                )
    if "test_poses" in tools:
        if (err := _failed(h)) is not None:
            return Answer(f"Testing the depths failed: {err}", None)
        candidates = [f"move z {d}" for d in range(40, 61)]
        if (best := _best(h)) is None:
            return Act(
                "Project every allowed depth with the camera fitted to image 1 and match it with image 4.",
                [Call("test_poses", {"candidates": candidates, "compare_with": 4, "reference": 1})],
            )
        return Answer(f"The structure after '{best}' matches the atoms of image 4 best.", best)
    if (c := _compare(h, 1, 4)) is None:
        return Act(
            "Measure the scale change between images 1 and 4.", [Call("compare_images", {"a": 1, "b": 4})]
        )
    estimate = min(60, max(40, round(distance * (1 - 1 / c["scale"]))))
    return Answer(
        f"Scale {c['scale']} at camera distance {distance} Å gives d = D(1 - 1/s).", f"move z {estimate}"
    )


def _residue_ref(prompt: str) -> str | None:
    m = re.search(r"whether the residue (\w+) (\S+?)(?: \(chain (\w)\))? forms", prompt)
    if not m:
        return None
    name, number, chain = m.groups()
    return f"{chain}:{name}:{number}" if chain else f"{name} {number}"


def residue_ligand(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    residue = _residue_ref(item.prompt)
    if "residue_hbonds" not in tools or residue is None:
        return Answer("Hydrogen bonds need the structure (PLIP); this run gives images only.", None)
    o = h.last("residue_hbonds")
    if o is None:
        return Act(
            f"Ask PLIP for the hydrogen bonds of {residue}.", [Call("residue_hbonds", {"residue": residue})]
        )
    if not o.ok:
        return Answer(f"PLIP failed: {o.data}", None)
    bonds = [f"{hb['label'].split()[0]} {hb['protein_atom']}, {hb['ligand_atom']}" for hb in o.data["hbonds"]]
    bonds = list(dict.fromkeys(bonds))
    return Answer(f"PLIP finds {len(bonds)} hydrogen bond(s).", "Yes: " + "; ".join(bonds) if bonds else "No")


def pocket_ligand(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    if "interaction_profile" not in tools:
        return Answer("Hydrogen bonds need the structure (PLIP); this run gives images only.", None)
    o = h.last("interaction_profile")
    if o is None:
        return Act(
            "Ask PLIP for the pocket–ligand hydrogen bonds.",
            [Call("interaction_profile", {"kinds": ["hbonds"]})],
        )
    if not o.ok:
        return Answer(f"PLIP failed: {o.data}", None)
    pairs = list(dict.fromkeys(hb["pair"] for hb in o.data["hbonds"]))
    return Answer(f"PLIP finds {len(pairs)} hydrogen bond(s).", "; ".join(pairs) if pairs else None)


def interaction_location(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    m = re.search(r"between chain (\S*) ?(\w+) (\S+) (\S+) and ligand atom (\S+)\. Which", item.prompt)
    if "atom_geometry" not in tools or not m:
        return Answer("Locating the named atoms needs the structure; this run gives images only.", None)
    chain, resn, num, atom, lig = m.groups()
    protein = f"{chain}:{resn}:{num} {atom}" if chain else f"{resn} {num} {atom}"
    o = h.last("atom_geometry")
    if o is None:
        return Act(
            "Find both atoms of the bond in the front view.",
            [Call("atom_geometry", {"atoms": [protein, f"ligand {lig}"]})],
        )
    if not o.ok:
        return Answer(f"The atoms could not be found: {o.data}", None)
    mx, my = o.data["midpoint"][:2]
    want = (-mx, -my)
    options = option_moves(item)
    letter = min(options, key=lambda k: math.dist(options[k], want))
    return Answer(
        f"The bond's centre is at ({mx}, {my}) Å; moving by ({-mx:.1f}, {-my:.1f}) centres it.", letter
    )


def _image_index(text: str) -> int | None:
    m = re.search(r"Image (\d+)", text)
    return int(m.group(1)) if m else None


def _motion(c: dict) -> tuple[float, float, float]:
    return c["shift_px"]["x"], c["shift_px"]["y"], c["rotation_deg"]


def _closest_option(item: ItemView, h: History, ref: tuple[int, int], start: int) -> Act | Answer:
    """Pick the option whose measured motion from image `start` is most like the reference motion."""
    indices = {k: _image_index(v) for k, v in (item.options or {}).items()}
    options = {k: i for k, i in indices.items() if i is not None}
    if len(options) != len(indices):
        return Answer("Some options name no image, so they cannot be measured.", None)
    pending = [
        Call("compare_images", {"a": a, "b": b})
        for a, b in [ref, *[(start, i) for i in options.values()]]
        if _compare(h, a, b) is None
    ]
    if pending:
        return Act("Measure the reference motion and the motion to each option.", pending)
    measured = {k: _compare(h, start, i) for k, i in options.items()}
    reference = _compare(h, *ref)
    if reference is None or any(c is None for c in measured.values()):
        return Answer("A comparison the plan needs did not come back.", None)
    rx, ry, rr = _motion(reference)

    def distance(letter: str) -> float:
        found = measured[letter]
        assert found is not None  # checked above
        ox, oy, orot = _motion(found)
        return abs(orot - rr) / 15 + math.hypot(ox - rx, oy - ry) / 20

    letter = min(options, key=distance)
    return Answer("Chose the option whose shift and in-plane rotation best match the reference's.", letter)


def translation_rotation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    return _closest_option(item, h, (1, 4), 5)


def rotation_rotation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    options = {k: _image_index(v) for k, v in (item.options or {}).items()}
    if "test_poses" not in tools:
        return _closest_option(item, h, (1, 4), 4)
    pairs = [
        f"roll {a1} {v1}, roll {a2} {v2}"
        for a1 in "xyz"
        for a2 in "xyz"
        if a1 != a2
        for v1 in range(-90, 91, 15)
        if v1
        for v2 in range(-90, 91, 15)
        if v2
    ]
    if (err := _failed(h)) is not None:
        return Answer(f"Testing the rotations failed: {err}", None)
    search = h.last("test_poses", compare_with=4)
    if search is None:
        return Act(
            "Match every pair of rotations, projected with the camera fitted to image 1, with image 4.",
            [Call("test_poses", {"candidates": pairs, "compare_with": 4, "reference": 1, "top": 3})],
        )
    pair = search.data["best"][0]["commands"]
    pending = [
        Call("test_poses", {"candidates": [pair], "before": pair, "compare_with": i, "reference": 1})
        for i in options.values()
        if h.last("test_poses", compare_with=i, before=pair) is None
    ]
    if pending:
        return Act(f"Apply '{pair}' again and compare with each option.", pending)
    scores: dict[str, float] = {}
    for k, i in options.items():
        outcome = h.last("test_poses", compare_with=i, before=pair)
        assert outcome is not None  # every pending comparison was made above
        scores[k] = outcome.data["best"][0]["distance_angstrom"]
    letter = min(scores, key=lambda k: scores[k])
    return Answer(f"The two rotations are '{pair}'; applied again they match option {letter} best.", letter)


def docking(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    if "test_poses" not in tools:
        return Answer("Docking needs the bound pose from the structure; this run gives images only.", None)
    if (err := _failed(h)) is not None:
        return Answer(f"Testing the ligand poses failed: {err}", None)
    views = {4: "front", 5: "left", 6: "top"}  # the displaced ligand alone
    # Atoms are matched by colour class with labels as occluders (a point under a label costs nothing and
    # label pixels need no atom), after the shift that lays the candidate on the drawn shape: at these
    # small scales labels cover most atoms, and bigger or other fonts must not decide the ranking.
    pending = [
        Call(
            "test_poses",
            {
                "candidates": ROLLS,
                "apply_to": "ligand",
                "content": "ligand",
                "compare_with": i,
                "view": v,
                "reference": i - 3,
                "compare": "atoms",
                "align": True,
                "top": len(ROLLS),
            },
        )
        for i, v in views.items()
        if h.last("test_poses", compare_with=i) is None
    ]
    if pending:
        return Act(
            "Match the ligand under every allowed rotation with its three views (up to a shift), with the "
            "camera fitted to the pocket's views.",
            pending,
        )
    total: dict[str, float] = {}
    ranked = {i: h.last("test_poses", compare_with=i) for i in views}
    for outcome in ranked.values():
        assert outcome is not None  # every pending call was made above
        for e in outcome.data["best"]:
            total[e["commands"]] = total.get(e["commands"], 0.0) + e["distance_angstrom"]
    best = min(total, key=lambda k: total[k])
    # the screen x axis is the structure's x in the front view and in the top view (roll x 90): the
    # ligand's x displacement is measured in both and averaged
    shifts = []
    for i in (4, 6):
        outcome = ranked[i]
        assert outcome is not None
        shifts.append(
            {e["commands"]: e for e in outcome.data["best"]}[best]["render_minus_image_shift_angstrom"][0]
        )
    axis, value = best.split()[1], -int(best.split()[2])
    shift = round(sum(shifts) / len(shifts))
    return Answer(
        f"The displaced ligand is the bound one turned by '{best}' and shifted {-shift} Å along x "
        f"(front view {-shifts[0]:.2f} Å, top view {-shifts[1]:.2f} Å).",
        f"roll {axis} {value}, move x {shift}",
    )


_STRUCTURE_OR_COMPARE: dict[str, Strategy] = {
    "T1": translation,
    "T2": rotation,
    "T3": zoom,
    "T4": residue_ligand,
    "T5": translation_rotation,
    "T6": rotation_rotation,
    "T7": docking,
    "T8": interaction_location,
    "T9": pocket_ligand,
}


def _dispatch(task: str) -> Strategy:
    """Images-only runs that offer the perception tools use the image plans; others the plans above."""

    def choose(item: ItemView, tools: set[str], h: History) -> Act | Answer:
        if image_strategies.applies(tools):
            return image_strategies.STRATEGIES[task](item, tools, h)
        return _STRUCTURE_OR_COMPARE[task](item, tools, h)

    return choose


STRATEGIES: dict[str, Strategy] = {task: _dispatch(task) for task in _STRUCTURE_OR_COMPARE}
