"""The Python run API: a prepared run is locked from its manifest to its last result."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.api import ModelConfig, RunConfig, prepare
from eval.registry import register
from eval.run.rundir import RunDir, RunDirError
from tests.agent.models.fake_openai_server import replies
from tests.eval.test_toy_benchmark import Sums


def test_a_prepared_run_holds_its_directory_until_it_has_run(tmp_path: Path, fake_openai) -> None:
    register("sums", lambda data: Sums(data or tmp_path))
    server = fake_openai(default=replies.text("Final answer: A"))
    config = RunConfig(
        bench="sums", modes=["direct"], concurrency=1, run_dir=tmp_path / "run",
        model=ModelConfig(name="fake-model", base_url=server.url, max_retries=0),
    )  # fmt: skip
    session = prepare(config)
    assert (tmp_path / "run" / "manifest.json").is_file()
    with pytest.raises(RunDirError, match="another `agent run`"):
        RunDir(tmp_path / "run").lock()  # no gap between writing the manifest and running
    assert session.run().exit_code == 0
    other = RunDir(tmp_path / "run")
    other.lock()  # free once the session is over
    other.unlock()
