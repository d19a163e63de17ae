"""What every render engine shares: the one-thread rule that keeps pixels identical, the engines' names,
their errors, and the order jobs are given to workers in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from tools.render.scene import RenderSpec

# PyMOL's ray tracer is not deterministic with several threads (a few pixels change from run to run)
# and depends on the thread count, so each worker traces on one thread and parallelism comes from
# worker processes: one spec always gives the same pixels.
RAY_THREADS = 1

Executor = Literal["pool", "ray"]  # local worker processes, or actors on a Ray cluster


class RenderError(RuntimeError):
    """A spec that could not be rendered; the message names the complex, the view and the output."""


class EngineUnavailable(RenderError):
    """The chosen render engine is not installed, or its cluster cannot be started or reached."""


def by_complex(todo: dict[Path, RenderSpec]) -> dict[Path, RenderSpec]:
    """The jobs grouped by complex (stable within a group): a worker keeps a few dozen loaded complexes,
    and a build of thousands would otherwise reload one for nearly every image."""

    def complex_of(job: tuple[Path, RenderSpec]) -> tuple[str, str, float]:
        ref = job[1].structure
        return ref.folder, ref.ligand or "", ref.pocket_cutoff

    return dict(sorted(todo.items(), key=complex_of))


def failure(spec: RenderSpec, out: Path, exc: BaseException) -> RenderError:
    return RenderError(
        f"rendering {spec.structure.pdb_id} (view {spec.view}, content {spec.content}) to {out} failed: "
        f"{type(exc).__name__}: {exc}"
    )
