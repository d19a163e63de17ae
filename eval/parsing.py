"""Format-independent answer parsing: the parse result, markup stripping and the multiple-choice letter.

Parsers never guess. Each rule is a strict pattern; when several match, the LAST one in the text wins
(models reason first and answer last). An answer no rule matches is `ok=False, method="unparseable"`, so
a run can count it apart from a wrong answer.

Multiple-choice rules come in two tiers, and a tier-1 match anywhere beats any tier-2 match:
1. explicit answers: `<answer>B</answer>`, `\\boxed{B}`, "final answer: B", "the answer is (B)";
2. bare marks: `**B**`, `$B$`, a line that is just "B", "B." or "(B)", and a last line "B) text".
The tiers keep option labels that a model echoes after its answer ("**D**: rotates the…") from
overriding the answer it stated.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field


class ParsedAnswer(BaseModel):
    """One model answer, parsed. `value` is in the gold's exact string format when `ok`."""

    ok: bool
    value: str | None = None
    method: str  # the rule that matched; "unparseable" when none did
    detail: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def unparseable(cls, **detail: Any) -> ParsedAnswer:
        return cls(ok=False, value=None, method="unparseable", detail=detail)


_THINK_END = re.compile(r"</think>", re.IGNORECASE)
_FENCE = re.compile(r"^[^\S\n]*(?:```|~~~)[^\n]*$", re.MULTILINE)
_LATEX_TEXT = re.compile(r"\\(?:text|textbf|textit|mathrm|mathbf|texttt|operatorname)\s*\{([^{}]*)\}")
_LATEX_DELIMS = re.compile(r"\\[()\[\]]")
_ANSWER_TAG = re.compile(r"</?\s*answer\s*>", re.IGNORECASE)
_BOXED = re.compile(r"\\boxed\s*\{([^{}]*)\}")
_EMPHASIS = re.compile(r"\*+|__")
_LINE_PREFIX = re.compile(
    r"^[^\S\n]*(?:#{1,6}[^\S\n]+|>[^\S\n]*|[-*+•][^\S\n]+|\d{1,2}[.)][^\S\n]+)+", re.MULTILINE
)


def _normalise_dashes(text: str) -> str:
    # Models write U+2212 (and sometimes an en dash) as a minus sign in front of numbers.
    return re.sub(r"[\u2212\u2013\u2014](?=\s?\d)", "-", text.replace("\u2212", "-"))


def drop_reasoning(text: str) -> str:
    """The text after the last `</think>`, when there is any: reasoning models think before answering."""
    parts = _THINK_END.split(text)
    tail = parts[-1]
    return tail if tail.strip() or len(parts) == 1 else text


def strip_wrappers(text: str) -> str:
    """Drop code fences, backticks and LaTeX text wrappers; keep `**`, `$`, `\\boxed` (they mark answers)."""
    text = _normalise_dashes(drop_reasoning(text))
    text = _FENCE.sub("", text).replace("`", "")
    text = _LATEX_TEXT.sub(r"\1", _LATEX_TEXT.sub(r"\1", text))  # twice: \textbf{\text{B}}
    return _LATEX_DELIMS.sub(" ", text)


def strip_markup(text: str) -> str:
    """Plain text for matching: wrappers, emphasis, `$`, `\\boxed{}`, headings and list bullets gone."""
    text = strip_wrappers(text)
    text = _BOXED.sub(r"\1", text)
    text = _ANSWER_TAG.sub("\n", text)
    text = _EMPHASIS.sub("", text).replace("$", "")
    return _LINE_PREFIX.sub("", text)


# --- multiple choice -------------------------------------------------------------------------------

_DECOR = r"[\s*_$]*"  # emphasis and math marks that may surround a letter
_ANSWER_WORDS = (
    r"(?i:\b(?P<final>final\s+)?answer\b|\b(?:correct|best|right)\s+(?:option|choice)\b)"
    r"(?:[^\S\n]+(?i:is|would\s+be|should\s+be|must\s+be|will\s+be))?(?:[^\S\n]*[:=])?"
)
_CONNECTIVES = {"is", "because", "since", "as", "which", "for", "fits", "matches", "shows", "best"}


