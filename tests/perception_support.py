"""Helpers for perception tests: items of a built benchmark, and the builder's ground truth."""

from __future__ import annotations

import numpy as np

from eval.items import Item
from eval.misi.bench import MisiBenchmark
from eval.perf.perception import label_truth


def first_item(bench: MisiBenchmark, task: str) -> Item:
    return next(bench.item(i) for i in bench.ids if bench.task_of(i) == task)


def truth(bench: MisiBenchmark, item: Item, index: int) -> tuple[dict[str, np.ndarray], float]:
    """Texts shown once in image `index` (0-based) → their screen xyz in Å; and the true pixels per Å."""
    labels, ppa, _ = label_truth(bench.root, item.generation["images"][index])
    counts: dict[str, int] = {}
    for t in labels:
        counts[t.text] = counts.get(t.text, 0) + 1
    return {t.text: t.xyz for t in labels if counts[t.text] == 1}, ppa
