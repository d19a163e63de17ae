"""Rendering throughput at 512 px: images per second for antialias 1 and 2 on 1 and 2 worker processes.

24 specs: 8 bundled complexes x 3 views (front, left, top). "wall" includes starting the worker
processes; "steady" is the rate between the first and the last finished image.

    python -m eval.perf.render_speed [--size 512] [--count 24]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np

from tools.render import RenderSpec, StructureRef, render_specs

COMPLEXES = Path(__file__).resolve().parent.parent / "data" / "complexes"
VIEWS = ("front", "left", "top")


def make_specs(count: int, size: int, antialias: int) -> list[RenderSpec]:
    with (COMPLEXES / "index.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    specs: list[RenderSpec] = []
    for row in rows[:: max(1, len(rows) // ((count + len(VIEWS) - 1) // len(VIEWS)))]:
        ref = StructureRef(
            pdb_id=row["id"], folder=str(COMPLEXES / row["id"]), ligand=row["ligand_bsid_in_complex"] or None
        )
        cx = ref.load()
        xyz = np.vstack([cx.pocket.coords, cx.ligand.atoms.coords]) - cx.centre
        width = 2.2 * float(np.linalg.norm(xyz, axis=1).max())  # the whole pocket from every side
        specs += [
            RenderSpec(structure=ref, view=view, field_width=width, size=size, antialias=antialias)
            for view in VIEWS
        ]
    return specs[:count]


def measure(specs: list[RenderSpec], workers: int) -> tuple[float, float]:
    """(wall images/s, steady images/s) for rendering `specs` into a fresh folder."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [(spec, Path(tmp) / f"{i:03d}.png") for i, spec in enumerate(specs)]
        finished: list[float] = []
        start = time.perf_counter()
        render_specs(jobs, workers=workers, progress=lambda done, total: finished.append(time.perf_counter()))
        wall = time.perf_counter() - start
    steady = (len(finished) - 1) / (finished[-1] - finished[0]) if len(finished) > 1 else float("nan")
    return len(specs) / wall, steady


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--count", type=int, default=24)
    args = parser.parse_args()
    print(f"{'antialias':>9} {'workers':>7} {'images':>6} {'wall img/s':>10} {'steady img/s':>12}")
    for antialias in (1, 2):
        specs = make_specs(args.count, args.size, antialias)
        for workers in (1, 2):
            wall, steady = measure(specs, workers)
            print(f"{antialias:>9} {workers:>7} {len(specs):>6} {wall:>10.2f} {steady:>12.2f}")


if __name__ == "__main__":
    main()
