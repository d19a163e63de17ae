import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from eval.items import Item
from eval.misi.bench import MisiBenchmark as Benchmark
from eval.misi.build.builder import ALL_TASKS, BuildConfig, build
from eval.misi.build.plan import ComplexContext
from eval.misi.hbonds import find_hbonds
from eval.misi.parse import parse_answer
from tools.camera import Pose, parse_commands
from tools.render.scene import RenderSpec, scene_coordinates
from tools.structure import load_complex
from tools.structure.atoms import find_atom

PICK = ("1acj", "2bm2", "1g9v")


@pytest.fixture(scope="module")
def small_complexes(tmp_path_factory: pytest.TempPathFactory, complexes_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("complexes")
    for pdb_id in PICK:
        shutil.copytree(complexes_dir / pdb_id, root / pdb_id)
    shutil.copy(complexes_dir / "index.csv", root / "index.csv")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, small_complexes: Path) -> Path:
    out = tmp_path_factory.mktemp("bench")
    build(BuildConfig(small_complexes, out, per_task=2, seed=3, image_size=96, workers=2))
    return out


def _items(root: Path) -> dict[str, Item]:
    return {p.stem: Item.read(p) for p in sorted((root / "items").glob("*.json"))}


def test_every_task_is_built_with_its_image_count(built: Path) -> None:
    items = _items(built)
    counts = {"T1": 4, "T2": 4, "T3": 4, "T4": 6, "T5": 11, "T6": 8, "T7": 7, "T8": 6, "T9": 6}
    assert {it.task for it in items.values()} == set(ALL_TASKS)
    for it in items.values():
        assert len(it.images) == counts[it.task], it.id
        assert all((built / im.path).is_file() for im in it.images)
        assert f"PDB ID: {it.structure.pdb_id.upper()}" in it.prompt or it.task == "T5"
        assert f"{len(it.images)} images" in it.prompt
        parsed = parse_answer(it.gold, it.answer_format)
        assert parsed.ok and parsed.value == it.gold, (it.id, it.gold, parsed)


def test_ranges_and_bins_follow_the_paper(built: Path) -> None:
    for it in _items(built).values():
        cmds = parse_commands(it.gold) if it.task in {"T1", "T2", "T3", "T7"} else []
        if it.task == "T1":
            assert cmds[0].verb == "move" and cmds[0].axis in "xy" and 1 <= abs(cmds[0].value) <= 4
        if it.task == "T2":
            assert cmds[0].verb == "roll" and cmds[0].value % 15 == 0 and 15 <= abs(cmds[0].value) <= 90
        if it.task == "T3":
            assert cmds[0].axis == "z" and 40 <= cmds[0].value <= 60
        if it.task == "T7":
            assert [c.verb for c in cmds] == ["roll", "move"] and cmds[1].axis == "x"
            assert cmds[0].value % 15 == 0 and abs(cmds[0].value) <= 90


def test_mc_options_follow_the_decoy_rules(built: Path) -> None:
    for it in _items(built).values():
        if it.task not in {"T5", "T6"}:
            continue
        rules = it.generation["options"]
        assert rules[it.gold]["rule"] == "correct"
        assert sorted(r["rule"] for r in rules.values()) == sorted(
            [
                "correct",
                "change both magnitudes",
                "flip f1's sign, change f2's magnitude",
                "change f1's axis, change f2's magnitude",
            ]
        )
        option_paths = [im.path for im in it.images[-4:]]
        assert len(set(option_paths)) == 4  # four different pictures


def test_docking_gold_puts_the_ligand_back_and_the_displacement_clears_the_pocket(built: Path) -> None:
    for it in _items(built).values():
        if it.task != "T7":
            continue
        cx = it.structure.load(built)
        spec = RenderSpec.model_validate(it.generation["images"][-1])
        pocket, displaced, _ = scene_coordinates(spec, cx)
        bound = cx.ligand.atoms.coords - cx.centre
        docked = Pose(pivot=displaced.mean(axis=0)).apply(parse_commands(it.gold)).transform(displaced)
        assert np.abs(docked - bound).max() < 1e-6
        gap = np.min(np.linalg.norm(pocket[:, None, :] - displaced[None, :, :], axis=2))
        assert gap > 2.0


