"""The mapping file: a user's confirmation or correction of what the importer infers, without code.

YAML or JSON:

    archives:                      # keys: an archive's file name, or a glob over "archive/member"
      bind_multiview_test.zip:
        task: T9                   # T1…T9; "T7|T9" lets each record's content decide between the two
      "test-interaction-neg*":
        task: T4
        polarity: neg              # T4 only: the RL-Pos / RL-Neg column
      extra_notes.zip:
        skip: true                 # not questions: leave it out
    fields:                        # role → field name, for every archive (an archive may override)
      prompt: question
      answer: gt
      images: [img_front, img_left, img_top, img_after]   # one field holding a list, or several fields

Roles: id, task, prompt, answer, images, options, pdb_id, polarity, conversations.
"""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from eval.misi.release.errors import ReleaseError
from eval.misi.release.fields import ROLES

FieldSpec = dict[str, str | list[str]]


def _check_roles(fields: FieldSpec) -> FieldSpec:
    unknown = sorted(set(fields) - set(ROLES))
    if unknown:
        raise ValueError(f"unknown role(s) {', '.join(unknown)} (valid: {', '.join(ROLES)})")
    return fields


class ArchiveMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    task: str | None = None
    polarity: Literal["pos", "neg"] | None = None
    skip: bool = False
    fields: FieldSpec = {}

    @field_validator("task")
    @classmethod
    def _task(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"T[1-9](\|T[1-9])*", v.strip().upper()):
            raise ValueError(f"task '{v}' is not T1…T9 or a choice like T7|T9")
        return v.strip().upper() if v else v

    _roles = field_validator("fields")(classmethod(lambda cls, v: _check_roles(v)))

    @property
    def candidates(self) -> tuple[str, ...]:
        return tuple(self.task.split("|")) if self.task else ()


class ReleaseMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    archives: dict[str, ArchiveMapping] = {}
    fields: FieldSpec = {}

    _roles = field_validator("fields")(classmethod(lambda cls, v: _check_roles(v)))

    def for_member(self, archive: str, member: str) -> tuple[str | None, ArchiveMapping]:
        """(the key that matched, its mapping): exact archive name first, then globs in file order."""
        if archive in self.archives:
            return archive, self.archives[archive]
        for key, spec in self.archives.items():
            if fnmatch.fnmatch(archive, key) or fnmatch.fnmatch(f"{archive}/{member}", key):
                return key, spec
        return None, ArchiveMapping()

    def fields_for(self, spec: ArchiveMapping) -> FieldSpec:
        return {**self.fields, **spec.fields}


def load_mapping(path: Path | None) -> ReleaseMapping:
    if path is None:
        return ReleaseMapping()
    path = Path(path)
    if not path.is_file():
        raise ReleaseError(f"--mapping {path}: no such file")
    text = path.read_text()
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # yaml and json syntax errors: one line with the parser's own words
        detail = str(exc).replace("\n", " ")
        raise ReleaseError(f"{path}: not valid {path.suffix.lstrip('.').upper()} ({detail})") from None
    try:
        return ReleaseMapping.model_validate(data or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise ReleaseError(f"{path}: {problems}") from None
