"""Paired comparison of two arms on the items both answered.

Direction: "B vs A" reports B − A, so a positive difference means B scored higher. Arms are paired in
report order (A the earlier arm), e.g. direct, cot, tools give cot vs direct, tools vs direct and tools
vs cot. Per column: mean weighted-score difference with a bootstrap CI, and exact-match flips with
McNemar's exact test; unparseable and errored items count as 0 and as not right.
Summary row: MiSI "Avg" averages the AVG_COLUMNS' mean differences (bootstrap stratified by column;
flips pooled over those columns' items); SciVideoBench "Overall" pools every shared item.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from eval.report.arms import Arm, is_right, score_of
from eval.report.layouts import layout_for
from eval.report.models import BootstrapSettings, PairComparison, PairedStat
from eval.report.stats import bootstrap_ci, mcnemar_p
from eval.run.results import ResultLine

Pair = tuple[ResultLine, ResultLine]


def _stat(name: str, strata: list[list[Pair]], boot: BootstrapSettings) -> PairedStat:
    """Means are over strata of per-stratum means (one stratum: a plain mean)."""
    a = sum(sum(score_of(x) for x, _ in s) / len(s) for s in strata) / len(strata)
    b = sum(sum(score_of(y) for _, y in s) / len(s) for s in strata) / len(strata)
    diffs = [[score_of(y) - score_of(x) for x, y in s] for s in strata]
    low, high = bootstrap_ci(diffs, resamples=boot.resamples, seed=boot.seed, confidence=boot.confidence)
    pairs = [p for s in strata for p in s]
    up = sum(not is_right(x) and is_right(y) for x, y in pairs)
    down = sum(is_right(x) and not is_right(y) for x, y in pairs)
    return PairedStat(
        column=name,
        n=len(pairs),
        a=100.0 * a,
        b=100.0 * b,
        diff=100.0 * (b - a),
        ci_low=100.0 * low,
        ci_high=100.0 * high,
        wrong_to_right=up,
        right_to_wrong=down,
        mcnemar_p=mcnemar_p(up, down),
    )


def compare(a: Arm, b: Arm, boot: BootstrapSettings | None = None) -> PairComparison:
    """B vs A on their shared item ids (both arms must be on the same benchmark)."""
    boot = boot or BootstrapSettings()
    if a.info.benchmark != b.info.benchmark:
        raise ValueError(
            f"cannot pair {a.info.label} ({a.info.benchmark}) with {b.info.label} ({b.info.benchmark})"
        )
    shared = sorted(set(a.results) & set(b.results))
    layout = layout_for(a.info.benchmark)
    groups: dict[str, list[Pair]] = defaultdict(list)
    for item in shared:
        groups[layout.group(a.results[item])].append((a.results[item], b.results[item]))
    stats: list[PairedStat] = []
    if layout.avg_columns:
        avg = [c for c in layout.avg_columns if groups.get(c)]
        if avg:
            summary = _stat("Avg", [groups[c] for c in avg], boot)
            summary.columns = avg
            stats.append(summary)
    elif shared:
        stats.append(_stat("Overall", [[p for g in groups.values() for p in g]], boot))
    known = list(layout.columns)
    order = [c for c in known if groups.get(c)] + sorted(c for c in groups if c not in known)
    stats.extend(_stat(c, [groups[c]], boot) for c in order)
    return PairComparison(
        a=a.info.label,
        b=b.info.label,
        benchmark=a.info.benchmark,
        n_shared=len(shared),
        only_a=len(set(a.results) - set(b.results)),
        only_b=len(set(b.results) - set(a.results)),
        stats=stats,
    )


def compare_all(arms: list[Arm], boot: BootstrapSettings | None = None) -> list[PairComparison]:
    """Every pair of arms on the same benchmark that shares at least one item."""
    out = []
    for a, b in combinations(arms, 2):
        if a.info.benchmark == b.info.benchmark and set(a.results) & set(b.results):
            out.append(compare(a, b, boot))
    return out
