"""How well the image-only perception tools see: OCR accuracy of the labels and the error of the 3D scene
rebuilt from the standard views, against the structure.

Ground truth comes from the builder (the benchmark script may use the camera the items were rendered with;
the tools never do): every ligand atom name and residue label is projected with the item's render spec.
A reading is correct when a true label with the same text lies within 6 px of its centre. Reconstruction
error is the distance in Å between a rebuilt label position (pixels divided by the TRUE pixels per Å) and
the structure's atom (ligand atom or residue CA); the scale the tools fixed from chemistry is compared with
the true one separately. The colour-class hull (tools.perception.hull) is scored by the share of labelled
atoms it holds and by how small it is (its share of the box the views span). Located labels are tallied by
how they were found (readings, template, stacked, composed): how many, and how many wrong (a text the
scene does not show, or more than 1 Å from its atom).

    python -m eval.perf.perception [--bench-dir DIR] [--per-task 3] [--tasks T2,T8] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eval.items import Item
from eval.misi.bench import open_misi
from tools.perception.glyphs import ink_layers
from tools.perception.hull import carve_images
from tools.perception.labels import LabelReading, label_mask, read_labels
from tools.perception.scene import rebuild
from tools.render.scene import RenderSpec, build_scene, project

MATCH_PX = 6.0
WRONG_ANGSTROM = 1.0  # a located label this far from its atom is counted wrong


@dataclass
class TrueLabel:
    text: str
    kind: str  # "atom" | "residue"
    pixel: np.ndarray  # (column, row)
    xyz: np.ndarray  # front-view screen coordinates of the image's own view, Å


def label_truth(bench_root: Path, spec: dict) -> tuple[list[TrueLabel], float, int]:
    """Every label an image shows, where the builder's camera put it; and the true pixels per Å, size."""
    render = RenderSpec.model_validate(spec)
    scene = build_scene(render, bench_root)
    out = []
    for atom in scene.atoms:
        if atom.is_ligand and atom.element.upper() != "H":
            p = np.array([atom.x, atom.y, atom.z])
            out.append(TrueLabel(atom.name, "atom", project(p[None], scene.field_width, scene.size)[0], p))
    for text, anchor in scene.residue_labels:
        p = np.asarray(anchor, dtype=float)
        out.append(TrueLabel(text, "residue", project(p[None], scene.field_width, scene.size)[0], p))
    return out, scene.pixels_per_angstrom, scene.size


def score_reading(reading: LabelReading, truth: list[TrueLabel], size: int) -> dict:
    inside = [t for t in truth if 0 <= t.pixel[0] < size and 0 <= t.pixel[1] < size]
    correct = 0
    found: set[int] = set()
    for lab in reading.labels:
        hits = [
            k
            for k, t in enumerate(inside)
            if t.text == lab.text and np.hypot(*(np.asarray(lab.centre) - t.pixel)) < MATCH_PX
        ]
        if hits:
            correct += 1
            found.update(hits)
    return {"truth": len(inside), "read": len(reading.labels), "correct": correct, "recalled": len(found)}


def hull_coverage(views: dict[str, Path], truth: list[TrueLabel], ppa: float) -> dict:
    """How much of the structure the colour-class hull holds: the share of labelled atoms (ligand atoms,
    residue CAs) with a hull cell within one cell, and the hull's share of the box the views span."""
    hull = carve_images(views)
    occupied = {tuple(c) for c in np.floor(hull.xyz + hull.grid / 2).astype(int)}
    near = [np.array(d) - 1 for d in np.ndindex(3, 3, 3)]
    held = 0
    for t in truth:
        cell = np.floor(t.xyz * ppa / hull.cell + hull.grid / 2).astype(int)
        held += any(tuple(cell + d) in occupied for d in near)
    return {"atoms_held": held / max(len(truth), 1), "box_share": len(hull.xyz) / hull.grid**3}


