"""Planners for the tasks about moving the scene: T1 translation, T2 rotation, T3 zoom, T5 translation +
rotation, T6 rotation + rotation, T7 docking. Ranges and bins follow the paper (MISI.md)."""

from __future__ import annotations

import math
from collections.abc import Collection

import numpy as np

from eval.misi.build.plan import (
    ComplexContext,
    PlannedImage,
    PlannedItem,
    item_rng,
    nonzero_int,
    projected_width,
    shuffle_options,
)
from tools.camera import VIEWS_3V, Command, Pose, as_axis, format_commands
from tools.render.scene import scene_coordinates

AFTER = "front view after the transformation"


def _translation(rng: np.random.Generator, axes: str = "xy") -> Command:
    return Command("move", as_axis(str(rng.choice(list(axes)))), nonzero_int(rng, -4, 4))


def _rotation(rng: np.random.Generator, axes: str = "xyz") -> Command:
    return Command("roll", as_axis(str(rng.choice(list(axes)))), nonzero_int(rng, -90, 90, 15))


def plan_translation(ctx: ComplexContext, seed: int, k: int) -> PlannedItem:
    cmd = _translation(item_rng(seed, "T1", ctx.pdb_id, k))
    images = [*ctx.initial_3v(), PlannedImage(AFTER, ctx.spec(scene=str(cmd)))]
    return PlannedItem("T1", "translation", str(cmd), images, generation={"command": str(cmd)})


def plan_rotation(ctx: ComplexContext, seed: int, k: int) -> PlannedItem:
    cmd = _rotation(item_rng(seed, "T2", ctx.pdb_id, k))
    images = [*ctx.initial_3v(), PlannedImage(AFTER, ctx.spec(scene=str(cmd)))]
    return PlannedItem("T2", "rotation", str(cmd), images, generation={"command": str(cmd)})


def plan_zoom(ctx: ComplexContext, seed: int, k: int) -> PlannedItem:
    rng = item_rng(seed, "T3", ctx.pdb_id, k)
    cmd = Command("move", "z", int(rng.integers(40, 61)))
    images = [*ctx.initial_3v(), PlannedImage("front view after zooming", ctx.spec(scene=str(cmd)))]
    return PlannedItem("T3", "zoom", str(cmd), images, generation={"command": str(cmd)})


def _other_magnitude(rng: np.random.Generator, cmd: Command) -> Command:
    """Same verb, axis and sign; a different magnitude from the same bins."""
    if cmd.verb == "move":
        pool = [m for m in range(1, 5) if m != abs(cmd.value)]
    else:
        pool = [m for m in range(15, 91, 15) if m != abs(cmd.value)]
    return Command(cmd.verb, cmd.axis, math.copysign(int(rng.choice(pool)), cmd.value))


def _other_axis(rng: np.random.Generator, cmd: Command, avoid: Collection[str]) -> Command:
    axes = ["x", "y"] if cmd.verb == "move" else ["x", "y", "z"]
    pool = [a for a in axes if a != cmd.axis and a not in avoid] or [a for a in axes if a != cmd.axis]
    return Command(cmd.verb, as_axis(str(rng.choice(pool))), cmd.value)


def pair_decoys(rng: np.random.Generator, f1: Command, f2: Command) -> list[tuple[str, list[Command]]]:
    """The paper's three decoy rules on a pair of commands (f1, f2)."""
    avoid = {f2.axis} if f1.verb == f2.verb else set()
    return [
        ("change both magnitudes", [_other_magnitude(rng, f1), _other_magnitude(rng, f2)]),
        ("flip f1's sign, change f2's magnitude", [f1.inverse(), _other_magnitude(rng, f2)]),
        ("change f1's axis, change f2's magnitude", [_other_axis(rng, f1, avoid), _other_magnitude(rng, f2)]),
    ]


