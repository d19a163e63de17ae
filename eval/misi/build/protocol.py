"""The paper's protocol as numbers: complexes per split and items per complex per task.

Derived from the paper's totals (PROTOCOL.md shows the arithmetic). Tasks with a whole number of items
per complex get exactly that many from every complex; T4 (positives and negatives) and T8 have rates
that are not whole numbers, because they depend on each complex's hydrogen bonds, so a split gets the
paper's rate times its number of complexes in total, spread as evenly as each complex's bonds allow.
"""

from __future__ import annotations

from fractions import Fraction

from pydantic import BaseModel

PAPER_COMPLEXES = {"train": 3503, "test": 490}
PAPER_ITEMS = {"train": 150_597, "test": 12_917}
PAPER_IMAGES = {"train": 538_015, "test": 49_960}

# Items per complex where the paper's per-task totals are whole multiples of its complex counts
# (test: 980 = 2 x 490, 1,470 = 3 x 490; train: 14,012 = 4 x 3,503, 21,018 = 6 x 3,503).
FIXED_PER_COMPLEX = {
    "test": {"T1": 2, "T2": 3, "T3": 2, "T5": 3, "T6": 3, "T7": 3},
    "train": {"T1": 4, "T2": 6, "T3": 4, "T5": 6, "T6": 6, "T7": 6},
}
# Totals that are not whole multiples: T4's positives and negatives as published; T8 and T9 as the item
# and image totals imply (T9: one item per complex with a hydrogen bond; PROTOCOL.md).
PAPER_QUOTA_TOTALS = {
    "test": {"T4+": 1499, "T4-": 1603, "T8": 1487},
    "train": {"T4+": 11_572, "T4-": 12_125, "T8": 11_302},
}
PAPER_T9 = {"test": 488, "train": 3502}
TEST_FRACTION = Fraction(PAPER_COMPLEXES["test"], sum(PAPER_COMPLEXES.values()))  # 490 / 3,993

SPLITS = ("train", "test")
QUOTAS = ("T4+", "T4-", "T8")


class SplitTargets(BaseModel):
    """What the protocol asks of one split with `complexes` complexes."""

    split: str
    complexes: int
    per_complex: dict[str, int]  # fixed tasks, plus T9 = 1 (complexes without a hydrogen bond skip it)
    quota_totals: dict[str, int]  # T4+, T4-, T8: items in the whole split


def quota_rate(split: str, quota: str) -> Fraction:
    return Fraction(PAPER_QUOTA_TOTALS[split][quota], PAPER_COMPLEXES[split])


def targets(split: str, complexes: int) -> SplitTargets:
    if split not in SPLITS:
        raise ValueError(f"unknown split '{split}' (valid: {', '.join(SPLITS)})")
    return SplitTargets(
        split=split,
        complexes=complexes,
        per_complex={**FIXED_PER_COMPLEX[split], "T9": 1},
        # Round half up, so a split of the paper's size reproduces the paper's totals exactly.
        quota_totals={q: int(quota_rate(split, q) * complexes + Fraction(1, 2)) for q in QUOTAS},
    )


def held_out_count(n: int) -> int:
    """Test complexes for a folder of n: the paper's 490 / 3,993, at least one each when n >= 2."""
    if n < 2:
        return 0
    return min(n - 1, max(1, int(TEST_FRACTION * n + Fraction(1, 2))))


def allocate(target: int, capacity: list[int]) -> list[int]:
    """Spread `target` items over complexes in the given order, one round at a time, never above a
    complex's capacity: counts differ by at most one except where a capacity caps them, and whatever
    a capped complex cannot take goes to the others. Returns counts summing to min(target, capacity)."""
    counts = [0] * len(capacity)
    left = target
    while left > 0:
        gave = 0
        for i, cap in enumerate(capacity):
            if left == 0:
                break
            if counts[i] < cap:
                counts[i] += 1
                left -= 1
                gave += 1
        if gave == 0:
            break
    return counts


# The paper's image totals, as shared images explain them (PROTOCOL.md): per complex its six standard
# views (the 3V of T1-T3, T5, T6 and the 6V of T8 are among them) and T7's three pocket-only views; per
# T9 item a 6V set of its own; per item of the other tasks the images no other item shows.
IMAGES_PER_COMPLEX = 6 + 3
IMAGES_PER_T9_ITEM = 6
NEW_IMAGES_PER_ITEM = {"T1": 1, "T2": 1, "T3": 1, "T4": 6, "T5": 5, "T6": 5, "T7": 4, "T8": 0}


def paper_item_totals(split: str) -> dict[str, int]:
    n = PAPER_COMPLEXES[split]
    quotas = PAPER_QUOTA_TOTALS[split]
    fixed = {t: c * n for t, c in FIXED_PER_COMPLEX[split].items()}
    return {**fixed, "T4": quotas["T4+"] + quotas["T4-"], "T8": quotas["T8"], "T9": PAPER_T9[split]}


def paper_image_total(split: str) -> int:
    items = paper_item_totals(split)
    per_item = sum(NEW_IMAGES_PER_ITEM[t] * items[t] for t in NEW_IMAGES_PER_ITEM)
    return IMAGES_PER_COMPLEX * PAPER_COMPLEXES[split] + IMAGES_PER_T9_ITEM * items["T9"] + per_item
