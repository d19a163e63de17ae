"""Which movies to make: one complex, one steady motion (a roll about a screen axis or a move along x or
y at a constant rate), a frame rate, a length and a size. Planning depends only on the seed and the
complex ids, never on build order."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from eval.misi.build.plan import item_rng
from tools.camera import Axis, Command

MOTIONS: tuple[tuple[Literal["move", "roll"], Axis], ...] = (
    ("roll", "x"),
    ("roll", "y"),
    ("roll", "z"),
    ("move", "x"),
    ("move", "y"),
)
ROLL_RATES = (15.0, 30.0, 45.0)  # degrees per second: ≤ 135° over the 3 s a quantitative question spans
MOVE_RATES = (0.5, 1.0, 1.5)  # Å per second
FPS = 8
DURATION = 5.0  # seconds; questions cite whole seconds up to 00:04, all inside the video
SIZE = 256  # pixels, square


@dataclass(frozen=True)
class Movie:
    video_id: str
    pdb_id: str
    verb: Literal["move", "roll"]
    axis: Axis
    rate: float  # signed, per second: degrees (a multiple of 15) or Å (a multiple of 0.5), the option bins
    fps: int = FPS
    duration: float = DURATION
    size: int = SIZE

    @property
    def n_frames(self) -> int:
        return round(self.fps * self.duration)

    @property
    def unit(self) -> str:
        return "deg/s" if self.verb == "roll" else "angstrom/s"

    def frame_time(self, k: int) -> float:
        """Frame k is on screen from k / fps: a whole-second timestamp shows the motion at that second."""
        return k / self.fps

    def command_at(self, seconds: float) -> Command:
        """The scene's motion from the first frame to time `seconds` (one command: the motion is steady)."""
        return Command(self.verb, self.axis, self.rate * seconds)

    def as_dict(self) -> dict:
        return {**asdict(self), "n_frames": self.n_frames, "unit": self.unit}


def plan_movies(
    pdb_ids: list[str],
    seed: int,
    count: int,
    fps: int = FPS,
    duration: float = DURATION,
    size: int = SIZE,
) -> list[Movie]:
    """`count` movies on distinct complexes (while they last), the five motions in turn in a seeded order."""
    if not pdb_ids:
        raise ValueError("no complexes to make movies of")
    ids = sorted(pdb_ids)
    rng = item_rng(seed, "scivideo-local", "plan", *ids)
    order = [ids[int(i)] for i in rng.permutation(len(ids))]
    kinds = [MOTIONS[int(i)] for i in rng.permutation(len(MOTIONS))]
    movies = []
    for k in range(count):
        pdb_id = order[k % len(order)]
        verb, axis = kinds[k % len(kinds)]
        r = item_rng(seed, "scivideo-local", "rate", pdb_id, k)
        magnitude = float(r.choice(ROLL_RATES if verb == "roll" else MOVE_RATES))
        sign = 1.0 if r.integers(2) else -1.0
        video_id = f"local-{pdb_id}-{k + 1:02d}"  # names no motion: the id is visible to the model
        movies.append(Movie(video_id, pdb_id, verb, axis, sign * magnitude, fps, duration, size))
    return movies
