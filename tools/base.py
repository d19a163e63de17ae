"""What a tool is: a typed function over a pydantic arguments model, returning text (JSON) and images.

A tool never sees a file path chosen by the model: it addresses what the item gives (an image index,
"the item's structure", a residue id) through the ToolContext. A tool never raises to the agent:
`Tool.run` turns bad arguments and failures into an error result the model can read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from tools.refs import StructureRef, VideoRef

Access = Literal["images", "structure"]
ACCESS: tuple[Access, ...] = ("images", "structure")


class ItemFile(Protocol):
    """One of an item's images: a path relative to the benchmark directory."""

    @property
    def path(self) -> str: ...


class ToolItem(Protocol):
    """What a tool may see of an item: the model's view (never the gold or how the item was made).

    Any benchmark's item view satisfies it structurally; tools do not depend on the benchmark layer. It has
    no camera: tools fit the projection to the images (tools/perception/calibrate.py).
    """

    @property
    def id(self) -> str: ...
    @property
    def task(self) -> str: ...
    @property
    def images(self) -> Sequence[ItemFile]: ...
    @property
    def options(self) -> Mapping[str, str] | None: ...
    @property
    def structure(self) -> StructureRef | None: ...
    @property
    def video(self) -> VideoRef | None: ...


class ToolError(Exception):
    """Raised inside a tool for a problem the model should read (what was wrong, what is valid)."""


class ToolResult(BaseModel):
    ok: bool
    text: str  # JSON for successes; a one-paragraph explanation for errors
    images: list[str] = []  # absolute paths of images the tool produced
    access: Access | None = None
    seconds: float = 0.0

    @classmethod
    def success(cls, data: Any, images: Sequence[Path | str] | None = None) -> ToolResult:
        return cls(ok=True, text=json.dumps(data, sort_keys=True), images=[str(p) for p in images or []])

    @classmethod
    def failure(cls, message: str) -> ToolResult:
        return cls(ok=False, text=message)


@dataclass
class ToolContext:
    """What a tool may use: the item as the model sees it, where its files live, and the run's access."""

    item: ToolItem
    bench_dir: Path
    workdir: Path  # where tools write images they produce
    access: Access = "images"
    state: dict[str, Any] = field(default_factory=dict)  # per-item scratch (e.g. the current pose)

    def image_path(self, index: int) -> Path:
        """The item's image by 1-based index, as the prompt numbers them."""
        n = len(self.item.images)
        if not 1 <= index <= n:
            raise ToolError(f"image index {index} does not exist: this item has images 1 to {n}")
        return self.bench_dir / self.item.images[index - 1].path

    def output_path(self, stem: str, suffix: str = ".png") -> Path:
        self.workdir.mkdir(parents=True, exist_ok=True)
        k = len(list(self.workdir.glob(f"{stem}*")))
        return self.workdir / f"{stem}-{k:03d}{suffix}"


def _inline_refs(schema: dict) -> dict:
    """OpenAI's tools API takes plain JSON Schema objects: resolve $defs and drop titles."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(dict(defs[node["$ref"].split("/")[-1]]))
            return {k: walk(v) for k, v in node.items() if k != "title"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args_model: type[BaseModel]
    fn: Callable[[ToolContext, Any], ToolResult]
    needs_structure: bool = False

    def parameters_schema(self) -> dict:
        schema = _inline_refs(self.args_model.model_json_schema())
        schema.setdefault("properties", {})
        schema["type"] = "object"
        schema["additionalProperties"] = False
        return schema

    def openai_schema(self) -> dict:
        """The tool in the shape Chat Completions takes under `tools=[...]`."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters_schema(),
            },
        }

    def run(self, ctx: ToolContext, arguments: dict | str | None) -> ToolResult:
        start = time.perf_counter()
        if self.needs_structure and ctx.access != "structure":
            result = ToolResult.failure(f"{self.name} needs structure access; this run gives images only")
        else:
            result = self._run(ctx, arguments)
        result.access = ctx.access
        result.seconds = time.perf_counter() - start
        return result

    def _run(self, ctx: ToolContext, arguments: dict | str | None) -> ToolResult:
        try:
            if isinstance(arguments, str):
                arguments = json.loads(arguments) if arguments.strip() else {}
            arguments = arguments or {}
            if not isinstance(arguments, dict):
                return ToolResult.failure(f"{self.name}: arguments must be a JSON object")
            unknown = sorted(set(arguments) - set(self.args_model.model_fields))
            if unknown:  # the schema says additionalProperties: false; say so rather than ignore them
                valid = ", ".join(self.args_model.model_fields) or "none"
                names = ", ".join(unknown)
                return ToolResult.failure(f"{self.name}: unknown argument(s) {names} (valid: {valid})")
            args = self.args_model.model_validate(arguments)
        except json.JSONDecodeError as exc:
            return ToolResult.failure(f"{self.name}: arguments are not valid JSON ({exc.msg})")
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in exc.errors()
            )
            schema = json.dumps(self.parameters_schema()["properties"])
            return ToolResult.failure(f"{self.name}: bad arguments ({problems}). Expected: {schema}")
        try:
            return self.fn(ctx, args)
        except ToolError as exc:
            return ToolResult.failure(f"{self.name}: {exc}")
        except Exception as exc:  # a tool failure is a message for the model, never a crash of the item
            return ToolResult.failure(f"{self.name} failed: {type(exc).__name__}: {exc}")


REGISTRY: dict[str, Tool] = {}


def tool(name: str, description: str, *, needs_structure: bool = False):
    """Register `fn(ctx, args: ArgsModel) -> ToolResult`; the schema comes from the args annotation."""

    def decorate(fn: Callable[[ToolContext, Any], ToolResult]) -> Callable[[ToolContext, Any], ToolResult]:
        args_model = fn.__annotations__.get("args")
        if isinstance(args_model, str):  # postponed annotations
            args_model = fn.__globals__[args_model]
        if not (isinstance(args_model, type) and issubclass(args_model, BaseModel)):
            raise TypeError(f"tool {name}: the 'args' parameter must be annotated with a pydantic model")
        if name in REGISTRY:
            raise ValueError(f"tool {name} registered twice")
        REGISTRY[name] = Tool(name, description, args_model, fn, needs_structure)
        return fn

    return decorate
