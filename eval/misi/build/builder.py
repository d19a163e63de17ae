"""`agent bench build --bench misi`: plan every item, render its images, write one JSON file per item.

A benchmark directory holds `structures/<id>/` (copies of the complexes' files, so the directory stands
alone), `images/<spec-hash>.png`, `items/<item-id>.json` and `bench.json` (configuration and summary).
Items depend only on the seed, the complexes and the code, never on build order or timing, so the same
seed gives byte-identical item files. Images are written before the items that use them, each file
atomically, so an interrupted build leaves no half-written item and a rerun completes it.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.items import CameraInfo, Item, ItemImage
from eval.misi.build import bond_tasks, motion_tasks
from eval.misi.build.plan import ComplexContext, PlannedItem, SkipItem, item_rng
from prompts import render_prompt
from tools.atomic import write_atomic, write_if_changed
from tools.render.scene import RenderSpec, StructureRef
from tools.structure import POCKET_CUTOFF, StructureError, load_complex

TASK_NAMES = {
    "T1": "Translation",
    "T2": "Rotation",
    "T3": "Zooming",
    "T4": "Residue-ligand interaction",
    "T5": "Translation + rotation",
    "T6": "Rotation + rotation",
    "T7": "Docking",
    "T8": "Interaction location",
    "T9": "Pocket-ligand interaction",
}
ALL_TASKS = list(TASK_NAMES)
_PLANNERS: dict[str, Callable[..., PlannedItem]] = {
    "T1": motion_tasks.plan_translation,
    "T2": motion_tasks.plan_rotation,
    "T3": motion_tasks.plan_zoom,
    "T4": bond_tasks.plan_residue_ligand,
    "T6": motion_tasks.plan_rotation_rotation,
    "T7": motion_tasks.plan_docking,
    "T8": bond_tasks.plan_interaction_location,
    "T9": bond_tasks.plan_pocket_ligand,
}


@dataclass
class BuildConfig:
    complexes: Path
    out: Path
    per_task: int = 2
    seed: int = 0
    tasks: list[str] = field(default_factory=lambda: list(ALL_TASKS))
    workers: int = 1
    image_size: int = 512
    antialias: int = 1
    pocket_cutoff: float = POCKET_CUTOFF
    render: bool = True  # False: plan items only; images are rendered when an item is first used


@dataclass
class BuildSummary:
    items: dict[str, int] = field(default_factory=dict)  # per task
    skipped_complexes: dict[str, str] = field(default_factory=dict)
    skipped_items: dict[str, list[str]] = field(default_factory=dict)  # per task: reasons
    images: int = 0
    rendered: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "total_items": sum(self.items.values()),
            "images": self.images,
            "skipped_complexes": self.skipped_complexes,
            "skipped_items": {t: len(r) for t, r in self.skipped_items.items()},
        }


def discover(complexes: Path) -> list[tuple[str, Path, str | None]]:
    """(pdb id, folder, ligand spec) for every sub-folder; ligand specs come from index.csv if present."""
    if not complexes.is_dir():
        raise StructureError(f"{complexes}: complexes folder does not exist")
    specs: dict[str, str] = {}
    index = complexes / "index.csv"
    if index.is_file():
        with index.open() as handle:
            specs = {r["id"]: r.get("ligand_bsid_in_complex") or "" for r in csv.DictReader(handle)}
    found = [
        (d.name.lower(), d, specs.get(d.name) or None) for d in sorted(complexes.iterdir()) if d.is_dir()
    ]
    if not found:
        raise StructureError(f"{complexes}: holds no complex folders")
    return found


def _copy_structure(folder: Path, dest: Path) -> list[str]:
    names = []
    for f in sorted(folder.iterdir()):
        if f.is_file() and f.suffix.lower() in {".pdb", ".sdf", ".mol2"}:
            target = dest / f.name
            if not target.is_file() or target.stat().st_size != f.stat().st_size:
                dest.mkdir(parents=True, exist_ok=True)
                tmp = dest / f".{f.name}.tmp"
                shutil.copyfile(f, tmp)
                tmp.replace(target)
            names.append(f.name)
    return names


def load_contexts(config: BuildConfig, summary: BuildSummary) -> list[ComplexContext]:
    contexts = []
    for pdb_id, folder, ligand in discover(config.complexes):
        try:
            cx = load_complex(folder, ligand=ligand, pocket_cutoff=config.pocket_cutoff)
        except StructureError as exc:
            summary.skipped_complexes[pdb_id] = str(exc)
            continue
        files = _copy_structure(folder, config.out / "structures" / pdb_id)
        ref = StructureRef(
            pdb_id=pdb_id,
            folder=f"structures/{pdb_id}",
            files=files,
            ligand=ligand,
            pocket_cutoff=config.pocket_cutoff,
        )
        contexts.append(ComplexContext(cx, ref, config.image_size, config.antialias))
    return contexts


def plan_items(
    config: BuildConfig, contexts: list[ComplexContext], summary: BuildSummary
) -> list[PlannedItem]:
    planned: list[PlannedItem] = []
    for task in config.tasks:
        for ctx in contexts:
            # T9 asks one question per complex: more items would repeat it exactly.
            for k in range(1 if task == "T9" else config.per_task):
                try:
                    if task == "T5":
                        others = [c for c in contexts if c.pdb_id != ctx.pdb_id] or [ctx]
                        pick = item_rng(config.seed, "T5-reference", ctx.pdb_id, k).integers(len(others))
                        ref = others[int(pick)]
                        item = motion_tasks.plan_translation_rotation(ctx, config.seed, k, ref)
                    else:
                        item = _PLANNERS[task](ctx, config.seed, k)
                except SkipItem as exc:
                    summary.skipped_items.setdefault(task, []).append(f"{ctx.pdb_id}: {exc}")
                    continue
                item.structure = ctx.ref
                item.generation = {"seed": config.seed, "index": k, **item.generation}
                planned.append(item)
    return planned


def image_path(spec: RenderSpec) -> str:
    return f"images/{spec.digest()}.png"


def finish_item(planned: PlannedItem, pdb_id: str, k: int) -> Item:
    """Fill the prompt and assemble the stored item."""
    image_list = "\n".join(f"- Image {i}: {im.role}" for i, im in enumerate(planned.images, start=1))
    option_list = "\n".join(f"- {k_}: {v}" for k_, v in (planned.options or {}).items())
    first = planned.images[0].spec
    values = {
        "pdb_id": pdb_id.upper(),
        "n_images": len(planned.images),
        "image_list": image_list,
        "option_list": option_list,
        "camera_distance": f"{first.camera_distance:g}",
        **planned.values,
    }
    text, template = render_prompt(f"misi/{planned.task}", **values)
    return Item(
        id=f"misi-{planned.task}-{pdb_id}-{k}",
        benchmark="misi",
        task=planned.task,
        task_name=TASK_NAMES[planned.task],
        prompt=text,
        prompt_template=template.id,
        prompt_hash=template.sha256,
        images=[
            ItemImage(path=image_path(im.spec), role=im.role, view=im.spec.view) for im in planned.images
        ],
        options=planned.options,
        answer_format=planned.answer_format,
        structure=planned.structure,
        camera=CameraInfo(
            field_width=first.field_width, camera_distance=first.camera_distance, image_size=first.size
        ),
        gold=planned.gold,
        generation={
            **planned.generation,
            "images": [im.spec.model_dump(mode="json") for im in planned.images],
        },
    )


def _pdb_id(planned: PlannedItem) -> str:
    if planned.structure is None:  # every planner names the complex it drew from
        raise ValueError(f"planned {planned.task} item has no structure")
    return planned.structure.pdb_id


def build(config: BuildConfig, progress: Callable[[str, int, int], None] | None = None) -> BuildSummary:
    """Build (or complete) the benchmark in config.out; returns what was built and what was skipped."""
    from tools.render import render_specs  # PyMOL only where images are made

    summary = BuildSummary()
    contexts = load_contexts(config, summary)
    items = [
        finish_item(p, _pdb_id(p), p.generation["index"])
        for p in plan_items(config, contexts, summary)
    ]
    jobs: dict[str, tuple[RenderSpec, Path]] = {}
    for item in items:
        for im, spec in zip(item.images, item.generation["images"]):
            jobs.setdefault(im.path, (RenderSpec.model_validate(spec), config.out / im.path))
    summary.images = len(jobs)
    if config.render:
        missing = [job for job in jobs.values() if not job[1].is_file()]
        summary.rendered = len(missing)
        render_specs(
            missing,
            base=config.out,
            workers=config.workers,
            progress=(lambda done, total: progress("render", done, total)) if progress else None,
        )
    for n, item in enumerate(items, start=1):
        write_if_changed(config.out / "items" / f"{item.id}.json", item.to_json())
        summary.items[item.task] = summary.items.get(item.task, 0) + 1
        if progress:
            progress("items", n, len(items))
    manifest = {
        "benchmark": "misi",
        "seed": config.seed,
        "per_task": config.per_task,
        "tasks": config.tasks,
        "image_size": config.image_size,
        "antialias": config.antialias,
        "pocket_cutoff": config.pocket_cutoff,
        "images_rendered_at_build": config.render,
        "complexes": [c.pdb_id for c in contexts],
        "summary": summary.as_dict(),
    }
    write_atomic(config.out / "bench.json", json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return summary
