import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from eval.items import Item
from eval.misi.build import bond_tasks
from eval.misi.build.builder import BuildConfig, BuildSummary, load_contexts
from eval.misi.build.paper import SplitBuildConfig, build_protocol
from eval.misi.build.protocol import (
    PAPER_COMPLEXES,
    PAPER_IMAGES,
    PAPER_ITEMS,
    SPLITS,
    allocate,
    held_out_count,
    paper_image_total,
    paper_item_totals,
    targets,
)
from eval.misi.build.split import SplitError, split_complexes
from tools.render.scene import RenderSpec


def test_targets_for_the_papers_split_sizes_reproduce_its_totals() -> None:
    published = {
        "test": {
            "T1": 980,
            "T2": 1470,
            "T3": 980,
            "T4+": 1499,
            "T4-": 1603,
            "T5": 1470,
            "T6": 1470,
            "T7": 1470,
        },
        "train": {
            "T1": 14012,
            "T2": 21018,
            "T3": 14012,
            "T4+": 11572,
            "T4-": 12125,
            "T5": 21018,
            "T6": 21018,
            "T7": 21018,
        },
    }
    for split in SPLITS:
        goal = targets(split, PAPER_COMPLEXES[split])
        got = {t: c * goal.complexes for t, c in goal.per_complex.items() if t != "T9"} | goal.quota_totals
        assert {t: got[t] for t in published[split]} == published[split]
        assert sum(paper_item_totals(split).values()) == PAPER_ITEMS[split]
        assert paper_image_total(split) == PAPER_IMAGES[split]
    assert held_out_count(PAPER_COMPLEXES["train"] + PAPER_COMPLEXES["test"]) == 490
    assert targets("test", 2).per_complex["T2"] == 3 and targets("train", 2).per_complex["T2"] == 6


def test_allocate_spreads_evenly_and_passes_on_what_a_capped_complex_cannot_take() -> None:
    assert allocate(7, [9, 9, 9]) == [3, 2, 2]
    assert allocate(9, [1, 9, 9]) == [1, 4, 4]
    assert allocate(30, [2, 3, 4]) == [2, 3, 4]  # not enough bonds anywhere: everything there is
    assert allocate(0, [5]) == [0]


def test_split_is_seeded_disjoint_and_follows_given_lists() -> None:
    ids = [f"{i}abc" for i in range(40)]
    a = split_complexes(ids, seed=0)
    assert a == split_complexes(list(reversed(ids)), seed=0)  # folder order does not matter
    assert a != split_complexes(ids, seed=1)
    assert not set(a["train"]) & set(a["test"]) and len(a["test"]) == 5 and len(a["train"]) == 35
    given = split_complexes(ids, seed=0, test_ids=["3abc", "7abc"])
    assert given["test"] == ["3abc", "7abc"] and len(given["train"]) == 38
    both = split_complexes(ids, seed=0, train_ids=["1abc"], test_ids=["2abc"])
    assert both == {"train": ["1abc"], "test": ["2abc"]}
    with pytest.raises(SplitError, match="both splits: 1abc"):
        split_complexes(ids, seed=0, train_ids=["1abc"], test_ids=["1abc"])
    with pytest.raises(SplitError, match="not in the folder: 9zzz"):
        split_complexes(ids, seed=0, test_ids=["9zzz"])


