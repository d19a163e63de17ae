"""The official and default protocols: timestamp rewrite, frame indices, and both answer parsers."""

from __future__ import annotations

import pytest

from eval.items import Item
from eval.scivideo.protocol import (
    frame_indices,
    max_new_tokens,
    official_indices,
    task_code,
    timestamps_to_frames,
)
from eval.scivideo.score import fallback_letter, judge_choice, official_letter
from tools.frames.video import uniform_indices
from tools.refs import VideoRef


def _item(item_id: str = "scivideo-0007", gold: str = "B") -> Item:
    return Item(
        id=item_id,
        benchmark="scivideo",
        task="quantitative",
        task_name="Quantitative Reasoning",
        prompt="?",
        prompt_template="scivideo/direct",
        prompt_hash="0",
        options={k: k.lower() for k in "ABCDEFGHIJ"},
        answer_format="choice",
        video=VideoRef(path="videos/jove_1.mp4", duration=90.0),
        metadata={"question_type": "Quantitative Reasoning"},
        gold=gold,
    )


@pytest.mark.parametrize(
    ("question", "duration", "expected"),
    [
        ("At 01:05, why?", 90.9, "At frame 65, why?"),
        (
            "Between 06:15–06:36 and 7:01 - 7:03.",
            500.0,
            "Between frame 375 to frame 396 and frame 421 to frame 423.",
        ),
        ("From 00:10-00:20 then 00:30", 40.2, "From frame 10 to frame 20 then frame 30"),
        ("Is 1:02:03 parsed?", 4000.0, "Is frame 62:03 parsed?"),  # no hours in the official pattern
        ("A 0.5 s clip at 00:00", 0.5, "A 0.5 s clip at 00:00"),  # int(duration) = 0: left alone
    ],
)
def test_timestamps_become_frames_as_officially(question: str, duration: float, expected: str) -> None:
    assert timestamps_to_frames(question, duration) == expected


def test_official_indices_floor_where_default_rounds() -> None:
    assert official_indices(24) == [0, 0, 1, 2, 2, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 11, 12, 13, 14, 14, 15,
                                    16, 17, 17, 18, 19, 20, 20, 21, 22, 23]  # fmt: skip
    assert official_indices(1000)[3] == 96 and uniform_indices(1000, 32)[3] == 97
    assert frame_indices(1000, "official", 8) == official_indices(1000)  # official always sends 32
    assert frame_indices(24, "default", 32) == list(range(24))  # never more frames than the video has
    assert frame_indices(24, "default", 0) == []
    assert max_new_tokens("official", "direct") == 16 and max_new_tokens("default", "direct") is None
    assert max_new_tokens("official", "cot") is None


def test_task_codes() -> None:
    assert [
        task_code(t) for t in ("Conceptual Reasoning", "Hypothetical Reasoning", "Quantitative Reasoning")
    ] == [
        "conceptual",
        "hypothetical",
        "quantitative",
    ]
    assert task_code("Spatial Reasoning") == "spatial"


@pytest.mark.parametrize(
    ("text", "letter"),
    [
        ("B", "B"),
        ("The answer is C.", "C"),
        ("(D) 12 mL", "D"),
        ("Based on the video, the answer is C", "B"),  # the first capital wins
        ("Answer: E", "E"),
        ("I think it is J", "I"),
        ("the final answer is  G", "G"),
        ("no capital letters here at all", None),
        ("K", "K"),
    ],
)
def test_official_first_letter(text: str, letter: str | None) -> None:
    assert official_letter(text) == letter


def test_official_parser_scores_its_first_letter() -> None:
    verdict = judge_choice(_item(gold="B"), "Based on the frames, C.", "official")
    assert (verdict.parsed, verdict.method, verdict.parseable, verdict.score) == (
        "B",
        "official_first_letter",
        True,
        1.0,
    )
    assert verdict.column == "Quantitative Reasoning"


def test_official_random_fallback_is_labelled_and_reproducible() -> None:
    letters = {fallback_letter(f"scivideo-{i:04d}") for i in range(200)}
    assert letters == set("ABCDEFGHIJ")  # a real guess over all ten letters, not a constant
    item = _item("scivideo-0042", gold=fallback_letter("scivideo-0042"))
    first = judge_choice(item, "no idea, sorry", "official")
    again = judge_choice(item, "no idea, sorry", "official")
    assert first == again
    assert (first.method, first.parseable, first.parsed, first.score) == (
        "official_random_fallback",
        False,
        item.gold,
        1.0,
    )
    wrong = judge_choice(_item("scivideo-0042", gold="A" if item.gold != "A" else "B"), "none", "official")
    assert wrong.method == "official_random_fallback" and wrong.score == 0.0


def test_default_parser_never_guesses() -> None:
    item = _item(gold="B")
    unparseable = judge_choice(item, "Based on the video, it is hard to say.", "default")
    assert (unparseable.parsed, unparseable.method, unparseable.parseable, unparseable.score) == (
        None,
        "unparseable",
        False,
        0.0,
    )
    cot = judge_choice(item, "Step 1: A looks wrong.\nTherefore, the final answer is: B", "default")
    assert (cot.parsed, cot.parseable, cot.score, cot.exact) == ("B", True, 1.0, True)
    late = judge_choice(item, "Answer: C\n\nOn reflection, the answer is J.", "default")
    assert late.parsed == "J" and late.score == 0.0  # the last explicit answer counts
    assert judge_choice(item, None, "default").method == "no_answer"
    assert judge_choice(item, None, "official").method == "no_answer"
