"""Rendering a planned movie: one RenderSpec per frame with the motion up to that frame's time, all frames
of all movies through one PyMOL worker pool, then each movie encoded as an MP4 (PyAV)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from eval.misi.build.plan import projected_width
from eval.scivideo.local.plan import Movie
from tools.frames.video import encode_mp4
from tools.render.scene import RenderSpec, StructureRef
from tools.structure import Complex

SPARE = 2.0  # Å around the complex; projected_width already leaves room for any roll about a screen axis


@dataclass
class MovieJob:
    movie: Movie
    specs: list[RenderSpec]
    out: Path  # the MP4


def field_width(cx: Complex, movie: Movie) -> float:
    """Å across the frame: the complex in every roll, plus the whole travel of a move."""
    travel = abs(movie.rate) * movie.frame_time(movie.n_frames - 1) if movie.verb == "move" else 0.0
    return projected_width(cx.all_coords - cx.centre, spare=SPARE + travel)


def frame_specs(movie: Movie, ref: StructureRef, width: float) -> list[RenderSpec]:
    # No labels: PyMOL keeps text upright while the scene turns, and at movie sizes it is unreadable.
    return [
        RenderSpec(
            structure=ref,
            scene=str(movie.command_at(movie.frame_time(k))),
            field_width=width,
            size=movie.size,
            labels=False,
        )
        for k in range(movie.n_frames)
    ]


def render_movies(jobs: list[MovieJob], frames_dir: Path, workers: int) -> None:
    """Render every frame (frames already in `frames_dir` are reused) and encode each movie."""
    from tools.render import render_specs  # PyMOL only where frames are made

    paths = {id(job): [frames_dir / f"{s.digest()}.png" for s in job.specs] for job in jobs}
    render_specs(
        [(s, p) for job in jobs for s, p in zip(job.specs, paths[id(job)])],
        workers=workers,
    )
    for job in jobs:
        images = []
        for p in paths[id(job)]:
            with Image.open(p) as im:
                images.append(im.convert("RGB"))
        encode_mp4(images, job.out, fps=job.movie.fps)
