"""SciVideoBench: the official release as items, its two protocols, and scoring.

`open_scivideo(data_dir)` opens a release laid out as the official one (a jsonl and jove_*.mp4 videos);
without a directory it opens the bundled local video items.
"""

from eval.scivideo.bench import SciVideoBenchmark, open_scivideo
from eval.scivideo.release import MissingVideoError, ReleaseError

__all__ = ["MissingVideoError", "ReleaseError", "SciVideoBenchmark", "open_scivideo"]
