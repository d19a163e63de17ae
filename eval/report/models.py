"""The report's data, as pydantic models: what `--format json` dumps and what every renderer reads.

Percentages are 0–100 and kept at full precision; renderers round to 2 decimals like the paper.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class ArmInfo(BaseModel):
    """One (run, mode): the unit a report row and a paired comparison are about."""

    label: str
    run: str  # the run directory as given
    run_id: str
    benchmark: str  # misi | scivideo
    mode: str
    model: str
    access: str
    protocol: str = "default"
    n_items: int = 0


class MisiCell(BaseModel):
    n: int = 0
    weighted: float | None = None  # mean weighted score, %; None when the column has no items
    exact: float | None = None  # exact match, %
    unparseable: int = 0
    error: int = 0


class MisiRow(BaseModel):
    arm: str
    model: str
    access: str
    cells: dict[str, MisiCell]  # every paper column, empty ones with n = 0
    avg_weighted: float | None = None
    avg_exact: float | None = None
    avg_columns: list[str] = Field(default_factory=list)  # the AVG columns the Avg was taken over
    avg_missing: list[str] = Field(default_factory=list)
    other_columns: dict[str, int] = Field(default_factory=dict)  # items outside the paper's columns


class PublishedRow(BaseModel):
    label: str
    values: dict[str, float | None]  # column → %, None where the source gives no figure
    source: str = "published"
    note: str = ""


class MisiTable(BaseModel):
    columns: list[str]
    rows: list[MisiRow]
    published: list[PublishedRow]
    notes: list[str] = Field(default_factory=list)


class Accuracy(BaseModel):
    n: int = 0
    correct: int = 0
    accuracy: float | None = None  # %
    unparseable: int = 0
    error: int = 0


class SciVideoRow(BaseModel):
    arm: str
    model: str
    access: str
    overall: Accuracy
    by_type: dict[str, Accuracy]
    by_discipline: dict[str, Accuracy]


class SciVideoTable(BaseModel):
    types: list[str]
    disciplines: list[str]  # the subject columns: `category` values, or raw `discipline` values
    subject_field: str = "discipline"  # which row field the subject columns come from
    rows: list[SciVideoRow]
    published: list[PublishedRow]  # keys: Overall and the question types
    notes: list[str] = Field(default_factory=list)


class PairedStat(BaseModel):
    """B vs A on the items both arms answered: differences are B − A, so positive means B did better."""

    column: str
    n: int
    a: float  # A's mean weighted score on the shared items, %
    b: float
    diff: float  # b − a, percentage points
    ci_low: float
    ci_high: float
    wrong_to_right: int  # A not right, B right (exact match)
    right_to_wrong: int  # A right, B not right
    mcnemar_p: float  # exact two-sided binomial test on the discordant pairs
    columns: list[str] = Field(default_factory=list)  # for a summary row: the columns it averages


class PairComparison(BaseModel):
    a: str
    b: str
    benchmark: str
    n_shared: int
    only_a: int  # items A has and B lacks (left out of every figure)
    only_b: int
    stats: list[PairedStat]


class BootstrapSettings(BaseModel):
    resamples: int = 2000
    seed: int = 0
    confidence: float = 0.95


class Report(BaseModel):
    schema_version: int = 1
    arms: list[ArmInfo]
    misi: MisiTable | None = None
    scivideo: SciVideoTable | None = None
    paired: list[PairComparison] = Field(default_factory=list)
    bootstrap: BootstrapSettings = Field(default_factory=BootstrapSettings)
    notes: list[str] = Field(default_factory=list)
    # Unreadable result lines left out (file, line, problem); in the output as notes, kept apart for callers.
    skipped_lines: list[str] = Field(default_factory=list, exclude=True)
