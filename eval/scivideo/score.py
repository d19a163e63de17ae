"""Scoring a SciVideoBench answer: the strict default parser, or the official one for parity.

The official parser (lmms-eval `scivideobench`) deletes a few answer phrases, takes the FIRST capital
A–L anywhere ("Based on…" reads as B) and, when it finds none, guesses a random letter. Here that guess
is seeded by the item id so reruns agree, and labelled `official_random_fallback` with parseable=False:
the official accuracy (mean score) keeps the lucky guesses, and the NOANSWER count stays visible.
"""

from __future__ import annotations

import hashlib
import random
import re

from eval.benchmark import Verdict
from eval.items import Item
from eval.parsing import parse_choice
from eval.scivideo.protocol import LETTERS

# Deleted before the letter search, in this order, case-sensitively (as the official code does).
OFFICIAL_PREFIXES = (
    "The answer is",
    "The correct answer is",
    "The best answer is",
    "Answer:",
    "Option:",
    "### Final Answer:\n$$\\boxed",
    "the final answer is",
)
_ANY_OPTION = re.compile(f"[{LETTERS}]")
_FIRST_LETTER = re.compile(r"[A-L]")  # A–L as in the official search; K and L are never right


def official_letter(text: str) -> str | None:
    """The official extraction; None where it returns "" (and would guess)."""
    s = text.strip()
    for prefix in OFFICIAL_PREFIXES:
        s = s.replace(prefix, "")
    if len(s.split()) > 16 and not _ANY_OPTION.search(s):
        return None
    m = _FIRST_LETTER.search(s)
    return m.group(0) if m else None


def fallback_letter(item_id: str) -> str:
    """The official random guess, made reproducible: the same item always gets the same letter."""
    seed = int.from_bytes(
        hashlib.sha256(f"scivideo-official-fallback:{item_id}".encode()).digest()[:8], "big"
    )
    return random.Random(seed).choice(LETTERS)


def column(item: Item) -> str:
    return str(item.metadata.get("question_type") or item.task_name)


def judge_choice(item: Item, text: str | None, protocol: str = "default") -> Verdict:
    col = column(item)
    if text is None:
        return Verdict(None, "no_answer", False, 0.0, False, col)
    if protocol == "official":
        letter = official_letter(text)
        if letter is not None:
            method, parseable = "official_first_letter", True
        else:
            letter, method, parseable = fallback_letter(item.id), "official_random_fallback", False
        exact = letter == item.gold
        return Verdict(letter, method, parseable, float(exact), exact, col)
    parsed = parse_choice(text, LETTERS)
    exact = parsed.ok and parsed.value == item.gold
    return Verdict(parsed.value, parsed.method, parsed.ok, float(exact), exact, col)
