"""`builtin:random`: a seeded chance baseline that answers every format at random, offline.

Its answers depend only on the seed and the item id. Bond formats: T4 is a coin flip between "No" and
one made-up bond; T9 names one made-up bond — both near zero by construction, as chance should be.
"""

from __future__ import annotations

import hashlib
import time

import numpy as np

from agent.models.base import ModelRequest, ModelResponse, Usage


class RandomModel:
    name = "builtin:random"
    base_url: str | None = None

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def answer(self, item) -> str:  # item: ItemView
        digest = hashlib.sha256(f"{self.seed}:{item.id}".encode()).digest()
        rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
        fmt = item.answer_format
        if fmt == "choice":
            letters = sorted(item.options) if item.options else list("ABCD")
            return str(rng.choice(letters))
        if fmt == "translation":
            return f"move {rng.choice(['x', 'y'])} {rng.choice([v for v in range(-4, 5) if v])}"
        if fmt == "rotation":
            return f"roll {rng.choice(list('xyz'))} {rng.choice([v for v in range(-90, 91, 15) if v])}"
        if fmt == "zoom":
            return f"move z {rng.integers(40, 61)}"
        if fmt == "docking":
            roll = rng.choice([v for v in range(-90, 91, 15) if v])
            return (
                f"roll {rng.choice(list('xyz'))} {roll}, move x {rng.choice([-1, 1]) * rng.integers(5, 30)}"
            )
        if fmt == "residue_bonds":
            return "No" if rng.random() < 0.5 else "Yes: ARG NE, O1"
        return "ARG 1 NE A, O1"

    async def complete(self, request: ModelRequest) -> ModelResponse:
        started = time.perf_counter()
        answer = self.answer(request.metadata["item"])
        return ModelResponse(
            text=f"Final answer: {answer}",
            reasoning=None,
            tool_calls=[],
            usage=Usage(),
            finish_reason="stop",
            tool_path="none",
            latency_s=time.perf_counter() - started,
            cost_usd=None,
            model=self.name,
        )
