"""`agent bench build --split paper`: the paper's protocol on a folder of complexes.

The folder is split at the complex level (seeded, or from id lists) into train and test; each split is
a complete benchmark directory of its own (`OUT/train`, `OUT/test`: items, images, structures,
bench.json), so no image and no complex is shared between them, and every command that takes
`--bench-dir` reads either. Item counts per complex and task follow eval/misi/build/protocol.py.

Rerunning on the same folder and seed plans the same items and renders only the images that are
missing; a changed folder that would move complexes between splits is refused rather than mixed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from eval.misi.build import bond_tasks, motion_tasks
from eval.misi.build.builder import BuildConfig, BuildSummary, Progress, build, discover
from eval.misi.build.plan import ComplexContext, PlannedItem, SkipItem, item_rng
from eval.misi.build.protocol import SPLITS, SplitTargets, allocate, targets
from eval.misi.build.split import SplitError, rank_key, split_complexes
from tools.atomic import write_atomic

PROTOCOL = "paper"
RETRIES = 64  # redraws for an item that would repeat an earlier question on the same complex
SPLIT_FILE = "split.json"
_FIXED_PLANNERS: dict[str, Callable[..., PlannedItem]] = {
    "T1": motion_tasks.plan_translation,
    "T2": motion_tasks.plan_rotation,
    "T3": motion_tasks.plan_zoom,
    "T5": motion_tasks.plan_translation_rotation,
    "T6": motion_tasks.plan_rotation_rotation,
    "T7": motion_tasks.plan_docking,
}


@dataclass
class SplitBuildConfig:
    """A protocol build: `build` holds the settings both splits share (its `out` is the root that gets
    train/ and test/; its per-task count is unused, the protocol sets the counts), plus the split itself."""

    build: BuildConfig
    train_ids: list[str] | None = None
    test_ids: list[str] | None = None

    @property
    def out(self) -> Path:
        return self.build.out


@dataclass
class SplitBuildSummary:
    assignment: dict[str, list[str]]
    splits: dict[str, BuildSummary] = field(default_factory=dict)
    targets: dict[str, SplitTargets] = field(default_factory=dict)
    shortfalls: dict[str, dict[str, str]] = field(default_factory=dict)  # split -> task -> why
    removed_items: dict[str, int] = field(default_factory=dict)

    @property
    def total_items(self) -> int:
        return sum(sum(s.items.values()) for s in self.splits.values())


def _retry_seed(seed: int, attempt: int) -> int:
    """Attempt 0 is the item's own seed; a redraw uses a seed derived from it."""
    if attempt == 0:
        return seed
    return int.from_bytes(hashlib.sha256(f"{seed}:redraw:{attempt}".encode()).digest()[:6], "little")


def _question_key(item: PlannedItem) -> str:
    """Two items of one complex and task with the same key would pose the same question."""
    if item.task in {"T5", "T6"}:
        return json.dumps([item.generation.get("reference"), item.generation["f1"], item.generation["f2"]])
    return item.gold


def _distinct_items(
    task: str, ctx: ComplexContext, seed: int, count: int, plan: Callable[[int, int], PlannedItem]
) -> tuple[list[tuple[PlannedItem, int]], str | None]:
    """`count` items of `task` on `ctx` that all ask different questions: (item, attempt) pairs."""
    chosen: list[tuple[PlannedItem, int]] = []
    seen: set[str] = set()
    for k in range(count):
        for attempt in range(RETRIES):
            try:
                item = plan(_retry_seed(seed, attempt), k)
            except (SkipItem, ValueError):
                continue  # e.g. two options that render alike: draw again
            key = _question_key(item)
            if key not in seen:
                seen.add(key)
                chosen.append((item, attempt))
                break
        else:
            return chosen, f"{ctx.pdb_id}: only {len(chosen)} different {task} questions in {RETRIES} draws"
    return chosen, None


def _finish(item: PlannedItem, ctx: ComplexContext, seed: int, k: int, attempt: int = 0) -> PlannedItem:
    item.structure = ctx.ref
    redraw = {"redraw": attempt} if attempt else {}
    item.generation = {"seed": seed, "index": k, **redraw, **item.generation}
    return item


