"""The splits an export reads, and their images rendered before anything is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from eval.benchmark import BenchmarkError
from eval.items import Item
from eval.misi.bench import MisiBenchmark

Progress = Callable[[str, int, int], None]


class ExportError(ValueError):
    """A directory or split an export cannot read; the message says what is there instead."""


def find_splits(bench_dir: Path) -> dict[str, Path]:
    """{split: benchmark directory}. A protocol build (split.json) has one directory per split; a plain
    benchmark directory is one split, `test`, since it was built to evaluate on."""
    bench_dir = Path(bench_dir)
    record = bench_dir / "split.json"
    if record.is_file():
        names = sorted(json.loads(record.read_text()).get("splits", {}), key=lambda s: (s != "train", s))
        return {s: bench_dir / s for s in names if (bench_dir / s / "items").is_dir()}
    if (bench_dir / "items").is_dir():
        return {"test": bench_dir}
    raise ExportError(f"{bench_dir}: not a benchmark directory (no items/ folder and no split.json)")


def select_splits(bench_dir: Path, wanted: list[str]) -> dict[str, MisiBenchmark]:
    found = find_splits(bench_dir)
    missing = [s for s in wanted if s not in found]
    if missing:
        raise ExportError(
            f"{bench_dir}: no {', '.join(missing)} split (it has: {', '.join(found) or 'none'}); "
            f"choose with --splits"
        )
    try:
        return {s: MisiBenchmark(found[s]) for s in wanted}
    except BenchmarkError as exc:
        raise ExportError(str(exc)) from exc


def items_with_images(
    bench: MisiBenchmark, workers: int = 1, progress: Progress | None = None, stage: str = "render"
) -> list[Item]:
    """Every item of the split; images a lazy build has not made yet are rendered first, in one pool."""
    from tools.render import RenderSpec, render_specs

    items = bench.items()
    jobs: dict[str, tuple[RenderSpec, Path]] = {}
    for item in items:
        specs = item.generation.get("images") or []
        for i, im in enumerate(item.images):
            if (bench.root / im.path).is_file() or im.path in jobs:
                continue
            if len(specs) != len(item.images):
                raise ExportError(f"{item.id}: image {im.path} is missing and no render spec is stored")
            jobs[im.path] = (RenderSpec.model_validate(specs[i]), bench.root / im.path)
    if jobs:
        render_specs(
            list(jobs.values()),
            base=bench.root,
            workers=workers,
            progress=(lambda d, t: progress(stage, d, t)) if progress else None,
        )
    return items


def pdb_id(item: Item) -> str:
    return item.structure.pdb_id.upper() if item.structure else ""
