"""Paired statistics: a bootstrap interval for a mean difference and McNemar's exact test."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import binomtest


def bootstrap_ci(
    strata: Sequence[Sequence[float]], *, resamples: int = 2000, seed: int = 0, confidence: float = 0.95
) -> tuple[float, float]:
    """Percentile interval of the mean over strata of each stratum's mean.

    Items are resampled with replacement within each stratum (one stratum = one column, the items'
    paired differences), so a column's share of an average stays fixed as in the point estimate.
    The same seed always gives the same interval.
    """
    arrays = [np.asarray(s, dtype=float) for s in strata if len(s)]
    if not arrays:
        raise ValueError("bootstrap_ci needs at least one non-empty stratum")
    rng = np.random.default_rng(seed)
    draws = np.zeros(resamples)
    for values in arrays:
        idx = rng.integers(0, len(values), size=(resamples, len(values)))
        draws += values[idx].mean(axis=1)
    draws /= len(arrays)
    alpha = 1.0 - confidence
    low, high = np.quantile(draws, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def mcnemar_p(wrong_to_right: int, right_to_wrong: int) -> float:
    """Exact two-sided McNemar p-value: a binomial test of the discordant pairs against 1/2."""
    discordant = wrong_to_right + right_to_wrong
    if discordant == 0:
        return 1.0
    return float(binomtest(wrong_to_right, discordant, 0.5, alternative="two-sided").pvalue)
