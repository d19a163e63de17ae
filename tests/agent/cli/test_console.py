"""The command line's one output boundary: strings are never read as markup; slow steps say so."""

import io
import time

from rich.panel import Panel
from rich.table import Table

from agent.cli.console import make_console, say, slow, styled

OUTSIDE = "[/INST] [bold]x[/bold] Bearer [redacted] :smile: [/v1/chat/completions]"


def _console():
    console = make_console(width=200)
    console.file = io.StringIO()
    return console


def test_every_way_of_printing_shows_outside_text_verbatim() -> None:
    console = _console()
    console.print(OUTSIDE)
    say(console, ("error", "red"), " ", OUTSIDE)
    table = Table(title=OUTSIDE)
    table.add_column(OUTSIDE)
    table.add_row(OUTSIDE)
    console.print(table)
    console.print(Panel(styled(OUTSIDE), title=styled(OUTSIDE)))
    console.rule(OUTSIDE)
    out = console.file.getvalue()
    assert out.count(OUTSIDE) == 8, out  # print, say, title, header, cell, panel title and body, rule


def test_a_slow_step_is_announced_off_a_terminal_and_a_quick_one_is_not() -> None:
    console = _console()
    with slow(console, "planning", after=0.05):
        time.sleep(0.3)
    with slow(console, "quick", after=5.0):
        pass
    out = console.file.getvalue()
    assert "planning …" in out and "planning: done in" in out and "quick" not in out
