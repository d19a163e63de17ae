"""Finding the Ray processes a test's own local instance started (the session folder ends in our pid)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path


def own_ray_processes() -> list[str]:
    """Command lines of live processes belonging to a Ray session this process started."""
    session = re.compile(rf"/ray/session_[0-9_-]+_{os.getpid()}(/|\s|$)")
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z" and session.search(cmd):
            found.append(cmd[:200])
    return found


def wait_for_no_ray_processes(timeout: float = 20.0) -> list[str]:
    """Ray stops its processes asynchronously: wait until none is left (returns what is left)."""
    deadline = time.monotonic() + timeout
    left = own_ray_processes()
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = own_ray_processes()
    return left
