"""Progress arithmetic: no rate until enough items finished, a rate over recent completions, plain lines at
an interval."""

from eval.run.progress import RateWindow, Ticker, clock_text


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_no_rate_or_eta_until_enough_items_finished_in_this_session() -> None:
    clock = Clock()
    window = RateWindow(clock=clock)
    clock.now += 0.01
    window.add()  # one item done a moment after the start: not evidence of 100 items/s
    assert window.rate() is None and window.eta(7) is None
    assert clock_text(window.eta(7)) == "–:––:––"
    clock.now += 9.99
    window.add()
    assert window.rate() == 2 / 10.0 and window.eta(7) == 35.0


def test_the_rate_decays_while_nothing_finishes_and_forgets_old_completions() -> None:
    clock = Clock()
    window = RateWindow(window=60.0, clock=clock)
    for _ in range(6):
        clock.now += 1.0
        window.add()
    assert window.rate() == 1.0
    clock.now += 54.0  # a minute in: nothing finished for 54 s
    assert window.rate() == 6 / 60.0
    clock.now += 120.0  # everything finished long ago has left the window
    assert window.rate() == 0.0 and window.eta(3) is None
    assert window.eta(0) == 0.0


def test_plain_lines_come_every_step_of_the_total_or_every_interval() -> None:
    clock = Clock()
    ticker = Ticker(100, every=10.0, step=0.1, clock=clock)
    due = []
    for done in range(1, 101):
        clock.now += 0.1
        due.append(ticker.due(done))
    assert [d for d, on in zip(range(1, 101), due) if on] == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    slow = Ticker(1000, every=10.0, clock=clock)
    clock.now += 3.0
    assert not slow.due(1)
    clock.now += 8.0
    assert slow.due(2) and not slow.due(3)
