"""Real renders of bundled complexes: at known cameras (perception and pose tests), and a 512 px benchmark
of 1acj with the rotation and zoom tasks, rendered once per session (label reading and reconstruction)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eval.misi.bench import MisiBenchmark as Benchmark
from tests.conftest import COMPLEXES
from tools.render import RenderSpec, StructureRef, render_specs

SIZE = 320
FIELD = 34.0  # Å, about the builder's width for 1hvi's pocket


@pytest.fixture(scope="session")
def hvi(complexes_dir: Path) -> StructureRef:
    return StructureRef(pdb_id="1hvi", folder=str(complexes_dir / "1hvi"), ligand="A77:A:800")


def spec(ref: StructureRef, **kw: object) -> RenderSpec:
    fields: dict = {"structure": ref, "field_width": FIELD, "size": SIZE, **kw}
    return RenderSpec(**fields)


@pytest.fixture(scope="session")
def renders(
    hvi: StructureRef, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[RenderSpec, Path]]:
    """Named renders: the item-style front view, views at a 10 % larger scale, moved and rotated poses."""
    out = tmp_path_factory.mktemp("renders")
    specs = {
        "front": spec(hvi),
        "big": spec(hvi, field_width=FIELD / 1.1),
        "big_moved": spec(hvi, field_width=FIELD / 1.1, scene="move x 2, move y -1"),
        "big_roll": spec(hvi, field_width=FIELD / 1.1, scene="roll x 30"),
        "big_zoom": spec(hvi, field_width=FIELD / 1.1, scene="move z 45"),
        "big_move": spec(hvi, field_width=FIELD / 1.1, scene="move x -3"),
        "left": spec(hvi, view="left"),
    }
    jobs = {name: (s, out / f"{name}.png") for name, s in specs.items()}
    render_specs(list(jobs.values()), workers=2)
    return jobs


@pytest.fixture(scope="session")
def bench_512(tmp_path_factory: pytest.TempPathFactory) -> Benchmark:
    from eval.misi.build.builder import BuildConfig, build

    src = tmp_path_factory.mktemp("perception-complexes")
    shutil.copytree(COMPLEXES / "1acj", src / "1acj")
    shutil.copy(COMPLEXES / "index.csv", src / "index.csv")
    out = tmp_path_factory.mktemp("perception-bench")
    build(BuildConfig(src, out, per_task=1, seed=3, tasks=["T2", "T3"], image_size=512, render=True))
    return Benchmark(out)