def plan_protocol_split(
    split: str,
    config: BuildConfig,
    contexts: list[ComplexContext],
    summary: BuildSummary,
    progress: Progress | None = None,
) -> list[PlannedItem]:
    """Every item of one split, in task, complex and index order."""
    goal = targets(split, len(contexts))
    seed = config.seed
    planned: list[PlannedItem] = []
    notes: dict[str, str] = config.manifest_extra.setdefault("shortfalls", {})
    steps, total = [0], len(config.tasks) * len(contexts)

    def tick(n: int = 1) -> None:
        steps[0] += n
        if progress:
            progress("plan", steps[0], total)

    def fixed(task: str, planner: Callable[..., PlannedItem]) -> None:
        for ctx in contexts:
            others = [c for c in contexts if c.pdb_id != ctx.pdb_id] or [ctx]

            def plan(s: int, k: int, ctx: ComplexContext = ctx, others: list = others) -> PlannedItem:
                if task == "T5":
                    pick = item_rng(s, "T5-reference", ctx.pdb_id, k).integers(len(others))
                    return planner(ctx, s, k, others[int(pick)])
                return planner(ctx, s, k)

            chosen, short = _distinct_items(task, ctx, seed, goal.per_complex[task], plan)
            if short:
                summary.skipped_items.setdefault(task, []).append(short)
            if task == "T7" and chosen:
                # One field width for all of a complex's docking items, so they share the pocket views.
                width = max(
                    motion_tasks.docking_width(ctx, _retry_seed(seed, a), k)
                    for k, (_, a) in enumerate(chosen)
                )
                chosen = [
                    (motion_tasks.plan_docking(ctx, _retry_seed(seed, a), k, field_width=width), a)
                    for k, (_, a) in enumerate(chosen)
                ]
            planned.extend(_finish(item, ctx, seed, k, a) for k, (item, a) in enumerate(chosen))
            tick()

    def quota(name: str, capacity: Callable[[ComplexContext], int], index: Callable[[int], int]) -> None:
        task = name[:2]
        order = sorted(contexts, key=lambda c: rank_key(seed, name, c.pdb_id))
        caps = [capacity(c) for c in order]
        counts = allocate(goal.quota_totals[name], caps)
        if sum(counts) < goal.quota_totals[name]:
            notes[name] = (
                f"{sum(counts)} of {goal.quota_totals[name]} wanted: the complexes allow no more "
                f"({sum(caps)} in all)"
            )
        for ctx, n in zip(order, counts):
            for i in range(n):
                k = index(i)
                planner = (
                    bond_tasks.plan_interaction_location if task == "T8" else bond_tasks.plan_residue_ligand
                )
                planned.append(_finish(planner(ctx, seed, k), ctx, seed, k))
        if name != "T4+":  # T4 is one task in two quotas
            tick(len(contexts))

    for task in config.tasks:
        if task in goal.per_complex and task != "T9":
            fixed(task, _FIXED_PLANNERS[task])
        elif task == "T4":
            # Positives are even indices and negatives odd ones (bond_tasks.plan_residue_ligand).
            quota("T4+", lambda c: len(bond_tasks.residue_pools(c)[0]), lambda i: 2 * i)
            quota("T4-", lambda c: len(bond_tasks.residue_pools(c)[1]), lambda i: 2 * i + 1)
        elif task == "T8":
            quota("T8", lambda c: len(bond_tasks.location_candidates(c)), lambda i: i)
        elif task == "T9":
            for ctx in contexts:
                try:
                    planned.append(_finish(bond_tasks.plan_pocket_ligand(ctx, seed, 0), ctx, seed, 0))
                except SkipItem as exc:
                    summary.skipped_items.setdefault(task, []).append(f"{ctx.pdb_id}: {exc}")
                tick()
    config.manifest_extra["targets"] = goal.model_dump()
    return planned


def _split_record(config: SplitBuildConfig, assignment: dict[str, list[str]]) -> dict[str, Any]:
    return {"protocol": PROTOCOL, "seed": config.build.seed, "splits": assignment}


def _check_existing(out: Path, record: dict[str, Any]) -> None:
    """Refuse a split that would move an already-built complex to the other split (adding complexes or
    dropping some is fine: new ones are built, dropped ones' items are removed)."""
    path = out / SPLIT_FILE
    if not path.is_file():
        return
    old = json.loads(path.read_text()).get("splits", {})
    moved = sorted(
        i for s in SPLITS for t in SPLITS if s != t for i in set(old.get(s, [])) & set(record["splits"][t])
    )
    if moved:
        shown = ", ".join(moved[:5]) + (f" and {len(moved) - 5} more" if len(moved) > 5 else "")
        raise SplitError(
            f"{out} was built with another split ({len(moved)} complexes would change split: {shown}); "
            f"keep it with --test-ids {out / 'test.txt'}, or build into a new --out"
        )


def _remove_stale(root: Path, keep: list[str]) -> int:
    """Item files from an earlier plan that this plan no longer has (images stay: they are valid)."""
    wanted = set(keep)
    stale = [p for p in (root / "items").glob("*.json") if p.stem not in wanted]
    for p in stale:
        p.unlink()
    return len(stale)


def _staged(progress: Progress | None, split: str) -> Progress | None:
    if progress is None:
        return None
    return lambda stage, done, total: progress(f"{split} {stage}", done, total)


def _remove_torn_renders(root: Path) -> None:
    """Temporary files of renders a kill cut short (the finished images are all complete)."""
    for tmp in (root / "images").glob(".*.tmp*"):
        tmp.unlink(missing_ok=True)


def build_protocol(config: SplitBuildConfig, progress: Progress | None = None) -> SplitBuildSummary:
    """Split the folder, then build (or complete) each split's benchmark under config.out."""
    ids = [pdb_id for pdb_id, _, _ in discover(config.build.complexes)]
    assignment = split_complexes(ids, config.build.seed, config.train_ids, config.test_ids)
    record = _split_record(config, assignment)
    _check_existing(config.out, record)
    write_atomic(config.out / SPLIT_FILE, json.dumps(record, indent=1, sort_keys=True) + "\n")
    for split in SPLITS:
        write_atomic(config.out / f"{split}.txt", "".join(f"{i}\n" for i in assignment[split]))
    result = SplitBuildSummary(assignment=assignment)
    for split in SPLITS:
        if not assignment[split]:
            continue
        extra: dict[str, Any] = {"protocol": PROTOCOL, "split": split, "per_task": None}
        bc = replace(
            config.build,
            out=config.out / split,
            complex_ids=set(assignment[split]),
            planner=partial(plan_protocol_split, split, progress=_staged(progress, split)),
            manifest_extra=extra,
        )
        _remove_torn_renders(bc.out)
        summary = build(bc, _staged(progress, split))
        result.splits[split] = summary
        result.targets[split] = SplitTargets.model_validate(extra["targets"])
        result.shortfalls[split] = dict(extra.get("shortfalls", {}))
        result.removed_items[split] = _remove_stale(config.out / split, summary.item_ids)
    return result
