"""Small builders shared by tests."""

from __future__ import annotations

from typing import Any

from eval.items import ItemView


def item_view(**fields: Any) -> ItemView:
    """An ItemView with placeholder text fields; pass only what a test cares about."""
    defaults: dict[str, Any] = {
        "id": "t-1",
        "benchmark": "misi",
        "task": "T1",
        "task_name": "test item",
        "prompt": "?",
        "prompt_template": "?",
        "prompt_hash": "0",
        "answer_format": "translation",
    }
    return ItemView(**{**defaults, **fields})
