"""The built-in policy's images-only plan for the residue–ligand task (T4): answer "No" when the views
prove that no N/O of the residue comes within hydrogen-bond reach of a ligand N/O, and abstain otherwise.

The proof is the `residue_contact_bound` tool's lower bound (every projected distance is at most the true
one, text counted as possible ligand atoms, the scale raised by its margin). Nothing here names bonds: the
residue's atoms carry no labels, so a "Yes" would be a guess.
"""

from __future__ import annotations

import re

from agent.builtin.actions import Act, Answer, Call
from agent.builtin.history import History
from eval.items import ItemView

BOUND_TOOL = "residue_contact_bound"
_RESIDUE = re.compile(r"whether the residue (\w{3}) (-?\d+[A-Za-z]?)")


def residue_bonds(item: ItemView, tools: set[str], h: History) -> Act | Answer:
    if BOUND_TOOL not in tools:
        return Answer("No tool bounds the residue–ligand distances from the images.", None)
    m = _RESIDUE.search(item.prompt)
    views = [i + 1 for i, im in enumerate(item.images) if im.view]
    if not m or len(views) != 6:
        return Answer("The task does not name one residue shown in six standard views.", None)
    residue = f"{m.group(1)} {m.group(2)}"
    o = h.last(BOUND_TOOL)
    if o is None:
        return Act(
            f"Bound from below how close {residue}'s N/O atoms come to the ligand's N/O atoms in the six "
            "views.",
            [Call(BOUND_TOOL, {"images": views, "residue": residue})],
        )
    if not o.ok:
        return Answer(f"The distances could not be bounded: {o.data}", None)
    d = o.data
    scale = d["scale"]
    how_sure = (
        f"scale {scale['pixels_per_angstrom']} px/Å (taken as {scale['upper']} px/Å: {scale['reason']})"
        if scale.get("upper")
        else f"no scale ({scale['reason']})"
    )
    if d["beyond_reach"]:
        return Answer(
            f"Every N/O of {residue} is at least {d['bound_angstrom']} Å from every ligand N/O "
            f"({d['estimate_angstrom']} Å at the central scale; {how_sure}; {d['reason']}): "
            "no hydrogen bond.",
            "No",
        )
    return Answer(f"{d['verdict']}; {how_sure}. The images do not decide.", None)
