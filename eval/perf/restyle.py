"""Re-render a benchmark's items in styles the tools never assume: another scale or centre, other stick and
sphere radii, another label font and size, antialiasing off or stronger, JPEG compression.

The styled images are drawn by the project's PyMOL scene code in its worker processes; only the settings
named by the style are changed after the scene is loaded, so every other pixel decision is the same.
"""

from __future__ import annotations

import os
from concurrent.futures import as_completed
from pathlib import Path

from PIL import Image
from pydantic import BaseModel

from tools.render.scene import RenderSpec, build_scene


class Style(BaseModel):
    """What changes from the item's own rendering (None = as built)."""

    name: str
    scale: float = 1.0  # image magnification: the field width is divided by this
    # the scene centre moves by this fraction of the image width (x right, y up)
    centre_shift: tuple[float, float] = (0.0, 0.0)
    stick_radius: float | None = None  # Å (the project draws 0.2)
    sphere_scale: float | None = None  # Å for atoms drawn as spheres
    label_font_id: int | None = None  # PyMOL font id (the project uses 7, DejaVu Sans Bold)
    label_scale: float | None = None  # label size relative to the project's
    antialias: int | None = None
    jpeg_quality: int | None = None  # save as JPEG at this quality

    def spec(self, spec: RenderSpec) -> RenderSpec:
        update: dict = {"field_width": spec.field_width / self.scale}
        if self.antialias is not None:
            update["antialias"] = self.antialias
        return spec.model_copy(update=update)


def _draw_styled(spec: RenderSpec, style: Style, out: Path, base: Path | None) -> Path:
    """Runs in a render worker (tools.render.pool's PyMOL instance)."""
    from tools.render import pool
    from tools.render.pymol_draw import LABEL_PX_AT_512, MIN_LABEL_PX, load_scene

    cmd = pool._pymol.cmd
    scene = build_scene(spec, base)
    # a camera aimed off the scene centre by a fixed distance: zooms magnify the offset too
    dx, dy = (f * spec.field_width for f in style.centre_shift)
    for atom in scene.atoms:
        atom.x += dx
        atom.y += dy
    scene.residue_labels = [(t, xyz + [dx, dy, 0.0]) for t, xyz in scene.residue_labels]
    cmd.reinitialize()
    cmd.set("max_threads", pool.RAY_THREADS)
    load_scene(cmd, scene)
    if style.stick_radius is not None:
        cmd.set("stick_radius", style.stick_radius)
    if style.sphere_scale is not None:
        cmd.set("nb_spheres_size", style.sphere_scale)
    if style.label_font_id is not None:
        cmd.set("label_font_id", style.label_font_id)
    if style.label_scale is not None:
        size = max(MIN_LABEL_PX, round(LABEL_PX_AT_512 * scene.size / 512.0, 1))
        cmd.set("label_size", round(size * style.label_scale, 1))
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.tmp.png")
    try:
        cmd.ray(scene.size, scene.size, antialias=scene.antialias)
        cmd.png(str(tmp))
        if style.jpeg_quality is not None:
            part = out.with_name(f".{out.name}.{os.getpid()}.part")
            Image.open(tmp).convert("RGB").save(part, format="JPEG", quality=style.jpeg_quality)
            os.replace(part, out)
        else:
            os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def render_styled(
    jobs: list[tuple[RenderSpec, Style, Path]], base: Path | None = None, workers: int = 2
) -> None:
    """Render every (spec, style, output) not on disk yet, in PyMOL worker processes."""
    from tools.render.pool import _executor

    todo = [(s, st, Path(o).absolute()) for s, st, o in jobs if not Path(o).exists()]
    if not todo:
        return
    for _, _, out in todo:
        out.parent.mkdir(parents=True, exist_ok=True)
    pool = _executor(max(1, min(workers, len(todo))))
    try:
        root = None if base is None else Path(base).absolute()
        futures = [pool.submit(_draw_styled, s, st, o, root) for s, st, o in todo]
        for f in as_completed(futures):
            f.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
