"""Paired comparisons: B − A differences, exact-match flips, McNemar p and the bootstrap interval."""

from __future__ import annotations

import pytest

from eval.report import bootstrap_ci, compare, load_arms, mcnemar_p, report_runs
from eval.report.models import BootstrapSettings


def _stats(pair):
    return {s.column: s for s in pair.stats}


def test_misi_pair_differences_and_flips_by_hand(misi_run) -> None:
    direct, tools = load_arms([misi_run])
    pair = compare(direct, tools)
    assert (pair.a, pair.b) == ("r1/direct", "r1/tools")  # B vs A = tools − direct
    assert (pair.n_shared, pair.only_a, pair.only_b) == (15, 0, 1)
    stats = _stats(pair)
    assert list(stats) == ["Avg", "Trans", "Rot", "Zoom", "RL-Pos", "RL-Neg", "T+R", "PL"]
    expected = {  # column: (a %, b %, b − a, wrong→right, right→wrong)
        "Trans": (50.00, 75.00, 25.00, 1, 0),  # t3 unparseable → 0.25 wrong: not a flip
        "Rot": (60.00, 75.00, 15.00, 1, 0),
        "Zoom": (50.00, 75.00, 25.00, 2, 1),  # z2, z4 (error → right) up; z3 down
        "RL-Pos": (50.00, 100.00, 50.00, 1, 0),
        "RL-Neg": (50.00, 100.00, 50.00, 1, 0),
        "T+R": (100.00, 50.00, -50.00, 0, 1),
        "PL": (20.00, 60.00, 40.00, 0, 0),
        # mean of the 6 shared AVG columns (Dock has no shared item); flips pooled over them
        "Avg": (46.67, 80.83, 34.17, 6, 1),
    }
    for column, (a, b, diff, up, down) in expected.items():
        s = stats[column]
        assert (round(s.a, 2), round(s.b, 2), round(s.diff, 2)) == (a, b, diff), column
        assert (s.wrong_to_right, s.right_to_wrong) == (up, down), column
    assert stats["Avg"].columns == ["Trans", "Rot", "Zoom", "RL-Pos", "RL-Neg", "PL"]
    assert stats["Avg"].n == 13
    # k = 6 of 7 discordant: 2 * (C(7,0) + C(7,1)) / 2^7 = 16/128
    assert stats["Avg"].mcnemar_p == pytest.approx(0.125)
    assert stats["PL"].mcnemar_p == 1.0  # no discordant pair


def test_scivideo_pair_across_runs_mcnemar(scivideo_runs) -> None:
    report = report_runs(scivideo_runs)
    (pair,) = report.paired
    assert pair.a == "sv1/direct" and pair.b.startswith("sv2/cot")
    stats = _stats(pair)
    overall = stats["Overall"]
    # 8 wrong→right, 1 right→wrong (s4); s8 unparseable vs error is neither
    assert (overall.wrong_to_right, overall.right_to_wrong, overall.n) == (8, 1, 12)
    # two-sided exact binomial on 9 discordant: 2 * (C(9,0) + C(9,1)) / 2^9 = 20/512
    assert overall.mcnemar_p == pytest.approx(0.0390625)
    assert round(overall.diff, 2) == 58.33
    assert (stats["Conceptual"].wrong_to_right, stats["Conceptual"].right_to_wrong) == (2, 1)
    assert stats["Conceptual"].mcnemar_p == pytest.approx(1.0)
    assert stats["Hypothetical"].mcnemar_p == pytest.approx(0.25)  # 3 of 3: 2/8


def test_mcnemar_is_symmetric_and_exact() -> None:
    assert mcnemar_p(8, 1) == pytest.approx(20 / 512)
    assert mcnemar_p(1, 8) == mcnemar_p(8, 1)
    assert mcnemar_p(0, 0) == 1.0
    assert mcnemar_p(5, 0) == pytest.approx(2 / 32)


def test_bootstrap_ci_contains_the_difference_and_is_deterministic(misi_run) -> None:
    direct, tools = load_arms([misi_run])
    first = _stats(compare(direct, tools, BootstrapSettings(seed=7)))
    again = _stats(compare(direct, tools, BootstrapSettings(seed=7)))
    other = _stats(compare(direct, tools, BootstrapSettings(seed=8)))
    for column, s in first.items():
        assert s.ci_low <= s.diff <= s.ci_high, column
        assert (s.ci_low, s.ci_high) == (again[column].ci_low, again[column].ci_high), column
    assert first["Avg"].ci_low < first["Avg"].diff < first["Avg"].ci_high
    assert (first["Avg"].ci_low, first["Avg"].ci_high) != (other["Avg"].ci_low, other["Avg"].ci_high)


def test_bootstrap_ci_of_known_data() -> None:
    assert bootstrap_ci([[0.5, 0.5, 0.5]]) == (0.5, 0.5)  # no spread, no width
    low, high = bootstrap_ci([[0.0, 1.0] * 50], resamples=4000, seed=1)
    # mean 0.5, standard error 0.05: a 95% interval close to 0.5 ± 0.098
    assert 0.39 < low < 0.42 and 0.58 < high < 0.61
    # two strata: the statistic is the mean of the stratum means, (0 + 1) / 2
    assert bootstrap_ci([[0.0], [1.0, 1.0, 1.0]]) == (0.5, 0.5)
    with pytest.raises(ValueError):
        bootstrap_ci([[]])


def test_arms_on_different_benchmarks_are_not_paired(misi_run, scivideo_runs) -> None:
    report = report_runs([misi_run, *scivideo_runs])
    assert [(p.a, p.benchmark) for p in report.paired] == [("r1/direct", "misi"), ("sv1/direct", "scivideo")]
