"""The built-in policy's plans when a run gives images only: read the labels, rebuild the scene from the
standard views, and answer from correspondences. It never reads the gold, the builder's metadata or the
camera, and it abstains whenever its measurement does not decide between the allowed answers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from agent.builtin.actions import Act, Answer, Call
from agent.builtin.history import History
from agent.builtin.options import option_moves
from eval.items import ItemView

Strategy = Callable[[ItemView, set[str], History], Act | Answer]
IMAGE_TOOLS = {"rebuild_scene", "fit_view_motion", "label_shift", "fit_zoom", "scene_geometry"}
NO_ROTATION = "roll z 0"  # tested alongside the allowed answers: if it fits best, nothing allowed does


def applies(tools: set[str]) -> bool:
    """Images-only runs that offer the perception tools (structure runs keep their own plans)."""
    return tools >= IMAGE_TOOLS and "test_poses" not in tools


def _rolls(prompt: str) -> list[str]:
    step = 15
    m = re.search(r"multiple of (\d+) degrees", prompt)
    if m:
        step = int(m.group(1))
    return [f"roll {a} {v}" for a in "xyz" for v in range(-90, 91, step) if v]


def _ok(h: History, name: str, **match):
    o = h.last(name, **match)
    if o is None:
        return None
    return o


def translation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    o = _ok(h, "label_shift", a=1, b=4)
    if o is None:
        return Act(
            "Match the labels of the front view before (1) and after (4); fix the scale from views 1-3.",
            [Call("label_shift", {"a": 1, "b": 4, "scene_images": [1, 2, 3]})],
        )
    if not o.ok:
        return Answer(f"The labels could not be matched: {o.data}", None)
    d = o.data
    if d.get("matched", 0) < 2 or "shift_angstrom" not in d:
        why = "too few labels matched" if d.get("matched", 0) < 2 else "the scale could not be fixed"
        return Answer(f"The shift cannot be measured from the labels: {why}.", None)
    sx, sy = d["shift_angstrom"]
    axis, value, other = ("x", sx, sy) if abs(sx) >= abs(sy) else ("y", sy, sx)
    if abs(value) < 0.5 or abs(other) > 0.5 * abs(value):
        return Answer(f"The labels moved by ({sx}, {sy}) Å: not one move along x or y.", None)
    step = max(-4, min(4, round(value)))
    return Answer(
        f"{d['matched']} labels moved by ({sx}, {sy}) Å (scale from {d['scale_from_labels']['source']}).",
        f"move {axis} {step}",
    )


def rotation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    o = _ok(h, "fit_view_motion", target=4)
    if o is None:
        return Act(
            "Rebuild the scene from views 1-3 and test every allowed rotation against the labels of image 4.",
            [
                Call(
                    "fit_view_motion",
                    {"images": [1, 2, 3], "target": 4, "candidates": [*_rolls(item.prompt), NO_ROTATION]},
                )
            ],
        )
    if not o.ok:
        return Answer(f"The views could not be matched: {o.data}", None)
    best = o.data["best"][0] if o.data["best"] else None
    if best is None or not o.data["decisive"]:
        return Answer(f"The label fit does not decide: {o.data['reason']}.", None)
    if best["commands"] == NO_ROTATION:
        return Answer("The labels of image 4 sit where they were: no allowed rotation fits.", None)
    return Answer(f"{o.data['reason']}.", best["commands"])


def zoom(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    m = re.search(r"from (\d+(?:\.\d+)?) Å away", item.prompt)
    r = re.search(r"between (\d+) and (\d+)", item.prompt)
    if not m or not r:
        return Answer("The task does not state the camera distance and the range of distances.", None)
    o = _ok(h, "fit_zoom", a=1, b=4)
    if o is None:
        lo, hi = int(r.group(1)), int(r.group(2))
        return Act(
            "Scale the atoms of image 1 by every allowed zoom and compare with image 4.",
            [
                Call(
                    "fit_zoom",
                    {
                        "a": 1,
                        "b": 4,
                        "camera_distance": float(m.group(1)),
                        "distances": list(range(lo, hi + 1)),
                    },
                )
            ],
        )
    if not o.ok:
        return Answer(f"The zoom could not be measured: {o.data}", None)
    best = o.data["ranked"][0]
    if o.data["margin"] < 0.005:
        return Answer(f"Neighbouring zooms agree equally well (margin {o.data['margin']}).", None)
    d = best["move_z"]
    return Answer(
        f"Scaling image 1 by {best['scale']} matches {best['agreement']:.1%} of image 4's atom pixels.",
        f"move z {int(d) if float(d).is_integer() else d}",
    )


def _image_index(text: str) -> int | None:
    m = re.search(r"Image (\d+)", text)
    return int(m.group(1)) if m else None


def _pick(scores: dict[str, float], what: str) -> Answer:
    ranked = sorted(scores, key=lambda k: scores[k])
    best = ranked[0]
    if len(ranked) > 1 and scores[ranked[1]] < 1.5 * scores[best] + 2.0:
        return Answer(
            f"Options {best} ({scores[best]:.1f} px) and {ranked[1]} ({scores[ranked[1]]:.1f} px) fit {what} "
            "about equally well.",
            None,
        )
    listing = ", ".join(f"{k} {v:.1f} px" for k, v in sorted(scores.items()))
    return Answer(f"Predicted label positions against each option ({listing}).", best)


def translation_rotation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    options = {k: _image_index(v) for k, v in (item.options or {}).items()}
    if None in options.values() or not options:
        return Answer("The options do not name images.", None)
    ref = _ok(h, "fit_view_motion", target=4)
    if ref is None:
        return Act(
            "Fit the reference's rotation (and shift) from its views 1-3 to image 4.",
            [
                Call(
                    "fit_view_motion",
                    {"images": [1, 2, 3], "target": 4, "candidates": _rolls(item.prompt), "translate": True},
                )
            ],
        )
    if not ref.ok or not ref.data["best"] or not ref.data["decisive"]:
        reason = ref.data if not ref.ok else ref.data["reason"]
        return Answer(f"The reference's motion is not decided: {reason}.", None)
    best = ref.data["best"][0]
    pending = [
        Call(
            "fit_view_motion",
            {"images": [5, 6, 7], "target": i, "candidates": [best["commands"]], "translate": True},
        )
        for i in options.values()
        if h.last("fit_view_motion", target=i) is None
    ]
    if pending:
        note = f"Apply '{best['commands']}' to the target (views 5-7) and compare with each option."
        return Act(note, pending)
    ref_shift = best.get("shift_angstrom")
    scores = {}
    for letter, i in options.items():
        o = h.last("fit_view_motion", target=i)
        if o is None or not o.ok or not o.data["best"]:
            continue
        f = o.data["best"][0]
        score = f["residual_px"]
        if ref_shift is not None and f.get("shift_angstrom") is not None:
            score += 5.0 * math.dist(ref_shift, f["shift_angstrom"])
        scores[letter] = score
    if len(scores) < len(options):
        return Answer("Some options share too few labels with the target's views to be tested.", None)
    return _pick(scores, f"'{best['commands']}' with the reference's shift")


def _pairs(prompt: str) -> list[str]:
    rolls = _rolls(prompt)
    return [f"{a}, {b}" for a in rolls for b in rolls if a.split()[1] != b.split()[1]]


def rotation_rotation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    options = {k: _image_index(v) for k, v in (item.options or {}).items()}
    if None in options.values() or not options:
        return Answer("The options do not name images.", None)
    fit = _ok(h, "fit_view_motion", target=4)
    if fit is None:
        return Act(
            "Rebuild the scene from views 1-3 and test every pair of rotations against image 4's labels.",
            [Call("fit_view_motion", {"images": [1, 2, 3], "target": 4, "candidates": _pairs(item.prompt)})],
        )
    if not fit.ok or not fit.data["best"] or fit.data["best"][0]["residual_px"] > 6.0 or len(
        fit.data["matched_labels"]
    ) < 3:
        reason = fit.data if not fit.ok else f"{len(fit.data['matched_labels'])} labels matched"
        return Answer(f"The two rotations cannot be fixed from the labels: {reason}.", None)
    pair = fit.data["best"][0]["commands"]
    twice = f"{pair}, {pair}"
    pending = [
        Call("fit_view_motion", {"images": [1, 2, 3], "target": i, "candidates": [twice]})
        for i in options.values()
        if h.last("fit_view_motion", target=i) is None
    ]
    if pending:
        return Act(f"The rotations fit as '{pair}'; apply them twice and compare with each option.", pending)
    scores = {}
    for letter, i in options.items():
        o = h.last("fit_view_motion", target=i)
        if o is not None and o.ok and o.data["best"] and o.data["matched_labels"]:
            scores[letter] = o.data["best"][0]["residual_px"]
    if len(scores) < len(options):
        return Answer("Some options share too few labels with the initial views to be tested.", None)
    return _pick(scores, f"'{twice}'")


HALF_HBOND = 1.45  # Å: half a typical donor–acceptor distance


def interaction_location(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    m = re.search(r"between chain (\S*) ?(\w+) (\S+) (\S+) and ligand atom (\S+)\. Which", item.prompt)
    if not m:
        return Answer("The task does not name the bond's atoms in a form this policy reads.", None)
    _chain, resn, num, _atom, lig = m.groups()
    views = [i + 1 for i, im in enumerate(item.images) if im.view]
    residue = f"{resn} {num}"
    o = _ok(h, "scene_geometry")
    if o is None:
        return Act(
            f"Locate ligand atom {lig} and residue {residue} in the scene rebuilt from every view.",
            [Call("scene_geometry", {"images": views, "names": [lig, residue]})],
        )
    if not o.ok:
        return Answer(f"The scene could not be rebuilt: {o.data}", None)
    pos = o.data["positions"]
    if lig not in pos or "xyz_angstrom" not in pos[lig]:
        why = "its label was not read in two views" if lig not in pos else "the scale could not be fixed"
        return Answer(f"Ligand atom {lig} cannot be located: {why}.", None)
    lx, ly = pos[lig]["xyz_angstrom"][:2]
    cx, cy = lx, ly
    note = f"ligand atom {lig} at ({lx}, {ly}) Å"
    if residue in pos and "xyz_angstrom" in pos[residue]:
        rx, ry, rz = pos[residue]["xyz_angstrom"]
        v = [rx - lx, ry - ly, rz - pos[lig]["xyz_angstrom"][2]]
        n = math.sqrt(sum(c * c for c in v)) or 1.0
        cx, cy = lx + HALF_HBOND * v[0] / n, ly + HALF_HBOND * v[1] / n
        note += f", {residue} (CA) at ({rx}, {ry}) Å; bond centre taken {HALF_HBOND} Å from {lig} towards it"
    want = (-cx, -cy)
    options = option_moves(item)
    ranked = sorted(options, key=lambda k: math.dist(options[k], want))
    d0 = math.dist(options[ranked[0]], want)
    d1 = math.dist(options[ranked[1]], want) if len(ranked) > 1 else math.inf
    if d0 > 2.0 or d1 - d0 < 0.75:
        return Answer(
            f"{note}; options {ranked[0]} and {ranked[1]} are {d0:.1f} and {d1:.1f} Å from the needed "
            f"shift ({want[0]:.1f}, {want[1]:.1f}): the estimate does not decide.",
            None,
        )
    return Answer(f"{note}; moving by ({want[0]:.1f}, {want[1]:.1f}) Å centres the bond.", ranked[0])


def _abstain(why: str) -> Strategy:
    def strategy(item: ItemView, tools: set[str], h: History) -> Act | Answer:
        return Answer(why, None)

    return strategy


STRATEGIES: dict[str, Strategy] = {
    "T1": translation,
    "T2": rotation,
    "T3": zoom,
    "T4": _abstain("The residue's bonding atoms carry no labels; the images alone do not name the bond."),
    "T5": translation_rotation,
    "T6": rotation_rotation,
    "T7": _abstain("Docking needs the bound pose, which the images of the separated parts do not give."),
    "T8": interaction_location,
    "T9": _abstain("The pocket's bonding atoms carry no labels; the images alone do not name the bonds."),
}
