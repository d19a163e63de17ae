"""Run the real `agent` command line in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys


def run_agent(
    *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