def _choice_rules(letters: str) -> list[tuple[int, str, re.Pattern[str]]]:
    x = f"(?P<letter>[{re.escape(letters)}])"
    edge = r"(?<![\w'’])"  # "Based" and "A's" are words, not letters
    end = r"(?![\w'’])"
    return [
        (1, "answer_tag", re.compile(rf"(?i:<answer>)\s*(?:\(\s*)?{x}\s*(?:\)\s*)?(?:\.\s*)?(?i:</answer>)")),
        (1, "boxed", re.compile(rf"\\boxed\s*\{{\s*(?:\(\s*)?{x}\s*(?:\)\s*)?\}}")),
        (
            1,
            "answer_phrase",
            re.compile(
                rf"{_ANSWER_WORDS}{_DECOR}(?:(?i:option|choice)\s+[*_$]*)?(?:[(\[]{_DECOR})?{edge}{x}{end}"
            ),
        ),
        (
            2,
            "bold",
            re.compile(
                rf"(?:\*\*|__)\s*(?:\(\s*)?{edge}{x}{end}\s*(?:[).]\s*)?(?:\*\*|__)(?![^\S\n]*[:)\-–])"
            ),
        ),
        (2, "latex_math", re.compile(rf"\$\s*(?:\(\s*)?{edge}{x}{end}\s*(?:\)\s*)?\$")),
        (
            2,
            "bare_line",
            re.compile(
                rf"^[^\S\n]*(?:[>#]+[^\S\n]*)?(?:(?i:option|choice)[^\S\n]+)?\(?{x}\)?[.:]?[^\S\n]*$",
                re.MULTILINE,
            ),
        ),
    ]


def _option_line(letters: str) -> re.Pattern[str]:
    return re.compile(
        rf"^[^\S\n]*(?:[*_>#]+[^\S\n]*)?\(?(?P<letter>[{re.escape(letters)}])[).:][*_]*[^\S\n]+\S.*$"
    )


def _article_like(text: str, m: re.Match[str]) -> bool:
    """'A good choice', 'I think': an unwrapped A or I before an ordinary word is English, not a letter."""
    i = m.start("letter")
    wrapped = i > 0 and text[i - 1] in "(*$_["
    if m.group("letter") not in "AI" or wrapped:
        return False
    nxt = re.match(r"[^\S\n]+([a-z]+)", text[i + 1 :])
    return nxt is not None and nxt.group(1) not in _CONNECTIVES


def parse_choice(text: str, letters: str = "ABCD") -> ParsedAnswer:
    """The option letter a model chose; letters outside `letters` never count."""
    letters = letters.upper()
    body = strip_wrappers(text)
    ambiguous = re.compile(rf"\s*(?:or|and|/)\s*\(?[{re.escape(letters)}]\b")  # "B or C" is no choice
    found: list[tuple[int, int, str, str, str]] = []  # (tier, end, method, letter, matched text)
    for tier, method, rule in _choice_rules(letters):
        for m in rule.finditer(body):
            if _article_like(body, m) or ambiguous.match(body, m.end()):
                continue
            method_name = "final_answer_phrase" if method == "answer_phrase" and m.group("final") else method
            found.append((tier, m.end(), method_name, m.group("letter"), m.group(0).strip()))

    lines = [ln for ln in body.splitlines() if ln.strip()]
    option_rule = _option_line(letters)
    labelled = {hit.group("letter") for ln in lines if (hit := option_rule.match(ln))}
    if lines and len(labelled) == 1 and (last := option_rule.match(lines[-1])):
        # A last line "C) move x 3, move y 5" answers; a list of several options does not.
        found.append(
            (2, body.rfind(lines[-1]) + len(lines[-1]), "option_line", last.group("letter"), lines[-1])
        )

    if not found:
        return ParsedAnswer.unparseable()
    best_tier = min(f[0] for f in found)
    _, _, method, letter, matched = max((f for f in found if f[0] == best_tier), key=lambda f: f[1])
    return ParsedAnswer(ok=True, value=letter, method=method, detail={"letter": letter, "match": matched})
