"""The official MiSI-Bench release as a user downloads it (per-task zip and tar.gz archives), read without
extracting and without running any pickle's code, and converted to this project's items.

`inspect_release(folder)` reports what the archives hold so a user can confirm or correct the mapping;
`import_release(folder, out)` writes a benchmark directory. See mapping.py for the mapping file.
"""

from eval.misi.release.errors import ReleaseError
from eval.misi.release.importer import import_release
from eval.misi.release.mapping import ReleaseMapping, load_mapping

__all__ = ["ReleaseError", "ReleaseMapping", "import_release", "load_mapping"]
