"""Render throughput at benchmark scale: process pool against Ray, 1 and 2 workers, and the paper's build.

The images are the bundled benchmark's own image specs (every task, content and view in its real
proportions), whole complexes at a time as a build renders them, into fresh folders. For each repeat the
configurations run back to back in turn (pool 1, Ray 1, pool 2, Ray 2), so a change in the machine's load
hits all of them alike;
the figures are medians over repeats, and Ray/pool is the median of the per-repeat ratios.

- images per CPU second (= images/s/core on an otherwise idle core): images finished between the first
  and the last finish, over the CPU time this process and all its descendants (workers, Ray's raylet
  and GCS) used meanwhile. It does not change when other processes load the machine; wall rates do.
- steady images/s: (images − 1) / (last finish − first finish), i.e. without starting the workers;
  wall images/s includes starting the workers (and, for Ray, the local instance).
- peak RSS per worker: the largest VmHWM of the render worker processes (PyMOL included), sampled from
  /proc while they run.
- paper scale: 538,015 train + 49,960 test images at the measured per-core rate on N cores.
- --profile: where one image's CPU time goes, in one process (scene, reset, load, ray tracing, PNG).

    python -m eval.perf.build_scale [--images 48] [--size 512] [--repeats 3] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from eval.bundled import BUNDLED_COMPLEXES
from eval.misi.build.builder import BuildConfig, build
from tools.render import RenderSpec, render_specs

PAPER_IMAGES = {"train": 538_015, "test": 49_960}
CORES = (1, 2, 8, 32, 128, 512)
CONFIGS = (("pool", 1), ("ray", 1), ("pool", 2), ("ray", 2))


def sample_specs(n: int, size: int, seed: int = 0) -> tuple[Path, list[RenderSpec]]:
    """Plan the bundled benchmark (no rendering) and take `n` of its image specs at `size` px, whole
    complexes at a time (in a seeded order), as a build renders them: each complex is loaded once per
    worker and its cost spread over its images, as in a real build (~57 images per bundled complex, ~150
    per complex at the paper's scale). Specs drawn one by one from all complexes would pay a complex load
    for nearly every image."""
    bench = Path(tempfile.mkdtemp(prefix="build-scale-plan-"))
    build(BuildConfig(BUNDLED_COMPLEXES, bench, per_task=2, seed=0, image_size=size, render=False))
    by_complex: dict[str, dict[str, RenderSpec]] = {}
    for path in sorted((bench / "items").glob("*.json")):
        for raw in json.loads(path.read_text())["generation"]["images"]:
            spec = RenderSpec.model_validate(raw)
            by_complex.setdefault(spec.structure.pdb_id, {})[spec.digest()] = spec
    order = sorted(by_complex)
    random.Random(seed).shuffle(order)
    specs: list[RenderSpec] = []
    for pdb_id in order:
        specs += [by_complex[pdb_id][k] for k in sorted(by_complex[pdb_id])]
    return bench, specs[:n]


class Workers:
    """This process's render workers and helpers, from /proc: every descendant process (pool workers are
    spawned multiprocessing children; Ray's raylet, GCS and actors descend from the driver too).

    `peak` is the largest VmHWM (peak RSS) per render worker, sampled while they run; `cpu_seconds()` is
    the CPU time of this process plus all its live descendants, so a rate per CPU second does not change
    when other processes share the cores.
    """

    def __init__(self) -> None:
        self.peak: dict[int, int] = {}
        self.known: set[int] = set()
        self.sampler_cpu = 0.0  # this thread's own CPU: walking /proc is not the workers' cost
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> Workers:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for pid, cmd, status in self._descendants():
                self.known.add(pid)
                if "multiprocessing.spawn" in cmd or "PymolActor" in cmd:
                    hwm = int(status.get("VmHWM", "0 kB").split()[0])
                    self.peak[pid] = max(self.peak.get(pid, 0), hwm)
            self.sampler_cpu = time.thread_time()

    def _descendants(self) -> list[tuple[int, str, dict[str, str]]]:
        procs: dict[int, tuple[int, str, dict[str, str]]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = dict(
                    ln.split(":", 1) for ln in (entry / "status").read_text().splitlines() if ":" in ln
                )
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            procs[int(entry.name)] = (int(status.get("PPid", "0").strip()), cmd, status)
        me, found = os.getpid(), []
        for pid, (_, cmd, status) in procs.items():
            parent, depth = pid, 0
            while depth < 16 and parent > 1:
                parent, depth = procs.get(parent, (0,))[0], depth + 1
                if parent == me:
                    found.append((pid, cmd, status))
                    break
        return found

    def cpu_seconds(self) -> float:
        """This process (less the sampler thread) plus the descendants found so far, in CPU seconds."""
        total = time.process_time() - self.sampler_cpu
        for pid in sorted(self.known):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            total += (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime
        return total

    @property
    def max_mb(self) -> float:
        return max(self.peak.values(), default=0) / 1024


def measure(specs: list[RenderSpec], base: Path, executor: str, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="build-scale-") as tmp:
        jobs = [(spec, Path(tmp) / f"{i:04d}.png") for i, spec in enumerate(specs)]
        finished: list[tuple[float, float]] = []  # (wall clock, CPU seconds) at each finished image
        with Workers() as procs:

            def tick(done: int, total: int) -> None:
                finished.append((time.perf_counter(), procs.cpu_seconds()))

            start = time.perf_counter()
            render_specs(
                jobs, base=base, workers=workers, executor=executor, progress=tick  # type: ignore[arg-type]
            )
            wall = time.perf_counter() - start
    (t0, c0), (t1, c1) = finished[0], finished[-1]
    return {
        "wall": len(specs) / wall,
        "steady": (len(finished) - 1) / (t1 - t0),
        "per_cpu_s": (len(finished) - 1) / (c1 - c0),
        "rss_mb": procs.max_mb,
    }


def profile(specs: list[RenderSpec], base: Path) -> dict[str, float]:
    """CPU milliseconds per image for each stage of drawing, in this process (PyMOL imported here only):
    CPU time, unlike wall time, does not grow when other processes share the cores."""
    import pymol2
    from PIL import Image

    from tools.render.pymol_draw import PNG_COMPRESS_LEVEL, load_scene
    from tools.render.scene import build_scene

    pymol = pymol2.PyMOL()
    pymol.start()
    cmd = pymol.cmd
    stages: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            marks = [time.process_time()]
            scene = build_scene(spec, base)
            marks.append(time.process_time())
            cmd.reinitialize()
            cmd.set("max_threads", 1)
            marks.append(time.process_time())
            load_scene(cmd, scene)
            marks.append(time.process_time())
            cmd.ray(scene.size, scene.size, antialias=scene.antialias)
            marks.append(time.process_time())
            cmd.png(f"{tmp}/pymol.png", prior=1)  # PyMOL's own PNG writer (the previous output path)
            marks.append(time.process_time())
            cmd.png(f"{tmp}/raw.ppm", prior=1, format=1)
            with Image.open(f"{tmp}/raw.ppm") as image:
                image.save(f"{tmp}/out.png", "PNG", compress_level=PNG_COMPRESS_LEVEL)
            marks.append(time.process_time())
            names = ("scene", "reset", "load", "ray trace", "PyMOL png", "raw + Pillow png")
            for name, a, b in zip(names, marks, marks[1:]):
                stages[name] = stages.get(name, 0.0) + (b - a) * 1000 / len(specs)
    pymol.stop()
    return stages


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--images", type=int, default=48)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="Also break one image's time into stages.")
    args = parser.parse_args()
    base, specs = sample_specs(args.images, args.size)
    print(f"{len(specs)} images at {args.size} px, {args.repeats} repeats; load average {_load()}")
    if args.profile:
        stages = profile(specs[: min(24, len(specs))], base)
        print("stage ms/image: " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
    runs: dict[tuple[str, int], list[dict[str, float]]] = {c: [] for c in CONFIGS}
    for r in range(args.repeats):
        for executor, workers in CONFIGS:
            runs[(executor, workers)].append(measure(specs, base, executor, workers))
        print(f"repeat {r + 1} done; load average {_load()}", flush=True)
    med = {c: {k: statistics.median(m[k] for m in ms) for k in ms[0]} for c, ms in runs.items()}
    print(
        f"\n{'executor':>8} {'workers':>7} {'img/CPU-s':>9} {'Ray/pool':>8} {'steady img/s':>12} "
        f"{'wall img/s':>10} {'Ray/pool':>8} {'peak RSS/worker MB':>18}"
    )
    for executor, workers in CONFIGS:
        m = med[(executor, workers)]
        cpu_ratio = wall_ratio = ""
        if executor == "ray":
            pairs = list(zip(runs[("ray", workers)], runs[("pool", workers)]))
            cpu_ratio = f"{statistics.median(a['per_cpu_s'] / b['per_cpu_s'] for a, b in pairs):.3f}"
            wall_ratio = f"{statistics.median(a['steady'] / b['steady'] for a, b in pairs):.3f}"
        print(
            f"{executor:>8} {workers:>7} {m['per_cpu_s']:>9.2f} {cpu_ratio:>8} {m['steady']:>12.2f} "
            f"{m['wall']:>10.2f} {wall_ratio:>8} {m['rss_mb']:>18.0f}"
        )
    per_core = med[("pool", 2)]["per_cpu_s"]
    total = sum(PAPER_IMAGES.values())
    print(f"\npaper scale: {total:,} images at {per_core:.2f} images per CPU second (pool, 2 workers)")
    for n in CORES:
        hours = total / (per_core * n) / 3600
        print(f"  {n:>4} cores: {hours:8.2f} h")


if __name__ == "__main__":
    main()
