"""MiSI scoring rules (paper §5.1) on hand-computed numbers, columns and the aggregate table."""

from __future__ import annotations

import pytest

from eval.items import AnswerFormat
from eval.misi.parse import parse_answer
from eval.misi.score import AVG_COLUMNS, COLUMNS, Score, aggregate, column_for, score_answer


def score(fmt: AnswerFormat, answer: str, gold: str, task: str | None = None) -> Score:
    return score_answer(fmt, parse_answer(answer, fmt), gold, task=task)


@pytest.mark.parametrize(
    ("answer", "weighted", "exact"),
    [
        ("move x 4", 1.0, True),
        ("move x 4.0", 1.0, True),
        ("move x 2", 0.75, False),  # 1 - 2/8
        ("move x 3.5", 0.9375, False),  # 1 - 0.5/8
        ("move x -3", 0.125, False),  # 1 - 7/8
        ("move x -4", 0.0, False),  # 1 - 8/8
        ("move y 4", 0.0, False),  # wrong axis
        ("move z 4", 0.0, False),
        ("roll x 4", 0.0, False),  # wrong verb
    ],
)
def test_translation(answer: str, weighted: float, exact: bool) -> None:
    s = score("translation", answer, "move x 4")
    assert s.weighted == pytest.approx(weighted)
    assert (s.exact, s.column, s.answered) == (exact, "Trans", True)


@pytest.mark.parametrize(
    ("answer", "weighted"),
    [
        ("roll y 15", 1.0),
        ("roll y 60", 0.75),  # 1 - 45/180
        ("roll y -90", 1 - 105 / 180),
        ("roll x 15", 0.0),
        ("move y 15", 0.0),
    ],
)
def test_rotation(answer: str, weighted: float) -> None:
    s = score("rotation", answer, "roll y 15")
    assert s.weighted == pytest.approx(weighted)
    assert s.column == "Rot"


@pytest.mark.parametrize(
    ("answer", "weighted", "exact"),
    [("move z 40.0", 1.0, True), ("move z 41", 0.0, False), ("move x 40", 0.0, False)],
)
def test_zoom_is_exact_match(answer: str, weighted: float, exact: bool) -> None:
    s = score("zoom", answer, "move z 40")
    assert (s.weighted, s.exact, s.column) == (weighted, exact, "Zoom")


@pytest.mark.parametrize(
    ("answer", "weighted"),
    [
        ("roll x 75, move x -14", 1.0),
        ("roll x 30, move x -7", 0.625),  # 0.5 (1 - 45/180) + 0.5 (1 - 7/14)
        ("roll x 75, move x 14", 0.5),  # wrong sign: the move part earns nothing
        ("roll x 75, move x 0", 0.5),
        ("roll y 75, move x -21", 0.25),  # wrong roll axis; 0.5 (1 - 7/14)
        ("roll x 75, move x -28", 0.5),  # relative error 1 -> 0
        ("roll x 75, move y -14", 0.5),  # the move must be along x
        ("roll x -15, move x -10.5", 0.25 + 0.375),  # 0.5 (1 - 90/180) + 0.5 (1 - 3.5/14)
        ("roll x 75", 0.5),
        ("move x -14", 0.5),
    ],
)
def test_docking(answer: str, weighted: float) -> None:
    s = score("docking", answer, "roll x 75, move x -14")
    assert s.weighted == pytest.approx(weighted)
    assert s.exact == (weighted == 1.0)
    assert s.column == "Dock"


POS = "Yes: ARG NH2, O1B; ARG NE, O2G"


@pytest.mark.parametrize(
    ("answer", "weighted", "exact"),
    [
        (POS, 1.0, True),
        ("yes: arg ne,  o2g; ARG NH2, o1b", 1.0, True),  # case, spacing and order do not matter
        ("Yes: ARG NH2, O1B", 1.0, False),  # every predicted bond is right: precision 1
        ("Yes: ARG NH2, O1B; ARG NE, O1G", 0.5, False),  # 1 of 2 right
        ("Yes: ARG NH2, O1B; LYS NZ, O1A; ARG NH1, O3G", 1 / 3, False),
        ("Yes: ARG NH2, O1B; ARG NE, O2G; ARG NH1, O3G", 0.5, False),  # all true bonds plus extras
        ("Yes: ARG NH2, O1B; ARG NE, O2G; ARG NH1, O3G; ARG NH2, O2A", 0.5, False),  # |P| = 2|G|
        ("Yes: ARG NH2, O1B; ARG NE, O2G; ARG NH1, O3G; ARG NH2, O2A; ARG NE, O1A", 0.0, False),  # > 2|G|
        ("No", 0.0, False),
        ("Yes", 0.0, False),
    ],
)
def test_residue_bonds_positive(answer: str, weighted: float, exact: bool) -> None:
    s = score("residue_bonds", answer, POS, task="T4")
    assert s.weighted == pytest.approx(weighted)
    assert (s.exact, s.column) == (exact, "RL-Pos")


@pytest.mark.parametrize(
    ("answer", "weighted"), [("No", 1.0), ("**No.**", 1.0), ("Yes: ARG NH2, O1B", 0.0), ("Yes", 0.0)]
)
def test_residue_bonds_negative(answer: str, weighted: float) -> None:
    s = score("residue_bonds", answer, "No")
    assert (s.weighted, s.exact, s.column) == (weighted, weighted == 1.0, "RL-Neg")


