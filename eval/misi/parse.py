"""Parse a model's MiSI-Bench answer into the gold's exact string format.

Every format follows the same contract as `eval.parsing`: strict patterns, the last match wins, and
nothing is guessed (`ok=False, method="unparseable"`). A command of the wrong verb or axis for the
task is still parsed, so that it scores 0 rather than counting as no answer; `detail["mismatch"]`
says what was expected.

Methods: "command" (T1–T3), "command_pair", "separate_commands", "roll_only", "move_only" (T7),
"yes_bonds", "bond_lines", "no", "yes_without_bonds" (T4), "bond_lines", "inline_bonds", "none" (T9),
and the `parse_choice` methods for letters.
"""

from __future__ import annotations

import re
from typing import Any

from eval.items import AnswerFormat
from eval.parsing import ParsedAnswer, parse_choice, strip_markup
from tools.camera import Command, Verb, as_axis

# verb, axis, number; tolerates "roll about the y axis by -15°", "move x +4.0", "move x 4Å".
_COMMAND = re.compile(
    r"(?<![\w-])(?P<verb>move|roll|rotate|translate)[^\S\n]+(?:(?:along|about|around)[^\S\n]+)?"
    r"(?:the[^\S\n]+)?(?P<axis>[xyz])(?:[-\s]?axis)?[^\S\n]*(?:by[^\S\n]+)?(?:[:=][^\S\n]*)?"
    r"(?P<value>[+-]?[^\S\n]?(?:\d+(?:\.\d+)?|\.\d+))(?![\d.]*\d)",
    re.IGNORECASE,
)
_VERBS: dict[str, Verb] = {"move": "move", "translate": "move", "roll": "roll", "rotate": "roll"}
_EXPECTED: dict[str, tuple[str, str]] = {  # format -> (verb, axes)
    "translation": ("move", "xy"),
    "rotation": ("roll", "xyz"),
    "zoom": ("move", "z"),
}


def _commands(text: str) -> list[tuple[int, int, Command]]:
    out = []
    for m in _COMMAND.finditer(text):
        value = float(m.group("value").replace(" ", ""))
        verb = _VERBS[m.group("verb").lower()]
        out.append((m.start(), m.end(), Command(verb, as_axis(m.group("axis")), value)))
    return out


def _command_detail(cmd: Command) -> dict[str, Any]:
    return {"verb": cmd.verb, "axis": cmd.axis, "value": cmd.value}


def _mismatch(cmd: Command, verb: str, axes: str) -> str | None:
    if cmd.verb == verb and cmd.axis in axes:
        return None
    return f"expected {verb} <{'|'.join(axes)}>, got {cmd.verb} {cmd.axis}"


def _parse_single(text: str, fmt: str) -> ParsedAnswer:
    cmds = _commands(text)
    if not cmds:
        return ParsedAnswer.unparseable()
    cmd = cmds[-1][2]
    detail = _command_detail(cmd) | {"n_commands": len(cmds)}
    if problem := _mismatch(cmd, *_EXPECTED[fmt]):
        detail["mismatch"] = problem
    return ParsedAnswer(ok=True, value=str(cmd), method="command", detail=detail)


_PAIR_GAP = re.compile(r"[\s,;]*(?:(?:and|then)\b[\s,;]*)*", re.IGNORECASE)


