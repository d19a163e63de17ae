"""Writing a local SciVideoBench-style set in the official release layout:

    DIR/scivideobench.jsonl          one row per question, the release's fields only
    DIR/videos/jove_{video_id}.mp4   one video per video_id
    DIR/generation.json              how every movie and gold answer was made (never shown to a model)
    DIR/videos/PROVENANCE-microscopy.md   source and licence of the real microscopy frames

The jsonl is written last, so a directory without it is an unfinished build. The bundled set is built
once into the cache under a key of the code and data it comes from, in a temporary directory renamed
into place, so a crash never leaves half a benchmark.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from eval.bundled import BUNDLED_COMPLEXES
from eval.misi.build.builder import discover
from eval.scivideo.local import microscopy
from eval.scivideo.local.movies import MovieJob, field_width, frame_specs, render_movies
from eval.scivideo.local.plan import DURATION, FPS, SIZE, Movie, plan_movies
from eval.scivideo.local.questions import MovieQuestions, Question
from tools.atomic import write_atomic
from tools.frames.video import probe
from tools.paths import cache_dir
from tools.render.scene import StructureRef
from tools.structure import StructureError, load_complex

JSONL = "scivideobench.jsonl"
GENERATION = "generation.json"
BUNDLED_SEED = 0
BUNDLED_MOVIES = 10  # each of the five motions twice


def video_path(root: Path, video_id: str) -> Path:
    return root / "videos" / f"jove_{video_id}.mp4"


def _write(path: Path, text: str) -> None:
    write_atomic(path, text)
    path.chmod(0o644)  # the temp file it came from is owner-only; these are ordinary shared outputs


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def build_local(
    out_dir: Path,
    complexes: Path = BUNDLED_COMPLEXES,
    seed: int = 0,
    n_movies: int = BUNDLED_MOVIES,
    ids: list[str] | None = None,
    movies: list[Movie] | None = None,
    fps: int = FPS,
    duration: float = DURATION,
    size: int = SIZE,
    workers: int | None = None,
    with_microscopy: bool = True,
) -> dict[str, Any]:
    """Render the movies, encode the microscopy clip, write the questions; returns a summary.

    `ids` limits the complexes (default: every folder in `complexes`); `movies` replaces the seeded
    plan (then n_movies, fps, duration and size are those of the given movies).
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    found = {pdb_id: (folder, ligand) for pdb_id, folder, ligand in discover(Path(complexes))}
    if ids is not None:
        found = {k: v for k, v in found.items() if k in ids}
    if movies is None:
        movies = plan_movies(sorted(found), seed, n_movies, fps, duration, size)
    missing = sorted({m.pdb_id for m in movies} - set(found))
    if missing:
        raise StructureError(f"{complexes}: no complex folder for {', '.join(missing)}")
    (out_dir / JSONL).unlink(missing_ok=True)  # a rebuild cut short must not look finished
    jobs, widths, skipped = [], {}, {}
    for movie in movies:
        folder, ligand = found[movie.pdb_id]
        try:
            cx = load_complex(folder, ligand=ligand)
        except StructureError as exc:
            skipped[movie.video_id] = str(exc)
            continue
        ref = StructureRef(pdb_id=movie.pdb_id, folder=str(folder.resolve()), ligand=ligand)
        widths[movie.video_id] = field_width(cx, movie)
        specs = frame_specs(movie, ref, widths[movie.video_id])
        jobs.append(MovieJob(movie, specs, video_path(out_dir, movie.video_id)))
    (out_dir / "videos").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".frames-", dir=out_dir) as frames:
        render_movies(jobs, Path(frames), workers or _default_workers())

    rows: list[dict[str, Any]] = []
    generation: dict[str, Any] = {"seed": seed, "videos": {}, "questions": {}, "skipped": skipped}

    def add(questions: list[Question], duration_s: float) -> None:
        for q in questions:
            rows.append(q.row(duration_s))
            generation["questions"][q.question_id] = {"answer": q.answer, **q.params}

    for job in jobs:
        m = job.movie
        info = probe(job.out)
        add(MovieQuestions(m, widths[m.video_id], seed).all(), info.duration)
        generation["videos"][m.video_id] = {
            **m.as_dict(),
            "field_width": widths[m.video_id],
            "ligand": job.specs[0].structure.ligand,
            "scene_of_frame_k": f"{m.verb} {m.axis} <{m.rate:g} * k / {m.fps}>",
            "render": job.specs[0].model_dump(mode="json", exclude={"structure", "scene"}),
        }
    if with_microscopy:
        out = microscopy.encode(video_path(out_dir, microscopy.VIDEO_ID))
        info = probe(out)
        add(microscopy.questions(seed, info.n_frames, info.width, info.duration), info.duration)
        generation["videos"][microscopy.VIDEO_ID] = {
            "source": "eval/data/videos/trackpy_bulk_water",
            "frames": [p.name for p in microscopy.frame_files()],
            "fps": microscopy.FPS,
            "attribution": microscopy.ATTRIBUTION,
        }
        shutil.copyfile(microscopy.PROVENANCE, out_dir / "videos" / "PROVENANCE-microscopy.md")
    _write(out_dir / GENERATION, json.dumps(generation, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    _write(out_dir / JSONL, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    by_type: dict[str, int] = {}
    for r in rows:
        by_type[r["question_type"]] = by_type.get(r["question_type"], 0) + 1
    return {
        "out": str(out_dir),
        "videos": len(jobs) + int(with_microscopy),
        "movies": len(jobs),
        "frames_rendered": sum(len(j.specs) for j in jobs),
        "questions": len(rows),
        "by_type": by_type,
        "skipped": skipped,
        "seconds": round(time.perf_counter() - started, 1),
    }


def bundled_key() -> str:
    """Changes whenever the code or the data the bundled set comes from changes."""
    here, top = Path(__file__).parent, Path(__file__).resolve().parents[3]
    roots = [
        here,
        BUNDLED_COMPLEXES,
        microscopy.FRAMES_DIR,
        top / "eval" / "misi" / "build" / "plan.py",
        top / "eval" / "misi" / "build" / "builder.py",
        top / "tools" / "camera.py",
        top / "tools" / "render",
        top / "tools" / "structure",
        top / "tools" / "frames" / "video.py",
    ]
    h = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            if f.suffix == ".pyc" or "__pycache__" in f.parts:
                continue
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def bundled_dir() -> Path:
    """The bundled local set in the cache, built on first use."""
    root = cache_dir() / "scivideo" / f"local-{bundled_key()}"
    if (root / JSONL).is_file():
        return root
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}-", dir=root.parent))
    tmp.chmod(0o755)  # mkdtemp makes it owner-only; the cache is ordinary shared output
    try:
        build_local(tmp, seed=BUNDLED_SEED, n_movies=BUNDLED_MOVIES)
        if root.exists() and not (root / JSONL).is_file():
            shutil.rmtree(root)  # left by hand or by an older layout: never a finished build
        try:
            tmp.rename(root)
        except OSError:
            if not (root / JSONL).is_file():  # not a concurrent build that finished first
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return root
