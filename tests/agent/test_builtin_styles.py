"""The built-in policy (structure access) on images drawn in styles its tools do not assume: it docks a
ligand from views whose labels are 1.3× larger in another font (DejaVu Serif) and cover nearly every atom,
and reads a zoom from sticks 1.75× thicker than the project's, as well as in the project's own style."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent.builtin.actions import Answer
from agent.toolset import all_tools
from eval.misi.bench import MisiBenchmark
from eval.misi.build.builder import BuildConfig, build
from eval.perf.robustness import STYLES, styled_benchmark
from tests.agent.policy_play import play
from tools.base import ToolContext


def _play(view, ctx: ToolContext) -> Answer:
    return play(view, ctx, {t.name for t in all_tools()}, turns=6, tool_errors=False)


def _bench(complexes_dir: Path, tmp_path_factory: pytest.TempPathFactory, pdb_id: str, task: str) -> Path:
    src = tmp_path_factory.mktemp(f"{pdb_id}-complexes")
    shutil.copytree(complexes_dir / pdb_id, src / pdb_id)
    shutil.copy(complexes_dir / "index.csv", src / "index.csv")
    out = tmp_path_factory.mktemp(f"{pdb_id}-bench")
    build(BuildConfig(src, out, per_task=2, seed=0, tasks=[task], render=False))
    return out


def _solve_styled(bench_dir: Path, item, style: str, tmp_path: Path) -> Answer:
    styled = tmp_path / style
    styled_benchmark(bench_dir, [item], STYLES[style], styled, workers=1)
    bench = MisiBenchmark(styled)
    view = bench.items([item.task])[0].view()
    ctx = ToolContext(item=view, bench_dir=bench.root, workdir=tmp_path / "work", access="structure")
    return _play(view, ctx)


@pytest.fixture(scope="module")
def docking_bench(complexes_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bench(complexes_dir, tmp_path_factory, "1x0n", "T7")


@pytest.fixture(scope="module")
def zoom_bench(complexes_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bench(complexes_dir, tmp_path_factory, "4agl", "T3")


@pytest.mark.parametrize("style", ["font-serif-1.3x", "base"])
def test_docking_is_exact_with_large_serif_labels(docking_bench: Path, tmp_path: Path, style: str) -> None:
    item = MisiBenchmark(docking_bench).items(["T7"])[1]
    answer = _solve_styled(docking_bench, item, style, tmp_path)
    assert answer.answer == item.gold, answer.reasoning
    # the x shift is measured in the two views that show x, and both agree with the answer within 0.5 Å
    shift = int(item.gold.split("move x ")[1])
    views = [
        float(v)
        for v in answer.reasoning.split("(front view ")[1].rstrip(").").replace(" Å", "").split(", top view ")
    ]
    assert all(abs(-v - shift) < 1.0 for v in views), answer.reasoning


@pytest.mark.parametrize("style", ["sticks-0.35", "base"])
def test_zoom_is_exact_with_thick_sticks(zoom_bench: Path, tmp_path: Path, style: str) -> None:
    item = MisiBenchmark(zoom_bench).items(["T3"])[0]
    answer = _solve_styled(zoom_bench, item, style, tmp_path)
    assert answer.answer == item.gold, answer.reasoning
    # the answer comes from the ratio of two fitted scales, and lands within 0.25 Å of the true depth
    d = float(answer.reasoning.split("d = D(1 - 1/s) = ")[1].split(" Å")[0])
    assert abs(d - int(item.gold.split()[-1])) < 0.25
