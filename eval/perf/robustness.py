"""Robustness of the built-in policy to renderings the tools do not assume.

    python -m eval.perf.robustness --out /tmp/robust [--per-task 3] [--tasks T1,T2,T3,T6,T7,T8]
                                   [--styles base,scale+10%,...] [--chimerax] [--access structure|images]
                                   [--bench-dir DIR]

For each style, the chosen items of the bundled benchmark (or --bench-dir) are copied with their images
re-rendered in that style (eval/perf/restyle.py), `agent run --mode tools --access ACCESS` solves them in
a subprocess (structure access by default; `--access images` runs the images-only plans on the same
restyled items), and the exact and weighted scores per task are tabulated (OUT/robustness[.images].json
and .md). The camera fitted to each item's first image is compared with the true one of the styled render
(scale error %, centre error px). `--chimerax` adds renders by the ChimeraX reference kit
(`$CHIMERAX_KIT/render.py`, this machine only) from complex folders written per image
(eval/perf/chimerax_pieces.py): the pocket alone, the ligand alone and a moved ligand included; one-residue
images (T4) cannot be made and are reported as not rendered. A style that fails is reported, never dropped.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from eval.items import Item
from eval.misi.bench import open_misi as open_benchmark
from eval.perf.chimerax_pieces import write_job
from eval.perf.restyle import Style, render_styled
from tools.render.scene import RenderSpec

STYLES: dict[str, Style] = {
    s.name: s
    for s in [
        Style(name="base"),
        Style(name="scale+10%", scale=1.10),
        Style(name="scale-10%", scale=0.90),
        Style(name="centre+5%", centre_shift=(0.05, -0.03)),
        Style(name="centre-5%", centre_shift=(-0.05, 0.04)),
        Style(name="sticks-0.35", stick_radius=0.35, sphere_scale=0.5),
        Style(name="sticks-0.12", stick_radius=0.12, sphere_scale=0.2),
        Style(name="font-serif-1.3x", label_font_id=10, label_scale=1.3),
        Style(name="antialias-off", antialias=0),
        Style(name="antialias-2", antialias=2),
        Style(name="jpeg-70", jpeg_quality=70),
        Style(name="scale+10%+centre+jpeg", scale=1.10, centre_shift=(0.04, 0.04), jpeg_quality=70),
    ]
}
TASKS = ["T1", "T2", "T3", "T6", "T7", "T8"]
KIT = Path(os.environ.get("CHIMERAX_KIT", "/work/shared/tools/chimerax"))


def pick_items(bench_dir: Path | None, tasks: list[str], per_task: int) -> list[Item]:
    bench = open_benchmark(bench_dir)
    chosen: list[Item] = []
    for task in tasks:
        items = bench.items([task])
        # spread over complexes: every k-th item rather than the first ones
        step = max(1, len(items) // per_task)
        chosen += items[::step][:per_task]
    return chosen


def _copy_structures(src: Path, dst: Path) -> None:
    if not (dst / "structures").exists():
        dst.mkdir(parents=True, exist_ok=True)
        (dst / "structures").symlink_to((src / "structures").absolute())


def styled_benchmark(src: Path, items: list[Item], style: Style, out: Path, workers: int) -> None:
    """Write `out` as a benchmark of `items` with every image re-rendered in `style`."""
    _copy_structures(src, out)
    (out / "items").mkdir(parents=True, exist_ok=True)
    jobs = []
    suffix = ".jpg" if style.jpeg_quality else ".png"
    for item in items:
        new = item.model_copy(deep=True)
        specs = [RenderSpec.model_validate(s) for s in item.generation["images"]]
        for image, spec in zip(new.images, specs):
            styled = style.spec(spec)
            path = f"images/{styled.digest()}-{style.name}{suffix}"
            image.path = path
            jobs.append((styled, style, out / path))
        if new.camera is not None:
            new.camera = new.camera.model_copy(update={"field_width": new.camera.field_width / style.scale})
        new.generation["style"] = style.model_dump()
        (out / "items" / f"{item.id}.json").write_text(new.to_json())
    render_styled(jobs, base=out, workers=workers)


def chimerax_benchmark(src: Path, items: list[Item], out: Path) -> dict[str, str]:
    """Items drawn by the kit's render.py from folders written per image group (eval/perf/chimerax_pieces.py);
    returns {item id: why it was not rendered}."""
    _copy_structures(src, out)
    (out / "items").mkdir(parents=True, exist_ok=True)
    skipped: dict[str, str] = {}
    for item in items:
        if (out / "items" / f"{item.id}.json").exists():
            continue
        try:
            new = _chimerax_item(src, item, out)
        except (ValueError, RuntimeError) as e:
            skipped[item.id] = str(e)
            print(f"chimerax: {item.id} not rendered: {e}", file=sys.stderr)
            continue
        (out / "items" / f"{item.id}.json").write_text(new.to_json())
    return skipped


def _chimerax_item(src: Path, item: Item, out: Path) -> Item:
    if item.structure is None:
        raise ValueError("no structure")
    cx = item.structure.load(src)
    specs = [RenderSpec.model_validate(s) for s in item.generation["images"]]
    groups: dict[tuple, list[int]] = {}
    for k, s in enumerate(specs):
        # one kit call per content and motion; the ligand alone needs one call per view
        key = (s.content, s.residue, s.ligand_motion, s.scene, s.field_width, s.size)
        groups.setdefault(key + ((s.view,) if s.content == "ligand" else ()), []).append(k)
    new = item.model_copy(deep=True)
    for g, idx in enumerate(groups.values()):
        views = list(dict.fromkeys(specs[k].view for k in idx))
        job = write_job(cx, specs[idx[0]], views, out / "kit-input" / f"{item.id}-{g}" / cx.pdb_id)
        folder = out / "images" / f"{item.id}-{g}"
        if not all((folder / f"{cx.pdb_id}_{v}.png").exists() for v in views):
            r = subprocess.run(job.command(KIT / "render.py", folder), capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"render.py failed: {r.stderr.strip()[-300:]}")
        for k in idx:
            png = folder / f"{cx.pdb_id}_{specs[k].view}.png"
            if not png.exists():
                raise RuntimeError(f"render.py wrote no {png.name}")
            new.images[k].path = str(png.relative_to(out))
    new.generation["style"] = {"name": "chimerax"}
    return new


def run_policy(bench: Path, run_dir: Path, concurrency: int, access: str = "structure") -> list[dict]:
    if run_dir.exists():
        shutil.rmtree(run_dir)
    agent = Path(sys.executable).with_name("agent")
    cmd = [
        str(agent),
        "run",
        "--bench",
        "misi",
        "--data",
        str(bench),
        "--mode",
        "tools",
        "--access",
        access,
        "--concurrency",
        str(concurrency),
        "--run-dir",
        str(run_dir),
    ]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        tail = (r.stderr.strip().splitlines() or ["(no message)"])[-1]
        print(f"agent run on {bench} exited {r.returncode}: {tail}", file=sys.stderr)
    path = run_dir / "results.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def calibration_errors(bench: Path) -> list[dict]:
    """Fitted against true camera on each item's first image (front view, unmoved)."""
    from tools.perception.atoms import detect_atoms
    from tools.perception.calibrate import calibrate

    b = open_benchmark(bench)
    out = []
    for item in b.items():
        if item.camera is None or item.structure is None:
            continue
        spec = RenderSpec.model_validate(item.generation["images"][0])
        if spec.scene or spec.ligand_motion:
            continue
        style = item.generation.get("style", {})
        size = spec.size
        field = spec.field_width / style.get("scale", 1.0)
        shift = style.get("centre_shift", (0.0, 0.0))
        true_scale = size / field
        true_centre = (size / 2 + shift[0] * size, size / 2 - shift[1] * size)
        cx = item.structure.load(b.root)
        cal = calibrate(detect_atoms(b.root / item.images[0].path), cx, item.structure, view=spec.view)
        p = cal.projection
        out.append(
            {
                "item": item.id,
                "scale_error_pct": 100 * (p.scale / true_scale - 1),
                "centre_error_px": float(math.dist(p.centre, true_centre)),
                "rotation_deg": p.rotation_deg,
                "quality": cal.quality,
                "convention_verified": cal.convention_verified,
            }
        )
    return out


