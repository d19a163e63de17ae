"""Real 512 px renders of one bundled complex (1acj) for the perception tests: a small benchmark with the
rotation and zoom tasks, rendered once per session.
"""

from __future__ import annotations

import shutil

import pytest

from eval.bench import Benchmark
from tests.conftest import COMPLEXES


@pytest.fixture(scope="session")
def bench_512(tmp_path_factory: pytest.TempPathFactory) -> Benchmark:
    from eval.misi.build.builder import BuildConfig, build

    src = tmp_path_factory.mktemp("perception-complexes")
    shutil.copytree(COMPLEXES / "1acj", src / "1acj")
    shutil.copy(COMPLEXES / "index.csv", src / "index.csv")
    out = tmp_path_factory.mktemp("perception-bench")
    build(BuildConfig(src, out, per_task=1, seed=3, tasks=["T2", "T3"], image_size=512, render=True))
    return Benchmark(out)