def _parse_docking(text: str) -> ParsedAnswer:
    cmds = _commands(text)
    pair: tuple[Command, Command] | None = None
    method = ""
    for (_, end, a), (start, _, b) in zip(cmds, cmds[1:], strict=False):
        if {a.verb, b.verb} == {"roll", "move"} and _PAIR_GAP.fullmatch(text, end, start):
            pair, method = ((a, b) if a.verb == "roll" else (b, a)), "command_pair"
    if pair is None:
        rolls = [c for _, _, c in cmds if c.verb == "roll"]
        moves = [c for _, _, c in cmds if c.verb == "move"]
        if not rolls and not moves:
            return ParsedAnswer.unparseable()
        roll, move = (rolls[-1] if rolls else None), (moves[-1] if moves else None)
        method = "separate_commands" if roll and move else ("roll_only" if roll else "move_only")
    else:
        roll, move = pair
    detail: dict[str, Any] = {
        "roll": _command_detail(roll) if roll else None,
        "move": _command_detail(move) if move else None,
    }
    if move is not None and move.axis != "x":
        detail["mismatch"] = f"expected move x, got move {move.axis}"
    value = ", ".join(str(c) for c in (roll, move) if c is not None)
    return ParsedAnswer(ok=True, value=value, method=method, detail=detail)


# --- hydrogen-bond lists -------------------------------------------------------------------------

_RES = r"[A-Za-z][A-Za-z0-9]{2}"  # exactly three: "I see, no" must not read as a bond
_POCKET_RES = r"[A-Za-z0-9]{1,3}"  # the residue number that follows keeps this strict
_ATOM = r"[A-Za-z][A-Za-z0-9']{0,4}"
_PAIR_SEP = r"[^\S\n]*(?:,|-|–|—|\.\.\.|…)[^\S\n]*"
_LIST_SEP = r"\s*(?:(?:[;,]|\band\b)\s*)?"
_T4_BOND = (  # a residue number, if given, is dropped: T4 gold names the residue only
    rf"(?P<res>{_RES})(?:[^\S\n]+-?\d+[A-Za-z]?)?[^\S\n]+(?P<atom>{_ATOM})"
    rf"{_PAIR_SEP}(?P<lig>{_ATOM})(?![\w'])"
)
_T9_BOND = (
    rf"(?P<res>{_POCKET_RES})[^\S\n]+(?P<num>-?\d+[A-Za-z]?)[^\S\n]+(?P<atom>{_ATOM})"
    rf"(?:[^\S\n]+(?P<chain>[A-Za-z0-9]))?{_PAIR_SEP}(?P<lig>{_ATOM})(?![\w'])"
)
_ANSWER_PREFIX = (
    r"(?:(?i:the[^\S\n]+)?(?i:final[^\S\n]+)?(?i:answer)(?:[^\S\n]+(?i:is))?[^\S\n]*(?::[^\S\n]*)?)?"
)
_YES_NO_END = r"(?=[^\S\n]*(?:[.,;:!]|$))"
_ANSWER_LEAD = rf"(?:^[^\S\n]*{_ANSWER_PREFIX}|(?i:\banswer\b)(?:[^\S\n]+(?i:is))?[^\S\n]*(?::[^\S\n]*)?)"
_NO = re.compile(rf"{_ANSWER_LEAD}(?i:no|none)\b{_YES_NO_END}", re.MULTILINE)
_YES = re.compile(rf"{_ANSWER_LEAD}(?i:yes)\b{_YES_NO_END}", re.MULTILINE)
_YES_LIST_LEAD = r"(?i:\byes\b)(?:[^\S\n]*[:,.\-–—])?\s*"


def _bond_text(m: re.Match[str], pocket: bool) -> str:
    res, atom, lig = m.group("res").upper(), m.group("atom").upper(), m.group("lig").upper()
    if not pocket:
        return f"{res} {atom}, {lig}"
    chain = f" {m.group('chain').upper()}" if m.group("chain") else ""
    return f"{res} {m.group('num').upper()} {atom}{chain}, {lig}"


