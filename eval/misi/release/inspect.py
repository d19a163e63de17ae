"""`inspect_release`: what each archive of a downloaded release holds — members, record files and their
counts, every field with its types, an example value and the role the importer would give it, image
formats, and the task each record would get — so a user can confirm the mapping or correct it in a file.

Nothing is written. A problem in one archive (corrupt, a refused pickle) is reported for that archive
and the others are still inspected.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from pydantic import BaseModel, Field

from eval.misi.release.archives import Source, is_archive, loose_source, open_source, release_files
from eval.misi.release.convert import Skip, convert
from eval.misi.release.errors import ReleaseError
from eval.misi.release.fields import blank, find_fields
from eval.misi.release.images import ImageBytes, PathRef, describe, sniff
from eval.misi.release.mapping import ReleaseMapping
from eval.misi.release.records import IMAGE_SUFFIXES, record_files
from eval.misi.release.resolve import MemberIndex
from eval.misi.release.tasks import task_from_name

EXAMPLE_CHARS = 90
IMAGE_SAMPLE = 40  # image members whose headers are read per archive


class FieldInfo(BaseModel):
    name: str
    types: list[str]
    example: str
    role: str | None = None


class RecordFileInfo(BaseModel):
    member: str
    format: str
    records: int
    fields: list[FieldInfo]
    tasks: dict[str, int] = Field(default_factory=dict)  # what the import would decide
    task_how: dict[str, int] = Field(default_factory=dict)
    skipped: dict[str, int] = Field(default_factory=dict)
    embedded_images: dict[str, int] = Field(default_factory=dict)  # "PNG 512x512 RGB" → count (sampled)
    named_images: int = 0
    named_images_missing: int = 0


class ArchiveInfo(BaseModel):
    archive: str
    kind: str
    size_bytes: int
    members: int = 0
    by_extension: dict[str, int] = Field(default_factory=dict)
    sample_members: list[str] = Field(default_factory=list)
    unsafe_members: list[str] = Field(default_factory=list)
    name_rule: str | None = None
    record_files: list[RecordFileInfo] = Field(default_factory=list)
    image_members: dict[str, int] = Field(default_factory=dict)  # sampled headers
    problem: str | None = None


def _type(v: Any) -> str:
    if isinstance(v, np.ndarray):
        return f"ndarray[{v.dtype}]"
    if isinstance(v, Image.Image):
        return "PIL.Image"
    if isinstance(v, (bytes, bytearray)):
        return f"bytes({sniff(bytes(v[:16])) or '?'})"
    return type(v).__name__


def example(v: Any, limit: int = EXAMPLE_CHARS) -> str:
    """A short, literal rendering of a value (never markup: the CLI prints it verbatim)."""
    if isinstance(v, (bytes, bytearray)):
        fmt = sniff(bytes(v[:16]))
        text = f"<{describe(bytes(v)) if fmt else 'bytes'}, {len(v):,} bytes>"
    elif isinstance(v, Image.Image):
        text = f"<PIL image {v.mode} {v.width}x{v.height}>"
    elif isinstance(v, np.ndarray):
        text = f"<array {v.dtype} {tuple(v.shape)}>"
    elif isinstance(v, (list, tuple)):
        inner = example(v[0], limit // 2) if len(v) else ""
        text = f"[{len(v)} items] {inner}".strip()
    elif isinstance(v, dict):
        inner = ", ".join(f"{k}: {example(x, 30)}" for k, x in list(v.items())[:4])
        text = "{" + inner + "}"
    else:
        text = repr(v)
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fields(records: list[dict], roles: dict[str, str]) -> list[FieldInfo]:
    keys = list(dict.fromkeys(k for r in records[:200] for k in r))
    out = []
    for k in keys:
        values = [r[k] for r in records[:200] if k in r]
        first = next((v for v in values if not blank(v)), values[0] if values else None)
        out.append(
            FieldInfo(
                name=k, types=sorted({_type(v) for v in values}), example=example(first), role=roles.get(k)
            )
        )
    return out


def _record_info(rf, mapping: ReleaseMapping, index: MemberIndex) -> RecordFileInfo:
    key, spec = mapping.for_member(rf.source.path.name, rf.member)
    fm = find_fields(rf.records, mapping.fields_for(spec))
    roles = {name: role for role, name in fm.roles.items()} | {name: "images" for name in fm.images}
    info = RecordFileInfo(
        member=rf.member, format=rf.format, records=len(rf.records), fields=_fields(rf.records, roles)
    )
    own = task_from_name(rf.source.path.name) if rf.source.kind != "folder" else None
    rule = own or task_from_name(rf.member)
    formats: Counter[str] = Counter()
    tasks: Counter[str] = Counter()
    how: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    beside = posixpath.dirname(rf.member)
    for i, record in enumerate(rf.records):
        try:
            conv = convert(record, i, fm, rule, spec, rf.where, rf.member, rf.source.path.name)
        except Skip as exc:
            skipped[str(exc)] += 1
            continue
        tasks[conv.task] += 1
        how[conv.task_how] += 1
        for image in conv.images:
            if isinstance(image, ImageBytes):
                if sum(formats.values()) < IMAGE_SAMPLE:
                    formats[describe(image.data)] += 1
            elif isinstance(image, PathRef):
                info.named_images += 1
                info.named_images_missing += index.find(image.path, beside)[0] is None
    info.tasks, info.task_how, info.skipped = dict(tasks), dict(how), dict(skipped)
    info.embedded_images = dict(formats)
    return info


def _inspect_source(source: Source, mapping: ReleaseMapping) -> ArchiveInfo:
    info = ArchiveInfo(
        archive=source.label,
        kind=source.kind,
        size_bytes=source.path.stat().st_size if source.kind != "folder" else 0,
        members=len(source.names),
        by_extension=dict(Counter(posixpath.splitext(n)[1].lower() or "(none)" for n in source.names)),
        sample_members=source.names[:8],
        unsafe_members=source.unsafe,
    )
    rule = task_from_name(source.path.name) if source.kind != "folder" else None
    info.name_rule = rule.how if rule else None
    try:
        index = MemberIndex(source.names)
        info.record_files = [_record_info(rf, mapping, index) for rf in record_files(source)]
        images = [n for n in source.names if posixpath.splitext(n)[1].lower() in IMAGE_SUFFIXES]
        headers = Counter(describe(data) for _, data in source.read_many(images[:IMAGE_SAMPLE]))
        info.image_members = dict(headers)
    except ReleaseError as exc:
        info.problem = str(exc)
    return info


def inspect_release(folder: Path, mapping: ReleaseMapping | None = None) -> list[ArchiveInfo]:
    mapping = mapping or ReleaseMapping()
    out = []
    for path in (p for p in release_files(folder) if is_archive(p)):
        try:
            source = open_source(path)
        except ReleaseError as exc:
            out.append(
                ArchiveInfo(archive=path.name, kind="?", size_bytes=path.stat().st_size, problem=str(exc))
            )
            continue
        out.append(_inspect_source(source, mapping))
    if (loose := loose_source(Path(folder))) is not None:
        out.append(_inspect_source(loose, mapping))
    if not out:
        raise ReleaseError(f"{folder}: holds no archives and no files")
    return out