def reconstruction_errors(
    item: Item, bench_root: Path, readings: dict[str, LabelReading], paths: dict[str, Path]
) -> dict:
    layers = {v: ink_layers(p) for v, p in paths.items()}
    model = rebuild(
        readings,
        {v: label_mask(p).astype(float) for v, p in paths.items()},
        {v: t for v, (t, _) in layers.items()},
        strokes={v: n for v, (_, n) in layers.items()},
    )
    front = next(s for s, im in zip(item.generation["images"], item.images) if im.view == "front")
    truth, ppa, _ = label_truth(bench_root, front)
    by_text: dict[str, list[TrueLabel]] = {}
    for t in truth:
        by_text.setdefault(t.text, []).append(t)
    errors = []
    sources: dict[str, dict[str, int]] = {}
    for p in model.points:
        cands = by_text.get(p.text, [])
        tally = sources.setdefault(p.located_by, {"located": 0, "wrong": 0})
        tally["located"] += 1
        if not cands:
            tally["wrong"] += 1  # no such label in the scene: a misreading
        if len(cands) == 1:  # a text shown twice (homodimers) has no single true position
            errors.append(float(np.linalg.norm(np.asarray(p.xyz_px) / ppa - cands[0].xyz)))
            tally["wrong"] += errors[-1] > WRONG_ANGSTROM
    est = model.scale.pixels_per_angstrom
    return {
        "points": len(model.points),
        "labels_shown": len(by_text),
        "by_source": sources,
        "errors_angstrom": errors,
        "scale_found": est is not None,
        "scale_error": None if est is None else abs(est / ppa - 1.0),
        "scale_source": model.scale.source,
        "hull": hull_coverage(paths, truth, ppa),
    }


def run(bench_dir: Path | None, per_task: int, tasks: list[str]) -> dict:
    bench = open_misi(bench_dir)
    ocr = {"truth": 0, "read": 0, "correct": 0, "recalled": 0, "images": 0}
    recon: list[dict] = []
    seen: set[str] = set()
    for task in tasks:
        ids = [i for i in bench.ids if bench.task_of(i) == task][:per_task]
        for item_id in ids:
            item = bench.item(item_id)
            bench.ensure_images(item)
            readings: dict[str, LabelReading] = {}
            paths: dict[str, Path] = {}
            for im, spec in zip(item.images, item.generation["images"]):
                reading = read_labels(bench.root / im.path)
                if im.path not in seen:
                    seen.add(im.path)
                    truth, _, size = label_truth(bench.root, spec)
                    for k, v in score_reading(reading, truth, size).items():
                        ocr[k] += v
                    ocr["images"] += 1
                # the initial standard views of the item's (first) scene
                if im.view and im.view not in readings and "after" not in im.role and "option" not in im.role:
                    readings[im.view] = reading
                    paths[im.view] = bench.root / im.path
            if len(readings) >= 2:
                recon.append({"item": item_id, **reconstruction_errors(item, bench.root, readings, paths)})
    errors = [e for r in recon for e in r["errors_angstrom"]]
    sources: dict[str, dict[str, int]] = {}
    for r in recon:
        for k, tally in r["by_source"].items():
            for key, n in tally.items():
                sources.setdefault(k, {"located": 0, "wrong": 0})[key] += n
    scale_errors = [r["scale_error"] for r in recon if r["scale_error"] is not None]
    return {
        "bench": str(bench.root),
        "ocr": {
            **ocr,
            "precision": round(ocr["correct"] / max(ocr["read"], 1), 3),
            "recall": round(ocr["recalled"] / max(ocr["truth"], 1), 3),
        },
        "reconstruction": {
            "scenes": len(recon),
            "labels_shown": sum(r["labels_shown"] for r in recon),
            "located_by": sources,
            "points": len(errors),
            "median_error_angstrom": round(float(np.median(errors)), 2) if errors else None,
            "p90_error_angstrom": round(float(np.percentile(errors, 90)), 2) if errors else None,
            "scale_found": f"{len(scale_errors)}/{len(recon)}",
            "median_scale_error": round(float(np.median(scale_errors)), 3) if scale_errors else None,
            "max_scale_error": round(float(np.max(scale_errors)), 3) if scale_errors else None,
        },
        "hull": {
            "scenes": len(recon),
            "median_atoms_held": round(float(np.median([r["hull"]["atoms_held"] for r in recon])), 3)
            if recon
            else None,
            "median_box_share": round(float(np.median([r["hull"]["box_share"] for r in recon])), 4)
            if recon
            else None,
        },
        "scenes": recon,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=None)
    parser.add_argument("--per-task", type=int, default=3)
    parser.add_argument("--tasks", default="T1,T2,T3,T5,T6,T8,T9")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    result = run(args.bench_dir, args.per_task, args.tasks.split(","))
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.write_text(text + "\n")
    print(json.dumps({k: result[k] for k in ("bench", "ocr", "reconstruction", "hull")}, indent=1))


if __name__ == "__main__":
    main()
