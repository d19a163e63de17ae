"""SciVideoBench categories: question types and the four reported disciplines.

The paper reports Biology, Chemistry, Medicine and Physics, but the raw `discipline` field is finer and
the paper does not publish its mapping. The one used here, case-insensitively:
1. an explicit table of finer names (below), mostly JoVE journal sections;
2. otherwise a raw value containing exactly one of the words biology, chemistry, medicine, physics
   ("Developmental Biology", "Physical Chemistry") maps to that discipline;
3. anything else is listed under its raw value, so nothing is silently folded into a wrong column.
"""

from __future__ import annotations

import re

DISCIPLINES = ["Biology", "Chemistry", "Medicine", "Physics"]
QUESTION_TYPES = ["Conceptual", "Hypothetical", "Quantitative"]
NO_VALUE = "(none)"

DISCIPLINE_MAP = {
    "biochemistry": "Biology",  # JoVE files it with the life sciences
    "bioengineering": "Biology",
    "behavior": "Biology",
    "genetics": "Biology",
    "immunology and infection": "Biology",
    "neuroscience": "Biology",
    "cancer research": "Medicine",
    "clinical": "Medicine",
    "medical": "Medicine",
    "applied physics": "Physics",
}
_WORDS = {d.lower(): d for d in DISCIPLINES}


def discipline_of(raw: object) -> str:
    text = " ".join(str(raw or "").split())
    if not text:
        return NO_VALUE
    key = text.lower()
    if key in DISCIPLINE_MAP:
        return DISCIPLINE_MAP[key]
    hits = {_WORDS[w] for w in re.findall(r"[a-z]+", key) if w in _WORDS}
    return hits.pop() if len(hits) == 1 else text


def question_type_of(raw: object) -> str:
    """Short question type: "Conceptual Reasoning" → "Conceptual"; unknown values kept as they are."""
    text = " ".join(str(raw or "").split())
    if not text:
        return NO_VALUE
    first = text.split()[0].capitalize()
    return first if first in QUESTION_TYPES else text
