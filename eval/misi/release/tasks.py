"""Which task a record belongs to: from the mapping file, the record's own task field, the archive's name,
or the record's content (answer shape and image count, as the paper defines each task), in that order.

Every decision says how it was made, so the import can report what was inferred and what was confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eval.items import AnswerFormat
from eval.misi.build.builder import TASK_NAMES

ANSWER_FORMATS: dict[str, AnswerFormat] = {
    "T1": "translation",
    "T2": "rotation",
    "T3": "zoom",
    "T4": "residue_bonds",
    "T5": "choice",
    "T6": "choice",
    "T7": "docking",
    "T8": "choice",
    "T9": "pocket_bonds",
}
IMAGE_COUNTS = {"T1": 4, "T2": 4, "T3": 4, "T4": 6, "T5": 11, "T6": 8, "T7": 7, "T8": 6, "T9": 6}  # paper

_NUM = r"[+-]?\d+(?:\.\d+)?"
_SHAPES = {  # the gold answer's exact shape per task (the paper's output formats)
    "T1": rf"move [xy] {_NUM}",
    "T2": rf"roll [xyz] {_NUM}",
    "T3": rf"move z {_NUM}",
    "T4": r"no\.?|yes\b.*",
    "T5": r"\(?[a-d]\)?\.?",
    "T6": r"\(?[a-d]\)?\.?",
    "T7": rf"roll [xyz] {_NUM}\s*,\s*move x {_NUM}",
    "T8": r"\(?[a-d]\)?\.?",
    "T9": r"[a-z]{3} -?\d+[a-z]? \S+ \S+, ?\S+(?:\s*;\s*[a-z]{3} -?\d+[a-z]? \S+ \S+, ?\S+)*;?",
}


@dataclass(frozen=True)
class TaskRule:
    """An archive's task: fixed, or decided per record among `candidates`; `how` is said in the summary."""

    task: str | None
    candidates: tuple[str, ...]
    polarity: str | None  # T4: "pos" | "neg" when the archive's name says so
    how: str
    confirmed: bool = False


def tokens(name: str) -> list[str]:
    stem = re.sub(r"\.(zip|tar\.gz|tgz|tar|tar\.bz2|tar\.xz)$", "", name.lower())
    return [t for t in re.split(r"[^a-z0-9]+", stem) if t]


def task_from_name(name: str) -> TaskRule | None:
    """The task an archive's (or a task field's) name points to; None when it names none."""
    raw = name.strip()
    if re.fullmatch(r"[Tt][1-9]", raw):
        return TaskRule(raw.upper(), (), None, f"'{raw}' is a task id")
    t = tokens(name)
    s = set(t)
    pol = "pos" if s & {"pos", "positive"} else "neg" if s & {"neg", "negative"} else None
    said = f"name '{name}'"

    def rule(task: str | None, why: str, candidates: tuple[str, ...] = ()) -> TaskRule:
        polarity = pol if task == "T4" else None
        return TaskRule(task, candidates, polarity, f"{said}: {why}")

    if "location" in s:
        return rule("T8", "'location' → T8 Interaction location")
    if "multiview" in s or "bind" in s:
        return rule(None, "'bind_multiview' → T7 or T9, decided from each record", ("T7", "T9"))
    if s & {"dock", "docking"}:
        return rule("T7", "'docking' → T7")
    if "pocket" in s:
        return rule("T9", "'pocket' → T9 Pocket–ligand interaction")
    if "residue" in s or ("interaction" in s and pol):
        return rule("T4", f"'interaction-{pol or '?'}' → T4 Residue–ligand interaction")
    if "interaction" in s:
        return rule(None, "'interaction' → T4 or T9, decided from each record", ("T4", "T9"))
    rotations = sum(x in {"rotation", "rot", "roll"} for x in t)
    translations = sum(x in {"translation", "trans", "move", "shift"} for x in t)
    if rotations and translations:
        return rule("T5", "translation + rotation → T5")
    if rotations >= 2 or s & {"rr", "rotrot"}:
        return rule("T6", "rotation + rotation → T6")
    if s & {"tr", "transrot"}:
        return rule("T5", "'tr' → T5")
    if rotations:
        return rule("T2", "'rotation' → T2")
    if translations:
        return rule("T1", "'translation' → T1")
    if s & {"scale", "zoom", "zooming", "depth"}:
        return rule("T3", f"'{(s & {'scale', 'zoom', 'zooming', 'depth'}).pop()}' → T3 Zooming")
    return None


def fits(task: str, answer: str, n_images: int) -> tuple[bool, bool]:
    """(the answer has the task's shape, the image count is the paper's for the task)."""
    shape = re.fullmatch(_SHAPES[task], answer.strip().lower(), flags=re.DOTALL) is not None
    return shape, n_images == IMAGE_COUNTS[task]


def task_from_content(answer: str, n_images: int, candidates: tuple[str, ...] | None = None) -> str | None:
    """The one candidate task whose answer shape (and, to break ties, image count) the record has."""
    pool = candidates or tuple(TASK_NAMES)
    scored = [(task, fits(task, answer, n_images)) for task in pool]
    shaped = [(task, count) for task, (shape, count) in scored if shape]
    if len(shaped) == 1:
        return shaped[0][0]
    counted = [task for task, count in shaped if count]
    return counted[0] if len(counted) == 1 else None


def polarity_from_answer(answer: str) -> str | None:
    text = answer.strip().lower()
    return "neg" if re.fullmatch(r"no\.?", text) else "pos" if text.startswith("yes") else None
