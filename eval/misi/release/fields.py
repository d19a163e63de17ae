"""Which field of a record plays which role (prompt, answer, images, …), and reading each role's value.

Roles are found by field name (a short list of the names datasets use), by content for images (fields
whose values are images, in order: `image_1` … `image_6` or any image-valued column), or from a
chat-style `conversations` / `messages` field (first user turn = prompt, first assistant turn = answer,
`<image>` placeholders dropped). A mapping file can name any role's field instead.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eval.misi.release.images import looks_like_image

NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "question_id", "qid", "uid", "idx", "sample_id", "item_id", "index", "_key"),
    "task": ("task", "task_type", "task_name", "type", "category"),
    "prompt": ("prompt", "question", "query", "instruction", "text", "input", "problem"),
    "answer": ("answer", "gold", "label", "ground_truth", "gt", "target", "output", "solution", "response"),
    "images": ("images", "image_paths", "image_list", "image", "imgs", "img", "image_path", "pictures"),
    "options": ("options", "choices", "candidates"),
    "pdb_id": ("pdb_id", "pdb", "pdbid", "pdb_code", "complex_id", "complex"),
    "polarity": ("polarity", "pos_neg", "posneg", "split_label"),
    "conversations": ("conversations", "messages", "conversation", "dialog"),
}
ROLES = tuple(NAMES)
_NUMBERED_IMAGE = re.compile(r"^(?:image|img|view|picture|pic)[_\- ]?(\d+)$", re.IGNORECASE)
_PDB_IN_PROMPT = re.compile(r"PDB[\s_-]*ID\s*[:=]?\s*\(?([0-9][A-Za-z0-9]{3})\b", re.IGNORECASE)
_OPTION_LINE = re.compile(r"^[ \t]*[\(\[]?([A-D])[\)\]\.:][ \t]+(.+?)[ \t]*$", re.MULTILINE)


@dataclass
class FieldMap:
    """role → field name(s) for one record file, and how each was chosen."""

    roles: dict[str, str] = field(default_factory=dict)
    images: list[str] = field(default_factory=list)
    how: dict[str, str] = field(default_factory=dict)


def blank(v: Any) -> bool:
    """No value: None, NaN (pandas' missing cell) or an empty string; arrays and lists are values."""
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    return isinstance(v, str) and not v.strip()


def _lower_index(keys: list[str]) -> dict[str, str]:
    return {k.lower(): k for k in keys}


def find_fields(records: list[dict], given: dict[str, Any] | None = None) -> FieldMap:
    """Roles for a record file, from the fields of its first records; `given` (mapping file) wins."""
    keys: list[str] = list(dict.fromkeys(k for r in records[:50] for k in r))
    lower = _lower_index(keys)
    fm = FieldMap()
    for role, value in (given or {}).items():
        if role == "images":
            fm.images = [value] if isinstance(value, str) else list(value)
        else:
            fm.roles[role] = value
        fm.how[role] = "mapping file"
    for role, names in NAMES.items():
        if role in fm.how or (role == "images" and fm.images):
            continue
        hit = next((lower[n] for n in names if n in lower), None)
        if hit is not None:
            if role == "images":
                fm.images = [hit]
            else:
                fm.roles[role] = hit
            fm.how[role] = f"field '{hit}' (by name)"
    if not fm.images:
        numbered = sorted((int(m.group(1)), k) for k in keys if (m := _NUMBERED_IMAGE.match(k)))
        if numbered:
            fm.images = [k for _, k in numbered]
            fm.how["images"] = f"fields {', '.join(fm.images)} (numbered)"
        else:
            taken = set(fm.roles.values())
            sample = records[0] if records else {}
            found = [k for k in keys if k not in taken and _image_valued(sample.get(k))]
            if found:
                fm.images = found
                fm.how["images"] = f"fields {', '.join(found)} (hold images)"
    return fm


def _image_valued(value: Any) -> bool:
    values = as_list(value)
    return bool(values) and all(looks_like_image(v) for v in values)


def as_list(value: Any) -> list[Any]:
    """A field holding one or many values as a list (JSON or Python-literal lists in csv cells too)."""
    if value is None:
        return []
    if isinstance(value, np.ndarray):
        if value.dtype == object or value.ndim == 4:  # a column of images, or N stacked images
            return list(value)
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str) and value[:1] in "[(":
        for parse in (json.loads, ast.literal_eval):
            try:
                parsed = parse(value)
            except (ValueError, SyntaxError):
                continue
            if isinstance(parsed, (list, tuple)):
                return list(parsed)
    return [value]


def _turn_text(turn: Any) -> str:
    content = turn.get("content", turn.get("value", "")) if isinstance(turn, dict) else turn
    if isinstance(content, list):  # OpenAI-style parts
        return "\n".join(
            p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"
        )
    return str(content)


def _turn(conv: Any, speakers: set[str]) -> str | None:
    for turn in as_list(conv):
        if isinstance(turn, dict) and str(turn.get("role", turn.get("from", ""))).lower() in speakers:
            return _turn_text(turn)
    return None


def without_placeholders(text: str) -> str:
    return re.sub(r"[ \t]*<image>[ \t]*\n?", "", text).strip("\n")


def value(record: dict, fm: FieldMap, role: str) -> Any:
    """A role's raw value in one record (None when absent), chat turns included."""
    if role == "images":
        out: list[Any] = []
        for name in fm.images:
            out.extend(as_list(record.get(name)))
        return out
    field_name = fm.roles.get(role)
    if field_name is not None and not blank(record.get(field_name)):
        return record[field_name]
    conv_field = fm.roles.get("conversations")
    if conv_field and role in {"prompt", "answer"}:
        speakers = {"user", "human"} if role == "prompt" else {"assistant", "gpt", "model"}
        text = _turn(record.get(conv_field), speakers)
        return None if text is None else without_placeholders(text) if role == "prompt" else text
    return None


def options_of(raw: Any) -> dict[str, str] | None:
    if raw is None:
        return None
    if isinstance(raw, dict):
        return {str(k).strip(): str(v) for k, v in raw.items()}
    items = as_list(raw)
    if isinstance(raw, str) and items == [raw]:
        try:
            parsed = json.loads(raw)
        except ValueError:
            return None
        return options_of(parsed) if isinstance(parsed, dict) else None
    return {chr(65 + i): str(o) for i, o in enumerate(items)} or None


def options_in_prompt(prompt: str) -> dict[str, str] | None:
    """The last 'A. …' to 'D. …' block of the prompt, when all four are there."""
    found: dict[str, str] = {}
    for m in _OPTION_LINE.finditer(prompt):
        if m.group(1) == "A":
            found = {}
        found[m.group(1)] = m.group(2)
    return found if list(found) == ["A", "B", "C", "D"] else None


def pdb_in_prompt(prompt: str) -> str | None:
    m = _PDB_IN_PROMPT.search(prompt)
    return m.group(1).lower() if m else None


def scalar(value: Any) -> str:
    """A plain string for an id, answer or task value (numpy scalars and bytes included)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.generic):
        return str(value.item())
    return str(value)
