"""The Python API for batch runs: a `RunConfig` in, a run directory out.

    from agent.api import ModelConfig, RunConfig, resume, run
    config = RunConfig(bench="misi", tiny=True, modes=["direct", "tools"], model=ModelConfig(name="gpt-5"))
    outcome = run(config)             # outcome.root: the run directory; outcome.exit_code: 0, 1 or 130
    resume(outcome.root)              # reruns only missing or errored items

`agent run` is a thin shell over `prepare` / `reopen` (it adds the live progress view). A run directory
holds manifest.json (this configuration, versions, sessions; never a secret), results.jsonl and traces.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from agent.model_choice import make_model
from agent.models.openai_chat import ToolProtocol
from agent.solver import GraphSolver
from eval.registry import open_benchmark
from eval.run.manifest import RunManifest
from eval.run.provenance import git_revision, package_versions, platform_line
from eval.run.rundir import RunDir, RunDirError
from eval.run.runner import Events
from eval.run.selection import TINY_PER_TASK, TINY_SEED, select_items
from eval.run.session import RunOutcome, RunSession
from eval.settings import Mode, Protocol, SolveSettings
from tools.base import Access

__all__ = ["ModelConfig", "RunConfig", "RunOutcome", "RunSession", "prepare", "reopen", "resume", "run"]


class ModelConfig(BaseModel):
    """Which model answers, and how it is reached. The key is named by its variable, never held."""

    name: str | None = None  # None: builtin:tool-policy when no key and no base URL are configured
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    timeout: float = Field(120.0, gt=0)
    max_retries: int = Field(3, ge=0)
    tool_protocol: ToolProtocol = "auto"


class RunConfig(BaseModel):
    """Everything that defines a run; a resume reuses it from the manifest unchanged."""

    bench: str = "misi"
    data: Path | None = None  # a built benchmark dir or a release dir; None: the bundled items
    tasks: list[str] = Field(default_factory=list)
    tiny: bool = False
    limit: int | None = Field(None, ge=1)
    items_file: Path | None = None
    modes: list[Mode] = Field(default_factory=lambda: list[Mode](["tools"]), min_length=1)
    model: ModelConfig = Field(default_factory=ModelConfig)
    access: Access = "structure"
    max_turns: int = Field(12, ge=1)
    protocol: Protocol = "default"
    frames: int = Field(32, ge=1, le=256)
    max_tokens: int | None = Field(None, ge=1)
    concurrency: int = Field(4, ge=1)
    run_dir: Path | None = None  # default: runs/<time>-<bench>-<model>-<4 hex>

    @model_validator(mode="after")
    def _one_selection(self) -> RunConfig:
        if self.tiny and self.items_file is not None:
            raise ValueError("tiny and items_file choose items in different ways; give one")
        self.modes = list(dict.fromkeys(self.modes))
        return self

    def settings(self) -> SolveSettings:
        return SolveSettings(
            access=self.access,
            max_turns=self.max_turns,
            protocol=self.protocol,
            frames=self.frames,
            max_tokens=self.max_tokens,
        )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")[:60]


def _make_client(model: ModelConfig):  # -> ModelClient
    return make_model(
        model.name, base_url=model.base_url, api_key_env=model.api_key_env, timeout=model.timeout,
        max_retries=model.max_retries, tool_protocol=model.tool_protocol,
    )  # fmt: skip


def prepare(config: RunConfig) -> RunSession:
    """Make a new run directory for `config` (manifest written, directory locked), ready to run."""
    if config.data is not None and not config.data.exists():
        raise RunDirError(f"data {config.data}: no such file or directory")
    client = _make_client(config.model)
    bench = open_benchmark(config.bench, config.data)
    tasks = bench.check_tasks(config.tasks)
    item_ids = select_items(
        bench, tasks, tiny_set=config.tiny, limit=config.limit, items_file=config.items_file
    )
    if not item_ids:
        raise RunDirError("no items selected (check the tasks, limit and items file)")
    settings = config.settings()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    root = (
        config.run_dir or Path("runs") / f"{stamp}-{config.bench}-{_slug(client.name)}-{uuid.uuid4().hex[:4]}"
    )
    target = RunDir(root)
    if target.is_run() or target.results_path.exists():
        raise RunDirError(f"{root} already holds a run; continue it with `agent run --resume {root}`")
    manifest = RunManifest(
        run_id=root.name,
        benchmark=config.bench,
        bench_dir=str(Path(bench.root).resolve()),
        data_arg=str(config.data.resolve()) if config.data else None,
        model=client.name,
        base_url=client.base_url,  # --base-url, else $OPENAI_BASE_URL, as the client resolved it
        api_key_env=config.model.api_key_env,
        modes=list(config.modes),
        access=config.access,
        protocol=config.protocol,
        tasks=tasks,
        selection={
            "tiny": config.tiny,
            "tiny_per_task": TINY_PER_TASK if config.tiny else None,
            "tiny_seed": TINY_SEED if config.tiny else None,
            "limit": config.limit,
            "items_file": str(config.items_file) if config.items_file else None,
        },
        item_ids=item_ids,
        concurrency=config.concurrency,
        settings=settings.model_dump(exclude={"mode"}),
        client={
            "timeout": config.model.timeout,
            "max_retries": config.model.max_retries,
            "tool_protocol": config.model.tool_protocol,
        },
        versions=package_versions(),
        git_rev=git_revision(),
        platform=platform_line(),
        started_at=time.time(),
    )
    target.lock()  # held on by the session: no other run can take the directory in between
    target.write_manifest(manifest)
    return RunSession.open(target, manifest, bench, GraphSolver(client), config.concurrency)


def reopen(root: Path, concurrency: int | None = None) -> RunSession:
    """An earlier run, with its own configuration, ready to run what it still owes."""
    target = RunDir(root)
    manifest = target.read_manifest()
    data: Path | None = Path(manifest.bench_dir)
    if data is None or not data.is_dir():
        data = Path(manifest.data_arg) if manifest.data_arg else None  # the bundled set was rebuilt
    bench = open_benchmark(manifest.benchmark, data)
    client = make_model(
        manifest.model, base_url=manifest.base_url, api_key_env=manifest.api_key_env or "OPENAI_API_KEY",
        **manifest.client,
    )  # fmt: skip
    return RunSession.open(target, manifest, bench, GraphSolver(client), concurrency or manifest.concurrency)


def run(config: RunConfig, events: Events | None = None, argv: Sequence[str] = ()) -> RunOutcome:
    """Make and run a new run; see RunOutcome.exit_code for how it went."""
    return prepare(config).run(events, argv)


def resume(root: Path | str, concurrency: int | None = None, events: Events | None = None) -> RunOutcome:
    """Finish an earlier run: only its missing or errored items, with its own configuration."""
    return reopen(Path(root), concurrency).run(events)
