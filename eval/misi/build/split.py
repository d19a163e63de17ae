"""A complex-level train/test split: seeded, or given as id lists; no complex is ever in both."""

from __future__ import annotations

import hashlib
from pathlib import Path

from eval.misi.build.protocol import held_out_count


class SplitError(ValueError):
    """Id lists that overlap or name complexes the folder does not hold; the message says which."""


def rank_key(seed: int, *parts: str) -> str:
    """A sort key that depends only on the seed and the names, never on folder order."""
    return hashlib.sha256(":".join((str(seed), *parts)).encode()).hexdigest()


def read_ids(path: Path) -> list[str]:
    """Ids, one per line (blank lines and `#` comments ignored), lower-cased as folders are."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as exc:
        raise SplitError(f"{path}: cannot read id list ({exc.strerror})") from exc
    return [ln.split("#", 1)[0].strip().lower() for ln in lines if ln.split("#", 1)[0].strip()]


def split_complexes(
    ids: list[str],
    seed: int,
    train_ids: list[str] | None = None,
    test_ids: list[str] | None = None,
) -> dict[str, list[str]]:
    """{"train": [...], "test": [...]}, each sorted.

    Without lists: the paper's share of complexes (490 of 3,993) goes to test, the ones whose seeded
    hash ranks first, so the split depends only on the seed and the set of ids. With `test_ids` only,
    the rest is train; with both lists, complexes in neither are left out.
    """
    known = set(ids)
    for name, given in (("--train-ids", train_ids), ("--test-ids", test_ids)):
        unknown = sorted(set(given or []) - known)
        if unknown:
            shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
            raise SplitError(f"{name} names complexes that are not in the folder: {shown}")
    if train_ids is not None and test_ids is not None:
        both = sorted(set(train_ids) & set(test_ids))
        if both:
            raise SplitError(f"complexes in both splits: {', '.join(both[:5])}")
        return {"train": sorted(set(train_ids)), "test": sorted(set(test_ids))}
    if test_ids is not None:
        return {"train": sorted(known - set(test_ids)), "test": sorted(set(test_ids))}
    if train_ids is not None:
        return {"train": sorted(set(train_ids)), "test": sorted(known - set(train_ids))}
    ranked = sorted(known, key=lambda i: rank_key(seed, "split", i))
    n_test = held_out_count(len(ranked))
    return {"train": sorted(ranked[n_test:]), "test": sorted(ranked[:n_test])}
