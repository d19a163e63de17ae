"""One record → the parts of an item: task (and how it was decided), prompt, answer, images still to be
stored, options, PDB id and the T4 polarity. A record that cannot become an item gives a reason instead."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from eval.misi.release.errors import ReleaseError
from eval.misi.release.fields import (
    FieldMap,
    blank,
    options_in_prompt,
    options_of,
    pdb_in_prompt,
    scalar,
    value,
)
from eval.misi.release.images import ImageBytes, PathRef, decode
from eval.misi.release.mapping import ArchiveMapping
from eval.misi.release.tasks import TaskRule, fits, polarity_from_answer, task_from_content, task_from_name


class Skip(Exception):
    """This record cannot become an item; the message is the reason (counted per archive)."""


@dataclass
class Converted:
    raw_id: str
    task: str
    task_how: str
    task_source: str
    task_confirmed: bool
    prompt: str
    answer: str
    images: list[ImageBytes | PathRef]
    options: dict[str, str] | None
    options_how: str | None
    pdb_id: str | None
    pdb_how: str | None
    polarity: str | None = None
    polarity_how: str | None = None
    warnings: list[str] = field(default_factory=list)


def _task(record: dict, fm: FieldMap, rule: TaskRule | None, spec: ArchiveMapping, answer: str, n: int):
    """(task, source, how, confirmed): source is mapping file | task field | name | content."""
    candidates: tuple[str, ...] = ()
    if spec.task:
        if len(spec.candidates) == 1:
            return spec.task, "mapping file", f"mapping file: {spec.task}", True
        candidates, how = spec.candidates, f"mapping file: one of {spec.task}"
    else:
        raw_task = value(record, fm, "task")
        field_rule = task_from_name(scalar(raw_task)) if not blank(raw_task) else None
        chosen = field_rule or rule
        if chosen is not None and chosen.task:
            source = "task field" if chosen is field_rule else "name"
            return chosen.task, source, chosen.how, False
        if chosen is not None:
            candidates, how = chosen.candidates, chosen.how
        else:
            how = "no task in the names"
    task = task_from_content(answer, n, candidates or None)
    if task is None:
        among = "/".join(candidates) if candidates else "T1–T9"
        raise Skip(f"cannot tell the task among {among} from the answer's shape and the image count")
    return task, "content", f"{how}; the answer's shape and {n} images → {task}", False


def _polarity(record: dict, fm: FieldMap, rule: TaskRule | None, spec: ArchiveMapping, answer: str):
    if spec.polarity:
        return spec.polarity, "mapping file"
    raw = value(record, fm, "polarity")
    if not blank(raw):
        text = scalar(raw).strip().lower()
        if text in {"pos", "positive", "1", "true", "yes"}:
            return "pos", f"field '{fm.roles['polarity']}'"
        if text in {"neg", "negative", "0", "false", "no"}:
            return "neg", f"field '{fm.roles['polarity']}'"
    if rule is not None and rule.polarity:
        return rule.polarity, "archive name"
    found = polarity_from_answer(answer)
    return found, "answer (Yes/No)" if found else None


def _options(task: str, record: dict, fm: FieldMap, prompt: str, n_images: int):
    raw = options_of(value(record, fm, "options"))
    if raw:
        return raw, f"field '{fm.roles['options']}'"
    if task not in {"T5", "T6", "T8"}:
        return None, None
    parsed = options_in_prompt(prompt)
    if parsed:
        return parsed, "parsed from the prompt's A–D lines"
    if task in {"T5", "T6"} and n_images >= 5:  # the paper's layouts end with the four option images
        return {
            chr(65 + i): f"Image {n_images - 3 + i}" for i in range(4)
        }, "the last four images (paper layout)"
    return None, None


def raw_id(record: dict, fm: FieldMap, archive: str, member: str, index: int) -> str:
    given = value(record, fm, "id")
    if not blank(given):
        return scalar(given)
    stem = posixpath.splitext(posixpath.basename(member))[0]
    return f"{stem}-{index:06d}"


def convert(
    record: dict,
    index: int,
    fm: FieldMap,
    rule: TaskRule | None,
    spec: ArchiveMapping,
    where: str,
    member: str,
    archive: str,
) -> Converted:
    prompt = value(record, fm, "prompt")
    answer = value(record, fm, "answer")
    if prompt is None:
        raise Skip("no prompt field" + (" (mapping file names one)" if "prompt" in fm.how else ""))
    if answer is None:
        raise Skip("no answer field")
    prompt, answer = scalar(prompt), scalar(answer).strip()
    raw_images = value(record, fm, "images")
    if not raw_images:
        raise Skip("no images")
    images = []
    for k, raw in enumerate(raw_images, start=1):
        try:
            images.append(decode(raw, f"{where} record {index} image {k}"))
        except ReleaseError as exc:
            raise Skip(f"an image is not readable ({str(exc).rsplit(': ', 1)[-1]})") from None
    task, source, how, confirmed = _task(record, fm, rule, spec, answer, len(images))
    warnings = []
    shape, count = fits(task, answer, len(images))
    if not shape:
        warnings.append(f"answer does not have {task}'s shape")
    if not count:
        warnings.append(f"{len(images)} images where the paper's {task} has a different count")
    options, options_how = _options(task, record, fm, prompt, len(images))
    pdb_raw = value(record, fm, "pdb_id")
    pdb_id, pdb_how = (
        (scalar(pdb_raw).strip().lower(), f"field '{fm.roles['pdb_id']}'")
        if pdb_raw
        else (
            pdb_in_prompt(prompt),
            "the prompt's 'PDB ID'",
        )
    )
    out = Converted(
        raw_id=raw_id(record, fm, archive, member, index),
        task=task,
        task_how=how,
        task_source=source,
        task_confirmed=confirmed,
        prompt=prompt,
        answer=answer,
        images=images,
        options=options,
        options_how=options_how,
        pdb_id=pdb_id or None,
        pdb_how=pdb_how if pdb_id else None,
        warnings=warnings,
    )
    if task == "T4":
        out.polarity, out.polarity_how = _polarity(record, fm, rule, spec, answer)
        said = polarity_from_answer(answer)
        if out.polarity and said and said != out.polarity:
            out.warnings.append(f"polarity {out.polarity} ({out.polarity_how}) but the answer says {said}")
    return out


def slug(text: str, limit: int = 80) -> str:
    clean = re.sub(r"[^a-z0-9_.]+", "-", text.lower()).strip("-.") or "x"
    if len(clean) > limit:  # keep it unique: a hash of the whole text replaces the tail
        clean = f"{clean[: limit - 11]}-{hashlib.sha256(text.encode()).hexdigest()[:10]}"
    return clean


def digest(data: Any) -> str:
    return hashlib.sha256(data).hexdigest()
