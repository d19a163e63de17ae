"""SciVideoBench categories: question types, and the subject columns.

The paper reports four columns, Biology, Chemistry, Medicine and Physics. The dataset card lists a
`category` field with those values, and the official code groups by it (`doc.get("category", "UNKNOWN")`).
Rows seen without it carry only the finer `discipline` field (Engineering, Biology, Chemistry, Medicine,
Bioengineering, Biochemistry, Physics), and no grouping of those gives the paper's column sizes. So the
report groups by `category` when every row has one, and otherwise shows the disciplines as they are,
saying that the paper's columns cannot be reproduced from them: nothing is mapped by guesswork.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

CATEGORIES = ["Biology", "Chemistry", "Medicine", "Physics"]  # the paper's columns, in its order
QUESTION_TYPES = ["Conceptual", "Hypothetical", "Quantitative"]
NO_VALUE = "(none)"
SubjectField = Literal["category", "discipline"]


def clean(raw: object) -> str:
    """The value with runs of whitespace collapsed; empty or missing → "(none)". Never renamed."""
    text = " ".join(str(raw or "").split())
    return text or NO_VALUE


def subject_field(metadata: Iterable[Mapping[str, Any]]) -> SubjectField:
    """"category" when every row has a non-empty one, else "discipline"."""
    rows = list(metadata)
    has = [bool(str(m.get("category") or "").strip()) for m in rows]
    return "category" if rows and all(has) else "discipline"


def question_type_of(raw: object) -> str:
    """Short question type: "Conceptual Reasoning" → "Conceptual"; unknown values kept as they are."""
    text = " ".join(str(raw or "").split())
    if not text:
        return NO_VALUE
    first = text.split()[0].capitalize()
    return first if first in QUESTION_TYPES else text
