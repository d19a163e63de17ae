"""Where the project keeps its caches: $MOLSPATIAL_CACHE, or ~/.cache/molspatial-agent."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    root = os.environ.get("MOLSPATIAL_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "molspatial-agent"
