"""The data shipped with the project: real complexes, microscopy frames and README examples."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
BUNDLED_COMPLEXES = DATA_DIR / "complexes"
