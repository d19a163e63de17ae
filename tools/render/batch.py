"""Many small renders at once (hypothesis testing) on a long-lived pool of PyMOL worker processes.

`render_specs` starts a pool per call, which suits a benchmark build; a tool that renders dozens of
candidate poses per call would pay the start-up each time, so this keeps its workers between calls.
"""

from __future__ import annotations

import atexit
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tools.render.pool import _executor, _render_in_worker
from tools.render.scene import RenderSpec

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def render_batch(jobs: list[tuple[RenderSpec, Path]], base: Path | None = None) -> list[Path]:
    """Render every (spec, path) not on disk yet; returns the paths in order."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = _executor(_workers())
        pool = _pool
    base_abs = None if base is None else Path(base).absolute()
    for _, out in jobs:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    futures = [
        pool.submit(_render_in_worker, spec, Path(out).absolute(), base_abs)
        for spec, out in jobs
        if not Path(out).exists()
    ]
    try:
        for f in futures:
            f.result()
    except BrokenProcessPool:
        shutdown_batch()  # a crashed worker cannot be reused; the next call starts a fresh pool
        raise
    return [Path(out) for _, out in jobs]


@atexit.register
def shutdown_batch() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
