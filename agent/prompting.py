"""The first messages of an item: the benchmark's prompt plus the mode's additions, and the item's images."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from agent.conversation import image_ref
from agent.settings import SolveSettings
from agent.trace import ImageRef
from eval.items import ItemView
from prompts import load_prompt


@dataclass
class Opening:
    system: str | None
    user: str
    images: list[ImageRef]
    mode_prompts: dict[str, str] = field(default_factory=dict)  # template id → hash


def opening(item: ItemView, bench_root: Path, settings: SolveSettings) -> Opening:
    used: dict[str, str] = {}

    def take(template_id: str, **values: object) -> str:
        template = load_prompt(template_id)
        used[template.id] = template.sha256
        return template.render(**values).strip()

    system = None
    user = item.prompt
    if settings.mode == "cot":
        user = f"{user}\n\n{take('modes/cot')}"
    elif settings.mode == "tools":
        access_note = take(f"modes/access_{settings.access}")
        system = take("modes/tools_system", access_note=access_note)
    images = [
        image_ref(bench_root / im.path, "item", f"Image {i}") for i, im in enumerate(item.images, start=1)
    ]
    return Opening(system, user, images, used)


def forced_final_text() -> tuple[str, str, str]:
    template = load_prompt("modes/forced_final")
    return template.render().strip(), template.id, template.sha256
