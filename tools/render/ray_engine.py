"""Rendering on a Ray cluster: the same specs, the same PyMOL drawing, the same pixels as the process pool.

Each Ray actor owns one PyMOL instance tracing on one thread (as a pool worker does), so a spec gives
identical bytes on either engine. Nothing assumes a shared filesystem: the driver puts each complex's
files into Ray's object store once, an actor unpacks them into its own temporary folder on first use,
and returns the PNG bytes, which the driver writes atomically. Without an address a local Ray instance is
started with `workers` CPUs and stopped afterwards; with one, the driver connects to that cluster (whose
nodes need this package installed) and disconnects afterwards.

Ray is an optional dependency (`pip install "molspatial-agent[ray]"`), imported only here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.render.jobs import RAY_THREADS, EngineUnavailable, by_complex, failure
from tools.render.scene import RenderSpec

IN_FLIGHT_PER_ACTOR = 2  # one image rendering, one queued: an actor never waits for the driver
STRUCTURE_SUFFIXES = {".pdb", ".sdf", ".mol2", ".mol"}


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise EngineUnavailable(
            "the Ray executor needs Ray: pip install 'molspatial-agent[ray]' (or pip install ray)"
        ) from None
    return ray


class PymolActor:
    """One PyMOL instance in a Ray worker process; complexes are unpacked once into a private folder."""

    def __init__(self) -> None:
        import pymol2

        self._pymol = pymol2.PyMOL()
        self._pymol.start()
        self._root = Path(tempfile.mkdtemp(prefix="molspatial-ray-"))
        self._folders: dict[str, Path] = {}

    def render(self, spec_json: str, key: str, files: list[Any]) -> bytes:
        """Render one spec; `files` holds the object-store reference of its complex's files (wrapped in a
        list so Ray does not fetch them for every image, only on the first one)."""
        import ray

        from tools.render.pymol_draw import draw
        from tools.render.scene import build_scene

        spec = RenderSpec.model_validate_json(spec_json)
        folder = self._folders.get(key)
        if folder is None:
            folder = self._root / key / Path(spec.structure.folder).name
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in ray.get(files[0]).items():
                (folder / name).write_bytes(data)
            self._folders[key] = folder
        ref = spec.structure.model_copy(update={"folder": str(folder)})
        local = spec.model_copy(update={"structure": ref})
        out = self._root / f"{os.getpid()}.tmp.png"
        try:
            draw(self._pymol.cmd, build_scene(local), out, threads=RAY_THREADS)
            return out.read_bytes()
        finally:
            out.unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)


def _structure_folder(spec: RenderSpec, base: Path | None) -> Path:
    folder = Path(spec.structure.folder)
    return (folder if base is None or folder.is_absolute() else Path(base) / folder).resolve()


def _pack(folder: Path) -> dict[str, bytes]:
    return {
        f.name: f.read_bytes()
        for f in sorted(folder.iterdir())
        if f.is_file() and f.suffix.lower() in STRUCTURE_SUFFIXES
    }


def _write_atomic(out: Path, data: bytes) -> None:
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp.png")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def render_specs_ray(
    jobs: list[tuple[RenderSpec, Path]],
    base: Path | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    address: str | None = None,
) -> None:
    """`render_specs` on Ray: `workers` actors (one CPU each); existing outputs are skipped.

    Raises RenderError for the first spec that fails; Ray is shut down (or disconnected) in every case.
    """
    total = len(jobs)
    todo: dict[Path, RenderSpec] = {}
    for spec, out in jobs:
        if not Path(out).exists():
            todo.setdefault(Path(out), spec)
    done = total - len(todo)
    if progress and done:
        progress(done, total)
    if not todo:
        return
    ray = _import_ray()
    started = not ray.is_initialized()
    if started:
        _init(ray, address, workers)
    actors: list[Any] = []
    try:
        remote = ray.remote(num_cpus=1)(PymolActor)
        actors = [remote.remote() for _ in range(max(1, min(workers, len(todo))))]
        packed: dict[Path, tuple[str, Any]] = {}
        queue = []
        for out, spec in by_complex(todo).items():
            folder = _structure_folder(spec, base)
            if folder not in packed:
                if not folder.is_dir():
                    raise failure(spec, out, FileNotFoundError(f"{folder}: complex folder not found"))
                key = hashlib.sha256(str(folder).encode()).hexdigest()[:16]
                packed[folder] = (key, [ray.put(_pack(folder))])
            out.parent.mkdir(parents=True, exist_ok=True)
            queue.append((out, spec, *packed[folder]))
        queue.reverse()  # pop() from the end keeps the caller's order
        in_flight: dict[Any, tuple[Path, RenderSpec, Any]] = {}

        def submit(actor: Any) -> None:
            if queue:
                out, spec, key, files = queue.pop()
                in_flight[actor.render.remote(spec.model_dump_json(), key, files)] = (out, spec, actor)

        for actor in actors:
            for _ in range(IN_FLIGHT_PER_ACTOR):
                submit(actor)
        while in_flight:
            ready, _ = ray.wait(list(in_flight), num_returns=1)
            out, spec, actor = in_flight.pop(ready[0])
            try:
                data = ray.get(ready[0])
            except Exception as exc:
                # A task error wraps the worker's exception (and its whole traceback): name the cause.
                cause = getattr(exc, "cause", None)
                raise failure(spec, out, cause if isinstance(cause, BaseException) else exc) from exc
            _write_atomic(out, data)
            done += 1
            if progress:
                progress(done, total)
            submit(actor)
    finally:
        for actor in actors:
            with contextlib.suppress(Exception):  # a dead actor has nothing left to clean
                ray.get(actor.close.remote(), timeout=30)
            ray.kill(actor)
        if started:
            ray.shutdown()


def _init(ray: Any, address: str | None, workers: int) -> None:
    common = {"log_to_driver": False, "configure_logging": True, "logging_level": "warning"}
    try:
        if address:
            ray.init(address=address, **common)
        else:
            # "local": always a new instance of our own, never one someone else started on this machine.
            # Loopback only: it serves this process, and needs no route to find its address.
            ray.init(
                address="local",
                num_cpus=workers,
                include_dashboard=False,
                _node_ip_address="127.0.0.1",
                **common,
            )
    except Exception as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise EngineUnavailable(f"could not start or reach {where}: {type(exc).__name__}: {exc}") from None
