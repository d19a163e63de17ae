"""A run directory as Inspect AI logs: one `.eval` file per mode (arm), built from Inspect's own models.

Each item becomes an `EvalSample`: the opening messages as `input` (images inlined as data URIs, which
Inspect's writer moves into the sample's attachments), the whole conversation as `messages`, every model
call and tool call as a `ModelEvent` / `ToolEvent` in the order they ran, the final reply as `output`,
and two scores, the weighted `score` and `exact_match`. Inspect has no "unparseable" score value, so the
status (correct / wrong / unparseable / error), the parsed answer and its parse method go in each score's
metadata; an unparseable or errored item scores 0 as in the project's reports, and an errored item also
carries its error. Models are named Inspect's way, `provider/model`.

Needs the optional `inspect_ai` package (`pip install 'molspatial-agent[inspect]'`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from inspect_ai.event import ModelEvent, ScoreEvent, ToolEvent
from inspect_ai.log import (
    EvalConfig,
    EvalDataset,
    EvalError,
    EvalLog,
    EvalMetric,
    EvalPlan,
    EvalPlanStep,
    EvalResults,
    EvalSample,
    EvalScore,
    EvalSpec,
    EvalStats,
    condense_sample,
    write_eval_log,
)
from inspect_ai.model import (
    ChatCompletionChoice,
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageTool,
    ChatMessageUser,
    Content,
    ContentImage,
    ContentReasoning,
    ContentText,
    GenerateConfig,
    ModelOutput,
    ModelUsage,
)
from inspect_ai.scorer import Score
from inspect_ai.tool import ToolCall, ToolCallError, ToolInfo, ToolParams
from pydantic import BaseModel, ValidationError

from eval.run.manifest import RunManifest
from eval.run.results import ResultLine
from eval.run.rundir import RunDir, RunDirError
from eval.run.traces import RunError, load_trace, open_run
from eval.trace import ImageRef, MessageRecord, ModelStep, Trace, Usage
from eval.trace import ToolCall as TraceToolCall

SCORERS = ("score", "exact_match")
TASK_PREFIX = "molspatial"
_STOP = {
    "stop": "stop",
    "length": "max_tokens",
    "tool_calls": "tool_calls",
    "content_filter": "content_filter",
}


class ExportError(ValueError):
    """A run that cannot be exported; the message names it."""


class ExportedLog(BaseModel):
    mode: str
    path: str
    samples: int
    missing_traces: list[str]  # items exported from their result line alone (trace unreadable)
    missing_images: int  # image references whose file is gone (a text placeholder stands in)


def inspect_model_name(model: str, base_url: str | None) -> str:
    """Inspect's `provider/model`: `builtin:tool-policy` → `builtin/tool-policy`; a model behind an
    OpenAI-compatible server → `openai/<model>`, as `inspect eval --model openai/<model>
    --model-base-url URL` names it (the URL goes in the log's `model_base_url`)."""
    if model.startswith("builtin:"):
        return "builtin/" + model.split(":", 1)[1]
    return f"openai/{model}"


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat() if ts else None


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


class _Images:
    """Data URIs for image references, each file read once; a missing file becomes a text placeholder."""

    def __init__(self) -> None:
        self._cache: dict[str, str | None] = {}
        self.missing = 0

    def uri(self, path: str) -> str | None:
        if path not in self._cache:
            try:
                data = Path(path).read_bytes()
            except OSError:
                self._cache[path] = None
            else:
                mime = mimetypes.guess_type(path)[0] or "image/png"
                self._cache[path] = f"data:{mime};base64,{base64.b64encode(data).decode()}"
        if self._cache[path] is None:
            self.missing += 1
        return self._cache[path]

    def parts(self, images: list[ImageRef]) -> list[Content]:
        out: list[Content] = []
        for ref in images:
            uri = self.uri(ref.path)
            if uri is None:
                out.append(
                    ContentText(text=f"[{ref.label or 'image'}: {ref.path} is missing, sha256 {ref.sha256}]")
                )
            else:
                out.append(ContentImage(image=uri))
        return out


def _arguments(raw: str) -> tuple[dict[str, Any], str | None]:
    """Tool-call arguments as a dict, or {} and the reason when the model's JSON is not an object."""
    try:
        value = json.loads(raw) if raw.strip() else {}
    except ValueError as exc:
        return {}, f"arguments are not JSON ({exc}): {raw[:200]}"
    if not isinstance(value, dict):
        return {}, f"arguments are not a JSON object: {raw[:200]}"
    return value, None


def _tool_calls(calls: list[TraceToolCall]) -> list[ToolCall]:
    out = []
    for call in calls:
        arguments, problem = _arguments(call.arguments)
        out.append(ToolCall(id=call.id, function=call.name, arguments=arguments, parse_error=problem))
    return out


def _messages(records: list[MessageRecord], images: _Images, model: str) -> list[ChatMessage]:
    out: list[ChatMessage] = []
    names: dict[str, str] = {}  # tool call id → tool name, for the tool messages
    for rec in records:
        if rec.role == "system":
            out.append(ChatMessageSystem(content=rec.text))
        elif rec.role == "user":
            parts = images.parts(rec.images)
            out.append(ChatMessageUser(content=[ContentText(text=rec.text), *parts] if parts else rec.text))
        elif rec.role == "assistant":
            names.update({c.id: c.name for c in rec.tool_calls})
            content: list[Content] = []
            if rec.reasoning:
                content.append(ContentReasoning(reasoning=rec.reasoning))
            content.append(ContentText(text=rec.text))
            out.append(
                ChatMessageAssistant(
                    content=content if rec.reasoning else rec.text,
                    tool_calls=_tool_calls(rec.tool_calls) or None,
                    model=model,
                )
            )
        else:
            out.append(
                ChatMessageTool(
                    content=rec.text,
                    tool_call_id=rec.tool_call_id,
                    function=names.get(rec.tool_call_id or ""),
                )
            )
    return out


def _usage(usage: Usage, cost: float | None) -> ModelUsage:
    return ModelUsage(
        input_tokens=usage.prompt_tokens,
        output_tokens=usage.completion_tokens,
        total_tokens=usage.prompt_tokens + usage.completion_tokens,
        reasoning_tokens=usage.reasoning_tokens or None,
        total_cost=cost,
    )


def _tool_info(name: str, schemas: Mapping[str, dict]) -> ToolInfo:
    function = (schemas.get(name) or {}).get("function") or {}
    try:
        params = ToolParams.model_validate(function.get("parameters") or {})
    except ValidationError:
        params = ToolParams()
    return ToolInfo(name=name, description=function.get("description", ""), parameters=params)


def _output(step: ModelStep, model: str) -> ModelOutput:
    message = ChatMessageAssistant(
        content=[ContentReasoning(reasoning=step.reasoning), ContentText(text=step.text)]
        if step.reasoning
        else step.text,
        tool_calls=_tool_calls(step.tool_calls) or None,
        model=model,
    )
    stop = _STOP.get(step.finish_reason or "", "unknown")
    return ModelOutput(
        model=model,
        choices=[ChatCompletionChoice(message=message, stop_reason=stop)],
        usage=_usage(step.usage, step.cost_usd),
        time=step.seconds,
        error=step.error,
    )


def _events(trace: Trace, messages: list[ChatMessage], model: str, schemas: Mapping[str, dict]) -> list:
    settings = trace.settings or {}
    config = GenerateConfig(
        max_tokens=settings.get("max_tokens"),
        temperature=settings.get("temperature"),
        seed=settings.get("seed"),
    )
    events: list = []
    for step in trace.steps:
        common = {
            "timestamp": _dt(step.started_at),
            "working_start": max(0.0, step.started_at - trace.started_at),
            "working_time": step.seconds,
            "completed": _dt(step.started_at + step.seconds),
        }
        if step.kind == "model":
            tools = [] if step.forced_final else [_tool_info(n, schemas) for n in step.tools_offered]
            events.append(
                ModelEvent(
                    model=model,
                    input=messages[: step.messages_sent],
                    tools=tools,
                    tool_choice="none" if step.forced_final or not tools else "auto",
                    config=config,
                    output=_output(step, model),
                    retries=step.attempts - 1 if step.attempts > 1 else None,
                    error=step.error,
                    metadata={
                        "turn": step.turn,
                        "images_sent": step.images_sent,
                        "dropped_images": step.dropped_images,
                        "tool_path": step.tool_path,
                        "forced_final": step.forced_final,
                    },
                    **common,
                )
            )
        else:
            arguments, problem = _arguments(step.arguments)
            error = None
            if problem:
                error = ToolCallError(type="parsing", message=problem)
            elif not step.ok:
                error = ToolCallError(type="unknown", message=step.result)
            events.append(
                ToolEvent(
                    id=step.call_id,
                    function=step.name,
                    arguments=arguments,
                    result=step.result,
                    error=error,
                    failed=not step.ok or None,
                    metadata={"turn": step.turn, "access": step.access, "images": len(step.images)},
                    **common,
                )
            )
    return events


def _scores(line: ResultLine) -> dict[str, Score]:
    not_answered = line.status in ("unparseable", "error")
    meta = {
        "status": line.status,
        "parsed": line.parsed,
        "parse_method": line.parse_method,
        "unparseable": line.status == "unparseable",
        "error": line.error,
        "column": line.column,
        "gold": line.gold,
    }
    weighted = 0.0 if not_answered else line.score
    exact = 0.0 if not_answered else float(line.exact_match)
    return {
        "score": Score(value=weighted, answer=line.parsed, explanation=line.final_text, metadata=meta),
        "exact_match": Score(value=exact, answer=line.parsed, metadata=meta),
    }


def _input_messages(messages: list[ChatMessage]) -> list[ChatMessage]:
    """The opening: the system message and the first user message (the question with its images)."""
    out = []
    for message in messages:
        out.append(message)
        if message.role == "user":
            break
    return out


def _choices(options: Any) -> list[str] | None:
    if isinstance(options, dict) and options:
        return [str(options[k]) for k in sorted(options)]
    return None


def sample_from(
    line: ResultLine, trace: Trace | None, images: _Images, schemas: Mapping[str, dict], model: str
) -> EvalSample:
    scores = _scores(line)
    metadata: dict[str, Any] = {
        "task": line.task,
        "task_name": line.task_name,
        "column": line.column,
        "mode": line.mode,
        "access": line.access,
        "protocol": line.protocol,
        "status": line.status,
        "attempt": line.attempt,
        "error_history": line.error_history,
        **line.metadata,
    }
    common: dict[str, Any] = {
        "id": line.item_id,
        "epoch": 1,
        "target": line.gold or "",
        "scores": scores,
        "model_usage": {model: _usage(line.usage, line.cost_usd)},
        "total_time": line.seconds,
        "working_time": line.seconds,
        "error": EvalError(message=line.error, traceback="", traceback_ansi="") if line.error else None,
    }
    if trace is None:
        metadata["trace"] = "unreadable: exported from the result line alone"
        return EvalSample(input=line.final_text or "", metadata=metadata, **common)
    messages = _messages(trace.messages, images, model)
    events = _events(trace, messages, model, schemas)
    finished = trace.finished_at or trace.started_at + trace.seconds
    events += [
        ScoreEvent(
            score=score, target=line.gold, scorer=name, timestamp=_dt(finished), working_start=trace.seconds
        )
        for name, score in scores.items()
    ]
    last = next((m for m in reversed(messages) if isinstance(m, ChatMessageAssistant)), None)
    metadata.update(
        prompt_template=trace.prompt_template,
        prompt_hash=trace.prompt_hash,
        limits_hit=trace.limits_hit,
        frames=trace.frames,
    )
    return EvalSample(
        input=_input_messages(messages) or line.final_text or "",
        choices=_choices(metadata.get("options")),
        messages=messages,
        output=ModelOutput(
            model=model,
            choices=[ChatCompletionChoice(message=last, stop_reason="stop")] if last else [],
            usage=_usage(trace.usage, trace.cost_usd),
            time=trace.seconds,
            error=trace.error,
        ),
        metadata=metadata,
        events=events,
        started_at=_iso(trace.started_at),
        completed_at=_iso(finished),
        **common,
    )


def _results(lines: list[ResultLine], total: int) -> EvalResults:
    def mean(name: str) -> float:
        values = [float(_scores(x)[name].value) for x in lines]  # type: ignore[arg-type]
        return sum(values) / len(values) if values else 0.0

    return EvalResults(
        total_samples=total,
        completed_samples=len(lines),
        scores=[
            EvalScore(
                name=name,
                scorer=name,
                scored_samples=len(lines),
                unscored_samples=0,
                metrics={"mean": EvalMetric(name="mean", value=mean(name))},
                metadata={
                    "unparseable": sum(x.status == "unparseable" for x in lines),
                    "error": sum(x.status == "error" for x in lines),
                    "note": "unparseable and errored items score 0",
                },
            )
            for name in SCORERS
        ],
    )


def _spec(manifest: RunManifest, mode: str, model: str, ids: list[str]) -> EvalSpec:
    settings = {**manifest.settings, "mode": mode}
    return EvalSpec(
        run_id=manifest.run_id,
        eval_id=f"{manifest.run_id}-{mode}",
        task_id=f"{manifest.run_id}-{mode}",
        created=_iso(manifest.started_at) or datetime.now(timezone.utc).isoformat(),
        task=f"{TASK_PREFIX}/{manifest.benchmark}",
        task_display_name=f"{manifest.benchmark} ({mode})",
        task_args={"mode": mode, "access": manifest.access, "protocol": manifest.protocol},
        solver=f"molspatial_agent/{mode}",
        dataset=EvalDataset(
            name=manifest.benchmark, location=manifest.bench_dir, samples=len(ids), sample_ids=ids
        ),
        model=model,
        model_base_url=manifest.base_url,
        model_generate_config=GenerateConfig(
            max_tokens=settings.get("max_tokens"), temperature=settings.get("temperature")
        ),
        config=EvalConfig(limit=None, epochs=1),
        packages=manifest.versions,
        metadata={
            "run_id": manifest.run_id,
            "model": manifest.model,
            "settings": settings,
            "client": manifest.client,
            "prompt_hashes": manifest.prompt_hashes,
            "selection": manifest.selection,
            "git_rev": manifest.git_rev,
            "platform": manifest.platform,
        },
        scorers=None,
    )


def _log_name(manifest: RunManifest, mode: str) -> str:
    stamp = datetime.fromtimestamp(manifest.started_at or 0, tz=timezone.utc).strftime(
        "%Y-%m-%dT%H-%M-%S+00-00"
    )
    # Inspect's viewer reads `<time>_<task>_<id>.eval`: the id is alphanumeric, and stable per (run, mode)
    # so a second export replaces the first.
    short = hashlib.sha256(f"{manifest.run_id}/{mode}".encode()).hexdigest()[:22]
    return f"{stamp}_{manifest.benchmark}-{mode}_{short}.eval"


def build_log(
    run_root: Path, mode: str, *, tool_schemas: Mapping[str, dict] | None = None
) -> tuple[EvalLog, list[str], int]:
    """The EvalLog of one mode of a run, the items whose trace could not be read, and missing images."""
    manifest = _manifest(run_root)
    try:
        run = open_run(run_root)
    except RunError as exc:
        raise ExportError(str(exc)) from None
    lines = sorted((x for (m, _), x in run.lines.items() if m == mode), key=lambda x: x.item_id)
    if not lines:
        raise ExportError(
            f"run {run_root}: no finished items in mode '{mode}' (modes: {', '.join(run.modes)})"
        )
    model = inspect_model_name(manifest.model, manifest.base_url)
    images, missing, samples = _Images(), [], []
    for line in lines:
        try:
            trace = load_trace(run, line)
        except RunError:
            trace = None
            missing.append(line.item_id)
        samples.append(condense_sample(sample_from(line, trace, images, tool_schemas or {}, model)))
    total = len(manifest.item_ids) or len(lines)
    usage = ModelUsage()
    for s in samples:
        usage = usage + s.model_usage[model]
    ends = [x.finished_at for x in lines if x.finished_at]
    log = EvalLog(
        version=2,
        status="success" if len(lines) >= total else "cancelled",
        eval=_spec(manifest, mode, model, [x.item_id for x in lines]),
        plan=EvalPlan(
            name="plan",
            steps=[
                EvalPlanStep(
                    solver=f"molspatial_agent/{mode}", params={"mode": mode, "access": manifest.access}
                )
            ],
        ),
        results=_results(lines, total),
        stats=EvalStats(
            started_at=_iso(manifest.started_at) or "",
            completed_at=_iso(manifest.finished_at or (max(ends) if ends else None)) or "",
            model_usage={model: usage},
        ),
        samples=samples,
    )
    return log, missing, images.missing


def _manifest(run_root: Path) -> RunManifest:
    try:
        return RunDir(run_root).read_manifest()
    except RunDirError as exc:
        raise ExportError(f"run {exc}") from None


def export_run(
    run_root: Path, out_dir: Path | None = None, *, tool_schemas: Mapping[str, dict] | None = None
) -> list[ExportedLog]:
    """Write one `.eval` log per mode of the run into `out_dir` (default RUN/inspect); each is written to
    a temporary name and renamed, so a reader never sees half a log."""
    run_root = Path(run_root)
    if not run_root.is_dir():
        raise ExportError(f"run {run_root}: no such directory")
    manifest = _manifest(run_root)
    out_dir = Path(out_dir) if out_dir is not None else run_root / "inspect"
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"--out {out_dir}: exists and is not a directory")
    out_dir.mkdir(parents=True, exist_ok=True)
    present = {mode for mode, _ in RunDir(run_root).results()}
    modes = [m for m in manifest.modes if m in present] + sorted(present - set(manifest.modes))
    if not modes:
        raise ExportError(f"run {run_root}: no finished items to export")
    written = []
    for mode in modes:
        log, missing, missing_images = build_log(run_root, mode, tool_schemas=tool_schemas)
        path = out_dir / _log_name(manifest, mode)
        tmp = path.with_name(f".{path.name}.tmp")
        write_eval_log(log, str(tmp), format="eval")
        os.replace(tmp, path)
        written.append(
            ExportedLog(
                mode=mode,
                path=str(path),
                samples=len(log.samples or []),
                missing_traces=missing,
                missing_images=missing_images,
            )
        )
    return written
