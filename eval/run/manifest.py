"""The run manifest: everything needed to know what a run did and to resume it. Never holds a secret."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

MANIFEST = "manifest.json"


class Session(BaseModel):
    """One invocation of `agent run` on this directory (the first, then each --resume)."""

    started_at: float
    finished_at: float | None = None
    argv: list[str] = Field(default_factory=list)
    attempted: int = 0
    completed: int = 0
    errors: int = 0
    interrupted: bool = False
    concurrency: int | None = None  # what this session used (the manifest's is the run's own)


class RunManifest(BaseModel):
    schema_version: int = 1
    run_id: str
    benchmark: str  # misi | scivideo
    bench_dir: str  # the benchmark directory the items were read from
    data_arg: str | None = None  # --data as given (None: the bundled items), to reopen them on resume
    data_key: str = ""  # a digest of the item files, so a resume can tell the benchmark changed
    model: str
    base_url: str | None = None
    api_key_env: str | None = None  # the variable's name only, never its value
    modes: list[str]
    access: str
    protocol: str = "default"
    tasks: list[str] = Field(default_factory=list)
    selection: dict[str, Any] = Field(default_factory=dict)  # how items were chosen: tiny/limit/items file
    item_ids: list[str] = Field(default_factory=list)
    concurrency: int = 1  # set by the first session; a resume uses it unless given another
    settings: dict[str, Any] = Field(default_factory=dict)  # SolveSettings minus the mode
    client: dict[str, Any] = Field(default_factory=dict)  # timeout, retries, tool protocol
    prompt_hashes: dict[str, str] = Field(default_factory=dict)  # template id → sha256
    versions: dict[str, str] = Field(default_factory=dict)  # python and package versions
    git_rev: str | None = None
    platform: str = ""
    started_at: float = 0.0
    finished_at: float | None = None
    sessions: list[Session] = Field(default_factory=list)
