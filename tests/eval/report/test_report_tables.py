"""Report figures against numbers worked out by hand from the runs in conftest.py."""

from __future__ import annotations

import pytest

from eval.report import load_arms, report_runs
from eval.report.categories import discipline_of, question_type_of


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
    assert table.disciplines == ["Biology", "Chemistry", "Medicine", "Physics", "(none)", "Astronomy"]
    by_field = {d: (a.n, round(a.accuracy, 2)) for d, a in direct.by_discipline.items()}
    assert by_field == {
        "Biology": (4, 25.00),  # Biology, Neuroscience, Developmental Biology, Biology
        "Chemistry": (2, 50.00),
        "Medicine": (2, 0.00),  # Medicine, Cancer Research
        "Physics": (2, 50.00),  # Physics, physics
        "(none)": (1, 0.00),
        "Astronomy": (1, 0.00),
    }
    assert table.published[0].label == "Gemini-2.5-Pro" and table.published[0].values["Overall"] == 64.30
    assert any("random" in note for note in table.notes)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Biology", "Biology"),
        ("Immunology and Infection", "Biology"),
        ("Physical Chemistry", "Chemistry"),
        ("  cancer   research ", "Medicine"),
        ("Materials Science", "Materials Science"),
        ("Biology and Chemistry", "Biology and Chemistry"),  # two disciplines named: kept raw
        (None, "(none)"),
    ],
)
def test_discipline_mapping(raw, expected) -> None:
    assert discipline_of(raw) == expected


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
