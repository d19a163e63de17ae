"""What an item's multiple-choice options say, read the same way by every plan."""

from __future__ import annotations

import re

from eval.items import ItemView

_MOVE = {axis: re.compile(rf"move {axis} (-?\d+(?:\.\d+)?)") for axis in "xy"}


def option_moves(item: ItemView) -> dict[str, tuple[float, float]]:
    """Each option's in-plane translation (x, y) in Å; an axis an option does not move is 0."""
    out = {}
    for letter, text in (item.options or {}).items():
        mx, my = _MOVE["x"].search(text), _MOVE["y"].search(text)
        out[letter] = (float(mx.group(1)) if mx else 0.0, float(my.group(1)) if my else 0.0)
    return out
