"""The multiple-choice letter parser and markup stripping."""

from __future__ import annotations

import pytest

from eval.parsing import ParsedAnswer, drop_reasoning, parse_choice, strip_markup


@pytest.mark.parametrize(
    ("text", "letter", "method"),
    [
        ("C", "C", "bare_line"),
        ("B.", "B", "bare_line"),
        ("(B)", "B", "bare_line"),
        ("Option D", "D", "bare_line"),
        ("**B**", "B", "bold"),
        ("The result is **(C)**.", "C", "bold"),
        ("$B$", "B", "latex_math"),
        (r"\boxed{B}", "B", "boxed"),
        (r"$\boxed{\text{D}}$", "D", "boxed"),
        ("<answer>C</answer>", "C", "answer_tag"),
        ("Answer: B", "B", "answer_phrase"),
        ("ANSWER: $B$", "B", "answer_phrase"),
        ("**Answer:** C", "C", "answer_phrase"),
        ("the answer is (B)", "B", "answer_phrase"),
        ("The correct option is (C).", "C", "answer_phrase"),
        ("The answer is A because the ligand moved left.", "A", "answer_phrase"),
        ("The answer is B and I am sure of it.", "B", "answer_phrase"),  # "I" is not an option
        ("Therefore, the final answer is: B", "B", "final_answer_phrase"),
        ("Final Answer:\n\n**D**", "D", "final_answer_phrase"),
        ("B) move x 3, move y 5", "B", "option_line"),
        ("```\nC\n```", "C", "bare_line"),
        (r"Answer: $\text{D}$", "D", "answer_phrase"),
    ],
)
def test_choice_formats(text: str, letter: str, method: str) -> None:
    parsed = parse_choice(text)
    assert (parsed.ok, parsed.value, parsed.method) == (True, letter, method)
    assert parsed.detail["letter"] == letter


@pytest.mark.parametrize(
    "text",
    [
        "Based on the images, the ligand moved to the right.",
        "A good choice would be to compare the top views.",
        "A good choice is C",  # "A good" is English; "is C" is not an answer pattern
        "Answer: A good choice is C.",
        "I'd say B.",
        "The answer is B or C.",
        "A) move x 3\nB) move x -3\nC) move y 3\nD) move y -3",  # the options restated, no choice
        "**A**: moves left\n**B**: moves right",  # bold option labels
        "",
        "the answer is b",  # lower case is not an option letter
    ],
)
def test_no_guessing(text: str) -> None:
    parsed = parse_choice(text)
    assert parsed == ParsedAnswer(ok=False, value=None, method="unparseable", detail={})


def test_letters_outside_the_options_do_not_count() -> None:
    assert not parse_choice("Answer: E").ok
    assert parse_choice("Answer: E", letters="ABCDE").value == "E"
    assert parse_choice("Answer: E\nso **C**").value == "C"  # E is no option; C is the only mark


def test_last_match_wins() -> None:
    assert parse_choice("First I thought A.\nFinal answer: **D**").value == "D"
    assert parse_choice("Answer: A. Hmm, on reflection the answer is C.").value == "C"
    assert parse_choice("**B**\n\nthen again\n\n**C**").value == "C"


def test_explicit_answer_beats_later_bare_marks() -> None:
    text = "The answer is B.\n\n**D** is wrong because it flips the sign."
    parsed = parse_choice(text)
    assert (parsed.value, parsed.method) == ("B", "answer_phrase")


def test_reasoning_block_is_ignored_once_closed() -> None:
    assert parse_choice("<think>The answer is A.</think>\nB").value == "B"
    assert parse_choice("<think>The answer is A.").value == "A"  # unclosed: nothing else to read


def test_strip_markup() -> None:
    text = "## Result\n- **move x** `-3`\n> $\\text{roll y } 15$\n```\n\\boxed{C}\n```"
    assert strip_markup(text) == "Result\nmove x -3\nroll y  15\n\nC\n"
    assert strip_markup("move x \u22123") == "move x -3"
    assert drop_reasoning("<think>x</think>") == "<think>x</think>"
