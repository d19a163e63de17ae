"""The conversation sent to the model: OpenAI Chat Completions messages, and their trace records.

Item images go into the first user message in the item's order; images that tools return go into the
next user message (tool messages are text-only, and vLLM rejects images in them). A per-request cap
drops the oldest tool images first, replacing each with a text placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.models.base import ModelResponse
from eval.trace import ImageRef, MessageRecord
from tools.images.encoding import encoded


@dataclass
class Conversation:
    messages: list[dict] = field(default_factory=list)
    records: list[MessageRecord] = field(default_factory=list)

    def add_system(self, text: str) -> None:
        self.messages.append({"role": "system", "content": text})
        self.records.append(MessageRecord(role="system", text=text))

    def add_user(self, text: str, images: list[ImageRef] | None = None) -> None:
        images = images or []
        if not images:
            self.messages.append({"role": "user", "content": text})
        else:
            parts: list[dict] = [{"type": "text", "text": text}]
            for ref in images:
                parts.append({"type": "text", "text": f"{ref.label}:"})
                parts.append({"type": "image_url", "image_url": {"url": encoded(ref.path)[0]}, "_ref": ref})
            self.messages.append({"role": "user", "content": parts})
        self.records.append(MessageRecord(role="user", text=text, images=images))

    def add_assistant(self, response: ModelResponse) -> None:
        self.messages.append(response.assistant_message())
        self.records.append(
            MessageRecord(
                role="assistant",
                text=response.text,
                tool_calls=response.tool_calls,
                reasoning=response.reasoning,
            )
        )

    def add_tool(self, call_id: str, text: str) -> None:
        self.messages.append({"role": "tool", "tool_call_id": call_id, "content": text})
        self.records.append(MessageRecord(role="tool", text=text, tool_call_id=call_id))

    def request(self, max_images: int) -> tuple[list[dict], int, list[str]]:
        """Messages to send now (image parts capped), the number of images sent, and the dropped paths."""
        slots = [
            (mi, pi, part["_ref"])
            for mi, msg in enumerate(self.messages)
            if isinstance(msg.get("content"), list)
            for pi, part in enumerate(msg["content"])
            if part.get("type") == "image_url"
        ]
        excess = max(0, len(slots) - max_images)
        # oldest tool images first; item images only if tool images alone cannot make room
        order = [s for s in slots if s[2].source != "item"] + [s for s in slots if s[2].source == "item"]
        drop = {(mi, pi) for mi, pi, _ in order[:excess]}
        dropped = [ref.path for mi, pi, ref in order[:excess]]
        out = []
        for mi, msg in enumerate(self.messages):
            content = msg.get("content")
            if not isinstance(content, list):
                out.append(msg)
                continue
            parts = []
            for pi, part in enumerate(content):
                if (mi, pi) in drop:
                    parts.append(
                        {"type": "text", "text": f"[image dropped to stay within {max_images} images]"}
                    )
                elif part.get("type") == "image_url":
                    parts.append({"type": "image_url", "image_url": part["image_url"]})
                else:
                    parts.append(part)
            out.append({**msg, "content": parts})
        return out, len(slots) - len(drop), dropped
