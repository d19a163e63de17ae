import shutil
from pathlib import Path

import pytest

from eval.misi.build.builder import BuildConfig
from eval.misi.build.paper import SplitBuildConfig, build_protocol


@pytest.fixture(scope="session")
def split_bench(tmp_path_factory: pytest.TempPathFactory, complexes_dir: Path) -> Path:
    """A lazy protocol build of three complexes (train 2, test 1) with an open, an MC and a bond task;
    the exports render its images."""
    src = tmp_path_factory.mktemp("export-complexes")
    for pdb_id in ("1acj", "2bm2", "1hvi"):
        shutil.copytree(complexes_dir / pdb_id, src / pdb_id)
    shutil.copy(complexes_dir / "index.csv", src / "index.csv")
    out = tmp_path_factory.mktemp("export-bench")
    config = BuildConfig(src, out, tasks=["T1", "T5", "T9"], image_size=96, workers=2, render=False)
    build_protocol(SplitBuildConfig(config))
    return out
