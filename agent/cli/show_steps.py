"""Printing an agent's steps to the terminal as they happen."""

from __future__ import annotations

import contextlib
import json

from rich.console import Console
from rich.panel import Panel

from eval.trace import Step, Trace


def _short(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + f" … ({len(text) - limit} more characters)"


def print_step(console: Console, step: Step) -> None:
    if step.kind == "model":
        head = f"[bold cyan]model[/] turn {step.turn} · {step.seconds:.2f} s"
        if step.usage.total:
            head += f" · {step.usage.prompt_tokens}+{step.usage.completion_tokens} tokens"
        if step.forced_final:
            head += " · [yellow]forced final answer[/]"
        console.print(head)
        if step.error:
            console.print(f"  [red]error:[/] {step.error}", soft_wrap=True)
        if step.reasoning:
            console.print(Panel(_short(step.reasoning), title="reasoning", border_style="dim"))
        if step.text:
            console.print(f"  {_short(step.text)}", markup=False, soft_wrap=True)
        for call in step.tool_calls:
            console.print(f"  → [bold]{call.name}[/]({_short(call.arguments, 300)})", soft_wrap=True)
    else:
        mark = "[green]ok[/]" if step.ok else "[red]error[/]"
        console.print(f"[bold magenta]tool[/] {step.name} {mark} · {step.seconds:.2f} s")
        result = step.result
        if step.ok:
            with contextlib.suppress(json.JSONDecodeError):
                result = json.dumps(json.loads(result), separators=(", ", ": "), ensure_ascii=False)
        console.print(f"  {_short(result, 400)}", markup=False, soft_wrap=True)
        for im in step.images:
            console.print(f"  image: {im.path}", soft_wrap=True, highlight=False)


def print_verdict(console: Console, trace: Trace) -> None:
    colour = {"correct": "green", "wrong": "red", "unparseable": "yellow", "error": "red"}[trace.status]
    lines = [
        f"final answer: {trace.final_text.splitlines()[-1] if trace.final_text else '—'}",
        f"parsed:       {trace.parsed if trace.parseable else 'UNPARSEABLE'} ({trace.parse_method})",
        f"gold:         {trace.gold}",
        f"score:        {trace.score:.3f}   exact match: {trace.exact_match}",
    ]
    if trace.error:
        lines.append(f"error:        {trace.error}")
    console.print(Panel("\n".join(lines), title=f"{trace.item_id} · {trace.status}", border_style=colour))