@pytest.fixture(scope="module")
def paper_bench(tmp_path_factory: pytest.TempPathFactory, complexes_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("paper")
    build_protocol(SplitBuildConfig(BuildConfig(complexes_dir, out, seed=0, render=False)))
    return out


def _items(root: Path) -> list[Item]:
    return [Item.read(p) for p in sorted((root / "items").glob("*.json"))]


def test_lazy_paper_build_of_the_bundled_complexes_has_the_protocols_counts(
    paper_bench: Path, complexes_dir: Path
) -> None:
    record = json.loads((paper_bench / "split.json").read_text())
    assert not set(record["splits"]["train"]) & set(record["splits"]["test"])
    assert len(record["splits"]["test"]) == held_out_count(
        len(record["splits"]["train"]) + len(record["splits"]["test"])
    )
    for split in SPLITS:
        root = paper_bench / split
        goal = targets(split, len(record["splits"][split]))
        contexts = load_contexts(
            BuildConfig(complexes_dir, root, complex_ids=set(record["splits"][split])), BuildSummary()
        )
        items = _items(root)
        per_task = Counter(it.task for it in items)
        for task in ("T1", "T2", "T3", "T5", "T6", "T7"):
            assert per_task[task] == goal.per_complex[task] * goal.complexes, (split, task)
        assert per_task["T9"] == sum(1 for c in contexts if c.hbonds)
        pos_cap = [len(bond_tasks.residue_pools(c)[0]) for c in contexts]
        neg_cap = [len(bond_tasks.residue_pools(c)[1]) for c in contexts]
        loc_cap = [len(bond_tasks.location_candidates(c)) for c in contexts]
        positives = sum(1 for it in items if it.task == "T4" and it.generation["positive"])
        assert positives == min(goal.quota_totals["T4+"], sum(pos_cap))
        assert per_task["T4"] - positives == min(goal.quota_totals["T4-"], sum(neg_cap))
        assert per_task["T8"] == min(goal.quota_totals["T8"], sum(loc_cap))
        t8 = Counter(it.structure.pdb_id for it in items if it.task == "T8")
        pos = Counter(it.structure.pdb_id for it in items if it.task == "T4" and it.generation["positive"])
        for made, caps in ((t8, loc_cap), (pos, pos_cap)):
            counts = [made[c.pdb_id] for c in contexts]
            assert all(n <= cap for n, cap in zip(counts, caps))
            # as even as the bonds allow: a complex below the others is one that has no more to give
            assert all(n >= max(counts) - 1 for n, cap in zip(counts, caps) if n < cap)
        bench = json.loads((root / "bench.json").read_text())
        assert bench["split"] == split and bench["targets"]["quota_totals"] == goal.quota_totals
        assert bench["summary"]["items"] == dict(per_task)


def test_no_image_or_complex_crosses_splits_and_no_question_repeats(paper_bench: Path) -> None:
    record = json.loads((paper_bench / "split.json").read_text())
    for split in SPLITS:
        mine = set(record["splits"][split])
        questions: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for it in _items(paper_bench / split):
            specs = [RenderSpec.model_validate(s) for s in it.generation["images"]]
            assert {s.structure.pdb_id for s in specs} <= mine, it.id  # T5 references stay in the split
            assert it.structure.pdb_id in mine
            if it.task in {"T1", "T2", "T3", "T5", "T6", "T7"}:
                questions[(it.task, it.structure.pdb_id)][tuple(im.path for im in it.images)] += 1
        assert questions and all(c.most_common(1)[0][1] == 1 for c in questions.values())


def test_a_complexs_docking_items_share_their_pocket_views(paper_bench: Path) -> None:
    by_complex: dict[str, list[Item]] = defaultdict(list)
    for it in _items(paper_bench / "test"):
        if it.task == "T7":
            by_complex[it.structure.pdb_id].append(it)
    for items in by_complex.values():
        assert len(items) == 3
        pockets = {tuple(im.path for im in it.images[:3]) for it in items}
        assert len(pockets) == 1  # one set of pocket-only views per complex, as the paper's totals imply
        assert len({it.images[3].path for it in items}) == 3


def test_rerun_with_another_seed_into_the_same_directory_is_refused(
    paper_bench: Path, complexes_dir: Path
) -> None:
    with pytest.raises(SplitError, match="complexes would change split"):
        build_protocol(SplitBuildConfig(BuildConfig(complexes_dir, paper_bench, seed=5, render=False)))


def test_a_rerun_keeps_complete_images_and_drops_torn_ones(tmp_path: Path) -> None:
    from PIL import Image as PILImage

    from eval.misi.build.resume import png_complete

    whole = tmp_path / "whole.png"
    PILImage.new("RGB", (8, 8), (9, 9, 9)).save(whole)
    torn = tmp_path / "torn.png"
    torn.write_bytes(whole.read_bytes()[:-5])  # e.g. a machine crash before the data reached the disk
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    assert png_complete(whole) and whole.is_file()
    assert not png_complete(torn) and not torn.exists()
    assert not png_complete(empty) and not empty.exists()
    assert not png_complete(tmp_path / "never.png")
