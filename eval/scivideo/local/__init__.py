"""Local SciVideoBench-style items: short PyMOL movies of the bundled complexes moving steadily, and the
shipped microscopy frames as a clip, with ten-option questions of the three official types, written in
the official release layout so the SciVideoBench loader reads them unchanged."""

from eval.scivideo.local.builder import BUNDLED_SEED, JSONL, build_local, bundled_dir, bundled_key
from eval.scivideo.local.plan import Movie, plan_movies

__all__ = ["BUNDLED_SEED", "JSONL", "Movie", "build_local", "bundled_dir", "bundled_key", "plan_movies"]
