"""How an item opens a conversation: its prompt plus the mode's additions, and its images.

Shared by benchmarks whose items are a prompt and a list of stored images (MiSI-Bench); a video
benchmark builds its own opening from sampled frames (eval/scivideo/opening.py) with the same pieces.
"""

from __future__ import annotations

from pathlib import Path

from eval.benchmark import Opening
from eval.items import ItemView
from eval.settings import SolveSettings
from eval.trace import image_ref
from prompts import load_prompt


class PromptLog:
    """Renders prompt templates and remembers which ones (id → SHA-256) a conversation used."""

    def __init__(self) -> None:
        self.used: dict[str, str] = {}

    def take(self, template_id: str, **values: object) -> str:
        template = load_prompt(template_id)
        self.used[template.id] = template.sha256
        return template.render(**values).strip()


def image_opening(item: ItemView, bench_root: Path, settings: SolveSettings) -> Opening:
    prompts = PromptLog()
    system = None
    user = item.prompt
    if settings.mode == "cot":
        user = f"{user}\n\n{prompts.take('modes/cot')}"
    elif settings.mode == "tools":
        access_note = prompts.take(f"modes/access_{settings.access}")
        system = prompts.take("modes/tools_system", access_note=access_note)
    images = [
        image_ref(bench_root / im.path, "item", f"Image {i}") for i, im in enumerate(item.images, start=1)
    ]
    return Opening(system, user, images, prompts.used)


def forced_final_text() -> tuple[str, str, str]:
    """The last turn's instruction to answer without tools: (text, template id, template hash)."""
    template = load_prompt("modes/forced_final")
    return template.render().strip(), template.id, template.sha256
