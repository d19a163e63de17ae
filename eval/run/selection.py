"""Choosing a run's items: all of them, the paper's tiny set, the first N, or a list from a file."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Protocol

TINY_PER_TASK = 50  # MiSI-Bench (tiny): 50 random items per task, the set the paper scored API models on
TINY_SEED = 20251211  # fixed, so every run's tiny set is the same items


class ItemSource(Protocol):
    @property
    def ids(self) -> list[str]: ...

    def task_of(self, item_id: str) -> str: ...  # raises BenchmarkError for an unknown id


def tiny(
    ids_by_task: dict[str, list[str]], per_task: int = TINY_PER_TASK, seed: int = TINY_SEED
) -> list[str]:
    """`per_task` items per task drawn with one seeded generator, tasks in sorted order; all when fewer."""
    rng = random.Random(seed)
    chosen: list[str] = []
    for task in sorted(ids_by_task):
        ids = sorted(ids_by_task[task])
        chosen.extend(sorted(rng.sample(ids, per_task)) if len(ids) > per_task else ids)
    return chosen


def round_robin(ids_by_task: dict[str, list[str]], limit: int) -> list[str]:
    """The first `limit` items taken in turn from each task, so a short run still covers every task."""
    queues = [sorted(ids_by_task[t]) for t in sorted(ids_by_task)]
    out: list[str] = []
    depth = 0
    while len(out) < limit and any(depth < len(q) for q in queues):
        out.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return out[:limit]


def read_id_file(path: Path) -> list[str]:
    """One id per line; blank lines and `#` comments are skipped; repeats are kept once."""
    seen: dict[str, None] = {}
    for line in Path(path).read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def select_items(
    bench: ItemSource,
    tasks: list[str] | None = None,
    *,
    tiny_set: bool = False,
    limit: int | None = None,
    items_file: Path | None = None,
) -> list[str]:
    """Item ids in run order. `items_file` ids are checked against the benchmark (unknown → its error)."""
    if items_file is not None:
        ids = read_id_file(items_file)
        task_by_id = {i: bench.task_of(i) for i in ids}  # also rejects unknown ids
        return [i for i in ids if not tasks or task_by_id[i] in tasks]
    by_task: dict[str, list[str]] = defaultdict(list)
    for item_id in bench.ids:
        task = bench.task_of(item_id)
        if not tasks or task in tasks:
            by_task[task].append(item_id)
    if tiny_set:
        chosen = tiny(by_task)
        if limit is not None:
            chosen = round_robin(_group(bench, chosen), limit)
        return chosen
    if limit is not None:
        return round_robin(by_task, limit)
    return [i for t in sorted(by_task) for i in sorted(by_task[t])]


def _group(bench: ItemSource, ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for item_id in ids:
        out[bench.task_of(item_id)].append(item_id)
    return out
