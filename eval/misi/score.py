"""MiSI-Bench scoring as in the paper (§5.1), per item and per column.

Rules, on the parsed answer P and the gold answer G:
- choice (T5, T6, T8) and zoom (T3): exact match.
- translation (T1) and rotation (T2): wrong verb or axis = 0; right axis = max(0, 1 - |p - g| / R) with
  R = 8 Å for translation and 180° for rotation, the full sampling range of each task. The paper does
  not give its normaliser; this one is inferred (not stated by the paper) because it fits the published
  numbers.
- docking (T7): the roll part and the move part are worth 0.5 each. Roll part = 0.5 x the rotation rule.
  Move part = 0 unless its axis and sign match the gold's, then 0.5 x max(0, 1 - |p - g| / |g|). The
  paper gives no normaliser for the move either; the relative error is used because the gold distance
  depends on the complex's size, so no fixed range fits every item.
- residue_bonds (T4) and pocket_bonds (T9): bonds compared as sets, case-insensitively with whitespace
  normalised. |P| > 2|G| -> 0; G a strict subset of P -> 0.5; otherwise |P ∩ G| / |P| (precision,
  1 when P == G). T4 negatives (gold "No"): "No" -> 1, anything else 0; a positive gold answered
  "No" -> 0.
An unparseable answer scores 0 with `answered=False`, so a run can report it apart from a wrong answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from eval.items import AnswerFormat
from eval.misi.parse import parse_answer
from eval.parsing import ParsedAnswer

TRANSLATION_RANGE = 8.0  # Å: distances are sampled in [-4, 4]
ROTATION_RANGE = 180.0  # degrees: angles are sampled in [-90, 90]

COLUMNS = ["Trans", "Rot", "Zoom", "RL-Pos", "RL-Neg", "T+R", "R+R", "Dock", "I-Loc", "PL"]
AVG_COLUMNS = [c for c in COLUMNS if c not in ("T+R", "R+R")]

_TASK_COLUMNS = {
    "T1": "Trans",
    "T2": "Rot",
    "T3": "Zoom",
    "T5": "T+R",
    "T6": "R+R",
    "T7": "Dock",
    "T8": "I-Loc",
    "T9": "PL",
}
_FORMAT_COLUMNS: dict[str, str] = {
    "translation": "Trans",
    "rotation": "Rot",
    "zoom": "Zoom",
    "docking": "Dock",
    "pocket_bonds": "PL",
    "choice": "choice",  # T5, T6 and T8 share the format: pass task= to get the real column
}


class Score(BaseModel):
    weighted: float = Field(ge=0.0, le=1.0)
    exact: bool
    column: str
    answered: bool = True  # False when the answer could not be parsed


def column_for(task: str, gold: str) -> str:
    """The results-table column of a task id ("T1" … "T9"); T4 splits on the gold answer."""
    key = task.strip().upper()
    if key == "T4":
        return "RL-Pos" if gold.strip().lower().startswith("yes") else "RL-Neg"
    if key not in _TASK_COLUMNS:
        raise ValueError(f"unknown MiSI task {task!r} (expected T1 … T9)")
    return _TASK_COLUMNS[key]


def _linear(pred: float, gold: float, scale: float) -> float:
    return max(0.0, 1.0 - abs(pred - gold) / scale)


def _command_score(pred: dict[str, Any] | None, gold: dict[str, Any], scale: float) -> float:
    if pred is None or pred["verb"] != gold["verb"] or pred["axis"] != gold["axis"]:
        return 0.0
    return _linear(pred["value"], gold["value"], scale)


def _move_part(pred: dict[str, Any] | None, gold: dict[str, Any]) -> float:
    if pred is None or pred["axis"] != gold["axis"]:
        return 0.0
    p, g = pred["value"], gold["value"]
    if g == 0:
        return 1.0 if p == 0 else 0.0
    if p * g <= 0:  # wrong sign (or no move at all) earns nothing
        return 0.0
    return _linear(p, g, abs(g))


def _bond_score(pred: set[str], gold: set[str]) -> float:
    if not gold:
        return 1.0 if not pred else 0.0
    if len(pred) > 2 * len(gold):
        return 0.0
    if gold < pred:
        return 0.5
    return len(pred & gold) / len(pred) if pred else 0.0


def _bonds(parsed: ParsedAnswer) -> set[str]:
    return {" ".join(b.upper().split()) for b in parsed.detail.get("bonds", [])}


def _weighted(fmt: AnswerFormat, pred: ParsedAnswer, gold: ParsedAnswer) -> float:
    p, g = pred.detail, gold.detail
    if fmt in ("choice", "zoom"):
        return float(pred.value == gold.value)
    if fmt == "translation":
        return _command_score(p, g, TRANSLATION_RANGE)
    if fmt == "rotation":
        return _command_score(p, g, ROTATION_RANGE)
    if fmt == "docking":
        return 0.5 * _command_score(p["roll"], g["roll"], ROTATION_RANGE) + 0.5 * _move_part(
            p["move"], g["move"]
        )
    if fmt == "residue_bonds" and (g["answer"] == "no" or p["answer"] == "no"):
        return float(p["answer"] == g["answer"])
    return _bond_score(_bonds(pred), _bonds(gold))


def _exact(fmt: AnswerFormat, pred: ParsedAnswer, gold: ParsedAnswer) -> bool:
    if fmt in ("residue_bonds", "pocket_bonds"):
        return pred.detail["answer"] == gold.detail["answer"] and _bonds(pred) == _bonds(gold)
    return pred.value == gold.value


def score_answer(fmt: AnswerFormat, parsed: ParsedAnswer, gold: str, *, task: str | None = None) -> Score:
    """Score one parsed answer against the gold string (which must be in the format's exact form)."""
    if task:
        column = column_for(task, gold)
    else:
        column = column_for("T4", gold) if fmt == "residue_bonds" else _FORMAT_COLUMNS[fmt]
    gold_parsed = parse_answer(gold, fmt)
    if not gold_parsed.ok:
        raise ValueError(f"gold answer {gold!r} is not a valid {fmt} answer")
    if not parsed.ok:
        return Score(weighted=0.0, exact=False, column=column, answered=False)
    weighted = _weighted(fmt, parsed, gold_parsed)
    return Score(weighted=min(1.0, max(0.0, weighted)), exact=_exact(fmt, parsed, gold_parsed), column=column)


def aggregate(rows: Iterable[tuple[str, float, bool]]) -> dict[str, dict[str, Any]]:
    """Per column: n, weighted (mean x 100) and exact (%); "Avg" over the AVG_COLUMNS that have data.

    "Avg" also lists the columns it used and the ones that were missing, since an average over fewer
    than eight columns is not comparable with the paper's.
    """
    by_column: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for column, weighted, exact in rows:
        by_column[column].append((weighted, exact))
    order = [c for c in COLUMNS if c in by_column] + sorted(c for c in by_column if c not in COLUMNS)
    out: dict[str, dict[str, Any]] = {}
    for column in order:
        scores = by_column[column]
        out[column] = {
            "n": len(scores),
            "weighted": 100.0 * sum(w for w, _ in scores) / len(scores),
            "exact": 100.0 * sum(e for _, e in scores) / len(scores),
        }
    used = [c for c in AVG_COLUMNS if c in out]
    out["Avg"] = {
        "weighted": sum(out[c]["weighted"] for c in used) / len(used) if used else None,
        "exact": sum(out[c]["exact"] for c in used) / len(used) if used else None,
        "columns": used,
        "missing": [c for c in AVG_COLUMNS if c not in out],
    }
    return out
