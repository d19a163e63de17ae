"""A SIGKILLed `agent run` leaves no PyMOL render worker (nor any other child process) behind."""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path


def _tagged(tag: str) -> list[int]:
    """Processes carrying `tag` in their environment: the run and everything it started."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if tag.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:  # gone, or not ours
            continue
    return found


def _workers(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                out.append(pid)
        except OSError:
            continue
    return out


def test_sigkill_with_render_workers_alive_leaves_no_process(small_bench, tmp_path) -> None:
    tag = f"MOLSPATIAL_KILL_TEST={uuid.uuid4().hex}"
    name, value = tag.split("=")
    # A copy without its images: the run renders each item's images in PyMOL worker processes as it
    # reaches the item, so workers are alive mid-run whatever earlier tests rendered.
    bench = tmp_path / "bench"
    shutil.copytree(small_bench, bench, ignore=shutil.ignore_patterns("*.png"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent", "run", "--data", str(bench), "--mode", "tools",
         "--model", "builtin:tool-policy", "--concurrency", "3", "--run-dir", str(tmp_path / "run")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, name: value},
    )  # fmt: skip
    try:
        deadline = time.time() + 240
        while time.time() < deadline and not _workers(_tagged(tag)):
            assert proc.poll() is None, "the run ended before any render worker started"
            time.sleep(0.1)
        assert _workers(_tagged(tag)), "no render worker started"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and _tagged(tag):
        time.sleep(0.2)
    left = _tagged(tag)
    for pid in left:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []
