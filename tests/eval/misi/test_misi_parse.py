"""MiSI answer parsing: every format, on the paper's examples and on how models actually write."""

from __future__ import annotations

import pytest

from eval.items import AnswerFormat
from eval.misi.parse import parse_answer


@pytest.mark.parametrize(
    ("fmt", "text", "value", "method"),
    [
        ("translation", "move x 4", "move x 4", "command"),
        ("rotation", "roll y 15", "roll y 15", "command"),
        ("zoom", "move z 40", "move z 40", "command"),
        ("choice", "C", "C", "bare_line"),
        ("docking", "roll x 75, move x -14", "roll x 75, move x -14", "command_pair"),
        ("residue_bonds", "No", "No", "no"),
        ("residue_bonds", "Yes: ARG NH2, O1B; ARG NE, O2G", "Yes: ARG NH2, O1B; ARG NE, O2G", "yes_bonds"),
        (
            "pocket_bonds",
            "ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A",
            "ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A",
            "bond_lines",
        ),
    ],
)
def test_paper_examples_round_trip(fmt: AnswerFormat, text: str, value: str, method: str) -> None:
    parsed = parse_answer(text, fmt)
    assert (parsed.ok, parsed.value, parsed.method) == (True, value, method)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I think the answer is **move x -3**.", "move x -3"),
        ("move x +4", "move x 4"),
        ("move x 4.0", "move x 4"),
        ("`move y -3.5`", "move y -3.5"),
        ("move y \u22122 Å", "move y -2"),  # U+2212 minus sign
        ("move x 4Å", "move x 4"),
        ("MOVE X 2", "move x 2"),
        ("Translate along the y axis by 3", "move y 3"),
        ("```\nmove x 1\n```", "move x 1"),
        (r"$\text{move x } -1$", "move x -1"),
        ("First guess move x 2, but the top view shows more.\n\nFinal answer: move y -1", "move y -1"),
    ],
)
def test_translation_variants(text: str, value: str) -> None:
    parsed = parse_answer(text, "translation")
    assert (parsed.ok, parsed.value) == (True, value)
    assert "mismatch" not in parsed.detail


def test_command_detail_and_last_match() -> None:
    parsed = parse_answer("move x 2 ... no: move y -3.5", "translation")
    assert parsed.detail == {"verb": "move", "axis": "y", "value": -3.5, "n_commands": 2}
    rot = parse_answer("Rotate about the z axis by -45°", "rotation")
    assert (rot.value, rot.detail["axis"], rot.detail["value"]) == ("roll z -45", "z", -45.0)


@pytest.mark.parametrize(
    ("fmt", "text", "mismatch"),
    [
        ("translation", "move z 3", "expected move <x|y>, got move z"),
        ("translation", "roll x 4", "expected move <x|y>, got roll x"),
        ("rotation", "move y 15", "expected roll <x|y|z>, got move y"),
        ("zoom", "move x 40", "expected move <z>, got move x"),
    ],
)
def test_wrong_verb_or_axis_is_parsed_and_noted(fmt: AnswerFormat, text: str, mismatch: str) -> None:
    parsed = parse_answer(text, fmt)
    assert parsed.ok and parsed.value == text
    assert parsed.detail["mismatch"] == mismatch


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("translation", "The ligand moved to the right by about 4 Å."),
        ("translation", "x 4"),
        ("rotation", "roll y"),
        ("zoom", ""),
        ("docking", "Rotate it a bit and then slide it in."),
        ("residue_bonds", "No hydrogen bond forms."),  # prose, not the answer format
        ("residue_bonds", "I cannot tell from these views."),
        ("pocket_bonds", "ARG 45 forms a bond with the ligand."),
        ("choice", "Based on the images, the ligand moved."),
    ],
)
def test_unparseable(fmt: AnswerFormat, text: str) -> None:
    parsed = parse_answer(text, fmt)
    assert (parsed.ok, parsed.value, parsed.method) == (False, None, "unparseable")


@pytest.mark.parametrize(
    ("text", "value", "method"),
    [
        ("roll x 75 and then move x -14", "roll x 75, move x -14", "command_pair"),
        ("**Answer:** `roll x 75`, `move x -14`", "roll x 75, move x -14", "command_pair"),
        ("move x -14, roll x 75", "roll x 75, move x -14", "command_pair"),  # order normalised
        (
            "Try roll y 30, move x 10.\nAnswer: roll x 75, move x -14.",
            "roll x 75, move x -14",
            "command_pair",
        ),
        ("Rotate: roll z -30. Then we need move x 12.5.", "roll z -30, move x 12.5", "separate_commands"),
        ("roll x 75", "roll x 75", "roll_only"),
        ("move x -14", "move x -14", "move_only"),
    ],
)
def test_docking(text: str, value: str, method: str) -> None:
    parsed = parse_answer(text, "docking")
    assert (parsed.ok, parsed.value, parsed.method) == (True, value, method)


