"""Loader for the official MiSI-Bench release (Hugging Face `zongzhao/MiSI-bench`), converting its rows to
this project's item schema.

NOT YET CHECKED AGAINST THE REAL FILES: the release's layout is not documented, so this follows the paper's
description and accepts the field names such a release is likely to use. Adapt FIELD_NAMES and TASK_NAMES
when the real files are at hand. Reads JSON or JSONL rows from a local folder (download it yourself);
every image a row names is copied into the benchmark directory under a content-hash name.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from eval.items import Item, ItemImage
from eval.misi.build.builder import TASK_NAMES
from tools.atomic import write_atomic

FIELD_NAMES = {
    "id": ("id", "question_id", "qid", "uid"),
    "task": ("task", "task_type", "type", "category"),
    "prompt": ("prompt", "question", "query", "text"),
    "images": ("images", "image_paths", "image", "image_list"),
    "answer": ("answer", "gold", "label", "ground_truth"),
    "options": ("options", "choices"),
    "pdb_id": ("pdb_id", "pdb", "complex_id"),
}
TASK_NAMES_OFFICIAL = {
    "translation": "T1",
    "rotation": "T2",
    "zooming": "T3",
    "zoom": "T3",
    "residue-ligand interaction": "T4",
    "residue_ligand": "T4",
    "translation + rotation": "T5",
    "translation_rotation": "T5",
    "rotation + rotation": "T6",
    "rotation_rotation": "T6",
    "docking": "T7",
    "interaction location": "T8",
    "interaction_location": "T8",
    "pocket-ligand interaction": "T9",
    "pocket_ligand": "T9",
}
ANSWER_FORMATS = {
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


class OfficialFormatError(ValueError):
    """A row that does not fit the expected fields; the message names the file, row and field."""


def _field(row: dict, name: str, where: str, required: bool = True):
    for key in FIELD_NAMES[name]:
        if key in row:
            return row[key]
    if required:
        raise OfficialFormatError(f"{where}: no '{name}' field (looked for {', '.join(FIELD_NAMES[name])})")
    return None


def _task(value: str, where: str) -> str:
    text = str(value).strip()
    if re.fullmatch(r"[Tt][1-9]", text):
        return text.upper()
    key = text.lower().replace("–", "-")
    if key not in TASK_NAMES_OFFICIAL:
        raise OfficialFormatError(f"{where}: unknown task '{value}'")
    return TASK_NAMES_OFFICIAL[key]


def _rows(src: Path):
    files = sorted(src.rglob("*.jsonl")) + sorted(src.rglob("*.json"))
    if not files:
        raise OfficialFormatError(f"{src}: no .json or .jsonl files")
    for f in files:
        if f.suffix == ".jsonl":
            for n, line in enumerate(f.read_text().splitlines(), start=1):
                if line.strip():
                    yield f"{f}:{n}", json.loads(line)
        else:
            data = json.loads(f.read_text())
            for n, row in enumerate(data if isinstance(data, list) else [data], start=1):
                yield f"{f}[{n}]", row


def import_official(src: Path, out: Path) -> list[Item]:
    """Convert every row under `src` into an item file in `out/items/` (images copied to `out/images/`)."""
    items = []
    for where, row in _rows(Path(src)):
        task = _task(_field(row, "task", where), where)
        images = _field(row, "images", where)
        images = [images] if isinstance(images, str) else list(images)
        stored = []
        for i, rel in enumerate(images, start=1):
            path = (src / rel) if not Path(rel).is_absolute() else Path(rel)
            if not path.is_file():
                raise OfficialFormatError(f"{where}: image {i} not found at {path}")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
            target = out / "images" / f"{digest}{path.suffix.lower()}"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            stored.append(ItemImage(path=f"images/{target.name}", role=f"image {i}"))
        options = _field(row, "options", where, required=False)
        if isinstance(options, list):
            options = {chr(65 + i): str(o) for i, o in enumerate(options)}
        raw_id = str(
            _field(row, "id", where, required=False) or hashlib.sha256(where.encode()).hexdigest()[:10]
        )
        item = Item(
            id=f"misi-official-{task}-{raw_id}",
            benchmark="misi",
            task=task,
            task_name=TASK_NAMES[task],
            prompt=str(_field(row, "prompt", where)),
            prompt_template="official",
            prompt_hash="",
            images=stored,
            options=options,
            answer_format=ANSWER_FORMATS[task],
            gold=str(_field(row, "answer", where)).strip(),
            metadata={
                "pdb_id": _field(row, "pdb_id", where, required=False),
                "source": where,
                "layout_checked": False,
            },
        )
        write_atomic(out / "items" / f"{item.id}.json", item.to_json())
        items.append(item)
    return items
