"""Finding the records (one question each) inside a source: json, jsonl, csv, parquet or pickle members.

A member's shape is discovered, not assumed: a list of objects, an object holding such a list, an object
of objects keyed by id, columns of equal length, or a pandas frame all become a list of records.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from eval.misi.release.archives import Source
from eval.misi.release.errors import ReleaseError
from eval.misi.release.fields import NAMES
from eval.misi.release.safe_pickle import load_pickle

RECORD_FORMATS = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pkl": "pickle",
    ".pickle": "pickle",
    ".pk": "pickle",
    ".p": "pickle",
}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}


def record_format(name: str) -> str | None:
    return RECORD_FORMATS.get(PurePosixPath(name).suffix.lower())


@dataclass
class RecordFile:
    source: Source
    member: str
    format: str
    records: list[dict[str, Any]]

    @property
    def where(self) -> str:
        return f"{self.source.label}: {self.member}"


_RECORD_KEYS = {n for role in ("id", "prompt", "answer", "images", "conversations") for n in NAMES[role]}


def _is_record(obj: dict) -> bool:
    """A dict that is a question itself (it has a prompt, answer, images or turns field), not a container."""
    return sum(str(k).lower() in _RECORD_KEYS for k in obj) >= 2


def _from_frame(obj: Any) -> list[dict] | None:
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict) and hasattr(obj, "columns"):  # a pandas DataFrame
        return [{str(k): v for k, v in row.items()} for row in to_dict(orient="records")]
    return None


def as_records(obj: Any, where: str) -> list[dict]:
    """The records in a parsed member, whatever its shape."""
    frame = _from_frame(obj)
    if frame is not None:
        return frame
    if isinstance(obj, (list, tuple)):
        if all(isinstance(r, dict) for r in obj):
            return [dict(r) for r in obj]
        raise ReleaseError(f"{where}: a list whose items are not all objects ({type(obj[0]).__name__} first)")
    if isinstance(obj, dict):
        if _is_record(obj):  # one record per member; its own lists (turns, images) stay inside it
            return [obj]
        lists = {k: v for k, v in obj.items() if isinstance(v, (list, tuple)) and v}
        of_dicts = {k: v for k, v in lists.items() if all(isinstance(r, dict) for r in v)}
        if of_dicts:  # {"data": [...]} or {"questions": [...]}: the longest list of objects
            return as_records(max(of_dicts.values(), key=len), where)
        if obj and all(isinstance(v, dict) for v in obj.values()):  # {id: record}
            return [{"_key": str(k), **v} for k, v in obj.items()]
        lengths = {len(v) for v in obj.values() if isinstance(v, (list, tuple))}
        if len(lists) == len(obj) and len(lengths) == 1:  # columns
            n = lengths.pop()
            return [{str(k): obj[k][i] for k in obj} for i in range(n)]
        return [obj]
    raise ReleaseError(f"{where}: holds a {type(obj).__name__}, not records")


def parse_member(data: bytes, fmt: str, where: str) -> list[dict]:
    try:
        if fmt == "json":
            return as_records(json.loads(data), where)
        if fmt == "jsonl":
            rows = []
            for n, line in enumerate(data.decode("utf-8-sig").splitlines(), start=1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise ReleaseError(f"{where}: line {n} is not JSON ({exc.msg})") from None
            return as_records(rows, where)
        if fmt in {"csv", "tsv"}:
            text = data.decode("utf-8-sig")
            return [
                dict(r) for r in csv.DictReader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ",")
            ]
        if fmt == "parquet":
            try:
                import pyarrow.parquet as pq
            except ImportError:
                raise ReleaseError(
                    f"{where}: reading parquet needs pyarrow (pip install 'molspatial-agent[release]')"
                ) from None
            return as_records(pq.read_table(io.BytesIO(data)).to_pylist(), where)
        if fmt == "pickle":
            return as_records(load_pickle(data, where), where)
    except ReleaseError:
        raise
    except (ValueError, UnicodeDecodeError, OSError) as exc:  # json, csv and arrow errors
        raise ReleaseError(f"{where}: not readable as {fmt} ({type(exc).__name__}: {exc})") from None
    raise ReleaseError(f"{where}: unknown record format {fmt}")


def record_files(source: Source) -> list[RecordFile]:
    """Every record member of the source, parsed (members that parse to no records are left out)."""
    wanted = [n for n in source.names if record_format(n)]
    out = []
    for name, data in source.read_many(wanted):
        fmt = record_format(name) or ""
        records = parse_member(data, fmt, f"{source.label}: {name}")
        if records:
            out.append(RecordFile(source, name, fmt, records))
    return sorted(out, key=lambda r: r.member)
