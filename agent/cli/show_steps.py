"""Printing an agent's steps to the terminal as they happen. Model text, tool results and errors come from
outside and are shown verbatim: styles are applied to our own labels only (see agent.cli.console)."""

from __future__ import annotations

import contextlib
import json

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from agent.cli.console import say, styled
from eval.trace import Step, Trace

COLOUR = {"correct": "green", "wrong": "red", "unparseable": "yellow", "error": "red"}


def _short(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + f" … ({len(text) - limit} more characters)"


def print_step(console: Console, step: Step) -> None:
    if step.kind == "model":
        head = styled(("model", "bold cyan"), f" turn {step.turn} · {step.seconds:.2f} s")
        if step.usage.total:
            head.append(f" · {step.usage.prompt_tokens}+{step.usage.completion_tokens} tokens")
        if step.forced_final:
            head.append(" · ").append("forced final answer", style="yellow")
        console.print(head)
        if step.error:
            say(console, "  ", ("error:", "red"), " ", step.error)
        if step.reasoning:
            console.print(Panel(Text(_short(step.reasoning)), title=Text("reasoning"), border_style="dim"))
        if step.text:
            say(console, "  ", _short(step.text))
        for call in step.tool_calls:
            say(console, "  → ", (call.name, "bold"), f"({_short(call.arguments, 300)})")
    else:
        mark = ("ok", "green") if step.ok else ("error", "red")
        console.print(styled(("tool", "bold magenta"), f" {step.name} ", mark, f" · {step.seconds:.2f} s"))
        result = step.result
        if step.ok:
            with contextlib.suppress(json.JSONDecodeError):
                result = json.dumps(json.loads(result), separators=(", ", ": "), ensure_ascii=False)
        say(console, "  ", _short(result, 400))
        for im in step.images:
            say(console, f"  image: {im.path}")


def print_verdict(console: Console, trace: Trace) -> None:
    lines = [
        f"final answer: {trace.final_text.splitlines()[-1] if trace.final_text else '—'}",
        f"parsed:       {trace.parsed if trace.parseable else 'UNPARSEABLE'} ({trace.parse_method})",
        f"gold:         {trace.gold}",
        f"score:        {trace.score:.3f}   exact match: {trace.exact_match}",
    ]
    if trace.error:
        lines.append(f"error:        {trace.error}")
    title = Text(f"{trace.item_id} · {trace.status}")
    console.print(Panel(Text("\n".join(lines)), title=title, border_style=COLOUR[trace.status]))
