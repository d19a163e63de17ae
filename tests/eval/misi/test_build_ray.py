"""The Ray executor on a real local Ray instance gives the same items and images, byte for byte, as the
process pool, and leaves no Ray process behind."""

import hashlib
import shutil
from pathlib import Path

import pytest

from eval.misi.build.builder import BuildConfig, build
from tests.ray_support import own_ray_processes, wait_for_no_ray_processes

ray = pytest.importorskip("ray")


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "items").glob("*.json")) + sorted((root / "images").glob("*.png"))
    }


def test_ray_build_matches_the_process_pool_build(complexes_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "complexes"
    for pdb_id in ("1acj", "1g9v"):
        shutil.copytree(complexes_dir / pdb_id, src / pdb_id)
    shutil.copy(complexes_dir / "index.csv", src / "index.csv")
    common = dict(per_task=1, seed=5, tasks=["T1", "T2", "T7"], image_size=64, workers=2)
    pool = build(BuildConfig(src, tmp_path / "pool", **common))
    seen: list[list[str]] = []

    def watch(stage: str, done: int, total: int) -> None:
        if stage == "render" and not seen:
            seen.append(own_ray_processes())  # while Ray runs, its processes are found

    with_ray = build(BuildConfig(src, tmp_path / "ray", executor="ray", **common), watch)
    assert seen and seen[0]
    assert with_ray.rendered == pool.rendered > 0
    assert _digests(tmp_path / "ray") == _digests(tmp_path / "pool")
    assert (tmp_path / "ray" / "bench.json").read_bytes() == (tmp_path / "pool" / "bench.json").read_bytes()
    assert not ray.is_initialized()
    assert wait_for_no_ray_processes() == []
    assert not list((tmp_path / "ray" / "images").glob(".*"))  # no temp files left


def test_a_failing_render_on_ray_names_the_spec_and_shuts_ray_down(tmp_path: Path) -> None:
    from tools.render import RenderError, RenderSpec, StructureRef, render_specs

    missing = StructureRef(pdb_id="9zzz", folder=str(tmp_path / "9zzz"))
    (tmp_path / "9zzz").mkdir()
    out = tmp_path / "out.png"
    with pytest.raises(RenderError, match="9zzz") as failed:
        render_specs([(RenderSpec(structure=missing, field_width=20.0, size=32), out)], executor="ray")
    assert "StructureError" in str(failed.value) and "Traceback" not in str(failed.value)
    assert not out.exists()
    assert not ray.is_initialized()
    assert wait_for_no_ray_processes() == []
    assert own_ray_processes() == []
