"""The one way the command line writes to the terminal: consoles that never read markup, and styled pieces.

Most of what is shown comes from outside: model replies, server errors, tool output, item prompts, file
names. rich would read `[/INST]` as a closing tag (and raise), `[redacted]` or `[bold]` as a style (and
swallow it), `:smile:` as an emoji. So every console here is made with markup, emoji and highlighting off,
and our own styling is applied to our own words only, as `Text` spans built by `styled`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

from rich.console import Console
from rich.text import Text

Part = str | Text | tuple[str, str]  # plain text, a Text, or (text, style)


def make_console(*, stderr: bool = False, width: int | None = None) -> Console:
    """A console that shows every string verbatim (made when a command runs, so COLUMNS is read then)."""
    return Console(stderr=stderr, width=width, markup=False, emoji=False, highlight=False)


def styled(*parts: Part) -> Text:
    """Text from pieces, e.g. styled(("error", "red"), " ", server_message): strings are never parsed."""
    return Text.assemble(*parts)


def say(console: Console, *parts: Part) -> None:
    """One logical line, never broken by the console (a terminal wraps it; a pipe gets it whole)."""
    console.print(styled(*parts), soft_wrap=True)


@contextlib.contextmanager
def slow(console: Console, what: str, *, after: float = 0.5) -> Iterator[None]:
    """Say what is happening when a step takes longer than `after` seconds (first-use planning, say):
    a spinner on a terminal, a line before and after in a pipe. A quick step prints nothing."""
    status = console.status(Text(f"{what} …"), spinner="dots") if console.is_terminal else None
    shown = threading.Event()
    start = time.monotonic()

    def show() -> None:
        shown.set()
        if status is not None:
            status.start()
        else:
            say(console, f"{what} …")

    timer = threading.Timer(after, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        if shown.is_set():
            if status is not None:
                status.stop()
            say(console, (f"{what}: done in {time.monotonic() - start:.1f} s", "dim"))
