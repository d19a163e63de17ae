"""Running figures of one mode of a run: items, score, exact matches, errors, tokens and cost."""

from __future__ import annotations

from eval.run.results import ResultLine


class Tally:
    """Running figures for one mode."""

    def __init__(self) -> None:
        self.n = self.exact = self.errors = self.unparseable = 0
        self.score = 0.0
        self.tokens = 0
        self.cost = 0.0

    def add(self, line: ResultLine) -> None:
        self.n += 1
        self.score += line.score
        self.exact += line.exact_match
        self.errors += line.status == "error"
        self.unparseable += line.status == "unparseable"
        self.tokens += line.usage.total
        self.cost += line.cost_usd or 0.0

    def fields(self) -> dict[str, str]:
        score = f"{100 * self.score / self.n:5.1f}" if self.n else "  –  "
        exact = f"{100 * self.exact / self.n:5.1f}" if self.n else "  –  "
        return {"score": score, "exact": exact, "errors": str(self.errors)}
