"""Rendering in worker processes. PyMOL keeps global state, so each worker owns one PyMOL instance,
reused across renders (reset before each one), and the caller's process never imports PyMOL.

Outputs are written atomically: a temp file in the output's folder, then os.replace, so an interrupted
run leaves either a complete PNG or none. Outputs that already exist are skipped.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from tools.render.jobs import RAY_THREADS, EngineUnavailable, Executor, RenderError, by_complex, failure
from tools.render.scene import RenderSpec, build_scene

__all__ = ["EngineUnavailable", "Executor", "RenderError", "render_one", "render_specs", "shutdown"]

_pymol: Any = None  # the worker's PyMOL instance
_shared: ProcessPoolExecutor | None = None  # render_one's long-lived single worker
_shared_lock = threading.Lock()


# A worker must not outlive the process that started it, however that process ends (SIGKILL runs no
# atexit): on Linux the kernel signals the worker when its parent dies, and a watchdog thread polling the
# parent pid covers other systems. The kernel's signal is tied to the parent *thread* that spawned the
# worker, which may be a short-lived thread of a live process, so the handler checks the parent is really
# gone before exiting.
_PARENT_GONE_SIGNAL = signal.SIGUSR1
_WATCH_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


def _parent_gone(parent: int) -> bool:
    return os.getppid() != parent


def _exit_if_orphaned(parent: int) -> None:
    if _parent_gone(parent):
        os._exit(1)  # nothing to clean up: outputs are written atomically


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(_WATCH_SECONDS)
        _exit_if_orphaned(parent)


def _die_with_parent(parent: int) -> None:
    if parent <= 1:  # already orphaned before we could look
        os._exit(1)
    signal.signal(_PARENT_GONE_SIGNAL, lambda *_: _exit_if_orphaned(parent))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(_PARENT_GONE_SIGNAL), 0, 0, 0)
    _exit_if_orphaned(parent)  # the parent may have died before prctl took effect
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watchdog", daemon=True).start()


def _init_worker(parent: int) -> None:
    global _pymol
    _die_with_parent(parent)
    import pymol2  # only ever imported in workers

    _pymol = pymol2.PyMOL()
    _pymol.start()
    # Ctrl-C is the caller's to handle: it cancels queued jobs while workers finish their current image.
    # Set after start(), which installs PyMOL's own handler.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _render_in_worker(spec: RenderSpec, out: Path, base: Path | None) -> Path:
    from tools.render.pymol_draw import draw

    # The temp name ends in .png (PyMOL would append it) and is unique per process.
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp.png")
    try:
        draw(_pymol.cmd, build_scene(spec, base), tmp, threads=RAY_THREADS)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _executor(workers: int) -> ProcessPoolExecutor:
    # spawn: a forked child would inherit the caller's threads and locks; PyMOL is never in the parent.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )


def render_specs(
    jobs: list[tuple[RenderSpec, Path]],
    base: Path | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    executor: Executor = "pool",
    address: str | None = None,
) -> None:
    """Render each spec to its PNG path with `workers` PyMOL processes; existing outputs are skipped.

    executor "pool" (default) uses local worker processes; "ray" runs the same drawing on Ray actors, on a
    local Ray instance or the cluster at `address` (tools.render.ray_engine). Raises RenderError for the
    first spec that fails (the remaining queued jobs are cancelled).
    """
    if executor == "ray":
        from tools.render.ray_engine import render_specs_ray  # Ray is optional: imported only when used

        return render_specs_ray(jobs, base=base, workers=workers, progress=progress, address=address)
    if executor != "pool":
        raise ValueError(f"unknown executor '{executor}' (valid: pool, ray)")
    total = len(jobs)
    todo: dict[Path, RenderSpec] = {}
    for spec, out in jobs:
        out = Path(out)
        if not out.exists():
            todo.setdefault(out, spec)  # one render per output path
    done = total - len(todo)
    if progress and done:
        progress(done, total)
    if not todo:
        return
    todo = by_complex(todo)
    for out in todo:
        out.parent.mkdir(parents=True, exist_ok=True)
    pool = _executor(max(1, min(workers, len(todo))))
    try:
        futures: dict[Future[Path], Path] = {
            pool.submit(_render_in_worker, spec, out, base): out for out, spec in todo.items()
        }
        for future in as_completed(futures):
            out = futures[future]
            try:
                future.result()
            except Exception as exc:
                raise failure(todo[out], out, exc) from exc
            done += 1
            if progress:
                progress(done, total)
    finally:
        # On failure or Ctrl-C, queued jobs are dropped; running ones finish and write complete files.
        pool.shutdown(wait=True, cancel_futures=True)


def render_one(spec: RenderSpec, out: Path, base: Path | None = None) -> Path:
    """Render one image (unless `out` exists) in a long-lived single worker process; returns `out`."""
    global _shared
    out = Path(out)
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with _shared_lock:
        if _shared is None:
            _shared = _executor(1)
        pool = _shared
    try:
        # Absolute paths: the long-lived worker keeps the working directory it started with.
        pool.submit(_render_in_worker, spec, out.absolute(), _absolute(base)).result()
        return out
    except Exception as exc:
        if isinstance(exc, BrokenProcessPool):
            shutdown()  # a crashed worker cannot be reused; the next call starts a new one
        raise failure(spec, out, exc) from exc


def shutdown() -> None:
    """Stop render_one's worker process (a later render_one starts a fresh one)."""
    global _shared
    with _shared_lock:
        pool, _shared = _shared, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _absolute(base: Path | None) -> Path | None:
    return None if base is None else Path(base).absolute()


atexit.register(shutdown)
