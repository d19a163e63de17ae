"""Rigid transform between two poses (Kabsch, via SciPy) expressed in the paper's commands.

The commands follow tools/camera.py: rolls about screen axes through the scene centre, then moves.
A rotation about a single screen axis becomes one `roll`; any other rotation becomes the extrinsic
sequence roll x α, roll y β, roll z γ (R = Rz·Ry·Rx).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from tools.camera import Command, as_axis

AXES = "xyz"


def kabsch(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """R, t minimising |R·a + t − b| over matched rows; also the RMSD after fitting."""
    ca, cb = a.mean(axis=0), b.mean(axis=0)
    rot, _ = Rotation.align_vectors(b - cb, a - ca)
    r = rot.as_matrix()
    t = cb - r @ ca
    rmsd = float(np.sqrt(np.mean(np.sum((a @ r.T + t - b) ** 2, axis=1))))
    return r, t, rmsd


def rotation_commands(r: np.ndarray, tol_deg: float = 0.5) -> list[Command]:
    rot = Rotation.from_matrix(r)
    angle = float(np.degrees(rot.magnitude()))
    if angle < 1e-6:
        return []
    axis = rot.as_rotvec() / np.radians(angle)
    k = int(np.argmax(np.abs(axis)))
    off_axis = np.degrees(np.arccos(min(1.0, abs(float(axis[k])))))
    if off_axis * angle / 90.0 < tol_deg or off_axis < 1e-3:
        return [Command("roll", as_axis(AXES[k]), float(np.sign(axis[k]) * angle))]
    alpha, beta, gamma = rot.as_euler("xyz", degrees=True)  # extrinsic x, then y, then z
    angles = zip(AXES, (alpha, beta, gamma))
    return [Command("roll", as_axis(a), float(v)) for a, v in angles if abs(v) > 1e-6]


def transform_commands(r: np.ndarray, t: np.ndarray, centre: np.ndarray) -> list[Command]:
    """Commands that map a to R·a + t when rolls turn about `centre` (the scene centre before moving)."""
    move = t + r @ centre - centre
    cmds = rotation_commands(r)
    cmds += [Command("move", as_axis(AXES[i]), float(move[i])) for i in range(3) if abs(move[i]) > 1e-6]
    return cmds


def snap(commands: list[Command], move_step: float = 1.0, roll_step: float = 15.0) -> list[Command]:
    """Round to the benchmark's bins (1 Å, 15°), dropping commands that round to zero."""
    out = []
    for c in commands:
        step = move_step if c.verb == "move" else roll_step
        value = round(c.value / step) * step
        if value != 0:
            out.append(Command(c.verb, c.axis, float(value)))
    return out