def _ungroup(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _run_pattern(bond: str) -> str:
    plain = _ungroup(bond)
    return rf"(?<![\w'])(?:{plain})(?:{_LIST_SEP}(?:{plain}))*"


def _bonds_in(run: str, bond: str, pocket: bool) -> list[str]:
    """Normalised bonds of one list, in order, duplicates dropped."""
    found = re.finditer(rf"(?<![\w']){bond}", run)
    return list(dict.fromkeys(_bond_text(b, pocket) for b in found))


def _runs(text: str, bond: str, pocket: bool) -> list[tuple[int, int, list[str]]]:
    """Maximal bond lists in `text`: (start, end, bonds)."""
    return [
        (m.start(), m.end(), _bonds_in(m.group(0), bond, pocket))
        for m in re.finditer(_run_pattern(bond), text)
    ]


def _whole_lines(text: str, start: int, end: int) -> bool:
    """The list fills its lines, apart from an "Answer:" lead and closing punctuation."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return bool(
        re.fullmatch(rf"[^\S\n]*{_ANSWER_PREFIX}", text[line_start:start])
        and re.fullmatch(r"[^\S\n.;,]*", text[end:line_end])
    )


def _bonds_answer(bonds: list[str], method: str, yes: bool) -> ParsedAnswer:
    body = "; ".join(bonds)
    value = (f"Yes: {body}" if bonds else "Yes") if yes else (body or "None")
    answer = "yes" if yes or bonds else "no"
    return ParsedAnswer(ok=True, value=value, method=method, detail={"answer": answer, "bonds": bonds})


def _parse_residue_bonds(text: str) -> ParsedAnswer:
    found: list[tuple[int, ParsedAnswer]] = []  # (end position, answer): the last one wins
    yes_list = re.compile(_YES_LIST_LEAD + rf"(?P<run>{_run_pattern(_T4_BOND)})")
    listed: set[int] = set()
    for m in yes_list.finditer(text):
        found.append((m.end(), _bonds_answer(_bonds_in(m.group("run"), _T4_BOND, False), "yes_bonds", True)))
        listed.add(m.end())
    for start, end, bonds in _runs(text, _T4_BOND, False):
        if end not in listed and _whole_lines(text, start, end):
            found.append((end, _bonds_answer(bonds, "bond_lines", True)))
    found += [
        (m.end(), ParsedAnswer(ok=True, value="No", method="no", detail={"answer": "no", "bonds": []}))
        for m in _NO.finditer(text)
    ]
    found += [(m.end(), _bonds_answer([], "yes_without_bonds", True)) for m in _YES.finditer(text)]
    if not found:
        return ParsedAnswer.unparseable()
    return max(found, key=lambda f: f[0])[1]


def _parse_pocket_bonds(text: str) -> ParsedAnswer:
    runs = _runs(text, _T9_BOND, True)
    lines = [(end, bonds) for start, end, bonds in runs if _whole_lines(text, start, end)]
    # A list on its own lines is the answer format; lists inside sentences count only when there is none.
    if lines:
        found = [(end, _bonds_answer(bonds, "bond_lines", False)) for end, bonds in lines]
    else:
        found = [(end, _bonds_answer(bonds, "inline_bonds", False)) for _, end, bonds in runs]
    found += [(m.end(), _bonds_answer([], "none", False)) for m in _NO.finditer(text)]
    if not found:
        return ParsedAnswer.unparseable()
    best = max(found, key=lambda f: f[0])[1]
    no_chain = sum(1 for b in best.detail["bonds"] if len(b.split(",")[0].split()) < 4)
    if no_chain:
        best.detail["mismatch"] = f"{no_chain} bond(s) without a chain id"
    return best


def parse_answer(text: str, fmt: AnswerFormat) -> ParsedAnswer:
    """Parse `text` as an answer of format `fmt`; `value` is in the gold's exact string format."""
    if fmt == "choice":
        return parse_choice(text, "ABCD")
    plain = strip_markup(text)
    if fmt in _EXPECTED:
        return _parse_single(plain, fmt)
    if fmt == "docking":
        return _parse_docking(plain)
    if fmt == "residue_bonds":
        return _parse_residue_bonds(plain)
    if fmt == "pocket_bonds":
        return _parse_pocket_bonds(plain)
    raise ValueError(f"unknown answer format {fmt!r}")
