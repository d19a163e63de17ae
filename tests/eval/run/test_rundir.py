"""The run directory's lock."""

from pathlib import Path

import pytest

from eval.run.rundir import RunDir, RunDirError


def test_the_run_lock_is_held_once_per_directory_object(tmp_path: Path) -> None:
    mine = RunDir(tmp_path / "run")
    mine.lock()
    mine.lock()  # already held by this object: a no-op, so a new run never unlocks to lock again
    with pytest.raises(RunDirError, match="another `agent run`"):
        RunDir(tmp_path / "run").lock()
    mine.unlock()
    theirs = RunDir(tmp_path / "run")
    theirs.lock()
    theirs.unlock()