def test_docking_detail() -> None:
    parsed = parse_answer("roll y -15, move y 20", "docking")
    assert parsed.detail["roll"] == {"verb": "roll", "axis": "y", "value": -15.0}
    assert parsed.detail["move"] == {"verb": "move", "axis": "y", "value": 20.0}
    assert parsed.detail["mismatch"] == "expected move x, got move y"
    assert parse_answer("roll x 75", "docking").detail["move"] is None


@pytest.mark.parametrize(
    ("text", "value", "method"),
    [
        ("**No.**", "No", "no"),
        ("No, the closest contact is 4.6 Å.", "No", "no"),
        ("The distances are all too long, so the answer is no.", "No", "no"),
        ("ARG NH2, O1B is 4.5 Å apart, too far.\n\nAnswer: No", "No", "no"),
        ("No... wait, the top view shows it. Yes: ARG NH2, O1B", "Yes: ARG NH2, O1B", "yes_bonds"),
        ("Yes: arg nh2, o1b", "Yes: ARG NH2, O1B", "yes_bonds"),
        ("Yes,  ARG NH2 - O1B and ARG   NE – O2G.", "Yes: ARG NH2, O1B; ARG NE, O2G", "yes_bonds"),
        ("Yes: ARG NH2, O1B; ARG NH2, O1B", "Yes: ARG NH2, O1B", "yes_bonds"),  # duplicates dropped
        ("Yes: ARG 45 NH2, O1B", "Yes: ARG NH2, O1B", "yes_bonds"),  # residue number dropped
        ("Yes:\n- ARG NH2, O1B\n- ARG NE, O2G", "Yes: ARG NH2, O1B; ARG NE, O2G", "yes_bonds"),
        (
            "Yes, there are two:\n\n1. ARG NH2, O1B\n2. ARG NE, O2G",
            "Yes: ARG NH2, O1B; ARG NE, O2G",
            "bond_lines",
        ),
        ("Yes.", "Yes", "yes_without_bonds"),
    ],
)
def test_residue_bonds(text: str, value: str, method: str) -> None:
    parsed = parse_answer(text, "residue_bonds")
    assert (parsed.ok, parsed.value, parsed.method) == (True, value, method)


def test_residue_bonds_detail() -> None:
    yes = parse_answer("Yes: ARG NH2, O1B; ARG NE, O2G", "residue_bonds")
    assert yes.detail == {"answer": "yes", "bonds": ["ARG NH2, O1B", "ARG NE, O2G"]}
    assert parse_answer("No", "residue_bonds").detail == {"answer": "no", "bonds": []}


@pytest.mark.parametrize(
    ("text", "value", "method"),
    [
        ("ARG 57A NH2 B, O1B", "ARG 57A NH2 B, O1B", "bond_lines"),  # insertion code
        (
            "Answer:\n1. ARG 45 NH2 A, O1B\n2. **LYS 47 NZ A, O1A**",
            "ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A",
            "bond_lines",
        ),
        (
            "The bonds are arg 45 nh2 a, o1b and LYS 47 NZ A, O1A.",
            "ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A",
            "inline_bonds",
        ),
        (
            "**Final answer:** ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A\n\nNote that LYS 47 NZ A, O1A is long.",
            "ARG 45 NH2 A, O1B; LYS 47 NZ A, O1A",
            "bond_lines",
        ),
        ("ASP 10 OD1 A, N1\n\nOn second thought:\nGLU 12 OE2 A, N2", "GLU 12 OE2 A, N2", "bond_lines"),
        ("None", "None", "none"),
    ],
)
def test_pocket_bonds(text: str, value: str, method: str) -> None:
    parsed = parse_answer(text, "pocket_bonds")
    assert (parsed.ok, parsed.value, parsed.method) == (True, value, method)


def test_pocket_bond_without_chain_is_kept_and_noted() -> None:
    parsed = parse_answer("ARG 45 NH2, O1B; LYS 47 NZ A, O1A", "pocket_bonds")
    assert parsed.value == "ARG 45 NH2, O1B; LYS 47 NZ A, O1A"
    assert parsed.detail["mismatch"] == "1 bond(s) without a chain id"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("move x 3, move y 5", None),  # an option's text is not a letter
        ("C) move x 3, move y 5", "C"),
        ("After comparing the four options, **B**.", "B"),
        ("Based on the top view, the answer is (D).", "D"),
    ],
)
def test_choice_format(text: str, value: str | None) -> None:
    assert parse_answer(text, "choice").value == value