def summarise(results: list[dict], tasks: list[str]) -> dict[str, dict]:
    table: dict[str, dict] = {}
    for task in tasks:
        rows = [r for r in results if r.get("task") == task]
        n = len(rows)
        table[task] = {
            "n": n,
            "exact": 100 * sum(1 for r in rows if r.get("status") == "correct") / n if n else None,
            "weighted": 100 * sum(float(r.get("score") or 0) for r in rows) / n if n else None,
            "errors": sum(1 for r in rows if r.get("status") == "error"),
        }
    return table


def markdown(report: dict, tasks: list[str]) -> str:
    """The per-task table (exact % / weighted %, n per cell) and the calibration table, as Markdown."""
    head = "| style | " + " | ".join(tasks) + " |\n|---|" + "---|" * len(tasks) + "\n"
    rows = []
    for name, entry in report["styles"].items():
        cells = []
        for t in tasks:
            v = entry["tasks"].get(t, {})
            if not v or v["n"] == 0:
                cells.append("not rendered" if entry.get("not_rendered") else "–")
            else:
                cells.append(f"{v['exact']:.0f} / {v['weighted']:.0f} (n {v['n']})")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    out = head + "\n".join(rows) + "\n"
    cal = [(n, e["calibration"]) for n, e in report["styles"].items() if e.get("calibration")]
    if cal:
        out += (
            "\n| style | n | scale error mean / max | centre error mean / max | convention verified |\n"
            "|---|---|---|---|---|\n"
        )
        for name, c in cal:
            scale = f"{c['scale_error_pct_mean_abs']:.2f} % / {c['scale_error_pct_max_abs']:.2f} %"
            out += (
                f"| {name} | {c['n']} | {scale} "
                f"| {c['centre_error_px_mean']:.2f} px / {c['centre_error_px_max']:.2f} px "
                f"| {c['convention_verified']}/{c['n']} |\n"
            )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--bench-dir", type=Path, default=None)
    ap.add_argument("--per-task", type=int, default=3)
    ap.add_argument("--tasks", default=",".join(TASKS))
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--chimerax", action="store_true", help="also ChimeraX renders (this machine only)")
    ap.add_argument(
        "--access",
        choices=["structure", "images"],
        default="structure",
        help="what the built-in policy may use: the structure too, or the item's images only",
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--concurrency", type=int, default=2)
    args = ap.parse_args()
    tasks = args.tasks.split(",")
    src = open_benchmark(args.bench_dir).root
    items = pick_items(args.bench_dir, tasks, args.per_task)
    report: dict = {"access": args.access, "items": [i.id for i in items], "styles": {}}
    stem = "robustness" if args.access == "structure" else f"robustness.{args.access}"
    names = [s for s in args.styles.split(",") if s]
    if args.chimerax:
        names.append("chimerax")
    for name in names:
        start = time.perf_counter()
        bench = args.out / "bench" / name
        entry: dict = {}
        if name == "chimerax":
            entry["not_rendered"] = chimerax_benchmark(src, items, bench)
        else:
            styled_benchmark(src, items, STYLES[name], bench, args.workers)
        run_dir = args.out / "runs" / (name if args.access == "structure" else f"{name}.{args.access}")
        results = run_policy(bench, run_dir, args.concurrency, args.access)
        entry["tasks"] = summarise(results, tasks)
        cal = calibration_errors(bench)
        if cal:
            entry["calibration"] = {
                "n": len(cal),
                "scale_error_pct_mean_abs": sum(abs(c["scale_error_pct"]) for c in cal) / len(cal),
                "scale_error_pct_max_abs": max(abs(c["scale_error_pct"]) for c in cal),
                "centre_error_px_mean": sum(c["centre_error_px"] for c in cal) / len(cal),
                "centre_error_px_max": max(c["centre_error_px"] for c in cal),
                "convention_verified": sum(c["convention_verified"] for c in cal),
            }
        entry["seconds"] = round(time.perf_counter() - start, 1)
        report["styles"][name] = entry
        (args.out / f"{stem}.json").write_text(json.dumps(report, indent=1))
        (args.out / f"{stem}.md").write_text(markdown(report, tasks))
        cells = "  ".join(
            f"{t} {v['exact']:.0f}" if v["exact"] is not None else f"{t} -" for t, v in entry["tasks"].items()
        )
        print(f"{name:24s} {cells}  calib {entry.get('calibration', {})}", flush=True)
    print(markdown(report, tasks))


if __name__ == "__main__":
    main()
