"""A run directory on disk: its paths, its lock, its manifest and its result lines."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from eval.run.manifest import MANIFEST, RunManifest
from eval.run.results import RESULTS, BadLine, ResultLine, latest
from tools.atomic import write_atomic


class RunDirError(ValueError):
    """A run directory that is missing, busy, or not a run; the message names the directory."""


class RunDir:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock_fd: int | None = None

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    @property
    def results_path(self) -> Path:
        return self.root / RESULTS

    @property
    def workdir(self) -> Path:
        return self.root / "work"

    def trace_path(self, mode: str, item_id: str) -> Path:
        return self.root / "traces" / mode / f"{item_id}.json"

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def is_run(self) -> bool:
        return self.manifest_path.is_file()

    def read_manifest(self) -> RunManifest:
        if not self.is_run():
            raise RunDirError(f"{self.root}: not a run directory (no {MANIFEST})")
        try:
            return RunManifest.model_validate_json(self.manifest_path.read_bytes())
        except (OSError, ValueError) as exc:
            first = str(exc).splitlines()[0]
            raise RunDirError(f"{self.manifest_path}: not a valid run manifest ({first})") from None

    def manifest_or_none(self) -> RunManifest | None:
        """The manifest, or None when it is missing or unreadable (for readers that can do without it)."""
        try:
            return self.read_manifest()
        except RunDirError:
            return None

    def write_manifest(self, manifest: RunManifest) -> None:
        write_atomic(self.manifest_path, manifest.model_dump_json(indent=1) + "\n")

    def results(self, bad: list[BadLine] | None = None) -> dict[tuple[str, str], ResultLine]:
        return latest(self.results_path, bad)

    def lock(self) -> None:
        """One process per run directory; the OS drops the lock when the process dies, even by SIGKILL.
        Locking a directory this object already holds is a no-op, so a new run stays locked from writing its
        manifest to its last result."""
        if self._lock_fd is not None:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunDirError(f"{self.root}: another `agent run` is using this run directory") from None
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
