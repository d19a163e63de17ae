"""Prompt templates live in files under this package; this loader fills them and records their hash.

A template is Markdown/plain text with `$name` / `${name}` placeholders (string.Template) and optional
`@include path` lines that pull in a shared block. A template's id is its path without suffix
(e.g. "misi/T1"); its hash is the SHA-256 of the fully expanded template text, before any value is filled
in, so a trace records exactly which wording produced a prompt.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

_SUFFIXES = (".md", ".txt")


class PromptError(KeyError):
    """An unknown template id, or a placeholder left without a value."""


@dataclass(frozen=True)
class PromptTemplate:
    id: str
    text: str
    sha256: str

    def render(self, **values: object) -> str:
        try:
            return Template(self.text).substitute({k: str(v) for k, v in values.items()})
        except KeyError as exc:
            raise PromptError(f"prompt '{self.id}' needs a value for {exc}") from None


def _read(template_id: str) -> str:
    root = resources.files(__package__)
    for suffix in _SUFFIXES:
        node = root.joinpath(*f"{template_id}{suffix}".split("/"))
        if node.is_file():
            return node.read_text(encoding="utf-8")
    raise PromptError(f"no prompt template '{template_id}' under prompts/")


def _expand(text: str, seen: tuple[str, ...]) -> str:
    out = []
    for line in text.splitlines(keepends=True):
        if line.startswith("@include "):
            inc = line.split(None, 1)[1].strip()
            if inc in seen:
                raise PromptError(f"prompt include cycle: {' -> '.join((*seen, inc))}")
            out.append(_expand(_read(inc), (*seen, inc)))
        else:
            out.append(line)
    return "".join(out)


@cache
def load_prompt(template_id: str) -> PromptTemplate:
    text = _expand(_read(template_id), (template_id,)).strip() + "\n"
    return PromptTemplate(template_id, text, hashlib.sha256(text.encode()).hexdigest())


def render_prompt(template_id: str, **values: object) -> tuple[str, PromptTemplate]:
    """The filled prompt and the template it came from."""
    template = load_prompt(template_id)
    return template.render(**values).strip(), template
