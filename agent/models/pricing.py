"""Token prices for cost accounting.

KNOWN_PRICES holds OpenAI's standard-tier list prices in USD per million tokens, as published on
https://platform.openai.com/docs/pricing (checked 2026-06). Prices change: pass `Prices(...)` explicitly to
override. Cached-input discounts are ignored, so costs are an upper bound; reasoning tokens are billed as
output and are already inside completion_tokens. A model missing from the table has no cost (None).
"""

from __future__ import annotations

from pydantic import BaseModel

from agent.models.base import Usage


class Prices(BaseModel):
    input_per_mtok: float
    output_per_mtok: float

    def cost(self, usage: Usage) -> float:
        return (
            usage.prompt_tokens * self.input_per_mtok + usage.completion_tokens * self.output_per_mtok
        ) / 1e6


PRICES_DATE = "2026-06"

KNOWN_PRICES: dict[str, Prices] = {
    "gpt-4o": Prices(input_per_mtok=2.50, output_per_mtok=10.00),
    "gpt-4o-mini": Prices(input_per_mtok=0.15, output_per_mtok=0.60),
    "gpt-4.1": Prices(input_per_mtok=2.00, output_per_mtok=8.00),
    "gpt-4.1-mini": Prices(input_per_mtok=0.40, output_per_mtok=1.60),
    "gpt-4.1-nano": Prices(input_per_mtok=0.10, output_per_mtok=0.40),
    "gpt-5": Prices(input_per_mtok=1.25, output_per_mtok=10.00),
    "gpt-5-mini": Prices(input_per_mtok=0.25, output_per_mtok=2.00),
    "gpt-5-nano": Prices(input_per_mtok=0.05, output_per_mtok=0.40),
    "o3": Prices(input_per_mtok=2.00, output_per_mtok=8.00),
    "o4-mini": Prices(input_per_mtok=1.10, output_per_mtok=4.40),
}


def price_for(model: str) -> Prices | None:
    """Exact names only: dated snapshots can be priced differently (gpt-4o-2024-05-13 was)."""
    return KNOWN_PRICES.get(model)
