"""Rate, ETA and when to report, for a batch run's progress: pure arithmetic on completion times.

The rate counts completions of this session only (items already done when a run resumes are not
evidence of speed) over the last `window` seconds, and is None until `min_done` items have finished: a
run that has finished one item in its first second is not going at one item per second.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class RateWindow:
    def __init__(
        self, *, window: float = 60.0, min_done: int = 2, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window, self.min_done, self.clock = window, min_done, clock
        self.started = clock()
        self.done = 0  # completions in this session
        self._times: deque[float] = deque()

    def add(self, n: int = 1) -> None:
        now = self.clock()
        self.done += n
        self._times.extend([now] * n)

    def rate(self) -> float | None:
        """Items per second over the last `window` seconds (or since the start, if shorter)."""
        if self.done < self.min_done:
            return None
        now = self.clock()
        while self._times and self._times[0] < now - self.window:
            self._times.popleft()
        span = min(self.window, now - self.started)
        return len(self._times) / span if span > 0 else None

    def eta(self, remaining: int) -> float | None:
        """Seconds until `remaining` more items finish at the current rate (0 when none remain)."""
        if remaining <= 0:
            return 0.0
        rate = self.rate()
        return None if not rate else remaining / rate


class Ticker:
    """When a plain (non-terminal) progress line is due: every `every` seconds or `step` of the total."""

    def __init__(
        self,
        total: int,
        *,
        every: float = 10.0,
        step: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total, self.every, self.clock = total, every, clock
        self.chunk = max(1, round(total * step))
        self._last_time = clock()
        self._last_done = 0

    def due(self, done: int) -> bool:
        now = self.clock()
        if done >= self.total or done - self._last_done >= self.chunk or now - self._last_time >= self.every:
            self._last_time, self._last_done = now, done
            return True
        return False


def clock_text(seconds: float | None) -> str:
    if seconds is None:
        return "–:––:––"
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
