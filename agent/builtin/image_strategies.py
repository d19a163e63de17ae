"""The built-in policy's plans when a run gives images only: read the labels, rebuild the scene from the
standard views, and answer from correspondences. It never reads the gold, the builder's metadata or the
camera, and it abstains whenever its measurement does not decide between the allowed answers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from agent.builtin import image_bonds
from agent.builtin.actions import Act, Answer, Call
from agent.builtin.history import History
from agent.builtin.options import option_moves
from eval.items import ItemView

Strategy = Callable[[ItemView, set[str], History], Act | Answer]
IMAGE_TOOLS = {
    "rebuild_scene",
    "fit_view_motion",
    "label_shift",
    "fit_zoom",
    "scene_geometry",
    "fit_atom_rotation",
}
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


def _atom_fit(h: History, images: list[int], target: int):
    """The fit_atom_rotation outcome for one target (and the call's outcome), if made."""
    for o in reversed(h.outcomes):
        if (
            o.name == "fit_atom_rotation"
            and o.args.get("images") == images
            and target in o.args.get("targets", [])
        ):
            return o, (o.data["targets"].get(str(target)) if o.ok else None)
    return None, None


def rotation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    call, fit = _atom_fit(h, [1, 2, 3], 4)
    if call is None:
        return Act(
            "Rebuild the atoms in 3D from views 1-3 by colour class and test every allowed rotation against "
            "image 4.",
            [
                Call(
                    "fit_atom_rotation",
                    {"images": [1, 2, 3], "targets": [4], "candidates": [*_rolls(item.prompt), NO_ROTATION]},
                )
            ],
        )
    if fit is not None and fit["decisive"]:
        best = fit["ranked"][0]["commands"]
        if best == NO_ROTATION:
            return Answer("The atoms of image 4 sit where they were: no allowed rotation fits.", None)
        return Answer(f"Atom colour classes: {fit['reason']}.", best)
    why = fit["reason"] if fit is not None else call.data
    return _rotation_by_labels(item, h, f"The atom fit does not decide ({why})")


def _rotation_by_labels(item: ItemView, h: History, before: str) -> Act | Answer:
    o = _ok(h, "fit_view_motion", target=4)
    if o is None:
        return Act(
            f"{before}; test the rotations against the labels of image 4 instead.",
            [
                Call(
                    "fit_view_motion",
                    {"images": [1, 2, 3], "target": 4, "candidates": [*_rolls(item.prompt), NO_ROTATION]},
                )
            ],
        )
    if not o.ok:
        return Answer(f"{before}, and the views could not be matched by labels: {o.data}", None)
    best = o.data["best"][0] if o.data["best"] else None
    if best is None or not o.data["decisive"]:
        return Answer(f"{before}, and the label fit does not decide either: {o.data['reason']}.", None)
    if best["commands"] == NO_ROTATION:
        return Answer("The labels of image 4 sit where they were: no allowed rotation fits.", None)
    return Answer(f"{before}; by labels: {o.data['reason']}.", best["commands"])


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


OPTION_RATIO = 1.2  # the chosen option's agreement must beat the runner-up's by this factor


def _pick_by_agreement(scores: dict[str, float], what: str) -> Answer:
    ranked = sorted(scores, key=lambda k: -scores[k])
    listing = ", ".join(f"{k} {scores[k]:.3f}" for k in sorted(scores))
    best = ranked[0]
    if len(ranked) > 1 and scores[best] < OPTION_RATIO * scores[ranked[1]]:
        return Answer(
            f"Options {best} ({scores[best]:.3f}) and {ranked[1]} ({scores[ranked[1]]:.3f}) agree with "
            f"{what} about equally well.",
            None,
        )
    return Answer(f"Agreement of each option's atom colour classes with {what} ({listing}).", best)


def _options(item: ItemView) -> dict[str, int] | None:
    options = {k: _image_index(v) for k, v in (item.options or {}).items()}
    if not options or any(v is None for v in options.values()):
        return None
    return {k: int(v) for k, v in options.items() if v is not None}


def _shift_kind(shift: list[float]) -> tuple[str, int] | None:
    """The axis and sign of a clearly one-axis shift (x right, y up), or None."""
    sx, sy = shift
    if max(abs(sx), abs(sy)) < 8.0:
        return None
    return ("x", 1 if sx > 0 else -1) if abs(sx) >= abs(sy) else ("y", 1 if sy > 0 else -1)


def translation_rotation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    options = _options(item)
    if options is None:
        return Answer("The options do not name images.", None)
    call, ref = _atom_fit(h, [1, 2, 3], 4)
    if call is None:
        return Act(
            "Fit the reference's rotation (with its in-plane shift) from its views 1-3 to image 4 by the "
            "atoms' colour classes.",
            [
                Call(
                    "fit_atom_rotation",
                    {
                        "images": [1, 2, 3],
                        "targets": [4],
                        "candidates": _rolls(item.prompt),
                        "translate": True,
                    },
                )
            ],
        )
    if ref is None or not ref["decisive"]:
        return Answer(
            f"The reference's rotation is not decided: {ref['reason'] if ref else call.data}.", None
        )
    best = ref["ranked"][0]
    targets = sorted(options.values())
    call2, _ = _atom_fit(h, [5, 6, 7], targets[0])
    if call2 is None:
        return Act(
            f"Apply '{best['commands']}' to the target (views 5-7), shift freely, and compare with each "
            "option.",
            [
                Call(
                    "fit_atom_rotation",
                    {
                        "images": [5, 6, 7],
                        "targets": targets,
                        "candidates": [best["commands"]],
                        "translate": True,
                    },
                )
            ],
        )
    if not call2.ok:
        return Answer(f"The target's views could not be compared with the options: {call2.data}", None)
    scores = {k: call2.data["targets"][str(i)]["ranked"][0]["agreement"] for k, i in options.items()}
    answer = _pick_by_agreement(scores, f"the target rotated by '{best['commands']}'")
    if answer.answer is not None:
        # the option's shift must go the reference's way (the two complexes' pixel scales may differ)
        want = _shift_kind(best["shift_px"])
        got = _shift_kind(call2.data["targets"][str(options[answer.answer])]["ranked"][0]["shift_px"])
        if want is not None and got is not None and want != got:
            return Answer(
                f"{answer.reasoning} But option {answer.answer} moves along {got}, the reference along "
                f"{want}.",
                None,
            )
    return answer


def _pairs(prompt: str) -> list[str]:
    rolls = _rolls(prompt)
    return [f"{a}, {b}" for a in rolls for b in rolls if a.split()[1] != b.split()[1]]


def rotation_rotation(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    options = _options(item)
    if options is None:
        return Answer("The options do not name images.", None)
    call, fit = _atom_fit(h, [1, 2, 3], 4)
    if call is None:
        return Act(
            "Rebuild the atoms from views 1-3 and test every pair of rotations against image 4.",
            [
                Call(
                    "fit_atom_rotation",
                    {"images": [1, 2, 3], "targets": [4], "candidates": _pairs(item.prompt)},
                )
            ],
        )
    if fit is None or not fit["decisive"]:
        return Answer(f"The two rotations are not decided: {fit['reason'] if fit else call.data}.", None)
    pair = fit["ranked"][0]["commands"]
    twice = f"{pair}, {pair}"
    targets = sorted(options.values())
    call2, _ = _atom_fit(h, [1, 2, 3], targets[0])
    if call2 is None:
        return Act(
            f"The rotations fit as '{pair}'; apply them twice and compare with each option.",
            [Call("fit_atom_rotation", {"images": [1, 2, 3], "targets": targets, "candidates": [twice]})],
        )
    if not call2.ok:
        return Answer(f"The options could not be compared: {call2.data}", None)
    scores = {k: call2.data["targets"][str(i)]["ranked"][0]["agreement"] for k, i in options.items()}
    return _pick_by_agreement(scores, f"the scene rotated by '{twice}'")


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
        why = "its label was not located" if lig not in pos else "the scale could not be fixed"
        return _location_by_reach(item, pos, residue, f"Ligand atom {lig} cannot be located: {why}")
    lx, ly, lz = pos[lig]["xyz_angstrom"]
    if residue not in pos or "xyz_angstrom" not in pos[residue]:
        return _location_by_ligand(item, (lx, ly), lig, residue)
    rx, ry, rz = pos[residue]["xyz_angstrom"]
    v = [rx - lx, ry - ly, rz - lz]
    n = math.sqrt(sum(c * c for c in v)) or 1.0
    cx, cy = lx + HALF_HBOND * v[0] / n, ly + HALF_HBOND * v[1] / n
    note = (
        f"ligand atom {lig} at ({lx}, {ly}) Å, {residue} (CA) at ({rx}, {ry}) Å; bond centre taken "
        f"{HALF_HBOND} Å from {lig} towards it"
    )
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


def _location_by_ligand(item: ItemView, lig_xy: tuple[float, float], lig: str, residue: str) -> Answer:
    """Without the residue, only a sure bound: the bond's centre is at most half the longest bond from the
    ligand atom, so no farther in the front view's plane either (options are rounded to whole Å)."""
    lx, ly = lig_xy
    limit = HBOND_MAX / 2 + OPTION_ROUNDING
    feasible, slack, listing = _within(item, (lx, ly), limit)
    note = (
        f"ligand atom {lig} at ({lx}, {ly}) Å; residue {residue} is not located; the bond's centre is within "
        f"{limit:.1f} Å (+{slack:.1f} Å for the scale) of {lig}; each option's centre from it: {listing}"
    )
    if len(feasible) != 1:
        return Answer(f"{note}: {len(feasible)} options remain, the bound does not decide.", None)
    return Answer(f"{note}: only {feasible[0]} is within reach.", feasible[0])


def _within(item: ItemView, point: tuple[float, float], limit: float) -> tuple[list[str], float, str]:
    """The options whose bond centre lies within `limit` Å (plus the scale's slack) of a located point in
    the front view's plane; the slack; and each option's distance, listed."""
    slack = 0.5 + SCALE_MARGIN * math.hypot(*point)
    gaps = {k: math.dist((-mx, -my), point) for k, (mx, my) in option_moves(item).items()}
    feasible = sorted(k for k, g in gaps.items() if g <= limit + slack)
    return feasible, slack, ", ".join(f"{k} {gaps[k]:.1f} Å" for k in sorted(gaps))


HBOND_MAX = 4.0  # Å: the longest donor–acceptor distance the task allows, with its tolerance
SCALE_MARGIN = 0.06  # relative error of a chemistry scale (largest measured 6 %)
OPTION_ROUNDING = 0.71  # Å: options are whole Å along x and y, so the true centre is this close to one


def _location_by_reach(item: ItemView, pos: dict, residue: str, before: str) -> Answer:
    """Options whose bond centre the named residue cannot reach are ruled out; answer if one remains.

    The bond's centre lies at most reach + half the longest bond from the residue's CA in 3D, so no closer
    in the front view's plane either: a sure bound, not an estimate.
    """
    if residue not in pos or "xyz_angstrom" not in pos[residue]:
        why = "not located" if residue not in pos else "located, but the scale is not fixed"
        return Answer(f"{before}; residue {residue} is {why}.", None)
    rx, ry, _ = pos[residue]["xyz_angstrom"]
    limit = pos[residue]["bond_reach_angstrom"] + HBOND_MAX / 2
    feasible, slack, listing = _within(item, (rx, ry), limit)
    note = (
        f"{before}; {residue} (CA) at ({rx}, {ry}) Å reaches at most {limit:.1f} Å (+{slack:.1f} Å for the "
        f"scale); each option's bond centre from the CA: {listing}"
    )
    if len(feasible) != 1:
        return Answer(f"{note}: {len(feasible)} options remain, the reach does not decide.", None)
    return Answer(f"{note}: only {feasible[0]} is within reach.", feasible[0])


def _abstain(why: str) -> Strategy:
    def strategy(item: ItemView, tools: set[str], h: History) -> Act | Answer:
        return Answer(why, None)

    return strategy


STRATEGIES: dict[str, Strategy] = {
    "T1": translation,
    "T2": rotation,
    "T3": zoom,
    "T4": image_bonds.residue_bonds,
    "T5": translation_rotation,
    "T6": rotation_rotation,
    "T7": _abstain("Docking needs the bound pose, which the images of the separated parts do not give."),
    "T8": interaction_location,
    "T9": _abstain("The pocket's bonding atoms carry no labels; the images alone do not name the bonds."),
}
