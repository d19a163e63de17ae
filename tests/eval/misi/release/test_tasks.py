"""Archive names → tasks (the release's names and the paper's task names), and tasks from content."""

from __future__ import annotations

import pytest

from eval.misi.release.tasks import task_from_content, task_from_name


@pytest.mark.parametrize(
    ("name", "task", "polarity", "candidates"),
    [
        ("test_scale.tar.gz", "T3", None, ()),
        ("test_zooming.tar.gz", "T3", None, ()),
        ("test-location-1160.zip", "T8", None, ()),
        ("test-interaction-pos-1160.zip", "T4", "pos", ()),
        ("test-interaction-pos-1160-app.zip", "T4", "pos", ()),
        ("test-interaction-neg-1160.zip", "T4", "neg", ()),
        ("bind_multiview_test.zip", None, None, ("T7", "T9")),
        ("test_translation.zip", "T1", None, ()),
        ("Rotation", "T2", None, ()),
        ("translation_rotation_test.zip", "T5", None, ()),
        ("Translation + rotation", "T5", None, ()),
        ("test-rotation-rotation.zip", "T6", None, ()),
        ("Docking", "T7", None, ()),
        ("Interaction location", "T8", None, ()),
        ("Residue–ligand interaction", "T4", None, ()),
        ("pocket_ligand_interaction", "T9", None, ()),
        ("t6", "T6", None, ()),
    ],
)
def test_names(name: str, task: str | None, polarity: str | None, candidates: tuple) -> None:
    rule = task_from_name(name)
    assert rule is not None and (rule.task, rule.polarity, rule.candidates) == (task, polarity, candidates)


def test_names_that_say_nothing() -> None:
    assert task_from_name("README.md") is None and task_from_name("test-1160.zip") is None


@pytest.mark.parametrize(
    ("answer", "n", "candidates", "task"),
    [
        ("roll x 75, move x -14", 7, ("T7", "T9"), "T7"),
        ("ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A", 6, ("T7", "T9"), "T9"),
        ("move x -3", 4, None, "T1"),
        ("roll z 45", 4, None, "T2"),
        ("move z 57", 4, None, "T3"),
        ("No", 6, None, "T4"),
        ("Yes: ARG NH2, O1B", 6, None, "T4"),
        ("C", 11, None, "T5"),
        ("B", 8, None, "T6"),
        ("A", 6, None, "T8"),
        ("B", 5, None, None),  # a letter with an image count no MC task has: not guessed
        ("maybe", 4, None, None),
    ],
)
def test_content(answer: str, n: int, candidates, task: str | None) -> None:
    assert task_from_content(answer, n, candidates) == task
