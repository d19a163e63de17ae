"""Report figures against numbers worked out by hand from the runs in conftest.py."""

from __future__ import annotations

import pytest

from eval.report import load_arms, report_runs
from eval.report.categories import clean, question_type_of


def test_misi_table_matches_hand_computed_figures(misi_run) -> None:
    table = report_runs([misi_run]).misi
    assert table is not None
    direct, tools = table.rows
    assert (direct.arm, tools.arm) == ("r1/direct", "r1/tools")  # cot has no results: no arm
    expected = {  # column: (n, weighted %, exact %, unparseable, error)
        "Trans": (3, 50.00, 33.33, 1, 0),  # (1 + .5 + 0) / 3; 1 of 3 exact
        "Rot": (2, 60.00, 0.00, 0, 0),  # (.9 + .3) / 2
        "Zoom": (4, 50.00, 50.00, 0, 1),  # the errored z4 scores 0 despite its line's 0.7
        "RL-Pos": (1, 50.00, 0.00, 0, 0),
        "RL-Neg": (2, 50.00, 50.00, 0, 0),
        "T+R": (2, 100.00, 100.00, 0, 0),
        "PL": (1, 20.00, 0.00, 0, 0),
    }
    for column, (n, weighted, exact, unparseable, error) in expected.items():
        cell = direct.cells[column]
        assert (cell.n, cell.unparseable, cell.error) == (n, unparseable, error), column
        assert round(cell.weighted, 2) == weighted and round(cell.exact, 2) == exact, column
    for column in ("R+R", "Dock", "I-Loc"):
        assert direct.cells[column].n == 0 and direct.cells[column].weighted is None
    # Avg over the 6 AVG columns present, T+R left out: (50+60+50+50+50+20)/6 and (33.33+0+50+0+50+0)/6
    assert round(direct.avg_weighted, 2) == 46.67 and round(direct.avg_exact, 2) == 22.22
    assert direct.avg_missing == ["Dock", "I-Loc"]
    # tools: Trans 75, Rot 75, Zoom 75, RL-Pos 100, RL-Neg 100, Dock 40, PL 60 → 525/7
    assert round(tools.avg_weighted, 2) == 75.00 and round(tools.avg_exact, 2) == 55.95
    assert tools.cells["Dock"].n == 1 and tools.avg_missing == ["I-Loc"]
    assert any("Avg* over 6 of 8" in note for note in table.notes)
    assert any("score 0 and count in n" in note for note in table.notes)


def test_misi_published_rows_come_from_table_1(misi_run) -> None:
    table = report_runs([misi_run]).misi
    published = {row.label: row for row in table.published}
    assert list(published) == ["Human", "Claude Sonnet 4.5", "GPT-5-mini", "Qwen2.5VL-7B-SFT"]
    assert published["Human"].values["Avg"] == 81.18 and published["GPT-5-mini"].values["I-Loc"] == 47.82
    assert all(row.source == "published" for row in table.published)


def test_scivideo_table_matches_hand_computed_figures(scivideo_runs) -> None:
    report = report_runs(scivideo_runs)
    assert report.misi is None
    table = report.scivideo
    direct, cot = table.rows
    assert direct.arm == "sv1/direct"
    assert cot.arm == "sv2/cot · official parser (random fallback)"
    assert (direct.overall.n, direct.overall.correct, direct.overall.unparseable) == (12, 3, 1)
    assert round(direct.overall.accuracy, 2) == 25.00 and round(cot.overall.accuracy, 2) == 83.33
    assert cot.overall.error == 1
    assert {t: round(a.accuracy, 2) for t, a in direct.by_type.items()} == {
        "Conceptual": 50.00,
        "Hypothetical": 0.00,
        "Quantitative": 25.00,
    }
    assert {t: round(a.accuracy, 2) for t, a in cot.by_type.items()} == {
        "Conceptual": 75.00,
        "Hypothetical": 75.00,
        "Quantitative": 100.00,
    }
    # No `category` in the rows: the raw disciplines as they are, and a note that says so.
    assert table.subject_field == "discipline"
    assert table.disciplines == [
        "(none)", "Astronomy", "Biology", "Cancer Research", "Chemistry", "Developmental Biology",
        "Medicine", "Neuroscience", "Physics", "physics",
    ]  # fmt: skip
    by_field = {d: (a.n, round(a.accuracy, 2)) for d, a in direct.by_discipline.items() if a.n}
    assert by_field == {
        "(none)": (1, 0.00),
        "Astronomy": (1, 0.00),
        "Biology": (2, 50.00),
        "Cancer Research": (1, 0.00),
        "Chemistry": (2, 50.00),
        "Developmental Biology": (1, 0.00),
        "Medicine": (1, 0.00),
        "Neuroscience": (1, 0.00),
        "Physics": (1, 100.00),
        "physics": (1, 0.00),
    }
    assert any("cannot be reproduced" in note for note in table.notes)
    assert table.published[0].label == "Gemini-2.5-Pro" and table.published[0].values["Overall"] == 64.30
    assert any("random" in note for note in table.notes)


def test_scivideo_subject_columns_follow_the_release_category(make_run, scivideo_line) -> None:
    rows = [
        ("c1", "Engineering", "Physics", True),
        ("c2", "Bioengineering", "Biology", False),
        ("c3", "Biochemistry", "Chemistry", True),
        ("c4", "Engineering", "Biology", True),
    ]
    lines = [scivideo_line(i, "Conceptual Reasoning", d, r, category=c) for i, d, c, r in rows]
    table = report_runs([make_run("cat", lines, benchmark="scivideo")]).scivideo
    assert table.subject_field == "category"
    assert table.disciplines == ["Biology", "Chemistry", "Medicine", "Physics"]
    got = {d: (a.n, a.correct) for d, a in table.rows[0].by_discipline.items()}
    assert got == {"Biology": (2, 1), "Chemistry": (1, 1), "Medicine": (0, 0), "Physics": (1, 1)}
    assert not any("cannot be reproduced" in note for note in table.notes)

    # One row without a category: no partial grouping, the raw disciplines for all.
    lines.append(scivideo_line("c5", "Conceptual Reasoning", "Medicine", True))
    table = report_runs([make_run("mixed", lines, benchmark="scivideo")]).scivideo
    assert table.subject_field == "discipline"
    assert table.disciplines == ["Biochemistry", "Bioengineering", "Engineering", "Medicine"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Biology", "Biology"), ("  cancer   research ", "cancer research"), ("", "(none)"), (None, "(none)")],
)
def test_subject_values_are_kept_as_they_are(raw, expected) -> None:
    assert clean(raw) == expected


def test_question_type_names() -> None:
    assert question_type_of("Quantitative Reasoning") == "Quantitative"
    assert question_type_of("Spatial Reasoning") == "Spatial Reasoning"


def test_mode_filter_and_labels_of_same_named_runs(make_run, misi_line, tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = make_run("a/run", [misi_line("t1", "Trans", 1.0, True, mode="tools")])
    two = make_run("b/run", [misi_line("t1", "Trans", 0.0, mode="tools")])
    arms = load_arms([one, two], modes=["tools"])
    assert [a.info.label for a in arms] == [f"{one}/tools", f"{two}/tools"]