def test_interaction_location_gold_centres_the_bond(built: Path) -> None:
    checked = 0
    for it in _items(built).values():
        if it.task != "T8":
            continue
        cx = it.structure.load(built)
        m = re.match(r"chain (\S+) (\w+) (\S+) (\S+) and ligand atom (\S+)", it.generation["bond"])
        chain, resn, num, atom, lig_atom = m.groups()
        _, p = find_atom(cx, f"{chain}:{resn}:{num} {atom}")
        _, q = find_atom(cx, f"ligand {lig_atom}")
        mid = (
            Pose().apply(parse_commands(it.options[it.gold])).transform(((p + q) / 2 - cx.centre)[None, :])[0]
        )
        assert abs(mid[0]) <= 0.5 and abs(mid[1]) <= 0.5  # whole-Å moves: within half an Å of the centre
        assert len(set(it.options.values())) == 4
        checked += 1
    assert checked


def test_bond_tasks_use_the_geometric_answer_key(built: Path) -> None:
    for it in _items(built).values():
        if it.task == "T9":
            bonds = find_hbonds(it.structure.load(built))
            assert it.gold.count(";") == len(bonds) - 1
        if it.task == "T4":
            assert it.gold == "No" or it.gold.startswith("Yes: ")
            assert it.generation["positive"] == it.gold.startswith("Yes")


def test_same_seed_gives_byte_identical_items(built: Path, small_complexes: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(BuildConfig(small_complexes, again, per_task=2, seed=3, image_size=96, workers=1))
    first = {p.name: p.read_bytes() for p in (built / "items").glob("*.json")}
    second = {p.name: p.read_bytes() for p in (again / "items").glob("*.json")}
    assert first == second
    # identical pixels too: every image file is byte-identical
    for name in sorted(p.name for p in (built / "images").glob("*.png"))[:20]:
        assert (built / "images" / name).read_bytes() == (again / "images" / name).read_bytes()


def test_another_seed_changes_items(built: Path, small_complexes: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    build(BuildConfig(small_complexes, other, per_task=2, seed=4, tasks=["T1", "T2"], render=False))
    golds_3 = [Item.read(built / "items" / p.name).gold for p in sorted((other / "items").glob("*.json"))]
    golds_4 = [Item.read(p).gold for p in sorted((other / "items").glob("*.json"))]
    assert golds_3 != golds_4


def test_interrupted_build_is_completed_by_a_rerun(
    built: Path, small_complexes: Path, tmp_path: Path
) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(built, partial)
    removed_items = sorted((partial / "items").glob("*.json"))[::3]
    for p in removed_items:
        p.unlink()
    for p in sorted((partial / "images").glob("*.png"))[::4]:
        p.unlink()
    (partial / "items" / ".misi-T1-1acj-0.json.123.tmp").write_text('{"half')  # a write cut short
    build(BuildConfig(small_complexes, partial, per_task=2, seed=3, image_size=96, workers=2))
    assert sorted(p.name for p in (partial / "items").glob("*.json")) == sorted(
        p.name for p in (built / "items").glob("*.json")
    )
    for p in (built / "items").glob("*.json"):
        assert (partial / "items" / p.name).read_bytes() == p.read_bytes()
    bench = Benchmark(partial)
    assert len(bench.ids) == len(list((built / "items").glob("*.json")))  # the stray temp file is not an item


def test_lazy_benchmark_renders_an_item_on_first_use(small_complexes: Path, tmp_path: Path) -> None:
    lazy = tmp_path / "lazy"
    build(BuildConfig(small_complexes, lazy, per_task=1, seed=3, image_size=96, tasks=["T1"], render=False))
    bench = Benchmark(lazy)
    item = bench.item(bench.ids[0])
    assert not any((lazy / im.path).exists() for im in item.images)
    bench.ensure_images(item)
    assert all((lazy / im.path).is_file() for im in item.images)


def test_complex_context_width_fits_every_view(small_complexes: Path) -> None:
    cx = load_complex(small_complexes / "1acj")
    ctx = ComplexContext(cx, None)  # type: ignore[arg-type]
    xyz = cx.all_coords - cx.centre
    assert np.abs(xyz).max() * 2 < ctx.field_width
    assert json.dumps(ctx.field_width)
