"""What an item points at, as light data: its structure, the camera its images were drawn with, its video.

These are plain pydantic records (no science library is imported here) so that the tool protocol, the
item schema and the command line can name them without loading RDKit, Biopython or PyMOL.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from tools.structure.model import Complex


class StructureRef(BaseModel):
    """Where a complex lives. `folder` is relative to a base directory (a benchmark dir) or absolute."""

    pdb_id: str
    folder: str
    files: list[str] = Field(default_factory=list)
    ligand: str | None = None  # RESN:CHAIN:NUM for whole-complex files
    pocket_cutoff: float = 6.0

    def load(self, base: Path | None = None) -> Complex:
        from tools.structure.load import load_complex_cached

        folder = Path(self.folder) if base is None else Path(base) / self.folder
        return load_complex_cached(str(folder.resolve()), self.ligand, self.pocket_cutoff)


class CameraInfo(BaseModel):
    """The rendering camera, as documented in tools/camera.py (not part of any answer)."""

    field_width: float  # Å across the image at depth 0
    camera_distance: float  # Å from the camera to the look-at point
    image_size: int  # pixels (square)

    @property
    def pixels_per_angstrom(self) -> float:
        return self.image_size / self.field_width


class VideoRef(BaseModel):
    """A video an item asks about (SciVideoBench). `path` is relative to the data dir or absolute."""

    path: str
    duration: float | None = None
    fps: float | None = None
