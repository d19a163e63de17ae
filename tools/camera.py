"""The camera model and the paper's commands, as rigid motions of the scene in screen space.

Screen space is the front camera's frame: X to the right, Y up, Z out of the screen towards the viewer
(the paper's convention). The front view looks down -Z of the structure file's own frame (as ChimeraX
opens a structure), centred on the pocket + ligand bounding-box centre, which becomes the origin.

Every command moves the scene (never the camera), in this fixed frame:
- `move x d`, `move y d`: translate the scene by d Å along screen X or Y.
- `move z d`: translate the scene by d Å along +Z, towards the camera. The camera is a scaled
  orthographic ("weak perspective") camera placed CAMERA_DISTANCE Å in front of the origin: there is
  no perspective distortion within the scene, but the field width shrinks with the distance from the
  camera to the scene centre, W = W0 · (D − z_c) / D. Positive d therefore zooms in by D / (D − d).
- `roll x|y|z θ`: rotate the scene by θ degrees about the screen axis through the scene's centre,
  right-hand rule (positive θ about Z turns the scene counter-clockwise on screen). The scene centre
  starts at the origin and travels with every move, so a roll never translates the centre.

A command followed by its inverse (same axis, negated value) restores every coordinate to within
floating-point error. The six named views are rotations of the camera about the origin, expressed as
the scene roll that shows that side facing the viewer (left: roll y 90, …; see VIEWS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

CAMERA_DISTANCE = 150.0  # Å from the camera to the origin (look-at point)

Axis = Literal["x", "y", "z"]
Verb = Literal["move", "roll"]
AXIS_NAMES: tuple[Axis, ...] = ("x", "y", "z")


def as_axis(name: str) -> Axis:
    """A screen axis by name ('x', 'y' or 'z', any case); ValueError for anything else."""
    for axis in AXIS_NAMES:
        if axis == name.lower():
            return axis
    raise ValueError(f"not an axis: {name!r} (valid: x, y, z)")
_AXES: dict[str, int] = {"x": 0, "y": 1, "z": 2}


@dataclass(frozen=True)
class Command:
    """One of the paper's commands: `move <x|y|z> <Å>` or `roll <x|y|z> <degrees>`."""

    verb: Verb
    axis: Axis
    value: float

    def inverse(self) -> Command:
        return Command(self.verb, self.axis, -self.value)

    def __str__(self) -> str:
        return f"{self.verb} {self.axis} {format_number(self.value)}"


def format_number(value: float) -> str:
    """Integers without a decimal point (`move x 4`), others with up to 3 decimals."""
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.3f}".rstrip("0").rstrip(".")


COMMAND_RE = re.compile(r"\b(move|roll)\s+([xyz])\s+([+-]?\d+(?:\.\d+)?)\b", re.IGNORECASE)


def parse_commands(text: str) -> list[Command]:
    """Every command in `text`, in order ('roll y 15, move x 4' → two commands)."""
    return [
        Command(verb.lower(), axis.lower(), float(value))
        for verb, axis, value in COMMAND_RE.findall(text)
    ]


def format_commands(commands: list[Command]) -> str:
    return ", ".join(str(c) for c in commands)


def rotation_matrix(axis: Axis, degrees: float) -> np.ndarray:
    """Right-hand rotation about a screen axis."""
    t = np.deg2rad(degrees)
    c, s = np.cos(t), np.sin(t)
    if axis == "x":
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    if axis == "y":
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


@dataclass
class Pose:
    """A rigid motion of (part of) the scene in screen space, with the centre it rotates about.

    `matrix` maps initial screen coordinates to current ones; `pivot` is the rotation centre in
    initial screen coordinates (the origin for the whole scene, the ligand centroid for docking).
    """

    matrix: np.ndarray = field(default_factory=lambda: np.eye(4))
    pivot: np.ndarray = field(default_factory=lambda: np.zeros(3))

    @property
    def centre(self) -> np.ndarray:
        """Where the pivot is now."""
        return self.matrix[:3, :3] @ self.pivot + self.matrix[:3, 3]

    def apply(self, commands: list[Command]) -> Pose:
        m = self.matrix.copy()
        for cmd in commands:
            step = np.eye(4)
            if cmd.verb == "move":
                step[_AXES[cmd.axis], 3] = cmd.value
            else:
                c = m[:3, :3] @ self.pivot + m[:3, 3]
                r = rotation_matrix(cmd.axis, cmd.value)
                step[:3, :3] = r
                step[:3, 3] = c - r @ c
            m = step @ m
        return Pose(m, self.pivot.copy())

    def transform(self, xyz: np.ndarray) -> np.ndarray:
        return xyz @ self.matrix[:3, :3].T + self.matrix[:3, 3]


VIEWS: dict[str, list[Command]] = {
    "front": [],
    "left": [Command("roll", "y", 90)],
    "top": [Command("roll", "x", 90)],
    "back": [Command("roll", "y", 180)],
    "right": [Command("roll", "y", -90)],
    "bottom": [Command("roll", "x", -90)],
}
VIEWS_3V = ["front", "left", "top"]
VIEWS_6V = ["front", "left", "top", "back", "right", "bottom"]


def view_matrix(view: str) -> np.ndarray:
    """The camera rotation of a named view, about the origin, as a 3x3 matrix on screen coordinates."""
    if view not in VIEWS:
        raise ValueError(f"unknown view '{view}' (valid: {', '.join(VIEWS)})")
    return Pose().apply(VIEWS[view]).matrix[:3, :3]


def zoom_factor(centre_depth: float, camera_distance: float = CAMERA_DISTANCE) -> float:
    """How much larger the scene looks when its centre sits at depth z_c (the weak-perspective rule)."""
    if centre_depth >= camera_distance - 1.0:
        raise ValueError(f"scene centre at depth {centre_depth:.1f} Å is behind or at the camera")
    return camera_distance / (camera_distance - centre_depth)
