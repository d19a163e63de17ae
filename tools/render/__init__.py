"""Rendering complexes: specs and scenes (pure data and geometry) and PyMOL worker processes."""

from tools.render.pool import EngineUnavailable, RenderError, render_one, render_specs
from tools.render.scene import RenderSpec, StructureRef, build_scene, project

__all__ = [
    "EngineUnavailable",
    "RenderError",
    "RenderSpec",
    "StructureRef",
    "build_scene",
    "project",
    "render_one",
    "render_specs",
]