def test_superset_of_one_bond() -> None:
    gold = "Yes: ASP OD1, N1"
    assert score("residue_bonds", "Yes: ASP OD1, N1; ASP OD2, N1", gold).weighted == 0.5
    assert score("residue_bonds", "Yes: ASP OD1, N1; ASP OD2, N1; ASP N, O2", gold).weighted == 0.0


PL = "ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A"


@pytest.mark.parametrize(
    ("answer", "weighted", "exact"),
    [
        (PL, 1.0, True),
        ("LYS 47 NZ A, O1A\nARG 45 NH2 A, O1B", 1.0, True),
        ("LYS 47 NZ A, O1A", 1.0, False),
        ("ARG 45 NH2, O1B; LYS 47 NZ A, O1A", 0.5, False),  # a bond without its chain is not the gold bond
        ("ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A; ASP 50 OD1 A, N3", 0.5, False),
        ("ARG 45 NH2 A, O2B; LYS 47 NZ B, O1A; ASP 50 OD1 A, N3; GLU 52 OE1 A, N4", 0.0, False),
        ("None", 0.0, False),
    ],
)
def test_pocket_bonds(answer: str, weighted: float, exact: bool) -> None:
    s = score("pocket_bonds", answer, PL, task="T9")
    assert s.weighted == pytest.approx(weighted)
    assert (s.exact, s.column) == (exact, "PL")


@pytest.mark.parametrize(
    ("task", "column"), [("T5", "T+R"), ("T6", "R+R"), ("T8", "I-Loc"), (None, "choice")]
)
def test_choice(task: str | None, column: str) -> None:
    right = score("choice", "The answer is (C).", "C", task=task)
    wrong = score("choice", "**B**", "C", task=task)
    assert (right.weighted, right.exact, right.column) == (1.0, True, column)
    assert (wrong.weighted, wrong.exact, wrong.answered) == (0.0, False, True)


@pytest.mark.parametrize(
    ("fmt", "answer", "gold"),
    [
        ("translation", "It moved right.", "move x 4"),
        ("choice", "Based on the images, it moved.", "B"),
        ("residue_bonds", "I cannot tell.", "No"),
        ("pocket_bonds", "", PL),
    ],
)
def test_unparseable_scores_zero_and_is_marked(fmt: AnswerFormat, answer: str, gold: str) -> None:
    s = score(fmt, answer, gold)
    assert (s.weighted, s.exact, s.answered) == (0.0, False, False)


def test_invalid_gold_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a valid translation answer"):
        score("translation", "move x 4", "four to the right")


def test_column_for() -> None:
    assert column_for("T4", "Yes: ARG NH2, O1B") == "RL-Pos"
    assert column_for("t4", "No") == "RL-Neg"
    assert [column_for(f"T{i}", "x") for i in (1, 2, 3, 5, 6, 7, 8, 9)] == [
        "Trans",
        "Rot",
        "Zoom",
        "T+R",
        "R+R",
        "Dock",
        "I-Loc",
        "PL",
    ]
    with pytest.raises(ValueError):
        column_for("T10", "x")
    assert COLUMNS == ["Trans", "Rot", "Zoom", "RL-Pos", "RL-Neg", "T+R", "R+R", "Dock", "I-Loc", "PL"]
    assert AVG_COLUMNS == ["Trans", "Rot", "Zoom", "RL-Pos", "RL-Neg", "Dock", "I-Loc", "PL"]


def test_aggregate_partial_columns() -> None:
    rows = [("Rot", 0.25, False), ("Trans", 1.0, True), ("Trans", 0.5, False), ("T+R", 1.0, True)]
    table = aggregate(rows)
    assert list(table) == ["Trans", "Rot", "T+R", "Avg"]
    assert table["Trans"] == {"n": 2, "weighted": 75.0, "exact": 50.0}
    assert table["Rot"] == {"n": 1, "weighted": 25.0, "exact": 0.0}
    assert table["Avg"]["weighted"] == 50.0  # T+R is not in the average
    assert table["Avg"]["exact"] == 25.0
    assert table["Avg"]["columns"] == ["Trans", "Rot"]
    assert table["Avg"]["missing"] == ["Zoom", "RL-Pos", "RL-Neg", "Dock", "I-Loc", "PL"]


def test_aggregate_avg_over_eight_columns() -> None:
    weights = dict(zip(AVG_COLUMNS, [1.0, 0.5, 0.0, 1.0, 1.0, 0.25, 0.75, 0.5], strict=True))
    rows = [(c, w, w == 1.0) for c, w in weights.items()] + [("T+R", 0.0, False), ("R+R", 0.0, False)]
    table = aggregate(rows)
    assert table["Avg"]["weighted"] == 62.5  # (100 + 50 + 0 + 100 + 100 + 25 + 75 + 50) / 8
    assert table["Avg"]["exact"] == 37.5  # 3 of 8 columns exact
    assert table["Avg"]["missing"] == []
    assert list(table) == [*COLUMNS, "Avg"]


def test_aggregate_empty() -> None:
    assert aggregate([])["Avg"] == {"weighted": None, "exact": None, "columns": [], "missing": AVG_COLUMNS}