def _options(rng, ctx: ComplexContext, prefix: str, correct: list[Command], decoys, first_index: int):
    """Option images (front views of `prefix` + each command pair) and the gold letter."""
    entries = [("correct", correct), *decoys]
    ordered, gold = shuffle_options(rng, entries[0], entries[1:])
    images, rules, options = [], {}, {}
    for i, (rule, cmds) in enumerate(ordered):
        letter = "ABCD"[i]
        spec = ctx.spec(scene=", ".join(x for x in (prefix, format_commands(cmds)) if x))
        images.append(PlannedImage(f"option {letter}", spec))
        options[letter] = f"Image {first_index + i}"
        rules[letter] = {"rule": rule, "commands": format_commands(cmds)}
    if len({im.spec.digest() for im in images}) < 4:
        raise ValueError("two options render the same image")
    return images, options, gold, rules


def plan_translation_rotation(
    ctx: ComplexContext, seed: int, k: int, reference: ComplexContext
) -> PlannedItem:
    rng = item_rng(seed, "T5", ctx.pdb_id, k)
    f1, f2 = _translation(rng), _rotation(rng)
    pair = format_commands([f1, f2])
    images = [
        *reference.views(VIEWS_3V, "the reference complex"),
        PlannedImage(
            "front view of the reference complex after the transformation", reference.spec(scene=pair)
        ),
        *ctx.views(VIEWS_3V, "the target complex"),
    ]
    opts, options, gold, rules = _options(rng, ctx, "", [f1, f2], pair_decoys(rng, f1, f2), len(images) + 1)
    values = {
        "reference_id": reference.pdb_id,
        "n_reference": 4,
        "n_target_images": 3,
    }
    gen = {"f1": str(f1), "f2": str(f2), "reference": reference.pdb_id, "options": rules}
    return PlannedItem("T5", "choice", gold, images + opts, values, options, gen)


def plan_rotation_rotation(ctx: ComplexContext, seed: int, k: int) -> PlannedItem:
    rng = item_rng(seed, "T6", ctx.pdb_id, k)
    f1 = _rotation(rng)
    f2 = _rotation(rng, "".join(a for a in "xyz" if a != f1.axis))
    pair = format_commands([f1, f2])
    images = [*ctx.initial_3v(), PlannedImage("front view after the two rotations", ctx.spec(scene=pair))]
    opts, options, gold, rules = _options(rng, ctx, pair, [f1, f2], pair_decoys(rng, f1, f2), len(images) + 1)
    gen = {"f1": str(f1), "f2": str(f2), "options": rules}
    return PlannedItem("T6", "choice", gold, images + opts, {}, options, gen)


def plan_docking(ctx: ComplexContext, seed: int, k: int) -> PlannedItem:
    """The answer (roll a θ about the ligand centre, then move x d) docks the displaced ligand back."""
    rng = item_rng(seed, "T7", ctx.pdb_id, k)
    roll = _rotation(rng)
    probe = ctx.spec(content="complex")
    pocket, lig, _ = scene_coordinates(probe, ctx.cx)
    lig_centre = lig.mean(axis=0)
    lig_radius = float(np.max(np.linalg.norm(lig - lig_centre, axis=1)))
    sign = 1 if rng.random() < 0.5 else -1
    gap = 3.0
    if sign > 0:  # the displaced ligand sits to the left of the pocket
        need = lig_centre[0] + lig_radius + gap - pocket[:, 0].min()
    else:
        need = pocket[:, 0].max() - lig_centre[0] + lig_radius + gap
    shift = sign * (math.ceil(need) + int(rng.integers(0, 4)))
    move = Command("move", "x", shift)
    displace = format_commands([move.inverse(), roll.inverse()])
    displaced = Pose(pivot=lig_centre).apply([move.inverse(), roll.inverse()]).transform(lig)
    width = projected_width(np.vstack([pocket, displaced]), spare=2.0)
    images = [
        *ctx.views(VIEWS_3V, "the pocket alone", content="pocket", field_width=width),
        *ctx.views(
            VIEWS_3V,
            "the displaced ligand alone",
            content="ligand",
            ligand_motion=displace,
            field_width=width,
        ),
        PlannedImage(
            "front view of the pocket with the displaced ligand",
            ctx.spec(content="complex", ligand_motion=displace, field_width=width),
        ),
    ]
    gold = format_commands([roll, move])
    return PlannedItem("T7", "docking", gold, images, generation={"displacement": displace, "answer": gold})
