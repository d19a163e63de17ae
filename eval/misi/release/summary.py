"""What an import found and did, per archive and in total: stored in bench.json and printed by the CLI."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RecordFileSummary(BaseModel):
    member: str
    format: str
    records: int
    fields: dict[str, str] = Field(default_factory=dict)  # role → how its field was chosen
    name_rule: str | None = None  # what the archive's (or member's) name says about the task
    tasks: dict[str, int] = Field(default_factory=dict)
    task_how: dict[str, int] = Field(default_factory=dict)  # how each record's task was decided → count
    task_sources: dict[str, int] = Field(default_factory=dict)  # mapping file | task field | name | content
    skipped: dict[str, int] = Field(default_factory=dict)  # reason → records
    warnings: dict[str, int] = Field(default_factory=dict)

    def count_skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    @property
    def inferred(self) -> int:
        """Records whose task no mapping file confirmed."""
        return sum(n for source, n in self.task_sources.items() if source != "mapping file")


class ArchiveSummary(BaseModel):
    archive: str
    kind: str
    members: int
    unsafe_members: list[str] = Field(default_factory=list)  # skipped: absolute, '..', links
    record_files_by_member: dict[str, RecordFileSummary] = Field(default_factory=dict)

    @property
    def items(self) -> int:
        return sum(sum(r.tasks.values()) for r in self.record_files_by_member.values())


class ImportSummary(BaseModel):
    source: str
    out: str = ""
    archives: list[ArchiveSummary]
    items: int
    by_task: dict[str, int]
    t4_polarity: dict[str, int] = Field(default_factory=dict)
    with_structure: int
    images_only: int
    without_pdb_id: int
    structures_dir: str | None = None
    structures_missing: list[str] = Field(default_factory=list)
    structures_unreadable: dict[str, str] = Field(default_factory=dict)
    duplicate_ids: int = 0
    image_formats: dict[str, int] = Field(default_factory=dict)
